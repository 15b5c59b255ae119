/**
 * Namespaces no replicated credential may reach unless each one is named in an opt-in: the Kubernetes system
 * namespaces and the namespaces of the controllers a platform runs, where every principal that may read Secrets (and
 * every controller service account) would read the registry credential.
 *
 * Controller namespaces as their installs name them: Argo CD, External Secrets Operator, Sealed Secrets, cert-manager,
 * Istio; OpenChoreo (`choreo-system` of the 2025 charts, today `openchoreo-control-plane`, `openchoreo-data-plane`,
 * `openchoreo-workflow-plane`, `openchoreo-build-plane`); Konflux's services (`build-service`, `integration-service`,
 * `release-service`, `konflux-ui`, the image-controller in `image-controller` or, standalone, `image-controller-system`)
 * and Tekton (`tekton-pipelines`), whose pipeline service accounts read pushed credentials. The source namespace itself is never judged as a target: the controllers skip it.
 */
export const DEFAULT_PROTECTED_NAMESPACES: readonly string[] = Object.freeze([
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'default',
  'argocd',
  'external-secrets',
  'sealed-secrets',
  'cert-manager',
  'istio-system',
  'choreo-system',
  'openchoreo-control-plane',
  'openchoreo-data-plane',
  'openchoreo-workflow-plane',
  'openchoreo-build-plane',
  'build-service',
  'integration-service',
  'release-service',
  'konflux-ui',
  'image-controller',
  'image-controller-system',
  'tekton-pipelines',
]);

/** The default list plus `extra`, without duplicates, in a stable order. */
export function protectedNamespaces(extra: readonly string[] = []): string[] {
  return [...new Set([...DEFAULT_PROTECTED_NAMESPACES, ...extra])];
}

/**
 * A namespace name that nobody targets: a selection reaching it reaches every namespace not explicitly excluded,
 * including controller namespaces installed later.
 */
export const UNRELATED_NAMESPACE_PROBE = 'zz-unrelated-namespace-7f3a';
