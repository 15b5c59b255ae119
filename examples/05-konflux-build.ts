import { App, Chart } from 'cdk8s';
import { BuildServiceAccount, KonfluxSecretLinking, RegistryCredentials, RegistryPurpose, RegistrySecret, SecretDelivery, SecretValue } from '../src';

/**
 * S5, Konflux build: the push secret `regcred` in the tenant namespace, linked to the build pipeline's service account
 * `build-pipeline-<component>` through `secrets` (never `imagePullSecrets`), GitOps-safe (an ExternalSecret: only a
 * store key is in Git).
 *
 * build-service creates and owns that account, so it is never taken over:
 * - the secret carries the common-secret labels, so build-service links it into every account it creates later;
 * - for the component that exists already, a partial ServiceAccount holding only `secrets` is applied with server-side
 *   apply (merged by name: image-controller's entries stay), and Argo CD never prunes or deletes it.
 *
 * @see https://github.com/konflux-ci/konflux-ci/blob/main/docs/registry-configuration.md#configuring-a-push-secret-for-the-build-pipeline
 */
export function build(app: App): void {
  const chart = new Chart(app, 'konflux-build', { namespace: 'user-ns1' });

  const regcred = new RegistrySecret(chart, 'Regcred', {
    name: 'regcred',
    purpose: RegistryPurpose.PUSH,
    credentials: [
      RegistryCredentials.quayRobot('acme+konflux_builder', SecretValue.fromExternalSecret('konflux/quay-robot', { property: 'token' })),
    ],
    delivery: SecretDelivery.externalSecret({ store: { name: 'platform-secrets' } }),
    labels: BuildServiceAccount.commonSecretLabels(),
  });

  BuildServiceAccount.forComponent(chart, 'TestComponentBuild', {
    component: 'test-component',
    secrets: [regcred],
    linking: KonfluxSecretLinking.COMMON_SECRET_LABEL_AND_PARTIAL_SERVICE_ACCOUNT,
  });
}
