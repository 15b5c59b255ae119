import { asArray, asString, fieldAt } from './kube-object';
import { DockerConfig } from '../values/docker-config';
import { ImageReference } from '../values/image-reference';
import { KubeletKeyring } from '../values/kubelet-keyring';

/**
 * Push coverage: whether the push secrets of a pipeline's service account hold a credential for every repository the
 * pipeline pushes to, with the kubelet's key matching (`KubeletKeyring`): the same rule for the constructs and the
 * doctor. Only core values are used here, so the constructs can call it on their own synthesized JSON.
 */

/** A repository a pipeline pushes to, and the field that names it. */
export interface PushTarget {
  /** e.g. `spec.pipeline.pipelineRef.ociStorage` or `spec.data.mapping.components[0].repositories[1].url`. */
  readonly field: string;
  /** As written, e.g. `quay.io/acme/app` or `quay.io/acme/app:latest`. */
  readonly repository: string;
}

/**
 * The repositories a ReleasePlanAdmission's managed pipeline pushes to: `spec.pipeline.pipelineRef.ociStorage` (the
 * Trusted Artifacts location) and every repository of `spec.data.mapping` (`components[].repository`,
 * `components[].repositories[].url`).
 *
 * @param spec the ReleasePlanAdmission's `spec`, as parsed JSON
 */
export function releasePushTargets(spec: unknown): PushTarget[] {
  const targets: PushTarget[] = [];
  const ociStorage = asString(fieldAt(spec, 'pipeline', 'pipelineRef', 'ociStorage'));
  if (ociStorage) {
    targets.push({ field: 'spec.pipeline.pipelineRef.ociStorage', repository: ociStorage });
  }
  asArray(fieldAt(spec, 'data', 'mapping', 'components')).forEach((component, index) => {
    const at = `spec.data.mapping.components[${index}]`;
    const single = asString(fieldAt(component, 'repository'));
    if (single) {
      targets.push({ field: `${at}.repository`, repository: single });
    }
    asArray(fieldAt(component, 'repositories')).forEach((entry, entryIndex) => {
      const url = asString(fieldAt(entry, 'url'));
      if (url) {
        targets.push({ field: `${at}.repositories[${entryIndex}].url`, repository: url });
      }
    });
  });
  return targets;
}

/**
 * The targets no config covers: the repository (normalized like an image, tag and digest dropped) matches no
 * `auths` key of the configs. A repository that is not a valid image reference is matched as written.
 *
 * @param configs the docker configs of the account's push secrets
 */
export function uncoveredPushTargets(targets: PushTarget[], configs: DockerConfig[]): PushTarget[] {
  const keyring = new KubeletKeyring(configs);
  return targets.filter(target => keyring.matchRepository(repositoryName(target.repository)).length === 0);
}

function repositoryName(repository: string): string {
  return ImageReference.isValid(repository) ? ImageReference.parse(repository).name : repository;
}
