import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { DockerConfig } from '../values/docker-config';
import { ImageReference } from '../values/image-reference';
import { KubeletKeyring } from '../values/kubelet-keyring';

/** The repository appended to a prefix to read it the way image names under it are read. */
const PROBE_REPOSITORY = 'probe';

/**
 * A registry prefix of an OpenChoreo DataPlane (`docker.io/acme`, `ghcr.io/acme`, `registry.choreo-system:5000`):
 * images are pushed or pulled as `<prefix>/<image>`, so the prefix must read as the start of a fully qualified image
 * name. Module-internal: not part of the package's public API.
 */
export class RegistryPrefix {
  /**
   * Parses a prefix given to a construct.
   *
   * @throws ValidationError naming `property` when the prefix is no image-name prefix, or leaves out the registry host
   *   (then images under it would resolve elsewhere, e.g. `acme` → `docker.io/acme`)
   */
  public static parse(prefix: string, property: string, scope: IConstruct): RegistryPrefix {
    const reference = parseOrUndefined(`${prefix}/${PROBE_REPOSITORY}`);
    if (reference === undefined || reference.tag !== undefined || reference.digest !== undefined) {
      throw new ValidationError({
        scope,
        property,
        value: prefix,
        problem: 'is not a registry prefix: expected host[:port][/path] as it starts image names (lowercase path, no scheme, tag or trailing "/")',
        fix: 'write the registry host, an optional port and a lowercase path, with no scheme, tag or trailing "/", e.g. "ghcr.io/acme" or "registry.example.com:5000/team"',
      });
    }
    const qualified = reference.name.slice(0, -(PROBE_REPOSITORY.length + 1));
    if (qualified !== prefix) {
      throw new ValidationError({
        scope,
        property,
        value: prefix,
        problem: `does not start with its registry host as image names are resolved: images under it are "${qualified}/…"`,
        fix: `write "${qualified}"`,
      });
    }
    return new RegistryPrefix(prefix, reference);
  }

  /** The registry host with its port, e.g. `docker.io` or `registry.choreo-system:5000`. */
  public readonly host: string;

  private readonly probeRepository: string;

  private constructor(public readonly prefix: string, probe: ImageReference) {
    this.host = probe.domain;
    this.probeRepository = probe.name;
  }

  /**
   * The `auths` keys among `keys` that the kubelet would offer for images under this prefix, e.g. `docker.io` and
   * `https://index.docker.io/v1/` for `docker.io/acme`, `ghcr.io` for `ghcr.io/acme`, but not `ghcr.io/other`.
   *
   * @param keys the `auths` keys a registry secret holds
   */
  public coveringKeys(keys: string[]): string[] {
    // The keyring reads only the keys of a config, so placeholder credentials are enough to ask it.
    const config = keys.reduce((built, key) => built.withBasicAuth(key, PROBE_REPOSITORY, PROBE_REPOSITORY), DockerConfig.empty());
    return new KubeletKeyring([config]).matchRepository(this.probeRepository).map(match => match.key);
  }
}

function parseOrUndefined(reference: string): ImageReference | undefined {
  try {
    return ImageReference.parse(reference);
  } catch {
    return undefined;
  }
}
