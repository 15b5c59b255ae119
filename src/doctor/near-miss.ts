import { DOCKER_HUB_KEY } from '../constants';
import { DockerConfig } from '../values/docker-config';
import { ImageReference } from '../values/image-reference';
import { KubeletKeyring } from '../values/kubelet-keyring';

/** Why an `auths` key does not match an image. */
export type MissReason =
  | 'path-prefix' | 'trailing-slash' | 'port' | 'host-case' | 'docker-hub-key-form' | 'glob' | 'different-host' | 'unparsable-key';

/** An `auths` key that does not match an image, and why, the way the kubelet compares them. */
export interface NearMiss {
  readonly key: string;
  /** The pattern the kubelet derives from the key (undefined when it skips the key). */
  readonly pattern?: string;
  readonly reason: MissReason;
  /**
   * Whether the key names the image's registry (and, for a key with a path, the image's namespace there), so its author
   * most likely meant it for this image.
   */
  readonly sameRegistry: boolean;
  /** The explanation, naming the key, the pattern and the image. */
  readonly explanation: string;
  /** Which key would match. */
  readonly fix: string;
}

/** Hosts that serve Docker Hub, besides `docker.io` itself. */
const DOCKER_HUB_HOSTS = ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'registry.docker.com'];
const DOCKER_HUB = 'docker.io';

const CLOSENESS: { [reason in MissReason]: number } = {
  'path-prefix': 5,
  'trailing-slash': 5,
  'port': 4,
  'host-case': 4,
  'docker-hub-key-form': 4,
  'glob': 3,
  'different-host': 1,
  'unparsable-key': 0,
};

/** Host (with port, split) and path (with its leading `/`) of a pattern or repository name. */
interface Location {
  readonly host: string;
  readonly port: string;
  readonly path: string;
}

function locate(text: string): Location {
  const slash = text.indexOf('/');
  const hostPort = slash < 0 ? text : text.slice(0, slash);
  const port = /:([0-9]+)$/.exec(hostPort)?.[1] ?? '';
  return { host: port ? hostPort.slice(0, -port.length - 1) : hostPort, port, path: slash < 0 ? '' : text.slice(slash) };
}

/** The key that covers an image: `https://index.docker.io/v1/` for Docker Hub, else the registry host. */
export function keyFor(image: ImageReference): string {
  return image.domain === DOCKER_HUB ? DOCKER_HUB_KEY : image.domain;
}

/**
 * Why `key` does not match `image` (an image the kubelet's keyring did not match with it).
 *
 * @param key an `auths` key as written
 * @param image the parsed image
 */
export function explainMiss(key: string, image: ImageReference): NearMiss {
  const pattern = KubeletKeyring.keyToPattern(key);
  const want = keyFor(image);
  if (pattern === undefined) {
    return miss(key, undefined, 'unparsable-key', `the kubelet cannot parse the key "${key}" and skips it`, `write the key "${want}"`);
  }
  const p = locate(pattern);
  const i = locate(image.name);
  const shown = `key "${key}" (pattern "${pattern}") vs image "${image.name}"`;
  const hubMiss = dockerHubMiss(key, pattern, p, i, image, shown);
  if (hubMiss) {
    return hubMiss;
  }
  if (/[*[]/.test(p.host)) {
    return miss(key, pattern, 'glob', `${shown}: the glob host "${p.host}" must match "${i.host}" label by label, with as many labels `
      + `(${p.host.split('.').length} vs ${i.host.split('.').length}); each "*" stands for part of exactly one label`, `write the key "${want}"`);
  }
  if (p.host !== i.host) {
    return p.host.toLowerCase() === i.host.toLowerCase()
      ? miss(key, pattern, 'host-case', `${shown}: the kubelet compares hosts case-sensitively ("${p.host}" vs "${i.host}")`, `write the key "${want}"`)
      : miss(key, pattern, 'different-host', `${shown}: the key is for "${p.host}", the image is on "${i.host}"`, `add credentials for "${want}"`);
  }
  if (p.port !== i.port) {
    return miss(key, pattern, 'port', `${shown}: the kubelet compares ports literally (key ${describePort(p.port)}, image ${describePort(i.port)})`,
      `write the key "${image.domain}", with exactly the port the image names`);
  }
  return pathMiss(key, pattern, p, i, image, shown);
}

function describePort(port: string): string {
  return port ? `port ${port}` : 'no port';
}

// Path mismatch on the same host and port: the pattern's path must be a plain string prefix of the image's path.
function pathMiss(key: string, pattern: string, p: Location, i: Location, image: ImageReference, shown: string): NearMiss {
  const warning = keyWarningFor(key);
  const why = warning ? ` (${warning})` : '';
  if (p.path.endsWith('/') && i.path === p.path.slice(0, -1)) {
    return miss(key, pattern, 'trailing-slash', `${shown}: the key keeps its trailing "/", so it covers repositories below "${pattern}" but not "${image.name}" itself`,
      `write the key "${pattern.slice(0, -1)}"`);
  }
  // A key scoped to another namespace of the registry (ghcr.io/acme vs ghcr.io/other/tool) is a deliberate scope, not a
  // near miss: the other namespace's images are usually public.
  const sameNamespace = p.path.split('/')[1] === i.path.split('/')[1];
  return miss(key, pattern, 'path-prefix',
    `${shown}: same registry, but the key's path "${p.path}" is not a prefix of the image path "${i.path}"${why}`,
    `add a key that covers the image, e.g. "${keyFor(image)}" (the whole registry) or "${image.domain}${i.path.split('/').slice(0, 2).join('/')}/" (its namespace)`,
    sameNamespace);
}

// Docker Hub has several host names, but the kubelet matches Hub images (docker.io/…) only with docker.io keys or, as a
// fallback, keys that reduce to exactly index.docker.io.
function dockerHubMiss(key: string, pattern: string, p: Location, i: Location, image: ImageReference, shown: string): NearMiss | undefined {
  const keyHost = p.host.toLowerCase();
  if (i.host === DOCKER_HUB && DOCKER_HUB_HOSTS.includes(keyHost)) {
    const why = keyHost === 'index.docker.io'
      ? `the key reduces to "${pattern}", and the Docker Hub fallback needs exactly "index.docker.io" (no path)`
      : `"${p.host}" serves Docker Hub, but the kubelet matches Docker Hub images only with "docker.io" keys or the "index.docker.io" fallback`;
    return miss(key, pattern, 'docker-hub-key-form', `${shown}: ${why}`, `write the key "${DOCKER_HUB_KEY}"`);
  }
  if (DOCKER_HUB_HOSTS.includes(i.host) && (keyHost === DOCKER_HUB || keyHost === 'index.docker.io')) {
    return miss(key, pattern, 'docker-hub-key-form',
      `${shown}: the image names "${i.host}" explicitly, so only a key for that host matches it; "${p.host}" keys cover images written "docker.io/…" or without a registry`,
      `add the key "${i.host}", or write the image as "${image.path.startsWith('library/') ? image.path.slice('library/'.length) : `docker.io/${image.path}`}"`);
  }
  return undefined;
}

/** Key warnings that explain why a path never matches (rather than that it matches too much). */
const PATH_MISS_CODES = ['version-path', 'glob-in-path', 'tag-in-path'];

function keyWarningFor(key: string): string | undefined {
  return DockerConfig.empty().withBasicAuth(key, 'key-only', 'key-only').keyWarnings()
    .find(warning => PATH_MISS_CODES.includes(warning.code))?.problem;
}

function miss(key: string, pattern: string | undefined, reason: MissReason, explanation: string, fix: string, sameRegistry?: boolean): NearMiss {
  return { key, pattern, reason, sameRegistry: sameRegistry ?? CLOSENESS[reason] >= CLOSENESS['docker-hub-key-form'], explanation, fix };
}

/** The key closest to matching the image: same registry first, then the order given. */
export function nearestMiss(keys: string[], image: ImageReference): NearMiss | undefined {
  let best: NearMiss | undefined;
  for (const key of keys) {
    const candidate = explainMiss(key, image);
    if (best === undefined || CLOSENESS[candidate.reason] > CLOSENESS[best.reason]) {
      best = candidate;
    }
  }
  return best;
}
