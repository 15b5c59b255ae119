import { Duration } from 'cdk8s';
import { CloudVendor, RegistryAuthType, RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue, SecretValueSource } from '../../src/credentials/secret-value';
import { TokenGenerator } from '../../src/credentials/token-generator';
import { loadReferenceJson } from '../helpers/reference';
import { loadSealedSecretVectors } from '../helpers/unseal';

const KUBECTL_FILES: { [file: string]: string } = loadReferenceJson('image-reference', 'kubectl-docker-registry.json').inputFiles;
const SA_KEY = KUBECTL_FILES['sa-key.json'];
const SEALED = loadSealedSecretVectors().vectors[0].ciphertextBase64;
const plain = SecretValue.unsafePlainText;

describe('credentials without a Secret', () => {
  test('anonymous declares only the host', () => {
    const c = RegistryCredentials.anonymous('registry.hub.docker.com');
    expect([c.authType, c.registry, c.requiresSecret, c.username, c.valueSources])
      .toEqual([RegistryAuthType.ANONYMOUS, 'registry.hub.docker.com', false, undefined, []]);
  });

  test.each([
    [CloudVendor.AZURE, 'acme.azurecr.io'],
    [CloudVendor.AZURE, 'acme.azurecr.cn'],
    [CloudVendor.GOOGLE, 'europe-west1-docker.pkg.dev'],
    [CloudVendor.GOOGLE, 'gcr.io'],
    [CloudVendor.GOOGLE, 'eu.gcr.io'],
    [CloudVendor.AWS, '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
    [CloudVendor.AWS, '123456789012.dkr.ecr-fips.us-east-1.amazonaws.com'],
    [CloudVendor.AWS, '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn'],
  ])('vendor-managed %s %s needs no Secret', (vendor, host) => {
    const c = RegistryCredentials.vendorManaged(host, vendor);
    expect([c.authType, c.registry, c.requiresSecret, c.valueSources]).toEqual([RegistryAuthType.VENDOR_MANAGED, host, false, []]);
  });
});

describe('credentials carried by a Secret', () => {
  test('basic: username, password and email as given', () => {
    const password = plain('s3cr3t');
    const c = RegistryCredentials.basic('registry.example.com:5000/team', 'robot', password, { email: 'ops@example.com' });
    expect([c.authType, c.registry, c.requiresSecret, c.username]).toEqual([RegistryAuthType.BASIC, 'registry.example.com:5000/team', true, 'robot']);
    expect(c._parts).toEqual({ username: 'robot', password, email: 'ops@example.com' });
    expect(c.valueSources).toEqual([SecretValueSource.PLAIN_TEXT]);
  });

  test('a whole plain-text Docker config takes its registry from the config', () => {
    const config = plain(KUBECTL_FILES['compact-config.json']);
    const c = RegistryCredentials.dockerConfigJson(config);
    expect([c.authType, c.registry, c.username, c._parts.dockerConfig]).toEqual([RegistryAuthType.DOCKER_CONFIG, 'ghcr.io', undefined, config]);
    expect(RegistryCredentials.dockerConfigJson(config, { registry: 'ghcr.io' }).registry).toBe('ghcr.io');
  });

  test.each([
    ['sealed', SecretValue.sealed(SEALED), SecretValueSource.SEALED],
    ['external', SecretValue.fromExternalSecret('registry/docker-config'), SecretValueSource.EXTERNAL],
  ])('a whole %s Docker config takes its registry from the options', (_name, config, source) => {
    const c = RegistryCredentials.dockerConfigJson(config, { registry: 'quay.io' });
    expect([c.registry, c.valueSources]).toEqual(['quay.io', [source]]);
  });

  test('Google service-account key: username _json_key, the key JSON as password', () => {
    const key = plain(SA_KEY);
    const c = RegistryCredentials.googleServiceAccountKey('us-docker.pkg.dev', key);
    expect([c.authType, c.registry, c.username]).toEqual([RegistryAuthType.GOOGLE_SERVICE_ACCOUNT_KEY, 'us-docker.pkg.dev', '_json_key']);
    expect(c._parts).toEqual({ username: '_json_key', password: key, base64Password: undefined });
  });

  test('Google service-account key, base64 variant: username _json_key_base64, encoded by the delivery', () => {
    const c = RegistryCredentials.googleServiceAccountKey('europe-west1-docker.pkg.dev', plain(SA_KEY), { base64: true });
    expect([c.username, c._parts.base64Password]).toEqual(['_json_key_base64', true]);
  });

  test('a sealed or external Google key is checked in the cluster, not now', () => {
    expect(RegistryCredentials.googleServiceAccountKey('gcr.io', SecretValue.fromExternalSecret('gcp/key')).valueSources)
      .toEqual([SecretValueSource.EXTERNAL]);
    expect(RegistryCredentials.googleServiceAccountKey('gcr.io', SecretValue.sealed(SEALED)).valueSources)
      .toEqual([SecretValueSource.SEALED]);
  });

  test('Azure service principal: the client id (lowercased) as username', () => {
    const c = RegistryCredentials.azureServicePrincipal('acme.azurecr.io', 'AABBCCDD-1111-2222-3333-444455556666', plain('sp-secret'));
    expect([c.authType, c.registry, c.username]).toEqual([RegistryAuthType.AZURE_SERVICE_PRINCIPAL, 'acme.azurecr.io', 'aabbccdd-1111-2222-3333-444455556666']);
  });

  test('GitHub token: ghcr.io unless another registry is given', () => {
    expect(RegistryCredentials.githubToken('octo', plain('ghp_x')).registry).toBe('ghcr.io');
    expect(RegistryCredentials.githubToken('octo', plain('ghp_x'), { registry: 'ghcr.io/acme' }).registry).toBe('ghcr.io/acme');
    expect(RegistryCredentials.githubToken('octo', plain('ghp_x')).authType).toBe(RegistryAuthType.GITHUB_TOKEN);
  });

  test('Docker Hub token: the key every tool matches for Docker Hub images', () => {
    const c = RegistryCredentials.dockerHubToken('acme', plain('dckr_pat_x'));
    expect([c.authType, c.registry, c.username]).toEqual([RegistryAuthType.DOCKER_HUB_TOKEN, 'https://index.docker.io/v1/', 'acme']);
  });

  test('Quay robot: quay.io unless another registry is given', () => {
    const c = RegistryCredentials.quayRobot('acme+deployer', plain('ROBOTTOKEN'));
    expect([c.authType, c.registry, c.username]).toEqual([RegistryAuthType.QUAY_ROBOT, 'quay.io', 'acme+deployer']);
    expect(RegistryCredentials.quayRobot('acme+deployer', plain('t'), { registry: 'quay.example.com' }).registry).toBe('quay.example.com');
  });
});

describe('token-generator credentials', () => {
  const ecr = TokenGenerator.ecr({ region: 'eu-west-1', serviceAccount: { name: 'puller' } });

  test.each([
    ['ECR', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', ecr, 6 * 3600],
    ['GCR', 'europe-west1-docker.pkg.dev', TokenGenerator.gcr({ projectId: 'p', serviceAccountKey: { name: 's', key: 'k' } }), 1800],
    ['ACR', 'acme.azurecr.io', TokenGenerator.acr('acme.azurecr.io', { workloadIdentity: { name: 's' } }), 5400],
    ['Quay', 'quay.io', TokenGenerator.quay('quay.io', { robotAccount: 'acme+puller', serviceAccount: { name: 's' } }), 1800],
  ])('%s refreshes at half the token lifetime by default', (_name, registry, generator, refresh) => {
    const c = RegistryCredentials.fromTokenGenerator(registry, generator);
    expect([c.authType, c.registry, c.requiresSecret, c.valueSources, c.username])
      .toEqual([RegistryAuthType.TOKEN_GENERATOR, registry, true, [], undefined]);
    expect(c._parts.generator).toBe(generator);
    expect(c._parts.refreshInterval!.toSeconds()).toBe(refresh);
  });

  test('a shorter refresh interval is kept, and exactly half the lifetime is allowed', () => {
    expect(RegistryCredentials.fromTokenGenerator('123456789012.dkr.ecr.eu-west-1.amazonaws.com', ecr, { refreshInterval: Duration.hours(1) })
      ._parts.refreshInterval!.toSeconds()).toBe(3600);
    expect(RegistryCredentials.fromTokenGenerator('123456789012.dkr.ecr.eu-west-1.amazonaws.com', ecr, { refreshInterval: Duration.hours(6) })
      ._parts.refreshInterval!.toSeconds()).toBe(6 * 3600);
  });
});
