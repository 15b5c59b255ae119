// Issue 12 item 11 for the constructs: JavaScript callers have no types. Every construct and construct factory gets
// valid props with random fields replaced by random JavaScript values of every type (also the whole props, and one
// level down in nested structs); construction and synth may only fail with a ValidationError (or cdk8s's "Validation
// failed" report of the validations, which are ValidationError messages), never a TypeError or anything else.
// The values and factories are covered by test/credentials/untyped-callers.test.ts.
import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  BuildServiceAccount, ComponentTypePullSecret, DataPlaneClientCa, ImageControllerNames, ImageRepositoryApiGroup,
  KonfluxInternalRegistry, KubeletKeyring, KubernetesNames, LabelSelector, MittwaldReplicateTo, OpenChoreoNames,
  ReplicateToLint, ChoreoComponent, ChoreoRegistry, ComponentType, DataPlane, DataPlaneApi, ImageRepository,
  ImageRepositoryVisibility, ImageUpdater, KubernetesReplicatorApplication, NamespaceSelection, OpenChoreoReleaseLine,
  PullCoverage, QuayImageController, RegistryChecks, RegistryCredentials, RegistryPurpose, RegistrySecret,
  ReleasePipelineRef, ReleasePlanAdmission, ReplicatedPullSecret, SecretDelivery, SecretReference, SecretValue,
  ServiceAccountPullSecrets, ValidationError,
} from '../src';

const hostile = fc.constantFrom<unknown>(
  undefined, null, NaN, 0, -1, 1.5, Infinity, 0n, true, Symbol('s'), () => 'x', [], [1], ['x'], {}, Object.create(null),
  new Proxy({}, { get: () => { throw new TypeError('trap'); }, ownKeys: () => { throw new TypeError('trap'); } }),
  Object.defineProperty({}, 'name', { get: () => { throw new Error('getter'); }, enumerable: true }),
  new Date(0), /re/, new Map(), 'x'.repeat(300), '\ud800', '', ' ', 'ghcr.io', 'Bad_Name', 'a,b', Duration.hours(1),
  { toString: () => { throw new Error('toString'); } },
);
const anyValue = fc.oneof(fc.anything({ maxDepth: 2, withBigInt: true, withNullPrototype: true }), hostile);

const plain = (value: string) => SecretValue.unsafePlainText(value);
const external = (key: string) => SecretValue.fromExternalSecret(key, { property: 'token' });
const vault = () => SecretDelivery.externalSecret({ store: { name: 'vault' } });
const FAKE_PEM = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');

interface ConstructCase {
  readonly name: string;
  /** Valid props, built in the chart (so references to other constructs exist). */
  readonly props: (chart: Chart) => { [key: string]: unknown };
  readonly make: (chart: Chart, props: any) => unknown;
}

const CASES: ConstructCase[] = [
  {
    name: 'RegistrySecret',
    props: () => ({ name: 'pull', credentials: [RegistryCredentials.githubToken('octo', plain('t'))], purpose: RegistryPurpose.PULL, labels: { a: 'b' }, annotations: { c: 'd' }, argoCd: { syncWave: 1 } }),
    make: (chart, props) => new RegistrySecret(chart, 'X', props),
  },
  {
    name: 'RegistrySecret.fromSecretName',
    props: () => ({ name: 'regcred', options: { namespace: 'team-a', registries: ['ghcr.io'], purpose: RegistryPurpose.PUSH } }),
    make: (chart, props) => RegistrySecret.fromSecretName(chart, 'X', props?.name, props?.options),
  },
  {
    name: 'ReplicatedPullSecret',
    props: () => ({ name: 'pull', credentials: [RegistryCredentials.dockerHubToken('acme', plain('t'))], targets: NamespaceSelection.mittwaldReplicateTo('dp-.*'), safety: { systemNamespaces: ['vault'] }, copyLabels: false }),
    make: (chart, props) => new ReplicatedPullSecret(chart, 'X', props),
  },
  {
    name: 'KubernetesReplicatorApplication',
    props: () => ({ name: 'kubernetes-replicator', namespace: 'choreo-system', argoCdNamespace: 'argocd', chartVersion: '2.12.4' }),
    make: (chart, props) => new KubernetesReplicatorApplication(chart, 'X', props),
  },
  {
    name: 'ServiceAccountPullSecrets',
    props: chart => ({ serviceAccountName: 'default', pullSecrets: [new RegistrySecret(chart, 'P', { credentials: [RegistryCredentials.quayRobot('a+b', plain('t'))] })] }),
    make: (chart, props) => new ServiceAccountPullSecrets(chart, 'X', props),
  },
  {
    name: 'DataPlane',
    props: () => ({
      api: DataPlaneApi.V1ALPHA1_PULL,
      name: 'dp',
      organization: 'acme',
      kubernetesCluster: { name: 'c', credentials: { apiServerUrl: 'https://c.example:6443', caCert: FAKE_PEM, clientCert: FAKE_PEM, clientKey: plain(FAKE_PEM) } },
      gateway: { publicVirtualHost: 'apis.example', organizationVirtualHost: 'apis.internal' },
      pullRegistry: { prefix: 'docker.io/acme' },
      labels: { a: 'b' },
    }),
    make: (chart, props) => new DataPlane(chart, 'X', props),
  },
  {
    name: 'BuildServiceAccount.forComponent',
    props: chart => ({ component: 'web', secrets: [new RegistrySecret(chart, 'P', { purpose: RegistryPurpose.PUSH, credentials: [RegistryCredentials.quayRobot('a+b', plain('t'))] })], outputImage: 'quay.io/a/web' }),
    make: (chart, props) => BuildServiceAccount.forComponent(chart, 'X', props),
  },
  {
    name: 'BuildServiceAccount.forRelease',
    props: chart => ({ name: 'release-pipeline', secrets: [new RegistrySecret(chart, 'P', { purpose: RegistryPurpose.PUSH, credentials: [RegistryCredentials.quayRobot('a+b', plain('t'))] })], roleBinding: true }),
    make: (chart, props) => BuildServiceAccount.forRelease(chart, 'X', props),
  },
  {
    name: 'ReleasePlanAdmission',
    props: () => ({
      name: 'rpa',
      origin: 'tenant',
      policy: 'default',
      applications: ['app'],
      data: { mapping: { components: [{ name: 'a', repository: 'quay.io/a/b' }] } },
      pipeline: { pipelineRef: ReleasePipelineRef.git({ url: 'https://github.com/a/b.git', revision: 'main', pathInRepo: 'p.yaml' }), ociStorage: 'quay.io/a/ta' },
    }),
    make: (chart, props) => new ReleasePlanAdmission(chart, 'X', props),
  },
  {
    name: 'QuayImageController',
    props: () => ({ organization: 'acme', token: external('quay/token'), delivery: vault() }),
    make: (chart, props) => new QuayImageController(chart, 'X', props),
  },
  {
    name: 'ChoreoRegistry',
    props: () => ({ credentials: RegistryCredentials.githubToken('octo', external('ghcr')), delivery: vault() }),
    make: (chart, props) => new ChoreoRegistry(chart, 'X', props),
  },
  {
    name: 'ChoreoComponent',
    props: chart => ({
      type: ComponentType.SERVICE,
      image: 'ghcr.io/acme/orders:1.0',
      port: 8080,
      registry: new ChoreoRegistry(chart, 'R', { credentials: RegistryCredentials.githubToken('octo', external('ghcr')), delivery: vault() }),
    }),
    make: (chart, props) => new ChoreoComponent(chart, 'X', props),
  },
  {
    name: 'ImageUpdater',
    props: chart => ({
      name: 'updates',
      namespace: 'argocd',
      applicationName: 'shop',
      images: [{ alias: 'orders', image: 'ghcr.io/acme/orders', pullSecret: new RegistrySecret(chart, 'P', { namespace: 'argocd', credentials: [RegistryCredentials.githubToken('octo', plain('t'))] }) }],
    }),
    make: (chart, props) => new ImageUpdater(chart, 'X', props),
  },
  {
    name: 'SecretReference',
    props: () => ({ release: OpenChoreoReleaseLine.V1, name: 'ghcr-pull', credentials: RegistryCredentials.dockerConfigJson(SecretValue.fromExternalSecret('registry-credentials', { property: 'value' }), { registry: 'ghcr.io' }) }),
    make: (chart, props) => new SecretReference(chart, 'X', props),
  },
  {
    name: 'ImageRepository',
    props: () => ({ name: 'web', quayOrganization: 'acme', visibility: ImageRepositoryVisibility.PRIVATE, component: { name: 'web', application: 'shop' } }),
    make: (chart, props) => new ImageRepository(chart, 'X', props),
  },
  {
    name: 'PullCoverage.of',
    props: chart => ({ workload: new kplus.Deployment(chart, 'W', { containers: [{ image: 'nginx' }] }), options: { registriesWithoutSecret: [RegistryCredentials.anonymous('docker.io')], trustUndeclaredSecrets: false } }),
    make: (_chart, props) => PullCoverage.of(props?.workload, props?.options),
  },
  {
    name: 'RegistryChecks',
    props: chart => ({ workload: new kplus.Deployment(chart, 'W', { containers: [{ image: 'nginx' }] }), credentials: [RegistryCredentials.anonymous('docker.io')], reason: 'r', namespace: 'team-a', name: 'default', code: 'path-prefix' }),
    make: (chart, props) => {
      const checks = RegistryChecks.of(chart);
      checks.addRegistriesWithoutSecret(props?.credentials);
      checks.trustServiceAccount(props?.namespace, props?.name, props?.reason);
      checks.excludeWorkload(props?.workload, props?.reason);
      checks.suppressWarning(props?.code, props?.reason);
      return checks;
    },
  },
];

/** Replaces some fields (or the whole props, or one field of a nested struct) with random values. */
function mutated(valid: { [key: string]: unknown }): fc.Arbitrary<unknown> {
  const keys = Object.keys(valid);
  const fieldMutation = fc.record({
    replace: fc.subarray(keys, { minLength: 1 }),
    values: fc.array(anyValue, { minLength: keys.length, maxLength: keys.length }),
    nested: fc.option(fc.tuple(fc.constantFrom(...keys), fc.string({ maxLength: 12 }), anyValue)),
  }).map(({ replace, values, nested }) => {
    const props: { [key: string]: unknown } = { ...valid };
    replace.forEach((key, index) => { props[key] = values[index]; });
    if (nested) {
      const [key, field, value] = nested;
      const inner = valid[key];
      if (inner !== null && typeof inner === 'object' && !Array.isArray(inner) && Object.getPrototypeOf(inner) === Object.prototype) {
        props[key] = { ...inner, [Object.keys(inner)[0] ?? field]: value };
      }
    }
    return props;
  });
  return fc.oneof({ weight: 1, arbitrary: anyValue }, { weight: 6, arbitrary: fieldMutation });
}

function isAllowed(err: unknown): boolean {
  if (err instanceof ValidationError) {
    return true;
  }
  // cdk8s reports failed validations as one Error whose lines are the validations' messages.
  return err instanceof Error && err.constructor === Error && err.message.startsWith('Validation failed with the following errors:');
}

describe.each(CASES)('$name: random JS values in its props end in a ValidationError, never another error', ({ props, make }) => {
  test('valid props synthesize', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'team-a' });
    make(chart, props(chart));
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('fuzzed props', () => {
    const escaped: string[] = [];
    const outcomes = { accepted: 0, refused: 0 };
    const template = props(new Chart(new App(), 'template', { namespace: 'team-a' }));
    fc.assert(fc.property(mutated(template), fc.context(), (randomized, ctx) => {
      const app = new App();
      const chart = new Chart(app, 'c', { namespace: 'team-a' });
      // Fresh valid props in this app (construct references must live in its tree), with the template's mutations.
      const input = isPlainRecord(randomized) ? withMutations(props(chart), template, randomized) : randomized;
      try {
        make(chart, input);
        app.synthYaml();
        outcomes.accepted++;
      } catch (err) {
        if (!isAllowed(err)) {
          ctx.log(String(err));
          escaped.push(`${(err as Error)?.constructor?.name}: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
          return true; // collected and asserted below (fast-check cannot print inputs whose getters throw)
        }
        outcomes.refused++;
      }
      return true;
    }), { numRuns: 150, seed: 20261207 });
    expect(escaped).toEqual([]);
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});

/** The props `mutated` made from the template: a record of its own (not a random value that happens to be an object). */
function isPlainRecord(value: unknown): value is { [key: string]: unknown } {
  try {
    return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype
      && Object.values(Object.getOwnPropertyDescriptors(value)).every(d => 'value' in d);
  } catch {
    return false; // a proxy: passed on as the whole props
  }
}

/** `valid`, with every field that `mutation` changed relative to `template` taken from `mutation`. */
function withMutations(valid: { [key: string]: unknown }, template: { [key: string]: unknown }, mutation: { [key: string]: unknown }) {
  return Object.fromEntries(Object.keys(valid).map(key => [key, mutation[key] !== template[key] ? mutation[key] : valid[key]]));
}

// The static factories and helpers of the constructs' own values, argument by argument.
const slot = (...valid: unknown[]) => fc.oneof({ weight: 3, arbitrary: anyValue }, { weight: 2, arbitrary: fc.constantFrom(...valid) });

const FACTORIES: Array<[string, fc.Arbitrary<unknown[]>, (...args: any[]) => unknown]> = [
  ['NamespaceSelection.mittwaldReplicateTo', fc.tuple(slot('dp-.*')), a => NamespaceSelection.mittwaldReplicateTo(a)],
  ['NamespaceSelection.mittwaldReplicateToMatching', fc.tuple(slot('team=a')), a => NamespaceSelection.mittwaldReplicateToMatching(a)],
  ['NamespaceSelection.mittwald', fc.tuple(slot({ replicateTo: 'dp-.*' }, { replicateToMatching: 'a=b', controllerExcludeNamespaces: 'kube-system' })), a => NamespaceSelection.mittwald(a)],
  ['NamespaceSelection.reflectorAuto', fc.tuple(slot({ allowedNamespaces: 'dp-.*', autoNamespaces: 'dp-.*' })), a => NamespaceSelection.reflectorAuto(a)],
  ['NamespaceSelection.labelSelectors', fc.tuple(slot(['team=a'], ['a in (b)'])), a => NamespaceSelection.labelSelectors(a)],
  ['MittwaldReplicateTo.parse', fc.tuple(slot('dp-.*,team-a')), a => MittwaldReplicateTo.parse(a)],
  ['ReplicateToLint.check', fc.tuple(slot('dp-.*'), slot({ sourceNamespace: 'choreo-system' }, undefined)), (a, b) => ReplicateToLint.check(a, b)],
  ['ReplicateToLint.validate', fc.tuple(slot('dp-.*'), slot('targets'), slot(undefined), slot({ allowGlobLike: true }, undefined)), (a, b, c, d) => ReplicateToLint.validate(a, b, c, d)],
  ['LabelSelector.parse', fc.tuple(slot('a=b,c notin (d)'), slot('selector', undefined)), (a, b) => LabelSelector.parse(a, b)],
  ['OpenChoreoNames.generate', fc.tuple(slot(63, 253), slot(['dp', 'a', 'b'])), (a, b) => OpenChoreoNames.generate(a, b)],
  ['OpenChoreoNames.dataPlaneNamespace', fc.tuple(slot('acme'), slot('shop'), slot('prod')), (a, b, c) => OpenChoreoNames.dataPlaneNamespace(a, b, c)],
  ['OpenChoreoNames.buildNamespace', fc.tuple(slot('acme')), a => OpenChoreoNames.buildNamespace(a)],
  ['ComponentTypePullSecret.fromCredentials', fc.tuple(slot([RegistryCredentials.githubToken('octo', external('ghcr'))]), slot({ secretName: 'pull' }, undefined)), (a, b) => ComponentTypePullSecret.fromCredentials(a, b)],
  ['ReleasePipelineRef.git', fc.tuple(slot({ url: 'https://github.com/a/b.git', revision: 'main', pathInRepo: 'p.yaml' })), a => ReleasePipelineRef.git(a)],
  ['ReleasePipelineRef.of', fc.tuple(slot('bundles'), slot([{ name: 'a', value: 'b' }])), (a, b) => ReleasePipelineRef.of(a, b)],
  ['ImageControllerNames.pushSecretName', fc.tuple(slot('web'), slot(...Object.values(ImageRepositoryApiGroup))), (a, b) => ImageControllerNames.pushSecretName(a, b)],
  ['KubernetesNames.validateDns1123Label', fc.tuple(slot('team-a'), slot('namespace')), (a, b) => KubernetesNames.validateDns1123Label(a, b)],
  ['KubeletKeyring.keyToPattern', fc.tuple(slot('ghcr.io')), a => KubeletKeyring.keyToPattern(a)],
  ['DataPlaneClientCa.fromSecret', fc.tuple(slot('ca'), slot('ca.crt'), slot('ns', undefined)), (a, b, c) => DataPlaneClientCa.fromSecret(a, b, c)],
  ['KonfluxInternalRegistry.tenantSecret', fc.tuple(slot({ namespace: 'user-ns2' }, undefined)), a => KonfluxInternalRegistry.tenantSecret(new Chart(Testing.app(), 'c'), 'X', a)],
];

describe.each(FACTORIES)('%s: random JS arguments end in a ValidationError, never another error', (_name, args, call) => {
  test('fuzzed arguments', () => {
    const escaped: string[] = [];
    fc.assert(fc.property(args, values => {
      try {
        call(...values);
      } catch (err) {
        if (!(err instanceof ValidationError)) {
          escaped.push(`${(err as Error)?.constructor?.name}: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
        }
      }
    }), { numRuns: 200, seed: 20261207 });
    expect(escaped).toEqual([]);
  });
});
