// TEST-ONLY: what the External Secrets and Sealed Secrets controllers would put into the target Secret for a
// synthesized ExternalSecret or SealedSecret, given fake store contents, fake generator output or the throwaway
// Sealed Secrets test key. Templates are rendered with the Go template evaluator in ./go-template.
//
// Facts this follows (read in upstream source, not copied):
// - External Secrets (v2.9.0 ExternalSecret reconciler, applyTemplate): `data[]` values are fetched into a map keyed by
//   `secretKey` (`remoteRef.property` picks one field of a JSON secret); `dataFrom[].sourceRef.generatorRef` merges the
//   generator's output keys; with `target.template` and the default mergePolicy `Replace`, the Secret holds only the
//   rendered `template.data` keys, or the fetched map when the template has no `data`.
// - Sealed Secrets (sealedsecret_expansion.go, Unseal): the OAEP label comes from the SealedSecret's own metadata
//   (cluster-wide annotation wins over namespace-wide; neither = strict `namespace/name`); every `encryptedData` item
//   is decrypted into the Secret, then each `template.data` entry is rendered over the decrypted values and added.
import * as crypto from 'crypto';
import { renderExternalSecretsTemplate, renderSealedSecretsTemplate } from './go-template';
import { unseal } from './unseal';

/** A fake secret store: remote key → a plain value, or a JSON secret's properties. */
export type FakeStore = { readonly [key: string]: string | { readonly [property: string]: string } };

/** Fake output of a generator, by `kind/name`. */
export type FakeGeneratorOutputs = { readonly [kindSlashName: string]: { readonly [key: string]: string } };

/** The Secret data (decoded) that External Secrets would write for `externalSecret`. */
export function externalSecretData(externalSecret: any, store: FakeStore, generators: FakeGeneratorOutputs = {}): { [key: string]: string } {
  const spec = externalSecret.spec;
  const fetched: { [key: string]: string } = {};
  for (const item of spec.data ?? []) {
    fetched[item.secretKey] = fetchRemote(store, item.remoteRef);
  }
  for (const item of spec.dataFrom ?? []) {
    const ref = item.sourceRef?.generatorRef;
    if (ref === undefined) {
      throw new Error(`dataFrom entry not simulated: ${JSON.stringify(item)}`);
    }
    const output = generators[`${ref.kind}/${ref.name}`];
    if (output === undefined) {
      throw new Error(`no fake output for generator ${ref.kind}/${ref.name}`);
    }
    Object.assign(fetched, output);
  }
  const template = spec.target?.template;
  if (template?.mergePolicy !== undefined && template.mergePolicy !== 'Replace') {
    throw new Error(`mergePolicy ${template.mergePolicy} not simulated`);
  }
  if (template === undefined || template.data === undefined) {
    return fetched;
  }
  const rendered: { [key: string]: string } = {};
  for (const [key, text] of Object.entries<string>(template.data)) {
    rendered[key] = renderExternalSecretsTemplate(text, fetched);
  }
  return rendered;
}

function fetchRemote(store: FakeStore, remoteRef: { key: string; property?: string }): string {
  const remote = store[remoteRef.key];
  if (remote === undefined) {
    throw new Error(`fake store has no key ${remoteRef.key}`);
  }
  if (remoteRef.property === undefined) {
    return typeof remote === 'string' ? remote : JSON.stringify(remote);
  }
  if (typeof remote === 'string' || remote[remoteRef.property] === undefined) {
    throw new Error(`fake store key ${remoteRef.key} has no property ${remoteRef.property}`);
  }
  return remote[remoteRef.property];
}

/** The OAEP label the controller decrypts `sealedSecret` with, from its own metadata. */
export function sealedSecretLabel(sealedSecret: any): string {
  const { name, namespace, annotations = {} } = sealedSecret.metadata;
  if (annotations['sealedsecrets.bitnami.com/cluster-wide'] === 'true') {
    return '';
  }
  if (annotations['sealedsecrets.bitnami.com/namespace-wide'] === 'true') {
    return namespace ?? '';
  }
  return `${namespace ?? ''}/${name}`;
}

/** The Secret data (decoded) the Sealed Secrets controller would write for `sealedSecret`. Throws if a value fails to decrypt. */
export function sealedSecretData(sealedSecret: any, privateKey: crypto.KeyObject): { [key: string]: string } {
  const label = sealedSecretLabel(sealedSecret);
  const data: { [key: string]: string } = {};
  for (const [key, value] of Object.entries<string>(sealedSecret.spec.encryptedData)) {
    data[key] = unseal(value, privateKey, label);
  }
  const rendered: { [key: string]: string } = {};
  for (const [key, text] of Object.entries<string>(sealedSecret.spec.template?.data ?? {})) {
    rendered[key] = renderSealedSecretsTemplate(text, data);
  }
  return { ...data, ...rendered };
}
