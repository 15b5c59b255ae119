import { App, Chart } from 'cdk8s';
import { DataPlane, DataPlaneApi, SecretValue } from '../src';

// Fake kubeconfig `*-data` values. The DataPlane CRD holds the client key itself (it has no secret reference), so a
// real DataPlane must be synthesized from a key read outside Git and kept out of Git.
const FAKE_CERT = Buffer.from('-----BEGIN CERTIFICATE-----\nFAKE-EXAMPLE\n-----END CERTIFICATE-----\n').toString('base64');
const FAKE_KEY = Buffer.from('-----BEGIN EC PRIVATE KEY-----\nFAKE-EXAMPLE\n-----END EC PRIVATE KEY-----\n').toString('base64');

/**
 * S1, OpenChoreo public push registries: a `core.choreo.dev/v1` DataPlane (OpenChoreo v0.2) whose builds push to
 * Docker Hub, GHCR and the built-in registry without credentials.
 *
 * @see https://github.com/openchoreo/openchoreo/blob/4498788f9/docs/configure-registries.md
 */
export function build(app: App): void {
  const chart = new Chart(app, 'openchoreo-public-push');

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
      unauthenticated: ['docker.io/acme', 'ghcr.io/acme', DataPlane.BUILT_IN_REGISTRY],
    },
  });
}
