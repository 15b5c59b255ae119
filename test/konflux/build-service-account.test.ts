import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { kubectlPatchLocal, PatchType } from './kubectl';
import { ArgoCdSyncOption } from '../../src/argocd';
import { RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import { SecretDelivery } from '../../src/delivery/secret-delivery';
import { BuildServiceAccount, KonfluxPipeline, KonfluxSecretLinking } from '../../src/konflux/build-service-account';
import { RegistryPurpose, RegistrySecret } from '../../src/registry-secret';
import { expectValidManifests } from '../helpers/manifest-checker';
import { loadReferenceJson } from '../helpers/reference';

const VECTORS = loadReferenceJson('konflux', 'konflux-test-vectors.json');
const PATCH = VECTORS.serviceAccountPatchSemantics;
const OPERATOR_ACCOUNT = PATCH.input;

function tenantChart(namespace = 'user-ns1'): Chart {
  return new Chart(Testing.app(), 'tenant', { namespace });
}

function regcred(chart: Chart, labels?: { [key: string]: string }, name = 'regcred'): RegistrySecret {
  return new RegistrySecret(chart, `Secret-${name}`, {
    name,
    purpose: RegistryPurpose.PUSH,
    credentials: [RegistryCredentials.quayRobot('acme+builder', SecretValue.fromExternalSecret('konflux/quay-robot'))],
    delivery: SecretDelivery.externalSecret({ store: { name: 'vault' } }),
    labels,
  });
}

function objectsOf(chart: Chart, kind: string): any[] {
  return Testing.synth(chart).filter(o => o.kind === kind);
}

describe('account names (konflux-test-vectors.json names.buildPipelineServiceAccount)', () => {
  test.each(VECTORS.names.buildPipelineServiceAccount.cases as Array<{ component: string; expected: string }>)(
    'component $component -> $expected', ({ component, expected }) => {
      expect(BuildServiceAccount.serviceAccountNameFor(component)).toBe(expected);
      const chart = tenantChart();
      const account = BuildServiceAccount.forComponent(chart, 'Build', { component, secrets: [regcred(chart)] });
      expect(account.name).toBe(expected);
      expect(objectsOf(chart, 'ServiceAccount').map(o => o.metadata.name)).toEqual([expected]);
    });

  test('the longest component name whose account name is still an object name', () => {
    const component = 'a'.repeat(253 - 'build-pipeline-'.length);
    expect(BuildServiceAccount.serviceAccountNameFor(component)).toHaveLength(253);
  });
});

describe('common-secret labels (konflux-test-vectors.json buildServiceCommonSecretLabels)', () => {
  const labels = VECTORS.buildServiceCommonSecretLabels;

  test('both names, value "true"', () => {
    expect(BuildServiceAccount.commonSecretLabels()).toEqual({ [labels.new]: labels.value, [labels.old]: labels.value });
    expect(BuildServiceAccount.COMMON_SECRET_LABEL).toBe(labels.new);
    expect(BuildServiceAccount.LEGACY_COMMON_SECRET_LABEL).toBe(labels.old);
  });

  test.each([
    ['ExternalSecret', SecretDelivery.externalSecret({ store: { name: 'vault' } }), SecretValue.fromExternalSecret('konflux/robot')],
    ['Secret', SecretDelivery.plainSecret(), SecretValue.unsafePlainText('fake-token')],
  ])('label linking: the labels reach the %s, and the account itself is left to build-service', (kind, delivery, token) => {
    const chart = tenantChart();
    const secret = new RegistrySecret(chart, 'Regcred', {
      name: 'regcred',
      delivery,
      labels: BuildServiceAccount.commonSecretLabels(),
      credentials: [RegistryCredentials.quayRobot('acme+builder', token)],
    });
    const account = BuildServiceAccount.forComponent(chart, 'Build', {
      component: 'comp1', secrets: [secret], linking: KonfluxSecretLinking.COMMON_SECRET_LABEL,
    });
    expect(account.serviceAccount).toBeUndefined();
    const objects = Testing.synth(chart);
    expect(objects.map(o => o.kind)).toEqual([kind]);
    const secretLabels = kind === 'Secret' ? objects[0].metadata.labels : objects[0].spec.target.template.metadata.labels;
    expect(secretLabels).toMatchObject(BuildServiceAccount.commonSecretLabels());
  });
});

describe('partial build account', () => {
  test('holds only the name, the namespace, the Argo CD options and secrets', () => {
    const chart = tenantChart();
    BuildServiceAccount.forComponent(chart, 'Build', { component: 'comp1', secrets: [regcred(chart), regcred(chart, undefined, 'quay-push')] });
    const [account] = objectsOf(chart, 'ServiceAccount');
    expect(account).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'build-pipeline-comp1',
        namespace: 'user-ns1',
        annotations: {
          'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false,ServerSideApply=true',
          'argocd.argoproj.io/sync-wave': '0',
        },
      },
      secrets: [{ name: 'regcred' }, { name: 'quay-push' }],
    });
  });

  test('keeps the server-side-apply, prune and delete options whatever extra options are given', () => {
    const chart = tenantChart();
    BuildServiceAccount.forComponent(chart, 'Build', {
      component: 'comp1', secrets: [regcred(chart)], argoCd: { syncWave: 3, syncOptions: [ArgoCdSyncOption.of('Validate=false')] },
    });
    expect(objectsOf(chart, 'ServiceAccount')[0].metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false,ServerSideApply=true,Validate=false',
      'argocd.argoproj.io/sync-wave': '3',
    });
  });

  test('label and partial account together: both the labels are checked and the account is emitted', () => {
    const chart = tenantChart();
    BuildServiceAccount.forComponent(chart, 'Build', {
      component: 'comp1',
      secrets: [regcred(chart, BuildServiceAccount.commonSecretLabels())],
      linking: KonfluxSecretLinking.COMMON_SECRET_LABEL_AND_PARTIAL_SERVICE_ACCOUNT,
    });
    expect(objectsOf(chart, 'ServiceAccount').map(o => o.secrets)).toEqual([[{ name: 'regcred' }]]);
  });

  test('an existing secret (e.g. image-controller\'s) can be linked by name', () => {
    const chart = tenantChart();
    const existing = RegistrySecret.fromSecretName(chart, 'Existing', 'comp1-image-push', { purpose: RegistryPurpose.PUSH });
    BuildServiceAccount.forComponent(chart, 'Build', { component: 'comp1', secrets: [existing] });
    expect(objectsOf(chart, 'ServiceAccount')[0].secrets).toEqual([{ name: 'comp1-image-push' }]);
  });

  test('leaves the RoleBinding to build-service (names.buildPipelineRoleBinding)', () => {
    const chart = tenantChart();
    BuildServiceAccount.forComponent(chart, 'Build', { component: 'comp1', secrets: [regcred(chart)] });
    const { name, clusterRole } = VECTORS.names.buildPipelineRoleBinding;
    const objects = Testing.synth(chart);
    expect(objects.filter(o => o.kind === 'RoleBinding' || o.metadata.name === name || o.roleRef?.name === clusterRole)).toEqual([]);
  });

  test('is valid against the core schema, next to its secret', () => {
    const chart = tenantChart();
    BuildServiceAccount.forComponent(chart, 'Build', { component: 'comp1', secrets: [regcred(chart)] });
    expectValidManifests(Testing.synth(chart));
  });
});

describe('patch semantics (konflux-test-vectors.json serviceAccountPatchSemantics), with the real kubectl', () => {
  const cases = (PATCH.cases as any[]).map(c => [`${c.patchType}: ${JSON.stringify(c.patch)}`, c] as const);

  test.each(cases)('vector %s', (_name, vector) => {
    const type: PatchType = vector.patchType.startsWith('strategic') ? 'strategic' : 'merge';
    const patched = kubectlPatchLocal(OPERATOR_ACCOUNT, type, vector.patch);
    if (vector.expectedSecrets) {
      expect(patched.secrets).toEqual(vector.expectedSecrets);
    }
    if (vector.expectedImagePullSecrets) {
      expect(patched.imagePullSecrets).toEqual(vector.expectedImagePullSecrets);
    }
  });

  function ourPartialAccount(): any {
    const chart = tenantChart(OPERATOR_ACCOUNT.metadata.namespace);
    const component = OPERATOR_ACCOUNT.metadata.name.replace(/^build-pipeline-/, '');
    BuildServiceAccount.forComponent(chart, 'Build', { component, secrets: [regcred(chart)] });
    return objectsOf(chart, 'ServiceAccount')[0];
  }

  test('our partial account targets the operator-made one', () => {
    const ours = ourPartialAccount();
    expect(ours.metadata.name).toBe(OPERATOR_ACCOUNT.metadata.name);
    expect(ours.metadata.namespace).toBe(OPERATOR_ACCOUNT.metadata.namespace);
  });

  test('merged by name (strategic merge, what server-side apply does for a map list): the operator\'s entries stay', () => {
    const patched = kubectlPatchLocal(OPERATOR_ACCOUNT, 'strategic', ourPartialAccount());
    expect(patched.secrets).toEqual([{ name: 'regcred' }, ...OPERATOR_ACCOUNT.secrets]);
    expect(patched.imagePullSecrets).toEqual(OPERATOR_ACCOUNT.imagePullSecrets);
    expect(patched.metadata.annotations['argocd.argoproj.io/sync-options']).toBe('Delete=false,Prune=false,ServerSideApply=true');
  });

  test('applied again, nothing changes (no duplicate entry, no drift)', () => {
    const once = kubectlPatchLocal(OPERATOR_ACCOUNT, 'strategic', ourPartialAccount());
    const twice = kubectlPatchLocal(once, 'strategic', ourPartialAccount());
    expect(twice).toEqual(once);
  });

  test('an entry the operator adds later survives our next apply', () => {
    const ours = kubectlPatchLocal(OPERATOR_ACCOUNT, 'strategic', ourPartialAccount());
    const operatorAddsOne = { ...ours, secrets: [...ours.secrets, { name: 'comp2-image-pull' }] };
    expect(kubectlPatchLocal(operatorAddsOne, 'strategic', ourPartialAccount()).secrets).toEqual(operatorAddsOne.secrets);
  });

  test('a JSON merge patch of the same account would drop the operator\'s entries (why we never use one)', () => {
    const patched = kubectlPatchLocal(OPERATOR_ACCOUNT, 'merge', ourPartialAccount());
    expect(patched.secrets).toEqual([{ name: 'regcred' }]);
  });
});

describe('release account', () => {
  function managedChart(): Chart {
    return new Chart(Testing.app(), 'managed', { namespace: 'managed-ns2' });
  }

  test('a complete ServiceAccount with its push secret and the demo RoleBinding', () => {
    const chart = managedChart();
    const account = BuildServiceAccount.forRelease(chart, 'Release', { secrets: [regcred(chart)] });
    expect(account.pipeline).toBe(KonfluxPipeline.RELEASE);
    expect([account.resourceName, account.namespace]).toEqual(['release-pipeline', 'managed-ns2']);
    expect(account.linking).toBe(KonfluxSecretLinking.OWNED_SERVICE_ACCOUNT);
    const objects = Testing.synth(chart);
    expect(objects.find(o => o.kind === 'ServiceAccount')).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'release-pipeline', namespace: 'managed-ns2', annotations: { 'argocd.argoproj.io/sync-wave': '0' } },
      secrets: [{ name: 'regcred' }],
    });
    expect(objects.find(o => o.kind === 'RoleBinding')).toEqual({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'release-pipeline-resource-role-binding', namespace: 'managed-ns2', annotations: { 'argocd.argoproj.io/sync-wave': '0' } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'release-pipeline-resource-role' },
      subjects: [{ kind: 'ServiceAccount', name: 'release-pipeline', namespace: 'managed-ns2' }],
    });
    expectValidManifests(objects);
  });

  test('may list pull secrets too (nothing else writes the account) and skip the RoleBinding', () => {
    const chart = managedChart();
    const pull = RegistrySecret.fromSecretName(chart, 'Pull', 'catalog-pull');
    BuildServiceAccount.forRelease(chart, 'Release', {
      name: 'release-service-account', secrets: [regcred(chart)], imagePullSecrets: [pull], roleBinding: false,
    });
    const objects = Testing.synth(chart).filter(o => o.kind !== 'ExternalSecret');
    expect(objects).toHaveLength(1);
    expect(objects[0].metadata.name).toBe('release-service-account');
    expect(objects[0].imagePullSecrets).toEqual([{ name: 'catalog-pull' }]);
    expectValidManifests(objects);
  });

  test('is a cdk8s-plus subject: it can be bound to other roles', () => {
    const chart = managedChart();
    const account = BuildServiceAccount.forRelease(chart, 'Release', { secrets: [regcred(chart)], roleBinding: false });
    const role = kplus.ClusterRole.fromClusterRoleName(chart, 'View', 'view');
    new kplus.RoleBinding(chart, 'ViewBinding', { role }).addSubjects(account);
    const binding = Testing.synth(chart).find(o => o.kind === 'RoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'release-pipeline', namespace: 'managed-ns2' }]);
  });

  test('the emitted objects are raw: no automountServiceAccountToken claimed', () => {
    const chart = managedChart();
    const account = BuildServiceAccount.forRelease(chart, 'Release', { secrets: [regcred(chart)] });
    expect(account.serviceAccount).toBeInstanceOf(ApiObject);
    expect(account.serviceAccount!.toJson()).not.toHaveProperty('automountServiceAccountToken');
  });
});
