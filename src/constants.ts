/**
 * Names shared by the constructs and the doctor: Secret types and keys the kubelet reads, and the labels and
 * annotations cdk8s-registries writes. This module imports nothing, so the doctor CLI can use it without loading
 * cdk8s, cdk8s-plus or the constructs.
 */

/** The Secret type the kubelet reads as a pull secret. @see https://kubernetes.io/docs/concepts/configuration/secret/#docker-config-secrets */
export const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson';
/** The data key a `kubernetes.io/dockerconfigjson` Secret must hold. */
export const DOCKER_CONFIG_JSON_KEY = '.dockerconfigjson';
/** The legacy pull-secret type (a `.dockercfg` map without `auths`). */
export const DOCKER_CFG_TYPE = 'kubernetes.io/dockercfg';
/** The data key a `kubernetes.io/dockercfg` Secret must hold. */
export const DOCKER_CFG_KEY = '.dockercfg';
/** The `auths` key Docker Hub credentials go under (what `docker login` and kubectl write). */
export const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

/** Label saying what a registry secret is for: `pull` or `push`. */
export const PURPOSE_LABEL = 'cdk8s-registries/purpose';
/** `PURPOSE_LABEL` value of pull secrets. */
export const PURPOSE_PULL = 'pull';
/** `PURPOSE_LABEL` value of push secrets. */
export const PURPOSE_PUSH = 'push';
/** Annotation listing the registries (`auths` keys) a registry secret holds credentials for, comma-separated. */
export const REGISTRIES_ANNOTATION = 'cdk8s-registries/registries';
