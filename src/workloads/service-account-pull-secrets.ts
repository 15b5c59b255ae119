import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { applyArgoCd, ArgoCdOptions, ArgoCdSyncOption } from '../argocd';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkProps } from '../props-check';
import { RegistryChecks } from '../registry-checks';
import { IRegistrySecret, RegistryPurpose } from '../registry-secret';
import { KubeServiceAccount } from '../typed-objects';

/** The sync wave of the partial account: after the pull secrets (wave -1), before the workloads (wave 0). */
const ACCOUNT_WAVE = -1;

/** Properties of `ServiceAccountPullSecrets`. */
export interface ServiceAccountPullSecretsProps {
  /**
   * The name of the existing ServiceAccount.
   *
   * @default "default" — the account every pod of the namespace uses unless it names another
   */
  readonly serviceAccountName?: string;

  /**
   * The namespace of the ServiceAccount (and of the pull secrets: pods read pull secrets from their own namespace).
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Every pull secret the account gives its pods, in the order the kubelet tries them. The account's
   * `imagePullSecrets` is an atomic list: whoever applies it owns all of it, so list every secret pods of the account
   * need, not only new ones.
   */
  readonly pullSecrets: IRegistrySecret[];

  /**
   * Argo CD sync settings.
   *
   * @default - sync wave -1 and `ServerSideApply=true`, `Prune=false`, `Delete=false`
   */
  readonly argoCd?: ArgoCdOptions;
}

/**
 * Attaches pull secrets to a ServiceAccount that exists already — a namespace's `default` account, or one an operator
 * or another application creates — the GitOps way: a partial ServiceAccount holding only `imagePullSecrets`, applied
 * by Argo CD with server-side apply, so Argo CD owns that one field and never prunes or deletes the account.
 *
 * This is the declarative form of `kubectl patch serviceaccount default -p '{"imagePullSecrets": [...]}'`. The
 * ServiceAccount admission plugin copies the account's `imagePullSecrets` into every pod that names no pull secrets
 * itself, and the app's pull-coverage check (`RegistryChecks`) uses them for such pods.
 *
 * `imagePullSecrets` is `listType=atomic` with no patch strategy: a strategic-merge patch or a server-side apply
 * replaces the whole list, so other entries (for example the `<account>-dockercfg-*` secret OpenShift adds) are
 * replaced when this object is applied. List every secret the account needs; on OpenShift leave the account alone
 * and attach the secrets to the workloads instead.
 *
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#add-imagepullsecrets-to-a-service-account
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#server-side-apply
 */
export class ServiceAccountPullSecrets extends Construct {
  /** The ServiceAccount's name. */
  public readonly serviceAccountName: string;
  /** The ServiceAccount's namespace. */
  public readonly namespace: string;
  /** The pull secrets, in order. */
  public readonly pullSecrets: IRegistrySecret[];
  /** The partial ServiceAccount. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, rawProps: ServiceAccountPullSecretsProps) {
    super(scope, id);
    const props = checkProps(this, rawProps, 'ServiceAccountPullSecretsProps');
    this.serviceAccountName = props.serviceAccountName ?? 'default';
    KubernetesNames.validateDns1123Subdomain(this.serviceAccountName, 'serviceAccountName', this);
    this.namespace = requireNamespace(this, props.namespace ?? Chart.of(this).namespace);
    this.pullSecrets = checkPullSecrets(this, props.pullSecrets, this.namespace);
    RegistryChecks.of(this);

    this.apiObject = new KubeServiceAccount(this, 'Resource', {
      metadata: { name: this.serviceAccountName, namespace: this.namespace },
      imagePullSecrets: this.pullSecrets.map(secret => ({ name: secret.name })),
    });
    applyArgoCd(this.apiObject, props.argoCd, ACCOUNT_WAVE, [
      ArgoCdSyncOption.SERVER_SIDE_APPLY, ArgoCdSyncOption.PRUNE_DISABLED, ArgoCdSyncOption.DELETE_DISABLED,
    ]);
  }
}

function requireNamespace(scope: IConstruct, namespace: string | undefined): string {
  if (namespace === undefined) {
    throw new ValidationError({
      scope,
      property: 'namespace',
      problem: 'is required: a ServiceAccount and its pull secrets live in one namespace',
      fix: 'pass namespace, or give the chart a namespace',
    });
  }
  KubernetesNames.validateDns1123Label(namespace, 'namespace', scope);
  return namespace;
}

function checkPullSecrets(scope: IConstruct, secrets: IRegistrySecret[], namespace: string): IRegistrySecret[] {
  if (!Array.isArray(secrets) || secrets.length === 0) {
    throw new ValidationError({
      scope,
      property: 'pullSecrets',
      problem: 'must be a non-empty list',
      fix: 'pass the RegistrySecrets the account gives its pods, e.g. pullSecrets: [ghcrPull]',
    });
  }
  const names = new Set<string>();
  secrets.forEach((secret, index) => {
    const property = `pullSecrets[${index}]`;
    if (secret === null || typeof secret !== 'object' || typeof secret.name !== 'string') {
      throw new ValidationError({ scope, property, problem: 'is not a registry secret', fix: 'pass a RegistrySecret or RegistrySecret.fromSecretName(...)' });
    }
    if (secret.namespace !== undefined && secret.namespace !== namespace) {
      throw new ValidationError({
        scope,
        property: `${property}.namespace`,
        value: `${secret.namespace}/${secret.name}`,
        problem: `is not the account's namespace "${namespace}"; pods read pull secrets only from their own namespace`,
        fix: `create the secret in "${namespace}" (or replicate it there with ReplicatedPullSecret)`,
      });
    }
    if (secret.purpose === RegistryPurpose.PUSH) {
      throw new ValidationError({
        scope,
        property: `${property}.purpose`,
        value: secret.name,
        problem: 'is a push secret; the kubelet uses imagePullSecrets only to pull',
        fix: 'attach a secret with purpose pull or pull-and-push',
      });
    }
    if (names.has(secret.name)) {
      throw new ValidationError({ scope, property, value: secret.name, problem: 'is listed twice', fix: 'list each secret once' });
    }
    names.add(secret.name);
  });
  return [...secrets];
}
