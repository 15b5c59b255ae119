import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { applyArgoCd, ArgoCdOptions, ArgoCdSyncOption } from './argocd';
import { PURPOSE_LABEL, REGISTRIES_ANNOTATION } from './constants';
import { RegistryCredentials } from './credentials/registry-credentials';
import { defaultDelivery, SecretDelivery, SecretDeliveryKind } from './delivery/secret-delivery';
import { dnsNameFromId } from './dns-name';
import { ValidationError } from './errors';
import { KubernetesNames } from './names';
import { checkOptionalProps, checkProps } from './props-check';
import { RegistryChecks } from './registry-checks';
import { optionalInstance, requireArray, requireInstance } from './runtime-checks';
import { DockerConfig, DockerConfigKeyWarning } from './values/docker-config';
import { warn } from './warnings';

// The label and annotation names live in the one constants module (the doctor reads them without the constructs).
export { PURPOSE_LABEL, REGISTRIES_ANNOTATION };

/**
 * Where `ReplicatedPullSecret` hands its checked replication annotations to `RegistrySecret`: a symbol, so no props
 * object a user writes (in TypeScript or JavaScript) can carry them past `refuseReplicationAnnotations`.
 * @internal
 */
export const CHECKED_REPLICATION_ANNOTATIONS = Symbol('cdk8s-registries.checkedReplicationAnnotations');

const REPLICATION_ANNOTATION_PREFIXES = ['replicator.v1.mittwald.de/', 'reflector.v1.k8s.emberstack.com/'];

/** A replication annotation on a plain registry secret would copy the credential without any check on where to. */
function refuseReplicationAnnotations(scope: IConstruct, annotations: { [key: string]: string } | undefined): void {
  const key = Object.keys(annotations ?? {})
    .find(candidate => REPLICATION_ANNOTATION_PREFIXES.some(prefix => candidate.toLowerCase().startsWith(prefix)));
  if (key !== undefined) {
    throw new ValidationError({
      scope,
      property: `annotations["${key}"]`,
      value: String(annotations![key]),
      problem: 'is a replication annotation, which would copy the credential into other namespaces without any check on which ones',
      fix: 'use ReplicatedPullSecret and set its targets instead, e.g. targets: NamespaceSelection.mittwaldReplicateTo("dp-.*"); it refuses system and controller namespaces',
    });
  }
}

/** The default sync wave of registry secrets: before the workloads and custom resources that use them. */
const SECRET_WAVE = -1;

/** What a registry secret is used for. Written as the `cdk8s-registries/purpose` label. */
export enum RegistryPurpose {
  /** Image pulls by the kubelet (`imagePullSecrets`). */
  PULL = 'pull',
  /** Image pushes by build or release pipelines. */
  PUSH = 'push',
  /** Both. */
  PULL_AND_PUSH = 'pull-and-push',
}

/**
 * A `kubernetes.io/dockerconfigjson` Secret for one or more registries, wherever it comes from. Usable wherever
 * cdk8s-plus-28 takes an `ISecret` (a workload's `dockerRegistryAuth`, a ServiceAccount's secrets).
 */
export interface IRegistrySecret extends kplus.ISecret {
  /** The namespace of the Secret, when known. */
  readonly namespace?: string;
  /** The registries (`auths` keys) the Secret holds credentials for, when known. */
  readonly registries: string[];
  /** What the Secret is for. */
  readonly purpose: RegistryPurpose;
}

/** Options for `RegistrySecret.fromSecretName`. */
export interface ExistingRegistrySecretOptions {
  /**
   * The namespace of the existing Secret.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The registries (`auths` keys) it holds credentials for, so that pull checks can tell whether it covers an image.
   *
   * @default - unknown: pull checks cannot use it
   */
  readonly registries?: string[];
  /**
   * What it is for.
   *
   * @default RegistryPurpose.PULL
   */
  readonly purpose?: RegistryPurpose;
}

/** Properties of a `RegistrySecret`. */
export interface RegistrySecretProps {
  /**
   * The Secret's name. Other systems (pods, DataPlanes, service accounts) reference it, so it never depends on where
   * the construct sits in the tree.
   *
   * @default - the construct id in DNS-1123 form (`GhcrPull` → `ghcr-pull`)
   */
  readonly name?: string;

  /**
   * The Secret's namespace.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /** The registries and how each is authenticated. At least one; no two with the same registry. */
  readonly credentials: RegistryCredentials[];

  /**
   * How the Secret reaches the cluster.
   *
   * @default - from the values: a plain Secret for `SecretValue.unsafePlainText`, a SealedSecret for
   * `SecretValue.sealed`; token generators and `SecretValue.fromExternalSecret` need `SecretDelivery.externalSecret`
   */
  readonly delivery?: SecretDelivery;

  /**
   * What the Secret is for, written as the `cdk8s-registries/purpose` label.
   *
   * @default RegistryPurpose.PULL
   */
  readonly purpose?: RegistryPurpose;

  /**
   * Extra labels for the Secret.
   *
   * @default - only the purpose label
   */
  readonly labels?: { [key: string]: string };

  /**
   * Extra annotations for the Secret. Replication annotations (mittwald `replicator.v1.mittwald.de/*`, reflector
   * `reflector.v1.k8s.emberstack.com/*`) are refused here: use `ReplicatedPullSecret`, which checks where the copies go.
   *
   * @default - only the registries annotation
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Argo CD sync settings.
   *
   * @default - sync wave -1; `SkipDryRunOnMissingResource=true` on SealedSecret and ExternalSecret
   */
  readonly argoCd?: ArgoCdOptions;
}

/**
 * A registry secret: one `kubernetes.io/dockerconfigjson` Secret holding the credentials of one or more registries,
 * delivered as a plain Secret (explicitly unsafe), a Bitnami SealedSecret, or an External Secrets ExternalSecret — so a
 * platform engineer declares a registry once and no credential has to be committed to Git.
 *
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/
 */
export class RegistrySecret extends Construct implements IRegistrySecret {
  /** The label that says what a registry secret is for (`pull`, `push`, `pull-and-push`). */
  public static readonly PURPOSE_LABEL = PURPOSE_LABEL;
  /** The annotation listing the registries (`auths` keys) a registry secret holds credentials for, comma-separated. */
  public static readonly REGISTRIES_ANNOTATION = REGISTRIES_ANNOTATION;

  /**
   * A reference to a registry Secret that already exists (created by hand, by an operator such as Konflux's
   * image-controller, or by another application). Emits nothing.
   */
  public static fromSecretName(scope: Construct, id: string, name: string, options: ExistingRegistrySecretOptions = {}): IRegistrySecret {
    return new ExistingRegistrySecret(scope, id, name, options);
  }

  public readonly name: string;
  public readonly namespace?: string;
  public readonly registries: string[];
  public readonly purpose: RegistryPurpose;
  /** How the Secret reaches the cluster. */
  public readonly deliveryKind: SecretDeliveryKind;
  /** The credentials, in the order given. */
  public readonly credentials: RegistryCredentials[];
  /** The object that carries the Secret into the cluster: a Secret, SealedSecret or ExternalSecret. */
  public readonly apiObject: ApiObject;

  public readonly apiVersion = 'v1';
  public readonly kind = 'Secret';
  public readonly apiGroup = '';
  public readonly resourceType = 'secrets';

  constructor(scope: Construct, id: string, rawProps: RegistrySecretProps) {
    super(scope, id);
    const props = checkProps(this, rawProps, 'RegistrySecretProps');
    this.name = props.name ?? dnsNameFromId(id);
    KubernetesNames.validateDns1123Subdomain(this.name, 'name', this);
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    if (this.namespace !== undefined) {
      KubernetesNames.validateDns1123Label(this.namespace, 'namespace', this);
    }
    claimName(this, this.namespace, this.name);
    RegistryChecks.of(this);
    this.credentials = requireArray(props.credentials, { property: 'credentials', scope: this }).map((c, i) => requireInstance(c, RegistryCredentials,
      'RegistryCredentials', { property: `credentials[${i}]`, scope: this }, 'build it with a RegistryCredentials factory, e.g. RegistryCredentials.basic(...)'));
    this.registries = checkCredentials(this, this.credentials);
    this.purpose = props.purpose ?? RegistryPurpose.PULL;
    const delivery = optionalInstance(props.delivery, SecretDelivery, 'SecretDelivery', { property: 'delivery', scope: this },
      'build it with SecretDelivery.plainSecret(), .sealedSecret(...) or .externalSecret(...)') ?? (this.credentials.some(c => c._parts.generator)
      ? SecretDelivery.externalSecret()
      : defaultDelivery(this, this.credentials.flatMap(c => c.valueSources), 'credentials'));
    this.deliveryKind = delivery.kind;

    refuseReplicationAnnotations(this, props.annotations);
    const rendered = delivery._render({
      scope: this,
      name: this.name,
      namespace: this.namespace,
      credentials: this.credentials,
      secretLabels: { ...props.labels, [PURPOSE_LABEL]: this.purpose },
      secretAnnotations: {
        ...props.annotations,
        ...(props as { [CHECKED_REPLICATION_ANNOTATIONS]?: { [key: string]: string } })[CHECKED_REPLICATION_ANNOTATIONS],
        [REGISTRIES_ANNOTATION]: [...this.registries].sort().join(','),
      },
    });
    const isCustomResource = this.deliveryKind !== SecretDeliveryKind.PLAIN_SECRET;
    const requiredOptions = isCustomResource ? [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE] : [];
    // Dependencies (token generators) sync one wave before the object that reads them, also for a custom wave.
    const dependencyArgoCd = { ...props.argoCd, syncWave: (props.argoCd?.syncWave ?? SECRET_WAVE) - 1 };
    rendered.dependencies.forEach((object, index) => {
      applyArgoCd(object.create(this, `Dependency${index}`), dependencyArgoCd, SECRET_WAVE - 1, requiredOptions);
    });
    this.apiObject = rendered.main.create(this, 'Resource');
    applyArgoCd(this.apiObject, props.argoCd, SECRET_WAVE, requiredOptions);
  }

  /** The Secret's name, for RBAC rules. */
  public get resourceName(): string | undefined {
    return this.name;
  }

  /** An environment variable value from a key of the Secret (cdk8s-plus `ISecret`). */
  public envValue(key: string, options?: kplus.EnvValueFromSecretOptions): kplus.EnvValue {
    return kplus.EnvValue.fromSecretValue({ secret: this, key }, options);
  }
}

class ExistingRegistrySecret extends Construct implements IRegistrySecret {
  public readonly namespace?: string;
  public readonly registries: string[];
  public readonly purpose: RegistryPurpose;
  public readonly apiVersion = 'v1';
  public readonly kind = 'Secret';
  public readonly apiGroup = '';
  public readonly resourceType = 'secrets';

  constructor(scope: Construct, id: string, public readonly name: string, rawOptions: ExistingRegistrySecretOptions) {
    super(scope, id);
    const options = checkOptionalProps(this, rawOptions, 'ExistingRegistrySecretOptions', 'options');
    KubernetesNames.validateDns1123Subdomain(name, 'name', this);
    this.namespace = options.namespace ?? Chart.of(this).namespace;
    this.registries = [...(options.registries ?? [])];
    this.purpose = options.purpose ?? RegistryPurpose.PULL;
    RegistryChecks.of(this);
  }

  public get resourceName(): string | undefined {
    return this.name;
  }

  public envValue(key: string, options?: kplus.EnvValueFromSecretOptions): kplus.EnvValue {
    return kplus.EnvValue.fromSecretValue({ secret: this, key }, options);
  }
}

// Secrets claimed per app (one app is one cluster), so two RegistrySecrets never synthesize the same namespace/name (cdk8s would emit both and
// the second would silently overwrite the first in the cluster).
// The claiming construct is kept, not its path: a path is worked out only for an error (it costs a walk to the root).
const CLAIMED_NAMES = new WeakMap<IConstruct, Map<string, IConstruct>>();

function claimName(scope: IConstruct, namespace: string | undefined, name: string): void {
  const root = scope.node.root;
  let claimed = CLAIMED_NAMES.get(root);
  if (claimed === undefined) {
    claimed = new Map<string, IConstruct>();
    CLAIMED_NAMES.set(root, claimed);
  }
  const key = `${namespace ?? ''}/${name}`;
  const other = claimed.get(key);
  if (other !== undefined) {
    throw new ValidationError({
      scope,
      property: 'name',
      value: key,
      problem: `is already used by the RegistrySecret at ${other.node.path} in the same App; one App is one cluster's output`,
      fix: 'if both are for one cluster, give one of them another name or put both registries into one RegistrySecret; '
        + 'if they are for different clusters, give each cluster its own App (new App({ outdir: "dist/<cluster>" })) and '
        + 'create the secret once in each',
    });
  }
  claimed.set(key, scope);
}


/** Validates the credentials list and returns the registries it covers. */
function checkCredentials(scope: IConstruct, credentials: RegistryCredentials[]): string[] {
  if (credentials.length === 0) {
    throw new ValidationError({
      scope,
      property: 'credentials',
      problem: 'is empty',
      fix: 'pass at least one RegistryCredentials, e.g. RegistryCredentials.basic("ghcr.io", "user", SecretValue.fromExternalSecret("registry/ghcr"))',
    });
  }
  const seen = new Set<string>();
  credentials.forEach((c, index) => {
    if (!c.requiresSecret) {
      throw new ValidationError({
        scope,
        property: `credentials[${index}]`,
        value: `${c.authType} ${c.registry}`,
        problem: 'needs no Secret: anonymous and vendor-managed registries are pulled without credentials',
        fix: 'leave it out of the RegistrySecret; declare it where pulls are checked (e.g. a workload\'s public registries)',
      });
    }
    if (seen.has(c.registry)) {
      throw new ValidationError({
        scope,
        property: `credentials[${index}].registry`,
        value: c.registry,
        problem: 'appears twice; a docker config holds one entry per registry key',
        fix: 'keep one credential per registry, or put the second one in its own RegistrySecret',
      });
    }
    seen.add(c.registry);
    checkRegistryKey(scope, c.registry, `credentials[${index}].registry`);
    if (c._parts.dockerConfig && credentials.length > 1) {
      throw new ValidationError({
        scope,
        property: `credentials[${index}]`,
        value: c.registry,
        problem: 'is a whole Docker config JSON, which must be the only credential of its Secret',
        fix: 'put the Docker config in its own RegistrySecret',
      });
    }
  });
  return credentials.map(c => c.registry);
}

// Keys that work for some images but probably not the ones meant: a synth warning (the pull-coverage check turns a
// real mismatch into an error). Every other key warning is a key the kubelet never matches as written: an error.
const SOFT_KEY_WARNINGS = ['docker-hub-alias', 'trailing-slash', 'path-prefix'];

// A platform writes hundreds of secrets for a handful of registry keys: the kubelet's reading of each key is worked out
// once (it depends on the key alone). Bounded, so that a long-running process with endless distinct keys stays small.
const KEY_WARNINGS = new Map<string, readonly DockerConfigKeyWarning[]>();
const KEY_WARNINGS_LIMIT = 1024;

function keyWarnings(registry: string): readonly DockerConfigKeyWarning[] {
  let warnings = KEY_WARNINGS.get(registry);
  if (warnings === undefined) {
    warnings = DockerConfig.warningsForKey(registry);
    if (KEY_WARNINGS.size >= KEY_WARNINGS_LIMIT) {
      KEY_WARNINGS.clear();
    }
    KEY_WARNINGS.set(registry, warnings);
  }
  return warnings;
}

function checkRegistryKey(scope: IConstruct, registry: string, property: string): void {
  for (const warning of keyWarnings(registry)) {
    if (SOFT_KEY_WARNINGS.includes(warning.code)) {
      warn(scope, warning.code, `${property} "${registry}": ${warning.problem}. Fix: ${warning.fix}`);
    } else {
      throw new ValidationError({ scope, property, value: registry, problem: warning.problem, fix: warning.fix });
    }
  }
}
