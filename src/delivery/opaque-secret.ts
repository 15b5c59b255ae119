// Module-internal: renders an Opaque Secret of named values (e.g. Konflux's `quaytoken`) with the same three
// deliveries as registry secrets. Not exported from the package root; `SecretDelivery._renderOpaque` calls it.
import { IConstruct } from 'constructs';
import { emptyToUndefined, RenderedDelivery } from './delivery-request';
import { SealingScope, SealingScopes } from './sealing';
import type { SealedSecretDeliveryOptions, SecretStoreReference } from './secret-delivery';
import { externalReference, sealedCiphertext, sealedFor, SecretValue, SecretValueSource, describeSource } from '../credentials/secret-value';
import { ValidationError } from '../errors';
import { enumMember, externalSecret as eso, ExternalSecret, KubeSecret, SealedSecret, typedObject } from '../typed-objects';

/** Everything needed to render one Opaque Secret (internal). */
export interface OpaqueSecretRequest {
  /** The construct that asked for the Secret; named in errors. */
  readonly scope: IConstruct;
  readonly name: string;
  readonly namespace: string;
  /** Keys whose values are secret material. Keys are Go identifiers (`quaytoken`): templates read them as `.key`. */
  readonly secretValues: { [key: string]: SecretValue };
  /** Keys whose values are not secret (an organization name, an API URL): written as they are. */
  readonly literals: { [key: string]: string };
}

/** The External Secrets settings an Opaque Secret needs, already defaulted by the delivery (internal). */
export interface ExternalOpaqueSettings {
  /** The store, with its kind resolved; undefined when the delivery was given none. */
  readonly store?: SecretStoreReference;
  /** `spec.refreshInterval` as a Go duration. */
  readonly refreshInterval: string;
}

/**
 * A plain Secret, byte-identical in content to `kubectl create secret generic --from-literal=...` (which writes no
 * `type`; the API server defaults it to `Opaque`).
 */
export function renderPlainOpaqueSecret(request: OpaqueSecretRequest): RenderedDelivery {
  checkSources(request, [SecretValueSource.PLAIN_TEXT], 'plain Secret',
    'give every value with SecretValue.unsafePlainText, or choose the delivery that matches the values (sealedSecret for SecretValue.sealed, externalSecret for SecretValue.fromExternalSecret)');
  const data = Object.fromEntries(Object.entries({ ...request.literals, ...plainTextOf(request.secretValues) })
    .map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]));
  return { main: typedObject(KubeSecret, { metadata: objectMeta(request, {}), data }), dependencies: [] };
}

/**
 * A Bitnami SealedSecret: secret values in `encryptedData` (sealed now with the delivery's key, or pre-sealed), the
 * literals in `template.data`, which the controller copies into the Secret next to the decrypted keys.
 */
export function renderSealedOpaqueSecret(request: OpaqueSecretRequest, options: SealedSecretDeliveryOptions): RenderedDelivery {
  checkSources(request, [SecretValueSource.PLAIN_TEXT, SecretValueSource.SEALED], 'SealedSecret',
    'seal every value: plain text sealed at synth time with a sealingKey, or values pre-sealed with SecretValue.sealed');
  const sources = new Set(Object.values(request.secretValues).map(v => v.source));
  if (sources.size > 1) {
    throw new ValidationError({
      scope: request.scope,
      property: 'secret values',
      value: [...sources].join(' and '),
      problem: 'mix plain-text values (sealed now) with pre-sealed values in one SealedSecret',
      fix: 'pre-seal all values with kubeseal, or give all of them as plain text with a sealingKey',
    });
  }
  const scope = options.scope ?? SealingScope.STRICT;
  const literals = emptyToUndefined(templateLiterals(request));
  const encryptedData = Object.fromEntries(sortedEntries(request.secretValues)
    .map(([key, value]) => [key, presealed(request, scope, key, value) ?? sealNow(request, options, scope, key, value)]));
  return {
    main: typedObject(SealedSecret, {
      metadata: objectMeta(request, SealingScopes.annotationsFor(scope)),
      spec: {
        encryptedData,
        template: literals && { data: literals },
      },
    }),
    dependencies: [],
  };
}

/**
 * An External Secrets `ExternalSecret` whose template writes every key: `{{ .key }}` for fetched values, the literal
 * for the others (a template replaces the fetched data, so every key must be in it).
 */
export function renderExternalOpaqueSecret(request: OpaqueSecretRequest, settings: ExternalOpaqueSettings): RenderedDelivery {
  checkSources(request, [SecretValueSource.EXTERNAL], 'ExternalSecret',
    'give every value with SecretValue.fromExternalSecret, or choose the delivery that matches the values');
  if (!settings.store) {
    throw new ValidationError({
      scope: request.scope,
      property: 'delivery.store',
      problem: 'is required to read values given with SecretValue.fromExternalSecret',
      fix: 'pass SecretDelivery.externalSecret({ store: { name: "<your ClusterSecretStore>" } })',
    });
  }
  const fetched = sortedEntries(request.secretValues);
  const templateData = {
    ...templateLiterals(request),
    ...Object.fromEntries(fetched.map(([key]) => [key, `{{ .${key} }}`])),
  };
  return {
    main: typedObject(ExternalSecret, {
      metadata: objectMeta(request, {}),
      spec: {
        refreshInterval: settings.refreshInterval,
        secretStoreRef: {
          name: settings.store.name,
          kind: settings.store.kind && enumMember(eso.ExternalSecretSpecSecretStoreRefKind, settings.store.kind),
        },
        target: {
          name: request.name,
          creationPolicy: eso.ExternalSecretSpecTargetCreationPolicy.OWNER,
          template: {
            engineVersion: eso.ExternalSecretSpecTargetTemplateEngineVersion.V2,
            data: templateData,
          },
        },
        data: fetched.map(([key, value]) => ({ secretKey: key, remoteRef: externalReference(value)! })),
      },
    }),
    dependencies: [],
  };
}

function checkSources(request: OpaqueSecretRequest, accepted: SecretValueSource[], what: string, fix: string): void {
  for (const [key, value] of sortedEntries(request.secretValues)) {
    if (!accepted.includes(value.source)) {
      throw new ValidationError({
        scope: request.scope,
        property: key,
        value: `${value.source} value`,
        problem: `is ${describeSource(value.source)}, which the ${what} delivery cannot carry`,
        fix,
      });
    }
  }
}

function plainTextOf(values: { [key: string]: SecretValue }): { [key: string]: string } {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value.unsafeUnwrap()]));
}

/**
 * The ciphertext of a pre-sealed value, after checking what it records having been sealed for: the controller
 * decrypts with the SealedSecret's own scope, namespace and name, so a value sealed for others would never decrypt.
 */
function presealed(request: OpaqueSecretRequest, scope: SealingScope, key: string, value: SecretValue): string | undefined {
  const recorded = sealedFor(value) ?? {};
  const expected = [
    { what: 'scope', recorded: recorded.scope, actual: scope, applies: true },
    { what: 'namespace', recorded: recorded.namespace, actual: request.namespace, applies: scope !== SealingScope.CLUSTER_WIDE },
    { what: 'name', recorded: recorded.name, actual: request.name, applies: scope === SealingScope.STRICT },
  ];
  const mismatch = expected.find(e => e.applies && e.recorded !== undefined && e.recorded !== e.actual);
  if (mismatch) {
    throw new ValidationError({
      scope: request.scope,
      property: `${key} sealed ${mismatch.what}`,
      value: mismatch.recorded,
      problem: `differs from the SealedSecret's ${mismatch.what} "${mismatch.actual}"; the controller would fail to decrypt the value`,
      fix: `re-seal the value with \`kubeseal --scope ${scope} --namespace ${request.namespace} --name ${request.name}\``,
    });
  }
  return sealedCiphertext(value);
}

function sealNow(request: OpaqueSecretRequest, options: SealedSecretDeliveryOptions, scope: SealingScope, key: string, value: SecretValue): string {
  if (!options.sealingKey) {
    throw new ValidationError({
      scope: request.scope,
      property: 'delivery.sealingKey',
      problem: `is required to seal the plain-text value of "${key}" at synth time`,
      fix: 'pass SecretDelivery.sealedSecret({ sealingKey: SealingKey.fromCertificate(<kubeseal --fetch-cert output>) }), or pre-seal the values with SecretValue.sealed',
    });
  }
  return options.sealingKey.seal(value.unsafeUnwrap(), { scope, namespace: request.namespace, name: request.name });
}

/**
 * The literals as template text. Both controllers render `template.data` as Go templates, so a literal holding `{{`
 * would be executed: such values are refused rather than escaped, none of the values we write needs braces.
 */
function templateLiterals(request: OpaqueSecretRequest): { [key: string]: string } {
  for (const [key, value] of Object.entries(request.literals)) {
    if (value.includes('{{')) {
      throw new ValidationError({
        scope: request.scope,
        property: key,
        value,
        problem: 'contains "{{", which the Sealed Secrets and External Secrets controllers would run as a Go template',
        fix: 'remove the braces; the value must be written literally',
      });
    }
  }
  return request.literals;
}

function objectMeta(request: OpaqueSecretRequest, annotations: { [key: string]: string }) {
  return { name: request.name, namespace: request.namespace, annotations: emptyToUndefined(annotations) };
}

/** Entries in byte order of their keys: lists built from them, and the first error reported, never depend on prop order. */
function sortedEntries<T>(map: { [key: string]: T }): Array<[string, T]> {
  return Object.entries(map).sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
