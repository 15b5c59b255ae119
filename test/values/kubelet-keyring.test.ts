import { ValidationError } from '../../src/errors';
import { DockerConfig } from '../../src/values/docker-config';
import { ImageReference } from '../../src/values/image-reference';
import { KeyringMatch, KubeletKeyring } from '../../src/values/kubelet-keyring';
import { loadReferenceJson } from '../helpers/reference';

const VECTORS = loadReferenceJson('kubelet-keyring', 'vectors.json');
const LOOKUPS: any[] = VECTORS.lookups;

const VIA_FALLBACK = 'docker-hub-fallback(index.docker.io)';

function keyring(...keys: string[][]): KubeletKeyring {
  return new KubeletKeyring(keys.map(configKeys =>
    configKeys.reduce((config, key) => config.withBasicAuth(key, 'u', 'p'), DockerConfig.empty())));
}

// The legacy .dockercfg map is what .dockerconfigjson holds under "auths"; the kubelet reads both the same way.
function configJson(vector: any, index: number): string {
  return JSON.stringify(vector.configs ? { auths: vector.configs[index] } : vector.secrets[index]);
}

function configCount(vector: any): number {
  return (vector.configs ?? vector.secrets).length;
}

function via(matches: KeyringMatch[]): string {
  if (matches.length === 0) {
    return 'none';
  }
  return matches[0].viaDockerHubFallback ? VIA_FALLBACK : 'pattern';
}

function distinctPatterns(matches: KeyringMatch[]): string[] {
  return [...new Set(matches.map(match => match.pattern))];
}

// Configs the kubelet reads but DockerConfig.fromJson rejects. The kubelet fails on the first three as well.
const REJECTED: { [id: string]: RegExp } = {
  'extra:decode:auth-no-colon': /auth: does not decode to "username:password"/,
  'extra:decode:auth-bad-b64': /auth: is not valid base64/,
  'extra:decode:email-non-string': /email: must be a string, not a boolean/,
  // Stricter than the kubelet on purpose: the kubelet would pull anonymously or with credentials that contradict the
  // entry, and ignores a config without "auths" silently.
  'extra:decode:identitytoken-only': /has no credentials/,
  'extra:decode:registrytoken-only': /has no credentials/,
  'extra:decode:auth-overrides-user': /auth: decodes to a different username and password/,
  'extra:decode:no-auths-key': /auths: is missing/,
};

describe('KubeletKeyring against kubelet-keyring/vectors.json lookups', () => {
  const accepted = LOOKUPS.filter(vector => !REJECTED[vector.id]);
  const rejected = LOOKUPS.filter(vector => REJECTED[vector.id]);

  test('all 190 lookups are checked, 7 of them as rejected configs', () => {
    expect(LOOKUPS).toHaveLength(190);
    expect(rejected.map(vector => vector.id).sort()).toEqual(Object.keys(REJECTED).sort());
    expect(rejected.filter(vector => vector.keyringError)).toHaveLength(3);
  });

  test.each(accepted.map((vector, i) => [i, vector.id, vector.image, vector]))(
    '#%d %s: %s', (_i, _id, _image, vector) => {
      const configs = Array.from({ length: configCount(vector) }, (_, i) => DockerConfig.fromJson(configJson(vector, i)));
      const ring = new KubeletKeyring(configs);
      expect(ring.patterns).toEqual(vector.patterns);

      const matches = ring.matchRepository(vector.image);
      expect(matches.length > 0).toBe(vector.found);
      expect(via(matches)).toBe(vector.via);
      expect(distinctPatterns(matches)).toEqual(vector.matchedPatterns);
      expect(matches.map(match => ({
        pattern: match.pattern,
        from: `${vector.configs ? 'config' : 'secret'}[${match.configIndex}]`,
        ...configs[match.configIndex]._credentials(match.key),
      }))).toEqual(vector.credentials);
    });

  test.each(rejected.map(vector => [vector.id, vector]))('%s: fromJson rejects the config', (_id, vector) => {
    const errors = Array.from({ length: configCount(vector) }, (_, i) => {
      try {
        DockerConfig.fromJson(configJson(vector, i));
        return undefined;
      } catch (e) {
        return e;
      }
    }).filter(e => e !== undefined);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(ValidationError);
    expect((errors[0] as ValidationError).message).toMatch(REJECTED[vector.id]);
  });

  // lookup() normalizes first; on images that are already normalized names it must give the same answer.
  const normalized = accepted.filter(vector =>
    ImageReference.isValid(vector.image) && ImageReference.parse(vector.image).name === vector.image);
  test('most vector images are normalized names', () => {
    expect(normalized.length).toBeGreaterThanOrEqual(125);
  });
  test.each(normalized.map(vector => [vector.id, vector.image, vector]))('%s: lookup(%s)', (_id, _image, vector) => {
    const configs = Array.from({ length: configCount(vector) }, (_, i) => DockerConfig.fromJson(configJson(vector, i)));
    const ring = new KubeletKeyring(configs);
    expect(ring.lookupDetailed(vector.image)).toEqual(ring.matchRepository(vector.image));
    expect(ring.lookup(vector.image)).toEqual(ring.matchRepository(vector.image).map(match => match.key));
    expect(ring.lookup(vector.image).length > 0).toBe(vector.found);
  });
});

describe('KubeletKeyring.keyToPattern (keyNormalization)', () => {
  test.each((VECTORS.keyNormalization as any[]).map(v => [v.configKey, v.pattern ?? undefined, v]))(
    '%j → %j', (key, pattern, vector) => {
      expect(KubeletKeyring.keyToPattern(key)).toBe(pattern);
      expect(pattern === undefined).toBe(vector.skipped);
    });

  // Go net/url rules beyond the vectors: user info is dropped, escapes are decoded, ports must be digits.
  test.each([
    ['user:pass@ghcr.io', 'ghcr.io'],
    ['quay.io/a%20b', 'quay.io/a b'],
    ['ghcr.io#frag', 'ghcr.io'],
    ['[::1]:5000', '[::1]:5000'],
    ['ghcr.io:', 'ghcr.io:'],
    ['ghcr.io/%zz', undefined],
    ['ghcr.io:abc', undefined],
    ['[::1', undefined],
    ['gh%41cr.io', undefined],
    ['ghcr.io/\napp', undefined],
    ['us\u00e9r@ghcr.io', undefined],
    ['gh%C3%A9.io', 'gh\u00e9.io'],
    ['[fe80::1%25en0]:5000', '[fe80::1%en0]:5000'],
    ['[fe80::1%25%20x]', '[fe80::1% x]'],
    ['[fe80::1%25%0a]', undefined],
    // Hosts cannot hold the glob syntax for negation, escapes or single characters.
    ['r[^0-9].example.com', undefined],
    ['r\\d.example.com', undefined],
    ['r?.example.com', 'r'],
  ])('%j → %j', (key, pattern) => {
    expect(KubeletKeyring.keyToPattern(key)).toBe(pattern);
  });
});

describe('KubeletKeyring glob matching (urlsMatch)', () => {
  test.each((VECTORS.urlsMatch as any[]).map(v => [v.glob, v.target, v.match]))('%s vs %s: %s', (glob, target, match) => {
    expect(KubeletKeyring.keyToPattern(glob)).toBe(glob);
    expect(keyring([glob]).matchRepository(target).length > 0).toBe(match);
  });

  test.each([
    ['r[0-9].example.com', 'r5.example.com/app', true],
    ['r[0-9].example.com', 'ra.example.com/app', false],
    ['r[a-cx].example.com', 'rx.example.com/app', true],
    ['r[a-cx].example.com', 'rd.example.com/app', false],
    ['r[z-a].example.com', 'rb.example.com/app', false],
    ['r[.example.com', 'r[.example.com/app', false],
    ['r[]a].example.com', 'ra.example.com/app', false],
    ['r[a-].example.com', 'ra.example.com/app', false],
    ['r[a].example.com', 'ra.example.com/app', true],
    ['*.*.example.com', 'a.b.example.com/app', true],
  ])('character classes like filepath.Match: %s vs %s: %s', (glob, target, match) => {
    expect(keyring([glob]).matchRepository(target).length > 0).toBe(match);
  });
});

describe('KubeletKeyring Docker Hub detection (isDefaultRegistryMatch)', () => {
  test.each((VECTORS.isDefaultRegistryMatch as any[]).map(v => [v.image, v.isDockerHub]))(
    '%j is Docker Hub: %s', (image, isDockerHub) => {
      const matches = keyring(['https://index.docker.io/v1/']).matchRepository(image);
      expect(matches.length > 0).toBe(isDockerHub);
    });

  test('the fallback is used only when no pattern matched', () => {
    const ring = keyring(['https://index.docker.io/v1/', '*.io']);
    expect(ring.lookupDetailed('nginx')).toEqual([
      { key: '*.io', pattern: '*.io', configIndex: 0, viaDockerHubFallback: false },
    ]);
    expect(keyring(['https://index.docker.io/v1/']).lookupDetailed('myorg/app')).toEqual([
      { key: 'https://index.docker.io/v1/', pattern: 'index.docker.io', configIndex: 0, viaDockerHubFallback: true },
    ]);
  });
});

describe('KubeletKeyring.lookup', () => {
  test('normalizes the image as the kubelet does', () => {
    const ring = keyring(['https://index.docker.io/v1/', 'ghcr.io', 'quay.io']);
    expect(ring.lookup('nginx:1.25')).toEqual(['https://index.docker.io/v1/']);
    expect(ring.lookup(`ghcr.io/org/app@sha256:${'a'.repeat(64)}`)).toEqual(['ghcr.io']);
    // "quay.io" alone is the Docker Hub image docker.io/library/quay.io, not the registry quay.io.
    expect(ring.lookup('quay.io')).toEqual(['https://index.docker.io/v1/']);
    expect(ring.matchRepository('quay.io').map(match => match.key)).toEqual(['quay.io']);
  });

  test('returns every matching key, patterns in reverse byte order, configs in order', () => {
    const ring = keyring(['ghcr.io', 'ghcr.io/org'], ['https://ghcr.io/v2/', 'ghcr.io/org/'], ['ghcr.io']);
    expect(ring.patterns).toEqual(['ghcr.io/org/', 'ghcr.io/org', 'ghcr.io']);
    expect(ring.lookupDetailed('ghcr.io/org/app').map(match => [match.key, match.configIndex])).toEqual([
      ['ghcr.io/org/', 1],
      ['ghcr.io/org', 0],
      ['ghcr.io', 0],
      ['https://ghcr.io/v2/', 1],
      ['ghcr.io', 2],
    ]);
  });

  test('orders keys of one config under the same pattern by bytes', () => {
    const config = DockerConfig.fromJson('{"auths":{"https://quay.io/v1/":{"auth":"dTpw"},"quay.io":{"auth":"dTpw"}}}');
    expect(new KubeletKeyring([config]).lookup('quay.io/org/app')).toEqual(['https://quay.io/v1/', 'quay.io']);
  });

  test('matches bracketed IPv6 registries with their port', () => {
    const ring = keyring(['[::1]:5000']);
    expect(ring.lookup('[::1]:5000/team/app:1')).toEqual(['[::1]:5000']);
    expect(ring.lookup('[::1]:5001/team/app')).toEqual([]);
  });

  // The kubelet parses each pattern again, and splits host and port with net.SplitHostPort.
  test.each([
    ['quay.io/a%25zz', 'quay.io/a%zz', 'quay.io/a%zz', false],
    ['[fe80::1%25en0]:5000', '[fe80::1%en0]:5000', '[fe80::1%25en0]:5000/app', false],
    ['[::1]', '[::1]', '[::1]/app', false],
    ['a:b:5000', 'a:b:5000', 'a:b:5000/app', true],
    ['a:b:5000', 'a:b:5000', 'a:b:5001/app', false],
    ['a]b:5', 'a]b:5', 'a]b:5/app', true],
  ])('key %j (pattern %j) vs %j: %s', (key, pattern, repository, match) => {
    const ring = keyring([key]);
    expect(ring.patterns).toEqual([pattern]);
    expect(ring.matchRepository(repository).length > 0).toBe(match);
  });

  test('an empty keyring finds nothing', () => {
    expect(new KubeletKeyring([]).lookup('nginx')).toEqual([]);
    expect(new KubeletKeyring([]).patterns).toEqual([]);
  });

  test('rejects an invalid image with a ValidationError', () => {
    expect(() => keyring(['ghcr.io']).lookup('ghcr.io/Org/app')).toThrow(ValidationError);
  });
});
