import { ValidationError } from '../errors';
import { IRegistrySecret, RegistryPurpose } from '../registry-secret';
import { ImageReference } from '../values/image-reference';
import { KubeletKeyring } from '../values/kubelet-keyring';
import { configOf } from '../workloads/pull-coverage';

/** A repository a pipeline pushes to, and the property that names it. */
export interface PushTarget {
  /** Where the repository is named, e.g. `pipeline.ociStorage`. */
  readonly property: string;
  /** The repository, e.g. `quay.io/org/app`. */
  readonly repository: string;
}

const PUSHING_PURPOSES: string[] = [RegistryPurpose.PUSH, RegistryPurpose.PULL_AND_PUSH];

/**
 * Messages for each target that no push secret of the account covers. Tekton turns the account's `secrets` into one
 * `~/.docker/config.json`, and the push tools (buildah, skopeo, oras) pick the entry the same way the kubelet does:
 * the longest matching key, host first, then path prefix.
 *
 * @internal
 */
export function pushCoverageMessages(accountName: string, secrets: IRegistrySecret[], targets: PushTarget[]): string[] {
  const pushing = secrets.filter(secret => PUSHING_PURPOSES.includes(secret.purpose));
  const known = pushing.filter(secret => secret.registries.length > 0);
  const unknown = pushing.filter(secret => secret.registries.length === 0);
  const keyring = new KubeletKeyring(known.map(secret => configOf(secret.registries)));
  const keys = known.flatMap(secret => secret.registries.map(key => `${secret.name}: ${key}`));
  return targets.flatMap(target => {
    const repository = repositoryOf(target.repository);
    if (repository === undefined || keyring.matchRepository(repository).length > 0) {
      return [];
    }
    const has = keys.length > 0 ? `its push secrets give ${keys.join('; ')}` : 'it has no push secret with known registries';
    const unknownFix = unknown.length > 0
      ? `; or declare the registries of ${unknown.map(s => `"${s.name}"`).join(', ')} (RegistrySecret.fromSecretName(scope, id, name, { registries: [...], purpose: RegistryPurpose.PUSH }))`
      : '';
    // No scope: the construct holding this validation is `scope`, and cdk8s names its path already.
    return [new ValidationError({
      property: target.property,
      value: target.repository,
      problem: `is pushed to by the pipeline running as ServiceAccount "${accountName}", but no push secret of that account covers "${repository}" (${has}); the push would fail with 401 or 403`,
      fix: `add a push secret (purpose RegistryPurpose.PUSH) with a key for "${repository}" or its registry "${repository.split('/')[0]}" to the account's secrets${unknownFix}`,
    }).message];
  });
}

/**
 * The repositories a release pipeline pushes to, from an admission's free-form `data`: `mapping.components[]` and
 * `mapping.defaults`, each with `repository` or `repositories[].url` (both forms are in use).
 *
 * @internal
 */
export function mappingRepositories(data: { [key: string]: any } | undefined): PushTarget[] {
  const mapping = data?.mapping;
  if (mapping === null || typeof mapping !== 'object') {
    return [];
  }
  const components: any[] = Array.isArray(mapping.components) ? mapping.components : [];
  return [
    ...components.flatMap((component, index) => entryRepositories(component, `data.mapping.components[${index}]`)),
    ...entryRepositories(mapping.defaults, 'data.mapping.defaults'),
  ];
}

function entryRepositories(entry: any, property: string): PushTarget[] {
  if (entry === null || typeof entry !== 'object') {
    return [];
  }
  const single = typeof entry.repository === 'string' ? [{ property: `${property}.repository`, repository: entry.repository }] : [];
  const list: any[] = Array.isArray(entry.repositories) ? entry.repositories : [];
  return [
    ...single,
    ...list.flatMap((item, index) => typeof item?.url === 'string' ? [{ property: `${property}.repositories[${index}].url`, repository: item.url }] : []),
  ];
}

// Release data may hold templated values ("{{ component }}"); what is not an image reference is not judged.
function repositoryOf(value: string): string | undefined {
  return ImageReference.isValid(value) ? ImageReference.parse(value).name : undefined;
}
