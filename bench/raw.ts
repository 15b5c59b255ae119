// The same platform as platform.ts, written as raw cdk8s ApiObjects the way a team without the library would: object
// literals, a hand-written docker config and External Secrets template, no validation. It must synthesize the same
// YAML bytes as our constructs (the bench compares them and prints same_yaml). Sealed values cannot be computed here
// without a sealing library: they are precomputed (see sealedCiphertexts in run.ts) and embedded, as a team pasting
// `kubeseal` output into its code would.
import { createHash } from 'crypto';
import { ApiObject, App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  EnvSpec, Inventory, Layout, NAMES, OrgSpec, orgPullSecretName, registryHost, RegistryKind, tenantNamespace,
} from './spec';

const PURPOSE = 'cdk8s-registries/purpose';
const REGISTRIES = 'cdk8s-registries/registries';
const WAVE = 'argocd.argoproj.io/sync-wave';
const SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
const SKIP_DRY_RUN = 'SkipDryRunOnMissingResource=true';
const DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';
const MITTWALD = 'replicator.v1.mittwald.de/';
const REFLECTOR = 'reflector.v1.k8s.emberstack.com/';

/** Sealed `.dockerconfigjson` values by `namespace/name`. */
export type SealedCiphertexts = Map<string, string>;

/** Adds the whole platform to `app` as raw ApiObjects. */
export function buildRawPlatform(app: App, inventory: Inventory, sealed: SealedCiphertexts, layout: Layout): void {
  const single = layout === 'one-chart' ? new Chart(app, 'platform') : undefined;
  for (const org of inventory.orgs) {
    buildOrganization(single ? new Construct(single, org.name) : new Chart(app, org.name), org, sealed);
  }
}

/** The auths key written for a registry (Docker Hub is keyed by its v1 URL, which the kubelet matches). */
export function authsKey(kind: RegistryKind): string {
  return kind === 'dockerhub' ? 'https://index.docker.io/v1/' : registryHost(kind);
}

/** The plain `.dockerconfigjson`, as `kubectl create secret docker-registry` writes it. */
export function dockerConfigJson(registry: string, username: string, password: string): string {
  const auth = Buffer.from(`${username}:${password}`).toString('base64');
  return JSON.stringify({ auths: { [registry]: { username, password, auth } } });
}

/** OpenChoreo's data-plane namespace for short lowercase names: `dp-<org>-<project>-<env>-<sha256[:8]>`. */
export function dataPlaneNamespace(org: string, project: string, env: string): string {
  const joined = `dp-${org}-${project}-${env}`;
  return `${joined}-${createHash('sha256').update(joined).digest('hex').slice(0, 8)}`;
}

function buildOrganization(scope: Construct, org: OrgSpec, sealed: SealedCiphertexts): void {
  const tenant = tenantNamespace(org.name);
  const pushLabels = {
    'build.appstudio.openshift.io/common-secret': 'true',
    'build.konflux-ci.dev/common-secret': 'true',
    [PURPOSE]: 'push',
  };
  new ApiObject(scope, 'push', externalSecret({
    name: NAMES.pushSecret,
    namespace: tenant,
    labels: pushLabels,
    annotations: {},
    registry: 'quay.io',
    username: `${org.name}+builder`,
    storeKey: `registries/${org.name}/push`,
    property: 'token',
  }));

  const pullName = orgPullSecretName(org.name);
  const pullSpec = externalSecret({
    name: pullName,
    namespace: NAMES.sourceNamespace,
    labels: { [PURPOSE]: 'pull' },
    annotations: replicationAnnotations(org),
    registry: authsKey(org.registry),
    username: org.pullUsername,
    storeKey: `registries/${org.name}/pull`,
    property: 'token',
  });
  new ApiObject(scope, 'pull', pullSpec);
  if (org.replication === 'external-secrets') {
    new ApiObject(scope, 'pull-cluster', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterExternalSecret',
      metadata: { name: pullName, labels: { [PURPOSE]: 'pull' }, annotations: { [SYNC_OPTIONS]: SKIP_DRY_RUN, [WAVE]: '-1' } },
      spec: {
        externalSecretName: pullName,
        namespaceSelectors: [{ matchLabels: { [NAMES.organizationLabel]: org.name } }],
        externalSecretSpec: pullSpec.spec,
      },
    });
  }

  new ApiObject(scope, 'dataplane', {
    apiVersion: 'openchoreo.dev/v1alpha1',
    kind: 'DataPlane',
    metadata: {
      name: `${org.name}-dataplane`,
      namespace: org.name,
      labels: { 'openchoreo.dev/name': `${org.name}-dataplane`, 'openchoreo.dev/organization': org.name },
      annotations: { [SYNC_OPTIONS]: SKIP_DRY_RUN, [WAVE]: '0' },
    },
    spec: {
      registry: { prefix: `${registryHost(org.registry)}/${org.name}`, secretRef: pullName },
      kubernetesCluster: {
        name: `${org.name}-cluster`,
        credentials: {
          apiServerURL: `https://${org.name}.clusters.example.com:6443`,
          caCert: NAMES.fakeCert,
          clientCert: NAMES.fakeCert,
          clientKey: NAMES.fakeKey,
        },
      },
      gateway: { publicVirtualHost: `${org.name}.apis.example.com`, organizationVirtualHost: `${org.name}.apis.internal` },
    },
  });

  for (const project of org.projects) {
    new ApiObject(scope, `${project.name}-build`, {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: `build-pipeline-${project.name}`,
        namespace: tenant,
        annotations: { [SYNC_OPTIONS]: 'Delete=false,Prune=false,ServerSideApply=true', [WAVE]: '0' },
      },
      secrets: [{ name: NAMES.pushSecret }],
    });
    for (const env of project.envs) {
      const namespace = dataPlaneNamespace(org.name, project.name, env.name);
      new ApiObject(scope, `${project.name}-${env.name}`, envPullSecret(org, env, namespace, sealed));
    }
  }
}

function envPullSecret(org: OrgSpec, env: EnvSpec, namespace: string, sealed: SealedCiphertexts): any {
  const name = NAMES.envPullSecret;
  const registry = authsKey(org.registry);
  const labels = { [PURPOSE]: 'pull' };
  switch (env.delivery) {
    case 'plain':
      return {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name, namespace, labels, annotations: { [WAVE]: '-1', [REGISTRIES]: registry } },
        type: DOCKER_CONFIG_JSON,
        data: { '.dockerconfigjson': Buffer.from(dockerConfigJson(registry, env.username, env.password)).toString('base64') },
      };
    case 'sealed':
      return {
        apiVersion: 'bitnami.com/v1alpha1',
        kind: 'SealedSecret',
        metadata: { name, namespace, labels, annotations: { [SYNC_OPTIONS]: SKIP_DRY_RUN, [WAVE]: '-1', [REGISTRIES]: registry } },
        spec: {
          encryptedData: { '.dockerconfigjson': sealed.get(`${namespace}/${name}`) },
          template: { type: DOCKER_CONFIG_JSON, metadata: { labels, annotations: { [REGISTRIES]: registry } } },
        },
      };
    default:
      return externalSecret({
        name, namespace, labels, registry, username: env.username, storeKey: env.storeKey, property: 'password', annotations: {},
      });
  }
}

interface ExternalSecretOptions {
  readonly name: string;
  readonly namespace: string;
  readonly labels: { [key: string]: string };
  readonly annotations: { [key: string]: string };
  readonly registry: string;
  readonly username: string;
  readonly storeKey: string;
  readonly property: string;
}

function externalSecret(o: ExternalSecretOptions): any {
  const user = JSON.stringify(o.username);
  const template = `{"auths":{${JSON.stringify(o.registry)}:{"username":${user},"password":{{ (index . "password0") | toJson }},`
    + `"auth":{{ printf "%s:%s" ${user} (index . "password0") | b64enc | toJson }}}}}`;
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: o.name, namespace: o.namespace, labels: o.labels, annotations: { [SYNC_OPTIONS]: SKIP_DRY_RUN, [WAVE]: '-1' } },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { name: NAMES.store, kind: 'ClusterSecretStore' },
      target: {
        name: o.name,
        creationPolicy: 'Owner',
        template: {
          type: DOCKER_CONFIG_JSON,
          engineVersion: 'v2',
          metadata: { labels: o.labels, annotations: { ...o.annotations, [REGISTRIES]: o.registry } },
          data: { '.dockerconfigjson': template },
        },
      },
      data: [{ secretKey: 'password0', remoteRef: { key: o.storeKey, property: o.property } }],
    },
  };
}

function replicationAnnotations(org: OrgSpec): { [key: string]: string } {
  const pattern = `dp-${org.name}-.*`;
  switch (org.replication) {
    case 'mittwald':
      return { [`${MITTWALD}replicate-to`]: pattern, [`${MITTWALD}strip-labels`]: 'true' };
    case 'reflector':
      return {
        [`${REFLECTOR}reflection-allowed`]: 'true',
        [`${REFLECTOR}reflection-allowed-namespaces`]: pattern,
        [`${REFLECTOR}reflection-auto-enabled`]: 'true',
        [`${REFLECTOR}reflection-auto-namespaces`]: pattern,
      };
    default:
      return {};
  }
}
