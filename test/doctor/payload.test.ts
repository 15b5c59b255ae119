import { KubeObject } from '../../src/doctor/kube-object';
import { parseManifestText } from '../../src/doctor/manifests';
import { authsKeysOfTemplate, mayHoldCredentials, payloadOfGenerated, payloadOfSecret, secretValueOf } from '../../src/doctor/payload';
import { loadReferenceJson } from '../helpers/reference';

function secret(fields: object): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...fields };
}

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('payloadOfSecret', () => {
  // What kubectl really writes (image-reference/kubectl-docker-registry.json): most is a readable config; kubectl
  // also writes what the kubelet cannot use.
  const NOT_KNOWN: { [id: string]: [string, RegExp] } = {
    'from-file-invalid-json': ['invalid', /is not valid JSON/],
    'generic-dockerconfigjson-invalid': ['invalid', /is not valid JSON/],
    'from-file-wrong-key': ['not-pull-secret', /no "\.dockerconfigjson" data key/],
    'generic-dockerconfigjson-wrongkey': ['not-pull-secret', /no "\.dockerconfigjson" data key/],
    'username-with-colon': ['invalid', /auth: decodes to a different username and password/],
  };
  const KUBECTL: any[] = loadReferenceJson('image-reference', 'kubectl-docker-registry.json').cases.filter((vector: any) => vector.secretYAML);

  test.each(KUBECTL.map((vector: any): [string, any] => [vector.id, vector]))('kubectl output %s', (id, vector) => {
    const object = parseManifestText(vector.secretYAML, 'kubectl.yaml', true).manifests[0].object;
    const payload = payloadOfSecret(object);
    if (NOT_KNOWN[id]) {
      expect(payload.status).toBe(NOT_KNOWN[id][0]);
      expect(payload.problem).toMatch(NOT_KNOWN[id][1]);
      return;
    }
    const key = object.type === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
    const decoded = JSON.parse(Buffer.from((object.data as any)[key], 'base64').toString('utf8'));
    expect(payload.status).toBe('known');
    expect(payload.registries).toEqual(Object.keys(key === '.dockercfg' ? decoded : decoded.auths));
  });

  test('stringData wins over data, as the API server merges them', () => {
    const payload = payloadOfSecret(secret({
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': b64('{"auths":{"a.example":{"auth":"dTpw"}}}') },
      stringData: { '.dockerconfigjson': '{"auths":{"b.example":{"auth":"dTpw"}}}' },
    }));
    expect(payload.registries).toEqual(['b.example']);
  });

  test('base64 wrapped over several lines (kustomize) is read', () => {
    const encoded = b64('{"auths":{"registry.acme.example":{"username":"u","password":"p"}}}').replace(/(.{20})/g, '$1\n');
    expect(payloadOfSecret(secret({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': encoded } })).registries).toEqual(['registry.acme.example']);
  });

  test('legacy kubernetes.io/dockercfg holds the auths map itself', () => {
    const payload = payloadOfSecret(secret({ type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64('{"quay.io":{"auth":"dTpw"}}') } }));
    expect(payload).toMatchObject({ status: 'known', registries: ['quay.io'], basis: 'the .dockercfg data' });
  });

  test.each([
    [{ data: { '.dockerconfigjson': b64('{}') } }, 'not-pull-secret', /its type is Opaque; the kubelet uses only/],
    [{ type: 'kubernetes.io/dockerconfigjson', data: { 'config.json': b64('{}') } }, 'not-pull-secret', /no "\.dockerconfigjson" data key/],
    [{ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': '{"auths":{}}' } }, 'invalid', /is not standard base64/],
    [{ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":' } }, 'invalid', /^dockerconfigjson: is not valid JSON \(syntax error/],
    [{ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":{"ghcr.io":{"auth":"not base64!"}}}' } }, 'invalid', /auth: is not valid base64/],
  ])('%j is %s', (fields, status, problem) => {
    const payload = payloadOfSecret(secret(fields));
    expect(payload.status).toBe(status);
    expect(payload.problem).toMatch(problem);
    expect(payload.fix).toBeTruthy();
  });

  test('an invalid auth value is never repeated in the problem', () => {
    const payload = payloadOfSecret(secret({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auths":{"x.io":{"auth":"TOPSECRET!!"}}}' } }));
    expect(`${payload.problem} ${payload.fix}`).not.toContain('TOPSECRET');
  });

  test('a non-base64 data value keeps the raw text for the plain-text check', () => {
    expect(secretValueOf(secret({ data: { k: '{"a":1}' } }), 'k')).toEqual({ problem: 'data["k"] is not standard base64, so the API server rejects the Secret', raw: '{"a":1}' });
  });
});

describe('payloadOfGenerated', () => {
  test.each([
    ['the registries annotation', 'kubernetes.io/dockerconfigjson', ['.dockerconfigjson'], { 'cdk8s-registries/registries': 'ghcr.io, quay.io' }, undefined, 'registries', ['ghcr.io', 'quay.io']],
    ['literal template keys', 'kubernetes.io/dockerconfigjson', ['.dockerconfigjson'], {}, { '.dockerconfigjson': '{"auths":{"ghcr.io":{"auth":"{{ .auth }}"}}}' }, 'registries', ['ghcr.io']],
    ['an unknown payload', 'kubernetes.io/dockerconfigjson', ['.dockerconfigjson'], {}, undefined, 'unknown', []],
    ['an Opaque target', 'Opaque', ['.dockerconfigjson'], {}, undefined, 'not-pull-secret', []],
    ['a missing key', 'kubernetes.io/dockerconfigjson', ['password'], {}, undefined, 'not-pull-secret', []],
    ['unknown keys (dataFrom) of an unknown type (Merge)', undefined, undefined, {}, undefined, 'unknown', []],
  ])('%s', (_name, type, keys, annotations, template, status, registries) => {
    const payload = payloadOfGenerated(type, keys, annotations, template, 'fetched elsewhere');
    expect([payload.status, payload.registries]).toEqual([status, registries]);
  });
});

describe('authsKeysOfTemplate', () => {
  test.each([
    ['{"auths":{"ghcr.io":{"auth":"{{ .auth }}"}}}', false, ['ghcr.io']],
    ['{"auths":{"https://index.docker.io/v1/":{"username":"u","password":{{ .p | toJson }},"auth":{{ printf "%s:%s" "u" .p | b64enc | toJson }}}}}', false, ['https://index.docker.io/v1/']],
    ['{"quay.io":{"auth":"{{ .auth }}"}}', true, ['quay.io']],
    ['{"auths":{"{{ .registry }}":{"auth":"{{ .auth }}"}}}', false, undefined],
    ['{{ .mysecret | toString }}', false, undefined],
    ['{"auths":{}}', false, undefined],
  ])('%s (legacy %s) → %j', (template, legacy, keys) => {
    expect(authsKeysOfTemplate(template, legacy)).toEqual(keys);
  });
});

describe('mayHoldCredentials', () => {
  test.each([
    ['{"auths":{"ghcr.io":{"auth":"dTpw"}}}', true],
    ['{"auths":{"ghcr.io":{"username":"u","password":"p"}}}', true],
    ['{"auths":{"ghcr.io":{"IdentityToken":"t"}}}', true],
    ['{"quay.io":{"auth":"dTpw"}}', true],
    ['{}', false],
    ['{"auths":{}}', false],
    ['{"auths":{"ghcr.io":{"username":"u","password":""}}}', false],
    ['not json but maybe a token', true],
    ['  ', false],
  ])('%s → %s', (text, expected) => {
    expect(mayHoldCredentials(text)).toBe(expected);
  });
});
