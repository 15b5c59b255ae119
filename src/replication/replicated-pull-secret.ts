import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { NamespaceInfo, NamespaceSelection, NamespaceSelectionKind } from './namespace-selection';
import { ReplicateToLint } from './pattern-lint';
import { DEFAULT_PROTECTED_NAMESPACES, protectedNamespaces, UNRELATED_NAMESPACE_PROBE } from './protected-namespaces';
import { KubernetesReplicatorApplication } from './replicator-application';
import { applyArgoCd, ArgoCdOptions, ArgoCdSyncOption } from '../argocd';
import { RegistryCredentials } from '../credentials/registry-credentials';
import { SecretDelivery, SecretDeliveryKind, SecretStoreKind } from '../delivery/secret-delivery';
import { ValidationError } from '../errors';
import { checkProps } from '../props-check';
import { CHECKED_REPLICATION_ANNOTATIONS, RegistryPurpose, RegistrySecret } from '../registry-secret';
import { ClusterExternalSecret } from '../typed-objects';

const MITTWALD_PREFIX = 'replicator.v1.mittwald.de/';
const REPLICATE_TO = `${MITTWALD_PREFIX}replicate-to`;
const STRIP_LABELS = `${MITTWALD_PREFIX}strip-labels`;
/** The label the API server puts on every namespace (Kubernetes 1.21+), which label selectors can match. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const SECRET_WAVE = -1;

/**
 * Which risky target selections a `ReplicatedPullSecret` accepts. Everything here is rejected by default: a pull
 * secret copied into the wrong namespaces hands the registry credential to everyone who can read Secrets there.
 */
export interface ReplicationSafetyOptions {
  /**
   * Accept glob-looking `replicate-to` entries such as `dp-*` (which, as a regex, match `dp`, `dp-`, `dp--`, never
   * `dp-foo`).
   *
   * @default false
   */
  readonly allowGlobLike?: boolean;

  /**
   * Protected namespaces (see `systemNamespaces`) that may receive a copy, each named. There is no blanket opt-in:
   * every protected namespace a selection reaches must be listed here.
   *
   * @default - none
   */
  readonly allowedProtectedNamespaces?: string[];

  /**
   * Accept a selection that reaches every namespace it does not explicitly exclude (`.*`, an empty reflector list,
   * `name notin (…)`, `!label`): it also reaches namespaces created later, such as a new controller's.
   *
   * @default false
   */
  readonly allowEveryNamespace?: boolean;

  /**
   * Accept patterns that also match the source namespace (mittwald and reflector skip it; External Secrets Operator
   * does not, and then fights over the source's ExternalSecret).
   *
   * @default false
   */
  readonly allowSourceNamespace?: boolean;

  /**
   * More namespaces that must not receive the secret, protected in addition to
   * `ReplicatedPullSecret.DEFAULT_PROTECTED_NAMESPACES` (the list only adds, it never removes a default).
   *
   * @default - only the default protected namespaces
   */
  readonly systemNamespaces?: string[];
}

/** Properties of a `ReplicatedPullSecret`. */
export interface ReplicatedPullSecretProps {
  /**
   * The Secret's name; the copies have the same name, so it is what pods' `imagePullSecrets` and the DataPlane's
   * `registry.secretRef` name.
   *
   * @default - the construct id in DNS-1123 form (`DockerHubPull` → `docker-hub-pull`)
   */
  readonly name?: string;

  /**
   * The source namespace.
   *
   * @default 'choreo-system' (OpenChoreo proposal 0246)
   */
  readonly namespace?: string;

  /** The registries and how each is authenticated. */
  readonly credentials: RegistryCredentials[];

  /**
   * How the source Secret reaches the cluster.
   *
   * @default - from the values, as for `RegistrySecret`
   */
  readonly delivery?: SecretDelivery;

  /**
   * Which namespaces receive a copy, and by which replication backend.
   *
   * @default NamespaceSelection.mittwaldReplicateTo('dp-.*') — every OpenChoreo data-plane namespace, also later ones
   */
  readonly targets?: NamespaceSelection;

  /**
   * Risky selections to accept.
   *
   * @default - none accepted
   */
  readonly safety?: ReplicationSafetyOptions;

  /**
   * Let mittwald copy the source's labels onto the copies. Off by default (`strip-labels: "true"`): with Argo CD label
   * tracking the copied `app.kubernetes.io/instance` label makes Argo CD claim and prune the copies, and a source
   * written by External Secrets carries its `reconcile.external-secrets.io/*` labels, which the copies must not claim.
   * Only for mittwald targets; reflector and External Secrets Operator never copy the source's labels.
   *
   * @default false
   */
  readonly copyLabels?: boolean;

  /**
   * Extra labels for the source Secret.
   *
   * @default - only the purpose label
   */
  readonly labels?: { [key: string]: string };

  /**
   * Extra annotations for the source Secret. Replication annotations come from `targets` and may not be given here.
   *
   * @default - only the registries and replication annotations
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Argo CD sync settings of the source Secret and the ClusterExternalSecret.
   *
   * @default - sync wave -1; `SkipDryRunOnMissingResource=true` on custom resources
   */
  readonly argoCd?: ArgoCdOptions;
}

/**
 * An image pull secret in one source namespace that appears in every matching target namespace, including namespaces
 * created later: mittwald kubernetes-replicator annotations (the default, `replicate-to: "dp-.*"` as in OpenChoreo
 * proposal 0246), emberstack reflector annotations, or an External Secrets Operator `ClusterExternalSecret`.
 *
 * The replication annotations land on the Secret itself whatever the delivery: on a plain Secret, in a SealedSecret's
 * `spec.template.metadata`, in an ExternalSecret's `spec.target.template.metadata`. Target selections are checked
 * before synthesis (`ReplicateToLint` for mittwald, reachability of system namespaces for every backend), and
 * `preview` shows which namespaces receive a copy.
 *
 * @see https://github.com/mittwald/kubernetes-replicator#push-based-replication
 * @see https://github.com/emberstack/kubernetes-reflector#automatic-mirror-creation
 * @see https://external-secrets.io/latest/api/clusterexternalsecret/
 * @see https://github.com/openchoreo/openchoreo/pull/252
 */
export class ReplicatedPullSecret extends RegistrySecret {
  /** The source namespace of OpenChoreo pull secrets (proposal 0246). */
  public static readonly OPENCHOREO_SOURCE_NAMESPACE = 'choreo-system';
  /** The default mittwald `replicate-to` value: every OpenChoreo data-plane namespace. */
  public static readonly OPENCHOREO_DATA_PLANE_PATTERN = 'dp-.*';
  /**
   * The namespaces no copy may reach unless each is named in `safety.allowedProtectedNamespaces`: the Kubernetes
   * system namespaces and the namespaces of the controllers a platform runs (Argo CD, External Secrets, Sealed
   * Secrets, cert-manager, Istio, OpenChoreo, Konflux image-controller).
   */
  public static readonly DEFAULT_PROTECTED_NAMESPACES: string[] = [...DEFAULT_PROTECTED_NAMESPACES];

  /** Which namespaces receive a copy, and how. */
  public readonly targets: NamespaceSelection;
  /** The source namespace. */
  public readonly sourceNamespace: string;
  /**
   * The `ClusterExternalSecret` that copies the secret, for External Secrets Operator targets.
   *
   * @default - none for annotation-based targets
   */
  public readonly clusterExternalSecret?: ApiObject;

  constructor(scope: Construct, id: string, rawProps: ReplicatedPullSecretProps) {
    // No construct yet (super() comes first), so errors name the props, not a path.
    const props = checkProps(undefined, rawProps, 'ReplicatedPullSecretProps');
    const targets = props.targets ?? NamespaceSelection.mittwaldReplicateTo(ReplicatedPullSecret.OPENCHOREO_DATA_PLANE_PATTERN);
    super(scope, id, {
      name: props.name,
      namespace: props.namespace ?? ReplicatedPullSecret.OPENCHOREO_SOURCE_NAMESPACE,
      credentials: props.credentials,
      delivery: props.delivery,
      purpose: RegistryPurpose.PULL,
      labels: props.labels,
      annotations: props.annotations,
      argoCd: props.argoCd,
      [CHECKED_REPLICATION_ANNOTATIONS]: replicationAnnotations(targets, props.copyLabels ?? false),
    } as ConstructorParameters<typeof RegistrySecret>[2]);
    this.targets = targets;
    this.sourceNamespace = this.namespace!;
    this.checkOwnAnnotations(props);
    this.checkTargets(props.safety ?? {});
    if (targets.kind === NamespaceSelectionKind.EXTERNAL_SECRETS) {
      this.clusterExternalSecret = this.renderClusterExternalSecret(props.argoCd);
    }
  }

  /**
   * Whether the backend puts a copy into this namespace. The namespace's `kubernetes.io/metadata.name` label is added
   * when missing, as the API server does.
   *
   * @param namespace the candidate namespace
   */
  public receives(namespace: NamespaceInfo): boolean {
    return this.targets.receives(withNameLabel(namespace), this.sourceNamespace);
  }

  /**
   * The names of the namespaces that receive a copy, in input order (see `receives`).
   *
   * @param namespaces the namespaces of the cluster, e.g. OpenChoreo data-plane namespaces from
   *   `OpenChoreoNames.dataPlaneNamespace`
   */
  public preview(namespaces: NamespaceInfo[]): string[] {
    return namespaces.filter(namespace => this.receives(namespace)).map(namespace => namespace.name);
  }

  /** Replication annotations in `annotations` are refused by `RegistrySecret` before this runs. */
  private checkOwnAnnotations(props: ReplicatedPullSecretProps): void {
    if (props.copyLabels !== undefined && this.targets.kind !== NamespaceSelectionKind.MITTWALD) {
      throw new ValidationError({
        scope: this,
        property: 'copyLabels',
        value: String(props.copyLabels),
        problem: `only applies to mittwald targets; ${this.targets.kind} never copies the source's labels`,
        fix: 'remove copyLabels',
      });
    }
  }

  private checkTargets(safety: ReplicationSafetyOptions): void {
    checkSafetyOptions(this, safety);
    const allowed = new Set(safety.allowedProtectedNamespaces ?? []);
    const candidates = protectedNamespaces(safety.systemNamespaces ?? []).filter(name => name !== this.sourceNamespace);
    const excludedByClaim = this.namespacesExcludedByClaim(candidates);
    const replicateTo = this.targets.sourceAnnotations()[REPLICATE_TO];
    if (replicateTo !== undefined) {
      ReplicateToLint.validate(replicateTo, 'targets.replicateTo', this, {
        allowGlobLike: safety.allowGlobLike,
        allowSourceNamespace: safety.allowSourceNamespace,
        allowedProtectedNamespaces: [...allowed],
        controllerExcludedNamespaces: excludedByClaim,
        systemNamespaces: safety.systemNamespaces,
        sourceNamespace: this.sourceNamespace,
      });
    }
    this.checkReflectorPatterns();
    const reached = candidates.filter(name => this.receives({ name }) && !allowed.has(name));
    if (reached.length > 0) {
      throw new ValidationError({
        scope: this,
        property: 'targets',
        value: reached.join(', '),
        problem: `copies the pull secret into protected namespaces (${reached.map(name => `"${name}"`).join(', ')}), where everyone who may read Secrets there can read the registry credential`,
        fix: 'narrow the selection (e.g. a name pattern such as "dp-.*" or a label only your namespaces carry), or name each namespace that is meant to receive it in safety.allowedProtectedNamespaces',
      });
    }
    if (!safety.allowEveryNamespace && this.receives({ name: UNRELATED_NAMESPACE_PROBE })) {
      throw new ValidationError({
        scope: this,
        property: 'targets',
        problem: 'reaches every namespace it does not exclude by name, also namespaces created later (a new controller\'s, a tenant\'s), so it is judged by what it reaches, not by what it excludes',
        fix: 'select the target namespaces positively: a name pattern such as "dp-.*" or a label only they carry (e.g. openchoreo.dev/dataplane=true); or set safety.allowEveryNamespace: true if this is intended',
      });
    }
    // mittwald and reflector skip the source namespace themselves; External Secrets Operator does not.
    if (this.targets.kind === NamespaceSelectionKind.EXTERNAL_SECRETS && !safety.allowSourceNamespace
      && this.targets.receives(withNameLabel({ name: this.sourceNamespace }), this.sourceNamespace)) {
      throw new ValidationError({
        scope: this,
        property: 'targets',
        value: this.sourceNamespace,
        problem: 'selects the source namespace too, where the ClusterExternalSecret would create a second ExternalSecret of the same name and report it as failed',
        fix: 'select the target namespaces by a label the source namespace does not carry, or set safety.allowSourceNamespace: true',
      });
    }
  }

  /**
   * The protected namespaces kept out only by the selection's `controllerExcludeNamespaces` claim. The claim counts
   * only if the replicator installed in the same App runs with exactly that flag, checked at synthesis, when the whole
   * App is known.
   */
  private namespacesExcludedByClaim(candidates: string[]): string[] {
    const claim = this.targets._controllerExcludeNamespaces();
    if (claim === undefined) {
      return [];
    }
    const unclaimed = this.targets._withoutControllerExclusions();
    const excluded = candidates.filter(name => !this.receives({ name }) && unclaimed.receives(withNameLabel({ name }), this.sourceNamespace));
    if (excluded.length > 0) {
      this.node.addValidation({ validate: () => this.verifyClaim(claim, excluded) });
    }
    return excluded;
  }

  private verifyClaim(claim: string, excluded: string[]): string[] {
    const installs = this.node.root.node.findAll().filter((c): c is KubernetesReplicatorApplication => c instanceof KubernetesReplicatorApplication);
    const fix = `install the replicator in the same App with new KubernetesReplicatorApplication(scope, id, { excludeNamespaces: ${JSON.stringify(claim)} }), or drop the claim and narrow the targets`;
    const reason = `the claim keeps ${excluded.map(name => `"${name}"`).join(', ')} out`;
    if (installs.length === 0) {
      throw new ValidationError({
        scope: this,
        property: 'targets.controllerExcludeNamespaces',
        value: claim,
        problem: `${reason}, but no KubernetesReplicatorApplication in this App runs the replicator, so the claim cannot be checked`,
        fix,
      });
    }
    const differing = installs.filter(install => install.excludeNamespaces !== claim);
    if (differing.length > 0) {
      const flags = differing.map(install => (install.excludeNamespaces === undefined ? `${install.node.path} (no flag)` : `${install.node.path} ("${install.excludeNamespaces}")`));
      throw new ValidationError({
        scope: this,
        property: 'targets.controllerExcludeNamespaces',
        value: claim,
        problem: `${reason}, but the replicator runs with a different --exclude-namespaces: ${flags.join(', ')}`,
        fix,
      });
    }
    return [];
  }

  /** The reflector's name lists must stay within the regex subset .NET and the preview read alike. */
  private checkReflectorPatterns(): void {
    const [first] = this.targets._patternProblems();
    if (first !== undefined) {
      throw new ValidationError({
        scope: this,
        property: `targets.${first.property}`,
        value: first.value,
        problem: first.problem,
        fix: `fix or remove the entry: ${first.fix}`,
      });
    }
  }

  private renderClusterExternalSecret(argoCd: ArgoCdOptions | undefined): ApiObject {
    if (this.deliveryKind !== SecretDeliveryKind.EXTERNAL_SECRET) {
      throw new ValidationError({
        scope: this,
        property: 'delivery',
        value: this.deliveryKind,
        problem: 'must be an ExternalSecret: the ClusterExternalSecret creates the same ExternalSecret in every target namespace',
        fix: 'give the values with SecretValue.fromExternalSecret and pass delivery: SecretDelivery.externalSecret({ store: { name: "<ClusterSecretStore>" } }), or choose mittwald or reflector targets',
      });
    }
    const spec = this.apiObject.toJson().spec;
    if (spec.dataFrom !== undefined) {
      throw new ValidationError({
        scope: this,
        property: 'credentials',
        value: this.registries.join(', '),
        problem: 'use a token generator, which is a namespaced object in the source namespace that ExternalSecrets in other namespaces cannot reference',
        fix: 'use mittwald or reflector targets to copy the generated Secret, or store values with SecretValue.fromExternalSecret',
      });
    }
    if (spec.secretStoreRef.kind !== SecretStoreKind.CLUSTER_SECRET_STORE) {
      throw new ValidationError({
        scope: this,
        property: 'delivery.store.kind',
        value: spec.secretStoreRef.kind,
        problem: 'is a namespaced SecretStore, which ExternalSecrets in the target namespaces cannot read',
        fix: 'use a ClusterSecretStore: store: { name, kind: SecretStoreKind.CLUSTER_SECRET_STORE }',
      });
    }
    const clusterExternalSecret = new ClusterExternalSecret(this, 'ClusterExternalSecret', {
      metadata: { name: this.name, labels: this.apiObject.metadata.toJson().labels },
      spec: {
        externalSecretName: this.name,
        namespaceSelectors: this.targets.namespaceSelectorSpecs(),
        // The ExternalSecret's spec as written (escape hatches included): both CRDs spell its fields the same.
        externalSecretSpec: spec,
      },
    });
    // cdk8s stamps the chart's namespace on every object; a cluster-scoped object must not have one.
    if (Chart.of(this).namespace !== undefined) {
      clusterExternalSecret.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
    applyArgoCd(clusterExternalSecret, argoCd, SECRET_WAVE, [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE]);
    return clusterExternalSecret;
  }
}

function replicationAnnotations(targets: NamespaceSelection, copyLabels: boolean): { [key: string]: string } {
  const annotations = targets.sourceAnnotations();
  return targets.kind === NamespaceSelectionKind.MITTWALD && !copyLabels
    ? { ...annotations, [STRIP_LABELS]: 'true' }
    : annotations;
}

/** JavaScript callers get no type checks: the safety options are checked at run time, and the old blanket opt-in is refused. */
function checkSafetyOptions(scope: Construct, safety: ReplicationSafetyOptions): void {
  if ((safety as { allowSystemNamespaces?: unknown }).allowSystemNamespaces !== undefined) {
    throw new ValidationError({
      scope,
      property: 'safety.allowSystemNamespaces',
      value: String((safety as { allowSystemNamespaces?: unknown }).allowSystemNamespaces),
      problem: 'no longer exists: a blanket opt-in would open every protected namespace at once',
      fix: 'name each protected namespace that is meant to receive the secret in safety.allowedProtectedNamespaces',
    });
  }
  for (const property of ['allowedProtectedNamespaces', 'systemNamespaces'] as const) {
    const list = safety[property];
    if (list !== undefined && (!Array.isArray(list) || list.some(name => typeof name !== 'string'))) {
      throw new ValidationError({ scope, property: `safety.${property}`, value: String(list), problem: 'must be a list of namespace names', fix: 'pass an array of strings, e.g. ["argocd"]' });
    }
  }
}

function withNameLabel(namespace: NamespaceInfo): NamespaceInfo {
  return { name: namespace.name, labels: { [NAMESPACE_NAME_LABEL]: namespace.name, ...namespace.labels } };
}
