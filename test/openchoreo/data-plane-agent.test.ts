import { App, Chart, JsonPatch, Testing } from 'cdk8s';
import { RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import { IGNORE_ANNOTATION } from '../../src/doctor/lint';
import { KubernetesNames } from '../../src/names';
import { DataPlane, DataPlaneApi, DataPlaneProps, DataPlaneRegistryShape } from '../../src/openchoreo/data-plane';
import { DataPlaneClientCa } from '../../src/openchoreo/data-plane-agent';
import { checkDataPlaneSpec } from '../../src/openchoreo/data-plane-fields';
import { OpenChoreoNames } from '../../src/openchoreo/namespace-names';
import { OpenChoreoReleaseLine, SecretReference, SecretReferenceProps } from '../../src/openchoreo/secret-reference';
import { firstProblemOf, validationErrorOf } from '../helpers/errors';
import { checkManifests, expectValidManifests } from '../helpers/manifest-checker';
import { loadReferenceJson } from '../helpers/reference';

const V0_17_CRD = 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2026-03-03_imagePullSecretRefs-v0.17.0.yaml';
const LATEST_CRD = 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2026-05-26_latest.yaml';
const CA_PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const NAME_VECTORS = loadReferenceJson('openchoreo', 'namespace-name-vectors.json');
const SPEC_VECTORS: any[] = loadReferenceJson('openchoreo', 'dataplane-spec-validation-vectors.json').vectors;

function chart(): Chart {
  return new Chart(new App(), 'platform');
}

function dataPlanes(c: Chart): any[] {
  return Testing.synth(c).filter(o => o.kind === 'DataPlane');
}

function checkWith(objects: any[], crd: string) {
  return checkManifests(objects, { crdFiles: { 'openchoreo.dev/v1alpha1/DataPlane': crd } });
}

function pullRef(c: Chart, name = 'ghcr-pull', release = OpenChoreoReleaseLine.V0_17, extra: Partial<SecretReferenceProps> = {}): SecretReference {
  return new SecretReference(c, `Ref-${name}-${release}`, {
    release,
    name,
    namespace: 'default',
    credentials: RegistryCredentials.dockerConfigJson(SecretValue.fromExternalSecret('registry-credentials', { property: 'value' }), { registry: 'ghcr.io' }),
    ...extra,
  });
}

const AGENT = { clientCa: DataPlaneClientCa.fromSecret('cluster-agent-ca', 'ca.crt') };

/** The v0.17 DataPlane "default" of organization "default" with one SecretReference, "component". */
function componentPullDataPlane(c: Chart): DataPlane {
  return new DataPlane(c, 'DataPlane', {
    api: DataPlaneApi.V1ALPHA1_V0_17,
    name: 'default',
    organization: 'default',
    clusterAgent: AGENT,
    secretStore: 'default',
    imagePullSecretRefs: [pullRef(c, 'component')],
  });
}

describe('DataPlaneApi.V1ALPHA1_V0_17 (v0.9 to v0.17)', () => {
  test('imagePullSecretRefs from SecretReference constructs, secretStoreRef and clusterAgent.clientCA.secretRef; valid against the v0.17.0 CRD', () => {
    const c = chart();
    const dataPlane = new DataPlane(c, 'DataPlane', {
      api: DataPlaneApi.V1ALPHA1_V0_17,
      name: 'default',
      organization: 'default',
      clusterAgent: AGENT,
      planeId: 'prod-cluster',
      secretStore: 'default',
      imagePullSecretRefs: [pullRef(c)],
    });
    const [object] = dataPlanes(c);
    expect(object).toEqual({
      apiVersion: 'openchoreo.dev/v1alpha1',
      kind: 'DataPlane',
      metadata: {
        name: 'default',
        namespace: 'default',
        annotations: {
          'argocd.argoproj.io/sync-wave': '0',
          'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
          [IGNORE_ANNOTATION]: 'openchoreo-stale-registry-fields',
        },
      },
      spec: {
        planeID: 'prod-cluster',
        clusterAgent: { clientCA: { secretRef: { name: 'cluster-agent-ca', key: 'ca.crt' } } },
        secretStoreRef: { name: 'default' },
        imagePullSecretRefs: ['ghcr-pull'],
      },
    });
    expect(dataPlane.api.registryShape).toBe(DataPlaneRegistryShape.SECRET_REFERENCES);
    expectValidManifests([object], { crdFiles: { 'openchoreo.dev/v1alpha1/DataPlane': V0_17_CRD } });
    // The same object on a v1.x cluster: both release-specific fields would be pruned.
    expect(checkWith([object], LATEST_CRD).map(p => p.path).sort()).toEqual(['/spec/clusterAgent/clientCA/secretRef', '/spec/imagePullSecretRefs']);
  });

  test('previews the ExternalSecrets the binding controllers create: GenerateK8sName(binding, ref) in the dp-… namespace', () => {
    const c = chart();
    const dataPlane = componentPullDataPlane(c);
    const namespaceVector = (NAME_VECTORS.dataPlaneNamespace_limit63 as any[]).find(v => v.input.join('/') === 'dp/default/default/development');
    const nameVector = (NAME_VECTORS.generateK8sName_limit253 as any[]).find(v => v.input.join('/') === 'project/component');
    expect(dataPlane.imagePullSecretPreview('default', 'development', 'project')).toEqual([
      { namespace: namespaceVector.expected, name: nameVector.expected, secretReference: 'component' },
    ]);
  });

  test.each((NAME_VECTORS.generateK8sName_limit253 as any[]).filter(v => v.input.length === 2 && v.input[1] === 'component' && v.input[0].length <= 253))(
    'ExternalSecret name for binding of length $input.0.length (upstream GenerateK8sName vector)', vector => {
      const c = chart();
      const dataPlane = componentPullDataPlane(c);
      expect(dataPlane.imagePullSecretPreview('p', 'e', vector.input[0])[0].name).toBe(vector.expected);
    });

  test('a 253-character binding: the name is cut to the 253 budget, keeps the hash and is a valid Secret name', () => {
    const c = chart();
    const dataPlane = new DataPlane(c, 'DataPlane', {
      api: DataPlaneApi.V1ALPHA1_V0_17, name: 'default', organization: 'default', clusterAgent: AGENT, secretStore: 'default', imagePullSecretRefs: [pullRef(c)],
    });
    const [preview] = dataPlane.imagePullSecretPreview('shop', 'production', 'b'.repeat(253));
    // budget 253 - 8 - 2 = 243, split 122 / 121: the ref name (9 characters) is kept whole.
    expect(preview.name).toMatch(/^b{122}-ghcr-pull-[0-9a-f]{8}$/);
    expect(KubernetesNames.isDns1123Subdomain(preview.name)).toBe(true);
    expect(preview.namespace).toBe(OpenChoreoNames.dataPlaneNamespace('default', 'shop', 'production'));
  });

  test('the DataPlane comes after the SecretReferences it names (Argo CD sync wave)', () => {
    const c = chart();
    const ref = pullRef(c, 'ghcr-pull', OpenChoreoReleaseLine.V0_17, { argoCd: { syncWave: 3 } });
    new DataPlane(c, 'DataPlane', { api: DataPlaneApi.V1ALPHA1_V0_17, name: 'default', organization: 'default', clusterAgent: AGENT, secretStore: 'default', imagePullSecretRefs: [ref] });
    expect(dataPlanes(c)[0].metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('4');
  });
});

describe('DataPlaneApi.V1ALPHA1_V1 (v1.x)', () => {
  test('planeID, clusterAgent.clientCA.secretKeyRef, secretStoreRef and no registry field; valid against the latest CRD', () => {
    const c = chart();
    new DataPlane(c, 'DataPlane', {
      api: DataPlaneApi.V1ALPHA1_V1,
      name: 'default',
      organization: 'default',
      clusterAgent: { clientCa: DataPlaneClientCa.fromSecret('cluster-agent-ca', 'ca.crt', 'openchoreo-control-plane') },
      planeId: 'default',
      secretStore: 'default',
      labels: { team: 'platform' },
    });
    const [object] = dataPlanes(c);
    expect(object.metadata.labels).toEqual({ team: 'platform' });
    expect(object.spec).toEqual({
      planeID: 'default',
      clusterAgent: { clientCA: { secretKeyRef: { name: 'cluster-agent-ca', namespace: 'openchoreo-control-plane', key: 'ca.crt' } } },
      secretStoreRef: { name: 'default' },
    });
    expectValidManifests([object], { crdFiles: { 'openchoreo.dev/v1alpha1/DataPlane': LATEST_CRD } });
    expect(checkWith([object], V0_17_CRD).map(p => p.path)).toEqual(['/spec/clusterAgent/clientCA/secretKeyRef']);
  });

  test('an inline CA is written as value', () => {
    const c = chart();
    new DataPlane(c, 'DataPlane', { api: DataPlaneApi.V1ALPHA1_V1, name: 'default', organization: 'default', clusterAgent: { clientCa: DataPlaneClientCa.fromPem(CA_PEM) } });
    const [object] = dataPlanes(c);
    expect(object.spec).toEqual({ clusterAgent: { clientCA: { value: CA_PEM } } });
    expectValidManifests([object], { crdFiles: { 'openchoreo.dev/v1alpha1/DataPlane': LATEST_CRD } });
  });
});

describe('strict check agrees with the CRDs on the research vectors (dataplane-spec-validation-vectors.json)', () => {
  const vectors = SPEC_VECTORS.filter(v => v.crd === 'eso_v0.17.0_2026-03-03' || v.crd === 'latest_2026-05-26');
  test.each(vectors.map(v => [v.case, v.crd, v] as const))('%s on %s', (_name, crd, vector) => {
    const accepted = vector.schemaValid && vector.unknownFields.length === 0;
    const withPullRefs = crd === 'eso_v0.17.0_2026-03-03';
    const thunk = () => checkDataPlaneSpec(chart(), withPullRefs ? 'V1ALPHA1_V0_17' : 'V1ALPHA1_V1', vector.spec);
    if (accepted) {
      expect(thunk).not.toThrow();
    } else {
      const error = validationErrorOf(thunk);
      const flagged = [...vector.unknownFields, ...vector.schemaErrors.map((e: string) => e.split(':')[0])];
      expect(flagged.some(path => error.property === path || error.property.startsWith(`${path}.`) || path.startsWith(`${error.property}`))).toBe(true);
    }
  });
});

describe('version mismatches name the release that has the field', () => {
  const base = (api: DataPlaneApi): DataPlaneProps => ({ api, name: 'default', organization: 'default', clusterAgent: AGENT });
  const cluster = {
    name: 'kind',
    credentials: {
      apiServerUrl: 'https://10.0.0.1:6443',
      caCert: Buffer.from(CA_PEM).toString('base64'),
      clientCert: Buffer.from(CA_PEM).toString('base64'),
      clientKey: SecretValue.unsafePlainText(Buffer.from('-----BEGIN EC PRIVATE KEY-----\nx\n-----END EC PRIVATE KEY-----\n').toString('base64')),
    },
  };
  const gateway = { publicVirtualHost: 'api.example.com', organizationVirtualHost: 'internal.example.com' };

  test.each<[string, (c: Chart) => DataPlaneProps, string, RegExp]>([
    ['imagePullSecretRefs on v1.x (removed field)', c => ({ ...base(DataPlaneApi.V1ALPHA1_V1), secretStore: 'default', imagePullSecretRefs: [pullRef(c)] }), 'imagePullSecretRefs', /v0\.9 to v0\.17.*removed in v1\.0\.0-rc\.1/],
    ['kubernetesCluster on v0.17 (removed in v0.9)', () => ({ ...base(DataPlaneApi.V1ALPHA1_V0_17), kubernetesCluster: cluster }), 'kubernetesCluster', /replaced by clusterAgent in v0\.9/],
    ['2025 gateway on v1.x', () => ({ ...base(DataPlaneApi.V1ALPHA1_V1), gateway }), 'gateway', /2025 shape/],
    ['pullRegistry on v0.17 (v0.3 field)', () => ({ ...base(DataPlaneApi.V1ALPHA1_V0_17), pullRegistry: { prefix: 'ghcr.io/acme' } }), 'pullRegistry', /removed in v0\.4/],
    ['pushRegistries on v1.x (v0.2 field)', () => ({ ...base(DataPlaneApi.V1ALPHA1_V1), pushRegistries: {} }), 'pushRegistries', /removed in v0\.4/],
    ['clusterAgent on the v0.2 API (a v0.9+ field)', () => ({ ...base(DataPlaneApi.CORE_V1_PUSH), kubernetesCluster: cluster, gateway }), 'clusterAgent', /exists from v0\.9/],
    ['secretStore on the v0.3 API', () => ({ api: DataPlaneApi.V1ALPHA1_PULL, name: 'default', organization: 'default', kubernetesCluster: cluster, gateway, pullRegistry: { prefix: 'ghcr.io/acme' }, secretStore: 'default' }), 'secretStore', /exists from v0\.9/],
    ['imagePullSecretRefs on the v0.3 API', c => ({ api: DataPlaneApi.V1ALPHA1_PULL, name: 'default', organization: 'default', kubernetesCluster: cluster, gateway, pullRegistry: { prefix: 'ghcr.io/acme' }, imagePullSecretRefs: [pullRef(c)] }), 'imagePullSecretRefs', /V1ALPHA1_V0_17/],
    ['no kubernetesCluster on the v0.3 API', () => ({ api: DataPlaneApi.V1ALPHA1_PULL, name: 'default', organization: 'default', gateway, pullRegistry: { prefix: 'ghcr.io/acme' } }), 'kubernetesCluster', /required/],
  ])('%s', (_title, props, property, problem) => {
    const c = chart();
    const error = validationErrorOf(() => new DataPlane(c, 'DataPlane', props(c)));
    expect(error.property).toBe(property);
    expect(error.problem).toMatch(problem);
    expect(error.fix.length).toBeGreaterThan(0);
  });

  test.each<[string, DataPlaneApi, JsonPatch, string, RegExp]>([
    ['secretKeyRef (a v1.x spelling) on a v0.17 DataPlane', DataPlaneApi.V1ALPHA1_V0_17,
      JsonPatch.add('/spec/clusterAgent/clientCA/secretKeyRef', { name: 'ca', key: 'ca.crt' }), 'spec.clusterAgent.clientCA.secretKeyRef', /OpenChoreo v1\.x/],
    ['imagePullSecretRefs (removed) on a v1.x DataPlane', DataPlaneApi.V1ALPHA1_V1,
      JsonPatch.add('/spec/imagePullSecretRefs', ['ghcr-pull']), 'spec.imagePullSecretRefs', /removed in v1\.0\.0-rc\.1/],
    ['secretRef (the v0.17 spelling) on a v1.x DataPlane', DataPlaneApi.V1ALPHA1_V1,
      JsonPatch.add('/spec/clusterAgent/clientCA/secretRef', { name: 'ca', key: 'ca.crt' }), 'spec.clusterAgent.clientCA.secretRef', /v0\.9 to v0\.17/],
    ['spec.registry (v0.3) on a v1.x DataPlane', DataPlaneApi.V1ALPHA1_V1,
      JsonPatch.add('/spec/registry', { prefix: 'ghcr.io/acme' }), 'spec.registry', /removed in v0\.4/],
    ['an uppercase planeID', DataPlaneApi.V1ALPHA1_V1, JsonPatch.add('/spec/planeID', 'Prod'), 'spec.planeID', /must match/],
    ['clusterAgent removed', DataPlaneApi.V1ALPHA1_V0_17, JsonPatch.remove('/spec/clusterAgent'), 'spec.clusterAgent', /required/],
  ])('escape hatch: %s is refused at synth', (_title, api, patch, property, problem) => {
    const c = chart();
    const dataPlane = new DataPlane(c, 'DataPlane', { api, name: 'default', organization: 'default', clusterAgent: AGENT });
    dataPlane.apiObject.addJsonPatch(patch);
    const error = firstProblemOf(() => Testing.synth(c));
    expect(error.property).toBe(property);
    expect(error.problem).toMatch(problem);
  });

  test.each<[string, DataPlaneApi, string]>([
    ['secretKeyRef', DataPlaneApi.V1ALPHA1_V0_17, 'write "secretRef", the spelling of DataPlaneApi.V1ALPHA1_V0_17, or use DataPlaneApi.V1ALPHA1_V1'],
    ['secretRef', DataPlaneApi.V1ALPHA1_V1, 'write "secretKeyRef", the spelling of DataPlaneApi.V1ALPHA1_V1, or use DataPlaneApi.V1ALPHA1_V0_17'],
  ])('escape hatch: clientCA.%s, renamed between releases, is answered with this release\'s spelling (from the generated CRD trees)', (field, api, fix) => {
    const c = chart();
    const dataPlane = new DataPlane(c, 'DataPlane', { api, name: 'default', organization: 'default', clusterAgent: AGENT });
    dataPlane.apiObject.addJsonPatch(JsonPatch.add(`/spec/clusterAgent/clientCA/${field}`, { name: 'ca', key: 'ca.crt' }));
    expect(firstProblemOf(() => Testing.synth(c)).fix).toContain(fix);
  });
});

describe('bad input', () => {
  test.each<[string, (c: Chart) => Partial<DataPlaneProps>, string, RegExp]>([
    ['clusterAgent missing', () => ({ clusterAgent: undefined }), 'clusterAgent.clientCa', /required/],
    ['clientCa not from DataPlaneClientCa', () => ({ clusterAgent: { clientCa: { value: CA_PEM } as any } }), 'clusterAgent.clientCa', /must be a DataPlaneClientCa, not a plain object/],
    ['clientCa PEM without a certificate header', () => ({ clusterAgent: { clientCa: DataPlaneClientCa.fromPem('MIIB') } }), 'clusterAgent.clientCa', /PEM/],
    ['clientCa Secret name uppercase', () => ({ clusterAgent: { clientCa: DataPlaneClientCa.fromSecret('CA', 'ca.crt') } }), 'clusterAgent.clientCa.name', /DNS-1123/],
    ['clientCa key with a slash', () => ({ clusterAgent: { clientCa: DataPlaneClientCa.fromSecret('ca', 'certs/ca.crt') } }), 'clusterAgent.clientCa.key', /Secret data key/],
    ['planeId uppercase', () => ({ planeId: 'Prod_Cluster' }), 'planeId', /DNS-1123/],
    ['planeId 64 characters', () => ({ planeId: 'a'.repeat(64) }), 'planeId', /63/],
    ['planeId not a string', () => ({ planeId: 5 as any }), 'planeId', /must be a string/],
    ['imagePullSecretRefs without secretStore', c => ({ imagePullSecretRefs: [pullRef(c)] }), 'secretStore', /no ExternalSecret/],
    ['a v1.x SecretReference on a v0.17 DataPlane', c => ({ secretStore: 'default', imagePullSecretRefs: [pullRef(c, 'ghcr-pull', OpenChoreoReleaseLine.V1)] }), 'imagePullSecretRefs[0].release', /v1\.x/],
    ['a SecretReference listed twice', c => { const ref = pullRef(c); return { secretStore: 'default', imagePullSecretRefs: [ref, ref] }; }, 'imagePullSecretRefs[1]', /twice/],
    ['a plain name instead of a SecretReference', () => ({ secretStore: 'default', imagePullSecretRefs: ['ghcr-pull' as any] }), 'imagePullSecretRefs[0]', /must be a SecretReference, not a string/],
    ['secretStore with uppercase', () => ({ secretStore: 'Default' }), 'secretStore', /DNS-1123/],
  ])('%s', (_title, override, property, problem) => {
    const c = chart();
    const error = validationErrorOf(() => new DataPlane(c, 'DataPlane', {
      api: DataPlaneApi.V1ALPHA1_V0_17, name: 'default', organization: 'default', clusterAgent: AGENT, ...override(c),
    } as DataPlaneProps));
    expect(error.property).toBe(property);
    expect(error.problem).toMatch(problem);
    expect(error.fix.length).toBeGreaterThan(0);
    expect(error.message).toContain('platform/DataPlane');
  });

  test.each<[string, () => unknown, string]>([
    ['a binding name with uppercase', () => 'Web', 'binding'],
    ['a binding that is not a string', () => 7, 'binding'],
  ])('the preview refuses %s', (_title, binding, property) => {
    const c = chart();
    const dataPlane = new DataPlane(c, 'DataPlane', {
      api: DataPlaneApi.V1ALPHA1_V0_17, name: 'default', organization: 'default', clusterAgent: AGENT, secretStore: 'default', imagePullSecretRefs: [pullRef(c)],
    });
    expect(validationErrorOf(() => dataPlane.imagePullSecretPreview('p', 'e', binding() as string)).property).toBe(property);
  });

  test('imagePullSecretRefs that is not a list is refused, not a TypeError', () => {
    const error = validationErrorOf(() => new DataPlane(chart(), 'DataPlane', {
      api: DataPlaneApi.V1ALPHA1_V0_17, name: 'default', organization: 'default', clusterAgent: AGENT, secretStore: 'default', imagePullSecretRefs: 'ghcr-pull' as any,
    }));
    expect(error.property).toBe('imagePullSecretRefs');
  });

  test('the preview is refused on APIs without imagePullSecretRefs', () => {
    const c = chart();
    const dataPlane = new DataPlane(c, 'DataPlane', { api: DataPlaneApi.V1ALPHA1_V1, name: 'default', organization: 'default', clusterAgent: AGENT });
    expect(validationErrorOf(() => dataPlane.imagePullSecretPreview('p', 'e', 'b')).problem).toMatch(/only OpenChoreo v0\.9 to v0\.17/);
  });
});
