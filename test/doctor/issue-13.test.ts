import * as fs from 'fs';
import * as path from 'path';
import { inventoryOf, load, ROOT } from './helpers';
import { CliIo, main } from '../../src/cli/main';
import { explainPull } from '../../src/doctor/explain';
import { RULES } from '../../src/doctor/findings';
import { describeRef } from '../../src/doctor/kube-object';
import { lintManifests } from '../../src/doctor/lint';
import { loadManifests } from '../../src/doctor/manifests';
import { patternFor, repairedPattern } from '../../src/doctor/pattern-advice';
import { releasePushTargets, uncoveredPushTargets } from '../../src/doctor/push-coverage';
import { renderExplainText, styleFor } from '../../src/doctor/render';
import { DockerConfig } from '../../src/values/docker-config';

/** One fixture folder per item of issue 13 under test/fixtures/doctor-cases; each failed before its change. */
const CASES = 'test/fixtures/doctor-cases';

function lintRows(folder: string): string[] {
  const set = load(`${CASES}/${folder}`);
  return lintManifests(set, inventoryOf(set), { ignore: [] }).findings
    .map(finding => `${finding.file.slice(CASES.length + folder.length + 2)} ${finding.object ? describeRef(finding.object) : ''} ${finding.rule} ${finding.severity}`);
}

function findingsOf(folder: string) {
  const set = load(`${CASES}/${folder}`);
  return lintManifests(set, inventoryOf(set), { ignore: [] }).findings;
}

describe('item 1: plain-text credentials outside Secret.data', () => {
  test('a DataPlane client key and literal template credentials are plaintext-credentials; references are not', () => {
    expect(lintRows('01-plaintext-outside-data')).toEqual([
      'dataplane.yaml DataPlane acme/eu-dataplane plaintext-credentials error',
      'external-literal-template.yaml ExternalSecret team-b/quay-pull plaintext-credentials error',
      'sealed-literal-template.yaml SealedSecret team-a/ghcr-pull plaintext-credentials error',
    ]);
  });

  test('the messages name the fields and never the values', () => {
    const findings = findingsOf('01-plaintext-outside-data');
    expect(findings.map(finding => finding.message)).toEqual([
      expect.stringContaining('"spec.kubernetesCluster.credentials.clientKey" holds the data-plane cluster\'s credentials in plain text'),
      expect.stringContaining('spec.target.template.data: "password" writes credentials literally'),
      expect.stringContaining('spec.template.data: ".dockerconfigjson" writes credentials literally'),
    ]);
    const text = JSON.stringify(findings);
    for (const secret of ['RkFLRS1jbGllbnQta2V5LWV1', 'FAKE-literal-password', 'RkFLRS11c2VyOkZBS0UtcGFzcw==']) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('item 2: a pull secret that exists only in another namespace', () => {
  test('the Job in billing is told where regcred lives and how to get it there; the one in shared is fine', () => {
    const findings = findingsOf('02-pull-secret-other-namespace');
    expect(findings.map(finding => `${describeRef(finding.object!)} ${finding.rule}`)).toEqual(['Job billing/invoice-run pull-secret-other-namespace']);
    expect(findings[0].message).toBe('imagePullSecrets lists "regcred", which exists only in namespace "shared" '
      + `(${CASES}/02-pull-secret-other-namespace/shared-regcred.yaml:2); a pod reads pull secrets from its own namespace "billing" only, `
      + 'so the kubelet skips it and pulls anonymously');
    expect(findings[0].fix).toContain('replicate it from "shared"');
    expect(findings[0].fix).toContain('replicator.v1.mittwald.de/replicate-to: "billing"');
    expect(findings[0].fix).toContain('or create it in "billing"');

    const report = explainPull(inventoryOf(load(`${CASES}/02-pull-secret-other-namespace`)), 'registry.example.com/billing/invoices:2.1',
      { namespace: 'billing', serviceAccount: 'default', podPullSecrets: ['regcred'] });
    expect(report.pullSecrets[0]).toMatchObject({ status: 'missing' });
    expect(report.pullSecrets[0].problem).toContain('it exists in namespace "shared": replicate it into "billing"');
  });
});

describe('item 3: the Konflux release account covers ociStorage and the mapped repositories', () => {
  test('each uncovered target is a finding that names its field; the covered RPA has none', () => {
    const findings = findingsOf('03-konflux-release-coverage');
    expect(findings.map(finding => `${describeRef(finding.object!)} ${finding.rule} ${finding.message.split(' is pushed')[0]}`)).toEqual([
      'ReleasePlanAdmission managed-acme/acme-web-to-prod konflux-push-not-covered spec.data.mapping.components[1].repositories[1].url "registry.example.com/mirror/api"',
      'ReleasePlanAdmission managed-acme/acme-web-to-prod konflux-push-not-covered spec.pipeline.pipelineRef.ociStorage "quay.io/acme-artifacts/trusted"',
    ]);
    expect(findings[1].message).toContain('no key of the push secrets of service account "release-pipeline" ("release-push": "quay.io/acme/") matches it');
    expect(findings[1].fix).toContain('"quay.io/acme-artifacts/trusted"');
  });

  test('push-coverage works on plain JSON with kubelet key matching (for the constructs to reuse)', () => {
    const spec = { pipeline: { pipelineRef: { ociStorage: 'quay.io/acme/ta' } }, data: { mapping: { components: [{ repository: 'ghcr.io/acme/app:1.0' }] } } };
    const targets = releasePushTargets(spec);
    expect(targets).toEqual([
      { field: 'spec.pipeline.pipelineRef.ociStorage', repository: 'quay.io/acme/ta' },
      { field: 'spec.data.mapping.components[0].repository', repository: 'ghcr.io/acme/app:1.0' },
    ]);
    const config = (key: string) => DockerConfig.empty().withBasicAuth(key, 'u', 'p');
    expect(uncoveredPushTargets(targets, [config('quay.io/acme'), config('ghcr.io/acme/')]).map(target => target.repository)).toEqual([]);
    expect(uncoveredPushTargets(targets, [config('*.io')]).map(target => target.repository)).toEqual([]);
    expect(uncoveredPushTargets(targets, [config('quay.io/acme/tb')]).map(target => target.repository)).toEqual(['quay.io/acme/ta', 'ghcr.io/acme/app:1.0']);
    expect(uncoveredPushTargets(targets, []).length).toBe(2);
  });
});

describe('item 4: the registries annotation is not trusted when split at commas', () => {
  const set = load(`${CASES}/04-registries-annotation-comma`);
  const inventory = inventoryOf(set);
  const explain = (secret: string, image: string) => explainPull(inventory, image, { namespace: 'team-c', serviceAccount: 'default', podPullSecrets: [secret] });

  test('a Docker Hub image is not "covered" by a piece of a comma-split key', () => {
    const report = explain('comma-pull', 'docker.io/someone/else:1');
    expect(report.credentials.map(credential => credential.key)).toEqual(['docker.io']);
    expect(report.verdict).toBe('unknown');
    expect(report.pullSecrets[0].keysFromSplit).toBe(true);
    expect(report.summary).toContain('comes from splitting the cdk8s-registries/registries annotation at commas');
  });

  test('the payload\'s own keys win over the annotation', () => {
    const report = explain('templated-pull', 'docker.io/someone/else:1');
    expect(report.pullSecrets[0]).toMatchObject({ registries: ['ghcr.io/acme,docker.io'] });
    expect(report.pullSecrets[0].keysFromSplit).toBeUndefined();
    expect(report.verdict).toBe('not-covered');
  });

  test('a JSON array annotation gives exact keys, and a match is proof', () => {
    const report = explain('exact-pull', 'docker.io/someone/else:1');
    expect(report.pullSecrets[0]).toMatchObject({ registries: ['ghcr.io/acme', 'docker.io'] });
    expect(report.pullSecrets[0].keysFromSplit).toBeUndefined();
    expect(report.verdict).toBe('covered');
  });

  test('a miss on split keys is still a miss (a key containing "," matches no valid image)', () => {
    expect(explain('comma-pull', 'quay.io/acme/app:1').verdict).toBe('not-covered');
  });
});

describe('item 5: advice follows from the manifests', () => {
  test('explain: a secret already copied into the pod\'s namespace is to be attached, not replicated again', () => {
    const set = load(`${CASES}/05-advice`);
    const report = explainPull(inventoryOf(set), 'ghcr.io/acme/shop/web:1', { namespace: 'dp-acme-shop-dev-1a2b3c4d', serviceAccount: 'default', podPullSecrets: [] });
    expect(report.unattachedMatches).toEqual([expect.objectContaining({ secret: expect.objectContaining({ name: 'dp-pull' }), inNamespace: false, replicatedBy: 'mittwald replicate-to "dp-.*"' })]);
    const text = renderExplainText(report, styleFor(false));
    expect(text).toContain('it is already copied into "dp-acme-shop-dev-1a2b3c4d" by mittwald replicate-to "dp-.*", so the pod would use that copy: add "dp-pull" to the pod\'s imagePullSecrets');
    expect(text).not.toContain('replicate it into');
  });

  test('lint: the example pattern comes from the namespaces that use the secret, or from the user\'s own pattern', () => {
    const fixes = findingsOf('05-advice').map(finding => `${finding.object?.name} ${finding.rule}: ${finding.fix}`);
    expect(fixes).toEqual(expect.arrayContaining([
      'shop-pull replication-reaches-system-namespace: narrow the pattern to your namespaces, e.g. "shop-.*"',
      'reflected-shop-pull reflector-pattern: write "shop-.*" ("." is any character, ".*" any characters)',
    ]));
    expect(fixes.join('\n')).not.toContain('dp-.*');
  });

  test('pattern helpers', () => {
    expect(patternFor(['shop-dev', 'shop-prod'])).toBe('shop-.*');
    expect(patternFor(['billing', 'shop'])).toBe('billing,shop');
    expect(patternFor(['team-a'])).toBe('team-a');
    const compiles = (pattern: string) => {
      try {
        new RegExp(pattern);
        return true;
      } catch {
        return false;
      }
    };
    expect(repairedPattern('(dp-.*', compiles)).toBe('dp-.*');
    expect(repairedPattern('shop-[', compiles)).toBe('shop-');
  });
});

describe('item 6: folders are clusters', () => {
  const DIST = `${CASES}/06-clusters/dist`;

  function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: { write: text => (stdout += text) }, stderr: { write: text => (stderr += text) }, env: {}, cwd: ROOT, now: () => 0 };
    const code = main(['doctor', ...args, '--quiet'], io);
    return { code, stdout, stderr };
  }

  test('dist/<cluster>/ is detected: each cluster is checked on its own, and a secret of another cluster is named as such', () => {
    const set = load(DIST);
    expect(set.clusters).toEqual(['prod', 'stage']);
    const findings = lintManifests(set, inventoryOf(set), { ignore: [] }).findings;
    expect(findings.map(finding => `${finding.file.slice(DIST.length + 1)} ${describeRef(finding.object!)} ${finding.rule}`)).toEqual([
      'stage/workloads.yaml Job billing/invoice-run pull-secret-other-namespace',
    ]);
    expect(findings[0].message).toContain('which exists only in another cluster (namespace "billing" of cluster "prod")');
    expect(findings[0].fix).toContain('of cluster "stage"');
  });

  test('--clusters none reads one cluster: the stage Job then seems to find prod\'s regcred', () => {
    const result = JSON.parse(cli('lint', '--format', 'json', '--clusters', 'none', DIST).stdout);
    expect(result.findings).toEqual([]);
    expect(result.clusters).toBeUndefined();
    expect(JSON.parse(cli('lint', '--format', 'json', DIST).stdout).clusters).toEqual(['prod', 'stage']);
  });

  test('explain stays within the cluster: no candidates from another cluster, no "2 objects make this Secret"', () => {
    const stage = JSON.parse(cli('explain', '--format', 'json', '--cluster', 'stage', '--image', 'ghcr.io/acme/storefront:1.0', '--namespace', 'shop',
      '--pod-pull-secret', 'shop-pull', DIST).stdout);
    expect(stage).toMatchObject({ cluster: 'stage', verdict: 'not-covered', unattachedMatches: [] });
    expect(stage.pullSecrets[0]).toMatchObject({ registries: ['ghcr.io/acme-stage/'], notes: [] });
    const oneTree = JSON.parse(cli('explain', '--format', 'json', '--clusters', 'none', '--image', 'ghcr.io/acme/storefront:1.0', '--namespace', 'shop',
      '--pod-pull-secret', 'shop-pull', DIST).stdout);
    expect(oneTree.pullSecrets[0].notes[0]).toContain('2 objects make this Secret');
    // A pod without pull secrets: prod's shop-pull is no candidate for a stage pod.
    const bare = ['explain', '--format', 'json', '--image', 'ghcr.io/acme/storefront:1.0', '--namespace', 'shop'];
    expect(JSON.parse(cli(...bare, '--cluster', 'stage', DIST).stdout).unattachedMatches).toEqual([]);
    expect(JSON.parse(cli(...bare, '--clusters', 'none', DIST).stdout).unattachedMatches.map((match: any) => match.file))
      .toEqual([`${DIST}/prod/pull-secrets.yaml`]);
  });

  test('explain asks which cluster when there are several', () => {
    const result = cli('explain', '--image', 'nginx', '--namespace', 'shop', DIST);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pass one of --cluster prod, --cluster stage');
    expect(cli('explain', '--cluster', 'stage', '--image', 'ghcr.io/acme-stage/web:1', '--namespace', 'shop', '--pod-pull-secret', 'shop-pull', DIST).stdout)
      .toContain('Namespace     shop (cluster "stage")');
  });

  test('--clusters folders makes any directory a cluster root', () => {
    const set = loadManifests([`${CASES}/06-clusters/dist`], { cwd: ROOT, clusters: 'folders' });
    expect(set.clusters).toEqual(['prod', 'stage']);
    expect(loadManifests([`${CASES}/06-clusters`], { cwd: ROOT }).clusters).toEqual([]);
    expect(loadManifests([`${CASES}/06-clusters`], { cwd: ROOT, clusters: 'folders' }).clusters).toEqual(['dist']);
  });
});

describe('docs/doctor.md', () => {
  test('lists every rule with an example', () => {
    const docs = fs.readFileSync(path.join(ROOT, 'docs', 'doctor.md'), 'utf8');
    const rows = docs.split('\n').filter(line => /^\| `[a-z0-9-]+` \|/.test(line));
    const documented = rows.map(line => /^\| `([a-z0-9-]+)`/.exec(line)![1]);
    expect(documented.filter(id => RULES.some(rule => rule.id === id) === false)).toEqual([]);
    expect(RULES.map(rule => rule.id).filter(id => !documented.includes(id))).toEqual([]);
    for (const row of rows) {
      expect(row.split('|')[3].trim().length).toBeGreaterThan(10);
    }
  });
});
