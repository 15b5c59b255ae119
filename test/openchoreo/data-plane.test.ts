import { App, Chart, JsonPatch } from 'cdk8s';
import * as YAML from 'yaml';
import { appsOf, EXAMPLES } from '../../examples';
import { RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import {
  DataPlane,
  DataPlaneApi,
  DataPlaneProps,
  DataPlaneRegistryShape,
} from '../../src/openchoreo/data-plane';
import { OpenChoreoNames } from '../../src/openchoreo/namespace-names';
import { IRegistrySecret, RegistryPurpose, RegistrySecret } from '../../src/registry-secret';
import { firstProblemOf, validationErrorOf } from '../helpers/errors';
import { checkManifests, ManifestProblem } from '../helpers/manifest-checker';
import { loadReferenceJson } from '../helpers/reference';

/** The CRD files of the validation vectors, by the vectors' `crd` key. */
const CRD_FILES: { [key: string]: string } = {
  'push_2025-06-02': 'openchoreo/dataplanes.core.choreo.dev_v1_2025-06-02_push-registry.yaml',
  'pull_pr249_2025-07-03': 'openchoreo/dataplanes.core.choreo.dev_v1_2025-07-03_pull-registry_pr249-unmerged.yaml',
  'pull_main_2025-07-11': 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2025-07-11_pull-registry.yaml',
  'eso_v0.17.0_2026-03-03': 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2026-03-03_imagePullSecretRefs-v0.17.0.yaml',
  'latest_2026-05-26': 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2026-05-26_latest.yaml',
};
/** The CRD each of our API targets is released (or proposed) with. */
const OWN_CRD: { [api: string]: string } = {
  CORE_V1_PUSH: 'push_2025-06-02',
  CORE_V1_PULL_PROPOSAL: 'pull_pr249_2025-07-03',
  V1ALPHA1_PULL: 'pull_main_2025-07-11',
};

interface Vector {
  readonly case: string;
  readonly crd: string;
  readonly apiVersion: string;
  readonly schemaValid: boolean;
  readonly schemaErrors: string[];
  readonly unknownFields: string[];
  readonly spec: any;
}

const VECTORS: Vector[] = loadReferenceJson('openchoreo', 'dataplane-spec-validation-vectors.json').vectors;
const PEM = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
const KEY_TEXT = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFAKE\n-----END EC PRIVATE KEY-----\n';
const KEY = Buffer.from(KEY_TEXT).toString('base64');
/** The shape kubeseal writes: a uint16 RSA ciphertext length (256), the RSA ciphertext, AES-GCM ciphertext and tag. */
const SEALED = Buffer.concat([Buffer.from([1, 0]), Buffer.alloc(256 + 32, 7)]).toString('base64');

/** The vector's expectations as `pointer kind` strings, the form `problemKeys` gives for the checker's findings. */
function expectedProblemKeys(vector: Vector): string[] {
  const missing = vector.schemaErrors.map(error => {
    const required = /^(.*): '(.*)' is a required property$/.exec(error);
    return required ? `${toPointer(`${required[1]}.${required[2]}`)} missing` : `${toPointer(error.split(':')[0])} invalid`;
  });
  const unknown = vector.unknownFields.map(field => `${toPointer(field)} unknown`);
  return [...missing, ...unknown].sort();
}

function toPointer(dotted: string): string {
  return `/${dotted.replace(/\[(\d+)\]/g, '.$1').split('.').join('/')}`;
}

function problemKeys(problems: ManifestProblem[]): string[] {
  return problems.map(problem => {
    const kind = problem.message.startsWith('unknown field') ? 'unknown'
      : problem.message.startsWith('missing required field') ? 'missing' : 'invalid';
    return `${problem.path} ${kind}`;
  }).sort();
}

/** Our DataPlane object as the vector's CRD would receive it (the vectors give each CRD's own apiVersion). */
function checkAgainst(object: any, crd: string, apiVersion: string): ManifestProblem[] {
  return checkManifests([{ ...object, apiVersion }], { crdFiles: { [`${apiVersion}/DataPlane`]: CRD_FILES[crd] } });
}

function newChart(namespace?: string): Chart {
  return new Chart(new App(), 'test', { namespace });
}

function cluster(apiServerUrl: string) {
  return { name: 'test-cluster', credentials: { apiServerUrl, caCert: PEM, clientCert: PEM, clientKey: SecretValue.unsafePlainText(KEY) } };
}

function fromVectorCluster(spec: any) {
  const credentials = spec.kubernetesCluster.credentials;
  return {
    name: spec.kubernetesCluster.name,
    credentials: {
      apiServerUrl: credentials.apiServerURL,
      caCert: credentials.caCert,
      clientCert: credentials.clientCert,
      clientKey: SecretValue.unsafePlainText(credentials.clientKey),
    },
  };
}

function pushSecret(chart: Chart, id: string, name: string, credentials: RegistryCredentials, namespace = 'choreo-ci-default-org'): RegistrySecret {
  return new RegistrySecret(chart, id, { name, namespace, purpose: RegistryPurpose.PUSH, credentials: [credentials] });
}

const dockerHub = () => RegistryCredentials.dockerHubToken('acme', SecretValue.unsafePlainText('dckr_pat_FAKE'));
const ghcr = () => RegistryCredentials.githubToken('octo', SecretValue.unsafePlainText('ghp_FAKE'));

function baseProps(overrides: Partial<DataPlaneProps> = {}): DataPlaneProps {
  return {
    api: DataPlaneApi.CORE_V1_PUSH,
    name: 'default-dataplane',
    organization: 'default-org',
    kubernetesCluster: cluster('https://10.0.0.1:6443'),
    gateway: { publicVirtualHost: 'choreoapis.localhost', organizationVirtualHost: 'choreoapis.internal' },
    ...overrides,
  };
}

describe('DataPlaneApi', () => {
  test('the three targets', () => {
    expect([DataPlaneApi.CORE_V1_PUSH, DataPlaneApi.CORE_V1_PULL_PROPOSAL, DataPlaneApi.V1ALPHA1_PULL].map(api => [
      api.id, api.apiVersion, api.registryShape, api.nameLabel, api.organizationLabel,
    ])).toEqual([
      ['CORE_V1_PUSH', 'core.choreo.dev/v1', DataPlaneRegistryShape.PUSH, 'core.choreo.dev/name', 'core.choreo.dev/organization'],
      ['CORE_V1_PULL_PROPOSAL', 'core.choreo.dev/v1', DataPlaneRegistryShape.PULL, 'core.choreo.dev/name', 'core.choreo.dev/organization'],
      ['V1ALPHA1_PULL', 'openchoreo.dev/v1alpha1', DataPlaneRegistryShape.PULL, 'openchoreo.dev/name', 'openchoreo.dev/organization'],
    ]);
  });
});

describe('DataPlane: the spec validation vectors through the construct', () => {
  const rows = (name: string) => VECTORS.filter(vector => vector.case === name);

  test('the vectors file has 12 specs against 5 CRDs', () => {
    expect(VECTORS).toHaveLength(60);
    expect(new Set(VECTORS.map(v => v.crd))).toEqual(new Set(Object.keys(CRD_FILES)));
  });

  /** The constructible pull specs: built with both pull targets, compared with the vector spec and every CRD. */
  describe.each(['pull-corrected-apiServerURL', 'pull-no-secret-builtin-registry'])('%s', name => {
    const spec = rows(name)[0].spec;
    describe.each([DataPlaneApi.CORE_V1_PULL_PROPOSAL, DataPlaneApi.V1ALPHA1_PULL])('as $id', api => {
      const chart = newChart();
      const secret = spec.registry.secretRef === undefined ? undefined
        : RegistrySecret.fromSecretName(chart, 'Pull', spec.registry.secretRef, { namespace: 'choreo-system', registries: ['https://index.docker.io/v1/'] });
      const dataPlane = new DataPlane(chart, 'DataPlane', {
        api,
        name: 'example-dataplane',
        organization: 'default-org',
        kubernetesCluster: fromVectorCluster(spec),
        gateway: spec.gateway,
        pullRegistry: { prefix: spec.registry.prefix, secret },
      });
      const object = dataPlane.apiObject.toJson();

      test('writes exactly the vector spec', () => {
        expect(object.apiVersion).toBe(api.apiVersion);
        expect(object.spec).toEqual(spec);
      });

      test.each(rows(name).map(vector => [vector.crd, vector] as const))('against %s: the checker finds what the vector says', (_crd, vector) => {
        expect(problemKeys(checkAgainst(object, vector.crd, vector.apiVersion))).toEqual(expectedProblemKeys(vector));
      });
    });
  });

  describe('push-doc-example', () => {
    const vectors = rows('push-doc-example');
    const spec = vectors[0].spec;

    test('as one DataPlane it is rejected: its prefixes are both unauthenticated and authenticated', () => {
      const chart = newChart();
      const error = validationErrorOf(() => new DataPlane(chart, 'DataPlane', {
        ...baseProps({ organization: 'my-org', kubernetesCluster: fromVectorCluster(spec), gateway: spec.gateway }),
        pushRegistries: {
          unauthenticated: spec.registry.unauthenticated,
          imagePushSecrets: [
            { prefix: 'docker.io/my-org', secret: pushSecret(chart, 'Hub', 'dev-dockerhub-push-secret', dockerHub(), 'choreo-ci-my-org') },
          ],
        },
      }));
      expect(error.property).toBe('pushRegistries.imagePushSecrets[0].prefix');
      expect(error.message).toContain('repeats the prefix of pushRegistries.unauthenticated[0]');
    });

    // The vector merges the two snippets of the v0.2 docs; each snippet is one DataPlane.
    const chart = newChart();
    const unauthenticated = new DataPlane(chart, 'Public', {
      ...baseProps({ organization: 'my-org', kubernetesCluster: fromVectorCluster(spec), gateway: spec.gateway }),
      pushRegistries: { unauthenticated: spec.registry.unauthenticated },
    }).apiObject.toJson();
    const authenticated = new DataPlane(chart, 'Private', {
      ...baseProps({ name: 'private', organization: 'my-org', kubernetesCluster: fromVectorCluster(spec), gateway: spec.gateway }),
      pushRegistries: {
        imagePushSecrets: [
          { prefix: 'docker.io/my-org', secret: pushSecret(chart, 'Hub', 'dev-dockerhub-push-secret', dockerHub(), 'choreo-ci-my-org') },
          { prefix: 'ghcr.io/my-org', secret: pushSecret(chart, 'Ghcr', 'prod-ghcr-push-secret', ghcr(), 'choreo-ci-my-org') },
        ],
      },
    }).apiObject.toJson();

    test('each snippet writes its part of the vector spec', () => {
      expect(unauthenticated.spec).toEqual({ ...spec, registry: { unauthenticated: spec.registry.unauthenticated } });
      expect(authenticated.spec).toEqual({ ...spec, registry: { imagePushSecrets: spec.registry.imagePushSecrets } });
    });

    test.each(vectors.map(vector => [vector.crd, vector] as const))('against %s: the checker finds the vector\'s problems of each part', (_crd, vector) => {
      const ofPart = (keys: string[], field: string) => keys.filter(key => !/imagePushSecrets|unauthenticated/.test(key) || key.includes(field));
      const expected = expectedProblemKeys(vector);
      expect(problemKeys(checkAgainst(unauthenticated, vector.crd, vector.apiVersion))).toEqual(ofPart(expected, 'unauthenticated'));
      expect(problemKeys(checkAgainst(authenticated, vector.crd, vector.apiVersion))).toEqual(ofPart(expected, 'imagePushSecrets'));
    });
  });

  describe('specs the construct cannot build: an escape hatch that forces them fails at synth, and the checker agrees with the vector', () => {
    const cases: Array<[string, DataPlaneApi, JsonPatch[], string, string]> = [
      ['push-missing-prefix', DataPlaneApi.CORE_V1_PUSH,
        [JsonPatch.remove('/spec/registry/imagePushSecrets/0/prefix')],
        'spec.registry.imagePushSecrets[0].prefix', 'is required'],
      ['pull-proposal-verbatim-apiServerUrl', DataPlaneApi.V1ALPHA1_PULL,
        [JsonPatch.move('/spec/kubernetesCluster/credentials/apiServerURL', '/spec/kubernetesCluster/credentials/apiServerUrl')],
        'spec.kubernetesCluster.credentials.apiServerUrl', 'the field is spelled "apiServerURL"'],
      ['pull-without-gateway', DataPlaneApi.V1ALPHA1_PULL,
        [JsonPatch.remove('/spec/gateway')],
        'spec.gateway', 'is required'],
    ];

    test.each(cases)('%s', (name, api, patches, property, text) => {
      const vector = rows(name).find(row => row.crd === OWN_CRD[api.id])!;
      const chart = newChart();
      const secret = pushSecret(chart, 'S', 's', dockerHub());
      const dataPlane = new DataPlane(chart, 'DataPlane', {
        ...baseProps({ api }),
        pullRegistry: api === DataPlaneApi.CORE_V1_PUSH ? undefined : { prefix: vector.spec.registry.prefix },
        pushRegistries: api === DataPlaneApi.CORE_V1_PUSH ? { imagePushSecrets: [{ prefix: 'docker.io/acme', secret }] } : undefined,
      });
      dataPlane.apiObject.addJsonPatch(...patches);
      const error = firstProblemOf(() => (chart.node.root as App).synthYaml());
      expect(error.property).toBe(property);
      expect(error.message).toContain(text);
      expect(error.message).toContain('Fix: ');
      const problems = problemKeys(checkAgainst(dataPlane.apiObject.toJson(), vector.crd, vector.apiVersion));
      expect(problems).toEqual(expectedProblemKeys(vector));
    });
  });

  test('the remaining vectors are for OpenChoreo releases without registry fields, which no DataPlaneApi targets', () => {
    const covered = ['push-doc-example', 'push-missing-prefix', 'pull-proposal-verbatim-apiServerUrl',
      'pull-corrected-apiServerURL', 'pull-no-secret-builtin-registry', 'pull-without-gateway'];
    const rest = VECTORS.filter(vector => !covered.includes(vector.case));
    expect(new Set(rest.map(vector => vector.case))).toEqual(new Set(['eso-imagePullSecretRefs', 'latest-minimal',
      'latest-with-secretKeyRef', 'latest-bad-planeID-uppercase', 'latest-bad-planeID-64chars', 'latest-with-legacy-registry']));
    expect(rest.every(vector => vector.spec.clusterAgent !== undefined)).toBe(true);
  });
});

describe('DataPlane: every example DataPlane is valid against its own target\'s CRD and invalid against the others where the vectors say so', () => {
  const dataPlanes = EXAMPLES.filter(example => example.name.includes('openchoreo')).flatMap(example => appsOf(example, 'unused')
    .flatMap(app => YAML.parseAllDocuments(app.synthYaml()).map(doc => doc.toJS()).filter(object => object?.kind === 'DataPlane')));
  /** The CRDs the vectors accept a spec of each registry shape in (no errors, nothing pruned). */
  const acceptingCrds = (vectorCase: string) => VECTORS
    .filter(vector => vector.case === vectorCase && vector.schemaValid && vector.unknownFields.length === 0)
    .map(vector => vector.crd);

  test('the examples hold DataPlanes of all three targets; the vectors accept push specs in one CRD, pull specs in two', () => {
    expect(dataPlanes.map(object => object.apiVersion).sort()).toEqual([
      'core.choreo.dev/v1', 'core.choreo.dev/v1', 'core.choreo.dev/v1', 'openchoreo.dev/v1alpha1', 'openchoreo.dev/v1alpha1', 'openchoreo.dev/v1alpha1',
    ]);
    expect(acceptingCrds('push-doc-example')).toEqual(['push_2025-06-02']);
    expect(acceptingCrds('pull-corrected-apiServerURL')).toEqual(['pull_pr249_2025-07-03', 'pull_main_2025-07-11']);
  });

  test.each(dataPlanes.map(object => [`${object.metadata.namespace}/${object.metadata.name} ${object.apiVersion}`, object] as const))('%s', (_label, object) => {
    // v0.9+ shapes (examples S9, S10): secretKeyRef is accepted by the latest CRD only (vector latest-with-secretKeyRef);
    // secretRef with imagePullSecretRefs only by the v0.17.0 CRD (the latest prunes both, see data-plane-agent.test.ts).
    const accepting = object.spec.registry === undefined
      ? (object.spec.imagePullSecretRefs === undefined ? acceptingCrds('latest-with-secretKeyRef') : ['eso_v0.17.0_2026-03-03'])
      : acceptingCrds(object.spec.registry.prefix === undefined ? 'push-doc-example' : 'pull-corrected-apiServerURL');
    const apiVersionOf = (crd: string) => VECTORS.find(vector => vector.crd === crd)!.apiVersion;
    const verdicts = Object.keys(CRD_FILES).map(crd => [crd, checkAgainst(object, crd, apiVersionOf(crd)).length === 0]);
    expect(verdicts).toEqual(Object.keys(CRD_FILES).map(crd => [crd, accepting.includes(crd)]));
  });
});

describe('DataPlane: what it writes', () => {
  test('push target: lookup labels, org namespace, empty registry when nothing is pushed, Argo CD options', () => {
    const chart = newChart('elsewhere');
    const object = new DataPlane(chart, 'DataPlane', baseProps()).apiObject.toJson();
    expect(object.metadata).toEqual({
      name: 'default-dataplane',
      namespace: 'default-org',
      labels: { 'core.choreo.dev/name': 'default-dataplane', 'core.choreo.dev/organization': 'default-org' },
      annotations: { 'argocd.argoproj.io/sync-wave': '0', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
    });
    expect(object.spec.registry).toEqual({});
    expect(object.spec.kubernetesCluster.credentials).toEqual({ apiServerURL: 'https://10.0.0.1:6443', caCert: PEM, clientCert: PEM, clientKey: KEY });
    expect(checkManifests([object])).toEqual([]);
  });

  test('extra labels next to the lookup labels', () => {
    const object = new DataPlane(newChart(), 'DataPlane', baseProps({ labels: { 'openchoreo.dev/build-plane': 'true' } })).apiObject.toJson();
    expect(object.metadata.labels).toEqual({
      'openchoreo.dev/build-plane': 'true', 'core.choreo.dev/name': 'default-dataplane', 'core.choreo.dev/organization': 'default-org',
    });
  });

  test('pull target v1alpha1: openchoreo.dev lookup labels', () => {
    const object = new DataPlane(newChart(), 'DataPlane', baseProps({ api: DataPlaneApi.V1ALPHA1_PULL, pullRegistry: { prefix: DataPlane.BUILT_IN_REGISTRY } })).apiObject.toJson();
    expect(object.metadata.labels).toEqual({ 'openchoreo.dev/name': 'default-dataplane', 'openchoreo.dev/organization': 'default-org' });
    expect(object.spec.registry).toEqual({ prefix: 'registry.choreo-system:5000' });
  });

  test('push secret names come from the secret objects; the DataPlane syncs one wave after the latest secret', () => {
    const chart = newChart();
    const hub = new RegistrySecret(chart, 'Hub', {
      namespace: OpenChoreoNames.buildNamespace('default-org'), purpose: RegistryPurpose.PUSH, credentials: [dockerHub()], argoCd: { syncWave: 3 },
    });
    const object = new DataPlane(chart, 'DataPlane', baseProps({ pushRegistries: { imagePushSecrets: [{ prefix: 'docker.io/acme', secret: hub }] } })).apiObject.toJson();
    expect(object.spec.registry.imagePushSecrets).toEqual([{ name: 'hub', prefix: 'docker.io/acme' }]);
    expect(object.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('4');
  });

  test.each([
    ['docker.io/acme', 'https://index.docker.io/v1/'],
    ['docker.io/acme', 'docker.io'],
    ['docker.io/acme', 'index.docker.io'],
    ['ghcr.io/acme', 'ghcr.io'],
    ['ghcr.io/acme/team', 'ghcr.io/acme'],
    ['registry.example.com:5000/team', 'registry.example.com:5000'],
    ['registry.choreo-system:5000', 'registry.choreo-system:5000'],
  ])('prefix %s is covered by a secret for %s', (prefix, key) => {
    const chart = newChart();
    const secret = RegistrySecret.fromSecretName(chart, 'S', 'push', { namespace: 'choreo-ci-default-org', registries: [key], purpose: RegistryPurpose.PUSH });
    const object = new DataPlane(chart, 'DataPlane', baseProps({ pushRegistries: { imagePushSecrets: [{ prefix, secret }] } })).apiObject.toJson();
    expect(object.spec.registry.imagePushSecrets).toEqual([{ name: 'push', prefix }]);
  });

  test('workloadNamespace: the dp-namespace OpenChoreo creates', () => {
    const dataPlane = new DataPlane(newChart(), 'DataPlane', baseProps({ organization: 'default-org' }));
    expect(dataPlane.workloadNamespace('default-project', 'development')).toBe('dp-default-org-default-proje-development-39faf2d8');
  });

  test('same input, same bytes', () => {
    const synth = () => {
      const app = new App();
      const chart = new Chart(app, 'c');
      const hub = pushSecret(chart, 'Hub', 'hub', dockerHub());
      new DataPlane(chart, 'DataPlane', baseProps({ pushRegistries: { unauthenticated: ['ghcr.io/acme'], imagePushSecrets: [{ prefix: 'docker.io/acme', secret: hub }] } }));
      return app.synthYaml();
    };
    expect(synth()).toBe(synth());
  });
});

describe('DataPlane: bad input', () => {
  type Build = (chart: Chart) => void;
  const build = (overrides: Partial<DataPlaneProps>): Build => chart => new DataPlane(chart, 'DataPlane', baseProps(overrides));
  const withSecret = (make: (chart: Chart) => IRegistrySecret, prefix = 'docker.io/acme'): Build =>
    chart => new DataPlane(chart, 'DataPlane', baseProps({ pushRegistries: { imagePushSecrets: [{ prefix, secret: make(chart) }] } }));
  const pullWithSecret = (make: (chart: Chart) => IRegistrySecret, prefix = 'docker.io/acme'): Build =>
    chart => new DataPlane(chart, 'DataPlane', baseProps({ api: DataPlaneApi.V1ALPHA1_PULL, pullRegistry: { prefix, secret: make(chart) } }));
  const patched = (patch: JsonPatch, api = DataPlaneApi.CORE_V1_PUSH): Build => chart => {
    const props = api === DataPlaneApi.CORE_V1_PUSH ? baseProps() : baseProps({ api, pullRegistry: { prefix: 'docker.io/acme' } });
    new DataPlane(chart, 'DataPlane', props).apiObject.addJsonPatch(patch);
    (chart.node.root as App).synthYaml();
  };
  const withCluster = (credentials: object): Build =>
    build({ kubernetesCluster: { name: 'c', credentials: { ...cluster('https://x').credentials, ...credentials } } as any });

  const cases: Array<[string, Build, string, string]> = [
    ['apiServerUrl spelling via an escape hatch',
      patched(JsonPatch.move('/spec/kubernetesCluster/credentials/apiServerURL', '/spec/kubernetesCluster/credentials/apiServerUrl')),
      'spec.kubernetesCluster.credentials.apiServerUrl', 'spelled "apiServerURL"'],
    ['a pull field added to a push DataPlane via an escape hatch',
      patched(JsonPatch.add('/spec/registry/prefix', 'docker.io/acme')),
      'spec.registry.prefix', 'DataPlaneApi.V1ALPHA1_PULL'],
    ['a push field added to a pull DataPlane via an escape hatch',
      patched(JsonPatch.add('/spec/registry/unauthenticated', ['ghcr.io/acme']), DataPlaneApi.CORE_V1_PULL_PROPOSAL),
      'spec.registry.unauthenticated', 'DataPlaneApi.CORE_V1_PUSH'],
    ['gateway removed via an escape hatch', patched(JsonPatch.remove('/spec/gateway')), 'spec.gateway', 'construct props'],
    ['a field of a later OpenChoreo release via an escape hatch', patched(JsonPatch.add('/spec/observer', { url: 'https://o' })), 'spec.observer', 'remove it'],
    ['a list replaced by a string via an escape hatch', patched(JsonPatch.add('/spec/registry/unauthenticated', 'ghcr.io/acme')),
      'spec.registry.unauthenticated', 'construct props'],
    ['push settings on a pull target',
      build({ api: DataPlaneApi.V1ALPHA1_PULL, pushRegistries: { unauthenticated: ['ghcr.io/acme'] }, pullRegistry: { prefix: 'ghcr.io/acme' } }),
      'pushRegistries', 'DataPlaneApi.CORE_V1_PUSH'],
    ['pull settings on the push target', build({ pullRegistry: { prefix: 'ghcr.io/acme' } }), 'pullRegistry', 'DataPlaneApi.V1ALPHA1_PULL'],
    ['a pull target without its registry', build({ api: DataPlaneApi.CORE_V1_PULL_PROPOSAL }), 'pullRegistry', 'DataPlane.BUILT_IN_REGISTRY'],
    ['a private prefix without secret',
      build({ pushRegistries: { imagePushSecrets: [{ prefix: 'docker.io/acme' } as any] } }),
      'pushRegistries.imagePushSecrets[0].secret', 'unauthenticated'],
    ['secret host ≠ prefix host', withSecret(chart => pushSecret(chart, 'S', 'ghcr-push', ghcr())),
      'pushRegistries.imagePushSecrets[0].secret', 'https://index.docker.io/v1/'],
    ['secret for another path of the same host', withSecret(chart => RegistrySecret.fromSecretName(chart, 'S', 's',
      { namespace: 'choreo-ci-default-org', registries: ['ghcr.io/other'], purpose: RegistryPurpose.PUSH }), 'ghcr.io/acme'),
    'pushRegistries.imagePushSecrets[0].secret', 'registry host "ghcr.io"'],
    ['Docker Hub secret under a key the kubelet never matches', withSecret(chart => RegistrySecret.fromSecretName(chart, 'S', 's',
      { namespace: 'choreo-ci-default-org', registries: ['registry-1.docker.io'], purpose: RegistryPurpose.PUSH })),
    'pushRegistries.imagePushSecrets[0].secret', 'https://index.docker.io/v1/'],
    ['secret not in choreo-ci-<org>', withSecret(chart => pushSecret(chart, 'S', 'hub', dockerHub(), 'default-org')),
      'pushRegistries.imagePushSecrets[0].secret.namespace', 'choreo-ci-default-org'],
    ['existing secret of unknown namespace', withSecret(chart => RegistrySecret.fromSecretName(chart, 'S', 'hub', { registries: ['docker.io'], purpose: RegistryPurpose.PUSH })),
      'pushRegistries.imagePushSecrets[0].secret.namespace', 'choreo-ci-default-org'],
    ['existing secret with unknown registries', withSecret(chart => RegistrySecret.fromSecretName(chart, 'S', 'hub', { namespace: 'choreo-ci-default-org', purpose: RegistryPurpose.PUSH })),
      'pushRegistries.imagePushSecrets[0].secret.registries', 'registries: ["docker.io"]'],
    ['a pull secret used for pushing', withSecret(chart => RegistrySecret.fromSecretName(chart, 'S', 'hub', { namespace: 'choreo-ci-default-org', registries: ['docker.io'] })),
      'pushRegistries.imagePushSecrets[0].secret.purpose', 'RegistryPurpose.PUSH'],
    ['push secret name with a dot (not a volume name)', withSecret(chart => pushSecret(chart, 'S', 'hub.push', dockerHub())),
      'pushRegistries.imagePushSecrets[0].secret.name', 'no dots'],
    ['push secret name over 63 characters', withSecret(chart => pushSecret(chart, 'S', `hub-${'x'.repeat(60)}`, dockerHub())),
      'pushRegistries.imagePushSecrets[0].secret.name', 'at most 63 characters'],
    ['one secret for two prefixes', chart => {
      const secret = RegistrySecret.fromSecretName(chart, 'S', 'hub', { namespace: 'choreo-ci-default-org', registries: ['docker.io'], purpose: RegistryPurpose.PUSH });
      new DataPlane(chart, 'DataPlane', baseProps({ pushRegistries: { imagePushSecrets: [{ prefix: 'docker.io/acme', secret }, { prefix: 'docker.io/beta', secret }] } }));
    }, 'pushRegistries.imagePushSecrets[1].secret', 'one RegistrySecret per prefix'],
    ['the same secret name for different prefixes in two DataPlanes of one organization', chart => {
      const secret = pushSecret(chart, 'S', 'hub', dockerHub());
      new DataPlane(chart, 'Dev', baseProps({ name: 'dev', pushRegistries: { imagePushSecrets: [{ prefix: 'docker.io/acme', secret }] } }));
      new DataPlane(chart, 'Prod', baseProps({ name: 'prod', pushRegistries: { imagePushSecrets: [{ prefix: 'docker.io/acme-prod', secret }] } }));
      (chart.node.root as App).synthYaml();
    }, 'pushRegistries.imagePushSecrets', 'distinct name'],
    ['a prefix listed twice', build({ pushRegistries: { unauthenticated: ['ghcr.io/acme', 'ghcr.io/acme'] } }),
      'pushRegistries.unauthenticated[1]', 'list each prefix once'],
    ['a prefix without registry host', build({ pushRegistries: { unauthenticated: ['acme'] } }),
      'pushRegistries.unauthenticated[0]', 'write "docker.io/acme"'],
    ['the legacy Docker Hub host', build({ pushRegistries: { unauthenticated: ['index.docker.io/acme'] } }),
      'pushRegistries.unauthenticated[0]', 'write "docker.io/acme"'],
    ['a prefix with a scheme', build({ pushRegistries: { unauthenticated: ['https://ghcr.io/acme'] } }),
      'pushRegistries.unauthenticated[0]', 'no scheme'],
    ['a prefix with a tag', build({ pushRegistries: { unauthenticated: ['ghcr.io/acme:v1'] } }),
      'pushRegistries.unauthenticated[0]', 'e.g. "ghcr.io/acme"'],
    ['a prefix with uppercase letters', build({ pushRegistries: { unauthenticated: ['ghcr.io/Acme'] } }),
      'pushRegistries.unauthenticated[0]', 'lowercase'],
    ['a prefix with a trailing slash', build({ api: DataPlaneApi.V1ALPHA1_PULL, pullRegistry: { prefix: 'ghcr.io/acme/' } }),
      'pullRegistry.prefix', 'trailing "/"'],
    ['pull secret host ≠ prefix host', pullWithSecret(chart => RegistrySecret.fromSecretName(chart, 'S', 'pull', { registries: ['ghcr.io'] })),
      'pullRegistry.secret', 'registry host "docker.io"'],
    ['a push secret used for pulling', pullWithSecret(chart => RegistrySecret.fromSecretName(chart, 'S', 'pull', { registries: ['docker.io'], purpose: RegistryPurpose.PUSH })),
      'pullRegistry.secret.purpose', 'RegistryPurpose.PULL'],
    ['name over 63 characters', build({ name: 'd'.repeat(64) }), 'name', `e.g. "${'d'.repeat(63)}"`],
    ['name with uppercase letters', build({ name: 'Default_DataPlane' }), 'name', 'default-dataplane'],
    ['organization whose build namespace is over 63 characters', build({ organization: 'o'.repeat(54) }), 'organization', 'at most 53 characters'],
    ['organization with uppercase letters', build({ organization: 'Default-Org' }), 'organization', 'default-org'],
    ['a sealed client key', withCluster({ clientKey: SecretValue.sealed(SEALED) }),
      'kubernetesCluster.credentials.clientKey', 'SecretValue.unsafePlainText'],
    ['an external client key', withCluster({ clientKey: SecretValue.fromExternalSecret('dataplane/client-key') }),
      'kubernetesCluster.credentials.clientKey', 'keep the synthesized DataPlane out of Git'],
    ['a client key as PEM text, not base64', withCluster({ clientKey: SecretValue.unsafePlainText(KEY_TEXT) }),
      'kubernetesCluster.credentials.clientKey', 'base64-encode'],
    ['a CA certificate that is not base64 PEM', withCluster({ caCert: 'not-a-cert' }), 'kubernetesCluster.credentials.caCert', 'client-certificate-data'],
    ['an http API server URL', withCluster({ apiServerUrl: 'http://10.0.0.1:6443' }), 'kubernetesCluster.credentials.apiServerUrl', 'https://10.0.0.1:6443'],
    ['an empty cluster name', build({ kubernetesCluster: { ...cluster('https://x'), name: ' ' } }), 'kubernetesCluster.name', 'kind-choreo'],
    ['a gateway host with a scheme', build({ gateway: { publicVirtualHost: 'https://choreoapis.localhost', organizationVirtualHost: 'a' } }),
      'gateway.publicVirtualHost', 'lowercase'],
    ['a label that overrides a lookup label', build({ labels: { 'core.choreo.dev/name': 'other' } }), 'labels["core.choreo.dev/name"]', 'set name or organization'],
    ['a sync wave before the secrets', chart => {
      const secret = pushSecret(chart, 'S', 'hub', dockerHub());
      new DataPlane(chart, 'DataPlane', baseProps({ argoCd: { syncWave: -1 }, pushRegistries: { imagePushSecrets: [{ prefix: 'docker.io/acme', secret }] } }));
    }, 'argoCd.syncWave', 'use 0 or more'],
  ];

  test('covers at least 25 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  test.each(cases)('%s', (_name, make, property, fixText) => {
    // At construction a ValidationError; at synth (escape hatches) cdk8s's report of the validations' messages.
    const error = firstProblemOf(() => make(newChart()));
    expect(error.message).toMatch(/^\[test\/DataPlane\] |^[a-zA-Z]/);
    expect(error.property).toBe(property);
    expect(error.fix).toContain(fixText);
    expect(error.message).toContain(`${property}: `);
    for (const secret of [KEY, KEY_TEXT, 'MHcCAQEEIFAKE', 'dckr_pat_FAKE', 'ghp_FAKE', SEALED]) {
      expect(error.message).not.toContain(secret);
    }
  });
});

describe('DataPlane: push secrets shared by DataPlanes of one organization', () => {
  // The build controller merges the registries of every DataPlane in a pipeline into one map keyed by secret name.
  function twoDataPlanes(secondPrefix: string, organization = 'default-org'): App {
    const chart = newChart();
    const secret = pushSecret(chart, 'Push', 'dev-dockerhub-push-secret', dockerHub());
    new DataPlane(chart, 'Dev', baseProps({ name: 'dev', pushRegistries: { imagePushSecrets: [{ prefix: 'docker.io/acme', secret }] } }));
    const otherSecret = organization === 'default-org' ? secret
      : pushSecret(chart, 'OtherPush', 'dev-dockerhub-push-secret', dockerHub(), `choreo-ci-${organization}`);
    new DataPlane(chart, 'Prod', baseProps({
      name: 'prod', organization, pushRegistries: { imagePushSecrets: [{ prefix: secondPrefix, secret: otherSecret }] },
    }));
    return chart.node.root as App;
  }

  test('one secret name for two prefixes fails at synth, naming both DataPlanes and the fix', () => {
    const error = firstProblemOf(() => twoDataPlanes('docker.io/acme-prod').synthYaml());
    expect(error.property).toBe('pushRegistries.imagePushSecrets');
    expect(error.message).toMatch(/dev-dockerhub-push-secret/);
    expect(error.message).toMatch(/docker\.io\/acme-prod|docker\.io\/acme"/);
    expect(error.fix.length).toBeGreaterThan(0);
  });

  test('the same secret for the same prefix, or the same name in another organization, is fine', () => {
    expect(() => twoDataPlanes('docker.io/acme').synthYaml()).not.toThrow();
    expect(() => twoDataPlanes('docker.io/acme-prod', 'other-org').synthYaml()).not.toThrow();
  });
});
