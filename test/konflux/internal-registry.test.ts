import { Chart, Testing } from 'cdk8s';
import { SecretValue } from '../../src/credentials/secret-value';
import { SecretDelivery } from '../../src/delivery/secret-delivery';
import { KonfluxInternalRegistry } from '../../src/konflux/internal-registry';
import { RegistryPurpose, RegistrySecret } from '../../src/registry-secret';
import { DockerConfig } from '../../src/values/docker-config';
import { KubeletKeyring } from '../../src/values/kubelet-keyring';
import { expectValidManifests } from '../helpers/manifest-checker';
import { loadReferenceJson } from '../helpers/reference';

const VECTORS = loadReferenceJson('konflux', 'konflux-test-vectors.json');
const INTERNAL = VECTORS.dockerconfigjson.internalRegistry;
const DEMO_REPOSITORY = VECTORS.releasePlanAdmission.demo.spec.data.mapping.components[0].repositories[0].url;

test('the operator\'s names (konflux-test-vectors.json dockerconfigjson.internalRegistry)', () => {
  expect(KonfluxInternalRegistry.HOST).toBe(INTERNAL.authKey);
  expect(KonfluxInternalRegistry.USERNAME).toBe(INTERNAL.username);
  expect(`${KonfluxInternalRegistry.NAMESPACE}/${KonfluxInternalRegistry.CLIENT_AUTH_SECRET}`).toBe(INTERNAL.sourceSecret);
  expect(`${KonfluxInternalRegistry.DEFAULT_TENANT_NAMESPACE}/${KonfluxInternalRegistry.TENANT_SECRET_NAME}`).toBe(INTERNAL.tenantCopy);
});

describe('basicAuth', () => {
  const chart = new Chart(Testing.app(), 'tenant', { namespace: 'user-ns1' });
  new RegistrySecret(chart, 'Internal', { name: 'regcred-internal-registry', credentials: KonfluxInternalRegistry.basicAuth(SecretValue.unsafePlainText('generated-password')) });
  const [secret] = Testing.synth(chart);
  const config = DockerConfig.fromJson(Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString('utf8'));

  test('auth is base64(konflux:<password>) as the operator writes it, for both in-cluster host names', () => {
    const decoded = JSON.parse(config.toJson());
    const auth = Buffer.from('konflux:generated-password').toString('base64');
    expect(Object.keys(decoded.auths)).toEqual([KonfluxInternalRegistry.HOST, KonfluxInternalRegistry.CLUSTER_LOCAL_HOST]);
    expect(decoded.auths[INTERNAL.authKey].auth).toBe(auth);
    expect(decoded.auths[KonfluxInternalRegistry.CLUSTER_LOCAL_HOST].auth).toBe(auth);
    expectValidManifests([secret]);
  });

  test.each([
    [DEMO_REPOSITORY, KonfluxInternalRegistry.HOST],
    [`${KonfluxInternalRegistry.CLUSTER_LOCAL_HOST}/user-ns1/app:latest`, KonfluxInternalRegistry.CLUSTER_LOCAL_HOST],
  ])('the kubelet finds a credential for %s', (image, key) => {
    expect(new KubeletKeyring([config]).lookup(image)).toEqual([key]);
  });

  test('the host-side name localhost:5001 is not an in-cluster key', () => {
    expect(new KubeletKeyring([config]).lookup(`${KonfluxInternalRegistry.LOCALHOST}/user-ns1/app`)).toEqual([]);
  });
});

test('credentialsFromClientAuthSecret reads the operator\'s Secret through External Secrets', () => {
  const chart = new Chart(Testing.app(), 'managed', { namespace: 'managed-ns2' });
  new RegistrySecret(chart, 'Internal', {
    name: 'regcred-internal-registry',
    purpose: RegistryPurpose.PUSH,
    credentials: [KonfluxInternalRegistry.credentialsFromClientAuthSecret()],
    delivery: SecretDelivery.externalSecret({ store: { name: 'kind-registry' } }),
  });
  const [external] = Testing.synth(chart);
  expect(external.spec.data).toEqual([{
    secretKey: '.dockerconfigjson',
    remoteRef: { key: KonfluxInternalRegistry.CLIENT_AUTH_SECRET, property: '.dockerconfigjson' },
  }]);
  expect(external.spec.target.template.type).toBe('kubernetes.io/dockerconfigjson');
  expectValidManifests([external]);
});

test('tenantSecret refers to the operator\'s copy in default-tenant', () => {
  const chart = new Chart(Testing.app(), 'tenant');
  const secret = KonfluxInternalRegistry.tenantSecret(chart, 'Copy');
  expect([secret.namespace, secret.name, secret.registries, secret.purpose])
    .toEqual(['default-tenant', 'regcred-internal-registry', [INTERNAL.authKey], RegistryPurpose.PULL_AND_PUSH]);
  expect(Testing.synth(chart)).toEqual([]);
});
