import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BuildServiceAccount,
  DataPlane,
  DataPlaneApi,
  KubernetesReplicatorApplication,
  OpenChoreoNames,
  RegistryCredentials,
  RegistryPurpose,
  RegistrySecret,
  ReplicatedPullSecret,
  SecretDelivery,
  SecretValue,
} from '../src';

/** The CRD the DataPlanes are written for: the released `openchoreo.dev/v1alpha1` v0.3 shape. */
export const crdFiles = {
  'openchoreo.dev/v1alpha1/DataPlane': 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2025-07-11_pull-registry.yaml',
};

const FAKE_PEM = Buffer.from('-----BEGIN CERTIFICATE-----\nFAKE-EXAMPLE\n-----END CERTIFICATE-----\n').toString('base64');
const ORGANIZATION = 'acme';
const STORE = { name: 'platform-secrets' };

/**
 * Many clusters: one platform, four clusters, one cdk8s `App` per cluster, each synthesized into its own folder
 * (`dist/<cluster>/`), so that Argo CD points one Application (or an ApplicationSet git-directory generator) at each.
 *
 * - Two OpenChoreo data-plane clusters (`data-plane-eu`, `data-plane-us`): each installs the mittwald replicator once,
 *   holds the pull secret `registry-pull` (the same name in both clusters, which is fine: they are different Apps) in
 *   `choreo-system`, replicated into every `dp-…` namespace, and runs a workload in one of those namespaces that
 *   pulls with the replicated copy.
 * - The OpenChoreo control-plane cluster: a DataPlane for each data-plane cluster, naming that cluster's pull secret.
 *   The reference crosses Apps, and the DataPlane checks that the secret reaches the `dp-…` namespaces of its
 *   organization.
 * - A Konflux cluster: the build pipeline's push secret, checked against the component's output image.
 *
 * Every App checks itself at synth: one object per name, pull coverage of every workload, push coverage.
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/applicationset/Generators-Git/#git-generator-directories
 */
export function clusters(outdir: string): App[] {
  const cluster = (name: string) => new App({ outdir: path.join(outdir, name) });
  const eu = cluster('data-plane-eu');
  const us = cluster('data-plane-us');
  const controlPlane = cluster('control-plane');
  const konflux = cluster('konflux');

  const dataPlanes = [dataPlaneCluster(eu, 'eu'), dataPlaneCluster(us, 'us')];
  const chart = new Chart(controlPlane, 'openchoreo-control-plane');
  for (const { region, pullSecret } of dataPlanes) {
    new DataPlane(chart, `DataPlane-${region}`, {
      api: DataPlaneApi.V1ALPHA1_PULL,
      name: `${region}-dataplane`,
      organization: ORGANIZATION,
      kubernetesCluster: {
        name: `data-plane-${region}`,
        credentials: {
          apiServerUrl: `https://data-plane-${region}.example.com:6443`,
          caCert: FAKE_PEM,
          clientCert: FAKE_PEM,
          clientKey: SecretValue.unsafePlainText(FAKE_PEM),
        },
      },
      gateway: { publicVirtualHost: `apis.${region}.example.com`, organizationVirtualHost: `apis.${region}.internal` },
      pullRegistry: { prefix: 'docker.io/acme', secret: pullSecret },
    });
  }

  konfluxCluster(konflux);
  return [eu, us, controlPlane, konflux];
}

/** A data-plane cluster: the replicator (once), the replicated pull secret, and a workload that pulls with it. */
function dataPlaneCluster(app: App, region: string): { region: string; pullSecret: ReplicatedPullSecret } {
  const platform = new Chart(app, `platform-${region}`);
  new KubernetesReplicatorApplication(platform, 'Replicator');
  const pullSecret = new ReplicatedPullSecret(platform, 'RegistryPull', {
    name: 'registry-pull',
    credentials: [
      RegistryCredentials.dockerHubToken('acme-deploy', SecretValue.fromExternalSecret(`openchoreo/${region}/dockerhub-pull`, { property: 'token' })),
    ],
    delivery: SecretDelivery.externalSecret({ store: STORE }),
  });

  // A workload in a data-plane namespace (here a status page the platform team runs next to the tenants' services):
  // it names the replicated copy, and the app's pull check knows the copy is there and covers the image.
  const namespace = OpenChoreoNames.dataPlaneNamespace(ORGANIZATION, 'status', 'production');
  const workloads = new Chart(app, `workloads-${region}`, { namespace });
  new kplus.Deployment(workloads, 'StatusPage', {
    dockerRegistryAuth: kplus.Secret.fromSecretName(workloads, 'RegistryPullCopy', pullSecret.name),
    containers: [{ image: 'docker.io/acme/status-page:2.4.1', portNumber: 8080 }],
  });
  return { region, pullSecret };
}

/** The Konflux cluster: a component's push secret, checked against the image the build pushes. */
function konfluxCluster(app: App): void {
  const chart = new Chart(app, 'konflux-tenant', { namespace: 'acme-tenant' });
  const push = new RegistrySecret(chart, 'RegistryPush', {
    name: 'registry-push',
    purpose: RegistryPurpose.PUSH,
    credentials: [
      RegistryCredentials.quayRobot('acme+konflux_builder', SecretValue.fromExternalSecret('konflux/quay-builder', { property: 'token' })),
    ],
    delivery: SecretDelivery.externalSecret({ store: STORE }),
    labels: BuildServiceAccount.commonSecretLabels(),
  });
  BuildServiceAccount.forComponent(chart, 'StatusPageBuild', {
    component: 'status-page',
    secrets: [push],
    outputImage: 'quay.io/acme/status-page',
  });
}
