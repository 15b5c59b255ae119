import { App, Chart } from 'cdk8s';
import { DataPlane, DataPlaneApi, OpenChoreoNames, RegistryCredentials, RegistryPurpose, RegistrySecret, SecretDelivery, SecretValue } from '../src';

const FAKE_CERT = Buffer.from('-----BEGIN CERTIFICATE-----\nFAKE-EXAMPLE\n-----END CERTIFICATE-----\n').toString('base64');
const FAKE_KEY = Buffer.from('-----BEGIN EC PRIVATE KEY-----\nFAKE-EXAMPLE\n-----END EC PRIVATE KEY-----\n').toString('base64');

/**
 * S2, OpenChoreo private push registries: one `kubernetes.io/dockerconfigjson` push secret per private registry in
 * the build namespace `choreo-ci-<org>`, delivered GitOps-safe as External Secrets `ExternalSecret`s (only store keys
 * are in Git), and a `core.choreo.dev/v1` DataPlane whose `registry.imagePushSecrets` name them. The DataPlane takes
 * the names from the secret objects and checks that each secret's `auths` key covers its prefix's registry host.
 *
 * @see https://github.com/openchoreo/openchoreo/blob/4498788f9/docs/configure-registries.md#configuring-authenticated-registries
 */
export function build(app: App): void {
  const chart = new Chart(app, 'openchoreo-private-push');
  const buildNamespace = OpenChoreoNames.buildNamespace('default-org');
  const delivery = SecretDelivery.externalSecret({ store: { name: 'platform-secrets' } });

  const dockerHub = new RegistrySecret(chart, 'DockerHubPush', {
    name: 'dev-dockerhub-push-secret',
    namespace: buildNamespace,
    purpose: RegistryPurpose.PUSH,
    credentials: [
      RegistryCredentials.dockerHubToken('acme-ci', SecretValue.fromExternalSecret('openchoreo/dockerhub-push', { property: 'token' })),
    ],
    delivery,
  });

  const ghcr = new RegistrySecret(chart, 'GhcrPush', {
    name: 'prod-ghcr-push-secret',
    namespace: buildNamespace,
    purpose: RegistryPurpose.PUSH,
    credentials: [
      RegistryCredentials.githubToken('acme-ci', SecretValue.fromExternalSecret('openchoreo/ghcr-push', { property: 'token' })),
    ],
    delivery,
  });

  new DataPlane(chart, 'DataPlane', {
    api: DataPlaneApi.CORE_V1_PUSH,
    name: 'default-dataplane',
    organization: 'default-org',
    kubernetesCluster: {
      name: 'kind-choreo',
      credentials: {
        apiServerUrl: 'https://choreo-control-plane:6443',
        caCert: FAKE_CERT,
        clientCert: FAKE_CERT,
        clientKey: SecretValue.unsafePlainText(FAKE_KEY),
      },
    },
    gateway: { publicVirtualHost: 'choreoapis.localhost', organizationVirtualHost: 'choreoapis.internal' },
    pushRegistries: {
      unauthenticated: [DataPlane.BUILT_IN_REGISTRY],
      imagePushSecrets: [
        { prefix: 'docker.io/acme', secret: dockerHub },
        { prefix: 'ghcr.io/acme', secret: ghcr },
      ],
    },
  });
}
