import { ApiObject, App, Chart } from 'cdk8s';
import {
  ComponentTypePullSecret,
  DataPlane,
  DataPlaneApi,
  DataPlaneClientCa,
  OpenChoreoReleaseLine,
  RegistryCredentials,
  SecretReference,
  SecretReferencePlaneKind,
  SecretValue,
} from '../src';

/**
 * The CRDs of this example: the latest DataPlane (under `test/fixtures/reference/`) and ClusterComponentType (not in
 * the shared reference yet, under `test/fixtures/upstream/`).
 */
export const crdFiles = {
  'openchoreo.dev/v1alpha1/DataPlane': 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2026-05-26_latest.yaml',
  'openchoreo.dev/v1alpha1/ClusterComponentType': '../upstream/openchoreo/clustercomponenttypes.openchoreo.dev_v1alpha1_2026-07-07_latest.yaml',
};

/** The primary workload of the `deployment/service` ClusterComponentType, reduced to what matters here. */
const SERVICE_TYPE = {
  workloadType: 'deployment',
  resources: [{
    id: 'deployment',
    template: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: '${metadata.name}', namespace: '${metadata.namespace}' },
      spec: {
        selector: { matchLabels: { app: '${metadata.name}' } },
        template: {
          metadata: { labels: { app: '${metadata.name}' } },
          spec: { containers: [{ name: 'main', image: '${workload.container.image}' }] },
        },
      },
    },
  }],
};

/**
 * S10, OpenChoreo v1.x: the DataPlane of today (cluster agent with `clientCA.secretKeyRef`, `planeID`,
 * `secretStoreRef`, no registry field) and the documented private-registry recipe applied to a ClusterComponentType:
 * a resource that renders the ExternalSecret `registry-pull-secret` in each workload namespace from
 * `${dataplane.secretStore}` (its template builds `.dockerconfigjson` with `auth` from the stored token), plus
 * `imagePullSecrets` in the Deployment template. A `SecretReference` with `targetPlane` names the whole Docker config
 * `registry-credentials` that was pushed to the default DataPlane's store (a SecretReference copies store values key by
 * key, so it takes a complete `.dockerconfigjson`).
 *
 * `pull.secretName` and `pull.registries` say which pull secret and registries workloads of the type get.
 *
 * @see https://openchoreo.dev/docs/tutorials/deploy-prebuilt-image/#deploy-from-a-private-registry
 */
export function build(app: App): void {
  const controlPlane = new Chart(app, 'openchoreo-v1-pull', { namespace: 'default' });
  new DataPlane(controlPlane, 'DataPlane', {
    api: DataPlaneApi.V1ALPHA1_V1,
    name: 'default',
    organization: 'default',
    planeId: 'default',
    clusterAgent: { clientCa: DataPlaneClientCa.fromSecret('cluster-agent-ca', 'ca.crt') },
    secretStore: 'default',
  });

  const ghcr = RegistryCredentials.basic('ghcr.io', 'acme-bot', SecretValue.fromExternalSecret('ghcr-pull-token', { property: 'value' }));
  new SecretReference(controlPlane, 'GhcrToken', {
    release: OpenChoreoReleaseLine.V1,
    name: 'ghcr-pull-config',
    credentials: RegistryCredentials.dockerConfigJson(
      SecretValue.fromExternalSecret('registry-credentials', { property: 'value' }), { registry: 'ghcr.io' }),
    targetPlane: { kind: SecretReferencePlaneKind.DATA_PLANE, name: 'default' },
  });

  const pull = ComponentTypePullSecret.fromCredentials([ghcr]);
  const componentTypes = new Chart(app, 'openchoreo-v1-component-types');
  new ApiObject(componentTypes, 'ServiceType', {
    apiVersion: 'openchoreo.dev/v1alpha1',
    kind: 'ClusterComponentType',
    metadata: { name: 'service' },
    spec: pull.applyTo(SERVICE_TYPE),
  });
}
