import { ValidationError } from '../errors';
import { optionalBoolean, optionalString, readStruct, requireString } from '../runtime-checks';
import { refuseCredentialInUsername, refuseCredentialShape, refuseInvisibleCharacters } from './credential-shape';
import { compareGoStrings, goFieldNameMatches, goJsonMarshal, goJsonString, JsonValue } from './go-json';
import { KubeletKeyring } from './kubelet-keyring';
import { DOCKER_HUB_KEY } from '../constants';

/**
 * Options for `DockerConfig.fromJson`.
 */
export interface DockerConfigParseOptions {
  /**
   * Apply the rules of Choreo's "Docker config" registry auth type: exactly one registry under `auths`, with its
   * credentials inline, and no `credHelpers` or `credsStore`.
   *
   * Without it, helpers are accepted and reported by `fieldWarnings()`, since the kubelet never runs them.
   *
   * @default false
   * @see https://wso2.com/choreo/docs/platform-engineer/infrastructure/credentials/use-your-own-container-registry/#docker-config
   */
  readonly strict?: boolean;
}

/**
 * What one `auths` entry holds, without its secret material.
 */
export interface DockerConfigEntry {
  /** The `auths` key as written, e.g. `ghcr.io` or `https://index.docker.io/v1/`. */
  readonly server: string;

  /**
   * The username the kubelet reads (from `auth` when present, else from `username`).
   *
   * @default - the username is empty
   */
  readonly username?: string;

  /**
   * The (deprecated) email.
   *
   * @default - no email
   */
  readonly email?: string;

  /** Whether the entry holds a non-empty password. */
  readonly hasPassword: boolean;
}

/**
 * An `auths` key that the kubelet will not match the way its author most likely meant.
 */
export interface DockerConfigKeyWarning {
  /** The `auths` key as written. */
  readonly server: string;

  /**
   * Which rule fired: `unparsable-key`, `http-scheme`, `uppercase-host`, `explicit-port-443`, `docker-hub-alias`,
   * `index-docker-io-path`, `version-path`, `glob-in-path`, `tag-in-path`, `trailing-slash` or `path-prefix`.
   */
  readonly code: string;

  /** What the kubelet does with the key. */
  readonly problem: string;

  /** Which key to write instead. */
  readonly fix: string;
}

/**
 * A part of a docker config that the kubelet ignores.
 */
export interface DockerConfigFieldWarning {
  /** Where it is, e.g. `dockerconfigjson.credHelpers["123456789012.dkr.ecr.us-east-1.amazonaws.com"]`. */
  readonly property: string;

  /** What the kubelet does with it. */
  readonly problem: string;

  /** What to write instead. */
  readonly fix: string;
}

/**
 * The username and password the kubelet reads from one `auths` entry. Secret material: only library code that
 * builds secrets reads it.
 */
export interface DockerCredential {
  /** The username (may be empty when `auth` decodes to `:password`). */
  readonly username: string;

  /** The password or token. */
  readonly password: string;
}

/** One `auths` entry as the config holds it. */
interface ConfigEntry {
  readonly server: string;
  readonly credential: DockerCredential;
  readonly email?: string;
  /** The entry's JSON text, as Go would write it. */
  readonly json: string;
  /** Fields of the entry as written that the kubelet ignores (`identitytoken`, `registrytoken`). */
  readonly ignoredFields: string[];
}

type JsonObject = { [key: string]: JsonValue };

/** What a DockerConfig holds, credentials included. */
interface ConfigState {
  readonly members: Array<[string, JsonValue]>;
  readonly authsField: string;
  readonly configEntries: ConfigEntry[];
  readonly json: string;
}

// Outside the instances so that util.inspect, console.log, debuggers and JSON.stringify of an object holding a
// DockerConfig never show a password (as for SecretValue and SealingSeed).
const CONFIG_STATE = new WeakMap<DockerConfig, ConfigState>();

function stateOf(config: DockerConfig): ConfigState {
  return CONFIG_STATE.get(config)!;
}

const ROOT = 'dockerconfigjson';
const DOCKER_HUB_ALIASES = ['registry-1.docker.io', 'registry.hub.docker.com', 'registry.docker.com'];
const IGNORED_TOKEN_FIELDS = ['identitytoken', 'registrytoken'];
const EXAMPLE_CONFIG = '{"auths":{"ghcr.io":{"username":"octo","password":"<token>"}}}';
const AUTH_FIX = 'set auth to the standard base64 of "username:password" (printf \'%s\' \'user:password\' | base64 -w0), '
  + 'or replace it by "username" and "password"';
const WHOLE_SECRET_FAILS = 'the kubelet then rejects the whole secret and every image pull of the pod fails';

/**
 * A docker `config.json` as held by a `kubernetes.io/dockerconfigjson` Secret (`.dockerconfigjson`).
 *
 * Built configs are byte-identical to what `kubectl create secret docker-registry` writes; parsed configs are checked
 * the way the kubelet reads them and keep their original bytes until changed.
 *
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/
 * @see https://github.com/docker/cli/blob/master/cli/config/configfile/file.go
 */
export class DockerConfig {
  /** A config without registries: `{"auths":{}}`. */
  public static empty(): DockerConfig {
    return new DockerConfig([['auths', {}]], 'auths', [], '{"auths":{}}');
  }

  /**
   * Parses and validates an existing config (e.g. `~/.docker/config.json`), which `toJson()` then returns unchanged.
   *
   * Fields are read as the kubelet reads them (Go `encoding/json`: field names match case-insensitively; `auth` is
   * base64, padded or not, line breaks ignored), but more strictly: every entry needs credentials, and `auth` must
   * agree with `username`/`password` when both are given.
   *
   * @param json the file content
   * @param options parse options
   * @throws ValidationError naming the field (e.g. `dockerconfigjson.auths["ghcr.io"].auth`) and the fix
   */
  public static fromJson(json: string, options: DockerConfigParseOptions = {}): DockerConfig {
    requireString(json, { property: ROOT }, `pass the content of a docker config.json as a string, e.g. ${EXAMPLE_CONFIG}`);
    const strict = optionalBoolean(readStruct(options, ['strict'], { property: 'options' }, true).strict, { property: 'options.strict' });
    const root = parseRootObject(json);
    const authsField = findAuthsField(root);
    const entries = parseAuths(root[authsField]);
    checkHttpHeaders(root);
    if (strict) {
      checkStrict(root, entries);
    }
    return new DockerConfig(Object.entries(root), authsField, entries, json);
  }

  /**
   * The warnings `keyWarnings()` gives for one `auths` key, without building a config.
   *
   * @param server the `auths` key as it would be written
   */
  public static warningsForKey(server: string): DockerConfigKeyWarning[] {
    return keyWarningsFor(requireString(server, { property: 'server' }, 'pass the auths key as a string, e.g. "ghcr.io"'));
  }

  /** The `auths` keys, in the order `toJson()` writes them. */
  public readonly servers: string[];

  private constructor(members: Array<[string, JsonValue]>, authsField: string, entries: ConfigEntry[], json: string) {
    CONFIG_STATE.set(this, { members, authsField, configEntries: entries, json });
    this.servers = entries.map(entry => entry.server);
  }

  /** A placeholder naming the registries; the credentials are never shown (use `toJson()` for the bytes). */
  public toString(): string {
    return `<docker config for ${this.servers.length === 0 ? 'no registry' : this.servers.join(', ')}>`;
  }

  /** A placeholder, so that serializing an object that holds the config does not leak its credentials. */
  public toJSON(): string {
    return this.toString();
  }

  /**
   * A copy with basic-auth credentials for `server`, written exactly as `kubectl create secret docker-registry`
   * writes them: `username`, `password`, `email` (when given) and `auth` (base64 of `username:password`).
   *
   * An existing entry for the same key is replaced. `auths` keys are written in byte order (Go sorts map keys); other
   * top-level fields of a parsed config are kept.
   *
   * @param server the `auths` key, used verbatim: a registry host such as `ghcr.io`, or `https://index.docker.io/v1/`
   *   for Docker Hub (see `keyWarnings()` for keys the kubelet will not match)
   * @param username the registry username
   * @param password the password or access token
   * @param email the email kubectl's `--docker-email` writes
   * @throws ValidationError when a value is empty, the username contains ':' or a value is not valid Unicode
   * @see https://kubernetes.io/docs/reference/kubectl/generated/kubectl_create/kubectl_create_secret_docker-registry/
   */
  public withBasicAuth(server: string, username: string, password: string, email?: string): DockerConfig {
    checkBasicAuth(server, username, password, email);
    const entry = basicAuthEntry(server, username, password, email);
    const entries = [...stateOf(this).configEntries.filter(existing => existing.server !== server), entry]
      .sort((a, b) => compareGoStrings(a.server, b.server));
    const auths = `{${entries.map(each => `${goJsonString(each.server)}:${each.json}`).join(',')}}`;
    const members = stateOf(this).members.map(([key, value]) =>
      `${goJsonString(key)}:${key === stateOf(this).authsField ? auths : goJsonMarshal(value)}`);
    return new DockerConfig(stateOf(this).members, stateOf(this).authsField, entries, `{${members.join(',')}}`);
  }

  /** The `.dockerconfigjson` text: the one way to the credentials' bytes. */
  public toJson(): string {
    return CONFIG_STATE.get(this)!.json;
  }

  /** What each `auths` entry holds, without passwords, in `servers` order. */
  public entries(): DockerConfigEntry[] {
    return stateOf(this).configEntries.map(entry => ({
      server: entry.server,
      username: entry.credential.username === '' ? undefined : entry.credential.username,
      email: entry.email,
      hasPassword: entry.credential.password !== '',
    }));
  }

  /**
   * `auths` keys the kubelet will not match as their author most likely meant: unparsable keys, `http://`, uppercase
   * hosts, `:443`, Docker Hub hosts other than `docker.io`/`index.docker.io`, and paths (string-prefix matching,
   * trailing `/`, `/v1` without `/`, globs, tags). Each warning says which key to write instead.
   *
   * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/credentialprovider/keyring.go
   */
  public keyWarnings(): DockerConfigKeyWarning[] {
    return this.servers.flatMap(keyWarningsFor);
  }


  /**
   * Parts of the config the kubelet ignores: `credsStore`, `credHelpers` (the kubelet never runs credential helpers)
   * and `identitytoken`/`registrytoken` fields (the kubelet reads only username, password and auth).
   */
  public fieldWarnings(): DockerConfigFieldWarning[] {
    return [
      ...helperFields(stateOf(this).members).flatMap(([field, value]) => helperWarnings(field, value)),
      ...stateOf(this).configEntries.flatMap(tokenWarnings),
    ];
  }

  /**
   * The credentials the kubelet reads for one `auths` key.
   *
   * @internal
   */
  public _credentials(server: string): DockerCredential | undefined {
    return stateOf(this).configEntries.find(entry => entry.server === server)?.credential;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Building entries

// kubectl refuses the same empty values ("either --from-file or the combination of --docker-username, ...").
const EMPTY_VALUE_FIXES = {
  server: `give the registry host, e.g. "ghcr.io"; for Docker Hub write "${DOCKER_HUB_KEY}"`,
  username: 'give the registry username, e.g. "_json_key" for Google Artifact Registry or "AWS" for Amazon ECR',
  password: 'give the password or access token',
};

function checkBasicAuth(server: string, username: string, password: string, email: string | undefined): void {
  requireString(server, { property: 'server' }, EMPTY_VALUE_FIXES.server);
  requireString(username, { property: 'username' }, EMPTY_VALUE_FIXES.username);
  requireString(password, { property: 'password' }, EMPTY_VALUE_FIXES.password);
  optionalString(email, { property: 'email' });
  const values = { server, username, password, email: email ?? '' };
  for (const [property, value] of Object.entries(values)) {
    if (hasUnpairedSurrogate(value)) {
      throw new ValidationError({
        property,
        value: property === 'password' ? undefined : value,
        problem: 'contains an unpaired UTF-16 surrogate, which has no UTF-8 encoding',
        fix: 'pass well-formed Unicode text',
      });
    }
  }
  for (const [property, fix] of Object.entries(EMPTY_VALUE_FIXES)) {
    if (values[property as keyof typeof EMPTY_VALUE_FIXES] === '') {
      throw new ValidationError({ property, problem: 'must not be empty (kubectl refuses it too)', fix });
    }
  }
  if (username.includes(':')) {
    throw new ValidationError({
      property: 'username',
      // Not shown: the text after ":" is probably the password ("user:token" pasted into the username).
      value: username,
      secret: true,
      problem: 'contains ":"; basic auth (RFC 7617) and the kubelet split "auth" at the first ":", so the registry '
        + 'would receive a different username and password',
      fix: 'use the registry username without ":"',
    });
  }
  refuseCredentialInUsername(username, 'username');
  refuseInvisibleCharacters(username, 'username');
  refuseInvisibleCharacters(values.email, 'email');
  // Keys the kubelet cannot match are reported by keyWarnings(); a key that carries credentials is refused.
  refuseCredentialShape(server, 'server', `the registry host only, e.g. "ghcr.io" or "${DOCKER_HUB_KEY}"`);
  refuseInvisibleCharacters(server, 'server');
}

function hasUnpairedSurrogate(value: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
}

// Field order and the omitted empty email follow kubectl (and the kubelet's own marshaller).
function basicAuthEntry(server: string, username: string, password: string, email: string | undefined): ConfigEntry {
  const auth = Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
  const fields = [
    `"username":${goJsonString(username)}`,
    `"password":${goJsonString(password)}`,
    ...(email ? [`"email":${goJsonString(email)}`] : []),
    `"auth":${goJsonString(auth)}`,
  ];
  return {
    server,
    credential: { username, password },
    email: email || undefined,
    json: `{${fields.join(',')}}`,
    ignoredFields: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

function parseRootObject(json: string): JsonObject {
  let root: JsonValue;
  try {
    root = JSON.parse(json);
  } catch (e) {
    // The engine's message may quote the input, which can hold credentials: keep only the position.
    const position = /at position (\d+)/.exec((e as Error).message);
    throw new ValidationError({
      property: ROOT,
      problem: `is not valid JSON (${position ? `syntax error at offset ${position[1]}` : 'syntax error'})`,
      fix: `give the content of a docker config.json, e.g. ${EXAMPLE_CONFIG}`,
    });
  }
  if (!isJsonObject(root)) {
    throw new ValidationError({
      property: ROOT,
      problem: `must be a JSON object, not ${describeJson(root)}`,
      fix: `give the content of a docker config.json, e.g. ${EXAMPLE_CONFIG}`,
    });
  }
  return root;
}

function findAuthsField(root: JsonObject): string {
  const field = findField(root, 'auths');
  if (field === undefined) {
    throw new ValidationError({
      property: `${ROOT}.auths`,
      problem: 'is missing, so the kubelet finds no credentials in this config',
      fix: isLegacyDockercfg(root)
        ? 'this is the legacy .dockercfg layout: wrap it as {"auths": <this object>}'
        : `put the registries under "auths", e.g. ${EXAMPLE_CONFIG}`,
    });
  }
  return field;
}

// Go's decoder fills a struct field from every key that matches it case-insensitively; the last one wins.
function findField(object: JsonObject, fieldName: string): string | undefined {
  return Object.keys(object).filter(key => goFieldNameMatches(key, fieldName)).pop();
}

function isLegacyDockercfg(root: JsonObject): boolean {
  const values = Object.values(root);
  return values.length > 0 && values.every(value => isJsonObject(value)
    && ['auth', 'username', 'password'].some(field => findField(value, field) !== undefined));
}

function parseAuths(auths: JsonValue): ConfigEntry[] {
  if (!isJsonObject(auths)) {
    throw new ValidationError({
      property: `${ROOT}.auths`,
      problem: `must be an object that maps registry keys to credentials, not ${describeJson(auths)}`,
      fix: `write it as ${EXAMPLE_CONFIG}`,
    });
  }
  return Object.entries(auths).map(([server, body]) => parseEntry(server, body));
}

function parseEntry(server: string, body: JsonValue): ConfigEntry {
  const property = `${ROOT}.auths[${JSON.stringify(server)}]`;
  if (server === '') {
    throw new ValidationError({
      property, problem: 'is an empty registry key', fix: 'write the registry host as the key, e.g. "ghcr.io"',
    });
  }
  if (!isJsonObject(body)) {
    throw new ValidationError({
      property,
      problem: `must be an object with "auth" or "username" and "password", not ${describeJson(body)}`,
      fix: 'write {"username":"<user>","password":"<password>"} or {"auth":"<base64 of user:password>"}',
    });
  }
  const ignoredFields = Object.keys(body)
    .filter(key => IGNORED_TOKEN_FIELDS.some(field => goFieldNameMatches(key, field)));
  const email = readStringField(body, 'email', property) || undefined;
  return {
    server,
    credential: readCredential(body, property, ignoredFields),
    email,
    json: goJsonMarshal(body),
    ignoredFields,
  };
}

function readCredential(body: JsonObject, property: string, ignoredFields: string[]): DockerCredential {
  const username = readStringField(body, 'username', property) ?? '';
  const password = readStringField(body, 'password', property) ?? '';
  const authField = findField(body, 'auth');
  const auth = readStringField(body, 'auth', property) ?? '';
  if (auth !== '') {
    const fromAuth = decodeAuth(auth, `${property}.${authField}`);
    checkAuthAgrees(fromAuth, username, password, `${property}.${authField}`);
    return fromAuth;
  }
  if (username === '' || password === '') {
    const tokens = ignoredFields.length > 0
      ? `; ${ignoredFields.join(' and ')} ${ignoredFields.length > 1 ? 'are' : 'is'} ignored by the kubelet, which `
        + 'would pull anonymously'
      : '';
    throw new ValidationError({
      property,
      problem: `has no credentials: it needs "auth", or both "username" and "password"${tokens}`,
      fix: 'add "username" and "password", or "auth" with the base64 of "username:password"',
    });
  }
  return { username, password };
}

function readStringField(body: JsonObject, fieldName: string, property: string): string | undefined {
  const key = findField(body, fieldName);
  const value = key === undefined ? null : body[key];
  if (value === null || typeof value === 'string') {
    return value ?? undefined;
  }
  throw new ValidationError({
    property: `${property}.${key}`,
    problem: `must be a string, not ${describeJson(value)}; ${WHOLE_SECRET_FAILS}`,
    fix: 'write the value as a JSON string',
  });
}

// The kubelet's rules: padded standard base64 when the (trimmed) text ends with '=', unpadded otherwise; CR and LF
// are skipped anywhere; the decoded text is split at its first ':'.
const PADDED_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UNPADDED_BASE64 = /^[A-Za-z0-9+/]*$/;

function decodeAuth(auth: string, property: string): DockerCredential {
  const text = auth.replace(/[\r\n]/g, '');
  const valid = auth.trim().endsWith('=')
    ? PADDED_BASE64.test(text)
    : UNPADDED_BASE64.test(text) && text.length % 4 !== 1;
  if (!valid) {
    throw new ValidationError({
      property,
      value: auth,
      secret: true,
      problem: `is not valid base64 (standard alphabet, padded or unpadded); ${WHOLE_SECRET_FAILS}`,
      fix: AUTH_FIX,
    });
  }
  const decoded = Buffer.from(text, 'base64');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    throw new ValidationError({
      property,
      value: auth,
      secret: true,
      problem: `does not decode to "username:password" (there is no ":"); ${WHOLE_SECRET_FAILS}`,
      fix: AUTH_FIX,
    });
  }
  return {
    username: decoded.subarray(0, colon).toString('utf8'),
    password: decoded.subarray(colon + 1).toString('utf8'),
  };
}

function checkAuthAgrees(fromAuth: DockerCredential, username: string, password: string, property: string): void {
  const usernameDiffers = username !== '' && username !== fromAuth.username;
  const passwordDiffers = password !== '' && password !== fromAuth.password;
  if (usernameDiffers || passwordDiffers) {
    const differing = [usernameDiffers ? 'username' : '', passwordDiffers ? 'password' : ''].filter(Boolean);
    throw new ValidationError({
      property,
      problem: `decodes to a different ${differing.join(' and ')} than the entry's "${differing.join('" and "')}" `
        + 'field; the kubelet uses auth and ignores the fields',
      fix: 'remove "username" and "password", or make auth the base64 of exactly "username:password"',
    });
  }
}

// The kubelet decodes HttpHeaders as a map of strings: any other shape fails the whole secret.
function checkHttpHeaders(root: JsonObject): void {
  const field = findField(root, 'httpheaders');
  const headers = field === undefined ? null : root[field];
  const valid = headers === null || (isJsonObject(headers)
    && Object.values(headers).every(value => value === null || typeof value === 'string'));
  if (!valid) {
    throw new ValidationError({
      property: `${ROOT}.${field}`,
      problem: `must be an object of strings; ${WHOLE_SECRET_FAILS}`,
      fix: 'remove it (pulls do not need it) or make every header value a string',
    });
  }
}

function checkStrict(root: JsonObject, entries: ConfigEntry[]): void {
  if (entries.length !== 1) {
    throw new ValidationError({
      property: `${ROOT}.auths`,
      problem: `holds ${entries.length} registries; Choreo's "Docker config" auth type takes exactly one`,
      fix: 'keep exactly one registry under auths and register each other registry on its own',
    });
  }
  const helper = helperFields(Object.entries(root))[0];
  if (helper !== undefined) {
    throw new ValidationError({
      property: `${ROOT}.${helper[0]}`,
      problem: 'names credential helpers; Choreo\'s "Docker config" auth type needs inline credentials, and the '
        + 'kubelet never runs helpers',
      fix: `remove ${helper[0]} and write the registry's username and password under auths`,
    });
  }
}

function isJsonObject(value: JsonValue): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describeJson(value: JsonValue): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Warnings

// credsStore / credHelpers that name at least one helper (empty values are what `docker logout` leaves behind).
function helperFields(members: Array<[string, JsonValue]>): Array<[string, JsonValue]> {
  return members.filter(([key, value]) =>
    (goFieldNameMatches(key, 'credsstore') || goFieldNameMatches(key, 'credhelpers'))
    && value !== null && value !== '' && !(isJsonObject(value) && Object.keys(value).length === 0));
}

function helperWarnings(field: string, value: JsonValue): DockerConfigFieldWarning[] {
  const hosts = isJsonObject(value) ? Object.keys(value) : [];
  const properties = hosts.length > 0
    ? hosts.map(host => `${ROOT}.${field}[${JSON.stringify(host)}]`)
    : [`${ROOT}.${field}`];
  return properties.map(property => ({
    property,
    problem: 'names a credential helper; the kubelet never runs helpers, so registries without an auths entry are '
      + 'pulled anonymously',
    fix: 'write the registry\'s username and password under auths, or set up a kubelet credential provider plugin '
      + 'on the nodes',
  }));
}

function tokenWarnings(entry: ConfigEntry): DockerConfigFieldWarning[] {
  return entry.ignoredFields.map(field => ({
    property: `${ROOT}.auths[${JSON.stringify(entry.server)}].${field}`,
    problem: 'is ignored by the kubelet, which reads only username, password and auth',
    fix: 'remove it; pulls use the entry\'s username and password',
  }));
}

interface KeyParts {
  readonly server: string;
  readonly pattern: string;
  readonly hostPort: string;
  readonly host: string;
  readonly port: string;
  readonly path: string;
}

type KeyRule = (key: KeyParts) => DockerConfigKeyWarning | undefined;

function keyWarningsFor(server: string): DockerConfigKeyWarning[] {
  const pattern = KubeletKeyring.keyToPattern(server);
  if (pattern === undefined) {
    return [{
      server,
      code: 'unparsable-key',
      problem: 'the kubelet cannot parse this key as a URL and skips it',
      fix: 'write the registry host with an optional port and path, e.g. "ghcr.io" or "registry.example.com:5000"',
    }];
  }
  const slash = pattern.indexOf('/');
  const hostPort = slash < 0 ? pattern : pattern.slice(0, slash);
  const port = /:([0-9]+)$/.exec(hostPort)?.[1] ?? '';
  const host = port === '' ? hostPort : hostPort.slice(0, -port.length - 1);
  const key: KeyParts = { server, pattern, hostPort, host, port, path: slash < 0 ? '' : pattern.slice(slash) };
  const pathRule = PATH_RULES.map(rule => rule(key)).find(warning => warning !== undefined);
  return [...HOST_RULES.map(rule => rule(key)), pathRule]
    .filter((warning): warning is DockerConfigKeyWarning => warning !== undefined);
}

const HOST_RULES: KeyRule[] = [
  ({ server }) => server.startsWith('http://') ? {
    server,
    code: 'http-scheme',
    problem: 'the kubelet drops the scheme, so "http://" does not make pulls use plain HTTP (insecure registries are '
      + 'configured in the container runtime); it only misleads',
    fix: `write "${server.slice('http://'.length)}"`,
  } : undefined,
  ({ server, host }) => host !== host.toLowerCase() ? {
    server,
    code: 'uppercase-host',
    problem: `the kubelet compares hosts case-sensitively, so this key matches only images written "${host}/…", `
      + 'not the usual lowercase form',
    fix: `write "${server.replace(host, host.toLowerCase())}"`,
  } : undefined,
  ({ server, host, port }) => port === '443' ? {
    server,
    code: 'explicit-port-443',
    problem: `the kubelet compares ports literally, so this key matches only images written "${host}:443/…", `
      + `not "${host}/…"`,
    fix: `write "${server.replace(`${host}:443`, host)}"`,
  } : undefined,
  ({ server, host }) => DOCKER_HUB_ALIASES.includes(host.toLowerCase()) ? {
    server,
    code: 'docker-hub-alias',
    problem: 'Docker Hub images (nginx, docker.io/org/app) are matched only by a "docker.io" key or through the '
      + `"index.docker.io" fallback; this key matches only images written "${host}/…"`,
    fix: `for Docker Hub images write "${DOCKER_HUB_KEY}"; keep this key only for images written "${host}/…"`,
  } : undefined,
  ({ server, host, path, pattern }) => host.toLowerCase() === 'index.docker.io' && path !== '' ? {
    server,
    code: 'index-docker-io-path',
    problem: `the kubelet reduces it to "${pattern}", which matches nothing: image names never start with `
      + 'index.docker.io (it is normalized to docker.io) and the Docker Hub fallback needs exactly "index.docker.io"',
    fix: `write "${DOCKER_HUB_KEY}"`,
  } : undefined,
];

// At most one path warning per key: the first rule that applies.
const PATH_RULES: KeyRule[] = [
  ({ server, hostPort, path }) => path === '/v1' || path === '/v2' ? {
    server,
    code: 'version-path',
    problem: `the kubelet drops "/v1/" and "/v2/" only with a trailing "/", so this key keeps the path "${path}" and `
      + `matches only repositories whose name starts with "${path.slice(1)}"`,
    fix: `write "${hostPort}"`,
  } : undefined,
  ({ server, hostPort, path }) => /[*?[]/.test(path) ? {
    server,
    code: 'glob-in-path',
    problem: `globs work only in the host; in the path "${path}" they are literal characters, so the key matches no `
      + 'real repository',
    fix: `write "${hostPort}${path.slice(0, path.search(/[*?[]/))}", the literal part of the path before the glob`,
  } : undefined,
  ({ server, hostPort, path }) => /[:@]/.test(path) ? {
    server,
    code: 'tag-in-path',
    problem: 'image names reach the kubelet\'s keyring without tag or digest, so a path with ":" or "@" never '
      + 'matches',
    fix: `write "${hostPort}${path.slice(0, path.search(/[:@]/))}"`,
  } : undefined,
  // One-segment paths ending in "/" ("quay.io/org/") are the namespace form the next rule recommends; a deeper path
  // ending in "/" usually names a repository with a stray slash.
  ({ server, pattern, path }) => path.endsWith('/') && path.slice(1, -1).includes('/') ? {
    server,
    code: 'trailing-slash',
    problem: `the kubelet keeps the trailing "/", so this key matches repositories below "${pattern}" but not the `
      + `repository "${pattern.slice(0, -1)}" itself`,
    fix: `if "${pattern.slice(0, -1)}" is a repository, write "${pattern.slice(0, -1)}" (it then also matches names `
      + 'that extend it); keep the "/" only for a namespace that holds repositories',
  } : undefined,
  ({ server, pattern, path }) => path !== '' && !path.endsWith('/') ? {
    server,
    code: 'path-prefix',
    problem: 'the kubelet matches paths as plain string prefixes, so this key also matches every repository whose '
      + `name merely starts with "${pattern}", e.g. "${pattern}-other/app", and offers these credentials there`,
    fix: `if "${pattern}" is a namespace, write "${pattern}/" to cover only repositories below it (that key does not `
      + `match "${pattern}" itself); no key matches exactly one repository`,
  } : undefined,
];
