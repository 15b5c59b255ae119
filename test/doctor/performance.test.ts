import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { explainPull } from '../../src/doctor/explain';
import { Inventory } from '../../src/doctor/inventory';
import { lintManifests } from '../../src/doctor/lint';
import { loadManifests } from '../../src/doctor/manifests';

const TEAMS = 1000;

/**
 * A GitOps repository of TEAMS teams, three files each: a Namespace, a pull secret (plain Secret or SealedSecret) and
 * a Deployment. Every tenth team's Deployment pulls from a repository its key misses.
 */
function generateTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-performance-'));
  for (let team = 0; team < TEAMS; team++) {
    const namespace = `team-${team}`;
    const directory = path.join(root, 'tenants', namespace);
    fs.mkdirSync(directory, { recursive: true });
    fs.writeFileSync(path.join(directory, 'namespace.yaml'), `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n  labels: {tier: apps}\n`);
    fs.writeFileSync(path.join(directory, 'pull-secret.yaml'), team % 2 === 0 ? plainSecret(namespace) : sealedSecret(namespace));
    fs.writeFileSync(path.join(directory, 'deployment.yaml'), deployment(namespace, team % 10 === 0 ? 'quay.io/acme/other' : `quay.io/acme/app-${team}`));
  }
  return root;
}

function plainSecret(namespace: string): string {
  const config = JSON.stringify({ auths: { 'quay.io/acme/app-': { auth: Buffer.from(`robot:token-${namespace}`).toString('base64') } } });
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: pull\n  namespace: ${namespace}\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${Buffer.from(config).toString('base64')}\n`;
}

function sealedSecret(namespace: string): string {
  return `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: pull\n  namespace: ${namespace}\n  annotations:\n    cdk8s-registries/registries: quay.io/acme/app-\nspec:\n  encryptedData:\n    .dockerconfigjson: AgA=\n  template:\n    type: kubernetes.io/dockerconfigjson\n`;
}

function deployment(namespace: string, image: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  namespace: ${namespace}\nspec:\n  selector: {matchLabels: {app: app}}\n  template:\n    metadata: {labels: {app: app}}\n    spec:\n      imagePullSecrets: [{name: pull}]\n      containers:\n        - name: app\n          image: ${image}:1.0\n`;
}

test(`a generated tree of ${TEAMS * 3} files is read, linted and explained; timings are reported, not asserted`, () => {
  const root = generateTree();
  try {
    const started = performance.now();
    const set = loadManifests([root], { cwd: root });
    const read = performance.now();
    const inventory = new Inventory(set.manifests, { defaultNamespace: 'default' });
    const result = lintManifests(set, inventory, { ignore: [] });
    const linted = performance.now();
    const report = explainPull(inventory, 'quay.io/acme/other:1.0', { namespace: 'team-10', serviceAccount: 'default', podPullSecrets: ['pull'] });
    const explained = performance.now();

    expect(set.fileCount).toBe(TEAMS * 3);
    expect(set.manifests).toHaveLength(TEAMS * 3);
    const count = (rule: string) => result.findings.filter(finding => finding.rule === rule).length;
    expect(count('plaintext-credentials')).toBe(TEAMS / 2);
    // Every tenth team misses: the plain-Secret ones with a key in the same namespace (error) and the sealed ones too.
    expect(count('image-not-covered')).toBe(TEAMS / 10);
    expect(result.findings).toHaveLength(TEAMS / 2 + TEAMS / 10);
    expect(report.verdict).toBe('not-covered');

    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    console.log(`doctor performance: ${set.fileCount} files, ${set.manifests.length} objects: read ${seconds(read - started)}, `
      + `lint ${seconds(linted - read)}, explain ${seconds(explained - linted)}`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
