// Test helper: runs the real kubectl client offline (no cluster), without a shell.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** How `kubectl patch --type` merges a patch into an object. */
export type PatchType = 'strategic' | 'merge';

/** `kubectl patch --local -f <object> --type <type> -p <patch> -o json`: the patched object, as kubectl computes it. */
export function kubectlPatchLocal(object: object, type: PatchType, patch: object): any {
  return withTempFile(JSON.stringify(object), file => JSON.parse(execFileSync('kubectl',
    ['patch', '--local', '-f', file, '--type', type, '-p', JSON.stringify(patch), '-o', 'json'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })));
}

/** `kubectl create secret generic <name> -n <namespace> --from-literal=k=v ... --dry-run=client -o json`. */
export function kubectlCreateGenericSecret(name: string, namespace: string, literals: { [key: string]: string }): any {
  const args = ['create', 'secret', 'generic', name, '-n', namespace,
    ...Object.entries(literals).map(([key, value]) => `--from-literal=${key}=${value}`), '--dry-run=client', '-o', 'json'];
  return JSON.parse(execFileSync('kubectl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
}

function withTempFile<T>(content: string, use: (file: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'konflux-kubectl-'));
  try {
    const file = path.join(dir, 'object.json');
    fs.writeFileSync(file, content);
    return use(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
