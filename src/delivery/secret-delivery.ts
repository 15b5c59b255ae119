import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DeliveryRequest, emptyToUndefined, RenderedDelivery } from './delivery-request';
import { OpaqueSecretRequest, renderExternalOpaqueSecret, renderPlainOpaqueSecret, renderSealedOpaqueSecret } from './opaque-secret';
import { SealingKey, SealingScope, SealingScopes } from './sealing';
import { DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE } from '../constants';
import { CredentialParts, RegistryCredentials } from '../credentials/registry-credentials';
import { externalReference, sealedCiphertext, sealedFor, SecretValue, SecretValueSource, describeSource } from '../credentials/secret-value';
import { GENERATOR_API_VERSION } from '../credentials/token-generator';
import { ValidationError } from '../errors';
import { member, optionalInstance, readStruct, requireEnumValue, requireString } from '../runtime-checks';
import { enumMember, externalSecret as eso, ExternalSecret, KubeSecret, SealedSecret, typedObject, TypedObject } from '../typed-objects';
import { DockerConfig } from '../values/docker-config';
import { compareGoStrings, goJsonString } from '../values/go-json';

// The Secret type and data key every registry secret has, from the one constants module.
export { DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE } from '../constants';

/** How a registry secret reaches the cluster. */
export enum SecretDeliveryKind {
  /** A plain `Secret`: the credential is in the synthesized YAML. */
  PLAIN_SECRET = 'plain-secret',
  /** A Bitnami `SealedSecret`: only ciphertext for the cluster's controller is in the YAML. */
  SEALED_SECRET = 'sealed-secret',
  /** An External Secrets `ExternalSecret`: only references to a store, or a token generator, are in the YAML. */
  EXTERNAL_SECRET = 'external-secret',
}

/** The kind of External Secrets store an `ExternalSecret` reads from. */
export enum SecretStoreKind {
  /** A namespaced `SecretStore` in the secret's namespace. */
  SECRET_STORE = 'SecretStore',
  /** A cluster-wide `ClusterSecretStore`. */
  CLUSTER_SECRET_STORE = 'ClusterSecretStore',
}

/** A reference to an External Secrets store. */
export interface SecretStoreReference {
  /** The store's name. */
  readonly name: string;
  /**
   * The store's kind.
   *
   * @default SecretStoreKind.CLUSTER_SECRET_STORE
   */
  readonly kind?: SecretStoreKind;
}

/** Options for the SealedSecret delivery. */
export interface SealedSecretDeliveryOptions {
  /**
   * The controller's public key, to seal plain-text values at synth time. Not needed when every value is pre-sealed
   * with `SecretValue.sealed`.
   *
   * Sealing is randomized unless the key has a deterministic seed (`SealingKey.fromCertificate(pem,
   * { deterministicSeed })`): without one, every synth writes new ciphertext.
   *
   * @default - values must be pre-sealed
   */
  readonly sealingKey?: SealingKey;

  /**
   * Which SealedSecrets may decrypt the values. Written as the scope annotation on the SealedSecret itself; pre-sealed
   * values must have been sealed with the same scope.
   *
   * @default SealingScope.STRICT
   */
  readonly scope?: SealingScope;
}

/** Options for the ExternalSecret delivery. */
export interface ExternalSecretDeliveryOptions {
  /**
   * The store that holds the values given with `SecretValue.fromExternalSecret`. Not needed for token generators.
   *
   * @default - none; required unless every credential uses a token generator
   */
  readonly store?: SecretStoreReference;

  /**
   * How often External Secrets re-reads the store. Token-generator credentials use their own interval.
   *
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
}

/**
 * How a `RegistrySecret` reaches the cluster: a plain Secret (explicitly unsafe), a Bitnami SealedSecret, or an
 * External Secrets ExternalSecret.
 *
 * | situation | delivery |
 * | --- | --- |
 * | a secrets manager (Vault, AWS/GCP/Azure) holds the credential | `externalSecret({ store })` |
 * | ECR, GAR, ACR or Quay can mint short-lived tokens | `externalSecret()` with `RegistryCredentials.fromTokenGenerator` |
 * | no secrets manager; Sealed Secrets controller in the cluster | `sealedSecret({ sealingKey })` or pre-sealed values |
 * | local tests, throwaway clusters | `plainSecret()` with `SecretValue.unsafePlainText` |
 */
export abstract class SecretDelivery {
  /** A plain `Secret`, byte-identical to `kubectl create secret docker-registry`. Only for `unsafePlainText` values. */
  public static plainSecret(): SecretDelivery {
    return new PlainSecretDelivery();
  }

  /**
   * A Bitnami `SealedSecret`, sealed at synth time with the controller's public key or made from pre-sealed values.
   *
   * @see https://github.com/bitnami-labs/sealed-secrets
   */
  public static sealedSecret(options: SealedSecretDeliveryOptions = {}): SecretDelivery {
    const context = { property: 'SecretDelivery.sealedSecret(options)' };
    const read = readStruct(options, ['sealingKey', 'scope'], context, true);
    return new SealedSecretDelivery({
      sealingKey: optionalInstance(read.sealingKey, SealingKey, 'SealingKey', member(context, 'sealingKey'),
        'pass SealingKey.fromCertificate(<kubeseal --fetch-cert output>), or leave it out for pre-sealed values'),
      scope: read.scope === undefined ? undefined
        : requireEnumValue(read.scope, SealingScope as unknown as { [key: string]: SealingScope }, 'SealingScope', member(context, 'scope')),
    });
  }

  /**
   * An External Secrets `ExternalSecret` (`external-secrets.io/v1`) that builds the `.dockerconfigjson` in the cluster,
   * `auth` included, from store values or a token generator.
   *
   * @see https://external-secrets.io/latest/guides/common-k8s-secret-types/#dockerconfigjson-example
   */
  public static externalSecret(options: ExternalSecretDeliveryOptions = {}): SecretDelivery {
    const context = { property: 'SecretDelivery.externalSecret(options)' };
    const read = readStruct(options, ['store', 'refreshInterval'], context, true);
    let store: SecretStoreReference | undefined;
    if (read.store !== undefined) {
      const storeContext = member(context, 'store');
      const storeRead = readStruct(read.store, ['name', 'kind'], storeContext);
      store = {
        name: requireString(storeRead.name, member(storeContext, 'name'), 'pass the store name, e.g. "vault"'),
        kind: storeRead.kind === undefined ? undefined
          : requireEnumValue(storeRead.kind, SecretStoreKind as unknown as { [key: string]: SecretStoreKind }, 'SecretStoreKind', member(storeContext, 'kind')),
      };
    }
    return new ExternalSecretDelivery({
      store,
      refreshInterval: optionalInstance(read.refreshInterval, Duration, 'Duration', member(context, 'refreshInterval'),
        'pass a cdk8s Duration, e.g. Duration.hours(1)'),
    });
  }

  /** The delivery kind. */
  public abstract readonly kind: SecretDeliveryKind;

  /** @internal the value sources this delivery accepts */
  protected abstract readonly _accepts: SecretValueSource[];

  /** @internal */
  public abstract _render(request: DeliveryRequest): RenderedDelivery;

  /** @internal renders an Opaque Secret of named values (Konflux's `quaytoken`) the way this delivery carries secrets */
  public abstract _renderOpaque(request: OpaqueSecretRequest): RenderedDelivery;

  /** @internal throws unless every credential's material is of a kind this delivery can carry */
  protected _checkSources(request: DeliveryRequest, fix: string): void {
    request.credentials.forEach((credentials, index) => {
      for (const source of credentials.valueSources) {
        if (!this._accepts.includes(source)) {
          throw new ValidationError({
            scope: request.scope,
            property: `credentials[${index}]`,
            value: `${credentials.registry} (${source} value)`,
            problem: `holds ${describeSource(source)}, which the ${this.kind} delivery cannot carry; one secret cannot mix kinds`,
            fix,
          });
        }
      }
    });
  }
}

class PlainSecretDelivery extends SecretDelivery {
  public readonly kind = SecretDeliveryKind.PLAIN_SECRET;
  protected readonly _accepts = [SecretValueSource.PLAIN_TEXT];

  public _renderOpaque(request: OpaqueSecretRequest): RenderedDelivery {
    return renderPlainOpaqueSecret(request);
  }

  public _render(request: DeliveryRequest): RenderedDelivery {
    this._checkSources(request, 'use SecretValue.unsafePlainText for every value, or choose the delivery that matches the values (sealedSecret for SecretValue.sealed, externalSecret for SecretValue.fromExternalSecret)');
    rejectGenerators(request, 'plain Secret');
    const json = plainDockerConfig(request.credentials);
    return {
      main: typedObject(KubeSecret, {
        metadata: objectMeta(request, request.secretLabels, request.secretAnnotations),
        type: DOCKER_CONFIG_JSON_TYPE,
        data: { [DOCKER_CONFIG_JSON_KEY]: Buffer.from(json, 'utf8').toString('base64') },
      }),
      dependencies: [],
    };
  }
}

class SealedSecretDelivery extends SecretDelivery {
  public readonly kind = SecretDeliveryKind.SEALED_SECRET;
  protected readonly _accepts = [SecretValueSource.PLAIN_TEXT, SecretValueSource.SEALED];

  constructor(private readonly options: SealedSecretDeliveryOptions) {
    super();
  }

  public _renderOpaque(request: OpaqueSecretRequest): RenderedDelivery {
    return renderSealedOpaqueSecret(request, this.options);
  }

  public _render(request: DeliveryRequest): RenderedDelivery {
    this._checkSources(request, 'seal every value the same way: plain text sealed at synth time with a sealingKey, or values pre-sealed with SecretValue.sealed');
    rejectGenerators(request, 'SealedSecret');
    const scope = this.options.scope ?? SealingScope.STRICT;
    const sources = new Set(request.credentials.flatMap(c => c.valueSources));
    if (sources.size > 1) {
      throw new ValidationError({
        scope: request.scope,
        property: 'credentials',
        value: [...sources].join(' and '),
        problem: 'mixes plain-text values (sealed now) with pre-sealed values in one SealedSecret',
        fix: 'pre-seal all values with kubeseal, or give all of them as plain text with a sealingKey',
      });
    }
    const { encryptedData, templateData } = sources.has(SecretValueSource.SEALED)
      ? presealedSpec(request, scope)
      : { encryptedData: { [DOCKER_CONFIG_JSON_KEY]: this.seal(request, scope, plainDockerConfig(request.credentials)) }, templateData: undefined };
    return {
      main: typedObject(SealedSecret, {
        metadata: objectMeta(request, request.secretLabels, { ...request.secretAnnotations, ...SealingScopes.annotationsFor(scope) }),
        spec: {
          encryptedData,
          template: {
            type: DOCKER_CONFIG_JSON_TYPE,
            metadata: { labels: request.secretLabels, annotations: emptyToUndefined(request.secretAnnotations) },
            data: templateData,
          },
        },
      }),
      dependencies: [],
    };
  }

  private seal(request: DeliveryRequest, scope: SealingScope, plaintext: string): string {
    if (!this.options.sealingKey) {
      throw new ValidationError({
        scope: request.scope,
        property: 'delivery.sealingKey',
        problem: 'is required to seal plain-text values at synth time',
        fix: 'pass SecretDelivery.sealedSecret({ sealingKey: SealingKey.fromCertificate(<kubeseal --fetch-cert output>) }), or pre-seal the values with SecretValue.sealed',
      });
    }
    try {
      return this.options.sealingKey.seal(plaintext, { scope, namespace: request.namespace, name: request.name });
    } catch (err) {
      throw err instanceof ValidationError
        ? new ValidationError({ scope: request.scope, property: `namespace/name for ${scope} sealing`, problem: err.problem, fix: err.fix })
        : err;
    }
  }
}

class ExternalSecretDelivery extends SecretDelivery {
  public readonly kind = SecretDeliveryKind.EXTERNAL_SECRET;
  protected readonly _accepts = [SecretValueSource.EXTERNAL];

  constructor(private readonly options: ExternalSecretDeliveryOptions) {
    super();
  }

  public _renderOpaque(request: OpaqueSecretRequest): RenderedDelivery {
    const store = this.options.store;
    return renderExternalOpaqueSecret(request, {
      store: store && { name: store.name, kind: store.kind ?? SecretStoreKind.CLUSTER_SECRET_STORE },
      refreshInterval: goDuration(this.options.refreshInterval ?? Duration.hours(1)),
    });
  }

  public _render(request: DeliveryRequest): RenderedDelivery {
    this._checkSources(request, 'give every value with SecretValue.fromExternalSecret, or choose the delivery that matches the values');
    const generated = request.credentials.filter(c => c._parts.generator);
    if (generated.length > 0) {
      return this.renderGenerated(request, generated);
    }
    const store = this.requireStore(request);
    return {
      main: externalSecret(request, {
        refreshInterval: goDuration(this.options.refreshInterval ?? Duration.hours(1)),
        secretStoreRef: {
          name: store.name,
          kind: enumMember(eso.ExternalSecretSpecSecretStoreRefKind, store.kind ?? SecretStoreKind.CLUSTER_SECRET_STORE),
        },
        target: dockerConfigTarget(request, wholeConfigOf(request.credentials) ? undefined : dockerConfigTemplate(request.credentials)),
        data: remoteData(request.credentials),
      }),
      dependencies: [],
    };
  }

  private renderGenerated(request: DeliveryRequest, generated: RegistryCredentials[]): RenderedDelivery {
    if (generated.length !== request.credentials.length || generated.length > 1) {
      throw new ValidationError({
        scope: request.scope,
        property: 'credentials',
        value: request.credentials.map(c => c.registry).join(', '),
        problem: 'a token-generator credential must be the only credential of its RegistrySecret (each generator writes the same output keys)',
        fix: 'create one RegistrySecret per token-generator registry',
      });
    }
    const credentials = generated[0];
    const generator = credentials._parts.generator!;
    const generatorName = `${request.name}-${generator.kind.toLowerCase()}`;
    return {
      main: externalSecret(request, {
        refreshInterval: goDuration(credentials._parts.refreshInterval!),
        target: dockerConfigTarget(request, generatedConfigTemplate(credentials)),
        dataFrom: [{
          sourceRef: {
            generatorRef: {
              apiVersion: GENERATOR_API_VERSION,
              kind: enumMember(eso.ExternalSecretSpecDataFromSourceRefGeneratorRefKind, generator.kind),
              name: generatorName,
            },
          },
        }],
      }),
      dependencies: [generator._render(objectMeta({ ...request, name: generatorName }, request.secretLabels, {}))],
    };
  }

  private requireStore(request: DeliveryRequest): SecretStoreReference {
    if (!this.options.store) {
      throw new ValidationError({
        scope: request.scope,
        property: 'delivery.store',
        problem: 'is required to read values given with SecretValue.fromExternalSecret',
        fix: 'pass SecretDelivery.externalSecret({ store: { name: "<your ClusterSecretStore>" } })',
      });
    }
    return this.options.store;
  }
}

function objectMeta(request: Pick<DeliveryRequest, 'name' | 'namespace'>, labels: { [key: string]: string }, annotations: { [key: string]: string }) {
  return { name: request.name, namespace: request.namespace, labels: emptyToUndefined(labels), annotations: emptyToUndefined(annotations) };
}

function externalSecret(request: DeliveryRequest, spec: eso.ExternalSecretSpec): TypedObject {
  return typedObject(ExternalSecret, {
    // The ExternalSecret's own labels stay off the Secret: target.template.metadata replaces them, so Argo CD tracking
    // labels and sync options written here are never copied to the Secret.
    metadata: objectMeta(request, request.secretLabels, {}),
    spec,
  });
}

/** The target of a registry secret's ExternalSecret: a dockerconfigjson Secret, from `configTemplate` if given. */
function dockerConfigTarget(request: DeliveryRequest, configTemplate: string | undefined): eso.ExternalSecretSpecTarget {
  return {
    name: request.name,
    creationPolicy: eso.ExternalSecretSpecTargetCreationPolicy.OWNER,
    template: {
      type: DOCKER_CONFIG_JSON_TYPE,
      engineVersion: eso.ExternalSecretSpecTargetTemplateEngineVersion.V2,
      metadata: { labels: request.secretLabels, annotations: emptyToUndefined(request.secretAnnotations) },
      data: configTemplate === undefined ? undefined : { [DOCKER_CONFIG_JSON_KEY]: configTemplate },
    },
  };
}

function rejectGenerators(request: DeliveryRequest, what: string): void {
  const index = request.credentials.findIndex(c => c._parts.generator);
  if (index >= 0) {
    throw new ValidationError({
      scope: request.scope,
      property: `credentials[${index}]`,
      value: request.credentials[index].registry,
      problem: `uses a token generator, which only External Secrets can run; a ${what} would hold a token that expires`,
      fix: 'use SecretDelivery.externalSecret() for this RegistrySecret',
    });
  }
}

/** The `.dockerconfigjson` of plain-text credentials, as kubectl writes it. */
function plainDockerConfig(credentials: RegistryCredentials[]): string {
  const whole = wholeConfigOf(credentials);
  if (whole) {
    return whole.unsafeUnwrap();
  }
  let config = DockerConfig.empty();
  for (const c of credentials) {
    const parts = c._parts;
    const password = parts.password!.unsafeUnwrap();
    config = config.withBasicAuth(c.registry, parts.username!, parts.base64Password ? base64(password) : password, parts.email);
  }
  return config.toJson();
}

/** The whole-config value when the (only) credential is a Docker config JSON. */
function wholeConfigOf(credentials: RegistryCredentials[]): SecretValue | undefined {
  return credentials.length === 1 ? credentials[0]._parts.dockerConfig : undefined;
}

/** The data key under which credential `index`'s password is fetched or sealed. */
function passwordKey(index: number): string {
  return `password${index}`;
}

/** SealedSecret spec for pre-sealed values: the ciphertext, plus a template that assembles the config. */
function presealedSpec(
  request: DeliveryRequest, scope: SealingScope): { encryptedData: { [key: string]: string }; templateData?: { [key: string]: string } } {
  request.credentials.forEach((c, i) => checkSealedFor(request, scope, i, c._parts.password ?? c._parts.dockerConfig!));
  const whole = wholeConfigOf(request.credentials);
  if (whole) {
    return { encryptedData: { [DOCKER_CONFIG_JSON_KEY]: sealedCiphertext(whole)! } };
  }
  const encryptedData: { [key: string]: string } = {};
  request.credentials.forEach((c, i) => encryptedData[passwordKey(i)] = sealedCiphertext(c._parts.password!)!);
  return { encryptedData, templateData: { [DOCKER_CONFIG_JSON_KEY]: dockerConfigTemplate(request.credentials) } };
}

/**
 * Throws when a pre-sealed value records a scope, namespace or name other than the SealedSecret's: the controller
 * decrypts with the SealedSecret's own scope, namespace and name, so such a value would never decrypt.
 */
function checkSealedFor(request: DeliveryRequest, scope: SealingScope, index: number, value: SecretValue): void {
  const sealed = sealedFor(value) ?? {};
  const checks = [
    { what: 'scope', recorded: sealed.scope, actual: scope, applies: true, flag: `--scope ${scope}` },
    { what: 'namespace', recorded: sealed.namespace, actual: request.namespace, applies: scope !== SealingScope.CLUSTER_WIDE, flag: `--namespace ${request.namespace ?? '<namespace>'}` },
    { what: 'name', recorded: sealed.name, actual: request.name, applies: scope === SealingScope.STRICT, flag: `--name ${request.name}` },
  ].filter(check => check.applies);
  const mismatch = checks.find(check => check.recorded !== undefined && check.recorded !== check.actual);
  if (mismatch) {
    throw new ValidationError({
      scope: request.scope,
      property: `credentials[${index}] sealed ${mismatch.what}`,
      value: mismatch.recorded,
      problem: `differs from the SealedSecret's ${mismatch.what} "${mismatch.actual ?? '(none)'}"; the controller would fail to decrypt the value`,
      fix: `re-seal the value with \`kubeseal ${checks.map(check => check.flag).join(' ')}\`, or change the RegistrySecret's ${mismatch.what} to "${mismatch.recorded}"`,
    });
  }
}

/** ExternalSecret `data[]` for store values. */
function remoteData(credentials: RegistryCredentials[]): eso.ExternalSecretSpecData[] {
  const whole = wholeConfigOf(credentials);
  if (whole) {
    return [{ secretKey: DOCKER_CONFIG_JSON_KEY, remoteRef: externalReference(whole)! }];
  }
  return credentials.map((c, i) => ({ secretKey: passwordKey(i), remoteRef: externalReference(c._parts.password!)! }));
}

/**
 * A Go template (sprig functions, as both External Secrets and Sealed Secrets run) that renders the
 * `.dockerconfigjson` from the fetched or decrypted passwords. Every value goes through `toJson`, so quotes,
 * backslashes and newlines in passwords (GAR key JSON) stay valid JSON; `auth` is always written.
 */
function dockerConfigTemplate(credentials: RegistryCredentials[]): string {
  const entries = credentials
    .map((c, i) => ({ registry: c.registry, parts: c._parts, key: passwordKey(i) }))
    .sort((a, b) => compareGoStrings(a.registry, b.registry))
    .map(({ registry, parts, key }) => {
      const password = parts.base64Password ? `(index . "${key}" | b64enc)` : `(index . "${key}")`;
      return entryTemplate(registry, parts, password);
    });
  return `{"auths":{${entries.join(',')}}}`;
}

function entryTemplate(registry: string, parts: CredentialParts, passwordExpr: string): string {
  const user = templateLiteral(goJsonString(parts.username!));
  const email = parts.email ? `,"email":${templateLiteral(goJsonString(parts.email))}` : '';
  return `${templateLiteral(goJsonString(registry))}:{"username":${user},"password":{{ ${passwordExpr} | toJson }}${email},`
    + `"auth":{{ printf "%s:%s" ${JSON.stringify(parts.username!)} ${passwordExpr} | b64enc | toJson }}}`;
}

/** The template over a generator's output keys (`username`/`password`, or Quay's `auth`). */
function generatedConfigTemplate(credentials: RegistryCredentials): string {
  const outputs = credentials._parts.generator!._outputs;
  const registry = templateLiteral(goJsonString(credentials.registry));
  if (outputs.auth) {
    return `{"auths":{${registry}:{"auth":{{ .auth | toJson }}}}}`;
  }
  return `{"auths":{${registry}:{"username":{{ .username | toJson }},"password":{{ .password | toJson }},`
    + '"auth":{{ printf "%s:%s" .username .password | b64enc | toJson }}}}}';
}

/**
 * JSON text placed between template actions. A literal "{{" there would open an action (a username or path with
 * "{{" would break the template, or inject one), so each is written by an action that prints "{{".
 */
function templateLiteral(json: string): string {
  return json.replace(/\{\{/g, '{{ "{{" }}');
}

function base64(value: string): string {
  return Buffer.from(value, 'utf8').toString('base64');
}

/**
 * The delivery that matches the sources of the secret values when none is given (internal): a plain Secret for
 * plain text, a SealedSecret for pre-sealed values; values in an external store need a store, so no default.
 *
 * @param what what the values are, for the message (e.g. "credentials", "tokens")
 */
export function defaultDelivery(scope: IConstruct, sources: SecretValueSource[], what: string): SecretDelivery {
  const kinds = new Set(sources);
  if (kinds.size === 1 && kinds.has(SecretValueSource.PLAIN_TEXT)) {
    return SecretDelivery.plainSecret();
  }
  if (kinds.size === 1 && kinds.has(SecretValueSource.SEALED)) {
    return SecretDelivery.sealedSecret();
  }
  throw new ValidationError({
    scope,
    property: 'delivery',
    value: [...kinds].join(' and '),
    problem: kinds.size > 1 ? `cannot be chosen: the ${what} mix kinds of secret values` : 'is required for values held in an external store',
    fix: kinds.size > 1
      ? 'give every value the same way (all SecretValue.fromExternalSecret, all SecretValue.sealed, or all unsafePlainText)'
      : 'pass delivery: SecretDelivery.externalSecret({ store: { name: "<your ClusterSecretStore>" } })',
  });
}

/** A Go duration string (`6h`, `30m`, `1h30m`), as External Secrets parses `refreshInterval`. */
export function goDuration(duration: Duration): string {
  let seconds = Math.round(duration.toSeconds());
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    const count = Math.floor(seconds / size);
    seconds -= count * size;
    if (count > 0) {
      parts.push(`${count}${unit}`);
    }
  }
  return parts.join('') || '0s';
}
