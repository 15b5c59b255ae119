import { ValidationError } from '../errors';
import { asArray, asRecord, asString, fieldAt, JsonRecord, KubeObject } from './kube-object';
import { DOCKER_CFG_KEY, DOCKER_CFG_TYPE, DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE, REGISTRIES_ANNOTATION } from '../constants';
import { DockerConfig } from '../values/docker-config';

export { DOCKER_CFG_KEY, DOCKER_CFG_TYPE, DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE };
export const OPAQUE_TYPE = 'Opaque';

/** The data key each pull-secret type requires; the kubelet ignores Secrets of every other type. */
export const PULL_SECRET_KEYS: { readonly [type: string]: string } = {
  [DOCKER_CONFIG_JSON_TYPE]: DOCKER_CONFIG_JSON_KEY,
  [DOCKER_CFG_TYPE]: DOCKER_CFG_KEY,
};

/**
 * What the doctor knows about the docker config a Secret will hold:
 * - `known`: the config was read (a Secret's data);
 * - `registries`: only its `auths` keys are known (the `cdk8s-registries/registries` annotation, or the literal keys
 *   of a SealedSecret/ExternalSecret template), the credentials themselves are not;
 * - `unknown`: a controller fills it from data the doctor cannot see;
 * - `invalid`: it does not parse as a docker config;
 * - `not-pull-secret`: the Secret is of a type (or lacks the key) the kubelet needs, so the kubelet ignores it.
 */
export type PayloadStatus = 'known' | 'registries' | 'unknown' | 'invalid' | 'not-pull-secret';

export interface Payload {
  readonly status: PayloadStatus;
  /** The parsed config, for `known`. */
  readonly config?: DockerConfig;
  /** The `auths` keys, for `known` and `registries`. */
  readonly registries: string[];
  /** Where the doctor's knowledge comes from, e.g. `the .dockerconfigjson data`. */
  readonly basis: string;
  /** Why the status is not `known`, in words that never quote secret material. */
  readonly problem?: string;
  /** How to fix an `invalid` or `not-pull-secret` payload. */
  readonly fix?: string;
  /**
   * Set when the keys come from splitting the registries annotation at commas (several entries): a key that matches
   * may be a piece of a longer key, so a match is not proof. A miss still is: a key containing "," matches no image.
   */
  readonly keysFromSplit?: boolean;
}

/** The Secret type as the API server defaults it. */
export function secretTypeOf(object: KubeObject): string {
  return asString(object.type) || OPAQUE_TYPE;
}

/** The keys of a Secret's `data` and `stringData`. */
export function secretDataKeys(object: KubeObject): string[] {
  const keys = [...Object.keys(asRecord(object.data) ?? {}), ...Object.keys(asRecord(object.stringData) ?? {})];
  return [...new Set(keys)];
}

/** A data value as text: `stringData` wins over `data`, as the API server merges them. */
export interface SecretValue {
  /** The decoded text. */
  readonly text?: string;
  /** Why there is no text. */
  readonly problem?: string;
  /** A `data` value that is not base64, as written (often plain JSON put under `data` by mistake). */
  readonly raw?: string;
}

export function secretValueOf(object: KubeObject, key: string): SecretValue | undefined {
  const plain = fieldAt(object, 'stringData', key);
  if (plain !== undefined) {
    return typeof plain === 'string' ? { text: plain } : { problem: `stringData["${key}"] is not a string` };
  }
  const encoded = fieldAt(object, 'data', key);
  if (encoded === undefined) {
    return undefined;
  }
  return decodeBase64Value(encoded, key);
}

// The API server decodes data with Go's standard base64 (padding required, line breaks skipped).
const STANDARD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64Value(encoded: unknown, key: string): SecretValue {
  const text = typeof encoded === 'string' ? encoded.replace(/[\r\n]/g, '') : undefined;
  if (text === undefined || !STANDARD_BASE64.test(text)) {
    return { problem: `data["${key}"] is not standard base64, so the API server rejects the Secret`, raw: typeof encoded === 'string' ? encoded : undefined };
  }
  return { text: Buffer.from(text, 'base64').toString('utf8') };
}

/** The payload of a Secret object from its type and data. */
export function payloadOfSecret(object: KubeObject): Payload {
  const type = secretTypeOf(object);
  const key = PULL_SECRET_KEYS[type];
  if (key === undefined) {
    return notPullSecret(type, `its type is ${type}; the kubelet uses only ${DOCKER_CONFIG_JSON_TYPE} and ${DOCKER_CFG_TYPE} Secrets and ignores this one`);
  }
  const value = secretValueOf(object, key);
  if (value === undefined) {
    return notPullSecret(type, `it has no "${key}" data key, which type ${type} requires (the API server rejects it)`);
  }
  if (value.text === undefined) {
    return invalid(`the ${key} data`, value.problem!, 'write data values as standard base64 (base64 -w0), or use stringData for plain text');
  }
  return parseDockerConfig(value.text, type === DOCKER_CFG_TYPE, `the ${key} data`);
}

/** Deeper JSON than this is not a docker config (which nests four levels) and is refused before any recursive parse. */
export const MAX_CONFIG_DEPTH = 64;

/**
 * Reads a docker config the way `DockerConfig.fromJson` does; `.dockercfg` is the legacy map without `auths`, and must
 * be one JSON object on its own (text such as `{…}, "auths": {…}` parses only once wrapped, and the kubelet rejects it).
 */
export function parseDockerConfig(text: string, legacy: boolean, basis: string): Payload {
  const depth = jsonDepth(text);
  if (depth > MAX_CONFIG_DEPTH) {
    return invalid(basis, `the JSON nests more than ${MAX_CONFIG_DEPTH} levels deep, which no docker config does`, 'write the docker config as {"auths": {"<registry>": {"auth": "<base64 of user:password>"}}}');
  }
  if (legacy && !isJsonObject(text)) {
    return invalid(basis, 'the .dockercfg value is not one JSON object', 'write the legacy map as {"<registry>": {"auth": "<base64 of user:password>"}}, or use kubernetes.io/dockerconfigjson');
  }
  try {
    const config = DockerConfig.fromJson(legacy ? `{"auths":${text}}` : text);
    return { status: 'known', config, registries: config.servers, basis };
  } catch (e) {
    if (!(e instanceof ValidationError)) {
      throw e;
    }
    // The error names the field and never the secret value (DockerConfig redacts it), so its parts can be shown.
    return invalid(basis, `${e.property}: ${e.problem}`, e.fix);
  }
}

function isJsonObject(text: string): boolean {
  try {
    return asRecord(JSON.parse(text)) !== undefined;
  } catch {
    return false;
  }
}

/** How deeply brackets nest in JSON text (strings skipped), counted without recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') {
        i++;
      } else if (char === '"') {
        inString = false;
      }
    } else if (char === '"') {
      inString = true;
    } else if (char === '{' || char === '[') {
      deepest = Math.max(deepest, ++depth);
    } else if (char === '}' || char === ']') {
      depth--;
    }
  }
  return deepest;
}

function invalid(basis: string, problem: string, fix: string): Payload {
  return { status: 'invalid', registries: [], basis, problem, fix };
}

function notPullSecret(type: string, problem: string): Payload {
  const key = PULL_SECRET_KEYS[type];
  return {
    status: 'not-pull-secret',
    registries: [],
    basis: `its type ${type}`,
    problem,
    fix: key === undefined
      ? `make it type ${DOCKER_CONFIG_JSON_TYPE} with the data key ${DOCKER_CONFIG_JSON_KEY}`
      : `put the docker config under the data key ${key}`,
  };
}

/**
 * The payload of a Secret a controller writes (SealedSecret, ExternalSecret): its type and keys may be known, its
 * credentials are not. The registries come from our annotation or from a template that spells the `auths` keys out.
 *
 * @param type the type of the Secret the controller writes; undefined when it keeps an existing Secret's type
 * @param keys the data keys it writes; undefined when they come from elsewhere (dataFrom, templateFrom)
 */
export function payloadOfGenerated(
  type: string | undefined, keys: string[] | undefined, annotations: { [key: string]: string }, template: JsonRecord | undefined,
  unknownReason: string,
): Payload {
  if (type !== undefined && PULL_SECRET_KEYS[type] === undefined) {
    return notPullSecret(type, `the Secret it writes has type ${type}; the kubelet uses only ${DOCKER_CONFIG_JSON_TYPE} and ${DOCKER_CFG_TYPE} Secrets and ignores this one`);
  }
  const key = type === undefined ? DOCKER_CONFIG_JSON_KEY : PULL_SECRET_KEYS[type];
  if (keys !== undefined && !keys.includes(key)) {
    return notPullSecret(type ?? DOCKER_CONFIG_JSON_TYPE, `the Secret it writes has no "${key}" key, which its type requires`);
  }
  // The payload's own keys win: the annotation is a comma-separated summary, and a key may contain a comma.
  const templated = authsKeysOfTemplate(asString(template?.[key]), type === DOCKER_CFG_TYPE);
  if (templated !== undefined) {
    return { status: 'registries', registries: templated, basis: `the auths keys of the ${key} template`, problem: unknownReason };
  }
  const annotated = registriesAnnotation(annotations);
  if (annotated !== undefined) {
    return {
      status: 'registries',
      registries: annotated.keys,
      basis: `the ${REGISTRIES_ANNOTATION} annotation`,
      problem: unknownReason,
      keysFromSplit: annotated.split ? true : undefined,
    };
  }
  return { status: 'unknown', registries: [], basis: 'nothing readable', problem: unknownReason };
}

/**
 * The type of the Secret a SealedSecret spec (`spec.template.type`) or an ExternalSecret spec
 * (`spec.target.template.type`) writes; Opaque when unset. An ExternalSecret that merges into an existing Secret keeps
 * that Secret's type, which the manifests do not show (undefined).
 */
export function generatedSecretType(sealed: boolean, spec: unknown): string | undefined {
  if (sealed) {
    return asString(fieldAt(spec, 'template', 'type')) || OPAQUE_TYPE;
  }
  if (fieldAt(spec, 'target', 'creationPolicy') === 'Merge') {
    return undefined;
  }
  return asString(fieldAt(spec, 'target', 'template', 'type')) || OPAQUE_TYPE;
}

/**
 * The data keys of the Secret a SealedSecret spec (encrypted and template keys) or an ExternalSecret spec writes (the
 * template's keys when it has data, else the `data[].secretKey`s); undefined when `dataFrom`/`templateFrom` may add any.
 */
export function generatedSecretKeys(sealed: boolean, spec: unknown): string[] | undefined {
  if (sealed) {
    return [...Object.keys(asRecord(fieldAt(spec, 'encryptedData')) ?? {}), ...Object.keys(asRecord(fieldAt(spec, 'template', 'data')) ?? {})];
  }
  const template = asRecord(fieldAt(spec, 'target', 'template'));
  if ((fieldAt(spec, 'dataFrom') ?? template?.templateFrom) !== undefined) {
    return undefined;
  }
  const templateData = asRecord(template?.data);
  if (templateData !== undefined) {
    return Object.keys(templateData);
  }
  return asArray(fieldAt(spec, 'data')).map(item => asString(fieldAt(item, 'secretKey')) ?? '');
}

/**
 * The registries listed by our `cdk8s-registries/registries` annotation, if present: a JSON array of strings (exact
 * keys), or comma-separated text. A comma-split of several entries is marked `split`: a key containing "," would have
 * been cut in pieces that look like other registries, so a match on such a piece proves nothing.
 */
export function registriesAnnotation(annotations: { [key: string]: string }): { keys: string[]; split: boolean } | undefined {
  const value = annotations[REGISTRIES_ANNOTATION];
  if (value === undefined) {
    return undefined;
  }
  const exact = jsonStringArray(value);
  if (exact !== undefined) {
    return exact.length > 0 ? { keys: exact, split: false } : undefined;
  }
  const registries = value.split(',').map(entry => entry.trim()).filter(entry => entry !== '');
  return registries.length > 0 ? { keys: registries, split: registries.length > 1 } : undefined;
}

function jsonStringArray(value: string): string[] | undefined {
  if (!value.trim().startsWith('[') || jsonDepth(value) > 1) {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) && parsed.every(item => typeof item === 'string') ? parsed as string[] : undefined;
  } catch {
    return undefined;
  }
}

const TEMPLATE_ACTION = /\{\{[\s\S]*?\}\}/g;
// An action that is a whole JSON value (`"password":{{ .password | toJson }}`) rather than part of a string.
const TEMPLATE_VALUE = /(:\s*)\{\{[\s\S]*?\}\}(?=\s*[,}])/g;
const TEMPLATE_MARK = '__doctor_template_value__';

/**
 * The `auths` keys of a templated docker config such as `{"auths":{"ghcr.io":{"auth":"{{ .auth }}"}}}` or
 * `{"auths":{"ghcr.io":{"auth":{{ .auth | toJson }}}}}`, when the keys are literal; undefined when the keys are
 * templated or the text is not JSON around its template actions.
 */
export function authsKeysOfTemplate(template: string | undefined, legacy: boolean): string[] | undefined {
  if (template === undefined || jsonDepth(template) > MAX_CONFIG_DEPTH) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(template.replace(TEMPLATE_VALUE, `$1"${TEMPLATE_MARK}"`).replace(TEMPLATE_ACTION, TEMPLATE_MARK));
  } catch {
    return undefined;
  }
  const auths = asRecord(legacy ? parsed : fieldAt(parsed, 'auths'));
  const keys = Object.keys(auths ?? {});
  return keys.length > 0 && keys.every(key => !key.includes(TEMPLATE_MARK)) ? keys : undefined;
}

const CREDENTIAL_FIELDS = new Set(['password', 'auth', 'identitytoken', 'registrytoken']);

/**
 * Whether a docker config text may hold credentials: any non-empty password, auth or token field, or text that is
 * not JSON at all (which cannot be shown to be harmless). Placeholders such as `{}` or `{"auths":{}}` hold none.
 */
export function mayHoldCredentials(text: string): boolean {
  if (jsonDepth(text) > MAX_CONFIG_DEPTH) {
    return text.trim() !== '';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text.trim() !== '';
  }
  return holdsCredentialField(parsed);
}

/**
 * Whether a templated docker config (a SealedSecret or ExternalSecret template value) writes a credential literally,
 * e.g. `{"auths":{"ghcr.io":{"auth":"dTpw"}}}` instead of `{"auth":"{{ .auth }}"}`: such a value is in Git in clear.
 * Text that is not JSON around its actions is judged by whether anything but actions and blanks is left.
 */
export function templateHoldsLiteralCredentials(template: string): boolean {
  if (jsonDepth(template) > MAX_CONFIG_DEPTH) {
    return false;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(template.replace(TEMPLATE_VALUE, `$1"${TEMPLATE_MARK}"`).replace(TEMPLATE_ACTION, TEMPLATE_MARK));
  } catch {
    return false;
  }
  return holdsCredentialField(parsed, item => !item.includes(TEMPLATE_MARK));
}

function holdsCredentialField(value: unknown, literal: (item: string) => boolean = () => true): boolean {
  if (Array.isArray(value)) {
    return value.some(item => holdsCredentialField(item, literal));
  }
  const record = asRecord(value);
  if (record === undefined) {
    return false;
  }
  return Object.entries(record).some(([key, item]) =>
    (CREDENTIAL_FIELDS.has(key.toLowerCase()) && typeof item === 'string' && item !== '' && literal(item)) || holdsCredentialField(item, literal));
}
