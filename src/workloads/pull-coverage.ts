import { ApiObject } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { DOCKER_CONFIG_JSON_KEY, DOCKER_CONFIG_JSON_TYPE, DOCKER_HUB_KEY } from '../constants';
import { RegistryAuthType, RegistryCredentials } from '../credentials/registry-credentials';
import { ValidationError } from '../errors';
import { checkOptionalProps } from '../props-check';
import { isConstruct } from '../runtime-checks';
import { oncePerSynth, trackSynths } from '../synth-pass';
import { DockerConfig } from '../values/docker-config';
import { ImageReference } from '../values/image-reference';
import { KubeletKeyring } from '../values/kubelet-keyring';
import { effectivePullSecrets, podServiceAccountName, referenceNames } from '../values/pod-pull-secrets';

/** Options of a `PullCoverage` check. */
export interface PullCoverageOptions {
  /**
   * Registries that are pulled without a pull secret and therefore count as covered: public registries
   * (`RegistryCredentials.anonymous`) and registries the node's cloud identity pulls from
   * (`RegistryCredentials.vendorManaged`). An anonymous Docker Hub host (`registry.hub.docker.com`, `docker.io`, ...)
   * covers Docker Hub images written with any of its hosts.
   *
   * @default - none: every image needs a pull secret that covers it
   */
  readonly registriesWithoutSecret?: RegistryCredentials[];

  /**
   * Accept pull secrets whose registries cannot be known: `RegistrySecret.fromSecretName` without `registries`,
   * names of Secrets that are not in the app, and ServiceAccounts that are not in the app (their pull secrets are
   * unknown). An image that no known credential covers is then reported as `ImagePullCoverage.UNVERIFIED` instead of
   * failing synth.
   *
   * Prefer declaring the registries (`RegistrySecret.fromSecretName(scope, id, name, { registries: ['ghcr.io'] })`):
   * an unknown secret is exactly where an `ImagePullBackOff` hides.
   *
   * @default false
   */
  readonly trustUndeclaredSecrets?: boolean;
}

/** How the pull of one container image is covered. */
export enum ImagePullCoverage {
  /** An `auths` key of an attached pull secret matches the image, as the kubelet matches it. */
  PULL_SECRET = 'pull-secret',
  /** The image's registry is declared anonymous (public) or vendor-managed (node identity). */
  WITHOUT_SECRET = 'without-secret',
  /** `imagePullPolicy: Never`: the kubelet never pulls the image. */
  NEVER_PULLED = 'never-pulled',
  /**
   * No pull secret of the pod and none in its namespace is for the image's registry: the app's default check takes
   * the image as public (`PullCoverage.of/ofAll` report such an image as `NOT_COVERED`).
   */
  ASSUMED_PUBLIC = 'assumed-public',
  /**
   * Not covered by a known credential, but a pull secret with unknown registries is attached, or the ServiceAccount
   * is outside the app, and that is trusted.
   */
  UNVERIFIED = 'unverified',
  /** Nothing covers the image: the kubelet pulls anonymously, and a private image ends in `ImagePullBackOff`. */
  NOT_COVERED = 'not-covered',
  /** The image is not a valid reference: the kubelet reports `InvalidImageName`. */
  INVALID_IMAGE = 'invalid-image',
}

/** The result of checking one container image of one workload. */
export interface ImagePullReport {
  /** The construct path of the workload (the cdk8s-plus construct, or the `ApiObject` itself). */
  readonly workloadPath: string;
  /** Where the image is in the object, e.g. `spec.template.spec.containers[0].image`. */
  readonly imagePath: string;
  /** The container's name. */
  readonly containerName: string;
  /** The image as written in the container. */
  readonly image: string;
  /** How the pull is covered. */
  readonly coverage: ImagePullCoverage;
  /** The keys the kubelet would try, in order, as `namespace/secret: key`. Empty unless covered by a pull secret. */
  readonly matchedKeys: string[];
  /** Every credential the workload can use, as `namespace/secret: key` (or what is unknown about a secret). */
  readonly availableKeys: string[];
  /**
   * The error message for an image that is not covered or not valid.
   *
   * @default - the pull is covered
   */
  readonly message?: string;
}

/**
 * A synth-time check that every container and init-container image of a workload is covered by a credential the
 * workload can use — the cause of most `ImagePullBackOff`s, caught before anything reaches a cluster.
 *
 * The credentials of a workload are the pull secrets its pod template names in `imagePullSecrets` (or, when it names
 * none, those of its ServiceAccount, as the ServiceAccount admission plugin copies them), resolved by namespace and
 * name to the registry secrets in the app: `RegistrySecret`s, `RegistrySecret.fromSecretName` references with declared
 * `registries`, and plain `kubernetes.io/dockerconfigjson` Secrets. Their `auths` keys are matched against each image
 * exactly as the kubelet does (`KubeletKeyring`). Registries declared in `registriesWithoutSecret` count as covered.
 *
 * A pull secret whose registries cannot be known (an existing Secret without declared `registries`, or a name that is
 * not in the app) fails the check for every image nothing else covers, unless `trustUndeclaredSecrets` is set.
 *
 * Errors are cdk8s validations: `app.synth()` throws before it writes a single file. Each names the workload path,
 * the image, the keys the workload has and the fix (e.g. `key "registry-1.docker.io" never matches docker.io images;
 * use "https://index.docker.io/v1/"`).
 *
 * @see https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#add-imagepullsecrets-to-a-service-account
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/credentialprovider/keyring.go
 */
export class PullCoverage implements IValidation {
  /**
   * Checks one workload at synth: a cdk8s-plus-28 workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod) or
   * any `ApiObject` with a pod spec (`spec`, `spec.template.spec` or `spec.jobTemplate.spec.template.spec`).
   *
   * @param workload the workload construct or its `ApiObject`
   * @param options registries without secrets, and how to treat undeclared secrets
   */
  public static of(workload: IConstruct, options: PullCoverageOptions = {}): PullCoverage {
    requireConstruct(workload, 'workload');
    const apiObject = apiObjectOf(workload);
    const check = new PullCoverage(workload, [apiObject], options);
    trackSynths(workload.node.root);
    CHECKED_OBJECTS.add(apiObject);
    workload.node.addValidation(check);
    return check;
  }

  /**
   * Checks every object with a pod spec under `scope` (an App or a Chart) at synth, including objects added after
   * this call. Workloads that have their own `PullCoverage.of` check (e.g. every `ChoreoComponent`) are left to it.
   *
   * @param scope the App or Chart to check
   * @param options registries without secrets, and how to treat undeclared secrets
   */
  public static ofAll(scope: IConstruct, options: PullCoverageOptions = {}): PullCoverage {
    requireConstruct(scope, 'scope');
    const check = new PullCoverage(scope, undefined, options);
    trackSynths(scope.node.root);
    CHECKED_SCOPES.add(scope);
    scope.node.addValidation(check);
    return check;
  }

  private readonly options: PullCoverageOptions;

  private constructor(
    private readonly holder: IConstruct,
    private readonly objects: ApiObject[] | undefined,
    options: PullCoverageOptions) {
    const checked = checkOptionalProps(holder, options, 'PullCoverageOptions', 'options');
    this.options = {
      registriesWithoutSecret: checkRegistriesWithoutSecret(holder, 'registriesWithoutSecret', checked.registriesWithoutSecret ?? []),
      trustUndeclaredSecrets: checked.trustUndeclaredSecrets ?? false,
    };
  }

  // The app's declarations (RegistryChecks) are read at each check, so ones made after this check count too.
  private get policy(): CoveragePolicy {
    const app = appPullDeclarations(this.holder.node.root);
    return {
      strict: true,
      withoutSecret: [...this.options.registriesWithoutSecret!, ...app.withoutSecret],
      trustUndeclared: this.options.trustUndeclaredSecrets!,
      trustedServiceAccounts: app.trustedServiceAccounts,
    };
  }

  /** One report per container image of the checked workloads, in construct-tree and container order. */
  public reports(): ImagePullReport[] {
    const inventory = takeInventory(this.holder.node.root);
    return this.targets().flatMap(object => examineWorkload(object, inventory, this.policy).reports);
  }

  /**
   * The cdk8s validation: a message for every image that is not covered or not valid, and every unreadable secret.
   *
   * cdk8s runs every validation of the app again for each chart it writes, so within one `app.synth()` the result and
   * the inventory of the app's pull secrets and ServiceAccounts are computed once and reused.
   */
  public validate(): string[] {
    const root = this.holder.node.root;
    return oncePerSynth(root, this, () => {
      const inventory = inventoryOf(root);
      return this.targets().flatMap(object => examinationMessages(examineWorkload(object, inventory, this.policy)))
        .map(message => this.localMessage(message));
    });
  }

  private targets(): ApiObject[] {
    if (this.objects) {
      return this.objects;
    }
    return this.holder.node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c) && !CHECKED_OBJECTS.has(c))
      .filter(object => podSpecOf(object.toJson()) !== undefined);
  }

  // cdk8s already prefixes each message with the path of the construct holding the validation.
  private localMessage(message: string): string {
    const prefix = `[${this.holder.node.path}] `;
    return message.startsWith(prefix) ? message.slice(prefix.length) : message;
  }
}

interface WorkloadExamination {
  readonly reports: ImagePullReport[];
  /** Errors about the workload as a whole: no pod spec, or an unreadable pull secret. */
  readonly workloadErrors: string[];
}

/**
 * How strictly one check judges a workload.
 *
 * @internal
 */
export interface CoveragePolicy {
  /**
   * `PullCoverage.of/ofAll`: every image must be covered. Otherwise (the app's default check) a workload is judged
   * only where it has pull secrets or where its namespace holds a pull secret for the image that it does not use.
   */
  readonly strict: boolean;
  readonly withoutSecret: RegistryCredentials[];
  readonly trustUndeclared: boolean;
  /** ServiceAccounts outside the app declared trusted, by `namespace/name`, with the reason. */
  readonly trustedServiceAccounts: ReadonlyMap<string, string>;
}

/**
 * What an app declares once for all its pull checks (`RegistryChecks`): registries pulled without a secret, and
 * ServiceAccounts outside the app that are trusted.
 *
 * @internal
 */
export interface AppPullDeclarations {
  readonly withoutSecret: RegistryCredentials[];
  readonly trustedServiceAccounts: Map<string, string>;
}

const APP_DECLARATIONS = new WeakMap<IConstruct, AppPullDeclarations>();

/**
 * The pull declarations of the app under `root`.
 *
 * @internal
 */
export function appPullDeclarations(root: IConstruct): AppPullDeclarations {
  let declarations = APP_DECLARATIONS.get(root);
  if (declarations === undefined) {
    declarations = { withoutSecret: [], trustedServiceAccounts: new Map() };
    APP_DECLARATIONS.set(root, declarations);
  }
  return declarations;
}

/** Scopes with a `PullCoverage.ofAll` check, so the app's default check leaves what is under them alone. */
const CHECKED_SCOPES = new WeakSet<IConstruct>();

/**
 * Whether a `PullCoverage.of` or `ofAll` check already covers `object`.
 *
 * @internal
 */
export function hasExplicitPullCoverage(object: ApiObject): boolean {
  return CHECKED_OBJECTS.has(object) || object.node.scopes.some(scope => CHECKED_SCOPES.has(scope));
}

/** ApiObjects that have their own `PullCoverage.of` check, so `ofAll` and the app's default check leave them alone. */
const CHECKED_OBJECTS = new WeakSet<ApiObject>();

const DOCKER_HUB = 'docker.io';
/** Hosts that serve Docker Hub but are not normalized to docker.io in image names. */
const DOCKER_HUB_ALIASES = ['registry-1.docker.io', 'registry.hub.docker.com', 'registry.docker.com'];
const DOCKER_HUB_HOSTS = [DOCKER_HUB, 'index.docker.io', ...DOCKER_HUB_ALIASES];
/** The kinds (core `v1`) the inventory reads: pull secrets and the ServiceAccounts that name them. */
const INVENTORY_KINDS = ['Secret', 'ServiceAccount'];

/**
 * The error messages of one examination.
 *
 * @internal
 */
export function examinationMessages(examination: WorkloadExamination): string[] {
  const imageErrors = examination.reports.flatMap(report => report.message === undefined ? [] : [report.message]);
  return [...examination.workloadErrors, ...imageErrors];
}

/**
 * Checks the images of one workload against the pull secrets it can use.
 *
 * @internal
 */
export function examineWorkload(object: ApiObject, inventory: Inventory, policy: CoveragePolicy): WorkloadExamination {
  const json = object.toJson();
  const workload = workloadConstructOf(object);
  const pod = podSpecOf(json);
  if (pod === undefined) {
    return { reports: [], workloadErrors: [noPodSpecMessage(workload, json.kind)] };
  }
  const namespace = json.metadata?.namespace ?? '';
  const credentials = podCredentials(pod.spec, namespace, inventory, policy);
  const attached = credentials.secrets;
  const keyring = new KubeletKeyring(attached.map(secret => configOf(secret.registries ?? [])));
  const availableKeys = attached.flatMap(describeSecret);
  const context = { workload, attached, keyring, availableKeys, credentials, namespace, inventory, policy };
  return {
    reports: containersOf(pod).map(container => checkImage({ ...context, container })),
    workloadErrors: attached.filter(secret => secret.malformed !== undefined).map(secret => malformedSecretMessage(workload, pod, secret)),
  };
}

function checkImage(context: ImageContext): ImagePullReport {
  const { workload, container, attached, keyring, availableKeys, policy, credentials } = context;
  const base = {
    workloadPath: workload.node.path,
    imagePath: container.path,
    containerName: container.name,
    image: container.image,
    availableKeys,
  };
  if (!ImageReference.isValid(container.image)) {
    return { ...base, coverage: ImagePullCoverage.INVALID_IMAGE, matchedKeys: [], message: invalidImageMessage(workload, container) };
  }
  if (container.pullPolicy === 'Never') {
    return { ...base, coverage: ImagePullCoverage.NEVER_PULLED, matchedKeys: [] };
  }
  const image = ImageReference.parse(container.image);
  const matchedKeys = keyring.lookupDetailed(container.image).map(match => `${attached[match.configIndex].label}: ${match.key}`);
  if (matchedKeys.length > 0) {
    return { ...base, coverage: ImagePullCoverage.PULL_SECRET, matchedKeys };
  }
  if (policy.withoutSecret.some(c => coversWithoutSecret(c, image))) {
    return { ...base, coverage: ImagePullCoverage.WITHOUT_SECRET, matchedKeys };
  }
  const unknown = attached.filter(secret => secret.registries === undefined);
  const account = credentials.serviceAccount;
  if (account?.trusted || ((unknown.length > 0 || account?.known === false) && policy.trustUndeclared)) {
    return { ...base, coverage: ImagePullCoverage.UNVERIFIED, matchedKeys };
  }
  const unused = unusedPullSecrets(context, image);
  if (!policy.strict && unused.length === 0) {
    // The app's default check judges only what the app shows: no pull secret for this registry anywhere in the
    // namespace means a public image, and a secret whose registries are unknown may cover it.
    if (attached.length === 0) {
      return { ...base, coverage: ImagePullCoverage.ASSUMED_PUBLIC, matchedKeys };
    }
    if (unknown.length > 0) {
      return { ...base, coverage: ImagePullCoverage.UNVERIFIED, matchedKeys };
    }
  }
  return { ...base, coverage: ImagePullCoverage.NOT_COVERED, matchedKeys, message: notCoveredMessage(context, image, unknown, unused) };
}

/** Pull secrets in the workload's namespace that cover the image but that the pod does not use. */
function unusedPullSecrets(context: ImageContext, image: ImageReference): SecretEntry[] {
  const { inventory, namespace, attached } = context;
  const candidates = [...inventory.pullSecretsByNamespace.get(namespace) ?? [], ...replicatedCopies(namespace, inventory)];
  const attachedLabels = new Set(attached.map(secret => secret.label));
  return candidates.filter(secret => !attachedLabels.has(secret.label)
    && new KubeletKeyring([configOf(secret.registries ?? [])]).matchRepository(image.name).length > 0);
}

// ---------------------------------------------------------------------------------------------------------------
// Finding workloads and their pod specs

interface PodSpecLocation {
  readonly spec: any;
  /** Dotted path of the pod spec in the object, e.g. `spec.template.spec`. */
  readonly path: string;
}

interface ContainerImage {
  readonly name: string;
  readonly image: string;
  readonly pullPolicy?: string;
  /** Dotted path of the image field. */
  readonly path: string;
}

function requireConstruct(value: unknown, property: string): void {
  if (!isConstruct(value)) {
    throw new ValidationError({ property, problem: 'must be a construct', fix: 'pass a cdk8s-plus workload, an ApiObject, a Chart or the App' });
  }
}

function apiObjectOf(workload: IConstruct): ApiObject {
  try {
    return ApiObject.of(workload);
  } catch {
    throw new ValidationError({
      scope: workload,
      property: 'workload',
      problem: 'is neither an ApiObject nor a construct with one (its child "Resource")',
      fix: 'pass a cdk8s-plus workload (e.g. a kplus.Deployment) or the ApiObject that holds the pod spec',
    });
  }
}

/** The construct users know: the cdk8s-plus workload around its `Resource` ApiObject, or the ApiObject itself. */
function workloadConstructOf(object: ApiObject): IConstruct {
  return object.node.id === 'Resource' && object.node.scope ? object.node.scope : object;
}

/** The core kinds that carry a pod spec, by `apiVersion/kind`: the ones the app's default check reads. */
const POD_BEARING_KINDS = new Set([
  'v1/Pod', 'v1/ReplicationController', 'apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet',
  'apps/v1/ReplicaSet', 'batch/v1/Job', 'batch/v1/CronJob',
]);

/**
 * Whether the app's default check reads `object`: a core pod-bearing kind, written by cdk8s-plus (any version) or
 * as a raw `ApiObject`.
 *
 * @internal
 */
export function isPodBearing(object: ApiObject): boolean {
  return POD_BEARING_KINDS.has(`${object.apiVersion}/${object.kind}`);
}

function podSpecOf(json: any): PodSpecLocation | undefined {
  const candidates: PodSpecLocation[] = json.kind === 'Pod'
    ? [{ spec: json.spec, path: 'spec' }]
    : json.kind === 'CronJob'
      ? [{ spec: json.spec?.jobTemplate?.spec?.template?.spec, path: 'spec.jobTemplate.spec.template.spec' }]
      : [{ spec: json.spec?.template?.spec, path: 'spec.template.spec' }];
  return candidates.find(candidate => Array.isArray(candidate.spec?.containers));
}

// Every container the kubelet pulls an image for: init, regular and ephemeral (`kubectl debug`) containers.
const CONTAINER_FIELDS = ['initContainers', 'containers', 'ephemeralContainers'];

function containersOf(pod: PodSpecLocation): ContainerImage[] {
  return CONTAINER_FIELDS.flatMap(field => (Array.isArray(pod.spec[field]) ? pod.spec[field] : []).map((container: any, index: number) => ({
    name: String(container?.name ?? ''),
    image: String(container?.image ?? ''),
    pullPolicy: container?.imagePullPolicy,
    path: `${pod.path}.${field}[${index}].image`,
  })));
}

// ---------------------------------------------------------------------------------------------------------------
// Pull secrets and service accounts in the app

/** What the app says about one Secret, by namespace and name. */
interface SecretEntry {
  /** `namespace/name`, or `name` without a namespace. */
  readonly label: string;
  /** The `auths` keys; undefined when they cannot be known. */
  readonly registries?: string[];
  /** Why the kubelet cannot read the Secret, when it cannot. */
  readonly malformed?: string;
  /** Why the kubelet ignores the Secret (wrong type), when it does. */
  readonly ignored?: string;
  /** Why the registries are unknown. */
  readonly unknownBecause?: string;
}

/**
 * The pull secrets and ServiceAccounts of an app.
 *
 * @internal
 */
export interface Inventory {
  readonly secrets: Map<string, SecretEntry>;
  /** Names of the Secrets by name only, with their namespaces: to point at a secret in the wrong namespace. */
  readonly namespacesByName: Map<string, string[]>;
  /** `imagePullSecrets` names of each ServiceAccount, by `namespace/name`. */
  readonly serviceAccounts: Map<string, string[]>;
  /** Registry secrets made for pulls (purpose `pull` or `pull-and-push`), by namespace. */
  readonly pullSecretsByNamespace: Map<string, SecretEntry[]>;
  /** Pull secrets a replicator copies into other namespaces (`ReplicatedPullSecret`). */
  readonly replicated: ReplicatedSecretLike[];
  /** The copies in each namespace, computed on first use. */
  readonly copiesByNamespace: Map<string, SecretEntry[]>;
}

/** The shape of a `ReplicatedPullSecret`: a registry secret that says which namespaces receive a copy. */
interface ReplicatedSecretLike extends RegistrySecretLike {
  receives(namespace: { name: string }): boolean;
}

function isReplicatedSecretLike(construct: RegistrySecretLike): construct is ReplicatedSecretLike {
  return typeof (construct as any).receives === 'function';
}

interface ImageContext {
  readonly workload: IConstruct;
  readonly container: ContainerImage;
  readonly attached: SecretEntry[];
  readonly keyring: KubeletKeyring;
  readonly availableKeys: string[];
  readonly credentials: PodCredentials;
  readonly namespace: string;
  readonly inventory: Inventory;
  readonly policy: CoveragePolicy;
}

/** The registry secret shape of `IRegistrySecret` (a `RegistrySecret` or a `fromSecretName` reference). */
interface RegistrySecretLike {
  readonly name: string;
  readonly namespace?: string;
  readonly registries: string[];
  readonly kind: string;
  readonly purpose: string;
}

function isRegistrySecretLike(construct: any): construct is RegistrySecretLike {
  return typeof construct.name === 'string' && construct.kind === 'Secret' && Array.isArray(construct.registries)
    && typeof construct.purpose === 'string';
}

// The purposes that mean "the kubelet pulls with it" (RegistryPurpose.PULL and PULL_AND_PUSH).
const PULLING_PURPOSES = ['pull', 'pull-and-push'];

function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function labelOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/**
 * The inventory of the app under `root`, taken once per synth.
 *
 * @internal
 */
export function inventoryOf(root: IConstruct): Inventory {
  return oncePerSynth(root, takeInventory, () => takeInventory(root));
}

function takeInventory(root: IConstruct): Inventory {
  const inventory: Inventory = {
    secrets: new Map(),
    namespacesByName: new Map(),
    serviceAccounts: new Map(),
    pullSecretsByNamespace: new Map(),
    replicated: [],
    copiesByNamespace: new Map(),
  };
  // Pre-order: a RegistrySecret is seen before the Secret ApiObject it renders, and its declared registries win.
  for (const construct of root.node.findAll()) {
    if (isRegistrySecretLike(construct)) {
      addRegistrySecret(inventory, construct);
      if (isReplicatedSecretLike(construct) && construct.registries.length > 0) {
        inventory.replicated.push(construct);
      }
    } else if (ApiObject.isApiObject(construct) && INVENTORY_KINDS.includes(construct.kind) && construct.apiVersion === 'v1'
      && !isRenderedRegistrySecret(construct, inventory)) {
      addApiObject(inventory, construct.toJson());
    }
  }
  return inventory;
}

// The Secret a RegistrySecret renders is already in the inventory, with its declared registries: resolving it again
// (its whole `.dockerconfigjson`) would cost a `toJson()` per secret for nothing.
function isRenderedRegistrySecret(object: ApiObject, inventory: Inventory): boolean {
  return object.kind === 'Secret' && inventory.secrets.has(keyOf(object.metadata.namespace, object.name))
    && object.node.scope !== undefined && isRegistrySecretLike(object.node.scope);
}

function addRegistrySecret(inventory: Inventory, secret: RegistrySecretLike): void {
  const label = labelOf(secret.namespace, secret.name);
  const entry: SecretEntry = secret.registries.length > 0
    ? { label, registries: [...secret.registries] }
    : { label, unknownBecause: 'an existing Secret without declared registries' };
  addSecret(inventory, secret.namespace, secret.name, entry);
  if (PULLING_PURPOSES.includes(secret.purpose) && entry.registries !== undefined) {
    const namespace = secret.namespace ?? '';
    inventory.pullSecretsByNamespace.set(namespace, [...(inventory.pullSecretsByNamespace.get(namespace) ?? []), entry]);
  }
}

function addApiObject(inventory: Inventory, json: any): void {
  const namespace = json.metadata?.namespace;
  const name = json.metadata?.name;
  if (typeof name !== 'string') {
    return;
  }
  if (json.kind === 'ServiceAccount') {
    inventory.serviceAccounts.set(keyOf(namespace, name), referenceNames(json.imagePullSecrets));
  } else if (json.kind === 'Secret' && !inventory.secrets.has(keyOf(namespace, name))) {
    addSecret(inventory, namespace, name, plainSecretEntry(labelOf(namespace, name), json));
  }
}

function addSecret(inventory: Inventory, namespace: string | undefined, name: string, entry: SecretEntry): void {
  inventory.secrets.set(keyOf(namespace, name), entry);
  inventory.namespacesByName.set(name, [...(inventory.namespacesByName.get(name) ?? []), namespace ?? '']);
}

function plainSecretEntry(label: string, json: any): SecretEntry {
  if (json.type !== DOCKER_CONFIG_JSON_TYPE) {
    return { label, registries: [], ignored: `type ${json.type ?? 'Opaque'}, which the kubelet ignores for pulls` };
  }
  const encoded = json.data?.[DOCKER_CONFIG_JSON_KEY];
  const text = encoded !== undefined ? Buffer.from(String(encoded), 'base64').toString('utf8') : json.stringData?.[DOCKER_CONFIG_JSON_KEY];
  if (text === undefined) {
    return { label, registries: [], malformed: 'no .dockerconfigjson key' };
  }
  try {
    return { label, registries: DockerConfig.fromJson(String(text)).servers };
  } catch (err) {
    return { label, registries: [], malformed: err instanceof ValidationError ? err.problem : 'not a docker config' };
  }
}

/** Where a pod's pull secrets come from. */
interface PodCredentials {
  readonly secrets: SecretEntry[];
  /** The ServiceAccount the secrets come from, when the pod names none itself. */
  readonly serviceAccount?: {
    readonly label: string;
    /** Whether the app has the account (cdk8s-plus ServiceAccount, raw object or `ServiceAccountPullSecrets`). */
    readonly known: boolean;
    /** Declared trusted with `RegistryChecks.trustServiceAccount`. */
    readonly trusted: boolean;
  };
}

/** The pod's pull secrets; when it names none, those of its ServiceAccount (the admission plugin copies them). */
function podCredentials(pod: any, namespace: string, inventory: Inventory, policy: CoveragePolicy): PodCredentials {
  const account = podServiceAccountName(pod);
  const key = keyOf(namespace, account);
  const accountNames = inventory.serviceAccounts.get(key);
  const { origin, names } = effectivePullSecrets(referenceNames(pod.imagePullSecrets), accountNames);
  return {
    secrets: names.map(name => secretEntry(namespace, name, inventory)),
    serviceAccount: origin === 'pod' ? undefined
      : { label: labelOf(namespace, account), known: accountNames !== undefined, trusted: policy.trustedServiceAccounts.has(key) },
  };
}

function secretEntry(namespace: string, name: string, inventory: Inventory): SecretEntry {
  return inventory.secrets.get(keyOf(namespace, name))
    ?? replicatedCopies(namespace, inventory).find(copy => copy.label === labelOf(namespace, name))
    ?? missingSecret(namespace, name, inventory);
}

/**
 * The copies replicators put into `namespace`, judged by name (a namespace's labels are not known here): a copy has
 * the source's name and registries.
 */
function replicatedCopies(namespace: string, inventory: Inventory): SecretEntry[] {
  let copies = inventory.copiesByNamespace.get(namespace);
  if (copies === undefined) {
    copies = inventory.replicated
      .filter(secret => secret.namespace !== namespace && secret.receives({ name: namespace }))
      .map(secret => ({ label: labelOf(namespace, secret.name), registries: [...secret.registries] }));
    inventory.copiesByNamespace.set(namespace, copies);
  }
  return copies;
}

function missingSecret(namespace: string, name: string, inventory: Inventory): SecretEntry {
  const elsewhere = (inventory.namespacesByName.get(name) ?? []).filter(ns => ns !== namespace);
  const unknownBecause = elsewhere.length > 0
    ? `not in the app in this namespace; the app has it in ${elsewhere.map(ns => `"${ns}"`).join(', ')}, but pods read pull secrets only from their own namespace`
    : 'not in the app';
  return { label: labelOf(namespace, name), unknownBecause };
}

function describeSecret(secret: SecretEntry): string[] {
  if (secret.registries === undefined) {
    return [`${secret.label}: registries unknown (${secret.unknownBecause})`];
  }
  if (secret.ignored || secret.malformed) {
    return [`${secret.label}: ${secret.ignored ?? `unreadable: ${secret.malformed}`}`];
  }
  return secret.registries.map(key => `${secret.label}: ${key}`);
}

/**
 * A config with placeholder credentials, only to feed the keys to `KubeletKeyring`; never written anywhere.
 *
 * @internal
 */
export function configOf(keys: string[]): DockerConfig {
  return keys.reduce((config, key) => config.withBasicAuth(key, 'placeholder', 'placeholder'), DockerConfig.empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Registries without secrets

/**
 * Checks that each of `credentials` needs no Secret (anonymous or vendor-managed).
 *
 * @internal
 */
export function checkRegistriesWithoutSecret(scope: IConstruct, property: string, credentials: RegistryCredentials[]): RegistryCredentials[] {
  if (!Array.isArray(credentials)) {
    throw new ValidationError({
      scope,
      property,
      problem: 'is not an array',
      fix: 'pass a list, e.g. [RegistryCredentials.anonymous("docker.io")]',
    });
  }
  credentials.forEach((c, index) => {
    if (!(c instanceof RegistryCredentials)) {
      throw new ValidationError({
        scope,
        property: `${property}[${index}]`,
        problem: 'is not a RegistryCredentials',
        fix: 'use RegistryCredentials.anonymous(host) or RegistryCredentials.vendorManaged(...)',
      });
    }
    if (c.requiresSecret) {
      throw new ValidationError({
        scope,
        property: `${property}[${index}]`,
        value: `${c.authType} ${c.registry}`,
        problem: 'needs a Secret; only anonymous and vendor-managed registries are pulled without one',
        fix: 'put these credentials in a RegistrySecret and attach it to the workload (dockerRegistryAuth)',
      });
    }
  });
  return [...credentials];
}

function coversWithoutSecret(credentials: RegistryCredentials, image: ImageReference): boolean {
  const publicDockerHub = credentials.authType === RegistryAuthType.ANONYMOUS
    && isDockerHubHost(credentials.registry) && isDockerHubHost(image.domain);
  return publicDockerHub || new KubeletKeyring([configOf([credentials.registry])]).matchRepository(image.name).length > 0;
}

function isDockerHubHost(host: string): boolean {
  return DOCKER_HUB_HOSTS.includes(host.toLowerCase());
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

function noPodSpecMessage(workload: IConstruct, kind: string): string {
  return new ValidationError({
    scope: workload,
    property: 'spec',
    value: kind,
    problem: 'has no pod spec (spec, spec.template.spec or spec.jobTemplate.spec.template.spec), so there are no images to check',
    fix: 'apply PullCoverage.of to a workload: a cdk8s-plus Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod',
  }).message;
}

// The kubelet builds one keyring from all pull secrets of a pod; one it cannot decode fails every pull.
function malformedSecretMessage(workload: IConstruct, pod: PodSpecLocation, secret: SecretEntry): string {
  return new ValidationError({
    scope: workload,
    property: `${pod.path}.imagePullSecrets`,
    value: secret.label,
    problem: `names a Secret whose .dockerconfigjson is invalid (${secret.malformed}); a pull secret the kubelet cannot read fails every pull of the pod`,
    fix: 'build the Secret with RegistrySecret, or fix its .dockerconfigjson (DockerConfig.fromJson names the bad field)',
  }).message;
}

function invalidImageMessage(workload: IConstruct, container: ContainerImage): string {
  return new ValidationError({
    scope: workload,
    property: container.path,
    value: container.image,
    problem: `of container "${container.name}" is not a valid image reference; the kubelet reports InvalidImageName`,
    fix: 'write [registry/]repository[:tag][@digest] in lowercase, e.g. "ghcr.io/org/app:1.0"',
  }).message;
}

function notCoveredMessage(context: ImageContext, image: ImageReference, unknown: SecretEntry[], unused: SecretEntry[]): string {
  const { workload, container, attached, availableKeys } = context;
  const keys = attached.flatMap(secret => secret.ignored || secret.malformed ? [] : secret.registries ?? []);
  const keyFixes = [...new Set(keys.map(key => keyHint(image, key)).filter((hint): hint is string => hint !== undefined))];
  const unknownFix = unknown.length > 0
    ? [`declare the registries of ${unknown.map(s => s.label).join(', ')} (RegistrySecret.fromSecretName(scope, id, name, { registries: [...] })) or set trustUndeclaredSecrets: true`]
    : [];
  const fixes = [
    ...unusedSecretFixes(context, unused),
    ...(keyFixes.length > 0 || unused.length > 0 ? keyFixes : [noKeyFix(image)]),
    ...unknownFix,
    ...unknownServiceAccountFixes(context),
  ];
  return new ValidationError({
    scope: workload,
    property: container.path,
    value: container.image,
    problem: `container "${container.name}" pulls "${image.name}", which no attached credential covers (${whatThePodHas(context)}); `
      + `${unusedSecretsProblem(unused)}the kubelet would pull anonymously and a private image fails with ImagePullBackOff`,
    fix: [...new Set(fixes)].join('; '),
  }).message;

  function whatThePodHas(c: ImageContext): string {
    const account = c.credentials.serviceAccount;
    if (attached.length > 0) {
      const via = account ? ` through its ServiceAccount "${account.label}"` : '';
      return `the pod's pull secrets${via} give ${availableKeys.join('; ')}`;
    }
    if (account && !account.known) {
      return `the pod names no imagePullSecrets and its ServiceAccount "${account.label}" is not in the app, so its pull secrets are unknown`;
    }
    return account ? `the pod names no imagePullSecrets and its ServiceAccount "${account.label}" has none` : 'the pod has no pull secrets';
  }
}

function unusedSecretsProblem(unused: SecretEntry[]): string {
  return unused.length === 0 ? ''
    : `the namespace has the pull secret ${unused.map(s => `"${s.label}"`).join(', ')} for it, but the pod does not use it; `;
}

function unusedSecretFixes(context: ImageContext, unused: SecretEntry[]): string[] {
  if (unused.length === 0) {
    return [];
  }
  const name = unused[0].label.split('/').pop();
  return [`attach "${name}" to the workload (cdk8s-plus dockerRegistryAuth, or imagePullSecrets: [{ name: "${name}" }]) `
    + `or to its ServiceAccount (new ServiceAccountPullSecrets(scope, id, { serviceAccountName: "${serviceAccountName(context)}", pullSecrets: [...] }))`];
}

function unknownServiceAccountFixes(context: ImageContext): string[] {
  const account = context.credentials.serviceAccount;
  if (!account || account.known) {
    return [];
  }
  const [namespace, name] = splitLabel(account.label);
  return [`declare the pull secrets of ServiceAccount "${account.label}" with new ServiceAccountPullSecrets(scope, id, { serviceAccountName: "${name}", namespace: "${namespace}", pullSecrets: [...] }), `
    + `or, when it gets them elsewhere, declare it trusted with RegistryChecks.of(app).trustServiceAccount("${namespace}", "${name}", reason)`];
}

function serviceAccountName(context: ImageContext): string {
  return splitLabel(context.credentials.serviceAccount?.label ?? 'default')[1];
}

function splitLabel(label: string): [string, string] {
  const slash = label.indexOf('/');
  return slash < 0 ? ['', label] : [label.slice(0, slash), label.slice(slash + 1)];
}

/** Why a key of the image's registry did not match, and the key to write instead. */
function keyHint(image: ImageReference, key: string): string | undefined {
  const pattern = KubeletKeyring.keyToPattern(key);
  if (pattern === undefined) {
    return `key "${key}" cannot be parsed by the kubelet and is skipped; write the registry host, e.g. "${image.domain}"`;
  }
  const keyParts = splitPattern(pattern);
  const imageParts = splitPattern(image.domain);
  const isHubImage = image.domain === DOCKER_HUB;
  if (isHubImage && DOCKER_HUB_ALIASES.includes(keyParts.host.toLowerCase())) {
    return `key "${key}" never matches docker.io images; use "${DOCKER_HUB_KEY}"`;
  }
  if (isHubImage && keyParts.host.toLowerCase() === 'index.docker.io' && keyParts.path !== '') {
    return `key "${key}" reduces to "${pattern}", which matches no image (only "${DOCKER_HUB_KEY}" reaches the Docker Hub fallback); use "${DOCKER_HUB_KEY}"`;
  }
  if (!isHubImage && isDockerHubHost(image.domain) && ['docker.io', 'index.docker.io'].includes(keyParts.host)) {
    return `key "${key}" covers images written as docker.io/… or without a registry, not ones written "${image.domain}/…"; `
      + `add a key "${image.domain}" or write the image as "${DOCKER_HUB}/${image.path}"`;
  }
  return sameRegistryHint(image, key, keyParts, imageParts);
}

function sameRegistryHint(image: ImageReference, key: string, keyParts: PatternParts, imageParts: PatternParts): string | undefined {
  if (keyParts.host.toLowerCase() !== imageParts.host.toLowerCase()) {
    return undefined;
  }
  if (keyParts.host !== imageParts.host) {
    return `key "${key}" differs in case from the image's host; the kubelet compares hosts case-sensitively: use "${image.domain}"`;
  }
  if (keyParts.port !== imageParts.port) {
    const keyPort = keyParts.port ? `port ${keyParts.port}` : 'no port';
    return `key "${key}" has ${keyPort} and the image ${imageParts.port ? `port ${imageParts.port}` : 'none'}; the kubelet compares ports literally: use "${image.domain}"`;
  }
  if (!`/${image.path}`.startsWith(keyParts.path)) {
    const owner = image.path.split('/')[0];
    return `key "${key}" covers only repositories starting with "${keyParts.hostPort}${keyParts.path}", not "${image.name}"; `
      + `use "${image.domain}/${owner}" or "${image.domain}"`;
  }
  return undefined;
}

function noKeyFix(image: ImageReference): string {
  if (image.domain === DOCKER_HUB) {
    return `attach a pull secret with the key "${DOCKER_HUB_KEY}" (RegistryCredentials.dockerHubToken) through dockerRegistryAuth, `
      + 'or, for a public image, declare RegistryCredentials.anonymous("docker.io") in registriesWithoutSecret';
  }
  return `attach a pull secret with a key for "${image.domain}" (e.g. ${credentialsFactoryFor(image.domain)}) through `
    + `dockerRegistryAuth, or, when it needs no secret, declare "${image.domain}" with RegistryCredentials.anonymous or `
    + 'RegistryCredentials.vendorManaged in registriesWithoutSecret';
}

/** The RegistryCredentials factory made for a registry host, for fixes (the right one, not always `basic`). */
function credentialsFactoryFor(host: string): string {
  const factories: Array<[RegExp, string]> = [
    [/^quay\.io$/, 'RegistryCredentials.quayRobot("org+robot", token)'],
    [/^ghcr\.io$/, 'RegistryCredentials.githubToken(user, token)'],
    [/\.azurecr\.io$/, `RegistryCredentials.azureServicePrincipal("${host}", appId, secret)`],
    [/(^|\.)(gcr\.io|pkg\.dev)$/, `RegistryCredentials.googleServiceAccountKey("${host}", key)`],
    [/\.dkr\.ecr\./, `RegistryCredentials.fromTokenGenerator("${host}", TokenGenerator.ecr({ region }))`],
  ];
  return factories.find(([pattern]) => pattern.test(host))?.[1] ?? `RegistryCredentials.basic("${host}", user, password)`;
}

interface PatternParts {
  /** Host and port as written. */
  readonly hostPort: string;
  readonly host: string;
  readonly port: string;
  /** The path with its leading `/`, or empty. */
  readonly path: string;
}

function splitPattern(pattern: string): PatternParts {
  const slash = pattern.indexOf('/');
  const hostPort = slash < 0 ? pattern : pattern.slice(0, slash);
  const port = /^(\[[^\]]*\]|[^:]*):([0-9]*)$/.exec(hostPort);
  return {
    hostPort,
    host: port ? port[1] : hostPort,
    port: port ? port[2] : '',
    path: slash < 0 ? '' : pattern.slice(slash),
  };
}
