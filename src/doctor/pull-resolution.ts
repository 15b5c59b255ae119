import { Inventory, ResolvedPayload, SecretSource } from './inventory';
import { Manifest } from './manifests';
import { DockerConfig } from '../values/docker-config';
import { KubeletKeyring } from '../values/kubelet-keyring';
import { effectivePullSecrets, PullSecretOrigin, referenceNames } from '../values/pod-pull-secrets';

/** The pod whose image pull is explained or checked. */
export interface PodContext {
  readonly namespace: string;
  /** The pod's service account (`default` when the pod names none). */
  readonly serviceAccount: string;
  /** The pod's own `imagePullSecrets`, in order. */
  readonly podPullSecrets: string[];
}

export type { PullSecretOrigin };

/** One pull secret the pod presents, and what the manifests say about it. */
export interface AttachedSecret {
  readonly name: string;
  /** Every way the Secret comes to exist in the pod's namespace (first one is used). */
  readonly sources: SecretSource[];
  /** What is known about its data, from the first source; undefined when no source is in the manifests. */
  readonly resolved?: ResolvedPayload;
}

export interface PullResolution {
  readonly context: PodContext;
  readonly origin: PullSecretOrigin;
  /** The service account object, when it is in the manifests. */
  readonly serviceAccount?: Manifest;
  readonly secrets: AttachedSecret[];
}

/** One credential the kubelet tries, in order. */
export interface CredentialMatch {
  /** The attached Secret that holds it. */
  readonly secret: string;
  /** The `auths` key. */
  readonly key: string;
  /** The pattern the kubelet derived from the key. */
  readonly pattern: string;
  readonly viaDockerHubFallback: boolean;
  /** Whether the key is known only from the registries annotation or a template (the credential itself is not). */
  readonly keyOnly: boolean;
}

/**
 * @see https://kubernetes.io/docs/concepts/security/service-accounts/#add-imagepullsecrets-to-a-service-account
 * @see https://github.com/kubernetes/kubernetes/blob/master/plugin/pkg/admission/serviceaccount/admission.go
 */
export function resolvePull(inventory: Inventory, context: PodContext): PullResolution {
  const serviceAccount = inventory.serviceAccount(context.namespace, context.serviceAccount);
  const { origin, names } = effectivePullSecrets(context.podPullSecrets,
    serviceAccount ? referenceNames(serviceAccount.object.imagePullSecrets) : undefined);
  const secrets = names.map(name => {
    const sources = inventory.secretSources(context.namespace, name);
    return { name, sources, resolved: sources.length > 0 ? inventory.payloadOf(sources[0]) : undefined };
  });
  return { context, origin, serviceAccount, secrets };
}

/**
 * The credentials the kubelet tries for an image, in its order (`KubeletKeyring`), from the attached secrets whose
 * `auths` keys are known. Secrets known only by their registries take part with their keys.
 *
 * @throws ValidationError when the image is not a valid reference
 */
export function matchImage(resolution: PullResolution, image: string): CredentialMatch[] {
  const usable = resolution.secrets.filter(secret => secret.resolved && ['known', 'registries'].includes(secret.resolved.payload.status));
  const configs = usable.map(secret => configOf(secret.resolved!));
  return new KubeletKeyring(configs).lookupDetailed(image).map(match => ({
    secret: usable[match.configIndex].name,
    key: match.key,
    pattern: match.pattern,
    viaDockerHubFallback: match.viaDockerHubFallback,
    keyOnly: usable[match.configIndex].resolved!.payload.status === 'registries',
  }));
}

/** The config of a known payload, or a stand-in holding only the known keys (for matching, never for pulling). */
export function configOf(resolved: ResolvedPayload): DockerConfig {
  const payload = resolved.payload;
  if (payload.config) {
    return payload.config;
  }
  return payload.registries.reduce((config, server) => config.withBasicAuth(server, 'key-only', 'key-only'), DockerConfig.empty());
}

/** Whether every attached secret's keys are known, so that "no match" means the kubelet finds no credential. */
export function allKeysKnown(resolution: PullResolution): boolean {
  return resolution.secrets.every(secret => secret.resolved !== undefined
    && secret.resolved.note === undefined
    && ['known', 'registries'].includes(secret.resolved.payload.status)
    && secret.sources.every(source => source.reach === 'yes'));
}
