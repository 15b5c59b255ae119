// The benchmark platform written with our constructs, as a platform team would write it: one chart per organization.
import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BuildServiceAccount, DataPlane, DataPlaneApi, NamespaceSelection, OpenChoreoNames, RegistryCredentials, RegistryPurpose,
  RegistrySecret, ReplicatedPullSecret, SealingKey, SealingSeed, SecretDelivery, SecretValue,
} from '../src';
import {
  DeliveryKind, EnvSpec, Inventory, Layout, NAMES, OrgSpec, orgPullSecretName, registryHost, RegistryKind, tenantNamespace,
} from './spec';

/**
 * Adds the whole platform to `app`.
 *
 * @param certificatePem the Sealed Secrets controller certificate the sealed pull secrets are sealed with
 */
export function buildPlatform(app: App, inventory: Inventory, certificatePem: string, layout: Layout): void {
  const deliveries = new Deliveries(certificatePem);
  const single = layout === 'one-chart' ? new Chart(app, 'platform') : undefined;
  for (const org of inventory.orgs) {
    buildOrganization(single ? new Construct(single, org.name) : new Chart(app, org.name), org, deliveries);
  }
}

/** The three deliveries, made once: the sealing key parses its certificate only once. */
class Deliveries {
  private readonly byKind: { [kind in DeliveryKind]: SecretDelivery };

  constructor(certificatePem: string) {
    const sealingKey = SealingKey.fromCertificate(certificatePem, { deterministicSeed: SealingSeed.fromString(NAMES.sealingSeed) });
    this.byKind = {
      plain: SecretDelivery.plainSecret(),
      sealed: SecretDelivery.sealedSecret({ sealingKey }),
      external: SecretDelivery.externalSecret({ store: { name: NAMES.store } }),
    };
  }

  public of(kind: DeliveryKind): SecretDelivery {
    return this.byKind[kind];
  }
}

function buildOrganization(scope: Construct, org: OrgSpec, deliveries: Deliveries): void {
  const tenant = tenantNamespace(org.name);
  const push = new RegistrySecret(scope, 'Push', {
    name: NAMES.pushSecret,
    namespace: tenant,
    purpose: RegistryPurpose.PUSH,
    credentials: [RegistryCredentials.quayRobot(`${org.name}+builder`, SecretValue.fromExternalSecret(`registries/${org.name}/push`, { property: 'token' }))],
    delivery: deliveries.of('external'),
    labels: BuildServiceAccount.commonSecretLabels(),
  });

  const pull = new ReplicatedPullSecret(scope, 'Pull', {
    name: orgPullSecretName(org.name),
    namespace: NAMES.sourceNamespace,
    credentials: [credentials(org.registry, org.pullUsername, SecretValue.fromExternalSecret(`registries/${org.name}/pull`, { property: 'token' }))],
    delivery: deliveries.of('external'),
    targets: targets(org),
  });

  new DataPlane(scope, 'DataPlane', {
    api: DataPlaneApi.V1ALPHA1_PULL,
    name: `${org.name}-dataplane`,
    organization: org.name,
    kubernetesCluster: {
      name: `${org.name}-cluster`,
      credentials: {
        apiServerUrl: `https://${org.name}.clusters.example.com:6443`,
        caCert: NAMES.fakeCert,
        clientCert: NAMES.fakeCert,
        clientKey: SecretValue.unsafePlainText(NAMES.fakeKey),
      },
    },
    gateway: { publicVirtualHost: `${org.name}.apis.example.com`, organizationVirtualHost: `${org.name}.apis.internal` },
    pullRegistry: {
      prefix: `${registryHost(org.registry)}/${org.name}`,
      secret: pull,
      // The platform labels its data-plane namespaces with the organization (the label-selected replication uses it).
      dataPlaneNamespaceLabels: { [NAMES.organizationLabel]: org.name },
    },
  });

  for (const project of org.projects) {
    BuildServiceAccount.forComponent(scope, `${project.name}-build`, { component: project.name, namespace: tenant, secrets: [push] });
    for (const env of project.envs) {
      new RegistrySecret(scope, `${project.name}-${env.name}`, {
        name: NAMES.envPullSecret,
        namespace: OpenChoreoNames.dataPlaneNamespace(org.name, project.name, env.name),
        credentials: [credentials(org.registry, env.username, envPassword(env))],
        delivery: deliveries.of(env.delivery),
      });
    }
  }
}

function targets(org: OrgSpec): NamespaceSelection {
  const pattern = `dp-${org.name}-.*`;
  switch (org.replication) {
    case 'mittwald':
      return NamespaceSelection.mittwaldReplicateTo(pattern);
    case 'reflector':
      return NamespaceSelection.reflectorAuto({ allowedNamespaces: pattern, autoNamespaces: pattern });
    default:
      return NamespaceSelection.labelSelectors([`${NAMES.organizationLabel}=${org.name}`]);
  }
}

function credentials(kind: RegistryKind, username: string, password: SecretValue): RegistryCredentials {
  switch (kind) {
    case 'ghcr': return RegistryCredentials.githubToken(username, password);
    case 'quay': return RegistryCredentials.quayRobot(username, password);
    case 'dockerhub': return RegistryCredentials.dockerHubToken(username, password);
    default: return RegistryCredentials.basic(NAMES.privateRegistry, username, password);
  }
}

function envPassword(env: EnvSpec): SecretValue {
  return env.delivery === 'external'
    ? SecretValue.fromExternalSecret(env.storeKey, { property: 'password' })
    : SecretValue.unsafePlainText(env.password);
}
