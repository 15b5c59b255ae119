import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as util from 'util';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { SealingKey, SealingScope, SealingScopes, SealingSeed, SealOptions } from '../../src/delivery/sealing';
import { KubernetesNames } from '../../src/names';
import { validationErrorOf } from '../helpers/errors';
import {
  loadSealedSecretVectors, SealedSecretVector, splitSealed, unseal, unwrapSessionKey, vectorPrivateKey,
} from '../helpers/unseal';

const VECTORS = loadSealedSecretVectors();
const CERT_PEM = VECTORS.testKey.certificatePem;
const SPKI_PEM = VECTORS.testKey.publicKeySpkiPem;
const PRIVATE_KEY = vectorPrivateKey();

const SEED = 'test-seed-0123456789-abcdefghijklmnopqrstuvwxyz';
const OTHER_SEED = 'test-seed-9876543210-zyxwvutsrqponmlkjihgfedcba';
const PLAINTEXT = '{"auths":{"registry.example.com":{"username":"robot","password":"pässwörd-🔑","auth":"cm9ib3Q6cMOkc3N3w7ZyZC3wn5SR"}}}';

const STRICT: SealOptions = { scope: SealingScope.STRICT, namespace: 'team-a', name: 'regcred' };
const NAMESPACE_WIDE: SealOptions = { scope: SealingScope.NAMESPACE_WIDE, namespace: 'team-a', name: 'regcred' };
const CLUSTER_WIDE: SealOptions = { scope: SealingScope.CLUSTER_WIDE, namespace: 'team-a', name: 'regcred' };
const LABEL_BY_SCOPE: { [scope: string]: string } = {
  [SealingScope.STRICT]: 'team-a/regcred',
  [SealingScope.NAMESPACE_WIDE]: 'team-a',
  [SealingScope.CLUSTER_WIDE]: '',
};
// Labels of other scopes and of other namespaces/names: none of them may decrypt what was sealed for another label.
const ALL_LABELS = ['team-a/regcred', 'team-a', '', 'team-b/regcred', 'team-a/other', 'team-b', 'team-aregcred', 'regcred'];

function randomKey(): SealingKey {
  return SealingKey.fromCertificate(CERT_PEM);
}

function seededKey(seed: string = SEED): SealingKey {
  return SealingKey.fromCertificate(CERT_PEM, { deterministicSeed: SealingSeed.fromString(seed) });
}

function spkiOf(publicKey: crypto.KeyObject): string {
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

describe('reference vectors (Go stdlib, Node crypto, @linode/kubeseal-encrypt)', () => {
  const vectors = VECTORS.vectors.map(v => [`${v.producer.split(' ')[0]} ${v.scope} ${JSON.stringify(v.plaintext).slice(0, 20)}`, v] as const);

  test.each(vectors)('%s decrypts with its recorded label', (_title, vector: SealedSecretVector) => {
    expect(unseal(vector.ciphertextBase64, PRIVATE_KEY, vector.oaepLabel)).toBe(vector.plaintext);
    expect(splitSealed(vector.ciphertextBase64).lengthPrefix).toBe(256);
    expect(vector.ciphertextBase64.startsWith('AQ')).toBe(true);
  });

  test.each(vectors)('%s does not decrypt with any other label', (_title, vector: SealedSecretVector) => {
    const otherScopeLabels = [`${vector.namespace}/${vector.name ?? 'regcred'}`, vector.namespace, ''];
    const wrongLabels = [...new Set([...ALL_LABELS, ...otherScopeLabels])].filter(label => label !== vector.oaepLabel);
    expect(wrongLabels.length).toBeGreaterThanOrEqual(ALL_LABELS.length - 1);
    for (const label of wrongLabels) {
      expect(() => unseal(vector.ciphertextBase64, PRIVATE_KEY, label)).toThrow();
    }
  });

  test.each(vectors)('%s: SealingScopes.encryptionLabel gives the recorded label', (_title, vector: SealedSecretVector) => {
    const options: SealOptions = { scope: vector.scope as SealingScope, namespace: vector.namespace, name: vector.name ?? undefined };
    expect(SealingScopes.encryptionLabel(options)).toBe(vector.oaepLabel);
  });

  test('the vector file covers all three scopes and the empty plaintext', () => {
    expect(new Set(VECTORS.vectors.map(v => v.scope))).toEqual(new Set(Object.values(SealingScope)));
    expect(VECTORS.vectors.some(v => v.plaintext === '')).toBe(true);
  });
});

describe('SealingScopes.annotationsFor', () => {
  test.each(Object.values(SealingScope))('%s matches the annotations recorded with the vectors', scope => {
    const recorded = VECTORS.format.scopeAnnotationsOnSealedSecretMetadata[scope];
    const expected = recorded.startsWith('(') ? {} : YAML.parse(recorded);
    expect(SealingScopes.annotationsFor(scope)).toEqual(expected);
    Object.keys(expected).forEach(key => expect(KubernetesNames.isAnnotationKey(key)).toBe(true));
  });

  test('returns exactly the upstream annotation keys', () => {
    expect(SealingScopes.annotationsFor(SealingScope.STRICT)).toEqual({});
    expect(SealingScopes.annotationsFor(SealingScope.NAMESPACE_WIDE)).toEqual({ 'sealedsecrets.bitnami.com/namespace-wide': 'true' });
    expect(SealingScopes.annotationsFor(SealingScope.CLUSTER_WIDE)).toEqual({ 'sealedsecrets.bitnami.com/cluster-wide': 'true' });
  });

  test('returns a new object on every call', () => {
    const first = SealingScopes.annotationsFor(SealingScope.CLUSTER_WIDE);
    first.extra = 'changed';
    expect(SealingScopes.annotationsFor(SealingScope.CLUSTER_WIDE)).toEqual({ 'sealedsecrets.bitnami.com/cluster-wide': 'true' });
  });
});

describe('sealing round trip with the vector key', () => {
  const cases = [STRICT, NAMESPACE_WIDE, CLUSTER_WIDE].flatMap(options => [
    [options.scope, 'random', options, randomKey] as const,
    [options.scope, 'deterministic', options, () => seededKey()] as const,
  ]);

  test.each(cases)('%s (%s) decrypts with its own label only', (scope, _mode, options, makeKey) => {
    const sealed = makeKey().seal(PLAINTEXT, options);
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    expect(sealed.length % 4).toBe(0);
    expect(unseal(sealed, PRIVATE_KEY, LABEL_BY_SCOPE[scope])).toBe(PLAINTEXT);
    for (const label of ALL_LABELS.filter(l => l !== LABEL_BY_SCOPE[scope])) {
      expect(() => unseal(sealed, PRIVATE_KEY, label)).toThrow();
    }
  });

  test.each([SealingScope.STRICT, SealingScope.NAMESPACE_WIDE])('%s: another namespace gives another, matching label', scope => {
    const sealed = randomKey().seal(PLAINTEXT, { scope, namespace: 'team-b', name: 'regcred' });
    expect(unseal(sealed, PRIVATE_KEY, scope === SealingScope.STRICT ? 'team-b/regcred' : 'team-b')).toBe(PLAINTEXT);
    expect(() => unseal(sealed, PRIVATE_KEY, LABEL_BY_SCOPE[scope])).toThrow();
  });

  test('strict: another name gives another label', () => {
    const sealed = randomKey().seal(PLAINTEXT, { ...STRICT, name: 'other' });
    expect(unseal(sealed, PRIVATE_KEY, 'team-a/other')).toBe(PLAINTEXT);
    expect(() => unseal(sealed, PRIVATE_KEY, 'team-a/regcred')).toThrow();
  });

  test('cluster-wide needs neither namespace nor name', () => {
    const sealed = randomKey().seal(PLAINTEXT, { scope: SealingScope.CLUSTER_WIDE });
    expect(unseal(sealed, PRIVATE_KEY, '')).toBe(PLAINTEXT);
  });

  test('namespace-wide needs no name', () => {
    const sealed = randomKey().seal(PLAINTEXT, { scope: SealingScope.NAMESPACE_WIDE, namespace: 'team-a' });
    expect(unseal(sealed, PRIVATE_KEY, 'team-a')).toBe(PLAINTEXT);
  });

  test('the empty plaintext is allowed and decrypts to the empty string (as the Go vector does)', () => {
    const sealed = randomKey().seal('', STRICT);
    expect(Buffer.from(sealed, 'base64')).toHaveLength(2 + 256 + 16);
    expect(unseal(sealed, PRIVATE_KEY, 'team-a/regcred')).toBe('');
  });

  test('random mode gives new ciphertext on every call', () => {
    const key = randomKey();
    expect(key.deterministic).toBe(false);
    expect(key.seal(PLAINTEXT, STRICT)).not.toBe(key.seal(PLAINTEXT, STRICT));
  });

  test('a key read from the SPKI seals values the certificate\'s private key opens', () => {
    const sealed = SealingKey.fromPublicKey(SPKI_PEM).seal(PLAINTEXT, NAMESPACE_WIDE);
    expect(unseal(sealed, PRIVATE_KEY, 'team-a')).toBe(PLAINTEXT);
  });

  test('a PEM with CRLF line endings and surrounding text is read', () => {
    const pem = `subject=O=sealed-secret-test\r\n${CERT_PEM.replace(/\n/g, '\r\n')}\r\n`;
    expect(SealingKey.fromCertificate(pem).fingerprint).toBe(randomKey().fingerprint);
  });
});

describe('deterministic sealing', () => {
  const base = () => seededKey().seal(PLAINTEXT, STRICT);

  test('the same input gives byte-identical output, from the certificate or the SPKI', () => {
    const first = base();
    expect(seededKey().deterministic).toBe(true);
    expect(base()).toBe(first);
    const fromSpki = SealingKey.fromPublicKey(SPKI_PEM, { deterministicSeed: SealingSeed.fromString(SEED) });
    expect(fromSpki.seal(PLAINTEXT, STRICT)).toBe(first);
  });

  // Pinned so that an unintended change of the derivation, which would re-seal every committed value, fails here.
  test('the derivation is stable across versions', () => {
    expect(seededKey().seal('s3cr3t', STRICT)).toBe(GOLDEN_STRICT_S3CR3T);
    expect(unseal(GOLDEN_STRICT_S3CR3T, PRIVATE_KEY, 'team-a/regcred')).toBe('s3cr3t');
  });

  test.each([
    ['seed', () => seededKey(OTHER_SEED).seal(PLAINTEXT, STRICT)],
    ['plaintext', () => seededKey().seal(`${PLAINTEXT} `, STRICT)],
    ['namespace', () => seededKey().seal(PLAINTEXT, { ...STRICT, namespace: 'team-b' })],
    ['name', () => seededKey().seal(PLAINTEXT, { ...STRICT, name: 'regcred2' })],
    ['scope namespace-wide', () => seededKey().seal(PLAINTEXT, NAMESPACE_WIDE)],
    ['scope cluster-wide', () => seededKey().seal(PLAINTEXT, CLUSTER_WIDE)],
    ['key', () => SealingKey.fromPublicKey(spkiOf(crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey),
      { deterministicSeed: SealingSeed.fromString(SEED) }).seal(PLAINTEXT, STRICT)],
  ])('a different %s gives different output', (_what, sealOther) => {
    const other = sealOther();
    const reference = base();
    expect(other).not.toBe(reference);
    // The session key itself changes, not only the RSA part: no AES key is reused for another message or label.
    expect(splitSealed(other).aesCiphertextAndTag.equals(splitSealed(reference).aesCiphertextAndTag)).toBe(false);
  });

  test('cluster-wide output ignores namespace and name (they are not in the label)', () => {
    expect(seededKey().seal(PLAINTEXT, CLUSTER_WIDE)).toBe(seededKey().seal(PLAINTEXT, { scope: SealingScope.CLUSTER_WIDE }));
  });

  test('a different seed derives a different session key', () => {
    const keyOf = (sealed: string) => unwrapSessionKey(splitSealed(sealed).rsaCiphertext, PRIVATE_KEY, 'team-a/regcred');
    const sessionKey = keyOf(base());
    expect(sessionKey).toHaveLength(32);
    expect(keyOf(seededKey(OTHER_SEED).seal(PLAINTEXT, STRICT)).equals(sessionKey)).toBe(false);
    // Not a plain hash of the plaintext, which anyone could recompute to confirm a guess.
    expect(sessionKey.equals(crypto.createHash('sha256').update(PLAINTEXT).digest())).toBe(false);
  });

  test('output for a 2048-bit key starts with AQ (length prefix 0x0100)', () => {
    const sealed = base();
    expect(sealed.startsWith('AQ')).toBe(true);
    expect(splitSealed(sealed).lengthPrefix).toBe(256);
  });

  test.each([
    [4096, /^Ag[A-D]/, 512],
    [2050, /^AQ[E-H]/, 257],
  ])('output for a %i-bit key matches %s (length prefix %i) and decrypts', (bits, prefix, length) => {
    const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: bits });
    const key = SealingKey.fromPublicKey(spkiOf(publicKey), { deterministicSeed: SealingSeed.fromString(SEED) });
    expect(key.modulusBits).toBe(bits);
    const sealed = key.seal(PLAINTEXT, STRICT);
    expect(sealed).toMatch(prefix);
    expect(splitSealed(sealed).lengthPrefix).toBe(length);
    expect(unseal(sealed, privateKey, 'team-a/regcred')).toBe(PLAINTEXT);
  });
});

describe('RSA-OAEP: Node\'s OAEP in random mode, the own EME-OAEP only in deterministic mode', () => {
  const other = crypto.generateKeyPairSync('rsa', { modulusLength: 2050 });
  const keys = [
    ['vector key (2048 bits)', CERT_PEM, PRIVATE_KEY, true],
    ['generated key (2050 bits)', spkiOf(other.publicKey), other.privateKey, false],
  ] as const;
  const keyOf = (pem: string, isCert: boolean, options = {}) =>
    (isCert ? SealingKey.fromCertificate(pem, options) : SealingKey.fromPublicKey(pem, options));
  const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/);

  test.each(keys)('%s, random mode: Node\'s OAEP decoder recovers the injected session key; AES-GCM matches Node\'s cipher', (_name, pem, privateKey, isCert) => {
    const key = keyOf(pem, isCert);
    fc.assert(fc.property(
      fc.uint8Array({ minLength: 32, maxLength: 32 }), dnsLabel, dnsLabel, fc.string({ unit: 'binary' }),
      fc.constantFrom(...Object.values(SealingScope)),
      (randomness, namespace, name, plaintext, scope) => {
        const source = jest.fn((size: number) => Buffer.from(randomness.subarray(0, size)));
        const options = { scope, namespace, name };
        const parts = splitSealed(key._withRandomSource(source).seal(plaintext, options));
        expect(source.mock.calls).toEqual([[32]]);
        const sessionKey = unwrapSessionKey(parts.rsaCiphertext, privateKey, SealingScopes.encryptionLabel(options));
        expect(sessionKey.equals(Buffer.from(randomness))).toBe(true);
        const cipher = crypto.createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
        const expected = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
        expect(parts.aesCiphertextAndTag.equals(expected)).toBe(true);
      }), { numRuns: 30 });
  });

  test.each(keys)('%s, deterministic mode: the own EME-OAEP encoding decodes with Node\'s OAEP decoder', (_name, pem, privateKey, isCert) => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 2 ** 30 }), dnsLabel, dnsLabel, fc.string({ unit: 'binary' }),
      fc.constantFrom(...Object.values(SealingScope)),
      (seedSalt, namespace, name, plaintext, scope) => {
        const seed = SealingSeed.fromString(`${SEED}-${seedSalt}`);
        const options = { scope, namespace, name };
        const sealed = keyOf(pem, isCert, { deterministicSeed: seed }).seal(plaintext, options);
        expect(unseal(sealed, privateKey, SealingScopes.encryptionLabel(options))).toBe(plaintext);
      }), { numRuns: 30 });
  });

  test('random mode: OpenSSL draws the OAEP seed, so the same session key gives another RSA part each time', () => {
    const fixed = (size: number) => Buffer.alloc(size, 7);
    const key = randomKey();
    const a = key._withRandomSource(fixed).seal(PLAINTEXT, STRICT);
    const b = key._withRandomSource(fixed).seal(PLAINTEXT, STRICT);
    expect(splitSealed(b).aesCiphertextAndTag.equals(splitSealed(a).aesCiphertextAndTag)).toBe(true);
    expect(splitSealed(b).rsaCiphertext.equals(splitSealed(a).rsaCiphertext)).toBe(false);
    expect(unseal(a, PRIVATE_KEY, 'team-a/regcred')).toBe(PLAINTEXT);
    expect(unseal(b, PRIVATE_KEY, 'team-a/regcred')).toBe(PLAINTEXT);
  });

  test('deterministic mode does not draw randomness', () => {
    const source = jest.fn((size: number) => Buffer.alloc(size));
    const sealed = seededKey()._withRandomSource(source).seal(PLAINTEXT, STRICT);
    expect(source).not.toHaveBeenCalled();
    expect(sealed).toBe(seededKey().seal(PLAINTEXT, STRICT));
  });
});

describe('public key checks (issue 12 item 6)', () => {
  const base = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
  const spkiWith = (jwk: crypto.JsonWebKeyInput['key']) => spkiOf(crypto.createPublicKey({ key: jwk, format: 'jwk' }));
  const oddModulus = (bits: number) => {
    const n = crypto.randomBytes(bits / 8);
    n[0] = 0x80 + (n[0] % 0x80); // top bit set: exactly `bits` bits
    n[n.length - 1] = n[n.length - 1] - (n[n.length - 1] % 2) + 1; // odd, as a real modulus
    return n.toString('base64url');
  };

  test.each([
    ['exponent 1 (the RSA step would be the identity)', { ...base, e: 'AQ' }, /public exponent 1;/],
    ['even exponent 4', { ...base, e: 'BA' }, /public exponent 4;/],
    ['even exponent 65538', { ...base, e: 'AQAC' }, /public exponent 65538;/],
    ['17000-bit modulus (OpenSSL cannot encrypt with it)', { kty: 'RSA', n: oddModulus(17000), e: 'AQAB' }, /17000-bit RSA key; 2048 to 16384 bits/],
  ])('%s is refused with a ValidationError at load time', (_title, jwk, problem) => {
    const err = validationErrorOf(() => SealingKey.fromPublicKey(spkiWith(jwk as crypto.JsonWebKeyInput['key'])));
    expect(err.property).toBe('SealingKey.fromPublicKey(pem)');
    expect(err.problem).toMatch(problem);
    expect(err.fix).toContain('kubeseal --fetch-cert');
  });

  test('exponent 3 and a 2048-bit modulus are accepted, and sealing with them decrypts', () => {
    const pair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 });
    const sealed = SealingKey.fromPublicKey(spkiOf(pair.publicKey)).seal(PLAINTEXT, STRICT);
    expect(unseal(sealed, pair.privateKey, 'team-a/regcred')).toBe(PLAINTEXT);
  });
});

describe('deterministic seed entropy (issue 12 item 7)', () => {
  test.each([
    ['one character repeated', 'a'.repeat(32)],
    ['one character repeated, long', 'x'.repeat(200)],
    ['a short phrase repeated', 'password'.repeat(4)],
    ['a phrase repeated with a tail', 'correcthorse'.repeat(3)],
    ['two characters alternating', 'ab'.repeat(20)],
    ['digits counting up twice', '0123456789abcdef0123456789abcdef'],
  ])('%s is refused, with the seed never shown and the openssl command in the fix', (_title, seed) => {
    const err = validationErrorOf(() => SealingSeed.fromString(seed));
    expect(err.problem).toMatch(/too little entropy.*at least 80/);
    expect(err.fix).toContain('openssl rand -base64 32');
    expect(err.message).not.toContain(seed.slice(0, 12));
  });

  test('seeds from openssl rand -base64 32 and -hex 16 pass; their estimates are near their real entropy', () => {
    // Real randomness, as openssl draws it (fast-check would favour all-zero arrays, which are rightly refused).
    for (let i = 0; i < 500; i++) {
      const base64 = crypto.randomBytes(32).toString('base64');
      expect(SealingSeed.estimateEntropyBits(base64)).toBeGreaterThan(180);
      expect(() => SealingSeed.fromString(base64)).not.toThrow();
      expect(() => SealingSeed.fromString(crypto.randomBytes(16).toString('hex'))).not.toThrow();
    }
  });

  test('estimates: repetition counts once', () => {
    expect(SealingSeed.estimateEntropyBits('a'.repeat(32))).toBe(0);
    expect(Math.round(SealingSeed.estimateEntropyBits('password'.repeat(4)))).toBe(22); // 8 novel x log2(7 distinct)
    expect(SealingSeed.estimateEntropyBits('0123456789abcdef'.repeat(2))).toBe(64); // 16 novel x log2(16)
    expect(SealingSeed.estimateEntropyBits(SEED)).toBeGreaterThan(200);
  });
});

describe('fingerprint', () => {
  const spkiDer = Buffer.from(SPKI_PEM.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  const expected = crypto.createHash('sha256').update(spkiDer).digest('hex');

  test('fromCertificate and fromPublicKey give the SHA-256 of the SPKI DER', () => {
    expect(SealingKey.fromCertificate(CERT_PEM).fingerprint).toBe(expected);
    expect(SealingKey.fromPublicKey(SPKI_PEM).fingerprint).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the certificate\'s key has 2048 bits', () => {
    expect(SealingKey.fromCertificate(CERT_PEM).modulusBits).toBe(VECTORS.testKey.rsaBits);
  });

  const openssl = (args: string[], input: Buffer | string) => execFileSync('openssl', args, { input });
  const hasOpenssl = (() => {
    try {
      openssl(['version'], '');
      return true;
    } catch {
      return false;
    }
  })();
  (hasOpenssl ? test : test.skip)('matches openssl: x509 -pubkey | pkey -pubin -outform DER | sha256', () => {
    const pubkey = openssl(['x509', '-pubkey', '-noout'], CERT_PEM);
    const der = openssl(['pkey', '-pubin', '-outform', 'DER'], pubkey);
    expect(SealingKey.fromCertificate(CERT_PEM).fingerprint).toBe(crypto.createHash('sha256').update(der).digest('hex'));
  });
});

describe('certificate expiry', () => {
  const validTo = new Date(new crypto.X509Certificate(CERT_PEM).validTo);

  test('a certificate is accepted up to its notAfter', () => {
    expect(SealingKey._fromCertificateAt(CERT_PEM, validTo).fingerprint).toBe(randomKey().fingerprint);
  });

  test('an expired certificate is a ValidationError with a fix', () => {
    const err = validationErrorOf(() => SealingKey._fromCertificateAt(CERT_PEM, new Date(validTo.getTime() + 1000)));
    expect(err.property).toBe('SealingKey.fromCertificate(pem)');
    expect(err.problem).toContain(`expired on ${validTo.toISOString()}`);
    expect(err.fix).toContain('kubeseal --fetch-cert');
  });
});

describe('SealingSeed', () => {
  test('is never shown by toString, JSON or util.inspect', () => {
    const seed = SealingSeed.fromString(SEED);
    const key = SealingKey.fromCertificate(CERT_PEM, { deterministicSeed: seed });
    expect(`${seed}`).toBe('<sealing seed>');
    expect(JSON.stringify({ seed })).toBe('{"seed":"<sealing seed>"}');
    expect(util.inspect(seed, { showHidden: true, depth: 5 })).not.toContain(SEED);
    expect(util.inspect(key, { showHidden: true, depth: 5 })).not.toContain(SEED);
  });

  test('fromEnvironment and fromFile give the same seed as fromString (one trailing newline ignored)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealing-seed-'));
    const file = path.join(dir, 'seed');
    fs.writeFileSync(file, `${SEED}\n`);
    process.env.SEALING_TEST_SEED = SEED;
    try {
      const expected = seededKey().seal(PLAINTEXT, STRICT);
      const viaEnv = SealingKey.fromCertificate(CERT_PEM, { deterministicSeed: SealingSeed.fromEnvironment('SEALING_TEST_SEED') });
      const viaFile = SealingKey.fromCertificate(CERT_PEM, { deterministicSeed: SealingSeed.fromFile(file) });
      expect(viaEnv.seal(PLAINTEXT, STRICT)).toBe(expected);
      expect(viaFile.seal(PLAINTEXT, STRICT)).toBe(expected);
    } finally {
      delete process.env.SEALING_TEST_SEED;
      fs.rmSync(dir, { recursive: true });
    }
  });
});

describe('bad input', () => {
  const SECRET_PLAINTEXT = 'correct-horse-battery-staple';
  const SHORT_SEED = 'tiny-seed-xyz';
  const rsa1024 = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
  const rsa2048 = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePkcs8 = rsa2048.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const privatePkcs1 = rsa2048.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicPkcs1 = rsa2048.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const ecSpki = spkiOf(crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
  const ed25519Spki = spkiOf(crypto.generateKeyPairSync('ed25519').publicKey);
  const rsaPssSpki = spkiOf(crypto.generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey);
  const jwkJson = JSON.stringify(VECTORS.testKey.privateKeyJwk);
  const secretLines = [privatePkcs8, privatePkcs1]
    .flatMap(pem => pem.split('\n').filter(line => line.length > 0 && !line.startsWith('-----')))
    .concat(Object.values(VECTORS.testKey.privateKeyJwk).filter((v): v is string => typeof v === 'string' && v.length > 16));

  const FROM_CERT = 'SealingKey.fromCertificate(pem)';
  const FROM_SPKI = 'SealingKey.fromPublicKey(pem)';
  const key = randomKey();

  test.each([
    ['empty certificate', () => SealingKey.fromCertificate(''), FROM_CERT, /is empty/],
    ['whitespace public key', () => SealingKey.fromPublicKey(' \n'), FROM_SPKI, /is empty/],
    ['garbage', () => SealingKey.fromCertificate('hello world'), FROM_CERT, /not PEM/],
    ['private JWK as JSON', () => SealingKey.fromCertificate(jwkJson), FROM_CERT, /not PEM/],
    ['PKCS#8 private key to fromCertificate', () => SealingKey.fromCertificate(privatePkcs8), FROM_CERT, /private key/],
    ['PKCS#8 private key to fromPublicKey', () => SealingKey.fromPublicKey(privatePkcs8), FROM_SPKI, /private key/],
    ['PKCS#1 private key to fromPublicKey', () => SealingKey.fromPublicKey(privatePkcs1), FROM_SPKI, /private key/],
    ['certificate followed by its private key', () => SealingKey.fromCertificate(`${CERT_PEM}\n${privatePkcs8}`), FROM_CERT, /private key/],
    ['PKCS#1 public key', () => SealingKey.fromPublicKey(publicPkcs1), FROM_SPKI, /"RSA PUBLIC KEY"/],
    ['SPKI given to fromCertificate', () => SealingKey.fromCertificate(SPKI_PEM), FROM_CERT, /"PUBLIC KEY" PEM block, not a "CERTIFICATE"/],
    ['certificate given to fromPublicKey', () => SealingKey.fromPublicKey(CERT_PEM), FROM_SPKI, /"CERTIFICATE" PEM block, not a "PUBLIC KEY"/],
    ['CRL given to fromCertificate', () => SealingKey.fromCertificate('-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----'), FROM_CERT, /"X509 CRL" PEM block/],
    ['corrupt certificate body', () => SealingKey.fromCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----'), FROM_CERT, /not a readable X\.509 certificate/],
    ['corrupt public key body', () => SealingKey.fromPublicKey('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'), FROM_SPKI, /not a readable SPKI public key/],
    ['EC key', () => SealingKey.fromPublicKey(ecSpki), FROM_SPKI, /ec key/],
    ['Ed25519 key', () => SealingKey.fromPublicKey(ed25519Spki), FROM_SPKI, /ed25519 key/],
    ['RSA-PSS key', () => SealingKey.fromPublicKey(rsaPssSpki), FROM_SPKI, /rsa-pss key/],
    ['1024-bit RSA key', () => SealingKey.fromPublicKey(spkiOf(rsa1024.publicKey)), FROM_SPKI, /1024-bit RSA key; 2048 to 16384 bits are required/],
    ['strict without name', () => key.seal(SECRET_PLAINTEXT, { scope: SealingScope.STRICT, namespace: 'team-a' }), 'options.name', /required for strict/],
    ['strict without namespace', () => key.seal(SECRET_PLAINTEXT, { scope: SealingScope.STRICT, name: 'regcred' }), 'options.namespace', /required for strict/],
    ['namespace-wide without namespace', () => key.seal(SECRET_PLAINTEXT, { scope: SealingScope.NAMESPACE_WIDE, name: 'regcred' }), 'options.namespace', /never be decrypted/],
    ['invalid namespace', () => key.seal(SECRET_PLAINTEXT, { ...STRICT, namespace: 'Team_A' }), 'options.namespace', /DNS-1123 label/],
    ['namespace with a dot', () => key.seal(SECRET_PLAINTEXT, { ...NAMESPACE_WIDE, namespace: 'team.a' }), 'options.namespace', /DNS-1123 label/],
    ['empty namespace', () => key.seal(SECRET_PLAINTEXT, { ...NAMESPACE_WIDE, namespace: '' }), 'options.namespace', /must not be empty/],
    ['invalid name', () => key.seal(SECRET_PLAINTEXT, { ...STRICT, name: 'Reg Cred' }), 'options.name', /DNS-1123 subdomain/],
    ['unknown scope', () => key.seal(SECRET_PLAINTEXT, { scope: 'everywhere' as SealingScope }), 'options.scope', /not a SealingScope/],
    ['lone surrogate in plaintext', () => key.seal(`${SECRET_PLAINTEXT}\uD800`, STRICT), 'plaintext', /not valid Unicode/],
    ['seed too short', () => SealingSeed.fromString(SHORT_SEED), 'SealingSeed.fromString(value)', /too short/],
    ['seed variable not set', () => SealingSeed.fromEnvironment('SEALING_TEST_UNSET_VARIABLE'), 'SealingSeed.fromEnvironment("SEALING_TEST_UNSET_VARIABLE")', /not set/],
    ['seed file missing', () => SealingSeed.fromFile('/nonexistent/sealing-seed'), 'SealingSeed.fromFile(path)', /cannot be read \(ENOENT\)/],
  ])('%s', (_title, thunk, property, problem) => {
    const err = validationErrorOf(thunk);
    expect(err.property).toBe(property);
    expect(err.problem).toMatch(problem);
    expect(err.fix.length).toBeGreaterThan(20);
    expect(err.message).toContain(`${property}: `);
    expect(err.message).toContain('Fix: ');
    for (const secret of [SECRET_PLAINTEXT, SHORT_SEED, ...secretLines]) {
      expect(err.message).not.toContain(secret);
    }
  });

  test('PEM fixes point to the command that produces the right input', () => {
    expect(validationErrorOf(() => SealingKey.fromCertificate('')).fix).toContain('kubeseal --fetch-cert > cert.pem');
    expect(validationErrorOf(() => SealingKey.fromPublicKey(publicPkcs1)).fix).toContain('openssl rsa -RSAPublicKey_in');
    expect(validationErrorOf(() => SealingKey.fromCertificate(SPKI_PEM)).fix).toContain('SealingKey.fromPublicKey');
    expect(validationErrorOf(() => SealingKey.fromPublicKey(CERT_PEM)).fix).toContain('SealingKey.fromCertificate');
  });
});

// seededKey().seal('s3cr3t', STRICT) as first produced (and decrypted with the vector key) by this implementation.
const GOLDEN_STRICT_S3CR3T = 'AQCJGGJQXq1xOwnWCdjABAC6XhiBHd0dN98AYB5OUjTMkw/Rldgaf6iDp3Js+uwxnaNTPH07H31h+2WdRS5N+1C3hi0Si6Ud/V9XbpthcDyE+nngpjmloTge3VGNPyaCIRwqhOgCpgrOyqIPXWoUZcz4n3RMw0LCZWAlDy/pEiF1Adiuz9x8bEwzT5nsqzN2UI5OcflCcqsxKZuoY56Gn+DjvpwwPTRsKa3SnxGt3cC+dChZ1/lvO6TwtB9Ek6l8zQAwhB6N7mbC4x3xjtJJlRayIPgCdFgdScqszadboi3hYzFW/2FRrAg0N3QoPNCIFoz1Iv35lHoqz638RbppuZN5HwGUDgO0NW8X6HA0BhrLGVdGKG4qvA==';
