import { App, Chart } from 'cdk8s';
import {
  DataPlane,
  DataPlaneApi,
  DataPlaneClientCa,
  OpenChoreoReleaseLine,
  RegistryCredentials,
  SecretReference,
  SecretValue,
} from '../src';

/** The CRD this example's DataPlane is written for: OpenChoreo v0.17.0 (path under `test/fixtures/reference/`). */
export const crdFiles = {
  'openchoreo.dev/v1alpha1/DataPlane': 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2026-03-03_imagePullSecretRefs-v0.17.0.yaml',
};

/**
 * S9, OpenChoreo v0.4 to v0.17: a `SecretReference` of type `kubernetes.io/dockerconfigjson` whose `.dockerconfigjson`
 * is read whole from the data plane's External Secrets store (a SecretReference has no template, so the store holds
 * the complete Docker config, `auth` included), named in the DataPlane's `spec.imagePullSecretRefs` next to
 * `spec.secretStoreRef`. The DataPlane has the v0.17 shape: cluster agent (`clientCA.secretRef`), `planeID`.
 *
 * The binding controllers of v0.4 to v0.7 rendered one ExternalSecret per reference into each `dp-…` namespace,
 * named `GenerateK8sName(<binding>, <SecretReference>)`; `dataPlane.imagePullSecretPreview(project, environment,
 * binding)` lists them. From v0.8 the field is kept but unused: add `ComponentTypePullSecret` to your ComponentTypes.
 *
 * @see https://github.com/openchoreo/openchoreo/blob/v0.17.0/config/crd/bases/openchoreo.dev_dataplanes.yaml
 */
export function build(app: App): void {
  const chart = new Chart(app, 'openchoreo-v0-17-pull', { namespace: 'default' });
  const ghcrPull = new SecretReference(chart, 'GhcrPull', {
    release: OpenChoreoReleaseLine.V0_17,
    name: 'ghcr-pull',
    credentials: RegistryCredentials.dockerConfigJson(
      SecretValue.fromExternalSecret('registry-credentials', { property: 'value' }), { registry: 'ghcr.io' }),
  });
  new DataPlane(chart, 'DataPlane', {
    api: DataPlaneApi.V1ALPHA1_V0_17,
    name: 'default',
    organization: 'default',
    planeId: 'default',
    clusterAgent: { clientCa: DataPlaneClientCa.fromSecret('cluster-agent-ca', 'ca.crt') },
    secretStore: 'default',
    imagePullSecretRefs: [ghcrPull],
  });
}
