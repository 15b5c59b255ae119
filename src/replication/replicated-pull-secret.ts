import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { NamespaceInfo, NamespaceSelection, NamespaceSelectionKind } from './namespace-selection';
import { ReplicateToLint } from './pattern-lint';
import { applyArgoCd, ArgoCdOptions, ArgoCdSyncOption } from '../argocd';
import { RegistryCredentials } from '../credentials/registry-credentials';
import { SecretDelivery, SecretDeliveryKind, SecretStoreKind } from '../delivery/secret-delivery';
import { ValidationError } from '../errors';
import { RegistryPurpose, RegistrySecret } from '../registry-secret';

const MITTWALD_PREFIX = 'replicator.v1.mittwald.de/';
const REFLECTOR_PREFIX = 'reflector.v1.k8s.emberstack.com/';
const REPLICATE_TO = `${MITTWALD_PREFIX}replicate-to`;
const STRIP_LABELS = `${MITTWALD_PREFIX}strip-labels`;
const REFLECTOR_PATTERN_ANNOTATIONS: { [annotation: string]: string } = {
  [`${REFLECTOR_PREFIX}reflection-allowed-namespaces`]: 'allowedNamespaces',
  [`${REFLECTOR_PREFIX}reflection-auto-namespaces`]: 'autoNamespaces',
};
/** The label the API server puts on every namespace (Kubernetes 1.21+), which label selectors can match. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const DEFAULT_SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'default'];
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
   * Accept targets that include a system namespace.
   *
   * @default false
   */
  readonly allowSystemNamespaces?: boolean;

  /**
   * Accept patterns that also match the source namespace (mittwald and reflector skip it; External Secrets Operator
   * does not, and then fights over the source's ExternalSecret).
   *
   * @default false
   */
  readonly allowSourceNamespace?: boolean;

  /**
   * The namespaces that must not receive the secret.
   *
   * @default ['kube-system', 'kube-public', 'kube-node-lease', 'default']
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

  constructor(scope: Construct, id: string, props: ReplicatedPullSecretProps) {
    const targets = props.targets ?? NamespaceSelection.mittwaldReplicateTo(ReplicatedPullSecret.OPENCHOREO_DATA_PLANE_PATTERN);
    super(scope, id, {
      name: props.name,
      namespace: props.namespace ?? ReplicatedPullSecret.OPENCHOREO_SOURCE_NAMESPACE,
      credentials: props.credentials,
      delivery: props.delivery,
      purpose: RegistryPurpose.PULL,
      labels: props.labels,
      annotations: { ...props.annotations, ...replicationAnnotations(targets, props.copyLabels ?? false) },
      argoCd: props.argoCd,
    });
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

  private checkOwnAnnotations(props: ReplicatedPullSecretProps): void {
    const replicationKey = Object.keys(props.annotations ?? {})
      .find(key => key.startsWith(MITTWALD_PREFIX) || key.startsWith(REFLECTOR_PREFIX));
    if (replicationKey !== undefined) {
      throw new ValidationError({
        scope: this,
        property: `annotations["${replicationKey}"]`,
        value: props.annotations![replicationKey],
        problem: 'is a replication annotation, which would bypass the target checks',
        fix: 'set targets instead, e.g. NamespaceSelection.mittwaldReplicateTo("dp-.*"); copyLabels controls strip-labels',
      });
    }
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
    const systemNamespaces = safety.systemNamespaces ?? DEFAULT_SYSTEM_NAMESPACES;
    const replicateTo = this.targets.sourceAnnotations()[REPLICATE_TO];
    if (replicateTo !== undefined) {
      ReplicateToLint.validate(replicateTo, 'targets.replicateTo', this, { ...safety, systemNamespaces, sourceNamespace: this.sourceNamespace });
    }
    this.checkReflectorPatterns();
    const reached = systemNamespaces.filter(name => this.receives({ name }));
    if (reached.length > 0 && !safety.allowSystemNamespaces) {
      throw new ValidationError({
        scope: this,
        property: 'targets',
        value: reached.join(', '),
        problem: 'copies the pull secret into system namespaces, where everyone who may read Secrets there can read the registry credential',
        fix: 'narrow the selection (e.g. a name pattern such as "dp-.*" or a label only your namespaces carry), or set safety.allowSystemNamespaces: true if this is intended',
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

  /** The reflector throws on an invalid entry and stops evaluating the list, so every entry must compile. */
  private checkReflectorPatterns(): void {
    const annotations = this.targets.sourceAnnotations();
    for (const [annotation, property] of Object.entries(REFLECTOR_PATTERN_ANNOTATIONS)) {
      const entries = (annotations[annotation] ?? '').split(',').map(entry => entry.trim()).filter(entry => entry !== '');
      for (const entry of entries) {
        try {
          new RegExp(entry);
        } catch (e) {
          throw new ValidationError({
            scope: this,
            property: `targets.${property}`,
            value: annotations[annotation],
            problem: `the entry "${entry}" is not a valid regex (${(e as Error).message}); the reflector throws on it and stops evaluating the list`,
            fix: 'fix or remove the entry; write inline options such as (?i) out as classes (e.g. [Dd][Pp]-.*)',
          });
        }
      }
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
    const clusterExternalSecret = new ApiObject(this, 'ClusterExternalSecret', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ClusterExternalSecret',
      metadata: { name: this.name, labels: this.apiObject.metadata.toJson().labels },
      spec: {
        externalSecretName: this.name,
        namespaceSelectors: this.targets.namespaceSelectorSpecs(),
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

function withNameLabel(namespace: NamespaceInfo): NamespaceInfo {
  return { name: namespace.name, labels: { [NAMESPACE_NAME_LABEL]: namespace.name, ...namespace.labels } };
}
