// Times the alternative the library replaces: a script calling `kubectl create secret docker-registry --dry-run=client
// -o yaml` once per secret. Only a sample runs (each call starts a process); the total is extrapolated.
import { spawnSync } from 'child_process';
import { authsKey, dataPlaneNamespace, dockerConfigJson } from './raw';
import { Inventory, NAMES } from './spec';

export interface KubectlTiming {
  readonly sampled: number;
  /** Median wall time of one kubectl call, in milliseconds. */
  readonly msPerSecret: number;
  /** Whether every sampled `.dockerconfigjson` is byte-identical to the one in our plain Secrets. */
  readonly sameDockerConfig: boolean;
}

/**
 * Runs kubectl for `sampleSize` plain pull secrets spread over the inventory, one after another as a loop would.
 *
 * @throws Error when kubectl is missing or fails
 */
export function timeKubectl(inventory: Inventory, sampleSize: number): KubectlTiming {
  const sample = samplePlainSecrets(inventory, sampleSize);
  const durations: number[] = [];
  let sameDockerConfig = true;
  // One untimed call first: the first start of the binary reads it from disk.
  if (sample.length > 0) {
    spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  }
  for (const secret of sample) {
    const start = process.hrtime.bigint();
    const result = spawnSync('kubectl', [
      'create', 'secret', 'docker-registry', NAMES.envPullSecret, '--namespace', secret.namespace,
      `--docker-server=${secret.registry}`, `--docker-username=${secret.username}`, `--docker-password=${secret.password}`,
      '--dry-run=client', '-o', 'yaml',
    ], { encoding: 'utf8' });
    durations.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) {
      throw new Error(`kubectl failed (${result.error?.message ?? result.stderr})`);
    }
    const data = /\.dockerconfigjson: (\S+)/.exec(result.stdout)?.[1];
    sameDockerConfig = sameDockerConfig && data !== undefined
      && Buffer.from(data, 'base64').toString('utf8') === dockerConfigJson(secret.registry, secret.username, secret.password);
  }
  return { sampled: sample.length, msPerSecret: median(durations), sameDockerConfig };
}

interface PlainSecret {
  readonly namespace: string;
  readonly registry: string;
  readonly username: string;
  readonly password: string;
}

/** Every n-th plain pull secret, so that the sample covers every registry kind. */
function samplePlainSecrets(inventory: Inventory, sampleSize: number): PlainSecret[] {
  const all = inventory.orgs.flatMap(org => org.projects.flatMap(project => project.envs
    .filter(env => env.delivery === 'plain')
    .map(env => ({
      namespace: dataPlaneNamespace(org.name, project.name, env.name),
      registry: authsKey(org.registry),
      username: env.username,
      password: env.password,
    }))));
  const step = Math.max(1, Math.floor(all.length / sampleSize));
  return all.filter((_, index) => index % step === 0).slice(0, sampleSize);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
