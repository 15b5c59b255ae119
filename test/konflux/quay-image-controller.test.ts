import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { kubectlCreateGenericSecret } from './kubectl';
import { SecretValue } from '../../src/credentials/secret-value';
import { SealingKey, SealingScope, SealingSeed } from '../../src/delivery/sealing';
import { SecretDelivery } from '../../src/delivery/secret-delivery';
import { QuayCaBundle, QuayImageController, QuayImageControllerProps } from '../../src/konflux/quay-image-controller';
import { validationErrorOf } from '../helpers/errors';
import { renderExternalSecretsTemplate } from '../helpers/go-template';
import { expectValidManifests } from '../helpers/manifest-checker';
import { loadReferenceJson } from '../helpers/reference';
import { loadSealedSecretVectors, unseal, vectorPrivateKey } from '../helpers/unseal';

const VECTORS = loadReferenceJson('konflux', 'konflux-test-vectors.json');
const KONFLUX_CR = VECTORS.konfluxCR;
const QUAYTOKEN = VECTORS.quaytokenSecret;
const CERT_PEM = loadSealedSecretVectors().testKey.certificatePem;
const TOKEN = 'FAKE-quay-oauth-token-0123456789';
const ESO = SecretDelivery.externalSecret({ store: { name: 'vault' } });

function chartIn(app: App = Testing.app(), namespace: string | undefined = 'platform'): Chart {
  return new Chart(app, `chart-${app.node.children.length}`, { namespace });
}

function externalProps(overrides: Partial<QuayImageControllerProps> = {}): QuayImageControllerProps {
  return { organization: 'my-org', token: SecretValue.fromExternalSecret('konflux/quay-token'), delivery: ESO, ...overrides };
}

function synthesized(chart: Chart): any[] {
  return Testing.synth(chart);
}

function withoutArgoCd(object: any): any {
  const { annotations, ...metadata } = object.metadata;
  return { ...object, metadata };
}

describe('Konflux CR (konflux-test-vectors.json konfluxCR)', () => {
  test('minimal: exactly the vector, cluster-scoped, even in a chart with a namespace', () => {
    const chart = chartIn();
    new QuayImageController(chart, 'Quay', externalProps());
    const konflux = synthesized(chart).find(o => o.kind === 'Konflux');
    expect(withoutArgoCd(konflux)).toEqual(KONFLUX_CR.minimalImageControllerEnabled);
    expect(konflux.metadata).not.toHaveProperty('namespace');
    expect(konflux.apiVersion).toBe(KONFLUX_CR.apiVersion);
    expect(konflux.metadata.name).toBe(KONFLUX_CR.requiredName);
  });

  test('in a chart without a namespace, too', () => {
    const chart = chartIn(Testing.app(), undefined);
    new QuayImageController(chart, 'Quay', externalProps());
    expect(synthesized(chart).find(o => o.kind === 'Konflux').metadata).toEqual(expect.not.objectContaining({ namespace: expect.anything() }));
  });

  test('with a Quay CA bundle: the vector\'s spec', () => {
    const chart = chartIn();
    const { configMapName, key } = KONFLUX_CR.withQuayCA.spec.imageController.spec.quayCABundle;
    new QuayImageController(chart, 'Quay', externalProps({ caBundle: QuayCaBundle.fromConfigMap(configMapName, key) }));
    expect(synthesized(chart).find(o => o.kind === 'Konflux').spec).toEqual(KONFLUX_CR.withQuayCA.spec);
  });

  test('merged by server-side apply and never pruned or deleted (that would uninstall Konflux); before the secrets', () => {
    const chart = chartIn();
    new QuayImageController(chart, 'Quay', externalProps({ argoCd: { syncWave: 5 } }));
    const objects = synthesized(chart);
    expect(objects.find(o => o.kind === 'Konflux').metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false,ServerSideApply=true,SkipDryRunOnMissingResource=true',
      'argocd.argoproj.io/sync-wave': '4',
    });
    expect(objects.filter(o => o.kind === 'ExternalSecret').map(o => o.metadata.annotations['argocd.argoproj.io/sync-wave'])).toEqual(['5', '5']);
  });

  test('a JSON patch that puts a namespace back fails the synth', () => {
    const chart = chartIn();
    const quay = new QuayImageController(chart, 'Quay', externalProps());
    quay.konfluxResource!.addJsonPatch(JsonPatch.add('/metadata/namespace', 'platform'));
    const err = validationErrorOf(() => Testing.synth(chart));
    expect(err.property).toBe('metadata.namespace');
  });

  test('a raw Konflux CR added after ours fails the synth', () => {
    const chart = chartIn();
    new QuayImageController(chart, 'Quay', externalProps());
    new ApiObject(chart, 'Raw', { apiVersion: 'konflux.konflux-ci.dev/v1alpha1', kind: 'Konflux', metadata: { name: 'konflux' } });
    expect(validationErrorOf(() => Testing.synth(chart)).property).toBe('konfluxResource');
  });

  test('konfluxResource: false emits only the secrets (standalone image-controller)', () => {
    const chart = chartIn();
    new QuayImageController(chart, 'Quay', externalProps({ konfluxResource: false, namespace: 'image-controller-system' }));
    const objects = synthesized(chart);
    expect(objects.map(o => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'ExternalSecret image-controller-system/quaytoken',
      'ExternalSecret image-controller-system/image-pruner-token',
    ]);
  });
});

describe('quaytoken and image-pruner-token (konflux-test-vectors.json quaytokenSecret)', () => {
  test('default namespace and names', () => {
    const chart = chartIn();
    const quay = new QuayImageController(chart, 'Quay', externalProps());
    expect(quay.namespace).toBe(QUAYTOKEN.namespace_konflux_operator);
    expect(synthesized(chart).filter(o => o.kind === 'ExternalSecret').map(o => o.metadata.name))
      .toEqual([QUAYTOKEN.name, QUAYTOKEN.relatedSecret.name]);
  });

  test('plain delivery: quaytoken is what `kubectl create secret generic` writes', () => {
    const chart = chartIn();
    new QuayImageController(chart, 'Quay', { organization: 'my-org', token: SecretValue.unsafePlainText('TOKEN') });
    const secrets = synthesized(chart).filter(o => o.kind === 'Secret');
    const expected = QUAYTOKEN.kubectlDryRun.expected;
    expect(withoutArgoCd(secrets[0])).toEqual(expected);
    expect(secrets[0].data).toEqual(kubectlCreateGenericSecret('quaytoken', 'image-controller', { quaytoken: 'TOKEN', organization: 'my-org' }).data);
    expect(Object.keys(secrets[1].data).sort()).toEqual([...QUAYTOKEN.relatedSecret.keys].sort());
    expect(secrets[1].metadata.name).toBe(QUAYTOKEN.relatedSecret.name);
  });

  test('ESO: both Secrets render the keys image-controller and the pruner read; quayapiurl only in quaytoken', () => {
    const chart = chartIn();
    new QuayImageController(chart, 'Quay', externalProps({
      apiUrl: 'https://quay.example.com/api/v1', prunerToken: SecretValue.fromExternalSecret('konflux/quay-pruner-token'),
    }));
    const [token, pruner] = synthesized(chart).filter(o => o.kind === 'ExternalSecret');
    const render = (es: any, fetched: { [k: string]: string }) => Object.fromEntries(
      Object.entries(es.spec.target.template.data as { [k: string]: string })
        .map(([key, template]) => [key, renderExternalSecretsTemplate(template, fetched)]));
    expect(render(token, { quaytoken: TOKEN })).toEqual({ quaytoken: TOKEN, organization: 'my-org', quayapiurl: 'https://quay.example.com/api/v1' });
    expect(render(pruner, { quaytoken: 'PRUNER' })).toEqual({ quaytoken: 'PRUNER', organization: 'my-org' });
    expect(Object.keys(QUAYTOKEN.keys).sort()).toEqual(Object.keys(render(token, { quaytoken: TOKEN })).sort());
    expect(pruner.spec.data).toEqual([{ secretKey: 'quaytoken', remoteRef: { key: 'konflux/quay-pruner-token' } }]);
  });

  test('sealed at synth time: only ciphertext, and it decrypts for each Secret\'s own name', () => {
    const chart = chartIn();
    const sealingKey = SealingKey.fromCertificate(CERT_PEM, { deterministicSeed: SealingSeed.fromString('quay-image-controller-test-seed-0123456789') });
    new QuayImageController(chart, 'Quay', { organization: 'my-org', token: SecretValue.unsafePlainText(TOKEN), delivery: SecretDelivery.sealedSecret({ sealingKey }) });
    const sealed = synthesized(chart).filter(o => o.kind === 'SealedSecret');
    expect(sealed.map(s => unseal(s.spec.encryptedData.quaytoken, vectorPrivateKey(), `image-controller/${s.metadata.name}`))).toEqual([TOKEN, TOKEN]);
    expect(JSON.stringify(synthesized(chart))).not.toContain(TOKEN);
    expectValidManifests(synthesized(chart));
  });

  test('pre-sealed: a separate pruner token', () => {
    const chart = chartIn();
    const key = SealingKey.fromCertificate(CERT_PEM);
    const sealedFor = (name: string) => SecretValue.sealed(key.seal(TOKEN, { scope: SealingScope.STRICT, namespace: 'image-controller', name }));
    new QuayImageController(chart, 'Quay', { organization: 'my-org', token: sealedFor('quaytoken'), prunerToken: sealedFor('image-pruner-token') });
    expect(synthesized(chart).filter(o => o.kind === 'SealedSecret').map(o => o.metadata.name)).toEqual(['quaytoken', 'image-pruner-token']);
  });
});

describe('CA bundle', () => {
  test('fromCertificates emits the ConfigMap in the image-controller namespace and names it in the CR', () => {
    const chart = chartIn();
    const quay = new QuayImageController(chart, 'Quay', externalProps({ caBundle: QuayCaBundle.fromCertificates(CERT_PEM) }));
    const objects = synthesized(chart);
    expect(objects.find(o => o.kind === 'ConfigMap')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'quay-ca-bundle', namespace: 'image-controller', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } },
      data: { 'ca-bundle.crt': CERT_PEM },
    });
    expect(objects.find(o => o.kind === 'Konflux').spec.imageController.spec.quayCABundle).toEqual({ configMapName: 'quay-ca-bundle', key: 'ca-bundle.crt' });
    expect(quay.caBundleConfigMap).toBeDefined();
  });

  test('fromConfigMap only references it', () => {
    const chart = chartIn();
    const quay = new QuayImageController(chart, 'Quay', externalProps({ caBundle: QuayCaBundle.fromConfigMap('corp-ca', 'ca.pem') }));
    expect(quay.caBundleConfigMap).toBeUndefined();
    expect(synthesized(chart).some(o => o.kind === 'ConfigMap')).toBe(false);
  });
});

test('everything is valid against the Konflux and ExternalSecret CRDs and the core schemas', () => {
  const chart = chartIn();
  new QuayImageController(chart, 'Quay', externalProps({
    apiUrl: 'https://quay.example.com:8443/quay/api/v1', caBundle: QuayCaBundle.fromCertificates(CERT_PEM, { key: 'corp-ca.pem' }),
  }));
  expectValidManifests(synthesized(chart));
});
