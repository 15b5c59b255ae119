import { App, Chart } from 'cdk8s';
import { QuayImageController, SecretDelivery, SecretValue } from '../src';

/**
 * S7, Konflux Quay image-controller: the Konflux CR `konflux` (cluster-scoped, no namespace, merged with server-side
 * apply into the CR the installation has, never pruned or deleted) with `spec.imageController.enabled: true`, and the
 * Secrets `quaytoken` (keys `quaytoken`, `organization`) and `image-pruner-token` in namespace `image-controller`,
 * fetched by External Secrets: only the store key of the Quay OAuth token is in Git.
 *
 * @see https://github.com/konflux-ci/konflux-ci/blob/main/docs/registry-configuration.md#automatically-provision-quay-repositories-for-container-images
 */
export function build(app: App): void {
  const chart = new Chart(app, 'konflux-quay-image-controller');

  new QuayImageController(chart, 'ImageController', {
    organization: 'acme-konflux',
    token: SecretValue.fromExternalSecret('konflux/quay-oauth', { property: 'token' }),
    delivery: SecretDelivery.externalSecret({ store: { name: 'platform-secrets' } }),
  });
}
