// TEST-ONLY: decrypts Sealed Secrets values the way the controller does, with a private key that only tests hold.
// The library itself never accepts a private key; nothing under src/ may import this file.
import * as crypto from 'crypto';
import { loadReferenceJson } from './reference';

/** One vector of `secrets/sealed-secrets-test-vectors.json`. */
export interface SealedSecretVector {
  readonly producer: string;
  readonly scope: string;
  readonly namespace: string;
  readonly name: string | null;
  readonly oaepLabel: string;
  readonly key: string | null;
  readonly plaintext: string;
  readonly ciphertextBase64: string;
}

/** The vector file: a throwaway RSA-2048 key (private part as JWK), its certificate and SPKI, and the vectors. */
export interface SealedSecretVectorFile {
  readonly format: { readonly scopeAnnotationsOnSealedSecretMetadata: { [scope: string]: string } };
  readonly testKey: {
    readonly rsaBits: number;
    readonly privateKeyJwk: crypto.JsonWebKeyInput['key'];
    readonly certificatePem: string;
    readonly publicKeySpkiPem: string;
  };
  readonly vectors: SealedSecretVector[];
}

export function loadSealedSecretVectors(): SealedSecretVectorFile {
  return loadReferenceJson('secrets', 'sealed-secrets-test-vectors.json');
}

/** The throwaway private key of the vector file, kept in memory only. */
export function vectorPrivateKey(): crypto.KeyObject {
  return crypto.createPrivateKey({ key: loadSealedSecretVectors().testKey.privateKeyJwk, format: 'jwk' });
}

/** The parts of one `encryptedData` value. */
export interface SealedParts {
  readonly lengthPrefix: number;
  readonly rsaCiphertext: Buffer;
  readonly aesCiphertextAndTag: Buffer;
}

/** Splits an `encryptedData` value into its length prefix, RSA-OAEP part and AES-GCM part (with tag). */
export function splitSealed(sealed: string): SealedParts {
  const bytes = Buffer.from(sealed, 'base64');
  const lengthPrefix = bytes.readUInt16BE(0);
  return {
    lengthPrefix,
    rsaCiphertext: bytes.subarray(2, 2 + lengthPrefix),
    aesCiphertextAndTag: bytes.subarray(2 + lengthPrefix),
  };
}

/** Decrypts the RSA-OAEP part with Node's own OAEP decoder (SHA-256, MGF1-SHA-256). Throws on a wrong label. */
export function unwrapSessionKey(rsaCiphertext: Buffer, privateKey: crypto.KeyObject, label: string): Buffer {
  return crypto.privateDecrypt(
    { key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label, 'utf8') },
    rsaCiphertext,
  );
}

/** AES-256-GCM with the all-zero nonce the controller uses; `sealed` ends with the 16-byte tag. Throws if the tag fails. */
export function decryptAesGcm(sessionKey: Buffer, sealed: Buffer): Buffer {
  const decipher = crypto.createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
}

/** Decrypts one `encryptedData` value as the controller would for the given OAEP label. Throws on any mismatch. */
export function unseal(sealed: string, privateKey: crypto.KeyObject, label: string): string {
  const parts = splitSealed(sealed);
  const sessionKey = unwrapSessionKey(parts.rsaCiphertext, privateKey, label);
  return decryptAesGcm(sessionKey, parts.aesCiphertextAndTag).toString('utf8');
}
