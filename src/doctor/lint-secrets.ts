import { Finding } from './findings';
import { asRecord, fieldAt, isKind, KubeObject } from './kube-object';
import { findingAt, LintContext, ObjectRule, quotedList } from './lint-context';
import { Manifest } from './manifests';
import {
  DOCKER_CFG_KEY, DOCKER_CFG_TYPE, DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE, generatedSecretKeys,
  generatedSecretType, mayHoldCredentials, parseDockerConfig, PULL_SECRET_KEYS, secretDataKeys, secretTypeOf, secretValueOf,
} from './payload';
import { DockerConfig } from '../values/docker-config';

/** Keys that hold a docker config, by the Secret type they belong to. */
const DOCKER_KEYS = [DOCKER_CONFIG_JSON_KEY, DOCKER_CFG_KEY];

/** `auths` key warnings that do not mean the key misses what it was written for (it matches, perhaps too widely). */
const MATCHING_KEY_CODES = new Set(['path-prefix', 'trailing-slash', 'http-scheme']);

/** Rules on Secret objects: type and key, plain text in Git, the docker config itself. */
export const secretRules: ObjectRule[] = [
  (manifest) => isKind(manifest.object, '', 'Secret') ? typeKeyFindings(manifest, secretTypeOf(manifest.object), secretDataKeys(manifest.object)) : [],
  (manifest, context) => isKind(manifest.object, '', 'Secret') && !isReplicaTarget(manifest, context) ? payloadFindings(manifest, context) : [],
];

/** Rules on the Secret a SealedSecret, ExternalSecret or ClusterExternalSecret writes: type and key. */
export const generatedSecretRules: ObjectRule[] = [
  (manifest) => {
    const spec = generatorSpec(manifest.object);
    const sealed = manifest.object.kind === 'SealedSecret';
    const type = spec === undefined ? undefined : generatedSecretType(sealed, spec);
    const keys = spec === undefined ? undefined : generatedSecretKeys(sealed, spec);
    return type === undefined || keys === undefined ? [] : typeKeyFindings(manifest, type, keys);
  },
];

// The part of the object that describes the Secret: the SealedSecret or ExternalSecret spec, a CES's externalSecretSpec.
function generatorSpec(object: KubeObject): unknown {
  if (isKind(object, 'bitnami.com', 'SealedSecret') || isKind(object, 'external-secrets.io', 'ExternalSecret')) {
    return object.spec;
  }
  return isKind(object, 'external-secrets.io', 'ClusterExternalSecret') ? fieldAt(object, 'spec', 'externalSecretSpec') : undefined;
}

function isReplicaTarget(manifest: Manifest, context: LintContext): boolean {
  return context.inventory.producersOf(manifest).some(producer => producer.replicaOf !== undefined);
}

/**
 * A docker key under a type the kubelet ignores, or a pull-secret type without its key (the API server rejects it).
 *
 * @see https://kubernetes.io/docs/concepts/configuration/secret/#docker-config-secrets
 */
function typeKeyFindings(manifest: Manifest, type: string, keys: string[]): Finding[] {
  const requiredKey = PULL_SECRET_KEYS[type];
  const dockerKeys = keys.filter(key => DOCKER_KEYS.includes(key));
  if (requiredKey === undefined && dockerKeys.length > 0) {
    const wanted = dockerKeys[0] === DOCKER_CFG_KEY ? DOCKER_CFG_TYPE : DOCKER_CONFIG_JSON_TYPE;
    return [findingAt(manifest, 'secret-type-key-mismatch', 'error',
      `the Secret has type ${type} but a "${dockerKeys[0]}" key; the kubelet uses only ${DOCKER_CONFIG_JSON_TYPE} and ${DOCKER_CFG_TYPE} Secrets as pull secrets, so it ignores this one silently`,
      `set the type to ${wanted}`)];
  }
  if (requiredKey !== undefined && !keys.includes(requiredKey)) {
    const present = keys.length > 0 ? `it has ${quotedList(keys)}` : 'it has no data';
    return [findingAt(manifest, 'secret-type-key-mismatch', 'error',
      `type ${type} requires the data key "${requiredKey}", but ${present}; the API server rejects the Secret`,
      `rename the key to "${requiredKey}"${keys.includes('config.json') ? ' (kubectl create secret docker-registry --from-file=.dockerconfigjson=config.json)' : ''}`)];
  }
  return [];
}

function payloadFindings(manifest: Manifest, context: LintContext): Finding[] {
  const object = manifest.object;
  const type = secretTypeOf(object);
  const keys = type === DOCKER_CONFIG_JSON_TYPE ? [...DOCKER_KEYS, 'config.json'] : DOCKER_KEYS;
  const key = keys.find(candidate => secretValueOf(object, candidate) !== undefined);
  if (key === undefined) {
    return [];
  }
  const value = secretValueOf(object, key)!;
  const text = value.text ?? value.raw ?? '';
  const legacy = key === DOCKER_CFG_KEY;
  const payload = value.text === undefined ? undefined : parseDockerConfig(value.text, legacy, `the ${key} data`);
  const registries = payload?.config ? ` for ${quotedList(payload.config.servers)}` : '';
  const plaintext = manifest.forGit && mayHoldCredentials(text)
    ? [findingAt(manifest, 'plaintext-credentials', 'error',
      `the Secret holds registry credentials${registries} in plain text (data is base64, an encoding, not encryption), in a file meant for Git`,
      'deliver the credentials as a SealedSecret or an ExternalSecret (cdk8s-registries: SecretDelivery.sealedSecret() or SecretDelivery.externalSecret()), or keep this file out of Git (.gitignore)')]
    : [];
  if (payload === undefined) {
    return [...plaintext, findingAt(manifest, 'dockerconfigjson-invalid', 'error', value.problem!, 'write data values as standard base64 (base64 -w0), or put plain text under stringData')];
  }
  if (payload.status === 'invalid') {
    return [...plaintext, findingAt(manifest, 'dockerconfigjson-invalid', 'error', `${payload.basis}: ${payload.problem}`, payload.fix!)];
  }
  const config = payload.config!;
  return [
    ...plaintext,
    ...missingAuthFindings(manifest, text, legacy),
    ...config.fieldWarnings().map(warning => findingAt(manifest,
      /credsstore|credhelpers/i.test(warning.property) ? 'dockerconfigjson-credential-helper' : 'dockerconfigjson-ignored-token',
      'warning', `${warning.property}: ${warning.problem}`, warning.fix)),
    ...keyFindings(manifest, config, context),
  ];
}

// The kubelet accepts username/password without auth; Argo CD Image Updater and some registry tools read only auth.
function missingAuthFindings(manifest: Manifest, text: string, legacy: boolean): Finding[] {
  const root = asRecord(JSON.parse(text));
  const authsKey = legacy ? undefined : Object.keys(root ?? {}).filter(each => each.toLowerCase() === 'auths').pop();
  const auths = asRecord(authsKey === undefined ? root : root?.[authsKey]) ?? {};
  const missing = Object.entries(auths)
    .filter(([, entry]) => !Object.entries(asRecord(entry) ?? {}).some(([field, item]) => field.toLowerCase() === 'auth' && item !== ''))
    .map(([server]) => server);
  return missing.length === 0 ? [] : [findingAt(manifest, 'dockerconfigjson-missing-auth', 'warning',
    `the entries for ${quotedList(missing)} have no "auth" field; the kubelet combines username and password itself, but Argo CD Image Updater (pullsecret:) and other tools read only "auth"`,
    'add "auth": the standard base64 of "username:password" (kubectl create secret docker-registry writes it)')];
}

function keyFindings(manifest: Manifest, config: DockerConfig, context: LintContext): Finding[] {
  return config.keyWarnings()
    .filter(warning => !MATCHING_KEY_CODES.has(warning.code))
    .filter(warning => warning.code !== 'docker-hub-alias' || !context.imageHosts.has(hostOfKey(warning.server)))
    .map(warning => findingAt(manifest, 'dockerconfigjson-key-unmatched', 'warning',
      `auths key "${warning.server}" (${warning.code}): ${warning.problem}`, warning.fix));
}

// The host[:port] a key names, as image references write it (scheme and path dropped).
function hostOfKey(server: string): string {
  return server.replace(/^https?:\/\//, '').split('/')[0];
}
