import { Chart, Testing } from 'cdk8s';
import {
  CloudVendor, RegistryCredentials, SecretDelivery, SecretValue, TokenGenerator,
} from '../../src';
import { ChoreoAuthType, ChoreoRegistry } from '../../src/choreo/choreo-registry';
import { validationErrorOf } from '../helpers/errors';
import { loadReferenceJson } from '../helpers/reference';

const KUBECTL = loadReferenceJson('image-reference', 'kubectl-docker-registry.json');

function kubectlCase(id: string): any {
  return KUBECTL.cases.find((c: any) => c.id === id);
}

/** The value of a `--docker-<flag>=` argument of a recorded kubectl command. */
function flag(kubectl: any, name: string): string {
  const prefix = `--docker-${name}=`;
  return kubectl.command.find((arg: string) => arg.startsWith(prefix)).slice(prefix.length);
}

function chart(): Chart {
  return new Chart(Testing.app(), 'registries', { namespace: 'acme-shop' });
}

function synthesized(scope: Chart): any[] {
  return Testing.synth(scope);
}

// Each vendor recommendation of Choreo's guide, in plain text, against what `kubectl create secret docker-registry`
// writes for the same server, username and password.
const VENDOR_CASES: Array<[string, string, (kubectl: any) => RegistryCredentials]> = [
  ['GHCR personal access token', 'ghcr-basic', k => RegistryCredentials.githubToken(flag(k, 'username'), SecretValue.unsafePlainText(flag(k, 'password')))],
  ['Docker Hub access token', 'dockerhub-default-server', k => RegistryCredentials.dockerHubToken(flag(k, 'username'), SecretValue.unsafePlainText(flag(k, 'password')))],
  ['GAR service-account key as _json_key', 'gar-json-key', k => RegistryCredentials.googleServiceAccountKey(flag(k, 'server'), SecretValue.unsafePlainText(flag(k, 'password')))],
  ['ACR service principal (a GUID username)', 'acr-token-user', k => RegistryCredentials.azureServicePrincipal(flag(k, 'server'), flag(k, 'username'), SecretValue.unsafePlainText(flag(k, 'password')))],
  ['basic authentication with an e-mail', 'ghcr-with-email', k => RegistryCredentials.basic(flag(k, 'server'), flag(k, 'username'), SecretValue.unsafePlainText(flag(k, 'password')), { email: flag(k, 'email') })],
];

describe('Choreo authentication types', () => {
  test.each(VENDOR_CASES)('%s writes the pull secret kubectl writes', (_name, id, credentialsOf) => {
    const kubectl = kubectlCase(id);
    const scope = chart();
    const registry = new ChoreoRegistry(scope, 'Pull', { credentials: credentialsOf(kubectl) });
    const [secret] = synthesized(scope);
    expect(registry.authType).toBe(ChoreoAuthType.BASIC);
    expect(registry.pullSecret?.name).toBe('pull');
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    expect(secret.data['.dockerconfigjson']).toBe(/\.dockerconfigjson: (\S+)/.exec(kubectl.secretYAML)![1]);
  });

  test('Docker config: Choreo\'s single-registry config, copied verbatim', () => {
    const kubectl = kubectlCase('from-file-keyed');
    const config = KUBECTL.inputFiles['compact-config.json'];
    const scope = chart();
    const registry = new ChoreoRegistry(scope, 'GhcrConfig', { credentials: RegistryCredentials.dockerConfigJson(SecretValue.unsafePlainText(config)) });
    expect(registry.authType).toBe(ChoreoAuthType.DOCKER_CONFIG);
    expect(registry.registry).toBe('ghcr.io');
    expect(synthesized(scope)[0].data['.dockerconfigjson']).toBe(/\.dockerconfigjson: (\S+)/.exec(kubectl.secretYAML)![1]);
  });

  test('Docker config: more than one registry or a credential helper is rejected', () => {
    const config = KUBECTL.inputFiles['sample-config.json'];
    const error = validationErrorOf(() => new ChoreoRegistry(chart(), 'Config', {
      credentials: RegistryCredentials.dockerConfigJson(SecretValue.unsafePlainText(config)),
    }));
    expect(error.message).not.toContain('ghp_exampletoken');
    expect(error.message).not.toContain('b2N0bzpnaHBfZXhhbXBsZXRva2Vu');
  });

  test('public (anonymous): only the host, no secret', () => {
    const scope = chart();
    const registry = new ChoreoRegistry(scope, 'DockerHubPublic', { credentials: RegistryCredentials.anonymous('registry.hub.docker.com') });
    expect(registry.authType).toBe(ChoreoAuthType.PUBLIC);
    expect(registry.registry).toBe('registry.hub.docker.com');
    expect(registry.pullSecret).toBeUndefined();
    expect(synthesized(scope)).toEqual([]);
  });

  test('vendor-specific: the node identity pulls, no secret', () => {
    const scope = chart();
    const registry = new ChoreoRegistry(scope, 'Acr', { credentials: RegistryCredentials.vendorManaged('acmeshop.azurecr.io', CloudVendor.AZURE) });
    expect(registry.authType).toBe(ChoreoAuthType.VENDOR_SPECIFIC);
    expect(registry.pullSecret).toBeUndefined();
    expect(synthesized(scope)).toEqual([]);
  });

  test('ECR through the External Secrets token generator', () => {
    const scope = chart();
    const registry = new ChoreoRegistry(scope, 'EcrPull', {
      credentials: RegistryCredentials.fromTokenGenerator('123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        TokenGenerator.ecr({ region: 'eu-west-1', serviceAccount: { name: 'ecr-token-minter' } })),
    });
    expect(registry.authType).toBe(ChoreoAuthType.BASIC);
    expect(synthesized(scope).map(o => `${o.kind} ${o.metadata.name}`)).toEqual([
      'ECRAuthorizationToken ecr-pull-ecrauthorizationtoken',
      'ExternalSecret ecr-pull',
    ]);
  });

  test('an external basic password becomes an ExternalSecret from the store', () => {
    const scope = chart();
    new ChoreoRegistry(scope, 'AcmeRegistry', {
      name: 'acme-pull',
      credentials: RegistryCredentials.basic('registry.acme.example', 'choreo-pull', SecretValue.fromExternalSecret('choreo/acme', { property: 'password' })),
      delivery: SecretDelivery.externalSecret({ store: { name: 'vault' } }),
    });
    const [externalSecret] = synthesized(scope);
    expect(externalSecret).toMatchObject({
      kind: 'ExternalSecret',
      metadata: { name: 'acme-pull', namespace: 'acme-shop' },
      spec: { secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' }, data: [{ remoteRef: { key: 'choreo/acme', property: 'password' } }] },
    });
  });
});

describe('bad input', () => {
  test('a static ECR password is rejected: its token expires after 12 hours', () => {
    const kubectl = kubectlCase('ecr-aws');
    const password = flag(kubectl, 'password');
    const error = validationErrorOf(() => new ChoreoRegistry(chart(), 'EcrStatic', {
      credentials: RegistryCredentials.basic(flag(kubectl, 'server'), 'AWS', SecretValue.unsafePlainText(password)),
    }));
    expect(error.message).toContain('[registries/EcrStatic] credentials:');
    expect(error.problem).toContain('expire after 12 hours');
    expect(error.fix).toContain('TokenGenerator.ecr');
    expect(error.fix).toContain('vendorManaged');
    expect(error.message).not.toContain(password);
  });

  test.each(['name', 'namespace', 'delivery', 'argoCd'])('%s is rejected for a registry without a secret', option => {
    const values: { [key: string]: unknown } = {
      name: 'hub', namespace: 'other', delivery: SecretDelivery.plainSecret(), argoCd: { syncWave: -5 },
    };
    const error = validationErrorOf(() => new ChoreoRegistry(chart(), 'Public', {
      credentials: RegistryCredentials.anonymous('registry.hub.docker.com'),
      [option]: values[option],
    }));
    expect(error.property).toBe(option);
    expect(error.fix).toBe(`remove "${option}"`);
  });
});
