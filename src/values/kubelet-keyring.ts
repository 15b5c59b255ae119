import type { DockerConfig } from './docker-config';
import { GoGlob } from './go-glob';
import { compareGoStrings } from './go-json';
import { ImageReference } from './image-reference';
import { checkArgs } from '../props-check';

/**
 * One credential the kubelet would try for an image: which `auths` key of which config, and why it matched.
 */
export interface KeyringMatch {
  /** The `auths` key as written in the config, e.g. `https://index.docker.io/v1/`. */
  readonly key: string;

  /** The pattern the kubelet derived from the key, e.g. `index.docker.io`. */
  readonly pattern: string;

  /** The position of the config in the list given to the keyring. */
  readonly configIndex: number;

  /**
   * Whether the credential was used only through the Docker Hub fallback: nothing matched, the image is a Docker Hub
   * image, and the key reduces to `index.docker.io`.
   */
  readonly viaDockerHubFallback: boolean;
}

/** An `auths` entry placed in the keyring under its pattern. */
interface IndexedKey {
  readonly key: string;
  readonly pattern: string;
  readonly configIndex: number;
}

/** The parts of a URL the kubelet uses: the host (with port) and the unescaped path. */
interface HostAndPath {
  readonly host: string;
  readonly path: string;
}

/** The pattern the kubelet falls back to for Docker Hub images (`https://index.docker.io/v1/` and its forms). */
const DOCKER_HUB_FALLBACK_PATTERN = 'index.docker.io';

/**
 * Which pull-secret credentials the kubelet offers for an image, in the order it tries them
 * (kubernetes `pkg/credentialprovider` `BasicDockerKeyring`).
 *
 * Each `auths` key becomes a pattern (scheme dropped, a leading `/v1/` or `/v2/` path dropped). A pattern matches an
 * image when the ports are equal, the hosts have the same number of labels, each label matches as a glob
 * (`*.azurecr.io`), and the pattern's path is a plain string prefix of the image's path. All matching patterns are
 * returned, in reverse byte order of the patterns; when nothing matches a Docker Hub image, keys that reduce to
 * `index.docker.io` are used.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/credentialprovider/keyring.go
 * @see https://kubernetes.io/docs/concepts/containers/images/#config-json
 */
export class KubeletKeyring {
  /**
   * The pattern the kubelet derives from an `auths` key, or `undefined` when the kubelet cannot parse the key and
   * skips it.
   *
   * `https://index.docker.io/v1/` → `index.docker.io`; `https://ghcr.io/v2/org` → `ghcr.io/org`;
   * `quay.io/org/` → `quay.io/org/` (a trailing slash after a real path is kept).
   */
  public static keyToPattern(key: string): string | undefined {
    checkArgs('KubeletKeyring.keyToPattern', [key]);
    // A platform repeats the same few keys in thousands of secrets: parse each once.
    if (!KEY_PATTERNS.has(key)) {
      if (KEY_PATTERNS.size >= KEY_PATTERN_CACHE_SIZE) {
        KEY_PATTERNS.clear();
      }
      KEY_PATTERNS.set(key, parseKeyPattern(key));
    }
    return KEY_PATTERNS.get(key);
  }

  /** The distinct patterns of all keys, in the order the kubelet tries them (reverse byte order). */
  public readonly patterns: string[];

  private readonly keysByPattern: Map<string, IndexedKey[]>;
  private readonly matchers: Map<string, PatternMatcher | undefined>;

  /**
   * @param configs the pull secrets' docker configs, in the order of the pod's `imagePullSecrets`
   */
  constructor(configs: DockerConfig[]) {
    this.keysByPattern = new Map();
    configs.forEach((config, configIndex) => this.addConfig(config, configIndex));
    this.patterns = [...this.keysByPattern.keys()].sort((a, b) => compareGoStrings(b, a));
    this.matchers = new Map(this.patterns.map(pattern => [pattern, compilePattern(pattern)]));
  }

  /**
   * The `auths` keys whose credentials the kubelet tries for `image`, in order. A key appears once per config that
   * holds it. Empty when the kubelet would pull anonymously (as far as pull secrets go).
   *
   * @param image an image reference as written in a pod, e.g. `nginx:1.25` or `ghcr.io/org/app@sha256:…`
   * @throws ValidationError when `image` is not a valid image reference
   */
  public lookup(image: string): string[] {
    return this.lookupDetailed(image).map(match => match.key);
  }

  /**
   * Like `lookup`, with the pattern, the config and the reason of each match.
   *
   * The image is normalized first as the kubelet does (`nginx:1.25` → `docker.io/library/nginx`).
   *
   * @param image an image reference as written in a pod
   * @throws ValidationError when `image` is not a valid image reference
   */
  public lookupDetailed(image: string): KeyringMatch[] {
    return this.matchRepository(ImageReference.parse(image).name);
  }

  /**
   * The keyring lookup itself, on a repository name exactly as the kubelet passes it to the keyring: already
   * normalized, without tag or digest (e.g. `docker.io/library/nginx`). The name is not parsed or normalized, so
   * this reproduces the kubelet for any string, including ones `ImageReference.parse` rejects.
   *
   * @param repository the normalized repository name
   */
  public matchRepository(repository: string): KeyringMatch[] {
    const target = parseGoUrl(`https://${repository}`);
    const matched = this.patterns
      .filter(pattern => target !== undefined && matcherAccepts(this.matchers.get(pattern), target))
      .flatMap(pattern => this.keysByPattern.get(pattern)!)
      .map(indexed => ({ ...indexed, viaDockerHubFallback: false }));
    if (matched.length > 0 || !isDockerHubName(repository)) {
      return matched;
    }
    return (this.keysByPattern.get(DOCKER_HUB_FALLBACK_PATTERN) ?? [])
      .map(indexed => ({ ...indexed, viaDockerHubFallback: true }));
  }

  // The kubelet walks a Go map, so the order of one config's keys under the same pattern is unspecified; byte order
  // makes ours deterministic.
  private addConfig(config: DockerConfig, configIndex: number): void {
    const keys = [...config.servers].sort(compareGoStrings);
    for (const key of keys) {
      const pattern = KubeletKeyring.keyToPattern(key);
      if (pattern !== undefined) {
        const indexed = this.keysByPattern.get(pattern) ?? [];
        indexed.push({ key, pattern, configIndex });
        this.keysByPattern.set(pattern, indexed);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Matching (keyring.go URLsMatch and isDefaultRegistryMatch)

/** A pattern parsed once: its port, its path and a glob per host label (undefined for a malformed glob). */
interface PatternMatcher {
  readonly port: string;
  readonly path: string;
  readonly labels: Array<GoGlob | undefined>;
}

// Both sides are parsed as "https://" + text, as the kubelet does; a side that does not parse never matches.
function compilePattern(pattern: string): PatternMatcher | undefined {
  const url = parseGoUrl(`https://${pattern}`);
  if (url === undefined) {
    return undefined;
  }
  const { hostname, port } = splitHostPort(url.host);
  return { port, path: url.path, labels: hostname.split('.').map(label => GoGlob.compile(label)) };
}

// Ports equal, the pattern path a string prefix of the image path, as many labels, each label matching its glob.
function matcherAccepts(matcher: PatternMatcher | undefined, target: HostAndPath): boolean {
  if (matcher === undefined) {
    return false;
  }
  const { hostname, port } = splitHostPort(target.host);
  const labels = hostname.split('.');
  return matcher.port === port
    && target.path.startsWith(matcher.path)
    && matcher.labels.length === labels.length
    && matcher.labels.every((glob, i) => glob !== undefined && glob.matches(labels[i]));
}

// Docker's old rule: a first component with neither '.' nor ':' is a Docker Hub namespace, not a registry.
function isDockerHubName(repository: string): boolean {
  const slash = repository.indexOf('/');
  const first = slash < 0 ? repository : repository.slice(0, slash);
  if (first === '') {
    return false;
  }
  if (slash < 0 || first === 'docker.io' || first === DOCKER_HUB_FALLBACK_PATTERN) {
    return true;
  }
  return !/[.:]/.test(first);
}

// net.SplitHostPort; when it fails the kubelet uses the whole host and no port.
function splitHostPort(hostPort: string): { hostname: string; port: string } {
  const whole = { hostname: hostPort, port: '' };
  const colon = hostPort.lastIndexOf(':');
  if (colon < 0) {
    return whole;
  }
  let hostname = hostPort.slice(0, colon);
  let openBracketsFrom = 0;
  let closeBracketsFrom = 0;
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    if (close < 0 || close + 1 !== colon) {
      return whole;
    }
    hostname = hostPort.slice(1, close);
    openBracketsFrom = 1;
    closeBracketsFrom = close + 1;
  } else if (hostname.includes(':')) {
    return whole;
  }
  if (hostPort.indexOf('[', openBracketsFrom) >= 0 || hostPort.indexOf(']', closeBracketsFrom) >= 0) {
    return whole;
  }
  return { hostname, port: hostPort.slice(colon + 1) };
}

// Each host label is matched with Go `path/filepath.Match` (`GoGlob`, linear, no regular expression); a malformed glob
// is undefined, which the kubelet treats as no match (Match's error). Pattern hosts come out of net/url, which allows
// only letters, digits, non-ASCII and `!$&'()*+,;=:[]<>"-_.~` in a host, so of Match's syntax only `*` and `[a-z]`
// classes can occur (`?`, `^` and `\` cannot).

// ---------------------------------------------------------------------------------------------------------------
// Go net/url.Parse, reduced to what the kubelet reads: host and unescaped path of an http(s) URL.

const SCHEME_PREFIX = /^https?:\/\//;
const CONTROL_CHAR = /[\u0000-\u001f\u007f]/;
// Characters a host may hold besides letters and digits (net/url shouldEscape for hosts).
const HOST_PUNCTUATION = new Set(Array.from('!$&\'()*+,;=:[]<>"-_.~'));
const USERINFO_PUNCTUATION = new Set(Array.from('-._:~!$&\'()*+,;=%@'));

type EscapeMode = 'host' | 'zone' | 'other';
// ASCII without '%': unescape returns such text as it is (hosts and zones: only the characters they allow).
const UNCHANGED_BY_UNESCAPE = /^[^%\u0080-\uffff]*$/;
const UNCHANGED_HOST = /^[A-Za-z0-9!$&'()*+,;=:[\]<>"\-_.~]*$/;

/** Patterns of the keys seen, by key; bounded so a long-running process does not grow without limit. */
const KEY_PATTERNS = new Map<string, string | undefined>();
const KEY_PATTERN_CACHE_SIZE = 4096;

function parseKeyPattern(key: string): string | undefined {
  const url = parseGoUrl(key.startsWith('https://') || key.startsWith('http://') ? key : `https://${key}`);
  if (url === undefined) {
    return undefined;
  }
  const path = url.path.startsWith('/v1/') || url.path.startsWith('/v2/') ? url.path.slice(3) : url.path;
  return path === '' || path === '/' ? url.host : url.host + path;
}

function parseGoUrl(url: string): HostAndPath | undefined {
  const hash = url.indexOf('#');
  const beforeFragment = hash < 0 ? url : url.slice(0, hash);
  if (CONTROL_CHAR.test(beforeFragment) || (hash >= 0 && unescape(url.slice(hash + 1), 'other') === undefined)) {
    return undefined;
  }
  const withoutQuery = beforeFragment.replace(SCHEME_PREFIX, '').split('?')[0];
  const slash = withoutQuery.indexOf('/');
  const authority = slash < 0 ? withoutQuery : withoutQuery.slice(0, slash);
  const host = parseAuthority(authority);
  const path = unescape(slash < 0 ? '' : withoutQuery.slice(slash), 'other');
  return host === undefined || path === undefined ? undefined : { host, path };
}

function parseAuthority(authority: string): string | undefined {
  const at = authority.lastIndexOf('@');
  if (at < 0) {
    return parseHost(authority);
  }
  const userinfo = authority.slice(0, at);
  const validUserinfo = Array.from(userinfo).every(char => isAsciiAlphanumeric(char) || USERINFO_PUNCTUATION.has(char))
    && userinfo.split(':').every(part => unescape(part, 'other') !== undefined);
  return validUserinfo ? parseHost(authority.slice(at + 1)) : undefined;
}

function parseHost(host: string): string | undefined {
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0 || !isValidOptionalPort(host.slice(close + 1))) {
      return undefined;
    }
    const zone = host.slice(0, close).indexOf('%25');
    if (zone >= 0) {
      return joinDefined([
        unescape(host.slice(0, zone), 'host'),
        unescape(host.slice(zone, close), 'zone'),
        unescape(host.slice(close), 'host'),
      ]);
    }
  } else {
    const colon = host.lastIndexOf(':');
    if (colon >= 0 && !isValidOptionalPort(host.slice(colon))) {
      return undefined;
    }
  }
  return unescape(host, 'host');
}

function isValidOptionalPort(port: string): boolean {
  return port === '' || /^:[0-9]*$/.test(port);
}

function joinDefined(parts: Array<string | undefined>): string | undefined {
  return parts.every(part => part !== undefined) ? parts.join('') : undefined;
}

// net/url unescape: '%' must start a two-digit hex escape; hosts allow only a fixed ASCII set and escape only
// non-ASCII bytes (plus "%25"); zones (the part of an IPv6 literal after "%25") allow a few more escapes.
function unescape(text: string, mode: EscapeMode): string | undefined {
  // Most keys and image names hold nothing to unescape or reject: they come back unchanged, without the byte-wise
  // decoding below (which cost every keyring lookup and key check tens of microseconds).
  if ((mode === 'other' ? UNCHANGED_BY_UNESCAPE : UNCHANGED_HOST).test(text)) {
    return text;
  }
  const bytes: number[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i];
    if (char === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex) || !isAllowedEscape(text.slice(i, i + 3), parseInt(hex, 16), mode)) {
        return undefined;
      }
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      if (mode !== 'other' && char < '\u0080' && !isAsciiAlphanumeric(char) && !HOST_PUNCTUATION.has(char)) {
        return undefined;
      }
      const codePoint = text.codePointAt(i)!;
      const unit = String.fromCodePoint(codePoint);
      bytes.push(...Buffer.from(unit, 'utf8'));
      i += unit.length;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function isAllowedEscape(escape: string, byte: number, mode: EscapeMode): boolean {
  if (mode === 'host') {
    return byte >= 0x80 || escape === '%25';
  }
  if (mode === 'zone') {
    const char = String.fromCharCode(byte);
    return escape === '%25' || char === ' ' || isAsciiAlphanumeric(char) || HOST_PUNCTUATION.has(char);
  }
  return true;
}

function isAsciiAlphanumeric(char: string): boolean {
  return /^[A-Za-z0-9]$/.test(char);
}
