import { ValidationError } from '../errors';
import { Finding } from './findings';
import { containerImagesOf, podSpecOf } from './inventory';
import { isKind, JsonRecord, labelsOf, nameOf, referencedNames } from './kube-object';
import { findingAt, LintContext, ObjectRule, quotedList } from './lint-context';
import { Manifest } from './manifests';
import { nearestMiss } from './near-miss';
import { allKeysKnown, matchImage, PodContext, PullResolution, resolvePull } from './pull-resolution';
import { PURPOSE_LABEL, PURPOSE_PUSH } from '../constants';
import { ImageReference } from '../values/image-reference';
import { podServiceAccountName, referenceNames } from '../values/pod-pull-secrets';

/**
 * Registries that never serve anonymous pulls: private Amazon ECR and Azure Container Registry. An image there that
 * no attached key covers fails, unless the nodes have a credential provider plugin.
 */
const PRIVATE_REGISTRIES = [
  /^[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/,
  /^[a-z0-9]+\.azurecr\.(io|cn|us)$/,
];

/** Hosts that serve Docker Hub's official (`library/`) images, which anyone may pull. */
const DOCKER_HUB_HOSTS = ['docker.io', 'registry.hub.docker.com', 'registry-1.docker.io', 'registry.docker.com'];
const BUILD_ACCOUNT_PREFIX = 'build-pipeline-';
/** Konflux service accounts whose `.secrets` Tekton turns into the docker config of every step. */
const PIPELINE_ACCOUNTS = [/^build-pipeline-/, /^release-pipeline$/];

/** Rules on workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob). */
export const workloadRules: ObjectRule[] = [
  (manifest, context) => {
    const podSpec = podSpecOf(manifest.object);
    return podSpec ? podFindings(manifest, podSpec, context) : [];
  },
];

/** Rules on service accounts: unusable pull secrets, and Konflux's build accounts. */
export const serviceAccountRules: ObjectRule[] = [
  (manifest, context) => isKind(manifest.object, '', 'ServiceAccount') ? unusableSecretFindings(manifest, context, referencedNames(manifest.object.imagePullSecrets)) : [],
  (manifest) => isKind(manifest.object, '', 'ServiceAccount') ? operatorAccountFindings(manifest) : [],
  (manifest, context) => isKind(manifest.object, '', 'ServiceAccount') ? pushAsPullFindings(manifest, context) : [],
];

/** The pod a workload runs, as the kubelet and the ServiceAccount admission plugin see it. */
function podContextOf(manifest: Manifest, podSpec: JsonRecord, context: LintContext): PodContext {
  return {
    namespace: context.inventory.namespaceOf(manifest.object),
    serviceAccount: podServiceAccountName(podSpec),
    podPullSecrets: referenceNames(podSpec.imagePullSecrets),
  };
}

function podFindings(manifest: Manifest, podSpec: JsonRecord, context: LintContext): Finding[] {
  const pod = podContextOf(manifest, podSpec, context);
  const resolution = resolvePull(context.inventory, pod);
  const findings = [...unusableSecretFindings(manifest, context, pod.podPullSecrets), ...otherNamespaceFindings(manifest, context, resolution)];
  for (const { container, image } of containerImagesOf(podSpec)) {
    let reference: ImageReference;
    try {
      reference = ImageReference.parse(image);
    } catch (e) {
      if (!(e instanceof ValidationError)) {
        throw e;
      }
      findings.push(findingAt(manifest, 'image-invalid-reference', 'error',
        `${container}: image "${image}" ${e.problem}; the kubelet reports InvalidImageName`, e.fix));
      continue;
    }
    findings.push(...coverageFindings(manifest, container, reference, resolution));
  }
  return findings;
}

/**
 * The coverage rule. It speaks only when the answer is certain and the image most likely needs credentials:
 * - the pod presents pull secrets (its own, or its service account's from the manifests), all found in the manifests
 *   with known `auths` keys (data, registries annotation, or literal template keys), and no key matches the image;
 * - Docker Hub official images (`library/…`, whichever Docker Hub host names them) are public and never reported;
 * - error when a key names the image's registry (and namespace) but misses it (a near miss: path, port, host case,
 *   Docker Hub key form); warning when the image is on a registry that never serves anonymous pulls (private ECR,
 *   ACR); every other image is taken as an anonymous pull and not reported.
 */
function coverageFindings(manifest: Manifest, container: string, image: ImageReference, resolution: PullResolution): Finding[] {
  if (resolution.origin === 'none' || isOfficialImage(image) || !allKeysKnown(resolution)) {
    return [];
  }
  if (matchImage(resolution, image.toString()).length > 0) {
    return [];
  }
  const keys = resolution.secrets.flatMap(secret => secret.resolved!.payload.registries);
  const presented = `the pod presents ${quotedList(resolution.secrets.map(secret => secret.name))}${resolution.origin === 'service-account' ? ` (from service account "${resolution.context.serviceAccount}")` : ''}`;
  const miss = nearestMiss(keys, image);
  if (miss?.sameRegistry) {
    return [findingAt(manifest, 'image-not-covered', 'error',
      `${container}: no pull secret key matches image "${image.name}"; ${presented}, and the nearest ${miss.explanation}`, miss.fix)];
  }
  if (PRIVATE_REGISTRIES.some(pattern => pattern.test(image.domain))) {
    return [findingAt(manifest, 'image-not-covered', 'warning',
      `${container}: image "${image.name}" is on a registry that requires credentials, and ${presented} with keys ${quotedList(keys)}, none of which matches`,
      `add credentials for "${image.domain}" to a pull secret the pod presents, or rely on a kubelet credential provider plugin on the nodes`)];
  }
  return [];
}

/**
 * A pull secret the pod presents that exists only in other namespaces: the kubelet reads `imagePullSecrets` from the
 * pod's own namespace only, skips the missing Secret and pulls anonymously.
 *
 * @see https://kubernetes.io/docs/concepts/containers/images/#referring-to-an-imagepullsecrets-on-a-pod
 */
function otherNamespaceFindings(manifest: Manifest, context: LintContext, resolution: PullResolution): Finding[] {
  const namespace = resolution.context.namespace;
  const via = resolution.origin === 'service-account' ? ` (through service account "${resolution.context.serviceAccount}")` : '';
  return resolution.secrets.filter(secret => secret.sources.length === 0).flatMap(secret => {
    const elsewhere = context.inventory.producers.filter(producer => producer.name === secret.name && producer.namespace !== namespace);
    const where = [...new Set(elsewhere.map(producer => producer.namespace))].sort();
    if (where.length > 0) {
      const first = elsewhere[0];
      return [findingAt(manifest, 'pull-secret-other-namespace', 'error',
        `imagePullSecrets${via} lists "${secret.name}", which exists only in namespace ${quotedList(where)} (${first.manifest.file}:${first.manifest.line}); `
        + `a pod reads pull secrets from its own namespace "${namespace}" only, so the kubelet skips it and pulls anonymously`,
        `get "${secret.name}" into "${namespace}": replicate it from "${first.namespace}" (e.g. annotate the source with `
        + `replicator.v1.mittwald.de/replicate-to: "${namespace}", or use a ReplicatedPullSecret), or create it in "${namespace}"`)];
    }
    const inOtherCluster = (context.otherClusters ?? []).flatMap(other => other.inventory.producers
      .filter(producer => producer.name === secret.name)
      .map(producer => `namespace "${producer.namespace}" of ${clusterName(other.cluster)}`));
    return inOtherCluster.length === 0 ? [] : [findingAt(manifest, 'pull-secret-other-namespace', 'error',
      `imagePullSecrets${via} lists "${secret.name}", which exists only in another cluster (${[...new Set(inOtherCluster)].sort().join(', ')}); `
      + `the kubelet of ${clusterName(context.cluster)} skips it and pulls anonymously`,
      `create "${secret.name}" in namespace "${namespace}" of ${clusterName(context.cluster)} as well (a Secret exists per cluster)`)];
  });
}

function clusterName(cluster: string | undefined): string {
  return cluster ? `cluster "${cluster}"` : 'the cluster of the top folder';
}

function isOfficialImage(image: ImageReference): boolean {
  return DOCKER_HUB_HOSTS.includes(image.domain) && image.path.startsWith('library/');
}

// Listing a Secret the kubelet ignores (wrong type) is silent at run time: the pull just goes anonymous.
function unusableSecretFindings(manifest: Manifest, context: LintContext, names: string[]): Finding[] {
  const namespace = context.inventory.namespaceOf(manifest.object);
  return names.flatMap(name => {
    const source = context.inventory.secretSources(namespace, name)[0];
    const payload = source ? context.inventory.payloadOf(source).payload : undefined;
    return payload?.status === 'not-pull-secret'
      ? [findingAt(manifest, 'pull-secret-unusable', 'error', `imagePullSecrets lists "${name}", but ${payload.problem}`, payload.fix!)]
      : [];
  });
}

function operatorAccountFindings(manifest: Manifest): Finding[] {
  const name = nameOf(manifest.object) ?? '';
  const pullSecrets = referencedNames(manifest.object.imagePullSecrets);
  if (!name.startsWith(BUILD_ACCOUNT_PREFIX) || pullSecrets.length === 0) {
    return [];
  }
  return [findingAt(manifest, 'konflux-operator-account-pull-secrets', 'warning',
    `"${name}" is created and edited by Konflux build-service and image-controller; declaring its imagePullSecrets makes Git own that atomic list, so every sync replaces what the controllers added`,
    'remove imagePullSecrets; link registry secrets through "secrets" (a list merged by name), or label the Secret build.konflux-ci.dev/common-secret: "true"')];
}

// Tekton turns only `.secrets` into ~/.docker/config.json; imagePullSecrets serve the kubelet's pulls alone.
function pushAsPullFindings(manifest: Manifest, context: LintContext): Finding[] {
  const object = manifest.object;
  const name = nameOf(object) ?? '';
  const linked = new Set(referencedNames(object.secrets));
  const pipelineAccount = PIPELINE_ACCOUNTS.some(pattern => pattern.test(name));
  const pushOnly = referencedNames(object.imagePullSecrets)
    .filter(secret => !linked.has(secret))
    .filter(secret => pipelineAccount || isPushSecret(context, context.inventory.namespaceOf(object), secret));
  return pushOnly.map(secret => findingAt(manifest, 'konflux-push-secret-as-pull-secret', 'error',
    `"${secret}" is linked through imagePullSecrets only; Tekton builds the step's docker config from "secrets", so pushes with it fail with 401`,
    `list "${secret}" under secrets (kubectl patch serviceaccount ${name} -p '{"secrets":[{"name":"${secret}"}]}')`));
}

function isPushSecret(context: LintContext, namespace: string, name: string): boolean {
  const source = context.inventory.secretSources(namespace, name)[0];
  const purpose = source ? labelsOf(source.producer.manifest.object)[PURPOSE_LABEL] : undefined;
  return purpose === PURPOSE_PUSH;
}
