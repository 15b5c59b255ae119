import * as fs from 'fs';
import { join } from 'path';
import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import { KONFLUX_RELEASEPLANADMISSION_SPEC } from '../../src/imports/crd-fields.generated';
import { BuildServiceAccount } from '../../src/konflux/build-service-account';
import { ReleasePipelineRef, ReleasePlanAdmission, ReleasePlanAdmissionProps } from '../../src/konflux/release-plan-admission';
import { RegistryPurpose, RegistrySecret } from '../../src/registry-secret';
import { validationErrorOf } from '../helpers/errors';
import { checkManifests, expectValidManifests } from '../helpers/manifest-checker';
import { loadReferenceJson, loadReferenceYaml } from '../helpers/reference';

const VECTORS = loadReferenceJson('konflux', 'konflux-test-vectors.json');
const RPA = VECTORS.releasePlanAdmission;
const DEMO = RPA.demo;
const [CRD] = loadReferenceYaml('konflux', 'appstudio.redhat.com_releaseplanadmissions.yaml');

function managedChart(namespace = DEMO.metadata.namespace): Chart {
  return new Chart(Testing.app(), 'managed', { namespace });
}

function releaseAccount(chart: Chart): BuildServiceAccount {
  const secret = new RegistrySecret(chart, 'Regcred', {
    name: 'regcred',
    // The release pipeline pushes with it (the app's push-coverage check reads the purpose).
    purpose: RegistryPurpose.PUSH,
    credentials: [RegistryCredentials.basic('registry-service.kind-registry', 'konflux', SecretValue.unsafePlainText('fake-password'))],
  });
  return BuildServiceAccount.forRelease(chart, 'ReleasePipeline', { secrets: [secret] });
}

/** The demo admission of konflux-test-vectors.json, declared with our props. */
function demoProps(account: kplus.IServiceAccount, overrides: Partial<ReleasePlanAdmissionProps> = {}): ReleasePlanAdmissionProps {
  const ref = DEMO.spec.pipeline.pipelineRef;
  const param = (name: string) => ref.params.find((p: any) => p.name === name).value;
  return {
    name: DEMO.metadata.name,
    origin: DEMO.spec.origin,
    policy: DEMO.spec.policy,
    applications: DEMO.spec.applications,
    data: DEMO.spec.data,
    autoRelease: true,
    pipeline: {
      pipelineRef: ReleasePipelineRef.git({ url: param('url'), revision: param('revision'), pathInRepo: param('pathInRepo') }),
      serviceAccount: account,
      ociStorage: ref.ociStorage,
    },
    ...overrides,
  };
}

function admissionOf(chart: Chart): any {
  return Testing.synth(chart).find(o => o.kind === 'ReleasePlanAdmission');
}

function at(object: any, path: string): unknown {
  return path.split('.').reduce((value, key) => value?.[key], object);
}

describe('the demo admission (konflux-test-vectors.json releasePlanAdmission.demo)', () => {
  const chart = managedChart();
  new ReleasePlanAdmission(chart, 'Rpa', demoProps(releaseAccount(chart)));
  const admission = admissionOf(chart);

  test('reproduces the demo spec and metadata exactly', () => {
    expect(admission.apiVersion).toBe(RPA.apiVersion);
    expect(admission.kind).toBe(RPA.kind);
    expect(admission.spec).toEqual(DEMO.spec);
    expect(admission.metadata).toEqual({
      ...DEMO.metadata,
      annotations: {
        'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
        'argocd.argoproj.io/sync-wave': '1',
      },
    });
  });

  test.each(['ociStoragePath', 'serviceAccountPath'])('places the vector\'s %s', (vectorKey) => {
    const path: string = RPA[vectorKey];
    expect(at(admission, path)).toBe(at({ spec: DEMO.spec }, path));
    expect(at(admission, path)).toBeDefined();
  });

  test('the service account name is the linked account\'s, which exists in the same namespace', () => {
    const account = Testing.synth(chart).find(o => o.kind === 'ServiceAccount');
    expect(admission.spec.pipeline.serviceAccountName).toBe(account.metadata.name);
    expect(admission.metadata.namespace).toBe(account.metadata.namespace);
  });

  test('every object is valid against the ReleasePlanAdmission CRD and the core schemas', () => {
    expectValidManifests(Testing.synth(chart));
  });
});

describe('against the CRD', () => {
  test('componentGroups instead of applications, a custom resolver, an environment and raw spec fields', () => {
    const chart = managedChart('managed-ns1');
    const account = releaseAccount(chart);
    new ReleasePlanAdmission(chart, 'Rpa', {
      name: 'group-release',
      origin: 'user-ns1',
      policy: 'strict-policy',
      componentGroups: ['frontend', 'backend'],
      environment: 'production',
      pipeline: {
        pipelineRef: ReleasePipelineRef.of('bundles', [
          { name: 'bundle', value: 'quay.io/konflux-ci/release-pipelines:latest' },
          { name: 'name', value: 'push-to-external-registry' },
          { name: 'kind', value: 'pipeline' },
        ]),
        serviceAccount: account,
      },
      rawSpec: {
        collectors: { items: [{ name: 'jira', type: 'jira', params: [{ name: 'url', value: 'https://issues.example.com' }] }] },
        pipeline: { maxRetries: 2, timeouts: { pipeline: '2h0m0s' }, pipelineRef: { useEmptyDir: true } },
      },
    });
    const admission = admissionOf(chart);
    expect(admission.spec.componentGroups).toEqual(['frontend', 'backend']);
    expect(admission.spec).not.toHaveProperty('applications');
    expect(admission.spec.collectors).toEqual({ items: [{ name: 'jira', type: 'jira', params: [{ name: 'url', value: 'https://issues.example.com' }] }] });
    expect(admission.spec.pipeline).toEqual({
      maxRetries: 2,
      timeouts: { pipeline: '2h0m0s' },
      serviceAccountName: 'release-pipeline',
      pipelineRef: {
        resolver: 'bundles',
        useEmptyDir: true,
        params: [
          { name: 'bundle', value: 'quay.io/konflux-ci/release-pipelines:latest' },
          { name: 'name', value: 'push-to-external-registry' },
          { name: 'kind', value: 'pipeline' },
        ],
      },
    });
    expectValidManifests(Testing.synth(chart));
  });

  test('a cdk8s-plus ServiceAccount in the managed namespace can be the pipeline account', () => {
    const chart = managedChart();
    const account = new kplus.ServiceAccount(chart, 'Account', { metadata: { name: 'release-service-account' } });
    new ReleasePlanAdmission(chart, 'Rpa', demoProps(account));
    expect(admissionOf(chart).spec.pipeline.serviceAccountName).toBe('release-service-account');
  });

  test('no pipeline: the admission is still valid', () => {
    const chart = managedChart();
    new ReleasePlanAdmission(chart, 'Rpa', { name: 'minimal', origin: 'user-ns2', policy: 'default', applications: ['app'] });
    const admission = admissionOf(chart);
    expect(admission.spec).toEqual({ origin: 'user-ns2', policy: 'default', applications: ['app'] });
    expect(admission.metadata).not.toHaveProperty('labels');
    expectValidManifests([admission]);
  });

  // Why misplacement must be impossible: the CRD has no such fields, so the API server would prune them silently.
  test.each([
    ['spec.ociStorage', { ociStorage: 'quay.io/acme/ta' }],
    ['spec.pipeline.ociStorage', { pipeline: { ociStorage: 'quay.io/acme/ta', pipelineRef: { resolver: 'git', params: [] } } }],
    ['spec.serviceAccountName', { serviceAccountName: 'release-pipeline' }],
  ])('a hand-written %s is an unknown field for the CRD', (path, extra) => {
    const object = { apiVersion: RPA.apiVersion, kind: RPA.kind, metadata: { name: 'x', namespace: 'managed-ns2' }, spec: { ...DEMO.spec, ...extra } };
    const messages = checkManifests([object]).map(p => `${p.path} ${p.message}`);
    expect(messages.some(m => m.startsWith(`/${path.replace(/\./g, '/')} unknown field`))).toBe(true);
  });

  test.each([
    ['spec.ociStorage', { ociStorage: 'quay.io/acme/ta' }, 'rawSpec.ociStorage'],
    ['spec.pipeline.ociStorage', { pipeline: { ociStorage: 'quay.io/acme/ta' } }, 'rawSpec.pipeline.ociStorage'],
    ['spec.serviceAccountName', { serviceAccountName: 'release-pipeline' }, 'rawSpec.serviceAccountName'],
    ['spec.pipeline.pipelineRef.serviceAccountName', { pipeline: { pipelineRef: { serviceAccountName: 'x' } } }, 'rawSpec.pipeline.pipelineRef.serviceAccountName'],
  ])('we reject %s in the raw spec, pointing to the typed prop', (_path, rawSpec, property) => {
    const chart = managedChart();
    const err = validationErrorOf(() => new ReleasePlanAdmission(chart, 'Rpa', demoProps(releaseAccount(chart), { rawSpec })));
    expect(err.property).toBe(property);
    expect(err.fix).toMatch(/pipeline\.(ociStorage|serviceAccount)/);
  });
});

describe('the raw-spec field tree', () => {
  /** The field names at every level of a schema (through array items). */
  function names(schema: any): any {
    return schema.properties ? Object.fromEntries(Object.entries(schema.properties).map(([field, child]) => [field, names(child)]))
      : schema.items ? names(schema.items) : true;
  }

  test('has exactly the fields of the CRD at every level (generated from it by scripts/import-crds.ts)', () => {
    const spec = CRD.spec.versions.find((v: any) => v.name === 'v1alpha1').schema.openAPIV3Schema.properties.spec;
    expect(names(KONFLUX_RELEASEPLANADMISSION_SPEC)).toEqual(names(spec));
  });
});

test('the generated ReleasePlanAdmission class spells every field as the CRD does, so a raw spec (CRD spelling) passes through it whole', () => {
  const source = fs.readFileSync(join(__dirname, '..', '..', 'src', 'imports', 'konflux-releaseplanadmission.ts'), 'utf8');
  const conversions = [...source.matchAll(/^\s+'([^']+)': .*?obj\.(\w+)/gm)].map(match => ({ json: match[1], prop: match[2] }));
  expect(conversions.length).toBeGreaterThan(100);
  expect(conversions.filter(c => c.json !== c.prop)).toEqual([]);
});
