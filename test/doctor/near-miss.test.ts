import { explainMiss, keyFor, nearestMiss } from '../../src/doctor/near-miss';
import { DockerConfig } from '../../src/values/docker-config';
import { ImageReference } from '../../src/values/image-reference';
import { KubeletKeyring } from '../../src/values/kubelet-keyring';

const image = (ref: string) => ImageReference.parse(ref);

describe('explainMiss', () => {
  // [key, image, reason, same registry, explanation fragment, fix fragment]
  test.each([
    ['docker.io/acme', 'nginx', 'path-prefix', false, 'the key\'s path "/acme" is not a prefix of the image path "/library/nginx"', '"https://index.docker.io/v1/"'],
    ['quay.io/acme/app-a', 'quay.io/acme/app-b', 'path-prefix', true, 'same registry', '"quay.io/acme/"'],
    ['ghcr.io/acme', 'ghcr.io/other/tool', 'path-prefix', false, 'not a prefix', '"ghcr.io"'],
    ['ghcr.io/v1', 'ghcr.io/acme/app', 'path-prefix', false, 'drops "/v1/" and "/v2/" only with a trailing "/"', '"ghcr.io"'],
    ['quay.io/acme/app/', 'quay.io/acme/app', 'trailing-slash', true, 'keeps its trailing "/"', '"quay.io/acme/app"'],
    ['registry.example.com:443', 'registry.example.com/app', 'port', true, 'key port 443, image no port', '"registry.example.com"'],
    ['registry.example.com', 'registry.example.com:5000/app', 'port', true, 'key no port, image port 5000', '"registry.example.com:5000"'],
    ['Registry.Example.com', 'registry.example.com/app', 'host-case', true, 'case-sensitively', '"registry.example.com"'],
    ['registry-1.docker.io', 'acme/app', 'docker-hub-key-form', true, '"registry-1.docker.io" serves Docker Hub', '"https://index.docker.io/v1/"'],
    ['https://index.docker.io/v1/access-token', 'acme/app', 'docker-hub-key-form', true, 'needs exactly "index.docker.io"', '"https://index.docker.io/v1/"'],
    ['https://index.docker.io/v1/', 'registry.hub.docker.com/library/nginx', 'docker-hub-key-form', true, 'names "registry.hub.docker.com" explicitly', 'write the image as "nginx"'],
    ['*.azurecr.io', 'a.b.azurecr.io/app', 'glob', false, '(3 vs 4)', '"a.b.azurecr.io"'],
    ['ghcr.io', 'quay.io/acme/app', 'different-host', false, 'the key is for "ghcr.io", the image is on "quay.io"', 'add credentials for "quay.io"'],
    ['http://[bad', 'quay.io/acme/app', 'unparsable-key', false, 'cannot parse the key', '"quay.io"'],
  ])('key %s vs image %s: %s', (key, ref, reason, sameRegistry, explanation, fix) => {
    const parsed = image(ref);
    // Only keys the kubelet does not match are explained.
    const config = () => DockerConfig.empty().withBasicAuth(key, 'u', 'p');
    expect(new KubeletKeyring([config()]).lookup(ref)).toEqual([]);
    const miss = explainMiss(key, parsed);
    expect({ reason: miss.reason, sameRegistry: miss.sameRegistry }).toEqual({ reason, sameRegistry });
    expect(miss.explanation).toContain(explanation);
    expect(miss.fix).toContain(fix);
    expect(miss.pattern).toBe(KubeletKeyring.keyToPattern(key));
  });

  test('the suggested fix key matches the image', () => {
    for (const ref of ['nginx', 'acme/app', 'ghcr.io/acme/app', 'registry.example.com:5000/app']) {
      const key = keyFor(image(ref));
      expect(new KubeletKeyring([DockerConfig.empty().withBasicAuth(key, 'u', 'p')]).lookup(ref)).toEqual([key]);
    }
  });
});

describe('nearestMiss', () => {
  test('prefers the same registry over other hosts, then the first key given', () => {
    expect(nearestMiss(['ghcr.io', 'quay.io/acme/app-a', 'quay.io/acme/app-c'], image('quay.io/acme/app-b'))?.key).toBe('quay.io/acme/app-a');
    expect(nearestMiss(['ghcr.io', 'gcr.io'], image('quay.io/acme/app'))?.key).toBe('ghcr.io');
  });

  test('no keys, no miss', () => {
    expect(nearestMiss([], image('nginx'))).toBeUndefined();
  });
});
