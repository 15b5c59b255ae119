import { App, Chart, Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ChoreoComponent,
  ChoreoRegistry,
  CloudVendor,
  ComponentType,
  ImageUpdater,
  ImageUpdaterTarget,
  RegistryCredentials,
  RegistrySecret,
  SecretDelivery,
  SecretValue,
  TokenGenerator,
} from '../src';

/**
 * Choreo "bring your own image" on a private data plane: one registry per Choreo authentication type, the four
 * component types that run a prebuilt image, and Argo CD Image Updater to roll out new tags without manual deploys.
 *
 * GitOps-safe: External Secrets reads every credential from the ClusterSecretStore `vault` or mints it in the cluster
 * (ECR); the YAML holds no secret material. Every component's image is checked against its registry's credentials
 * at synth, the way the kubelet matches them.
 */
export function build(app: App): void {
  const registries = new Chart(app, 'choreo-byoi-registries', { namespace: 'acme-shop' });
  const fromVault = SecretDelivery.externalSecret({ store: { name: 'vault' } });

  // Public (anonymous) access: only the registry host, no secret.
  const dockerHubPublic = new ChoreoRegistry(registries, 'DockerHubPublic', {
    credentials: RegistryCredentials.anonymous('registry.hub.docker.com'),
  });
  // Basic authentication.
  new ChoreoRegistry(registries, 'AcmeRegistry', {
    credentials: RegistryCredentials.basic('registry.acme.example', 'choreo-pull',
      SecretValue.fromExternalSecret('choreo/acme-registry', { property: 'password' })),
    delivery: fromVault,
  });
  // Docker config: exactly one registry under `auths`, credentials inline, no helpers.
  new ChoreoRegistry(registries, 'GitlabConfig', {
    credentials: RegistryCredentials.dockerConfigJson(SecretValue.fromExternalSecret('choreo/gitlab-docker-config'),
      { registry: 'registry.gitlab.com' }),
    delivery: fromVault,
  });
  // ACR: service principal (application id + client secret).
  const acr = new ChoreoRegistry(registries, 'AcrPull', {
    credentials: RegistryCredentials.azureServicePrincipal('acmeshop.azurecr.io', '00000000-1111-2222-3333-444444444444',
      SecretValue.fromExternalSecret('choreo/acr-service-principal', { property: 'clientSecret' })),
    delivery: fromVault,
  });
  // GAR: service-account key, username `_json_key`.
  new ChoreoRegistry(registries, 'GarPull', {
    credentials: RegistryCredentials.googleServiceAccountKey('europe-west1-docker.pkg.dev',
      SecretValue.fromExternalSecret('choreo/gar-service-account-key')),
    delivery: fromVault,
  });
  // ECR: tokens expire after 12 hours, so External Secrets mints them with the IRSA role of `ecr-token-minter` ...
  new kplus.ServiceAccount(registries, 'EcrTokenMinter', {
    metadata: {
      name: 'ecr-token-minter',
      annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/acme-shop-ecr-read' },
    },
  });
  const ecr = new ChoreoRegistry(registries, 'EcrPull', {
    credentials: RegistryCredentials.fromTokenGenerator('123456789012.dkr.ecr.eu-west-1.amazonaws.com',
      TokenGenerator.ecr({ region: 'eu-west-1', serviceAccount: { name: 'ecr-token-minter' } })),
  });
  // ... or the EKS nodes' own identity pulls (vendor-specific: no secret).
  new ChoreoRegistry(registries, 'EcrNodeIdentity', {
    credentials: RegistryCredentials.vendorManaged('210987654321.dkr.ecr.us-east-1.amazonaws.com', CloudVendor.AWS),
  });
  // Docker Hub (private): an access token, under the key https://index.docker.io/v1/.
  new ChoreoRegistry(registries, 'DockerHubPrivate', {
    credentials: RegistryCredentials.dockerHubToken('acmeshop',
      SecretValue.fromExternalSecret('choreo/docker-hub', { property: 'token' })),
    delivery: fromVault,
  });
  // GHCR: a personal access token (classic, read:packages).
  const ghcr = new ChoreoRegistry(registries, 'GhcrPull', {
    credentials: RegistryCredentials.githubToken('acme-bot',
      SecretValue.fromExternalSecret('choreo/ghcr', { property: 'token' })),
    delivery: fromVault,
  });

  const components = new Chart(app, 'choreo-byoi-components', { namespace: 'acme-shop' });
  const orders = new ChoreoComponent(components, 'Orders', {
    type: ComponentType.SERVICE,
    image: 'ghcr.io/acme/orders:1.4.2',
    registry: ghcr,
    port: 8080,
  });
  const storefront = new ChoreoComponent(components, 'Storefront', {
    type: ComponentType.WEB_APPLICATION,
    image: 'registry.hub.docker.com/library/nginx:1.25',
    registry: dockerHubPublic,
    port: 80,
    // The official nginx image starts as root and writes its cache: relax the cdk8s-plus defaults for it.
    container: { securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false } },
    securityContext: { ensureNonRoot: false },
  });
  new ChoreoComponent(components, 'NightlyReport', {
    type: ComponentType.SCHEDULED_TASK,
    image: 'acmeshop.azurecr.io/jobs/report:2.0.1',
    registry: acr,
    schedule: Cron.schedule({ minute: '0', hour: '2' }),
  });
  new ChoreoComponent(components, 'DbMigrate', {
    type: ComponentType.MANUAL_TASK,
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/db-migrate:3.2.0',
    registry: ecr,
  });

  // New tags without manual deploys: Image Updater lives next to the Argo CD Applications and reads tags with a pull
  // secret in its own namespace.
  const imageUpdates = new Chart(app, 'choreo-byoi-image-updater', { namespace: 'argocd' });
  const ghcrTags = new RegistrySecret(imageUpdates, 'GhcrTags', { credentials: [ghcr.credentials], delivery: fromVault });
  new ImageUpdater(imageUpdates, 'AcmeShop', {
    applicationName: 'acme-shop',
    images: [
      {
        alias: 'orders',
        image: orders.image,
        versionConstraint: '1.x',
        pullSecret: ghcrTags,
        target: ImageUpdaterTarget.pluginImageSpec('ORDERS_IMAGE'),
      },
      {
        alias: 'storefront',
        image: storefront.image,
        versionConstraint: '1.25.x',
        target: ImageUpdaterTarget.pluginImageSpec('STOREFRONT_IMAGE'),
      },
    ],
  });
}
