import { App, Chart, Duration, JsonPatch, Testing } from 'cdk8s';
import { RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import { TokenGenerator } from '../../src/credentials/token-generator';
import {
  OpenChoreoReleaseLine, SecretReference, SecretReferencePlaneKind, SecretReferenceProps,
} from '../../src/openchoreo/secret-reference';
import { validationErrorOf } from '../helpers/errors';
import { checkManifests, expectValidManifests } from '../helpers/manifest-checker';

const CRD = { 'openchoreo.dev/v1alpha1/SecretReference': 'openchoreo/secretreferences.openchoreo.dev_v1alpha1_2026-05-26_latest.yaml' };
/** The shape kubeseal writes: a uint16 RSA ciphertext length (256), the RSA ciphertext, AES-GCM ciphertext and tag. */
const SEALED = Buffer.concat([Buffer.from([1, 0]), Buffer.alloc(256 + 32, 7)]).toString('base64');
const STORE_CONFIG = RegistryCredentials.dockerConfigJson(
  SecretValue.fromExternalSecret('registry-credentials', { property: 'value' }), { registry: 'ghcr.io' });

function chart(namespace: string | undefined = 'default'): Chart {
  return new Chart(new App(), 'platform', { namespace });
}

function secretReferences(c: Chart): any[] {
  return Testing.synth(c).filter(o => o.kind === 'SecretReference');
}

const BASE: SecretReferenceProps = { release: OpenChoreoReleaseLine.V0_17, name: 'ghcr-pull', credentials: STORE_CONFIG };

test('v0.17: a dockerconfigjson SecretReference whose .dockerconfigjson is read whole from the store, valid against the CRD', () => {
  const c = chart();
  const ref = new SecretReference(c, 'Pull', BASE);
  const [object] = secretReferences(c);
  expect(object).toEqual({
    apiVersion: 'openchoreo.dev/v1alpha1',
    kind: 'SecretReference',
    metadata: {
      name: 'ghcr-pull',
      namespace: 'default',
      annotations: { 'argocd.argoproj.io/sync-wave': '-1', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
    },
    spec: {
      template: { type: 'kubernetes.io/dockerconfigjson' },
      data: [{ secretKey: '.dockerconfigjson', remoteRef: { key: 'registry-credentials', property: 'value' } }],
      refreshInterval: '1h',
    },
  });
  expect(ref.registry).toBe('ghcr.io');
  expectValidManifests([object], { crdFiles: CRD });
});

test('v1.x: targetPlane is written and valid against the latest CRD', () => {
  const c = chart();
  new SecretReference(c, 'Pull', {
    ...BASE,
    release: OpenChoreoReleaseLine.V1,
    targetPlane: { kind: SecretReferencePlaneKind.DATA_PLANE, name: 'default' },
    refreshInterval: Duration.minutes(90),
  });
  const [object] = secretReferences(c);
  expect(object.spec.targetPlane).toEqual({ kind: 'DataPlane', name: 'default' });
  expect(object.spec.refreshInterval).toBe('1h30m');
  expectValidManifests([object], { crdFiles: CRD });
});

test('the CRD refuses a wrong plane kind (differential with the construct\'s own check)', () => {
  const c = chart();
  const ref = new SecretReference(c, 'Pull', { ...BASE, release: OpenChoreoReleaseLine.V1, targetPlane: { kind: SecretReferencePlaneKind.DATA_PLANE, name: 'dp' } });
  ref.apiObject.addJsonPatch(JsonPatch.replace('/spec/targetPlane/kind', 'BuildPlane'));
  expect(checkManifests(secretReferences(c), { crdFiles: CRD }).map(p => p.path)).toEqual(['/spec/targetPlane/kind']);
  const error = validationErrorOf(() => new SecretReference(chart(), 'Pull', {
    ...BASE, release: OpenChoreoReleaseLine.V1, targetPlane: { kind: 'BuildPlane' as any, name: 'dp' },
  }));
  expect(error.property).toBe('targetPlane.kind');
});

describe('bad input', () => {
  const generator = () => RegistryCredentials.fromTokenGenerator('123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    TokenGenerator.ecr({ region: 'eu-west-1', serviceAccount: { name: 'puller' } }));
  const cases: Array<[string, () => Partial<SecretReferenceProps> & { [key: string]: any }, string, RegExp]> = [
    ['release missing', () => ({ release: undefined }), 'release', /is required/],
    ['release unknown', () => ({ release: 'v2' as any }), 'release', /must be an OpenChoreoReleaseLine value/],
    ['name not a string', () => ({ name: 7 as any }), 'name', /must be a string/],
    ['name with uppercase', () => ({ name: 'GHCR' }), 'name', /DNS-1123/],
    ['plain-text credentials', () => ({ credentials: RegistryCredentials.basic('ghcr.io', 'bot', SecretValue.unsafePlainText('s3cret-value')) }), 'credentials', /plain-text value/],
    ['sealed credentials', () => ({ credentials: RegistryCredentials.dockerConfigJson(SecretValue.sealed(SEALED), { registry: 'ghcr.io' }) }), 'credentials', /sealed value/],
    ['username and password in the store (no template to build auth)', () => ({ credentials: RegistryCredentials.basic('ghcr.io', 'bot', SecretValue.fromExternalSecret('ghcr/token')) }), 'credentials', /has no template/],
    ['anonymous registry', () => ({ credentials: RegistryCredentials.anonymous('docker.io') }), 'credentials', /needs no Secret/],
    ['token generator', () => ({ credentials: generator() }), 'credentials', /token generator/],
    ['credentials not a RegistryCredentials', () => ({ credentials: { registry: 'ghcr.io' } as any }), 'credentials', /must be a RegistryCredentials, not a plain object/],
    ['targetPlane on v0.17 (a v1.x field)', () => ({ targetPlane: { kind: SecretReferencePlaneKind.DATA_PLANE, name: 'dp' } }), 'targetPlane', /v1\.x/],
    ['targetPlane name empty', () => ({ release: OpenChoreoReleaseLine.V1, targetPlane: { kind: SecretReferencePlaneKind.DATA_PLANE, name: '' } }), 'targetPlane.name', /empty/],
    ['refreshInterval zero', () => ({ refreshInterval: Duration.seconds(0) }), 'refreshInterval', /at least one second/],
    ['refreshInterval as a string', () => ({ refreshInterval: '1h' as any }), 'refreshInterval', /Duration/],
  ];

  test.each(cases)('%s', (_title, override, property, problem) => {
    const error = validationErrorOf(() => new SecretReference(chart(), 'Pull', { ...BASE, ...override() } as SecretReferenceProps));
    expect(error.property).toBe(property);
    expect(error.problem).toMatch(problem);
    expect(error.fix.length).toBeGreaterThan(0);
    expect(error.message).toContain('platform/Pull');
    expect(error.message).not.toContain('s3cret-value');
  });

  test('the fix of a password-only credential says how to store a whole config', () => {
    const error = validationErrorOf(() => new SecretReference(chart(), 'Pull', {
      ...BASE, credentials: RegistryCredentials.basic('ghcr.io', 'bot', SecretValue.fromExternalSecret('ghcr/token')),
    }));
    expect(error.fix).toContain('RegistryCredentials.dockerConfigJson(SecretValue.fromExternalSecret(');
    expect(error.fix).toContain('"auth"');
  });

  test('no namespace anywhere', () => {
    const error = validationErrorOf(() => new SecretReference(new Chart(new App(), 'platform'), 'Pull', BASE));
    expect(error.property).toBe('namespace');
  });
});
