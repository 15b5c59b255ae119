import { Construct } from 'constructs';
import { RegistryCredentials } from '../credentials/registry-credentials';
import { SecretValue } from '../credentials/secret-value';
import { DOCKER_CONFIG_JSON_KEY } from '../delivery/secret-delivery';
import { checkArgs } from '../props-check';
import { IRegistrySecret, RegistryPurpose, RegistrySecret } from '../registry-secret';

/** Options for `KonfluxInternalRegistry.tenantSecret`. */
export interface InternalRegistryTenantSecretOptions {
  /**
   * The tenant namespace holding the operator's copy.
   *
   * @default "default-tenant" (the only namespace the operator copies it to)
   */
  readonly namespace?: string;
}

/**
 * The registry of a local Konflux on Kind (`spec.internalRegistry.enabled` in the Konflux CR): Zot in namespace
 * `kind-registry`, Service `registry-service`, reachable in the cluster as `registry-service.kind-registry` (or
 * `registry-service.kind-registry.svc.cluster.local`) and from the host as `localhost:5001`.
 *
 * Recent Konflux (operator commit b29d4ba, 2026) requires basic auth there: the operator generates user `konflux` with
 * a random password, stores it as the dockerconfigjson Secret `kind-registry/internal-registry-client-auth`, and copies
 * it only to `default-tenant/regcred-internal-registry`. Older guides that say "no authentication required" are stale:
 * every other tenant or managed namespace needs its own copy, e.g. from `credentialsFromClientAuthSecret()`.
 *
 * @see https://github.com/konflux-ci/konflux-ci/blob/main/docs/registry-configuration.md
 * @see https://github.com/konflux-ci/konflux-ci/blob/main/operator/api/v1alpha1/konfluxinternalregistry_types.go
 */
export class KonfluxInternalRegistry {
  /** The in-cluster host the operator writes into the client credentials and Konflux's demo uses in image names. */
  public static readonly HOST = 'registry-service.kind-registry';
  /** The fully qualified in-cluster host. */
  public static readonly CLUSTER_LOCAL_HOST = 'registry-service.kind-registry.svc.cluster.local';
  /** The registry as the Kind host machine reaches it (`podman push localhost:5001/...`). */
  public static readonly LOCALHOST = 'localhost:5001';
  /** The registry's namespace. */
  public static readonly NAMESPACE = 'kind-registry';
  /** The user the operator creates. */
  public static readonly USERNAME = 'konflux';
  /** The operator's dockerconfigjson Secret with the client credentials, in `kind-registry`. */
  public static readonly CLIENT_AUTH_SECRET = 'internal-registry-client-auth';
  /** The operator's copy of the client credentials in `default-tenant`. */
  public static readonly TENANT_SECRET_NAME = 'regcred-internal-registry';
  /** The only tenant namespace the operator copies the credentials to. */
  public static readonly DEFAULT_TENANT_NAMESPACE = 'default-tenant';

  /**
   * Basic auth as user `konflux`, for both in-cluster host names (the kubelet and Tekton match `auths` keys by host, and
   * `registry-service.kind-registry` does not cover `...svc.cluster.local` images).
   *
   * @param password the password the operator generated (in `kind-registry/internal-registry-client-auth`)
   */
  public static basicAuth(password: SecretValue): RegistryCredentials[] {
    return [KonfluxInternalRegistry.HOST, KonfluxInternalRegistry.CLUSTER_LOCAL_HOST]
      .map(host => RegistryCredentials.basic(host, KonfluxInternalRegistry.USERNAME, password));
  }

  /**
   * The operator's own client credentials, read as a whole Docker config from the Secret
   * `kind-registry/internal-registry-client-auth` through External Secrets: deliver them with
   * `SecretDelivery.externalSecret({ store })`, where the store uses the Kubernetes provider on namespace
   * `kind-registry`. Nothing secret is in Git, and a regenerated password reaches every copy.
   *
   * @see https://external-secrets.io/latest/provider/kubernetes/
   */
  public static credentialsFromClientAuthSecret(): RegistryCredentials {
    return RegistryCredentials.dockerConfigJson(
      SecretValue.fromExternalSecret(KonfluxInternalRegistry.CLIENT_AUTH_SECRET, { property: DOCKER_CONFIG_JSON_KEY }),
      { registry: KonfluxInternalRegistry.HOST },
    );
  }

  /** The operator's copy `regcred-internal-registry` in a tenant namespace, as an existing push and pull secret. */
  public static tenantSecret(scope: Construct, id: string, options: InternalRegistryTenantSecretOptions = {}): IRegistrySecret {
    checkArgs('KonfluxInternalRegistry.tenantSecret', [scope, id, options]);
    return RegistrySecret.fromSecretName(scope, id, KonfluxInternalRegistry.TENANT_SECRET_NAME, {
      namespace: options.namespace ?? KonfluxInternalRegistry.DEFAULT_TENANT_NAMESPACE,
      registries: [KonfluxInternalRegistry.HOST],
      purpose: RegistryPurpose.PULL_AND_PUSH,
    });
  }

  private constructor() {}
}
