import * as util from 'util';
import { externalReference, sealedCiphertext, sealedFor, SecretValue, SecretValueSource } from '../../src/credentials/secret-value';
import { SealingScope } from '../../src/delivery/sealing';
import { validationErrorOf } from '../helpers/errors';
import { loadSealedSecretVectors } from '../helpers/unseal';

const VECTORS = loadSealedSecretVectors().vectors;

describe('SecretValue.unsafePlainText', () => {
  const value = SecretValue.unsafePlainText('pässwörd-"quoted"\n🐳');

  test('is plain text and unwraps to the exact value', () => {
    expect(value.source).toBe(SecretValueSource.PLAIN_TEXT);
    expect(value.unsafeUnwrap()).toBe('pässwörd-"quoted"\n🐳');
  });

  test('never shows the value when printed, serialized or inspected', () => {
    const secret = 'hunter2-do-not-print';
    const plain = SecretValue.unsafePlainText(secret);
    for (const shown of [String(plain), `${plain}`, JSON.stringify({ plain }), util.inspect(plain, { showHidden: true, depth: 5 })]) {
      expect(shown).not.toContain(secret);
    }
    expect(String(plain)).toBe('<plain-text secret value>');
  });

  test('is neither sealed nor external', () => {
    expect(sealedCiphertext(value)).toBeUndefined();
    expect(sealedFor(value)).toBeUndefined();
    expect(externalReference(value)).toBeUndefined();
  });
});

describe('SecretValue.sealed', () => {
  test.each(VECTORS.map(v => [`${v.producer.split(' ')[0]} ${v.scope} ${v.key ?? ''}`, v.ciphertextBase64]))(
    'accepts the reference ciphertext %s', (_title, ciphertext) => {
      const value = SecretValue.sealed(ciphertext);
      expect(value.source).toBe(SecretValueSource.SEALED);
      expect(sealedCiphertext(value)).toBe(ciphertext);
      expect(sealedFor(value)).toEqual({});
    });

  test('records what it was sealed for', () => {
    const options = { scope: SealingScope.NAMESPACE_WIDE, namespace: 'team-a', name: 'regcred' };
    expect(sealedFor(SecretValue.sealed(VECTORS[0].ciphertextBase64, options))).toEqual(options);
  });

  test('has no plain text', () => {
    const error = validationErrorOf(() => SecretValue.sealed(VECTORS[0].ciphertextBase64).unsafeUnwrap());
    expect(error.property).toBe('secretValue');
    expect(error.fix).toMatch(/SealedSecret delivery/);
    expect(String(SecretValue.sealed(VECTORS[0].ciphertextBase64))).toBe('<sealed secret value>');
  });

  const valid = Buffer.from(VECTORS[0].ciphertextBase64, 'base64');
  test.each([
    ['a plain-text password pasted by mistake (valid base64 letters)', 'hunter2hunter2hunter2'],
    ['a password with symbols', 'p@ss:w0rd!'],
    ['unpadded base64', VECTORS.find(v => v.ciphertextBase64.endsWith('='))!.ciphertextBase64.replace(/=+$/, '')],
    ['URL-safe base64', valid.toString('base64url')],
    ['too short for an RSA-2048 ciphertext', Buffer.alloc(100, 1).toString('base64')],
    ['a length prefix below 256', Buffer.concat([Buffer.from([0x00, 0x80]), valid.subarray(2)]).toString('base64')],
    ['truncated after the RSA part (no GCM tag)', valid.subarray(0, 2 + 256 + 8).toString('base64')],
    ['empty', ''],
  ])('refuses %s, without showing it', (_name, ciphertext) => {
    const error = validationErrorOf(() => SecretValue.sealed(ciphertext));
    expect(error.property).toBe('ciphertext');
    expect(error.message).toMatch(/is not a sealed value.*Fix: pass one value of `spec.encryptedData`/);
    expect(error.shownValue).toBe(`<redacted secret, ${ciphertext.length} characters>`);
    if (ciphertext !== '') {
      expect(error.message).not.toContain(ciphertext);
    }
  });
});

describe('SecretValue.fromExternalSecret', () => {
  test('references a remote key, property and version', () => {
    const value = SecretValue.fromExternalSecret('registry/ghcr', { property: 'token', version: '3' });
    expect(value.source).toBe(SecretValueSource.EXTERNAL);
    expect(externalReference(value)).toEqual({ key: 'registry/ghcr', property: 'token', version: '3' });
    expect(sealedCiphertext(value)).toBeUndefined();
    expect(String(value)).toBe('<external secret value registry/ghcr>');
  });

  test('the whole remote secret by default', () => {
    expect(externalReference(SecretValue.fromExternalSecret('registry/ghcr'))).toEqual({ key: 'registry/ghcr' });
  });

  test('has no plain text at synth time', () => {
    const error = validationErrorOf(() => SecretValue.fromExternalSecret('registry/ghcr').unsafeUnwrap());
    expect(error.message).toMatch(/^secretValue: is held in an external store under "registry\/ghcr".*Fix: use the value with the ExternalSecret delivery/);
  });

  test.each(['', '   '])('refuses the empty key %j', key => {
    const error = validationErrorOf(() => SecretValue.fromExternalSecret(key));
    expect(error.property).toBe('key');
    expect(error.fix).toMatch(/path or name of the secret in the external store/);
  });
});
