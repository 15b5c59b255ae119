import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { requireString } from '../runtime-checks';
import { refuseCredentialShape } from './credential-shape';
import { GoGlob } from './go-glob';

const IMAGE_FIX = 'pass the image as a string, e.g. "ghcr.io/acme/app:1.0"';
const IMAGE_WHAT = 'the image name only, e.g. "ghcr.io/acme/app:1.0"';

// Grammar of distribution/reference (regexp.go), rebuilt piece by piece. Only ASCII is allowed anywhere, so
// JavaScript string lengths equal the byte lengths upstream counts.
const ALPHANUMERIC = '[a-z0-9]+';
const PATH_SEPARATOR = '(?:[._]|__|-+)'; // one '.', one '_', two '__' or any run of '-'
const PATH_COMPONENT = `${ALPHANUMERIC}(?:${PATH_SEPARATOR}${ALPHANUMERIC})*`;
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN_NAME = `${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*`;
const IPV6_HOST = '\\[[a-fA-F0-9:]+\\]'; // no zone index, no embedded IPv4
const DOMAIN = `(?:${DOMAIN_NAME}|${IPV6_HOST})(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const REFERENCE_PATTERN = new RegExp(`^((?:${DOMAIN}/)?${PATH})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_PATTERN = new RegExp(`^(?:(${DOMAIN})/)?(${PATH})$`);
const DOMAIN_PATTERN = new RegExp(`^${DOMAIN}$`);
const PATH_COMPONENT_PATTERN = new RegExp(`^${PATH_COMPONENT}$`);
const TAG_PATTERN = new RegExp(`^${TAG}$`);
const DIGEST_PATTERN = new RegExp(`^${DIGEST}$`);
const IMAGE_ID_PATTERN = /^[a-f0-9]{64}$/;
const SHA256_HEX_PATTERN = /^[a-f0-9]{64}$/;

const DOCKER_HUB = 'docker.io';
const LEGACY_DOCKER_HUB = 'index.docker.io';
const OFFICIAL_PREFIX = 'library/';
const DEFAULT_TAG = 'latest';
const MAX_PATH_LENGTH = 255;
const MAX_TAG_LENGTH = 128;
const SHA256_HEX_LENGTH = 64;

const REFERENCE_SHAPE = '[registry/]repository[:tag][@sha256:digest], e.g. "ghcr.io/org/app:1.0"';
const DIGEST_RULE = 'digest must be sha256 with 64 lowercase hex digits';
const DIGEST_FIX = 'write "@sha256:" followed by the 64 lowercase hex digits of the image digest';

/** What is wrong with an input and how to fix it (the two texts of a `ValidationError`). */
interface Problem {
  readonly problem: string;
  readonly fix: string;
}

/** The parts of a parsed reference. */
interface ReferenceParts {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string;
  readonly digest?: string;
}

type ParseOutcome = ReferenceParts | Problem;

/**
 * A container image reference (`[registry/]repository[:tag][@digest]`), parsed and normalized the way Docker,
 * containerd and the kubelet do it (Go package `distribution/reference`).
 *
 * `ImageReference.parse('nginx:1.25')` gives domain `docker.io`, path `library/nginx`, tag `1.25`.
 *
 * @see https://github.com/distribution/reference/blob/main/reference.go
 * @see https://github.com/distribution/reference/blob/main/normalize.go
 */
export class ImageReference {
  /**
   * Parses a reference the way `docker pull`, containerd and the kubelet read an image name
   * (`ParseNormalizedNamed`): the registry defaults to `docker.io`, single-component Docker Hub names get the
   * `library/` prefix, and `index.docker.io` becomes `docker.io`.
   *
   * @param ref the image, e.g. `nginx`, `ghcr.io/org/app:1.0` or `quay.io/org/app@sha256:…`
   * @throws ValidationError naming the property `image` when `ref` is not a valid reference
   */
  public static parse(ref: string): ImageReference {
    return parseImageReference(requireString(ref, { property: 'image' }, IMAGE_FIX), 'image');
  }

  /**
   * Parses a reference exactly as written, without defaulting the registry (`Parse`): the first component is the
   * registry whenever the grammar allows it (`foo/bar` has domain `foo`), and `domain` is empty when there is none.
   *
   * @param ref the reference
   * @throws ValidationError naming the property `image` when `ref` is not a valid reference
   */
  public static parseExact(ref: string): ImageReference {
    refuseCredentialShape(requireString(ref, { property: 'image' }, IMAGE_FIX), 'image', IMAGE_WHAT);
    return new ImageReference(orThrow(parseParts(ref, ref), ref, 'image'));
  }

  /** Whether `ref` is accepted by `ImageReference.parse`. */
  public static isValid(ref: string): boolean {
    return typeof ref === 'string' && !isProblem(parseNormalizedParts(ref));
  }

  /** @internal */
  public static _fromParts(parts: ReferenceParts): ImageReference {
    return new ImageReference(parts);
  }

  /** The registry host with optional port, e.g. `docker.io`, `ghcr.io`, `localhost:5000`, `[::1]:5000`. */
  public readonly domain: string;

  /** The repository path without the registry, e.g. `library/nginx`. */
  public readonly path: string;

  /**
   * The tag, e.g. `1.25`.
   *
   * @default - no tag
   */
  public readonly tag?: string;

  /**
   * The digest, e.g. `sha256:` followed by 64 hex digits.
   *
   * @default - no digest
   */
  public readonly digest?: string;

  /** The repository name with its registry and without tag or digest, e.g. `docker.io/library/nginx`. */
  public readonly name: string;

  /** The name as Docker shows it: `docker.io/` dropped, and `library/` dropped for official images (`nginx`). */
  public readonly familiarName: string;

  /** `familiarName` with the tag and digest, e.g. `nginx:1.25`. */
  public readonly familiarString: string;

  /**
   * The reference as containerd and the kubelet pull it (`ParseDockerRef`): `:latest` added when there is neither
   * tag nor digest, and the tag dropped when both are present (the digest decides what is pulled).
   */
  public readonly dockerRef: string;

  private constructor(parts: ReferenceParts) {
    this.domain = parts.domain;
    this.path = parts.path;
    this.tag = parts.tag;
    this.digest = parts.digest;
    this.name = joinName(parts.domain, parts.path);
    this.familiarName = familiarNameOf(parts);
    this.familiarString = withSuffixes(this.familiarName, parts.tag, parts.digest);
    this.dockerRef = dockerRefOf(this.name, parts.tag, parts.digest);
  }

  /**
   * A copy with the tag replaced (a digest, if any, is kept).
   *
   * @param tag 1 to 128 letters, digits, `_`, `.` or `-`, not starting with `.` or `-`
   * @throws ValidationError naming the property `tag` when the tag is invalid
   */
  public withTag(tag: string): ImageReference {
    throwIfProblem(checkTag(tag), tag, 'tag');
    return new ImageReference({ domain: this.domain, path: this.path, tag, digest: this.digest });
  }

  /**
   * A copy with the digest replaced (a tag, if any, is kept).
   *
   * @param digest `sha256:` followed by 64 lowercase hex digits
   * @throws ValidationError naming the property `digest` when the digest is invalid or not sha256
   */
  public withDigest(digest: string): ImageReference {
    throwIfProblem(checkDigest(digest), digest, 'digest');
    return new ImageReference({ domain: this.domain, path: this.path, tag: this.tag, digest });
  }

  /**
   * Whether the familiar string (`nginx:1.25`) or else the familiar name (`nginx`) matches a Go `path.Match`
   * pattern: `*` and `?` never match `/`, `[a-z]` and `[^a-z]` are character classes, `\` escapes.
   *
   * @param pattern e.g. `myorg/*` or `ghcr.io/org/*:v1.*`
   * @throws ValidationError naming the property `pattern` when the pattern is malformed
   * @see https://pkg.go.dev/path#Match
   */
  public matchesFamiliarPattern(pattern: string): boolean {
    const glob = GoGlob.compile(pattern);
    if (!glob) {
      throw new ValidationError({
        property: 'pattern',
        value: pattern,
        problem: 'is not a valid path.Match pattern (an unclosed or empty "[...]", a range bound of "-" or "]", or a trailing "\\")',
        fix: 'close every "[...]" class, escape literal "[", "-" and "]" with "\\"',
      });
    }
    return glob.matches(this.familiarString) || glob.matches(this.familiarName);
  }

  /** The fully qualified reference with tag and digest as given, e.g. `docker.io/library/nginx:1.25`. */
  public toString(): string {
    return withSuffixes(this.name, this.tag, this.digest);
  }
}

/**
 * Parses an image given to a construct with `ImageReference.parse` semantics; errors name the construct and the
 * property that held the image. Module-internal: not exported from the package root.
 */
export function parseImageReference(ref: string, property: string, scope?: IConstruct): ImageReference {
  refuseCredentialShape(requireString(ref, { property, scope }, IMAGE_FIX), property, IMAGE_WHAT, scope);
  return ImageReference._fromParts(orThrow(parseNormalizedParts(ref), ref, property, scope));
}

function isProblem(outcome: ParseOutcome): outcome is Problem {
  return 'problem' in outcome;
}

function orThrow(outcome: ParseOutcome, value: string, property: string, scope?: IConstruct): ReferenceParts {
  if (isProblem(outcome)) {
    throw new ValidationError({ scope, property, value, problem: outcome.problem, fix: outcome.fix });
  }
  return outcome;
}

function throwIfProblem(problem: Problem | undefined, value: string, property: string): void {
  if (problem) {
    throw new ValidationError({ property, value, ...problem });
  }
}

// ParseNormalizedNamed: decide the registry with Docker's rules, then parse "registry/remainder" strictly. The strict
// parse has the last word, so "ex_ample.com/app" (not a valid host) ends up as a path without domain.
function parseNormalizedParts(ref: string): ParseOutcome {
  if (ref === '') {
    return emptyProblem();
  }
  if (IMAGE_ID_PATTERN.test(ref)) {
    return {
      problem: 'is a 64-hex image ID, not a repository name',
      fix: 'write the repository name and pin the content with "@sha256:<hex>", e.g. "myorg/app@sha256:<hex>"',
    };
  }
  const { domain, remainder } = splitDockerDomain(ref);
  const repository = remainder.split(':')[0];
  if (repository !== repository.toLowerCase()) {
    return uppercaseProblem(ref);
  }
  return parseParts(`${domain}/${remainder}`, ref);
}

function splitDockerDomain(ref: string): { domain: string; remainder: string } {
  const slash = ref.indexOf('/');
  const first = ref.slice(0, slash);
  const explicitRegistry = slash >= 0 && looksLikeRegistry(first);
  const domain = !explicitRegistry || first === LEGACY_DOCKER_HUB ? DOCKER_HUB : first;
  const remainder = explicitRegistry ? ref.slice(slash + 1) : ref;
  const official = domain === DOCKER_HUB && !remainder.includes('/');
  return { domain, remainder: official ? OFFICIAL_PREFIX + remainder : remainder };
}

// Docker's guess: "localhost", anything with "." or ":" (host name, IP, port), or anything with uppercase (a
// repository namespace is never uppercase).
function looksLikeRegistry(component: string): boolean {
  return component === 'localhost' || /[.:]/.test(component) || component !== component.toLowerCase();
}

// Parse: the grammar alone decides; the first component is a domain whenever it can be one. Problems are described
// in terms of `asWritten`, the user's input, which differs from `text` after normalization.
function parseParts(text: string, asWritten: string): ParseOutcome {
  if (text === '') {
    return emptyProblem();
  }
  const match = REFERENCE_PATTERN.exec(text);
  if (!match) {
    const lower = text.toLowerCase();
    return lower !== text && REFERENCE_PATTERN.test(lower) ? uppercaseProblem(asWritten) : diagnose(asWritten);
  }
  const [, name, tag, digest] = match;
  const [, domain = '', path] = NAME_PATTERN.exec(name)!;
  if (path.length > MAX_PATH_LENGTH) {
    return {
      problem: `repository path may have at most ${MAX_PATH_LENGTH} characters (it has ${path.length})`,
      fix: 'shorten the repository path (the part after the registry host)',
    };
  }
  return (digest !== undefined ? checkDigest(digest) : undefined) ?? { domain, path, tag, digest };
}

function checkTag(tag: string): Problem | undefined {
  if (tag.length > MAX_TAG_LENGTH) {
    return { problem: `tag may have at most ${MAX_TAG_LENGTH} characters (it has ${tag.length})`, fix: 'shorten the tag' };
  }
  if (!TAG_PATTERN.test(tag)) {
    return {
      problem: `tag "${tag}" is invalid: it must have 1 to 128 letters, digits, "_", "." or "-" and must not start with "." or "-"`,
      fix: 'remove the other characters from the tag, e.g. write "v1.2.3" or "1.25-alpine"',
    };
  }
  return undefined;
}

// The grammar plus go-digest's checks: the algorithm must be registered (only sha256 is), the hex must have the
// algorithm's length and be lowercase.
function checkDigest(digest: string): Problem | undefined {
  if (!DIGEST_PATTERN.test(digest)) {
    return { problem: `${DIGEST_RULE}; "${digest}" is not "algorithm:hex"`, fix: DIGEST_FIX };
  }
  const [algorithm, hex] = digest.split(':');
  if (algorithm !== 'sha256') {
    return { problem: `unsupported digest algorithm "${algorithm}": ${DIGEST_RULE}`, fix: DIGEST_FIX };
  }
  if (hex.length !== SHA256_HEX_LENGTH) {
    return { problem: `${DIGEST_RULE} (it has ${hex.length})`, fix: DIGEST_FIX };
  }
  if (!SHA256_HEX_PATTERN.test(hex)) {
    return { problem: `${DIGEST_RULE} (it has uppercase)`, fix: `write "sha256:${hex.toLowerCase()}"` };
  }
  return undefined;
}

function emptyProblem(): Problem {
  return { problem: 'image reference is empty', fix: `write ${REFERENCE_SHAPE}` };
}

function uppercaseProblem(ref: string): Problem {
  return { problem: 'repository name must be lowercase', fix: `write "${lowercaseRepository(ref)}"` };
}

// Lowercases the repository path of `ref` and keeps the registry, tag and digest as written.
function lowercaseRepository(ref: string): string {
  const slash = ref.indexOf('/');
  const start = slash >= 0 && looksLikeRegistry(ref.slice(0, slash)) ? slash + 1 : 0;
  const end = ref.slice(start).search(/[:@]|$/) + start;
  return ref.slice(0, start) + ref.slice(start, end).toLowerCase() + ref.slice(end);
}

// The grammar failed somewhere; name the piece that is wrong so the fix is obvious.
function diagnose(ref: string): Problem {
  if (/\s/.test(ref)) {
    return { problem: 'must not contain whitespace', fix: `write "${ref.replace(/\s/g, '')}"` };
  }
  if (ref.includes('://')) {
    return { problem: 'must not contain a URL scheme', fix: `write "${ref.replace(/^[^/]*:\/\//, '')}"` };
  }
  const at = ref.indexOf('@');
  const beforeDigest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = beforeDigest.lastIndexOf(':');
  // In a bare "[IPv6]:x" the colons belong to the host.
  const hasTag = colon > beforeDigest.lastIndexOf('/') && !/^\[[^/]*$/.test(beforeDigest);
  const name = hasTag ? beforeDigest.slice(0, colon) : beforeDigest;
  return (at >= 0 ? checkDigest(ref.slice(at + 1)) : undefined)
    ?? (hasTag ? checkTag(beforeDigest.slice(colon + 1)) : undefined)
    ?? checkName(name)
    ?? { problem: 'is not a valid image reference', fix: `write ${REFERENCE_SHAPE}` };
}

function checkName(name: string): Problem | undefined {
  if (name === '') {
    return { problem: 'has no repository name', fix: `write ${REFERENCE_SHAPE}` };
  }
  const components = name.split('/');
  const [first] = components;
  if (components.length === 1 && first.startsWith('[')) {
    return { problem: `registry host "${first}" must be followed by "/" and a repository`, fix: `write "${first}/<repository>"` };
  }
  const hasRegistry = components.length > 1 && (DOMAIN_PATTERN.test(first) || /[.:[\]]/.test(first));
  if (hasRegistry && !DOMAIN_PATTERN.test(first) && !PATH_COMPONENT_PATTERN.test(first)) {
    return {
      problem: `registry host "${first}" is invalid`,
      fix: 'write a host name (letters, digits, "-" and "."), an IPv4 address or "[IPv6]", optionally with ":port" in digits',
    };
  }
  const path = hasRegistry && DOMAIN_PATTERN.test(first) ? components.slice(1) : components;
  const bad = path.find(component => !PATH_COMPONENT_PATTERN.test(component));
  if (bad === '') {
    return { problem: 'repository path has an empty component (a leading, trailing or double "/")', fix: `write ${REFERENCE_SHAPE}` };
  }
  if (bad !== undefined) {
    return {
      problem: `repository path component "${bad}" is invalid`,
      fix: 'use lowercase letters and digits, separated by one ".", one "_", two "__" or dashes, starting and ending with a letter or digit',
    };
  }
  return undefined;
}

function joinName(domain: string, path: string): string {
  return domain ? `${domain}/${path}` : path;
}

function withSuffixes(name: string, tag?: string, digest?: string): string {
  return name + (tag !== undefined ? `:${tag}` : '') + (digest !== undefined ? `@${digest}` : '');
}

// "library/" goes only when nothing nested remains: docker.io/library/foo/bar stays "library/foo/bar".
function familiarNameOf(parts: ReferenceParts): string {
  if (parts.domain !== DOCKER_HUB) {
    return joinName(parts.domain, parts.path);
  }
  const official = parts.path.startsWith(OFFICIAL_PREFIX) ? parts.path.slice(OFFICIAL_PREFIX.length) : undefined;
  return official !== undefined && !official.includes('/') ? official : parts.path;
}

function dockerRefOf(name: string, tag?: string, digest?: string): string {
  if (digest !== undefined) {
    return withSuffixes(name, undefined, digest);
  }
  return withSuffixes(name, tag ?? DEFAULT_TAG);
}
