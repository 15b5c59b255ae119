import { App, Chart } from 'cdk8s';
import {
  DataPlane,
  DataPlaneApi,
  DataPlaneProps,
  KubernetesReplicatorApplication,
  RegistryCredentials,
  ReplicatedPullSecret,
  SecretDelivery,
  SecretValue,
} from '../src';

const FAKE_CERT = Buffer.from('-----BEGIN CERTIFICATE-----\nFAKE-EXAMPLE\n-----END CERTIFICATE-----\n').toString('base64');
const FAKE_KEY = Buffer.from('-----BEGIN EC PRIVATE KEY-----\nFAKE-EXAMPLE\n-----END EC PRIVATE KEY-----\n').toString('base64');

/**
 * The CRDs this example's DataPlanes are written for: the proposal's `core.choreo.dev/v1` shape (PR #249) and the
 * released `openchoreo.dev/v1alpha1` v0.3 shape (paths under `test/fixtures/reference/`).
 */
export const crdFiles = {
  'core.choreo.dev/v1/DataPlane': 'openchoreo/dataplanes.core.choreo.dev_v1_2025-07-03_pull-registry_pr249-unmerged.yaml',
  'openchoreo.dev/v1alpha1/DataPlane': 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2025-07-11_pull-registry.yaml',
};

/**
 * S3, OpenChoreo external pull registry (proposal 0246): mittwald kubernetes-replicator installed by Argo CD, one
 * pull secret in `choreo-system` annotated `replicator.v1.mittwald.de/replicate-to: "dp-.*"` so that every data-plane
 * namespace gets a copy (also namespaces created later), and the DataPlane's `registry.prefix` + `registry.secretRef`
 * in both shapes: the proposal's `core.choreo.dev/v1` and the released `openchoreo.dev/v1alpha1` (v0.3).
 *
 * The pull secret is an ExternalSecret, so no credential is in Git; the replication annotations are in its
 * `spec.target.template.metadata`, so they land on the Secret the replicator watches.
 *
 * @see https://github.com/openchoreo/openchoreo/pull/252
 */
export function build(app: App): void {
  const dataPlaneCluster = new Chart(app, 'openchoreo-external-pull-data-plane');
  new KubernetesReplicatorApplication(dataPlaneCluster, 'Replicator');
  const pullSecret = new ReplicatedPullSecret(dataPlaneCluster, 'DockerHubPull', {
    name: 'dockerhub-pull-secret',
    credentials: [
      RegistryCredentials.dockerHubToken('acme-deploy', SecretValue.fromExternalSecret('openchoreo/dockerhub-pull', { property: 'token' })),
    ],
    delivery: SecretDelivery.externalSecret({ store: { name: 'platform-secrets' } }),
  });

  const dataPlane = (api: DataPlaneApi): DataPlaneProps => ({
    api,
    name: 'example-dataplane',
    organization: 'default-org',
    kubernetesCluster: {
      name: 'test-cluster',
      credentials: {
        apiServerUrl: 'https://api.example-cluster',
        caCert: FAKE_CERT,
        clientCert: FAKE_CERT,
        clientKey: SecretValue.unsafePlainText(FAKE_KEY),
      },
    },
    gateway: { publicVirtualHost: 'choreoapis.localhost', organizationVirtualHost: 'choreoapis.internal' },
    pullRegistry: { prefix: 'docker.io/acme', secret: pullSecret },
  });
  new DataPlane(new Chart(app, 'openchoreo-external-pull-proposal'), 'DataPlane', dataPlane(DataPlaneApi.CORE_V1_PULL_PROPOSAL));
  new DataPlane(new Chart(app, 'openchoreo-external-pull-v0-3'), 'DataPlane', dataPlane(DataPlaneApi.V1ALPHA1_PULL));
}
