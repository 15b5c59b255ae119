import { Chart, Testing } from 'cdk8s';
import { SecretValue } from '../../src/credentials/secret-value';
import { OpaqueSecretRequest } from '../../src/delivery/opaque-secret';
import { SealingKey, SealingScope, SealingSeed } from '../../src/delivery/sealing';
import { SecretDelivery, SecretStoreKind } from '../../src/delivery/secret-delivery';
import { validationErrorOf } from '../helpers/errors';
import { renderExternalSecretsTemplate, renderSealedSecretsTemplate } from '../helpers/go-template';
import { expectValidManifests } from '../helpers/manifest-checker';
import { loadReferenceJson } from '../helpers/reference';
import { loadSealedSecretVectors, unseal, vectorPrivateKey } from '../helpers/unseal';
import { kubectlCreateGenericSecret } from '../konflux/kubectl';

const QUAYTOKEN = loadReferenceJson('konflux', 'konflux-test-vectors.json').quaytokenSecret;
const CERT_PEM = loadSealedSecretVectors().testKey.certificatePem;
const TOKEN = 'FAKE-quay-oauth-token-0123456789';

function request(secretValues: { [key: string]: SecretValue }, literals: { [key: string]: string } = {}): OpaqueSecretRequest {
  const chart = new Chart(Testing.app(), 'chart');
  return { scope: chart, name: 'quaytoken', namespace: 'image-controller', secretValues, literals };
}

/** The object as cdk8s writes it: fields left undefined are dropped. */
function withoutUndefined(object: object): any {
  return JSON.parse(JSON.stringify(object));
}

describe('plain Secret', () => {
  test('is what `kubectl create secret generic` writes (konflux-test-vectors.json quaytokenSecret.kubectlDryRun)', () => {
    const vector = QUAYTOKEN.kubectlDryRun.expected;
    const decoded = Object.fromEntries(Object.entries(vector.data as { [k: string]: string })
      .map(([key, value]) => [key, Buffer.from(value, 'base64').toString('utf8')]));
    const ours = SecretDelivery.plainSecret()._renderOpaque(
      request({ quaytoken: SecretValue.unsafePlainText(decoded.quaytoken) }, { organization: decoded.organization })).main.manifest();
    expect(ours).toEqual(vector);
    const { creationTimestamp, ...kubectlMetadata } = kubectlCreateGenericSecret(vector.metadata.name, vector.metadata.namespace, decoded).metadata;
    expect(creationTimestamp).toBeNull();
    expect(ours.metadata).toEqual(kubectlMetadata);
  });

  test('non-ASCII values are base64 of their UTF-8 bytes, as kubectl writes them', () => {
    const ours = SecretDelivery.plainSecret()._renderOpaque(request({ quaytoken: SecretValue.unsafePlainText('tökén') }, { organization: 'my-org' })).main.manifest();
    expect(ours.data).toEqual(kubectlCreateGenericSecret('quaytoken', 'image-controller', { quaytoken: 'tökén', organization: 'my-org' }).data);
  });
});

describe('ExternalSecret', () => {
  const delivery = SecretDelivery.externalSecret({ store: { name: 'vault', kind: SecretStoreKind.SECRET_STORE } });
  const rendered = delivery._renderOpaque(request(
    { quaytoken: SecretValue.fromExternalSecret('konflux/quay', { property: 'token', version: '3' }) },
    { organization: 'my-org', quayapiurl: 'https://quay.example.com/api/v1' })).main.manifest();

  test('fetches the secret keys and writes the literals through the template', () => {
    expect(rendered.spec).toEqual({
      refreshInterval: '1h',
      secretStoreRef: { name: 'vault', kind: 'SecretStore' },
      target: {
        name: 'quaytoken',
        creationPolicy: 'Owner',
        template: {
          engineVersion: 'v2',
          data: { organization: 'my-org', quayapiurl: 'https://quay.example.com/api/v1', quaytoken: '{{ .quaytoken }}' },
        },
      },
      data: [{ secretKey: 'quaytoken', remoteRef: { key: 'konflux/quay', property: 'token', version: '3' } }],
    });
  });

  test('the template renders the Secret the controller reads', () => {
    const fetched = { quaytoken: TOKEN };
    const data = Object.fromEntries(Object.entries(rendered.spec.target.template.data as { [k: string]: string })
      .map(([key, template]) => [key, renderExternalSecretsTemplate(template, fetched)]));
    expect(data).toEqual({ organization: 'my-org', quayapiurl: 'https://quay.example.com/api/v1', quaytoken: TOKEN });
  });

  test('is valid against the ExternalSecret CRD', () => {
    expectValidManifests([withoutUndefined(rendered)]);
  });
});

describe('SealedSecret', () => {
  const key = SealingKey.fromCertificate(CERT_PEM, { deterministicSeed: SealingSeed.fromString('opaque-secret-test-seed-0123456789abcdef') });

  test.each([
    [SealingScope.STRICT, 'image-controller/quaytoken', {}],
    [SealingScope.NAMESPACE_WIDE, 'image-controller', { 'sealedsecrets.bitnami.com/namespace-wide': 'true' }],
    [SealingScope.CLUSTER_WIDE, '', { 'sealedsecrets.bitnami.com/cluster-wide': 'true' }],
  ])('sealed now for the %s scope: decrypts with label "%s"', (scope, label, annotations) => {
    const rendered = SecretDelivery.sealedSecret({ sealingKey: key, scope })._renderOpaque(
      request({ quaytoken: SecretValue.unsafePlainText(TOKEN) }, { organization: 'my-org' })).main.manifest();
    expect(unseal(rendered.spec.encryptedData.quaytoken, vectorPrivateKey(), label)).toBe(TOKEN);
    expect(rendered.metadata.annotations).toEqual(Object.keys(annotations).length > 0 ? annotations : undefined);
    expect(renderSealedSecretsTemplate(rendered.spec.template.data.organization, { quaytoken: TOKEN })).toBe('my-org');
    expect(JSON.stringify(rendered)).not.toContain(TOKEN);
    expectValidManifests([withoutUndefined(rendered)]);
  });

  test('pre-sealed values are used as they are', () => {
    const ciphertext = key.seal(TOKEN, { scope: SealingScope.STRICT, namespace: 'image-controller', name: 'quaytoken' });
    const rendered = SecretDelivery.sealedSecret()._renderOpaque(request({ quaytoken: SecretValue.sealed(ciphertext) }, { organization: 'my-org' })).main.manifest();
    expect(rendered.spec).toEqual({ encryptedData: { quaytoken: ciphertext }, template: { data: { organization: 'my-org' } } });
  });

  test('a pre-sealed value recorded for another name is refused', () => {
    const ciphertext = key.seal(TOKEN, { scope: SealingScope.STRICT, namespace: 'image-controller', name: 'other' });
    const value = SecretValue.sealed(ciphertext, { scope: SealingScope.STRICT, namespace: 'image-controller', name: 'other' });
    const err = validationErrorOf(() => SecretDelivery.sealedSecret()._renderOpaque(request({ quaytoken: value })));
    expect(err.property).toBe('quaytoken sealed name');
    expect(err.fix).toContain('--name quaytoken');
  });
});

describe('refused', () => {
  test.each([
    ['plain Secret, external value', SecretDelivery.plainSecret(), SecretValue.fromExternalSecret('a/b'), 'quaytoken'],
    ['ExternalSecret, plain value', SecretDelivery.externalSecret({ store: { name: 'vault' } }), SecretValue.unsafePlainText(TOKEN), 'quaytoken'],
    ['ExternalSecret without a store', SecretDelivery.externalSecret(), SecretValue.fromExternalSecret('a/b'), 'delivery.store'],
    ['SealedSecret of plain text without a key', SecretDelivery.sealedSecret(), SecretValue.unsafePlainText(TOKEN), 'delivery.sealingKey'],
  ])('%s', (_name, delivery, value, property) => {
    const err = validationErrorOf(() => delivery._renderOpaque(request({ quaytoken: value }, { organization: 'my-org' })));
    expect(err.property).toBe(property);
    expect(err.message).not.toContain(TOKEN);
  });

  test('a literal with "{{" in a templated delivery', () => {
    const err = validationErrorOf(() => SecretDelivery.externalSecret({ store: { name: 'vault' } })._renderOpaque(
      request({ quaytoken: SecretValue.fromExternalSecret('a/b') }, { organization: '{{ .quaytoken }}' })));
    expect(err.property).toBe('organization');
  });

  test('sealed and plain values mixed in one SealedSecret', () => {
    const key = SealingKey.fromCertificate(CERT_PEM);
    const ciphertext = key.seal(TOKEN, { scope: SealingScope.STRICT, namespace: 'image-controller', name: 'quaytoken' });
    const err = validationErrorOf(() => SecretDelivery.sealedSecret({ sealingKey: key })._renderOpaque(
      request({ quaytoken: SecretValue.sealed(ciphertext), other: SecretValue.unsafePlainText(TOKEN) })));
    expect(err.property).toBe('secret values');
    expect(err.message).not.toContain(TOKEN);
  });
});
