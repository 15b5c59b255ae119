import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { validationErrorOf } from './helpers/errors';
import { leaks } from './helpers/leaks';
import { CloudVendor, RegistryCredentials } from '../src/credentials/registry-credentials';
import { SecretValue } from '../src/credentials/secret-value';
import { TokenGenerator } from '../src/credentials/token-generator';
import { SealingKey, SealingScope, SealingSeed } from '../src/delivery/sealing';
import { SecretDelivery, SecretDeliveryKind } from '../src/delivery/secret-delivery';
import { PURPOSE_LABEL, REGISTRIES_ANNOTATION, RegistryPurpose, RegistrySecret, RegistrySecretProps } from '../src/registry-secret';
import { checkManifests, expectValidManifests } from './helpers/manifest-checker';
import { loadReferenceJson } from './helpers/reference';
import { externalSecretData, sealedSecretData } from './helpers/secret-controllers';
import { loadSealedSecretVectors, vectorPrivateKey } from './helpers/unseal';

const KUBECTL_FILES: { [file: string]: string } = loadReferenceJson('image-reference', 'kubectl-docker-registry.json').inputFiles;
const VECTORS = loadSealedSecretVectors();
const PRIVATE_KEY = vectorPrivateKey();
const SEALING_KEY = SealingKey.fromCertificate(VECTORS.testKey.certificatePem, {
  deterministicSeed: SealingSeed.fromString('registry-secret-test-seed-0123456789abcdef'),
});
const STRICT_TEAM_A = { scope: SealingScope.STRICT, namespace: 'team-a', name: 'regcred' };

const plain = SecretValue.unsafePlainText;
const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/** A chart in `namespace`; `null` for a chart without a namespace. */
function chartIn(namespace: string | null = 'team-a'): Chart {
  return new Chart(Testing.app(), 'test', { namespace: namespace ?? undefined });
}

function synthOne(props: RegistrySecretProps, namespace: string | null = 'team-a'): any[] {
  const chart = chartIn(namespace);
  new RegistrySecret(chart, 'Regcred', { name: 'regcred', ...props });
  return Testing.synth(chart);
}

/** A Google service-account key JSON that carries `secret` as its private key. */
function saKey(secret: string): string {
  return JSON.stringify({ type: 'service_account', project_id: 'acme', private_key: secret, client_email: 'puller@acme.iam.gserviceaccount.com' });
}

function synthYaml(build: (chart: Chart) => void): string {
  const app = new App({ outdir: '/nonexistent-never-written' });
  build(new Chart(app, 'test', { namespace: 'team-a' }));
  return app.synthYaml();
}

// ---------------------------------------------------------------------------------------------------------------

describe('RegistrySecret', () => {
  test.each([
    ['GhcrPull', 'ghcr-pull'],
    ['pull_secret', 'pull-secret'],
    ['Quay.Robot', 'quay.robot'],
    ['ACRPull2', 'acrpull2'],
  ])('the default name of %s is %s', (id, name) => {
    const chart = chartIn();
    const secret = new RegistrySecret(chart, id, { credentials: [RegistryCredentials.githubToken('octo', plain('t'))] });
    expect(secret.name).toBe(name);
    expect(Testing.synth(chart)[0].metadata.name).toBe(name);
  });

  test('exposes its name, namespace, registries, purpose and delivery', () => {
    const chart = chartIn('build-ns');
    const secret = new RegistrySecret(chart, 'Push', {
      name: 'push-creds',
      credentials: [RegistryCredentials.quayRobot('acme+pusher', plain('q')), RegistryCredentials.githubToken('octo', plain('g'))],
      purpose: RegistryPurpose.PUSH,
      labels: { team: 'a' },
      annotations: { 'example.com/owner': 'platform' },
    });
    expect([secret.name, secret.namespace, secret.registries, secret.purpose, secret.deliveryKind])
      .toEqual(['push-creds', 'build-ns', ['quay.io', 'ghcr.io'], RegistryPurpose.PUSH, SecretDeliveryKind.PLAIN_SECRET]);
    expect([secret.apiVersion, secret.kind, secret.apiGroup, secret.resourceType, secret.resourceName]).toEqual(['v1', 'Secret', '', 'secrets', 'push-creds']);
    const [object] = Testing.synth(chart);
    expect(object.metadata.labels).toEqual({ team: 'a', [PURPOSE_LABEL]: 'push' });
    expect(object.metadata.annotations).toEqual({
      'example.com/owner': 'platform',
      [REGISTRIES_ANNOTATION]: 'ghcr.io,quay.io',
      'argocd.argoproj.io/sync-wave': '-1',
    });
    expect(secret.apiObject.kind).toBe('Secret');
  });

  test('an explicit namespace wins over the chart\'s', () => {
    const objects = synthOne({ namespace: 'other', credentials: [RegistryCredentials.githubToken('octo', plain('t'))] });
    expect(objects[0].metadata.namespace).toBe('other');
  });

  test.each([
    ['plain-text values', [RegistryCredentials.githubToken('octo', plain('t'))], SecretDeliveryKind.PLAIN_SECRET, 'Secret'],
    ['pre-sealed values', [RegistryCredentials.githubToken('octo', SecretValue.sealed(VECTORS.vectors[3].ciphertextBase64))], SecretDeliveryKind.SEALED_SECRET, 'SealedSecret'],
    ['a token generator', [RegistryCredentials.fromTokenGenerator('123456789012.dkr.ecr.eu-west-1.amazonaws.com', TokenGenerator.ecr({ region: 'eu-west-1' }))],
      SecretDeliveryKind.EXTERNAL_SECRET, 'ExternalSecret'],
  ])('without a delivery, %s choose it', (_name, credentials, kind, objectKind) => {
    const chart = chartIn();
    const secret = new RegistrySecret(chart, 'Regcred', { credentials });
    expect(secret.deliveryKind).toBe(kind);
    expect(secret.apiObject.kind).toBe(objectKind);
  });

  describe('RegistrySecret.fromSecretName', () => {
    test('references a Secret that exists and emits nothing', () => {
      const chart = chartIn();
      const ref = RegistrySecret.fromSecretName(chart, 'Existing', 'quay-push', { registries: ['quay.io'], purpose: RegistryPurpose.PUSH });
      expect([ref.name, ref.namespace, ref.registries, ref.purpose, ref.kind, ref.apiVersion, ref.resourceName])
        .toEqual(['quay-push', 'team-a', ['quay.io'], RegistryPurpose.PUSH, 'Secret', 'v1', 'quay-push']);
      expect(Testing.synth(chart)).toEqual([]);
    });

    test('defaults: pull, registries unknown, the chart namespace unless given', () => {
      const chart = chartIn();
      const ref = RegistrySecret.fromSecretName(chart, 'Existing', 'regcred', { namespace: 'other' });
      expect([ref.namespace, ref.registries, ref.purpose]).toEqual(['other', [], RegistryPurpose.PULL]);
    });
  });
});

describe('with cdk8s-plus-28 workloads', () => {
  test('as a Deployment\'s dockerRegistryAuth: the pod pulls with it', () => {
    const chart = chartIn();
    const secret = new RegistrySecret(chart, 'Regcred', { credentials: [RegistryCredentials.dockerHubToken('acme', SecretValue.sealed(VECTORS.vectors[3].ciphertextBase64))] });
    new kplus.Deployment(chart, 'Web', {
      dockerRegistryAuth: secret,
      containers: [{ image: 'docker.io/library/nginx:1.25', securityContext: { ensureNonRoot: false }, portNumber: 80 }],
    });
    const objects = Testing.synth(chart);
    const deployment = objects.find(o => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expectValidManifests(objects);
  });

  test('a reference to an existing Secret works the same', () => {
    const chart = chartIn();
    new kplus.Job(chart, 'Task', {
      dockerRegistryAuth: RegistrySecret.fromSecretName(chart, 'Existing', 'byoi-pull'),
      containers: [{ image: 'ghcr.io/acme/task:1', securityContext: { ensureNonRoot: false } }],
    });
    expect(Testing.synth(chart)[0].spec.template.spec.imagePullSecrets).toEqual([{ name: 'byoi-pull' }]);
  });

  test('in a ServiceAccount\'s secrets', () => {
    const chart = chartIn();
    const push = new RegistrySecret(chart, 'Push', { name: 'regcred', credentials: [RegistryCredentials.quayRobot('acme+pusher', plain('q'))], purpose: RegistryPurpose.PUSH });
    const sa = new kplus.ServiceAccount(chart, 'Builder', { metadata: { name: 'build-pipeline-app' }, secrets: [push] });
    sa.addSecret(RegistrySecret.fromSecretName(chart, 'Existing', 'appstudio-pipeline-dockercfg'));
    const objects = Testing.synth(chart);
    expect(objects.find(o => o.kind === 'ServiceAccount').secrets).toEqual([{ name: 'regcred' }, { name: 'appstudio-pipeline-dockercfg' }]);
    expectValidManifests(objects);
  });

  test('envValue reads a key of the Secret', () => {
    const chart = chartIn();
    const secret = new RegistrySecret(chart, 'Regcred', { credentials: [RegistryCredentials.githubToken('octo', plain('t'))] });
    // The image is public: the Secret is read as a file, not pulled with (the app's pull check would flag it otherwise).
    new kplus.Deployment(chart, 'App', {
      containers: [{ image: 'docker.io/acme/app:1', securityContext: { ensureNonRoot: false }, envVariables: { DOCKER_CONFIG_JSON: secret.envValue('.dockerconfigjson') } }],
    });
    const container = Testing.synth(chart).find(o => o.kind === 'Deployment').spec.template.spec.containers[0];
    expect(container.env).toEqual([{ name: 'DOCKER_CONFIG_JSON', valueFrom: { secretKeyRef: { key: '.dockerconfigjson', name: 'regcred' } } }]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Must show (1): no delivery but the plain one puts the password, its base64 or base64(user:password) in the YAML;
// no error message ever holds them.

/** One generated credential: how to build it from a value, its username and the secret that must not leak. */
interface Generated {
  readonly kind: string;
  readonly username: string;
  readonly secret: string;
  readonly password: string;
  readonly build: (value: SecretValue) => RegistryCredentials;
}

const secretText = fc.string({
  unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '<', '&', '{{', 'é', '🐳', ' ', ':'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })),
  minLength: 12,
  maxLength: 60,
}).filter(s => s.trim().length >= 12 && !s.includes('\u0000'));
const usernameText = fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/);

const generated: fc.Arbitrary<Generated> = fc.tuple(fc.constantFrom('basic', 'github', 'dockerhub', 'quay', 'acr', 'gar', 'gar-base64'), usernameText, secretText)
  .map(([kind, username, secret]): Generated => {
    switch (kind) {
      case 'basic':
        return { kind, username, secret, password: secret, build: v => RegistryCredentials.basic('registry.example.com:5000', username, v, { email: `${username}@example.com` }) };
      case 'github':
        return { kind, username, secret, password: secret, build: v => RegistryCredentials.githubToken(username, v) };
      case 'dockerhub':
        return { kind, username, secret, password: secret, build: v => RegistryCredentials.dockerHubToken(username, v) };
      case 'quay':
        return { kind, username: 'acme+deployer', secret, password: secret, build: v => RegistryCredentials.quayRobot('acme+deployer', v) };
      case 'acr':
        return { kind, username: '00000000-0000-0000-0000-0000000000aa', secret, password: secret, build: v => RegistryCredentials.azureServicePrincipal('acme.azurecr.io', '00000000-0000-0000-0000-0000000000aa', v) };
      case 'gar':
        return { kind, username: '_json_key', secret, password: saKey(secret), build: v => RegistryCredentials.googleServiceAccountKey('europe-west1-docker.pkg.dev', v) };
      default:
        return { kind, username: '_json_key_base64', secret, password: saKey(secret), build: v => RegistryCredentials.googleServiceAccountKey('us-docker.pkg.dev', v, { base64: true }) };
    }
  });

type DeliveryCase = [string, (g: Generated) => (chart: Chart) => void];

const GITOPS_DELIVERIES: DeliveryCase[] = [
  ...[SealingScope.STRICT, SealingScope.NAMESPACE_WIDE, SealingScope.CLUSTER_WIDE].map((scope): DeliveryCase => [
    `SealedSecret sealed at synth (${scope})`,
    g => chart => new RegistrySecret(chart, 'Regcred', { name: 'regcred', credentials: [g.build(plain(g.password))], delivery: SecretDelivery.sealedSecret({ sealingKey: SEALING_KEY, scope }) }),
  ]),
  ['SealedSecret from pre-sealed values', g => chart => new RegistrySecret(chart, 'Regcred', {
    name: 'regcred', credentials: [g.build(SecretValue.sealed(SEALING_KEY.seal(g.password, STRICT_TEAM_A), STRICT_TEAM_A))],
  })],
  ['ExternalSecret from a store', g => chart => new RegistrySecret(chart, 'Regcred', {
    name: 'regcred',
    credentials: [g.build(SecretValue.fromExternalSecret('registry/creds', { property: 'password' }))],
    delivery: SecretDelivery.externalSecret({ store: { name: 'vault' } }),
  })],
  ['a reference to an existing Secret', () => chart => RegistrySecret.fromSecretName(chart, 'Regcred', 'regcred')],
];

describe('Must show (1): no credential in the synthesized YAML, for every delivery but the plain one', () => {
  test.each(GITOPS_DELIVERIES)('%s', (_name, delivery) => {
    fc.assert(fc.property(generated, g => {
      const yaml = synthYaml(delivery(g));
      expect(leaks(yaml, g.username, g.secret)).toEqual([]);
      expect(leaks(yaml, g.username, g.password)).toEqual([]);
    }), { numRuns: 40 });
  });

  test('the detector finds the credential in the plain delivery (so the check above can fail)', () => {
    fc.assert(fc.property(generated, g => {
      const yaml = synthYaml(chart => new RegistrySecret(chart, 'Regcred', { credentials: [g.build(plain(g.password))] }));
      expect(leaks(yaml, g.username, g.secret)).not.toEqual([]);
    }), { numRuns: 40 });
  });

  test('the detector finds a password base64-encoded at any offset', () => {
    expect(leaks(`x: ${base64('{"a":"hunter2-hunter2"}')}`, 'u', 'hunter2-hunter2')).toContain('hunter2-hunter2');
    expect(leaks(`x: "${JSON.stringify('line\nbreak-secret')}"`, 'u', 'line\nbreak-secret')).not.toEqual([]);
  });
});

describe('Must show (1): no error message holds the credential', () => {
  type Trigger = [string, (g: Generated) => unknown];
  const triggers: Trigger[] = [
    ['a registry that is no host', g => RegistryCredentials.basic('not a host!', g.username, plain(g.password))],
    ['a username with ":"', g => RegistryCredentials.basic('ghcr.io', `${g.username}:x`, plain(g.password))],
    ['the password passed to SecretValue.sealed', g => SecretValue.sealed(g.password)],
    ['the secret passed to SecretValue.sealed', g => SecretValue.sealed(g.secret)],
    ['the password as a Google key', g => RegistryCredentials.googleServiceAccountKey('us-docker.pkg.dev', plain(g.secret))],
    ['the password as a Docker config', g => RegistryCredentials.dockerConfigJson(plain(g.secret))],
    ['a Docker config with two registries', g => RegistryCredentials.dockerConfigJson(plain(JSON.stringify({
      auths: { 'ghcr.io': { username: g.username, password: g.password }, 'quay.io': { auth: base64(`${g.username}:${g.password}`) } },
    })))],
    ['a Docker config with credHelpers', g => RegistryCredentials.dockerConfigJson(plain(JSON.stringify({
      auths: { 'ghcr.io': { username: g.username, password: g.password, auth: base64(`${g.username}:${g.password}`) } }, credHelpers: { 'gcr.io': 'gcloud' },
    })))],
    ['a Docker config whose auth disagrees', g => RegistryCredentials.dockerConfigJson(plain(JSON.stringify({
      auths: { 'ghcr.io': { username: g.username, password: g.password, auth: base64(`${g.username}:x${g.password}`) } },
    })))],
    ['a Docker config with an auth that is not base64', g => RegistryCredentials.dockerConfigJson(plain(JSON.stringify({ auths: { 'ghcr.io': { auth: `${g.secret}!` } } })))],
    ['plain text to seal without a key', g => new RegistrySecret(chartIn(), 'R', { credentials: [g.build(plain(g.password))], delivery: SecretDelivery.sealedSecret() })],
    ['strict sealing without a namespace', g => new RegistrySecret(chartIn(null), 'R', {
      credentials: [g.build(plain(g.password))], delivery: SecretDelivery.sealedSecret({ sealingKey: SEALING_KEY }),
    })],
    ['mixed kinds', g => new RegistrySecret(chartIn(), 'R', {
      credentials: [g.build(plain(g.password)), RegistryCredentials.basic('other.example.com', g.username, SecretValue.fromExternalSecret('k'))],
    })],
    ['plain and pre-sealed in one SealedSecret', g => new RegistrySecret(chartIn(), 'R', {
      credentials: [g.build(plain(g.password)), RegistryCredentials.basic('other.example.com', g.username, SecretValue.sealed(VECTORS.vectors[3].ciphertextBase64))],
      delivery: SecretDelivery.sealedSecret({ sealingKey: SEALING_KEY }),
    })],
    ['plain text for the ExternalSecret delivery', g => new RegistrySecret(chartIn(), 'R', {
      credentials: [g.build(plain(g.password))], delivery: SecretDelivery.externalSecret({ store: { name: 'vault' } }),
    })],
    ['the same registry twice', g => new RegistrySecret(chartIn(), 'R', { credentials: [g.build(plain(g.password)), g.build(plain(g.password))] })],
    ['an invalid Secret name', g => new RegistrySecret(chartIn(), 'R', { name: `Bad_${g.username}`, credentials: [g.build(plain(g.password))] })],
    ['an anonymous registry next to it', g => new RegistrySecret(chartIn(), 'R', {
      credentials: [g.build(plain(g.password)), RegistryCredentials.anonymous('registry.hub.docker.com')],
    })],
  ];

  test.each(triggers)('%s', (_name, trigger) => {
    fc.assert(fc.property(generated, g => {
      const error = validationErrorOf(() => trigger(g));
      const shown = [error.message, String(error), error.stack ?? '', error.shownValue, error.problem, error.fix, JSON.stringify(error)].join('\n');
      expect(leaks(shown, g.username, g.secret)).toEqual([]);
      expect(leaks(shown, g.username, g.password)).toEqual([]);
    }), { numRuns: 15 });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Must show (3): every vendor factory's output, through every delivery that can carry it, validates strictly
// against the real CRDs (and the core schemas for plain Secrets).

describe('Must show (3): every factory and delivery validates against the real schemas', () => {
  const factories: Array<[string, (v: SecretValue) => RegistryCredentials, string]> = [
    ['basic', v => RegistryCredentials.basic('registry.example.com:5000', 'robot', v, { email: 'ops@example.com' }), 'p@ss"w\\rd'],
    ['Docker config JSON', v => RegistryCredentials.dockerConfigJson(v, { registry: 'ghcr.io' }), KUBECTL_FILES['compact-config.json']],
    ['Google service-account key', v => RegistryCredentials.googleServiceAccountKey('europe-west1-docker.pkg.dev', v), KUBECTL_FILES['sa-key.json']],
    ['Google service-account key, base64', v => RegistryCredentials.googleServiceAccountKey('us-docker.pkg.dev', v, { base64: true }), KUBECTL_FILES['sa-key.json']],
    ['Azure service principal', v => RegistryCredentials.azureServicePrincipal('acme.azurecr.io', '11111111-2222-3333-4444-555555555555', v), 'sp-secret'],
    ['GitHub token', v => RegistryCredentials.githubToken('octo', v), 'ghp_fake'],
    ['Docker Hub token', v => RegistryCredentials.dockerHubToken('acme', v), 'dckr_pat_fake'],
    ['Quay robot', v => RegistryCredentials.quayRobot('acme+deployer', v), 'ROBOTTOKEN'],
  ];
  const generators: Array<[string, RegistryCredentials]> = [
    ['ECR with IRSA', RegistryCredentials.fromTokenGenerator('123456789012.dkr.ecr.eu-west-1.amazonaws.com', TokenGenerator.ecr({ region: 'eu-west-1', serviceAccount: { name: 'ecr-puller', audiences: ['sts.amazonaws.com'] } }))],
    ['GCR workload identity', RegistryCredentials.fromTokenGenerator('europe-west1-docker.pkg.dev', TokenGenerator.gcr({ projectId: 'acme', workloadIdentity: { serviceAccount: { name: 'gcr-puller' }, clusterLocation: 'europe-west1', clusterName: 'prod' } }))],
    ['ACR workload identity', RegistryCredentials.fromTokenGenerator('acme.azurecr.io', TokenGenerator.acr('acme.azurecr.io', { workloadIdentity: { name: 'acr-puller' } }))],
    ['Quay robot federation', RegistryCredentials.fromTokenGenerator('quay.io', TokenGenerator.quay('quay.io', { robotAccount: 'acme+puller', serviceAccount: { name: 'quay-fed' } }))],
  ];

  function synthAll(build: (chart: Chart, name: string, index: number) => void, count: number): any[] {
    const chart = chartIn();
    for (let i = 0; i < count; i++) {
      build(chart, `secret-${i}`, i);
    }
    return Testing.synth(chart);
  }

  type PropsOf = (name: string, factory: typeof factories[number]) => RegistrySecretProps;
  const deliveries: Array<[string, string, PropsOf]> = [
    ['plain Secret', 'Secret', (name, [, build, password]) => ({ name, credentials: [build(plain(password))] })],
    ...[SealingScope.STRICT, SealingScope.NAMESPACE_WIDE, SealingScope.CLUSTER_WIDE].map((scope): [string, string, PropsOf] => [
      `SealedSecret sealed at synth (${scope})`, 'SealedSecret',
      (name, [, build, password]) => ({
        name, credentials: [build(plain(password))], delivery: SecretDelivery.sealedSecret({ sealingKey: SEALING_KEY, scope }),
      }),
    ]),
    ['SealedSecret from pre-sealed values', 'SealedSecret', (name, [, build, password]) => ({
      name, credentials: [build(SecretValue.sealed(SEALING_KEY.seal(password, { scope: SealingScope.STRICT, namespace: 'team-a', name })))],
    })],
    ['ExternalSecret from a ClusterSecretStore', 'ExternalSecret', (name, [, build]) => ({
      name, credentials: [build(SecretValue.fromExternalSecret(`registry/${name}`, { property: 'password' }))], delivery: SecretDelivery.externalSecret({ store: { name: 'vault' } }),
    })],
  ];

  test.each(deliveries)('%s: every factory', (_name, kind, props) => {
    const objects = synthAll((chart, name, i) => new RegistrySecret(chart, `R${i}`, props(name, factories[i])), factories.length);
    expect(objects.map(o => o.kind)).toEqual(factories.map(() => kind));
    expectValidManifests(objects);
  });

  test('ExternalSecret with every token generator (and the generator resources)', () => {
    const objects = synthAll((chart, name, i) => new RegistrySecret(chart, `R${i}`, { name, credentials: [generators[i][1]] }), generators.length);
    expect(objects.map(o => o.kind)).toEqual(['ECRAuthorizationToken', 'ExternalSecret', 'GCRAccessToken', 'ExternalSecret', 'ACRAccessToken', 'ExternalSecret', 'QuayAccessToken', 'ExternalSecret']);
    expectValidManifests(objects);
  });

  test('the strict check rejects an unknown field in an ExternalSecret and a SealedSecret', () => {
    const es = synthOne({ credentials: [RegistryCredentials.githubToken('octo', SecretValue.fromExternalSecret('k'))], delivery: SecretDelivery.externalSecret({ store: { name: 'vault' } }) })[0];
    es.spec.target.template.engineVerison = 'v2';
    const ss = synthOne({ credentials: [RegistryCredentials.githubToken('octo', plain('t'))], delivery: SecretDelivery.sealedSecret({ sealingKey: SEALING_KEY }) })[0];
    ss.spec.templat = ss.spec.template;
    expect(checkManifests([es]).map(p => `${p.path} ${p.message}`).join('\n')).toMatch(/\/spec\/target\/template.*unknown field/);
    expect(checkManifests([ss]).map(p => `${p.path} ${p.message}`).join('\n')).toMatch(/\/spec.*unknown field/);
  });

  test('what the controllers would make of them decrypts / renders to a valid Secret with auth', () => {
    const [, build, password] = factories[0];
    const sealed = synthOne({ credentials: [build(SecretValue.sealed(SEALING_KEY.seal(password, STRICT_TEAM_A)))] })[0];
    const external = synthOne({ credentials: [build(SecretValue.fromExternalSecret('k'))], delivery: SecretDelivery.externalSecret({ store: { name: 'vault' } }) })[0];
    for (const data of [sealedSecretData(sealed, PRIVATE_KEY), externalSecretData(external, { k: password })]) {
      expect(JSON.parse(data['.dockerconfigjson']).auths['registry.example.com:5000'].auth).toBe(base64(`robot:${password}`));
      expectValidManifests([{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred', namespace: 'team-a' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': base64(data['.dockerconfigjson']) } }]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Must show (4): bad input, each a ValidationError naming the property and the fix.

const MARKER = 'S3cr3t-Marker-Password-9f8e7d';
const SEALED_OK = VECTORS.vectors[3].ciphertextBase64;
const ECR_HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const ecr = () => TokenGenerator.ecr({ region: 'eu-west-1' });
const inChart = (props: RegistrySecretProps, namespace: string | null = 'team-a') => () => new RegistrySecret(chartIn(namespace), 'Regcred', { name: 'regcred', ...props });
const github = (value: SecretValue = plain(MARKER)) => RegistryCredentials.githubToken('octo', value);

const BAD_INPUT: Array<[string, () => unknown, string, RegExp]> = [
  // Google
  ['GAR key that is not JSON', () => RegistryCredentials.googleServiceAccountKey('us-docker.pkg.dev', plain(`{${MARKER}`)), 'key', /gcloud iam service-accounts keys create/],
  ['GAR key JSON of another type', () => RegistryCredentials.googleServiceAccountKey('us-docker.pkg.dev', plain(JSON.stringify({ type: 'authorized_user', refresh_token: MARKER }))), 'key', /gcloud iam service-accounts keys create/],
  ['GAR key for a host that is not Google\'s', () => RegistryCredentials.googleServiceAccountKey('ghcr.io', plain(saKey(MARKER))), 'registry', /europe-west1-docker\.pkg\.dev/],
  // Quay
  ['Quay robot without "+"', () => RegistryCredentials.quayRobot('deployer', plain(MARKER)), 'robotAccount', /"acme\+deployer"/],
  ['Quay robot with uppercase letters', () => RegistryCredentials.quayRobot('Acme+Deployer', plain(MARKER)), 'robotAccount', /full robot name/],
  ['Quay federation robot without "+"', () => TokenGenerator.quay('quay.io', { robotAccount: 'puller', serviceAccount: { name: 's' } }), 'robotAccount', /acme\+deployer/],
  // Docker config JSON (Choreo's rules)
  ['Docker config with two registries', () => RegistryCredentials.dockerConfigJson(plain(JSON.stringify({ auths: { 'ghcr.io': { username: 'u', password: MARKER }, 'quay.io': { username: 'u', password: MARKER } } }))),
    'dockerconfigjson.auths', /exactly one registry under auths/],
  ['Docker config with credHelpers', () => RegistryCredentials.dockerConfigJson(plain(JSON.stringify({ auths: { 'ghcr.io': { username: 'u', password: MARKER } }, credHelpers: { 'gcr.io': 'gcloud' } }))),
    'dockerconfigjson.credHelpers', /remove credHelpers/],
  ['Docker config with credsStore', () => RegistryCredentials.dockerConfigJson(plain(JSON.stringify({ auths: { 'ghcr.io': { username: 'u', password: MARKER } }, credsStore: 'desktop' }))),
    'dockerconfigjson.credsStore', /remove credsStore/],
  ['Docker config that is not JSON', () => RegistryCredentials.dockerConfigJson(plain(MARKER)), 'dockerconfigjson', /docker config\.json/],
  ['Docker config whose registry option differs', () => RegistryCredentials.dockerConfigJson(plain(KUBECTL_FILES['compact-config.json']), { registry: 'quay.io' }), 'registry', /set it to "ghcr\.io"/],
  ['sealed Docker config without its registry', () => RegistryCredentials.dockerConfigJson(SecretValue.sealed(SEALED_OK)), 'registry', /auths key inside the config/],
  ['Docker config next to another credential', inChart({ credentials: [RegistryCredentials.dockerConfigJson(plain(KUBECTL_FILES['compact-config.json'])), RegistryCredentials.quayRobot('a+b', plain(MARKER))] }),
    'credentials[0]', /its own RegistrySecret/],
  // Token generators
  ['refresh interval longer than the token life', () => RegistryCredentials.fromTokenGenerator(ECR_HOST, ecr(), { refreshInterval: Duration.hours(13) }), 'refreshInterval', /Duration\.minutes\(360\) or less/],
  ['refresh interval over half the token life', () => RegistryCredentials.fromTokenGenerator('quay.io', TokenGenerator.quay('quay.io', { robotAccount: 'a+b', serviceAccount: { name: 's' } }), { refreshInterval: Duration.minutes(55) }),
    'refreshInterval', /Duration\.minutes\(30\) or less/],
  ['refresh interval of zero', () => RegistryCredentials.fromTokenGenerator(ECR_HOST, ecr(), { refreshInterval: Duration.seconds(0) }), 'refreshInterval', /or less/],
  ['ECR generator for another region', () => RegistryCredentials.fromTokenGenerator('123456789012.dkr.ecr.us-east-1.amazonaws.com', ecr()), 'generator.region', /region: "us-east-1"/],
  ['ACR generator for another registry', () => RegistryCredentials.fromTokenGenerator('acme.azurecr.io', TokenGenerator.acr('other.azurecr.io', { managedIdentityId: 'id' })), 'generator.registry', /TokenGenerator\.acr\("acme\.azurecr\.io"/],
  ['ECR generator for a host that is not ECR', () => RegistryCredentials.fromTokenGenerator('ghcr.io', ecr()), 'registry', /dkr\.ecr/],
  ['token generator in a plain Secret', inChart({ credentials: [RegistryCredentials.fromTokenGenerator(ECR_HOST, ecr())], delivery: SecretDelivery.plainSecret() }), 'credentials[0]', /SecretDelivery\.externalSecret\(\)/],
  ['token generator in a SealedSecret', inChart({ credentials: [RegistryCredentials.fromTokenGenerator(ECR_HOST, ecr())], delivery: SecretDelivery.sealedSecret({ sealingKey: SEALING_KEY }) }), 'credentials[0]', /SecretDelivery\.externalSecret\(\)/],
  ['token generator next to another credential', inChart({ credentials: [RegistryCredentials.fromTokenGenerator(ECR_HOST, ecr()), github(SecretValue.fromExternalSecret('k'))], delivery: SecretDelivery.externalSecret({ store: { name: 'v' } }) }),
    'credentials', /one RegistrySecret per token-generator registry/],
  // Sealed values and sealing
  ['sealed value for another namespace', inChart({ credentials: [github(SecretValue.sealed(SEALED_OK, { namespace: 'team-b' }))] }), 'credentials[0] sealed namespace', /kubeseal --scope strict --namespace team-a --name regcred/],
  ['sealed value for another name (strict)', inChart({ credentials: [github(SecretValue.sealed(SEALED_OK, { namespace: 'team-a', name: 'other' }))] }), 'credentials[0] sealed name', /--name regcred/],
  ['sealed value for another scope', inChart({ credentials: [github(SecretValue.sealed(SEALED_OK, { scope: SealingScope.CLUSTER_WIDE }))] }), 'credentials[0] sealed scope', /--scope strict/],
  ['sealed value for another namespace (namespace-wide)', inChart({ credentials: [github(SecretValue.sealed(SEALED_OK, { namespace: 'team-b' }))], delivery: SecretDelivery.sealedSecret({ scope: SealingScope.NAMESPACE_WIDE }) }),
    'credentials[0] sealed namespace', /--namespace team-a/],
  ['a plain-text value passed as sealed', () => SecretValue.sealed(MARKER), 'ciphertext', /never the plain-text value/],
  ['plain text to seal without a sealing key', inChart({ credentials: [github()], delivery: SecretDelivery.sealedSecret() }), 'delivery.sealingKey', /kubeseal --fetch-cert/],
  ['strict sealing without a namespace', inChart({ credentials: [github()], delivery: SecretDelivery.sealedSecret({ sealingKey: SEALING_KEY }) }, null), 'namespace/name for strict sealing', /set the namespace explicitly/],
  ['plain and pre-sealed values in one SealedSecret', inChart({ credentials: [github(), RegistryCredentials.quayRobot('a+b', SecretValue.sealed(SEALED_OK))], delivery: SecretDelivery.sealedSecret({ sealingKey: SEALING_KEY }) }),
    'credentials', /pre-seal all values with kubeseal/],
  ['an external value in a SealedSecret', inChart({ credentials: [github(SecretValue.fromExternalSecret('k'))], delivery: SecretDelivery.sealedSecret({ sealingKey: SEALING_KEY }) }), 'credentials[0]', /seal every value the same way/],
  // External Secrets
  ['an external value without a store', inChart({ credentials: [github(SecretValue.fromExternalSecret('k'))], delivery: SecretDelivery.externalSecret() }), 'delivery.store', /ClusterSecretStore/],
  ['an external value without a delivery', inChart({ credentials: [github(SecretValue.fromExternalSecret('k'))] }), 'delivery', /SecretDelivery\.externalSecret\(\{ store/],
  ['a plain value in an ExternalSecret', inChart({ credentials: [github()], delivery: SecretDelivery.externalSecret({ store: { name: 'v' } }) }), 'credentials[0]', /SecretValue\.fromExternalSecret/],
  ['an empty remote key', () => SecretValue.fromExternalSecret(' '), 'key', /"registry\/ghcr"/],
  // Mixing kinds
  ['plain and external values without a delivery', inChart({ credentials: [github(), RegistryCredentials.quayRobot('a+b', SecretValue.fromExternalSecret('k'))] }), 'delivery', /give every value the same way/],
  ['a sealed value in a plain Secret', inChart({ credentials: [github(SecretValue.sealed(SEALED_OK))], delivery: SecretDelivery.plainSecret() }), 'credentials[0]', /sealedSecret for SecretValue\.sealed/],
  // Vendor hosts and identities
  ['ACR client id that is not a GUID', () => RegistryCredentials.azureServicePrincipal('acme.azurecr.io', 'my-app', plain(MARKER)), 'clientId', /appId/],
  ['ACR host that is not ACR', () => RegistryCredentials.azureServicePrincipal('acme.example.com', '11111111-2222-3333-4444-555555555555', plain(MARKER)), 'registry', /myregistry\.azurecr\.io/],
  ['vendor-managed ECR with a scheme', () => RegistryCredentials.vendorManaged(`https://${ECR_HOST}`, CloudVendor.AWS), 'registry', /no scheme or path/],
  // Usernames, passwords, registries
  ['a username with ":"', () => RegistryCredentials.basic('ghcr.io', 'us:er', plain(MARKER)), 'username', /account or robot name/],
  ['an empty username', () => RegistryCredentials.dockerHubToken('', plain(MARKER)), 'username', /account or robot name/],
  ['an empty password', () => RegistryCredentials.basic('ghcr.io', 'octo', plain('')), 'password', /pass the password or token/],
  ['an empty token', () => RegistryCredentials.githubToken('octo', plain('')), 'token', /pass the password or token/],
  ['a registry that is no host', () => RegistryCredentials.basic('not a host', 'octo', plain(MARKER)), 'registry', /"ghcr\.io"/],
  ['a registry key with :443', inChart({ credentials: [RegistryCredentials.basic('ghcr.io:443', 'octo', plain(MARKER))] }), 'credentials[0].registry', /write "ghcr\.io"/],
  ['a registry key with http://', inChart({ credentials: [RegistryCredentials.basic('http://registry.example.com', 'octo', plain(MARKER))] }), 'credentials[0].registry', /write "registry\.example\.com"/],
  // The RegistrySecret itself
  ['no credentials', inChart({ credentials: [] }), 'credentials', /at least one RegistryCredentials/],
  ['an anonymous registry', inChart({ credentials: [RegistryCredentials.anonymous('registry.hub.docker.com')] }), 'credentials[0]', /leave it out of the RegistrySecret/],
  ['a vendor-managed registry', inChart({ credentials: [RegistryCredentials.vendorManaged('acme.azurecr.io', CloudVendor.AZURE)] }), 'credentials[0]', /leave it out/],
  ['the same registry twice', inChart({ credentials: [github(), github()] }), 'credentials[1].registry', /one credential per registry/],
  ['a Secret name that is not DNS-1123', inChart({ name: 'Reg_Cred', credentials: [github()] }), 'name', /./],
  ['a namespace that is not DNS-1123', inChart({ namespace: 'Team A', credentials: [github()] }), 'namespace', /./],
  ['two RegistrySecrets with one name', () => {
    const chart = chartIn();
    new RegistrySecret(chart, 'A', { name: 'regcred', credentials: [github()] });
    new RegistrySecret(chart, 'B', { name: 'regcred', credentials: [github()] });
  }, 'name', /give one of them another name/],
];

describe('Must show (4): bad input', () => {
  test('the table has at least 30 cases', () => {
    expect(BAD_INPUT.length).toBeGreaterThanOrEqual(30);
  });

  test.each(BAD_INPUT)('%s', (_name, thunk, property, fix) => {
    const error = validationErrorOf(thunk);
    expect(error.property).toBe(property);
    expect(error.message).toContain(`${property}: `);
    expect(error.message).toMatch(/\. Fix: ./);
    expect(error.fix).toMatch(fix);
    expect(leaks([error.message, error.stack ?? ''].join('\n'), 'octo', MARKER)).toEqual([]);
  });
});
