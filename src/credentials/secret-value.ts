import { ValidationError } from '../errors';

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
    return new PlainTextSecretValue(value);
  }

  /**
   * A value already sealed with `kubeseal` (one `encryptedData` item, base64).
   *
   * It must have been sealed for the same namespace, name and scope as the `RegistrySecret` that uses it.
   *
   * @see https://github.com/bitnami-labs/sealed-secrets#usage
   */
  public static sealed(ciphertext: string): SecretValue {
    return new SealedSecretValue(ciphertext);
  }

  /**
   * A value held in an external secret store, fetched in the cluster by External Secrets Operator.
   *
   * @param key the remote key (path or name of the secret in the store)
   * @see https://external-secrets.io/latest/api/externalsecret/
   */
  public static fromExternalSecret(key: string, options: ExternalSecretValueOptions = {}): SecretValue {
    return new ExternalSecretValue(key, options);
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

class PlainTextSecretValue extends SecretValue {
  public readonly source = SecretValueSource.PLAIN_TEXT;
  constructor(private readonly value: string) {
    super();
  }
  public unsafeUnwrap(): string {
    return this.value;
  }
  public toString(): string {
    return '<plain-text secret value>';
  }
  public toJSON(): string {
    return this.toString();
  }
}

class SealedSecretValue extends SecretValue {
  public readonly source = SecretValueSource.SEALED;
  constructor(public readonly ciphertext: string) {
    super();
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(ciphertext)) {
      throw new ValidationError({
        property: 'ciphertext',
        value: ciphertext,
        problem: 'is not a sealed value: kubeseal writes standard base64',
        fix: 'pass one value of `spec.encryptedData` from `kubeseal --raw` or a sealed YAML file',
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

/** The remote reference of an external value (internal). */
export function externalReference(value: SecretValue): { key: string; property?: string; version?: string } | undefined {
  return value instanceof ExternalSecretValue ? { key: value.key, ...value.options } : undefined;
}
