import { Duration } from 'cdk8s';
import { SecretValue, SecretValueSource } from './secret-value';
import { TokenGenerator } from './token-generator';
import { DOCKER_HUB_KEY } from '../constants';
import { ValidationError } from '../errors';
import { optionalBoolean, optionalInstance, optionalString, readStruct, requireEnumValue, requireInstance, requireString } from '../runtime-checks';
import {
  credentialShapeProblem, refuseCredentialInUsername, refuseCredentialShape, refuseInvisibleCharacters, refuseUnmatchableRegistryKey,
} from '../values/credential-shape';
import { DockerConfig } from '../values/docker-config';

/** How a registry is authenticated. */
export enum RegistryAuthType {
  /** Public registry: no credentials, only the host is declared. */
  ANONYMOUS = 'anonymous',
  /** Username and password (or token used as a password). */
  BASIC = 'basic',
  /** A whole Docker config JSON with exactly one registry (Choreo's "Docker config" type). */
  DOCKER_CONFIG = 'docker-config',
  /** The node's cloud identity pulls (AKS + ACR, GKE + Artifact Registry, EKS + ECR): no Secret. */
  VENDOR_MANAGED = 'vendor-managed',
  /** Google Artifact Registry with a service-account key (`_json_key`). */
  GOOGLE_SERVICE_ACCOUNT_KEY = 'google-service-account-key',
  /** Azure Container Registry with a service principal. */
  AZURE_SERVICE_PRINCIPAL = 'azure-service-principal',
  /** GitHub Container Registry with a personal access token. */
  GITHUB_TOKEN = 'github-token',
  /** Docker Hub with a personal or organization access token. */
  DOCKER_HUB_TOKEN = 'docker-hub-token',
  /** Quay robot account (`organization+robot`). */
  QUAY_ROBOT = 'quay-robot',
  /** Short-lived tokens minted in the cluster by an External Secrets generator. */
  TOKEN_GENERATOR = 'token-generator',
}

/** The cloud whose node identity pulls images for `RegistryCredentials.vendorManaged`. */
export enum CloudVendor {
  /** Azure: AKS attached to ACR (`az aks update --attach-acr`). */
  AZURE = 'azure',
  /** Google Cloud: GKE nodes' service account with Artifact Registry reader. */
  GOOGLE = 'google',
  /** AWS: EKS nodes' instance role with ECR read access. */
  AWS = 'aws',
}

/** Options for basic authentication. */
export interface BasicAuthOptions {
  /**
   * An e-mail address, written to the entry as `kubectl create secret docker-registry --docker-email` does.
   *
   * @default - none
   */
  readonly email?: string;
}

/** Options for a whole Docker config JSON. */
export interface DockerConfigJsonOptions {
  /**
   * The registry the config is for. Required when the config is sealed or external (its content is not known at
   * synth time); when given with a plain-text config it must equal the config's only `auths` key.
   *
   * @default - the only `auths` key of the plain-text config
   */
  readonly registry?: string;
}

/** Options for a Google service-account key. */
export interface GoogleServiceAccountKeyOptions {
  /**
   * Send the key base64-encoded with username `_json_key_base64` instead of raw with `_json_key`.
   *
   * @default false
   */
  readonly base64?: boolean;
}

/** Options for credentials that default to a well-known registry. */
export interface HostedRegistryOptions {
  /**
   * The registry host (a self-hosted instance or a path-scoped key).
   *
   * @default - the vendor's public registry
   */
  readonly registry?: string;
}

/** Options for token-generator credentials. */
export interface TokenGeneratorCredentialsOptions {
  /**
   * How often External Secrets mints a new token. Must be at most half the token's lifetime, so one failed refresh still
   * leaves a valid token.
   *
   * @default - half the token lifetime (ECR 6h, ACR 90m, GCR and Quay 30m)
   */
  readonly refreshInterval?: Duration;
}

/**
 * The parts a delivery needs to render one registry's credentials.
 *
 * @internal
 */
export interface CredentialParts {
  /** A literal username (not secret). */
  readonly username?: string;
  /** The password or token. */
  readonly password?: SecretValue;
  /** Whether the password goes base64-encoded into the entry (`_json_key_base64`). */
  readonly base64Password?: boolean;
  /** An e-mail for the entry. */
  readonly email?: string;
  /** A whole `.dockerconfigjson`. */
  readonly dockerConfig?: SecretValue;
  /** A generator that mints the credential in the cluster. */
  readonly generator?: TokenGenerator;
  /** How often the generator runs. */
  readonly refreshInterval?: Duration;
}

const ACR_HOST = /^[a-z0-9]+\.azurecr\.(io|cn|us)$/;
const GAR_HOST = /^([a-z0-9-]+-docker\.pkg\.dev|([a-z]+\.)?gcr\.io)$/;
const ECR_HOST = /^(\d{12})\.dkr\.ecr(-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUAY_ROBOT = /^[a-z0-9][a-z0-9_-]*\+[a-z0-9][a-z0-9_]*$/;
const REGISTRY_KEY = /^(https?:\/\/)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)(:[0-9]+)?(\/[^\s]*)?$/;

/**
 * How a registry is authenticated: one value per registry, built with a static factory for each auth type that
 * Choreo, OpenChoreo and Konflux document. A `RegistrySecret` turns one or more of these into a
 * `kubernetes.io/dockerconfigjson` Secret; anonymous and vendor-managed registries need no Secret but are still declared
 * so that pull checks know the registry is reachable.
 *
 * @see https://wso2.com/choreo/docs/platform-engineer/infrastructure/credentials/use-your-own-container-registry/#authentication-types
 */
export class RegistryCredentials {
  /**
   * A public registry that allows anonymous pulls: only the host is declared (e.g. `registry.hub.docker.com`).
   */
  public static anonymous(registry: string): RegistryCredentials {
    return new RegistryCredentials(RegistryAuthType.ANONYMOUS, checkRegistry(registry), false, {});
  }

  /**
   * Username and password (or an access token used as the password).
   *
   * @param registry the `auths` key: a host (`ghcr.io`, `registry.example.com:5000`), optionally with a path prefix
   */
  public static basic(registry: string, username: string, password: SecretValue, options: BasicAuthOptions = {}): RegistryCredentials {
    const key = checkRegistry(registry);
    checkUsername(username, 'username');
    checkPlainTextNotEmpty(password, 'password');
    const read = readStruct(options, ['email'], { property: 'options' }, true);
    return new RegistryCredentials(RegistryAuthType.BASIC, key, true, {
      username, password, email: checkEmail(read.email),
    });
  }

  /**
   * A whole Docker config JSON, as `docker login` or `podman login` writes it (Choreo's "Docker config" type): exactly
   * one registry under `auths`, credentials inline, no `credHelpers`/`credsStore` (the kubelet never runs helpers).
   * A plain-text config is validated now; a sealed or external one when it is decrypted in the cluster, so give its
   * `registry`.
   */
  public static dockerConfigJson(config: SecretValue, options: DockerConfigJsonOptions = {}): RegistryCredentials {
    requireSecretValue(config, 'config');
    const given = optionalString(readStruct(options, ['registry'], { property: 'options' }, true).registry, { property: 'options.registry' });
    if (given !== undefined) {
      refuseUnmatchableRegistryKey(given, 'registry');
    }
    const registry = config.source === SecretValueSource.PLAIN_TEXT
      ? registryOfPlainConfig(config, given)
      : requireRegistryOption(given);
    return new RegistryCredentials(RegistryAuthType.DOCKER_CONFIG, checkRegistry(registry), true, { dockerConfig: config });
  }

  /**
   * The node's cloud identity pulls from the registry (ACR attached to AKS, Artifact Registry from GKE, ECR from EKS),
   * so no Secret is needed; the registry is declared so that pull checks know it is covered.
   *
   * @see https://learn.microsoft.com/en-us/azure/aks/cluster-container-registry-integration
   * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/ECR_on_EKS.html
   */
  public static vendorManaged(registry: string, vendor: CloudVendor): RegistryCredentials {
    requireString(registry, { property: 'registry' }, REGISTRY_FIX);
    checkVendorHost(registry, requireEnumValue(vendor, CloudVendor as unknown as { [key: string]: CloudVendor }, 'CloudVendor', { property: 'vendor' }));
    return new RegistryCredentials(RegistryAuthType.VENDOR_MANAGED, registry, false, {});
  }

  /**
   * Google Artifact Registry (or GCR) with a service-account key: username `_json_key` and the key JSON as password.
   * A plain-text key must be a service-account key JSON.
   *
   * @param registry e.g. `europe-west1-docker.pkg.dev`
   * @see https://cloud.google.com/artifact-registry/docs/docker/authentication#json-key
   */
  public static googleServiceAccountKey(registry: string, key: SecretValue, options: GoogleServiceAccountKeyOptions = {}): RegistryCredentials {
    requireString(registry, { property: 'registry' }, REGISTRY_FIX);
    checkVendorHost(registry, CloudVendor.GOOGLE);
    checkServiceAccountKey(requireSecretValue(key, 'key'));
    const base64 = optionalBoolean(readStruct(options, ['base64'], { property: 'options' }, true).base64, { property: 'options.base64' });
    return new RegistryCredentials(RegistryAuthType.GOOGLE_SERVICE_ACCOUNT_KEY, registry, true, {
      username: base64 ? '_json_key_base64' : '_json_key',
      password: key,
      base64Password: base64,
    });
  }

  /**
   * Azure Container Registry with a service principal: its application (client) id and a client secret.
   *
   * @param registry e.g. `myregistry.azurecr.io`
   * @see https://learn.microsoft.com/en-us/azure/container-registry/container-registry-auth-service-principal
   */
  public static azureServicePrincipal(registry: string, clientId: string, clientSecret: SecretValue): RegistryCredentials {
    requireString(registry, { property: 'registry' }, REGISTRY_FIX);
    checkVendorHost(registry, CloudVendor.AZURE);
    requireString(clientId, { property: 'clientId' }, 'pass the service principal\'s "appId" GUID');
    if (!GUID.test(clientId)) {
      throw new ValidationError({
        property: 'clientId',
        // A client secret pasted here by mistake is never shown; a GUID-like slip is.
        value: clientId.length <= 40 && credentialShapeProblem(clientId) === undefined ? clientId : undefined,
        problem: 'is not a service principal application (client) id',
        fix: 'use the "appId" GUID printed by `az ad sp create-for-rbac`, not its display name',
      });
    }
    checkPlainTextNotEmpty(clientSecret, 'clientSecret');
    return new RegistryCredentials(RegistryAuthType.AZURE_SERVICE_PRINCIPAL, registry, true, {
      username: clientId.toLowerCase(), password: clientSecret,
    });
  }

  /**
   * GitHub Container Registry with a personal access token (classic, `read:packages`; `write:packages` to push).
   * GitHub does not accept the account password.
   *
   * @see https://docs.github.com/en/packages/working-with-a-github-packages-registry/working-with-the-container-registry
   */
  public static githubToken(username: string, token: SecretValue, options: HostedRegistryOptions = {}): RegistryCredentials {
    checkUsername(username, 'username');
    checkPlainTextNotEmpty(token, 'token');
    const registry = hostedRegistryOption(options, 'ghcr.io');
    return new RegistryCredentials(RegistryAuthType.GITHUB_TOKEN, registry, true, {
      username, password: token,
    });
  }

  /**
   * Docker Hub with a personal (`dckr_pat_…`) or organization access token. The `auths` key is
   * `https://index.docker.io/v1/`, the one key the kubelet, the Docker CLI and containerd tools all match for Docker Hub
   * images (`registry-1.docker.io` is never matched by the kubelet).
   *
   * @see https://docs.docker.com/security/for-developers/access-tokens/
   */
  public static dockerHubToken(username: string, token: SecretValue): RegistryCredentials {
    checkUsername(username, 'username');
    checkPlainTextNotEmpty(token, 'token');
    return new RegistryCredentials(RegistryAuthType.DOCKER_HUB_TOKEN, DOCKER_HUB_KEY, true, { username, password: token });
  }

  /**
   * A Quay robot account, `organization+robot`, with its token.
   *
   * @see https://docs.quay.io/glossary/robot-accounts.html
   */
  public static quayRobot(robotAccount: string, token: SecretValue, options: HostedRegistryOptions = {}): RegistryCredentials {
    requireString(robotAccount, { property: 'robotAccount' }, 'pass the robot name, e.g. "acme+deployer"');
    refuseCredentialInUsername(robotAccount, 'robotAccount');
    refuseInvisibleCharacters(robotAccount, 'robotAccount');
    if (!QUAY_ROBOT.test(robotAccount)) {
      throw new ValidationError({
        property: 'robotAccount',
        value: robotAccount,
        problem: 'is not a Quay robot account: robot names are "organization+robot"',
        fix: `write the full robot name as Quay shows it, e.g. "acme+${robotAccount.replace(/[^a-z0-9_]/g, '') || 'deployer'}"`,
      });
    }
    checkPlainTextNotEmpty(token, 'token');
    return new RegistryCredentials(RegistryAuthType.QUAY_ROBOT, hostedRegistryOption(options, 'quay.io'), true, {
      username: robotAccount, password: token,
    });
  }

  /**
   * Short-lived credentials minted in the cluster by an External Secrets generator (ECR, GCR/Artifact Registry, ACR,
   * Quay): nothing static to leak or to go stale. Delivered only as an `ExternalSecret`.
   *
   * @param registry the registry host, e.g. `123456789012.dkr.ecr.eu-west-1.amazonaws.com`
   */
  public static fromTokenGenerator(registry: string, generator: TokenGenerator, options: TokenGeneratorCredentialsOptions = {}): RegistryCredentials {
    requireString(registry, { property: 'registry' }, REGISTRY_FIX);
    requireInstance(generator, TokenGenerator, 'TokenGenerator', { property: 'generator' },
      'build it with TokenGenerator.ecr(...), .gcr(...), .acr(...) or .quay(...)');
    checkGeneratorHost(registry, generator);
    const lifetime = generator.tokenLifetime.toSeconds();
    const given = optionalInstance(readStruct(options, ['refreshInterval'], { property: 'options' }, true).refreshInterval,
      Duration, 'Duration', { property: 'refreshInterval' }, 'pass a cdk8s Duration, e.g. Duration.minutes(30)');
    const refresh = given ?? Duration.seconds(lifetime / 2);
    if (refresh.toSeconds() <= 0 || refresh.toSeconds() > lifetime / 2) {
      throw new ValidationError({
        property: 'refreshInterval',
        value: refresh.toHumanString(),
        problem: `must be more than zero and at most half of the ${generator.kind} token lifetime (${generator.tokenLifetime.toHumanString()}), or pulls fail with expired credentials after one missed refresh`,
        fix: `use Duration.minutes(${Math.floor(lifetime / 120)}) or less`,
      });
    }
    return new RegistryCredentials(RegistryAuthType.TOKEN_GENERATOR, registry, true, { generator, refreshInterval: refresh });
  }

  /**
   * @param authType how the registry is authenticated
   * @param registry the `auths` key (or, without a Secret, the registry host)
   * @param requiresSecret whether a Secret must carry the credential
   * @param _parts what a delivery needs to render the credential (internal)
   */
  private constructor(
    /** How the registry is authenticated. */
    public readonly authType: RegistryAuthType,
    /** The registry: the `auths` key written to the Secret, or the host for credential-less registries. */
    public readonly registry: string,
    /** Whether a Secret must carry the credential (false for anonymous and vendor-managed registries). */
    public readonly requiresSecret: boolean,
    /** @internal */
    public readonly _parts: CredentialParts) {
  }

  /** The username written to the entry, when it is known at synth time. */
  public get username(): string | undefined {
    return this._parts.username;
  }

  /** The sources of the secret material these credentials use (empty when nothing is secret or it is generated). */
  public get valueSources(): SecretValueSource[] {
    const values = [this._parts.password, this._parts.dockerConfig].filter((v): v is SecretValue => v !== undefined);
    return values.map(v => v.source);
  }
}

const REGISTRY_FIX = 'pass the registry host as a string, e.g. "ghcr.io"';

function checkRegistry(registry: string, property = 'registry'): string {
  requireString(registry, { property }, REGISTRY_FIX);
  refuseUnmatchableRegistryKey(registry, property);
  if (!REGISTRY_KEY.test(registry)) {
    throw new ValidationError({
      property: 'registry',
      value: registry,
      problem: 'is not a registry host: expected host[:port][/path]',
      fix: 'write the host as it appears in image names, e.g. "ghcr.io" or "registry.example.com:5000" (no scheme needed)',
    });
  }
  return registry;
}

function checkUsername(username: string, property: string): void {
  requireString(username, { property }, 'pass the registry account or robot name as a string');
  if (username.length === 0) {
    throw new ValidationError({ property, problem: 'must not be empty', fix: 'use the registry account or robot name' });
  }
  // "user:token" is refused without echo: the part after ":" is probably the token.
  refuseCredentialInUsername(username, property);
  refuseInvisibleCharacters(username, property);
}

function checkEmail(email: unknown): string | undefined {
  const value = optionalString(email, { property: 'options.email' });
  if (value !== undefined) {
    refuseInvisibleCharacters(value, 'options.email');
  }
  return value;
}

function requireSecretValue(value: SecretValue, property: string): SecretValue {
  return requireInstance(value, SecretValue, 'SecretValue', { property },
    'wrap the value: SecretValue.unsafePlainText(process.env.TOKEN), SecretValue.sealed(<kubeseal output>) or SecretValue.fromExternalSecret("<remote key>")');
}

function hostedRegistryOption(options: HostedRegistryOptions, fallback: string): string {
  const read = readStruct(options, ['registry'], { property: 'options' }, true);
  return checkRegistry(optionalString(read.registry, { property: 'options.registry' }) ?? fallback, 'options.registry');
}

function checkPlainTextNotEmpty(value: SecretValue, property: string): void {
  requireSecretValue(value, property);
  if (value.source === SecretValueSource.PLAIN_TEXT && value.unsafeUnwrap().length === 0) {
    throw new ValidationError({ property, value: '', secret: true, problem: 'must not be empty', fix: 'pass the password or token' });
  }
}

function requireRegistryOption(registry: string | undefined): string {
  if (registry === undefined) {
    throw new ValidationError({
      property: 'registry',
      problem: 'is required for a sealed or external Docker config: its content is not known at synth time',
      fix: 'pass { registry: "<the auths key inside the config>" }',
    });
  }
  return registry;
}

function registryOfPlainConfig(config: SecretValue, registry: string | undefined): string {
  const servers = DockerConfig.fromJson(config.unsafeUnwrap(), { strict: true }).servers;
  if (registry !== undefined && registry !== servers[0]) {
    throw new ValidationError({
      property: 'registry',
      value: registry,
      problem: `does not match the config's only auths key "${servers[0]}"`,
      fix: `omit "registry" or set it to "${servers[0]}"`,
    });
  }
  return servers[0];
}

function checkVendorHost(registry: string, vendor: CloudVendor): void {
  const pattern = { [CloudVendor.AZURE]: ACR_HOST, [CloudVendor.GOOGLE]: GAR_HOST, [CloudVendor.AWS]: ECR_HOST }[vendor];
  const example = {
    [CloudVendor.AZURE]: 'myregistry.azurecr.io',
    [CloudVendor.GOOGLE]: 'europe-west1-docker.pkg.dev',
    [CloudVendor.AWS]: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
  }[vendor];
  refuseCredentialShape(registry, 'registry', `the registry host only, e.g. "${example}"`);
  if (!pattern.test(registry)) {
    throw new ValidationError({
      property: 'registry',
      value: registry,
      problem: vendorHostProblem(registry, vendor),
      fix: `write the registry host only (no scheme or path), e.g. "${example}"`,
    });
  }
}

const VENDOR_NAMES: { [vendor: string]: string } = {
  [CloudVendor.AZURE]: 'an Azure Container Registry host (<name>.azurecr.io)',
  [CloudVendor.GOOGLE]: 'a Google Artifact Registry or Container Registry host (<region>-docker.pkg.dev, gcr.io)',
  [CloudVendor.AWS]: 'an Amazon ECR host (<account id>.dkr.ecr.<region>.amazonaws.com)',
};

/** What is wrong with a host for the vendor, naming the missing part where it is recognisable. */
function vendorHostProblem(registry: string, vendor: CloudVendor): string {
  if (vendor === CloudVendor.AWS && /(^|\.)dkr\.ecr\./.test(registry) && !/^[0-9]{12}\.dkr\.ecr\./.test(registry)) {
    return 'is an ECR host without the 12-digit AWS account id in front (<account id>.dkr.ecr.<region>.amazonaws.com)';
  }
  return `is not ${VENDOR_NAMES[vendor]}`;
}

function checkGeneratorHost(registry: string, generator: TokenGenerator): void {
  switch (generator.kind) {
    case 'ECRAuthorizationToken': {
      checkVendorHost(registry, CloudVendor.AWS);
      const region = ECR_HOST.exec(registry)![3];
      if (generator._spec.region !== region) {
        throw new ValidationError({
          property: 'generator.region',
          value: generator._spec.region,
          problem: `differs from the region "${region}" in the registry host; the token would be for another registry`,
          fix: `use TokenGenerator.ecr({ region: "${region}", ... })`,
        });
      }
      return;
    }
    case 'GCRAccessToken':
      return checkVendorHost(registry, CloudVendor.GOOGLE);
    case 'ACRAccessToken':
      checkVendorHost(registry, CloudVendor.AZURE);
      if (generator._spec.registry !== registry) {
        throw new ValidationError({
          property: 'generator.registry',
          value: generator._spec.registry,
          problem: `differs from the registry "${registry}"`,
          fix: `use TokenGenerator.acr("${registry}", ...)`,
        });
      }
      return;
    default:
      checkRegistry(registry);
  }
}

function checkServiceAccountKey(key: SecretValue): void {
  if (key.source !== SecretValueSource.PLAIN_TEXT) {
    return;
  }
  let parsed: any;
  try {
    parsed = JSON.parse(key.unsafeUnwrap());
  } catch {
    parsed = undefined;
  }
  const looksRight = parsed && typeof parsed === 'object' && parsed.type === 'service_account'
    && typeof parsed.private_key === 'string' && typeof parsed.client_email === 'string';
  if (!looksRight) {
    throw new ValidationError({
      property: 'key',
      value: key.unsafeUnwrap(),
      secret: true,
      problem: 'is not a Google service-account key: expected JSON with "type": "service_account", "private_key" and "client_email"',
      fix: 'create one with `gcloud iam service-accounts keys create key.json --iam-account=...` and pass the file content',
    });
  }
}
