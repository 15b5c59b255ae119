import { ApiObjectMetadata, Duration } from 'cdk8s';
import { ValidationError } from '../errors';
import { CheckContext, member, optionalString, readStruct, requireArray, requireString } from '../runtime-checks';
import { AcrAccessToken, acr, EcrAuthorizationToken, ecr, GcrAccessToken, gcr, QuayAccessToken, quay, typedObject, TypedObject } from '../typed-objects';
import { refuseCredentialInUsername, refuseUnmatchableRegistryKey } from '../values/credential-shape';

/** The API group and version of every External Secrets generator kind. */
export const GENERATOR_API_VERSION = 'generators.external-secrets.io/v1alpha1';

/**
 * A reference to a Kubernetes ServiceAccount whose token a generator exchanges for registry credentials (IRSA on EKS,
 * Workload Identity on GKE and AKS, Quay robot federation).
 */
export interface GeneratorServiceAccount {
  /** The ServiceAccount name, in the namespace of the generator. */
  readonly name: string;
  /**
   * Audiences requested for the projected token.
   *
   * @default - the provider's default audience
   */
  readonly audiences?: string[];
}

/** A key of a Kubernetes Secret in the generator's namespace. */
export interface GeneratorSecretKey {
  /** The Secret name. */
  readonly name: string;
  /** The key inside the Secret. */
  readonly key: string;
}

/** Properties of an AWS ECR authorization-token generator. */
export interface EcrTokenGeneratorProps {
  /** The AWS region of the registry, e.g. `eu-west-1`. */
  readonly region: string;
  /**
   * An IAM role to assume before asking for the token.
   *
   * @default - the generator's own identity
   */
  readonly role?: string;
  /**
   * Authenticate with the token of this ServiceAccount (IRSA). Give at most one of `serviceAccount` and `accessKeys`.
   *
   * @default - the ESO controller's own AWS identity
   */
  readonly serviceAccount?: GeneratorServiceAccount;
  /**
   * Authenticate with static keys held in a Secret. Give at most one of `serviceAccount` and `accessKeys`.
   *
   * @default - the ESO controller's own AWS identity
   */
  readonly accessKeys?: EcrAccessKeys;
}

/** Static AWS access keys held in Secrets. */
export interface EcrAccessKeys {
  /** The access key id. */
  readonly accessKeyId: GeneratorSecretKey;
  /** The secret access key. */
  readonly secretAccessKey: GeneratorSecretKey;
  /**
   * A session token, for temporary keys.
   *
   * @default - none
   */
  readonly sessionToken?: GeneratorSecretKey;
}

/** Properties of a Google (GCR / Artifact Registry) access-token generator. */
export interface GcrTokenGeneratorProps {
  /** The Google Cloud project of the registry. */
  readonly projectId: string;
  /**
   * Workload Identity: the Kubernetes ServiceAccount bound to a Google service account. Give exactly one of
   * `workloadIdentity` and `serviceAccountKey`.
   *
   * @default - none
   */
  readonly workloadIdentity?: GcrWorkloadIdentity;
  /**
   * A Google service-account key (JSON) held in a Secret. Give exactly one of `workloadIdentity` and
   * `serviceAccountKey`.
   *
   * @default - none
   */
  readonly serviceAccountKey?: GeneratorSecretKey;
}

/** GKE Workload Identity settings for the GCR generator. */
export interface GcrWorkloadIdentity {
  /** The Kubernetes ServiceAccount bound to the Google service account. */
  readonly serviceAccount: GeneratorServiceAccount;
  /** The location (region or zone) of the GKE cluster. */
  readonly clusterLocation: string;
  /** The name of the GKE cluster. */
  readonly clusterName: string;
  /**
   * The project of the GKE cluster.
   *
   * @default - the registry's project
   */
  readonly clusterProjectId?: string;
}

/** Properties of an Azure Container Registry token generator. */
export interface AcrTokenGeneratorProps {
  /**
   * The Azure AD tenant.
   *
   * @default - taken from the credentials
   */
  readonly tenantId?: string;
  /**
   * A repository scope such as `repository:team/app:pull`: the generator then returns an access token; without it, a
   * refresh token.
   *
   * @default - a refresh token for the whole registry
   */
  readonly scope?: string;
  /**
   * Service principal credentials held in a Secret. Give exactly one of `servicePrincipal`, `managedIdentityId` and
   * `workloadIdentity`.
   *
   * @default - none
   */
  readonly servicePrincipal?: AcrServicePrincipalKeys;
  /**
   * The client id of a user-assigned managed identity. Give exactly one of the three authentication options.
   *
   * @default - none
   */
  readonly managedIdentityId?: string;
  /**
   * Azure Workload Identity through this ServiceAccount. Give exactly one of the three authentication options.
   *
   * @default - none
   */
  readonly workloadIdentity?: GeneratorServiceAccount;
}

/** The keys of a Secret holding an Azure service principal. */
export interface AcrServicePrincipalKeys {
  /** The application (client) id. */
  readonly clientId: GeneratorSecretKey;
  /** The client secret. */
  readonly clientSecret: GeneratorSecretKey;
}

/** Properties of a Quay robot-federation token generator. */
export interface QuayTokenGeneratorProps {
  /** The robot account, `organization+robot`. */
  readonly robotAccount: string;
  /** The ServiceAccount whose token Quay's robot federation trusts. */
  readonly serviceAccount: GeneratorServiceAccount;
}

/**
 * An External Secrets Operator generator that mints short-lived registry credentials in the cluster, so that no static
 * password exists anywhere. Each has a token lifetime; the ExternalSecret that uses it must refresh well before.
 *
 * @see https://external-secrets.io/latest/api/generator/
 */
export class TokenGenerator {
  /**
   * AWS ECR: `GetAuthorizationToken`, valid for 12 hours (the reason static ECR passwords go stale).
   *
   * @see https://external-secrets.io/latest/api/generator/ecr/
   */
  public static ecr(props: EcrTokenGeneratorProps): TokenGenerator {
    props = readEcrProps(props);
    exactlyOneOf('auth', { serviceAccount: props.serviceAccount, accessKeys: props.accessKeys }, true);
    requireNonEmpty('region', props.region, 'the AWS region of the registry, e.g. "eu-west-1"');
    const spec: ecr.EcrAuthorizationTokenSpec = {
      region: props.region,
      role: props.role,
      auth: props.serviceAccount
        ? { jwt: { serviceAccountRef: serviceAccountRef(props.serviceAccount) } }
        : props.accessKeys && {
          secretRef: {
            accessKeyIdSecretRef: props.accessKeys.accessKeyId,
            secretAccessKeySecretRef: props.accessKeys.secretAccessKey,
            sessionTokenSecretRef: props.accessKeys.sessionToken,
          },
        },
    };
    return new TokenGenerator('ECRAuthorizationToken', Duration.hours(12), metadata => typedObject(EcrAuthorizationToken, { metadata, spec }),
      { username: '{{ .username }}', password: '{{ .password }}' });
  }

  /**
   * Google Container Registry / Artifact Registry OAuth access token (user `oauth2accesstoken`), valid about one hour.
   *
   * @see https://external-secrets.io/latest/api/generator/gcr/
   */
  public static gcr(props: GcrTokenGeneratorProps): TokenGenerator {
    props = readGcrProps(props);
    exactlyOneOf('auth', { workloadIdentity: props.workloadIdentity, serviceAccountKey: props.serviceAccountKey }, false);
    requireNonEmpty('projectId', props.projectId, 'the Google Cloud project id of the registry');
    const wi = props.workloadIdentity;
    const spec: gcr.GcrAccessTokenSpec = {
      projectId: props.projectId,
      auth: wi
        ? {
          workloadIdentity: {
            serviceAccountRef: serviceAccountRef(wi.serviceAccount),
            clusterLocation: wi.clusterLocation,
            clusterName: wi.clusterName,
            clusterProjectId: wi.clusterProjectId,
          },
        }
        : { secretRef: { secretAccessKeySecretRef: props.serviceAccountKey } },
    };
    return new TokenGenerator('GCRAccessToken', Duration.hours(1), metadata => typedObject(GcrAccessToken, { metadata, spec }),
      { username: '{{ .username }}', password: '{{ .password }}' });
  }

  /**
   * Azure Container Registry token (user `00000000-0000-0000-0000-000000000000`). Refresh tokens live about three hours.
   *
   * @param registry the registry host, e.g. `myregistry.azurecr.io`
   * @see https://external-secrets.io/latest/api/generator/acr/
   */
  public static acr(registry: string, props: AcrTokenGeneratorProps): TokenGenerator {
    requireString(registry, { property: 'registry' }, 'pass the registry host, e.g. "myregistry.azurecr.io"');
    props = readAcrProps(props);
    exactlyOneOf('auth', {
      servicePrincipal: props.servicePrincipal,
      managedIdentityId: props.managedIdentityId,
      workloadIdentity: props.workloadIdentity,
    }, false);
    if (props.managedIdentityId !== undefined) {
      requireNonEmpty('managedIdentityId', props.managedIdentityId, 'the client id of the managed identity, or leave it out');
    }
    const spec: acr.AcrAccessTokenSpec = {
      registry,
      tenantId: props.tenantId,
      scope: props.scope,
      auth: props.servicePrincipal !== undefined
        ? { servicePrincipal: { secretRef: props.servicePrincipal } }
        : props.managedIdentityId !== undefined
          ? { managedIdentity: { identityId: props.managedIdentityId } }
          : { workloadIdentity: { serviceAccountRef: serviceAccountRef(props.workloadIdentity!) } },
    };
    return new TokenGenerator('ACRAccessToken', Duration.hours(3), metadata => typedObject(AcrAccessToken, { metadata, spec }),
      { username: '{{ .username }}', password: '{{ .password }}' });
  }

  /**
   * Quay robot federation: exchanges a ServiceAccount token for a robot token, valid about one hour. Its output has
   * only `auth` (base64 `robot:token`) and `registry`, no username and password.
   *
   * @param registry the Quay host, e.g. `quay.io`
   * @see https://external-secrets.io/latest/api/generator/quay/
   */
  public static quay(registry: string, props: QuayTokenGeneratorProps): TokenGenerator {
    requireString(registry, { property: 'registry' }, 'pass the Quay host, e.g. "quay.io"');
    refuseUnmatchableRegistryKey(registry, 'registry');
    props = readQuayProps(props);
    refuseCredentialInUsername(props.robotAccount, 'robotAccount');
    if (!/^[a-z0-9][a-z0-9_-]*\+[a-z0-9][a-z0-9_]*$/.test(props.robotAccount)) {
      throw new ValidationError({
        property: 'robotAccount',
        value: props.robotAccount,
        problem: 'must be a Quay robot account "organization+robot"',
        fix: 'write the full robot name as Quay shows it, e.g. "acme+deployer"',
      });
    }
    const spec: quay.QuayAccessTokenSpec = {
      robotAccount: props.robotAccount,
      serviceAccountRef: serviceAccountRef(props.serviceAccount),
      url: registry === 'quay.io' ? undefined : registry,
    };
    return new TokenGenerator('QuayAccessToken', Duration.hours(1), metadata => typedObject(QuayAccessToken, { metadata, spec }), { auth: '{{ .auth }}' });
  }

  private constructor(
    /** The generator kind, e.g. `ECRAuthorizationToken`. */
    public readonly kind: string,
    /** How long one token lives. */
    public readonly tokenLifetime: Duration,
    /** @internal the generator object, given its metadata */
    public readonly _render: (metadata: ApiObjectMetadata) => TypedObject,
    /**
     * @internal the Go-template expressions that give the credential from the generator's output keys: either
     * `username` and `password`, or `auth`
     */
    public readonly _outputs: GeneratorOutputs) {
  }

  /** @internal the generator's `spec` as written to the cluster */
  public get _spec(): { [key: string]: any } {
    return this._render({}).manifest().spec;
  }
}

/** @internal */
export interface GeneratorOutputs {
  readonly username?: string;
  readonly password?: string;
  readonly auth?: string;
}

function serviceAccountRef(sa: GeneratorServiceAccount): { name: string; audiences?: string[] } {
  return { name: sa.name, audiences: sa.audiences };
}

function requireNonEmpty(property: string, value: string, what: string): void {
  if (value.trim().length === 0) {
    throw new ValidationError({ property, value, problem: 'must not be empty', fix: `give ${what}` });
  }
}

/** Throws unless exactly one (or, when `noneAllowed`, at most one) of the options is set. */
function exactlyOneOf(property: string, options: { [name: string]: unknown }, noneAllowed: boolean): void {
  const given = Object.keys(options).filter(k => options[k] !== undefined);
  const names = Object.keys(options).map(k => `"${k}"`).join(', ');
  if (given.length > 1 || (given.length === 0 && !noneAllowed)) {
    throw new ValidationError({
      property,
      value: given.join(', '),
      problem: given.length > 1 ? 'sets more than one way to authenticate' : 'sets no way to authenticate',
      fix: `give ${noneAllowed ? 'at most' : 'exactly'} one of ${names}`,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Run-time checks of the props (JS callers): each struct is read once into a plain object, so a throwing getter or a
// wrong type is a ValidationError naming the property, and nothing later reads the caller's object again.

function readServiceAccount(value: unknown, context: CheckContext): GeneratorServiceAccount {
  const read = readStruct(value, ['name', 'audiences'], context);
  const audiences = read.audiences === undefined ? undefined
    : requireArray(read.audiences, member(context, 'audiences'), 'pass an array of strings, e.g. ["sts.amazonaws.com"]')
      .map((audience, i) => requireString(audience, { property: `${context.property}.audiences[${i}]` }));
  return { name: requireString(read.name, member(context, 'name'), 'pass the ServiceAccount name'), audiences };
}

function optionalServiceAccount(value: unknown, context: CheckContext): GeneratorServiceAccount | undefined {
  return value === undefined ? undefined : readServiceAccount(value, context);
}

function readSecretKey(value: unknown, context: CheckContext): GeneratorSecretKey {
  const read = readStruct(value, ['name', 'key'], context);
  return {
    name: requireString(read.name, member(context, 'name'), 'pass the Secret name'),
    key: requireString(read.key, member(context, 'key'), 'pass the key inside the Secret'),
  };
}

function optionalSecretKey(value: unknown, context: CheckContext): GeneratorSecretKey | undefined {
  return value === undefined ? undefined : readSecretKey(value, context);
}

function readEcrProps(props: unknown): EcrTokenGeneratorProps {
  const context = { property: 'props' };
  const read = readStruct(props, ['region', 'role', 'serviceAccount', 'accessKeys'], context);
  let accessKeys: EcrAccessKeys | undefined;
  if (read.accessKeys !== undefined) {
    const keysContext = member(context, 'accessKeys');
    const keys = readStruct(read.accessKeys, ['accessKeyId', 'secretAccessKey', 'sessionToken'], keysContext);
    accessKeys = {
      accessKeyId: readSecretKey(keys.accessKeyId, member(keysContext, 'accessKeyId')),
      secretAccessKey: readSecretKey(keys.secretAccessKey, member(keysContext, 'secretAccessKey')),
      sessionToken: optionalSecretKey(keys.sessionToken, member(keysContext, 'sessionToken')),
    };
  }
  return {
    region: requireString(read.region, { property: 'region' }, 'pass the AWS region of the registry, e.g. "eu-west-1"'),
    role: optionalString(read.role, member(context, 'role')),
    serviceAccount: optionalServiceAccount(read.serviceAccount, member(context, 'serviceAccount')),
    accessKeys,
  };
}

function readGcrProps(props: unknown): GcrTokenGeneratorProps {
  const context = { property: 'props' };
  const read = readStruct(props, ['projectId', 'workloadIdentity', 'serviceAccountKey'], context);
  let workloadIdentity: GcrWorkloadIdentity | undefined;
  if (read.workloadIdentity !== undefined) {
    const wiContext = member(context, 'workloadIdentity');
    const wi = readStruct(read.workloadIdentity, ['serviceAccount', 'clusterLocation', 'clusterName', 'clusterProjectId'], wiContext);
    workloadIdentity = {
      serviceAccount: readServiceAccount(wi.serviceAccount, member(wiContext, 'serviceAccount')),
      clusterLocation: requireString(wi.clusterLocation, member(wiContext, 'clusterLocation')),
      clusterName: requireString(wi.clusterName, member(wiContext, 'clusterName')),
      clusterProjectId: optionalString(wi.clusterProjectId, member(wiContext, 'clusterProjectId')),
    };
  }
  return {
    projectId: requireString(read.projectId, { property: 'projectId' }, 'pass the Google Cloud project id of the registry'),
    workloadIdentity,
    serviceAccountKey: optionalSecretKey(read.serviceAccountKey, member(context, 'serviceAccountKey')),
  };
}

function readAcrProps(props: unknown): AcrTokenGeneratorProps {
  const context = { property: 'props' };
  const read = readStruct(props, ['tenantId', 'scope', 'servicePrincipal', 'managedIdentityId', 'workloadIdentity'], context);
  let servicePrincipal: AcrServicePrincipalKeys | undefined;
  if (read.servicePrincipal !== undefined) {
    const spContext = member(context, 'servicePrincipal');
    const sp = readStruct(read.servicePrincipal, ['clientId', 'clientSecret'], spContext);
    servicePrincipal = {
      clientId: readSecretKey(sp.clientId, member(spContext, 'clientId')),
      clientSecret: readSecretKey(sp.clientSecret, member(spContext, 'clientSecret')),
    };
  }
  return {
    tenantId: optionalString(read.tenantId, member(context, 'tenantId')),
    scope: optionalString(read.scope, member(context, 'scope')),
    servicePrincipal,
    managedIdentityId: optionalString(read.managedIdentityId, member(context, 'managedIdentityId')),
    workloadIdentity: optionalServiceAccount(read.workloadIdentity, member(context, 'workloadIdentity')),
  };
}

function readQuayProps(props: unknown): QuayTokenGeneratorProps {
  const context = { property: 'props' };
  const read = readStruct(props, ['robotAccount', 'serviceAccount'], context);
  return {
    robotAccount: requireString(read.robotAccount, { property: 'robotAccount' }, 'pass the robot name, e.g. "acme+deployer"'),
    serviceAccount: readServiceAccount(read.serviceAccount, member(context, 'serviceAccount')),
  };
}
