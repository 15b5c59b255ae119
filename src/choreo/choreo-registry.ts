import { Construct } from 'constructs';
import { ArgoCdOptions } from '../argocd';
import { RegistryAuthType, RegistryCredentials } from '../credentials/registry-credentials';
import { SecretDelivery } from '../delivery/secret-delivery';
import { dnsNameFromId } from '../dns-name';
import { ValidationError } from '../errors';
import { checkProps } from '../props-check';
import { IRegistrySecret, RegistrySecret } from '../registry-secret';

/**
 * The authentication type a Choreo container registry is registered with (Choreo Console → Credentials → Container
 * Registries → Authentication Type).
 *
 * @see https://wso2.com/choreo/docs/platform-engineer/infrastructure/credentials/use-your-own-container-registry/#authentication-types
 */
export enum ChoreoAuthType {
  /** Public (anonymous) access: only the registry host. */
  PUBLIC = 'public',
  /** Username and password (or a token used as the password): basic, GAR `_json_key`, ACR service principal, GHCR PAT, Docker Hub access token. */
  BASIC = 'basic',
  /** A Docker config JSON with exactly one registry under `auths` and no credential helpers. */
  DOCKER_CONFIG = 'docker-config',
  /** Vendor-specific: the private data plane's cloud identity pulls (ACR on AKS, GAR on GKE, ECR on EKS). */
  VENDOR_SPECIFIC = 'vendor-specific',
}

/** Properties of a `ChoreoRegistry`. */
export interface ChoreoRegistryProps {
  /**
   * How the registry is authenticated, in one of the ways Choreo's bring-your-own-image guide recommends:
   * `RegistryCredentials.anonymous` (public), `basic`, `dockerConfigJson` (one registry, no helpers),
   * `azureServicePrincipal` (ACR), `googleServiceAccountKey` (GAR `_json_key`), `fromTokenGenerator(TokenGenerator.ecr)`
   * or `vendorManaged` (ECR and the others on the node's identity), `dockerHubToken`, `githubToken` (GHCR PAT).
   */
  readonly credentials: RegistryCredentials;

  /**
   * The name of the pull secret, when the credentials need one.
   *
   * @default - the construct id in DNS-1123 form (`GhcrPull` → `ghcr-pull`)
   */
  readonly name?: string;

  /**
   * The namespace of the pull secret: the data-plane namespace of the components that pull from the registry.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * How the pull secret reaches the cluster.
   *
   * @default - inferred from the credentials' values, as `RegistrySecret` does
   */
  readonly delivery?: SecretDelivery;

  /**
   * Argo CD sync settings of the pull secret.
   *
   * @default - as `RegistrySecret`: sync wave -1
   */
  readonly argoCd?: ArgoCdOptions;
}

/**
 * A container registry registered for Choreo's "bring your own image" components on a private data plane: the
 * registry host plus one of Choreo's authentication types. Registries with credentials get a `kubernetes.io/
 * dockerconfigjson` pull secret (a `RegistrySecret`); public and vendor-specific registries need none and are only
 * declared, so that the components' pull checks know their images are reachable.
 *
 * @see https://wso2.com/choreo/docs/platform-engineer/infrastructure/credentials/use-your-own-container-registry/#register-a-container-registry
 * @see https://wso2.com/choreo/docs/develop-components/bring-your-own-image/#step-1-register-a-container-registry
 */
export class ChoreoRegistry extends Construct {
  /** The credentials the registry was registered with. */
  public readonly credentials: RegistryCredentials;
  /** The registry host (or `auths` key). */
  public readonly registry: string;
  /** Choreo's name for the authentication type. */
  public readonly authType: ChoreoAuthType;
  /**
   * The pull secret components attach as `dockerRegistryAuth`.
   *
   * @default - none for public and vendor-specific registries
   */
  public readonly pullSecret?: IRegistrySecret;

  constructor(scope: Construct, id: string, rawProps: ChoreoRegistryProps) {
    super(scope, id);
    const props = checkProps(this, rawProps, 'ChoreoRegistryProps');
    rejectStaticEcrPassword(this, props.credentials);
    this.credentials = props.credentials;
    this.registry = props.credentials.registry;
    this.authType = choreoAuthTypeOf(props.credentials.authType);
    if (!props.credentials.requiresSecret) {
      rejectSecretOptions(this, props);
    } else {
      this.pullSecret = new RegistrySecret(this, 'PullSecret', {
        name: props.name ?? dnsNameFromId(id),
        namespace: props.namespace,
        credentials: [props.credentials],
        delivery: props.delivery,
        argoCd: props.argoCd,
      });
    }
  }
}

const ECR_HOST = /\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

function choreoAuthTypeOf(authType: RegistryAuthType): ChoreoAuthType {
  switch (authType) {
    case RegistryAuthType.ANONYMOUS:
      return ChoreoAuthType.PUBLIC;
    case RegistryAuthType.DOCKER_CONFIG:
      return ChoreoAuthType.DOCKER_CONFIG;
    case RegistryAuthType.VENDOR_MANAGED:
      return ChoreoAuthType.VENDOR_SPECIFIC;
    default:
      return ChoreoAuthType.BASIC;
  }
}

function rejectSecretOptions(scope: Construct, props: ChoreoRegistryProps): void {
  const given = (['name', 'namespace', 'delivery', 'argoCd'] as const).filter(option => props[option] !== undefined);
  if (given.length > 0) {
    throw new ValidationError({
      scope,
      property: given[0],
      value: `${props.credentials.authType} ${props.credentials.registry}`,
      problem: 'configures a pull secret, but public and vendor-specific registries have none',
      fix: `remove ${given.map(option => `"${option}"`).join(', ')}`,
    });
  }
}

// A static ECR password is an authorization token that expires after 12 hours: the pull secret would go stale.
function rejectStaticEcrPassword(scope: Construct, credentials: RegistryCredentials): void {
  const staticSecret = credentials.authType === RegistryAuthType.BASIC || credentials.authType === RegistryAuthType.DOCKER_CONFIG;
  if (staticSecret && ECR_HOST.test(credentials.registry)) {
    throw new ValidationError({
      scope,
      property: 'credentials',
      value: `${credentials.authType} ${credentials.registry}`,
      problem: 'is a static ECR password, but ECR authorization tokens expire after 12 hours and the pull secret would go stale',
      fix: 'use RegistryCredentials.fromTokenGenerator(registry, TokenGenerator.ecr({ region, ... })) to refresh the token in the cluster, '
        + 'or RegistryCredentials.vendorManaged(registry, CloudVendor.AWS) when the EKS nodes can pull from ECR',
    });
  }
}
