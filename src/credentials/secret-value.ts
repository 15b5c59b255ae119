import { SealingScope } from '../delivery/sealing';
import { ValidationError } from '../errors';
import { member, optionalString, readStruct, requireEnumValue, requireString } from '../runtime-checks';

/**
 * Where a piece of secret material comes from.
 */
export enum SecretValueSource {
  /** The value is in the program, in plain text: it will be in the synthesized output unless sealed at synth time. */
  PLAIN_TEXT = 'plain-text',
  /** The value was sealed beforehand with `kubeseal`; only the ciphertext is in the program. */
  SEALED = 'sealed',
  /** The value lives in an external secret store and is fetched in the cluster by External Secrets Operator. */
  EXTERNAL = 'external',
}

/**
 * How a value's source reads in a sentence: "a plain-text value", "a sealed value", "an external value".
 *
 * @internal
 */
export function describeSource(source: SecretValueSource): string {
  return source === SecretValueSource.EXTERNAL ? 'an external value' : `a ${source} value`;
}

/**
 * Options for a value held in an external secret store.
 */
export interface ExternalSecretValueOptions {
  /**
   * The property inside the remote secret (for stores that keep JSON or key/value secrets, e.g. Vault, AWS Secrets
   * Manager).
   *
   * @default - the whole remote secret
   */
  readonly property?: string;

  /**
   * The version of the remote secret.
   *
   * @default - the store's current version
   */
  readonly version?: string;
}

/**
 * What a pre-sealed value was sealed for (the `kubeseal` flags used), so that a value sealed for another namespace,
 * name or scope is refused at synth time instead of failing to decrypt in the cluster.
 */
export interface SealedSecretValueOptions {
  /**
   * The scope it was sealed with (`kubeseal --scope`).
   *
   * @default - not recorded: not checked
   */
  readonly scope?: SealingScope;

  /**
   * The namespace it was sealed for (`kubeseal --namespace`). Checked for the strict and namespace-wide scopes.
   *
   * @default - not recorded: not checked
   */
  readonly namespace?: string;

  /**
   * The Secret name it was sealed for (`kubeseal --name`). Checked for the strict scope.
   *
   * @default - not recorded: not checked
   */
  readonly name?: string;
}

/**
 * Where the secret material of a registry credential comes from: in plain text (explicitly unsafe), as ciphertext
 * sealed beforehand for Bitnami Sealed Secrets, or as a key in an External Secrets Operator store.
 *
 * Modelled on aws-cdk-lib's `SecretValue`: plain text is possible but named `unsafe…` so that it stands out in review.
 *
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.SecretValue.html
 */
export abstract class SecretValue {
  /**
   * A value given in plain text.
   *
   * It reaches the synthesized YAML only with the plain `Secret` delivery; sealed delivery encrypts it at synth time.
   * Never commit a program that holds a real credential in plain text: read it from the environment or a file that is
   * not in Git.
   */
  public static unsafePlainText(value: string): SecretValue {
    return new PlainTextSecretValue(requireString(value, { property: 'SecretValue.unsafePlainText(value)' },
      'pass the value as a string; when it comes from process.env, check that the variable is set'));
  }

  /**
   * A value already sealed with `kubeseal` (one `encryptedData` item, base64).
   *
   * It must have been sealed for the same namespace, name and scope as the `RegistrySecret` that uses it; record
   * them in `options` to have that checked at synth time.
   *
   * @see https://github.com/bitnami-labs/sealed-secrets#usage
   */
  public static sealed(ciphertext: string, options: SealedSecretValueOptions = {}): SecretValue {
    requireString(ciphertext, { property: 'SecretValue.sealed(ciphertext)' }, 'pass one `encryptedData` value from kubeseal as a string');
    const context = { property: 'SecretValue.sealed(options)' };
    const read = readStruct(options, ['scope', 'namespace', 'name'], context, true);
    return new SealedSecretValue(ciphertext, {
      scope: read.scope === undefined ? undefined
        : requireEnumValue(read.scope, SealingScope as unknown as { [key: string]: SealingScope }, 'SealingScope', member(context, 'scope')),
      namespace: optionalString(read.namespace, member(context, 'namespace')),
      name: optionalString(read.name, member(context, 'name')),
    });
  }

  /**
   * A value held in an external secret store, fetched in the cluster by External Secrets Operator.
   *
   * @param key the remote key (path or name of the secret in the store)
   * @see https://external-secrets.io/latest/api/externalsecret/
   */
  public static fromExternalSecret(key: string, options: ExternalSecretValueOptions = {}): SecretValue {
    requireString(key, { property: 'SecretValue.fromExternalSecret(key)' }, 'pass the remote key as a string, e.g. "registry/ghcr"');
    const context = { property: 'SecretValue.fromExternalSecret(options)' };
    const read = readStruct(options, ['property', 'version'], context, true);
    return new ExternalSecretValue(key, {
      property: optionalString(read.property, member(context, 'property')),
      version: optionalString(read.version, member(context, 'version')),
    });
  }

  /** Where the material comes from. */
  public abstract readonly source: SecretValueSource;

  /**
   * The plain-text value. Only plain-text values have one; reading it is as unsafe as writing it.
   *
   * @throws ValidationError if the value is not plain text
   */
  public abstract unsafeUnwrap(): string;
}

// Outside the instance so that console.log, util.inspect and debuggers showing the object do not print the value.
const PLAIN_TEXT = new WeakMap<PlainTextSecretValue, string>();

class PlainTextSecretValue extends SecretValue {
  public readonly source = SecretValueSource.PLAIN_TEXT;
  constructor(value: string) {
    super();
    PLAIN_TEXT.set(this, value);
  }
  public unsafeUnwrap(): string {
    return PLAIN_TEXT.get(this)!;
  }
  public toString(): string {
    return '<plain-text secret value>';
  }
  public toJSON(): string {
    return this.toString();
  }
}

// kubeseal writes padded standard base64 of: uint16 length of the RSA ciphertext (256 bytes or more for the
// 2048-bit minimum key), the RSA ciphertext, then AES-GCM ciphertext with its 16-byte tag.
const PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MIN_RSA_CIPHERTEXT_BYTES = 256;
const GCM_TAG_BYTES = 16;

function isSealedShape(ciphertext: string): boolean {
  if (!PADDED_BASE64.test(ciphertext)) {
    return false;
  }
  const bytes = Buffer.from(ciphertext, 'base64');
  if (bytes.length < 2) {
    return false;
  }
  const rsaLength = bytes.readUInt16BE(0);
  return rsaLength >= MIN_RSA_CIPHERTEXT_BYTES && bytes.length >= 2 + rsaLength + GCM_TAG_BYTES;
}

class SealedSecretValue extends SecretValue {
  public readonly source = SecretValueSource.SEALED;
  constructor(public readonly ciphertext: string, public readonly options: SealedSecretValueOptions) {
    super();
    if (!isSealedShape(ciphertext)) {
      // Redacted: what was passed may be the plain-text value, pasted by mistake.
      throw new ValidationError({
        property: 'ciphertext',
        value: ciphertext,
        secret: true,
        problem: 'is not a sealed value: kubeseal writes the base64 of a length-prefixed RSA ciphertext followed by AES-GCM ciphertext',
        fix: 'pass one value of `spec.encryptedData` from `kubeseal --raw` or a sealed YAML file, unchanged; never the plain-text value',
      });
    }
  }
  public unsafeUnwrap(): string {
    throw new ValidationError({
      property: 'secretValue',
      problem: 'is sealed; its plain text is only known to the Sealed Secrets controller',
      fix: 'use the sealed value with the SealedSecret delivery',
    });
  }
  public toString(): string {
    return '<sealed secret value>';
  }
}

class ExternalSecretValue extends SecretValue {
  public readonly source = SecretValueSource.EXTERNAL;
  constructor(public readonly key: string, public readonly options: ExternalSecretValueOptions) {
    super();
    if (key.trim().length === 0) {
      throw new ValidationError({
        property: 'key',
        value: key,
        problem: 'must name the remote secret',
        fix: 'pass the path or name of the secret in the external store, e.g. "registry/ghcr"',
      });
    }
  }
  public unsafeUnwrap(): string {
    throw new ValidationError({
      property: 'secretValue',
      problem: `is held in an external store under "${this.key}" and is not known at synth time`,
      fix: 'use the value with the ExternalSecret delivery',
    });
  }
  public toString(): string {
    return `<external secret value ${this.key}>`;
  }
}

/** The ciphertext of a sealed value (internal). */
export function sealedCiphertext(value: SecretValue): string | undefined {
  return value instanceof SealedSecretValue ? value.ciphertext : undefined;
}

/** What a sealed value was sealed for, as recorded by the caller (internal). */
export function sealedFor(value: SecretValue): SealedSecretValueOptions | undefined {
  return value instanceof SealedSecretValue ? value.options : undefined;
}

/** The remote reference of an external value (internal). */
export function externalReference(value: SecretValue): { key: string; property?: string; version?: string } | undefined {
  return value instanceof ExternalSecretValue ? { key: value.key, ...value.options } : undefined;
}
