// The public API. Modules that also hold internal helpers are exported by name, so only the API reaches users.

// Core values
export * from './errors';
export * from './names';
export { ImageReference } from './values/image-reference';
export * from './values/docker-config';
export * from './values/kubelet-keyring';

// Credentials and how their secrets reach the cluster
export { SecretValue, SecretValueSource } from './credentials/secret-value';
export type { ExternalSecretValueOptions, SealedSecretValueOptions } from './credentials/secret-value';
export { TokenGenerator } from './credentials/token-generator';
export type {
  AcrServicePrincipalKeys, AcrTokenGeneratorProps, EcrAccessKeys, EcrTokenGeneratorProps, GcrTokenGeneratorProps,
  GcrWorkloadIdentity, GeneratorSecretKey, GeneratorServiceAccount, QuayTokenGeneratorProps,
} from './credentials/token-generator';
export * from './credentials/registry-credentials';
export * from './delivery/sealing';
export { SecretDelivery, SecretDeliveryKind, SecretStoreKind } from './delivery/secret-delivery';
export type { ExternalSecretDeliveryOptions, SealedSecretDeliveryOptions, SecretStoreReference } from './delivery/secret-delivery';
export { ArgoCdSyncOption } from './argocd';
export type { ArgoCdOptions } from './argocd';
export { RegistryPurpose, RegistrySecret } from './registry-secret';
export type { ExistingRegistrySecretOptions, IRegistrySecret, RegistrySecretProps } from './registry-secret';

// Replication of pull secrets across namespaces
export * from './values/label-selector';
export * from './replication/namespace-selection';
export * from './replication/pattern-lint';

// OpenChoreo
export * from './openchoreo/namespace-names';
export * from './openchoreo/data-plane';
export { DataPlaneClientCa } from './openchoreo/data-plane-agent';
export type { DataPlaneClusterAgent, ImagePullSecretPreview } from './openchoreo/data-plane-agent';
export * from './openchoreo/secret-reference';
export * from './openchoreo/component-type-pull-secret';
export * from './replication/replicated-pull-secret';
export * from './replication/replicator-application';

// Konflux
export * from './konflux/build-service-account';
export * from './konflux/release-plan-admission';
export * from './konflux/quay-image-controller';
export * from './konflux/internal-registry';
export * from './konflux/image-controller-names';
export * from './konflux/image-repository';

// Choreo "bring your own image" and workloads that pull
export * from './choreo/choreo-registry';
export * from './choreo/choreo-component';
export * from './choreo/image-updater';
export { ImagePullCoverage, PullCoverage } from './workloads/pull-coverage';
export type { ImagePullReport, PullCoverageOptions } from './workloads/pull-coverage';
export * from './workloads/service-account-pull-secrets';
export { RegistryChecks } from './registry-checks';
export { RegistrySynth } from './registry-synth';
