import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FIXTURES, GOLDEN, goldenFiles, inventoryOf, load, ROOT } from './helpers';
import { Finding, RULES } from '../../src/doctor/findings';
import { Inventory } from '../../src/doctor/inventory';
import { describeRef } from '../../src/doctor/kube-object';
import { IGNORE_ANNOTATION, lintManifests } from '../../src/doctor/lint';
import { parseManifestText } from '../../src/doctor/manifests';

/** [file under test/fixtures/doctor, object as "Kind namespace/name" ('' for the file), rule, severity]. */
const EXPECTED: Array<[string, string, string, string]> = [
  ['argocd-app/manifests/cluster-external-secret-all.yaml', 'ClusterExternalSecret everywhere-pull', 'replication-reaches-system-namespace', 'warning'],
  ['argocd-app/manifests/cluster-external-secret-bad-selector.yaml', 'ClusterExternalSecret env-pull', 'replication-selector-invalid', 'error'],
  ['argocd-app/manifests/external-secret-engine-v1.yaml', 'ExternalSecret team-x/engine-v1-pull', 'eso-engine-version', 'error'],
  ['argocd-app/manifests/external-secret-everywhere.yaml', 'ExternalSecret platform/shared-pull', 'replication-reaches-system-namespace', 'warning'],
  ['argocd-app/manifests/external-secret-everywhere.yaml', 'ExternalSecret platform/shared-pull', 'replicator-pattern', 'warning'],
  ['argocd-app/manifests/external-secret-no-type.yaml', 'ExternalSecret team-x/untyped-pull', 'secret-type-key-mismatch', 'error'],
  ['argocd-app/manifests/external-secret-v1beta1.yaml', 'ExternalSecret team-x/old-api-pull', 'eso-api-version', 'error'],
  ['argocd-app/manifests/mittwald-bad-selector.yaml', 'ExternalSecret platform/prod-pull', 'replication-selector-invalid', 'error'],
  ['argocd-app/manifests/namespace-annotated.yaml', 'Namespace apps', 'replicator-annotation-misplaced', 'warning'],
  ['argocd-app/manifests/reflector-all-namespaces.yaml', 'ExternalSecret platform/reflected-pull', 'replication-reaches-system-namespace', 'warning'],
  ['argocd-app/manifests/reflector-glob.yaml', 'ExternalSecret platform/team-pull', 'reflector-pattern', 'warning'],
  ['argocd-app/manifests/reflector-glob.yaml', 'ExternalSecret platform/team-pull', 'reflector-pattern', 'warning'],
  ['argocd-app/manifests/reflector-invalid-regex.yaml', 'ExternalSecret platform/dp-pull-reflected', 'reflector-pattern', 'error'],
  ['argocd-app/manifests/replica-targets.yaml', 'Secret team-y/source-pull', 'replica-target-type', 'error'],
  ['argocd-app/manifests/replica-targets.yaml', 'Secret team-y/source-pull', 'secret-type-key-mismatch', 'error'],
  ['argocd-app/manifests/sealed-glob-pattern.yaml', 'SealedSecret platform/legacy-pull', 'replicator-pattern', 'warning'],
  ['argocd-app/manifests/sealed-lookahead.yaml', 'SealedSecret platform/all-but-system-pull', 'replicator-pattern', 'error'],
  ['argocd-app/manifests/workloads.yaml', 'Deployment team-x/report', 'pull-secret-unusable', 'error'],
  ['broken/broken.yaml', '', 'yaml-invalid', 'error'],
  ['helm/rendered/identity-token.yaml', 'Secret ci/ci-pull', 'dockerconfigjson-ignored-token', 'warning'],
  ['helm/rendered/identity-token.yaml', 'Secret ci/ci-pull', 'plaintext-credentials', 'error'],
  ['helm/rendered/registry-creds.yaml', 'Secret tools-registry-creds', 'dockerconfigjson-missing-auth', 'warning'],
  ['helm/rendered/registry-creds.yaml', 'Secret tools-registry-creds', 'plaintext-credentials', 'error'],
  ['helm/rendered/registry-creds.yaml', 'Deployment tools-registry-creds', 'image-not-covered', 'error'],
  ['konflux/build-service-account-pull.yaml', 'ServiceAccount acme-tenant/build-pipeline-acme-web', 'konflux-operator-account-pull-secrets', 'warning'],
  ['konflux/build-service-account-pull.yaml', 'ServiceAccount acme-tenant/build-pipeline-acme-web', 'konflux-push-secret-as-pull-secret', 'error'],
  ['konflux/release-service-account.yaml', 'ServiceAccount managed-acme/release-pipeline', 'konflux-push-secret-as-pull-secret', 'error'],
  ['konflux/release-service-account.yaml', 'ServiceAccount managed-acme/deployer', 'konflux-push-secret-as-pull-secret', 'error'],
  ['konflux/rpa-misplaced.yaml', 'ReleasePlanAdmission managed-acme/acme-web-to-prod', 'konflux-ocistorage-misplaced', 'error'],
  ['konflux/rpa-misplaced.yaml', 'ReleasePlanAdmission managed-acme/acme-web-to-prod', 'konflux-serviceaccountname-misplaced', 'error'],
  ['konflux/rpa-pipeline-ocistorage.yaml', 'ReleasePlanAdmission managed-acme/acme-api-to-prod', 'konflux-ocistorage-misplaced', 'error'],
  ['kubectl/generic-opaque-dockerconfig.yaml', 'Secret team-b/regcred-opaque', 'plaintext-credentials', 'error'],
  ['kubectl/generic-opaque-dockerconfig.yaml', 'Secret team-b/regcred-opaque', 'secret-type-key-mismatch', 'error'],
  ['kubectl/regcred-config-json-key.yaml', 'Secret team-a/regcred-file', 'dockerconfigjson-credential-helper', 'warning'],
  ['kubectl/regcred-config-json-key.yaml', 'Secret team-a/regcred-file', 'plaintext-credentials', 'error'],
  ['kubectl/regcred-config-json-key.yaml', 'Secret team-a/regcred-file', 'secret-type-key-mismatch', 'error'],
  ['kubectl/regcred-dockerhub-alias.yaml', 'Secret team-a/hub-regcred', 'dockerconfigjson-key-unmatched', 'warning'],
  ['kubectl/regcred-dockerhub-alias.yaml', 'Secret team-a/hub-regcred', 'plaintext-credentials', 'error'],
  ['kubectl/regcred-ghcr.yaml', 'Secret team-a/regcred', 'plaintext-credentials', 'error'],
  ['kubectl/regcred-hand-edited.yaml', 'Secret team-c/edited-regcred', 'dockerconfigjson-invalid', 'error'],
  ['kubectl/regcred-hand-edited.yaml', 'Secret team-c/edited-regcred', 'plaintext-credentials', 'error'],
  ['kubectl/regcred-https-port.yaml', 'Secret team-b/internal-regcred', 'dockerconfigjson-key-unmatched', 'warning'],
  ['kubectl/regcred-https-port.yaml', 'Secret team-b/internal-regcred', 'plaintext-credentials', 'error'],
  ['kubectl/regcred-quay.json', 'Secret team-c/quay-regcred', 'plaintext-credentials', 'error'],
  ['kubectl/regcred-raw-json-in-data.yaml', 'Secret team-c/raw-regcred', 'dockerconfigjson-invalid', 'error'],
  ['kubectl/regcred-raw-json-in-data.yaml', 'Secret team-c/raw-regcred', 'plaintext-credentials', 'error'],
  ['kustomize/overlay-prod.yaml', 'Secret shop-prod/regcred-t2k8kgg7bt', 'plaintext-credentials', 'error'],
  ['kustomize/overlay-prod.yaml', 'Secret shop-prod/regcred-t2k8kgg7bt', 'secret-type-key-mismatch', 'error'],
  ['kustomize/overlay-prod.yaml', 'Deployment shop-prod/shop-api', 'pull-secret-unusable', 'error'],
  ['lists/kubectl-get-list.yaml', 'Secret team-k/ghcr-lister', 'plaintext-credentials', 'error'],
  ['lists/secret-list.yaml', 'Secret team-k/legacy-dockercfg', 'plaintext-credentials', 'error'],
  ['openchoreo/dataplane-image-pull-secret-refs.yaml', 'DataPlane default/eso-era-dataplane', 'openchoreo-stale-registry-fields', 'warning'],
  ['openchoreo/dataplane-mixed.yaml', 'DataPlane default-org/mixed-dataplane', 'openchoreo-mixed-registry-shapes', 'error'],
  ['openchoreo/dataplane-proposal.yaml', 'DataPlane default-org/default-dataplane', 'openchoreo-apiserverurl', 'error'],
  ['openchoreo/dataplane-proposal.yaml', 'DataPlane default-org/default-dataplane', 'openchoreo-apiversion', 'error'],
  ['openchoreo/dataplane-push.yaml', 'DataPlane default-org/push-dataplane', 'openchoreo-push-secret-namespace', 'error'],
  ['openchoreo/dataplane-stale-registry.yaml', 'DataPlane default/current-dataplane', 'openchoreo-stale-registry-fields', 'error'],
  ['openchoreo/dataplane-v1alpha1-push.yaml', 'DataPlane default-org/push-on-v1alpha1', 'openchoreo-mixed-registry-shapes', 'error'],
  // Issue 13 item 1: a DataPlane's kubernetesCluster.credentials.clientKey is plain-text credentials too.
  ['openchoreo/dataplane-mixed.yaml', 'DataPlane default-org/mixed-dataplane', 'plaintext-credentials', 'error'],
  ['openchoreo/dataplane-proposal.yaml', 'DataPlane default-org/default-dataplane', 'plaintext-credentials', 'error'],
  ['openchoreo/dataplane-push.yaml', 'DataPlane default-org/push-dataplane', 'plaintext-credentials', 'error'],
  ['openchoreo/dataplane-v0-3.yaml', 'DataPlane default-org/pull-dataplane', 'plaintext-credentials', 'error'],
  ['openchoreo/dataplane-v1alpha1-push.yaml', 'DataPlane default-org/push-on-v1alpha1', 'plaintext-credentials', 'error'],
  // Issue 13 item 3: the release account of rpa-ok links no push secret through "secrets" (only imagePullSecrets), so
  // its ociStorage push is not covered.
  ['konflux/rpa-ok.yaml', 'ReleasePlanAdmission managed-acme/acme-docs-to-prod', 'konflux-push-not-covered', 'error'],
  ['workloads/cronjob-other-acr.yaml', 'CronJob team-h/archive', 'image-not-covered', 'warning'],
  ['workloads/daemonset-port.yaml', 'DaemonSet team-f/node-agent', 'image-not-covered', 'error'],
  ['workloads/deployment-hub-alias-image.yaml', 'Deployment team-j/web', 'image-not-covered', 'error'],
  ['workloads/dockerhub-wrong-key.yaml', 'Secret team-d/hub-creds', 'dockerconfigjson-key-unmatched', 'warning'],
  ['workloads/dockerhub-wrong-key.yaml', 'Secret team-d/hub-creds', 'plaintext-credentials', 'error'],
  ['workloads/dockerhub-wrong-key.yaml', 'Deployment team-d/api', 'image-not-covered', 'error'],
  ['workloads/job-ecr.yaml', 'Job team-g/migrate', 'image-not-covered', 'warning'],
  ['workloads/pod-opaque-secret.yaml', 'Pod team-i/worker', 'pull-secret-unusable', 'error'],
  ['workloads/replicaset-invalid-image.yaml', 'ReplicaSet team-h/frontend', 'image-invalid-reference', 'error'],
  ['workloads/replicationcontroller.yaml', 'ReplicationController team-e/legacy', 'image-not-covered', 'error'],
  ['workloads/service-account-opaque.yaml', 'ServiceAccount team-i/builder', 'pull-secret-unusable', 'error'],
  ['workloads/statefulset-path.yaml', 'StatefulSet team-e/app-b', 'image-not-covered', 'error'],
];

/** Files with Kubernetes objects and no finding at all. */
const CLEAN_FILES = [
  'argocd-app/application.yaml',
  'argocd-app/manifests/cluster-external-secret.yaml',
  'argocd-app/manifests/namespaces.yaml',
  'argocd-app/manifests/replication-source.yaml',
  'argocd-app/manifests/sealed-pull.yaml',
  'clean/configmap.json',
  'clean/deployment.yaml',
  'clean/external-secret.yaml',
  'clean/mittwald-roles.yaml',
  'clean/namespaces-list.yaml',
  'clean/sealed-secret.yaml',
  'clean/service.yml',
  'konflux/build-service-account-ok.yaml',
  'kustomize/overlay-staging.yaml',
  'openchoreo/push-secrets.yaml',
  'workloads/cronjob-service-account.yaml',
  'workloads/pod-default-service-account.yaml',
  'workloads/pod-library.yaml',
];

const FIXTURE_PREFIX = 'test/fixtures/doctor/';

function row(finding: Finding): [string, string, string, string] {
  return [finding.file.slice(FIXTURE_PREFIX.length), finding.object ? describeRef(finding.object) : '', finding.rule, finding.severity];
}

describe('doctor lint on the fixture tree', () => {
  const set = load('test/fixtures/doctor');
  const result = lintManifests(set, inventoryOf(set), { ignore: [] });
  const rows = result.findings.map(row);

  test('the tree has at least 40 manifest files, in the styles people write', () => {
    const withObjects = new Set(set.manifests.map(manifest => manifest.file));
    expect(withObjects.size).toBeGreaterThanOrEqual(40);
    for (const style of ['kubectl/', 'kustomize/', 'helm/rendered/', 'argocd-app/', 'lists/']) {
      expect([...withObjects].some(file => file.startsWith(FIXTURE_PREFIX + style))).toBe(true);
    }
  });

  test.each(EXPECTED.map((expected, index) => [index, ...expected]))('#%d %s: %s has %s (%s)', (_index, file, object, rule, severity) => {
    expect(rows).toContainEqual([file, object, rule, severity]);
  });

  test('finds exactly the expected findings, no more', () => {
    const sorted = (list: string[][]) => list.map(each => each.join(' | ')).sort();
    expect(sorted(rows)).toEqual(sorted(EXPECTED));
  });

  test.each(CLEAN_FILES)('%s is clean and really holds objects', file => {
    expect(set.manifests.some(manifest => manifest.file === FIXTURE_PREFIX + file)).toBe(true);
    expect(rows.filter(each => each[0] === file)).toEqual([]);
  });

  // Hostile inputs (huge files, links out of the tree) are generated by test/doctor/hostile.test.ts, not committed; the
  // issue 13 rules fire on test/fixtures/doctor-cases (test/doctor/issue-13.test.ts), kept apart so that this tree
  // keeps its findings.
  const GENERATED_ONLY = ['input-limit', 'input-skipped', 'pull-secret-other-namespace'];

  test('every rule fires at least once on the fixtures', () => {
    expect(RULES.map(rule => rule.id).filter(id => !GENERATED_ONLY.includes(id) && !rows.some(each => each[2] === id))).toEqual([]);
  });

  test('unrendered Helm templates are skipped, not reported; non-YAML and non-Kubernetes files are ignored', () => {
    expect(set.skippedTemplates).toEqual([`${FIXTURE_PREFIX}helm/chart/templates/deployment.yaml`, `${FIXTURE_PREFIX}helm/chart/templates/secret.yaml`]);
    expect(set.manifests.some(manifest => manifest.file.endsWith('ci-config.yaml') || manifest.file.endsWith('Chart.yaml'))).toBe(false);
    expect(rows.some(each => each[0].endsWith('README.md'))).toBe(false);
  });

  test('counts errors and warnings', () => {
    expect(result.errors).toBe(EXPECTED.filter(expected => expected[3] === 'error').length);
    expect(result.warnings).toBe(EXPECTED.filter(expected => expected[3] === 'warning').length);
  });

  test('reports the line where each object starts', () => {
    const line = (file: string, object: string) =>
      result.findings.find(finding => finding.file === FIXTURE_PREFIX + file && describeRef(finding.object!) === object)!.line;
    expect(line('kustomize/overlay-prod.yaml', 'Deployment shop-prod/shop-api')).toBe(14);
    expect(line('lists/kubectl-get-list.yaml', 'Secret team-k/ghcr-lister')).toBe(11);
    expect(line('helm/rendered/registry-creds.yaml', 'Deployment tools-registry-creds')).toBe(38);
    expect(line('argocd-app/manifests/replica-targets.yaml', 'Secret team-y/source-pull')).toBe(14);
  });

  test('the rendered kustomize fixtures are what kubectl kustomize renders from .sources', () => {
    for (const overlay of ['prod', 'staging']) {
      const rendered = execFileSync('kubectl', ['kustomize', path.join(FIXTURES, '.sources', 'kustomize', 'overlays', overlay)], { encoding: 'utf8' });
      expect(rendered).toEqual(fs.readFileSync(path.join(FIXTURES, 'kustomize', `overlay-${overlay}.yaml`), 'utf8'));
    }
  });
});

describe('the library\'s own golden examples', () => {
  // The plain-Secret delivery exists for local clusters; an example that uses SecretValue.unsafePlainText puts
  // credentials in its YAML on purpose, and flagging them is right. Every other finding would be a false positive.
  const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter(file => file.endsWith('.ts'))
    .map(file => fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'));

  function exampleOf(goldenFile: string): string | undefined {
    const chart = path.basename(goldenFile, '.k8s.yaml');
    return examples.find(source => source.includes(`'${chart}'`));
  }

  function expectOnlyDeliberatePlaintext(findings: Finding[]): void {
    for (const finding of findings) {
      expect({ file: finding.file, rule: finding.rule, message: finding.message }).toEqual(expect.objectContaining({ rule: 'plaintext-credentials' }));
      expect(exampleOf(finding.file)).toContain('SecretValue.unsafePlainText');
    }
  }

  test('golden files are present', () => {
    expect(goldenFiles().length).toBeGreaterThan(0);
  });

  test('linting all of test/golden together (like a dist/ directory) finds nothing but deliberate plain text', () => {
    const set = load('test/golden');
    expect(set.problems).toEqual([]);
    expectOnlyDeliberatePlaintext(lintManifests(set, inventoryOf(set), { ignore: [] }).findings);
  });

  test.each(goldenFiles().map(file => path.relative(ROOT, file)))('%s alone: nothing but deliberate plain text', file => {
    const set = load(file);
    expect(set.manifests.length).toBeGreaterThan(0);
    expectOnlyDeliberatePlaintext(lintManifests(set, inventoryOf(set), { ignore: [] }).findings);
  });

  test('the quick start is flagged for its deliberate plain-text Secrets', () => {
    const set = load(path.relative(ROOT, path.join(GOLDEN, 'quickstart.k8s.yaml')));
    expect(lintManifests(set, inventoryOf(set), { ignore: [] }).findings.map(finding => [finding.rule, finding.object?.name]))
      .toEqual([['plaintext-credentials', 'docker-hub-pull'], ['plaintext-credentials', 'ghcr-pull']]);
  });
});

describe('suppression', () => {
  const text = (annotations: string) => `apiVersion: v1
kind: Secret
metadata:
  name: opaque-docker
  namespace: team-a
${annotations}
data:
  .dockerconfigjson: e30=
`;

  function lint(yaml: string, ignore: string[] = []) {
    const parsed = parseManifestText(yaml, 'inline.yaml', true);
    const set = { manifests: parsed.manifests, fileCount: 1, skippedTemplates: [], problems: parsed.problems };
    return lintManifests(set, new Inventory(parsed.manifests, { defaultNamespace: 'default' }), { ignore });
  }

  test('without suppression the Opaque docker config is reported', () => {
    expect(lint(text('')).findings.map(finding => finding.rule)).toEqual(['dockerconfigjson-invalid', 'secret-type-key-mismatch']);
  });

  test('--ignore drops a rule everywhere and counts it', () => {
    const result = lint(text(''), ['secret-type-key-mismatch']);
    expect(result.findings.map(finding => finding.rule)).toEqual(['dockerconfigjson-invalid']);
    expect(result.suppressed).toBe(1);
  });

  test(`the ${IGNORE_ANNOTATION} annotation drops rules for its object only`, () => {
    const annotated = text(`  annotations:\n    ${IGNORE_ANNOTATION}: "secret-type-key-mismatch, dockerconfigjson-invalid"`);
    const result = lint(`${annotated}---\n${text('').replace('opaque-docker', 'other')}`);
    expect(result.findings.map(finding => [finding.object?.name, finding.rule])).toEqual([
      ['other', 'dockerconfigjson-invalid'], ['other', 'secret-type-key-mismatch'],
    ]);
    expect(result.suppressed).toBe(2);
  });
});

describe('plain text and Git', () => {
  const regcred = `apiVersion: v1
kind: Secret
metadata: {name: regcred, namespace: team-a}
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{"auths":{"ghcr.io":{"auth":"dTpw"}}}'
`;

  function rulesOf(text: string, forGit: boolean): string[] {
    const parsed = parseManifestText(text, 'inline.yaml', forGit);
    const set = { manifests: parsed.manifests, fileCount: 1, skippedTemplates: [], problems: [] };
    return lintManifests(set, new Inventory(parsed.manifests, { defaultNamespace: 'default' }), { ignore: [] }).findings.map(finding => finding.rule);
  }

  test('credentials in a file meant for Git are an error', () => {
    expect(rulesOf(regcred, true)).toEqual(['plaintext-credentials']);
  });

  test('the same file ignored by git is not reported', () => {
    expect(rulesOf(regcred, false)).toEqual([]);
  });

  test('placeholders without credentials are not plain-text credentials', () => {
    expect(rulesOf(regcred.replace('{"auths":{"ghcr.io":{"auth":"dTpw"}}}', '{"auths":{}}'), true)).toEqual([]);
  });
});
