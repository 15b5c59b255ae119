import * as crypto from 'crypto';
import * as fs from 'fs';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { optionalInstance, readStruct, requireString, optionalString, requireEnumValue } from '../runtime-checks';

/**
 * Which SealedSecret may decrypt a sealed value: the scope is bound into the ciphertext as the RSA-OAEP label, and
 * the controller picks the label from annotations on the SealedSecret's own metadata.
 *
 * @see https://github.com/bitnami-labs/sealed-secrets#scopes
 */
export enum SealingScope {
  /** Only a SealedSecret with exactly this namespace and name can decrypt it (kubeseal's default). */
  STRICT = 'strict',
  /** Any SealedSecret in this namespace can decrypt it, whatever its name. */
  NAMESPACE_WIDE = 'namespace-wide',
  /** Any SealedSecret in any namespace can decrypt it. */
  CLUSTER_WIDE = 'cluster-wide',
}

/**
 * Where a sealed value may be decrypted.
 */
export interface SealOptions {
  /** The scope the value is sealed for. */
  readonly scope: SealingScope;

  /**
   * The namespace of the SealedSecret that will hold the value. Required for `STRICT` and `NAMESPACE_WIDE`: the
   * controller decrypts with the namespace the SealedSecret ends up in, so it must be known when sealing.
   *
   * @default - none; only valid for `CLUSTER_WIDE`
   */
  readonly namespace?: string;

  /**
   * The name of the SealedSecret that will hold the value. Required for `STRICT`.
   *
   * @default - none; only valid for `NAMESPACE_WIDE` and `CLUSTER_WIDE`
   */
  readonly name?: string;
}

/**
 * What each `SealingScope` means on the wire: the RSA-OAEP label it seals with and the annotations the SealedSecret
 * must carry on its own `metadata` (not `spec.template.metadata`) for the controller to use the same label.
 *
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/pkg/apis/sealedsecrets/v1alpha1/sealedsecret_expansion.go
 */
export class SealingScopes {
  /** Annotation that marks a SealedSecret as namespace-wide. */
  public static readonly NAMESPACE_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/namespace-wide';

  /** Annotation that marks a SealedSecret as cluster-wide (it wins when both annotations are present). */
  public static readonly CLUSTER_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/cluster-wide';

  /**
   * The annotations a SealedSecret needs on its own metadata for `scope`: none for `STRICT`, one `"true"` annotation
   * otherwise. Returns a new object on every call.
   */
  public static annotationsFor(scope: SealingScope): { [key: string]: string } {
    switch (checkScope(scope)) {
      case SealingScope.NAMESPACE_WIDE:
        return { [SealingScopes.NAMESPACE_WIDE_ANNOTATION]: 'true' };
      case SealingScope.CLUSTER_WIDE:
        return { [SealingScopes.CLUSTER_WIDE_ANNOTATION]: 'true' };
      default:
        return {};
    }
  }

  /**
   * The RSA-OAEP label a value is sealed with: `"<namespace>/<name>"` (with a slash) for `STRICT`, `"<namespace>"`
   * for `NAMESPACE_WIDE`, empty for `CLUSTER_WIDE`.
   *
   * @throws ValidationError when the scope needs a namespace or name that is missing or not a valid Kubernetes name
   */
  public static encryptionLabel(options: SealOptions): string {
    switch (checkScope(options.scope)) {
      case SealingScope.STRICT:
        return `${requireNamespace(options)}/${requireName(options)}`;
      case SealingScope.NAMESPACE_WIDE:
        return requireNamespace(options);
      default:
        return '';
    }
  }

  private constructor() {}
}

// Outside the instance so that console.log, util.inspect and debuggers showing the object do not print the seed.
const SEED_BYTES = new WeakMap<SealingSeed, Buffer>();

/**
 * A secret that makes sealing deterministic (see `SealingKeyOptions.deterministicSeed`).
 *
 * Keep it on the machine that runs `cdk8s synth` (a CI secret, a file outside the repository), never in Git: with
 * the seed and read access to Git, anyone can confirm guesses of the sealed values. The seed is never shown by
 * `toString()`, `JSON.stringify` or error messages.
 */
export class SealingSeed {
  /** The shortest seed accepted, in characters. `openssl rand -base64 32` prints 44. */
  public static readonly MIN_LENGTH = 32;

  /**
   * The least estimated entropy a seed must have, in bits (see `estimateEntropyBits`). `openssl rand -base64 32`
   * scores about 220 (lowest of 100,000 draws: 194), `openssl rand -hex 16` about 122 (lowest: 89); `"a".repeat(32)`
   * scores 0, `"password".repeat(4)` 22 and `"0123456789abcdef".repeat(2)` 64.
   */
  public static readonly MIN_ENTROPY_BITS = 80;

  /**
   * The entropy `SealingSeed` estimates for `value`, in bits (an upper bound of what a guesser faces, not a proof).
   *
   * How: the seed is read left to right, and each run of 4 or more characters that repeats an earlier part of the
   * seed (overlaps allowed, as in LZ77) counts as predictable; every other character is novel. The estimate is
   * `novel characters × log2(number of distinct characters in the seed)`, i.e. as if each novel character were drawn
   * uniformly from the characters the seed uses. A repeated character or a short repeating phrase scores low whatever
   * its length; random base64 or hex scores close to its real entropy. Only the first 4096 characters are read.
   */
  public static estimateEntropyBits(value: string): number {
    return estimateEntropyBits(requireString(value, { property: 'SealingSeed.estimateEntropyBits(value)' }));
  }

  /**
   * Reads the seed from an environment variable of the synth process.
   *
   * @param variableName e.g. `SEALED_SECRETS_SEED`
   */
  public static fromEnvironment(variableName: string): SealingSeed {
    requireString(variableName, { property: 'SealingSeed.fromEnvironment(variableName)' }, 'pass the variable name, e.g. "SEALED_SECRETS_SEED"');
    const property = `SealingSeed.fromEnvironment("${variableName}")`;
    const value = process.env[variableName];
    if (value === undefined || value === '') {
      throw new ValidationError({
        property,
        problem: `environment variable ${variableName} is not set`,
        fix: 'set it on the synth machine only, e.g. from a CI secret created once with `openssl rand -base64 32`; never commit it',
      });
    }
    return new SealingSeed(value, property);
  }

  /**
   * Reads the seed from a file (one trailing newline is ignored).
   *
   * @param path a file outside the repository, e.g. a mounted CI secret
   */
  public static fromFile(path: string): SealingSeed {
    const property = 'SealingSeed.fromFile(path)';
    requireString(path, { property }, 'pass the path of the seed file');
    let content: string;
    try {
      content = fs.readFileSync(path, 'utf8');
    } catch (err) {
      throw new ValidationError({
        property,
        value: path,
        problem: `cannot be read (${(err as NodeJS.ErrnoException).code ?? 'read error'})`,
        fix: 'create it once with `openssl rand -base64 32 > <file>` outside the repository, or point to the mounted CI secret',
      });
    }
    return new SealingSeed(content.replace(/\r?\n$/, ''), property);
  }

  /**
   * Uses a seed the program already holds, e.g. fetched from a vault at synth time. Prefer `fromEnvironment` or
   * `fromFile` so that the seed never appears in source code.
   */
  public static fromString(value: string): SealingSeed {
    const property = 'SealingSeed.fromString(value)';
    return new SealingSeed(requireString(value, { property }, SEED_FIX), property);
  }

  private constructor(value: string, property: string) {
    if (value.length < SealingSeed.MIN_LENGTH) {
      throw new ValidationError({
        property,
        value,
        secret: true,
        problem: `is too short to keep sealed values unguessable (at least ${SealingSeed.MIN_LENGTH} characters)`,
        fix: SEED_FIX,
      });
    }
    const bits = estimateEntropyBits(value);
    if (bits < SealingSeed.MIN_ENTROPY_BITS) {
      throw new ValidationError({
        property,
        value,
        secret: true,
        problem: `has too little entropy to keep sealed values unguessable: about ${Math.floor(bits)} bits estimated `
          + `(repeated characters and repeating phrases count once), at least ${SealingSeed.MIN_ENTROPY_BITS} needed`,
        fix: SEED_FIX,
      });
    }
    SEED_BYTES.set(this, Buffer.from(value, 'utf8'));
  }

  /** A placeholder; the seed itself is never shown. */
  public toString(): string {
    return '<sealing seed>';
  }

  /** A placeholder, so that serializing an object that holds the seed does not leak it. */
  public toJSON(): string {
    return this.toString();
  }
}

/**
 * Options for a `SealingKey`.
 */
export interface SealingKeyOptions {
  /**
   * Makes sealing deterministic: the same plaintext sealed for the same scope, namespace, name and key gives
   * byte-identical ciphertext on every synth, so the synthesized YAML in Git only changes when a value changes.
   *
   * Sealing is randomized by design: without a seed every synth produces new `encryptedData` and churns Git (and in
   * an Argo CD plugin every render looks like a change). With a seed, the session key and the RSA-OAEP seed are
   * derived instead of drawn: `prk = HMAC-SHA256(seed, label || 0x00 || plaintext || 0x00 || sha256(SPKI))`, then
   * `aesKey = HMAC-SHA256(prk, "…aes-256-gcm key")` and `oaepSeed = HMAC-SHA256(prk, "…oaep seed")`.
   *
   * Why it stays safe: nobody without the seed can compute the session key for a guessed plaintext, so ciphertext in
   * Git cannot be used to confirm guesses. A plain hash of the plaintext as session key would not have that property:
   * anyone could hash a candidate password and try it against the AES-GCM part. Each session key still encrypts one
   * plaintext only, so the fixed all-zero GCM nonce is never reused with a different message.
   *
   * What it reveals: equal plaintexts sealed with the same label (two items of one strict SealedSecret, or any two
   * cluster-wide items) give equal ciphertext, so readers of Git learn that two values are equal, not what they are.
   * Rotating the seed re-seals everything once (one diff). The controller's key rotation does not change the
   * ciphertext, because sealing uses the certificate you pass in.
   *
   * @default - random sealing: every `seal()` call gives new ciphertext
   */
  readonly deterministicSeed?: SealingSeed;
}

/**
 * The public key of a Sealed Secrets controller, used to seal values at synth time with Node's built-in `crypto`
 * (synchronous, no `kubeseal` binary, no network).
 *
 * Each sealed value is what the controller expects in `spec.encryptedData`: standard base64 of
 * `uint16 big-endian length of the RSA ciphertext || RSA-OAEP(SHA-256, MGF1-SHA-256, label)(32-byte AES key) ||
 * AES-256-GCM(all-zero 12-byte nonce, no AAD)(plaintext) || 16-byte tag`.
 *
 * Random sealing wraps the session key with Node's own RSA-OAEP (`crypto.publicEncrypt` with `oaepHash: 'sha256'`
 * and the scope's `oaepLabel`); only deterministic sealing, which must choose the OAEP seed, encodes EME-OAEP itself.
 *
 * The library only ever takes the public key: a PEM holding a private key is refused, and so is an RSA key the
 * controller could not have made or Node could not seal with: a modulus outside 2048–16384 bits, a public exponent
 * below 3 or even (kubeseal's Go `crypto/rsa` refuses those too; e = 1 would leave the session key readable in Git).
 *
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/pkg/crypto/crypto.go
 * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/docs/developer/crypto.md
 */
export class SealingKey {
  /** The smallest RSA modulus accepted, in bits. The controller generates 4096-bit keys by default. */
  public static readonly MIN_MODULUS_BITS = 2048;

  /**
   * The largest RSA modulus accepted, in bits: the largest key OpenSSL (and so Node) encrypts with, and far above
   * the controller's `--key-size` choices.
   */
  public static readonly MAX_MODULUS_BITS = 16384;

  /**
   * Reads the controller's X.509 certificate, as printed by `kubeseal --fetch-cert` or served at `/v1/cert.pem`.
   *
   * An expired certificate is an error, not a warning: `kubeseal` refuses to seal with one too, and a warning would
   * scroll by in CI while values keep being sealed for a key the controller may have dropped. The validity start is
   * not checked (a freshly generated certificate and a slightly slow clock must not break a synth).
   *
   * @param pem the certificate PEM (`-----BEGIN CERTIFICATE-----`)
   * @see https://github.com/bitnami-labs/sealed-secrets/blob/main/pkg/kubeseal/kubeseal.go
   */
  public static fromCertificate(pem: string, options: SealingKeyOptions = {}): SealingKey {
    return SealingKey._fromCertificateAt(pem, new Date(), options);
  }

  /**
   * `fromCertificate` with the clock pinned, so that expiry can be tested with a fixed certificate.
   *
   * @internal
   */
  public static _fromCertificateAt(pem: string, now: Date, options: SealingKeyOptions = {}): SealingKey {
    const property = 'SealingKey.fromCertificate(pem)';
    requireString(pem, { property }, KUBESEAL_FETCH_CERT);
    const seed = seedOption(options, 'SealingKey.fromCertificate(options)');
    const block = findPemBlock(pem, 'CERTIFICATE', property);
    let certificate: crypto.X509Certificate;
    try {
      certificate = new crypto.X509Certificate(block);
    } catch (err) {
      throw unreadablePem(property, 'X.509 certificate', err);
    }
    const notAfter = new Date(certificate.validTo);
    if (now.getTime() > notAfter.getTime()) {
      throw new ValidationError({
        property,
        problem: `holds a certificate that expired on ${notAfter.toISOString()}`,
        fix: 'fetch the controller\'s current certificate with `kubeseal --fetch-cert > cert.pem` and re-seal',
      });
    }
    return new SealingKey(checkRsaKey(certificate.publicKey, property), seed, crypto.randomBytes);
  }

  /**
   * Reads an SPKI public key (`-----BEGIN PUBLIC KEY-----`), e.g. `openssl x509 -pubkey -noout -in cert.pem`.
   * A PKCS#1 `-----BEGIN RSA PUBLIC KEY-----` is refused with the command that converts it.
   *
   * @param pem the public key PEM
   */
  public static fromPublicKey(pem: string, options: SealingKeyOptions = {}): SealingKey {
    const property = 'SealingKey.fromPublicKey(pem)';
    requireString(pem, { property }, KUBESEAL_FETCH_CERT);
    const seed = seedOption(options, 'SealingKey.fromPublicKey(options)');
    const block = findPemBlock(pem, 'PUBLIC KEY', property);
    let publicKey: crypto.KeyObject;
    try {
      publicKey = crypto.createPublicKey({ key: block, format: 'pem', type: 'spki' });
    } catch (err) {
      throw unreadablePem(property, 'SPKI public key', err);
    }
    return new SealingKey(checkRsaKey(publicKey, property), seed, crypto.randomBytes);
  }

  /**
   * Lowercase hex SHA-256 of the public key's DER SubjectPublicKeyInfo: the same for a certificate and its public
   * key, and the same as `openssl x509 -pubkey -noout -in cert.pem | openssl pkey -pubin -outform DER | sha256sum`.
   * At 64 characters it fits an annotation; a label value (at most 63) needs a prefix of it.
   */
  public readonly fingerprint: string;

  /** The RSA modulus size in bits (2048 gives ciphertext starting `AQ`, 4096 `Ag`). */
  public readonly modulusBits: number;

  /** Whether `seal()` is deterministic (a `deterministicSeed` was given). */
  public readonly deterministic: boolean;

  private readonly fingerprintBytes: Buffer;
  private readonly publicKey: crypto.KeyObject;
  private readonly seed: SealingSeed | undefined;
  private readonly randomBytes: (size: number) => Buffer;

  private constructor(publicKey: crypto.KeyObject, seed: SealingSeed | undefined, randomBytes: (size: number) => Buffer) {
    this.publicKey = publicKey;
    this.seed = seed;
    this.randomBytes = randomBytes;
    this.fingerprintBytes = crypto.createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest();
    this.fingerprint = this.fingerprintBytes.toString('hex');
    this.modulusBits = publicKey.asymmetricKeyDetails!.modulusLength!;
    this.deterministic = seed !== undefined;
  }

  /**
   * Seals one value for a SealedSecret's `spec.encryptedData`.
   *
   * The empty string is allowed (Kubernetes Secrets may hold empty values, and the controller decrypts it).
   * Binary values are not supported: the plaintext is a string and is sealed as its UTF-8 bytes.
   *
   * @param plaintext the value, as it should appear decoded in the resulting Secret
   * @param options the scope, namespace and name the value is sealed for
   * @returns standard padded base64
   * @throws ValidationError when the scope's namespace or name is missing or invalid, or the plaintext is not valid
   * Unicode (the message never contains the plaintext)
   */
  public seal(plaintext: string, options: SealOptions): string {
    const label = Buffer.from(SealingScopes.encryptionLabel(checkSealOptions(options)), 'utf8');
    const message = utf8Of(requireString(plaintext, { property: 'plaintext' }, 'pass the value to seal as a string'));
    const wrapped = this.seed === undefined ? this.encryptRandom(label) : this.encryptDeterministic(label, message);
    const lengthPrefix = Buffer.alloc(2);
    lengthPrefix.writeUInt16BE(wrapped.ciphertext.length);
    return Buffer.concat([lengthPrefix, wrapped.ciphertext, encryptAesGcm(wrapped.sessionKey, message)]).toString('base64');
  }

  /**
   * The same key with another source for the random-mode session key, so that tests can check what was sealed
   * (the OAEP seed is drawn by OpenSSL and cannot be injected).
   *
   * @internal
   */
  public _withRandomSource(randomBytes: (size: number) => Buffer): SealingKey {
    return new SealingKey(this.publicKey, this.seed, randomBytes);
  }

  /** Random mode: a drawn session key, wrapped by OpenSSL's own RSA-OAEP (which draws the OAEP seed itself). */
  private encryptRandom(label: Buffer): WrappedSessionKey {
    const sessionKey = this.randomBytes(AES_KEY_BYTES);
    const ciphertext = crypto.publicEncrypt(
      { key: this.publicKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label },
      sessionKey,
    );
    return { sessionKey, ciphertext };
  }

  /**
   * Deterministic mode: session key and OAEP seed derived from the seed, so the library has to do the EME-OAEP
   * encoding itself (Node cannot take a chosen OAEP seed), then the raw RSA step.
   */
  private encryptDeterministic(label: Buffer, message: Buffer): WrappedSessionKey {
    const prk = hmac(SEED_BYTES.get(this.seed!)!, [label, ZERO_BYTE, message, ZERO_BYTE, this.fingerprintBytes]);
    const sessionKey = hmac(prk, [Buffer.from(SESSION_KEY_INFO, 'utf8')]);
    const oaepSeed = hmac(prk, [Buffer.from(OAEP_SEED_INFO, 'utf8')]);
    const ciphertext = crypto.publicEncrypt(
      { key: this.publicKey, padding: crypto.constants.RSA_NO_PADDING },
      encodeOaep(sessionKey, label, oaepSeed, this.modulusBytes()),
    );
    return { sessionKey, ciphertext };
  }

  private modulusBytes(): number {
    return Math.ceil(this.modulusBits / 8);
  }
}

interface WrappedSessionKey {
  readonly sessionKey: Buffer;
  /** The RSA-OAEP ciphertext of the session key. */
  readonly ciphertext: Buffer;
}

const AES_KEY_BYTES = 32;
const HASH_BYTES = 32;
const GCM_NONCE = Buffer.alloc(12);
const ZERO_BYTE = Buffer.alloc(1);
// Distinct HMAC inputs keep the AES key and the OAEP seed independent although both come from one prk. Changing
// either string changes every deterministic ciphertext users have committed.
const SESSION_KEY_INFO = 'cdk8s-registries sealed-secrets aes-256-gcm key';
const OAEP_SEED_INFO = 'cdk8s-registries sealed-secrets oaep seed';

const KUBESEAL_FETCH_CERT = 'pass the controller certificate printed by `kubeseal --fetch-cert > cert.pem`';

const SEED_FIX = 'generate a random seed once with `openssl rand -base64 32` and keep it outside the repository (a CI secret or a mounted file)';

const MAX_ENTROPY_INPUT = 4096;
const MIN_REPEAT = 4;

// See SealingSeed.estimateEntropyBits for the method.
function estimateEntropyBits(value: string): number {
  const chars = Array.from(value.slice(0, MAX_ENTROPY_INPUT));
  let novel = 0;
  for (let i = 0; i < chars.length;) {
    const repeat = longestEarlierMatch(chars, i);
    if (repeat >= MIN_REPEAT) {
      i += repeat;
    } else {
      novel++;
      i++;
    }
  }
  return novel * Math.log2(Math.max(1, new Set(chars).size));
}

/** The length of the longest prefix of chars[i..] that also starts at an earlier position (overlap allowed). */
function longestEarlierMatch(chars: string[], i: number): number {
  let best = 0;
  for (let j = 0; j < i; j++) {
    let length = 0;
    while (i + length < chars.length && chars[j + length] === chars[i + length]) {
      length++;
    }
    best = Math.max(best, length);
  }
  return best;
}

function checkScope(scope: SealingScope): SealingScope {
  return requireEnumValue(scope, SealingScope as unknown as { [key: string]: SealingScope }, 'SealingScope', { property: 'options.scope' });
}

/** Reads `SealOptions` once, with type checks (JS callers), into a plain object. */
function checkSealOptions(options: SealOptions): SealOptions {
  const context = { property: 'options' };
  const read = readStruct(options, ['scope', 'namespace', 'name'], context);
  return {
    scope: checkScope(read.scope as SealingScope),
    namespace: optionalString(read.namespace, { property: 'options.namespace' }),
    name: optionalString(read.name, { property: 'options.name' }),
  };
}

function seedOption(options: SealingKeyOptions, property: string): SealingSeed | undefined {
  const read = readStruct(options, ['deterministicSeed'], { property }, true);
  return optionalInstance(read.deterministicSeed, SealingSeed, 'SealingSeed', { property: `${property}.deterministicSeed` },
    'pass SealingSeed.fromEnvironment("SEALED_SECRETS_SEED") or SealingSeed.fromFile(path), or leave it out');
}

function requireNamespace(options: SealOptions): string {
  if (options.namespace === undefined) {
    throw new ValidationError({
      property: 'options.namespace',
      problem: `is required for ${options.scope} scope: the controller decrypts with the namespace the SealedSecret is applied to, so a value sealed without it can never be decrypted`,
      fix: 'set the namespace explicitly (do not rely on Argo CD or kubectl to fill it in later), or seal with SealingScope.CLUSTER_WIDE',
    });
  }
  KubernetesNames.validateDns1123Label(options.namespace, 'options.namespace');
  return options.namespace;
}

function requireName(options: SealOptions): string {
  if (options.name === undefined) {
    throw new ValidationError({
      property: 'options.name',
      problem: 'is required for strict scope: the value is bound to the SealedSecret\'s name',
      fix: 'pass the metadata.name of the SealedSecret, or seal with SealingScope.NAMESPACE_WIDE',
    });
  }
  KubernetesNames.validateDns1123Subdomain(options.name, 'options.name');
  return options.name;
}

function utf8Of(plaintext: string): Buffer {
  const bytes = Buffer.from(plaintext, 'utf8');
  // A lone UTF-16 surrogate would be replaced by U+FFFD: the controller would decrypt a different value.
  if (bytes.toString('utf8') !== plaintext) {
    throw new ValidationError({
      property: 'plaintext',
      value: plaintext,
      secret: true,
      problem: 'is not valid Unicode (it holds a lone UTF-16 surrogate), so its UTF-8 bytes would differ from it',
      fix: 'pass the value as a proper string; decode binary data into text (e.g. base64) before sealing',
    });
  }
  return bytes;
}

/**
 * The text of the first PEM block labelled `expected`, after refusing private keys and blocks of the wrong kind.
 * The PEM itself never goes into an error: a mistaken paste may be a private key.
 */
function findPemBlock(pem: string, expected: string, property: string): string {
  if (pem.trim() === '') {
    throw new ValidationError({ property, problem: 'is empty', fix: KUBESEAL_FETCH_CERT });
  }
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g)];
  const labels = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map(match => match[1]);
  if (labels.some(label => label.includes('PRIVATE KEY'))) {
    throw new ValidationError({
      property,
      problem: 'holds a private key; sealing needs only the public certificate and this library never accepts a private key',
      fix: `${KUBESEAL_FETCH_CERT}. Keep the controller's private key out of the repository and rotate it if it was ever committed`,
    });
  }
  const block = blocks.find(match => match[1] === expected);
  if (block) {
    return block[0];
  }
  if (labels.length === 0) {
    throw new ValidationError({ property, problem: 'is not PEM: it has no "-----BEGIN ...-----" line', fix: KUBESEAL_FETCH_CERT });
  }
  throw new ValidationError({
    property,
    problem: `holds a "${labels[0]}" PEM block, not a "${expected}"`,
    fix: fixForPemLabel(labels[0]),
  });
}

function fixForPemLabel(label: string): string {
  switch (label) {
    case 'RSA PUBLIC KEY':
      return 'convert the PKCS#1 key to SPKI with `openssl rsa -RSAPublicKey_in -in key.pem -pubout -out public.pem` and use SealingKey.fromPublicKey, or pass the certificate from `kubeseal --fetch-cert > cert.pem` to SealingKey.fromCertificate';
    case 'PUBLIC KEY':
      return 'use SealingKey.fromPublicKey for an SPKI public key';
    case 'CERTIFICATE':
      return 'use SealingKey.fromCertificate for a certificate';
    default:
      return KUBESEAL_FETCH_CERT;
  }
}

function unreadablePem(property: string, what: string, err: unknown): ValidationError {
  return new ValidationError({
    property,
    problem: `is not a readable ${what} (${(err as Error).message})`,
    fix: `${KUBESEAL_FETCH_CERT} and pass the file content unchanged`,
  });
}

function checkRsaKey(key: crypto.KeyObject, property: string): crypto.KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ValidationError({
      property,
      problem: `holds a ${key.asymmetricKeyType ?? 'non-RSA'} key, but Sealed Secrets seals with RSA-OAEP only`,
      fix: `${KUBESEAL_FETCH_CERT}; the controller's keys are always RSA`,
    });
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < SealingKey.MIN_MODULUS_BITS || bits > SealingKey.MAX_MODULUS_BITS) {
    throw new ValidationError({
      property,
      problem: `holds a ${bits}-bit RSA key; ${SealingKey.MIN_MODULUS_BITS} to ${SealingKey.MAX_MODULUS_BITS} bits are required`,
      fix: `${KUBESEAL_FETCH_CERT}; the controller generates 4096-bit keys unless its --key-size says otherwise`,
    });
  }
  // e = 1 makes the RSA step the identity (the session key would be readable from Git); an even e has no inverse,
  // so nothing sealed with it could be decrypted. kubeseal's Go (crypto/rsa) refuses both.
  const exponent = key.asymmetricKeyDetails?.publicExponent ?? BigInt(0);
  if (exponent < BigInt(3) || exponent % BigInt(2) === BigInt(0)) {
    throw new ValidationError({
      property,
      problem: `holds an RSA key with public exponent ${exponent}; it must be odd and at least 3 (the controller uses 65537)`,
      fix: `${KUBESEAL_FETCH_CERT}; a key with this exponent was not made by the controller`,
    });
  }
  return key;
}

function hmac(key: Buffer, parts: Buffer[]): Buffer {
  const mac = crypto.createHmac('sha256', key);
  parts.forEach(part => mac.update(part));
  return mac.digest();
}

// One-shot hashing (`crypto.hash`, Node 20.12+) skips the Hash object that `createHash` builds per call; MGF1 hashes
// a few dozen short inputs per sealed value.
const oneShotHash = (crypto as { hash?: (algorithm: string, data: Buffer, encoding: 'buffer') => Buffer }).hash;

function sha256(data: Buffer): Buffer {
  return oneShotHash ? oneShotHash('sha256', data, 'buffer') : crypto.createHash('sha256').update(data).digest();
}

/**
 * EME-OAEP encoding with SHA-256 and MGF1-SHA-256 (RFC 8017 §7.1.1), written out because Node's `publicEncrypt`
 * draws the OAEP seed itself and deterministic sealing must choose it.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8017#section-7.1.1
 */
function encodeOaep(message: Buffer, label: Buffer, seed: Buffer, modulusBytes: number): Buffer {
  const encoded = Buffer.alloc(modulusBytes); // 0x00 || maskedSeed || maskedDB
  const db = encoded.subarray(1 + HASH_BYTES); // lHash || PS (zeros) || 0x01 || M, masked in place
  sha256(label).copy(db, 0);
  db[db.length - message.length - 1] = 0x01;
  message.copy(db, db.length - message.length);
  xorInPlace(db, mgf1(seed, db.length));
  const maskedSeed = encoded.subarray(1, 1 + HASH_BYTES);
  seed.copy(maskedSeed);
  xorInPlace(maskedSeed, mgf1(db, HASH_BYTES));
  return encoded;
}

function mgf1(seed: Buffer, length: number): Buffer {
  const mask = Buffer.alloc(Math.ceil(length / HASH_BYTES) * HASH_BYTES);
  const input = Buffer.alloc(seed.length + 4);
  seed.copy(input);
  for (let i = 0; i * HASH_BYTES < length; i++) {
    input.writeUInt32BE(i, seed.length);
    sha256(input).copy(mask, i * HASH_BYTES);
  }
  return mask.subarray(0, length);
}

function xorInPlace(target: Buffer, mask: Buffer): void {
  for (let i = 0; i < target.length; i++) {
    // eslint-disable-next-line no-bitwise -- OAEP masking is a byte-wise XOR by definition
    target[i] ^= mask[i];
  }
}

// The all-zero nonce is what the controller expects; it is safe because each session key encrypts one message.
function encryptAesGcm(key: Buffer, message: Buffer): Buffer {
  const cipher = crypto.createCipheriv('aes-256-gcm', key, GCM_NONCE);
  return Buffer.concat([cipher.update(message), cipher.final(), cipher.getAuthTag()]);
}
