import { ApiObject } from 'cdk8s';
import { IConstruct, IValidation } from 'constructs';
import { RegistryAuthType, RegistryCredentials } from '../credentials/registry-credentials';
import { ValidationError } from '../errors';
import { DockerConfig } from '../values/docker-config';
import { ImageReference } from '../values/image-reference';
import { KubeletKeyring } from '../values/kubelet-keyring';

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
   * Accept pull secrets whose registries cannot be known: `RegistrySecret.fromSecretName` without `registries`, and
   * names of Secrets that are not in the app. An image that no known credential covers is then reported as
   * `ImagePullCoverage.UNVERIFIED` instead of failing synth.
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
  /** Not covered by a known credential, but a pull secret with unknown registries is attached and trusted. */
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
    const apiObject = apiObjectOf(workload);
    const check = new PullCoverage(workload, [apiObject], options);
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
    const check = new PullCoverage(scope, undefined, options);
    scope.node.addValidation(check);
    return check;
  }

  private readonly withoutSecret: RegistryCredentials[];
  private readonly trustUndeclared: boolean;

  private constructor(
    private readonly holder: IConstruct,
    private readonly objects: ApiObject[] | undefined,
    options: PullCoverageOptions) {
    this.withoutSecret = checkRegistriesWithoutSecret(holder, options.registriesWithoutSecret ?? []);
    this.trustUndeclared = options.trustUndeclaredSecrets ?? false;
  }

  /** One report per container image of the checked workloads, in construct-tree and container order. */
  public reports(): ImagePullReport[] {
    const inventory = takeInventory(this.holder.node.root);
    return this.targets().flatMap(object => this.examine(object, inventory).reports);
  }

  /**
   * The cdk8s validation: a message for every image that is not covered or not valid, and every unreadable secret.
   *
   * cdk8s runs every validation of the app again for each chart it writes, so within one synchronous validation pass
   * (one `app.synth()`) the result and the inventory of the app's pull secrets and ServiceAccounts are computed once
   * and reused. Use `reports()` to inspect an app that is still changing.
   */
  public validate(): string[] {
    return oncePerPass(PASS_RESULTS, this, () => {
      const inventory = oncePerPass(PASS_INVENTORIES, this.holder.node.root, () => takeInventory(this.holder.node.root));
      return this.targets().flatMap(object => {
        const { reports, workloadErrors } = this.examine(object, inventory);
        const imageErrors = reports.flatMap(report => report.message === undefined ? [] : [report.message]);
        return [...workloadErrors, ...imageErrors].map(message => this.localMessage(message));
      });
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

  private examine(object: ApiObject, inventory: Inventory): WorkloadExamination {
    const json = object.toJson();
    const workload = workloadConstructOf(object);
    const pod = podSpecOf(json);
    if (pod === undefined) {
      return { reports: [], workloadErrors: [noPodSpecMessage(workload, json.kind)] };
    }
    const attached = attachedSecrets(pod.spec, json.metadata?.namespace ?? '', inventory);
    const keyring = new KubeletKeyring(attached.map(secret => configOf(secret.registries ?? [])));
    const availableKeys = attached.flatMap(describeSecret);
    return {
      reports: containersOf(pod).map(container => this.checkImage({ workload, container, attached, keyring, availableKeys })),
      workloadErrors: attached.filter(secret => secret.malformed !== undefined).map(secret => malformedSecretMessage(workload, pod, secret)),
    };
  }

  private checkImage(context: ImageContext): ImagePullReport {
    const { workload, container, attached, keyring, availableKeys } = context;
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
    if (this.withoutSecret.some(credentials => coversWithoutSecret(credentials, image))) {
      return { ...base, coverage: ImagePullCoverage.WITHOUT_SECRET, matchedKeys };
    }
    const unknown = attached.filter(secret => secret.registries === undefined);
    if (unknown.length > 0 && this.trustUndeclared) {
      return { ...base, coverage: ImagePullCoverage.UNVERIFIED, matchedKeys };
    }
    return { ...base, coverage: ImagePullCoverage.NOT_COVERED, matchedKeys, message: notCoveredMessage(context, image, unknown) };
  }
}

interface WorkloadExamination {
  readonly reports: ImagePullReport[];
  /** Errors about the workload as a whole: no pod spec, or an unreadable pull secret. */
  readonly workloadErrors: string[];
}

/** ApiObjects that have their own `PullCoverage.of` check, so `ofAll` leaves them alone. */
const CHECKED_OBJECTS = new WeakSet<ApiObject>();

const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';
const DOCKER_HUB = 'docker.io';
/** Hosts that serve Docker Hub but are not normalized to docker.io in image names. */
const DOCKER_HUB_ALIASES = ['registry-1.docker.io', 'registry.hub.docker.com', 'registry.docker.com'];
const DOCKER_HUB_HOSTS = [DOCKER_HUB, 'index.docker.io', ...DOCKER_HUB_ALIASES];
const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson';
/** The kinds (core `v1`) the inventory reads: pull secrets and the ServiceAccounts that name them. */
const INVENTORY_KINDS = ['Secret', 'ServiceAccount'];
const DOCKER_CONFIG_JSON_KEY = '.dockerconfigjson';

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

function apiObjectOf(workload: IConstruct): ApiObject {
  try {
    return ApiObject.of(workload);
  } catch {
    throw new ValidationError({
      scope: workload,
      property: 'workload',
      problem: 'is neither an ApiObject nor a construct with one (its child "Resource")',
      fix: 'pass a cdk8s-plus-28 workload (e.g. a kplus.Deployment) or the ApiObject that holds the pod spec',
    });
  }
}

/** The construct users know: the cdk8s-plus workload around its `Resource` ApiObject, or the ApiObject itself. */
function workloadConstructOf(object: ApiObject): IConstruct {
  return object.node.id === 'Resource' && object.node.scope ? object.node.scope : object;
}

function podSpecOf(json: any): PodSpecLocation | undefined {
  const candidates: PodSpecLocation[] = json.kind === 'Pod'
    ? [{ spec: json.spec, path: 'spec' }]
    : json.kind === 'CronJob'
      ? [{ spec: json.spec?.jobTemplate?.spec?.template?.spec, path: 'spec.jobTemplate.spec.template.spec' }]
      : [{ spec: json.spec?.template?.spec, path: 'spec.template.spec' }];
  return candidates.find(candidate => Array.isArray(candidate.spec?.containers));
}

function containersOf(pod: PodSpecLocation): ContainerImage[] {
  const list = (field: string) => (pod.spec[field] ?? []).map((container: any, index: number) => ({
    name: String(container.name ?? ''),
    image: String(container.image ?? ''),
    pullPolicy: container.imagePullPolicy,
    path: `${pod.path}.${field}[${index}].image`,
  }));
  return [...list('initContainers'), ...list('containers')];
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

interface Inventory {
  readonly secrets: Map<string, SecretEntry>;
  /** Names of the Secrets by name only, with their namespaces: to point at a secret in the wrong namespace. */
  readonly namespacesByName: Map<string, string[]>;
  /** `imagePullSecrets` names of each ServiceAccount, by `namespace/name`. */
  readonly serviceAccounts: Map<string, string[]>;
}

interface ImageContext {
  readonly workload: IConstruct;
  readonly container: ContainerImage;
  readonly attached: SecretEntry[];
  readonly keyring: KubeletKeyring;
  readonly availableKeys: string[];
}

/** The registry secret shape of `IRegistrySecret` (a `RegistrySecret` or a `fromSecretName` reference). */
interface RegistrySecretLike {
  readonly name: string;
  readonly namespace?: string;
  readonly registries: string[];
  readonly kind: string;
}

function isRegistrySecretLike(construct: any): construct is RegistrySecretLike {
  return typeof construct.name === 'string' && construct.kind === 'Secret' && Array.isArray(construct.registries)
    && typeof construct.purpose === 'string';
}

function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

function labelOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Results and inventories of the current synchronous validation pass, dropped when the pass is over. */
const PASS_RESULTS = new Map<PullCoverage, string[]>();
const PASS_INVENTORIES = new Map<IConstruct, Inventory>();

function oncePerPass<K, V>(cache: Map<K, V>, key: K, compute: () => V): V {
  if (!cache.has(key)) {
    cache.set(key, compute());
    queueMicrotask(() => cache.delete(key));
  }
  return cache.get(key)!;
}

function takeInventory(root: IConstruct): Inventory {
  const inventory: Inventory = { secrets: new Map(), namespacesByName: new Map(), serviceAccounts: new Map() };
  // Pre-order: a RegistrySecret is seen before the Secret ApiObject it renders, and its declared registries win.
  for (const construct of root.node.findAll()) {
    if (isRegistrySecretLike(construct)) {
      addSecret(inventory, construct.namespace, construct.name, registrySecretEntry(construct));
    } else if (ApiObject.isApiObject(construct) && INVENTORY_KINDS.includes(construct.kind) && construct.apiVersion === 'v1') {
      addApiObject(inventory, construct.toJson());
    }
  }
  return inventory;
}

function registrySecretEntry(secret: RegistrySecretLike): SecretEntry {
  const label = labelOf(secret.namespace, secret.name);
  return secret.registries.length > 0
    ? { label, registries: [...secret.registries] }
    : { label, unknownBecause: 'an existing Secret without declared registries' };
}

function addApiObject(inventory: Inventory, json: any): void {
  const namespace = json.metadata?.namespace;
  const name = json.metadata?.name;
  if (typeof name !== 'string') {
    return;
  }
  if (json.kind === 'ServiceAccount') {
    inventory.serviceAccounts.set(keyOf(namespace, name), (json.imagePullSecrets ?? []).map((ref: any) => String(ref.name)));
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

/** The pod's pull secrets; when it names none, those of its ServiceAccount (the admission plugin copies them). */
function attachedSecrets(pod: any, namespace: string, inventory: Inventory): SecretEntry[] {
  const own: string[] = (pod.imagePullSecrets ?? []).map((ref: any) => String(ref.name));
  const serviceAccount = String(pod.serviceAccountName ?? pod.serviceAccount ?? 'default');
  const names = own.length > 0 ? own : inventory.serviceAccounts.get(keyOf(namespace, serviceAccount)) ?? [];
  return names.map(name => inventory.secrets.get(keyOf(namespace, name)) ?? missingSecret(namespace, name, inventory));
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

/** A config with placeholder credentials, only to feed the keys to `KubeletKeyring`; never written anywhere. */
function configOf(keys: string[]): DockerConfig {
  return keys.reduce((config, key) => config.withBasicAuth(key, 'placeholder', 'placeholder'), DockerConfig.empty());
}

// ---------------------------------------------------------------------------------------------------------------
// Registries without secrets

function checkRegistriesWithoutSecret(scope: IConstruct, credentials: RegistryCredentials[]): RegistryCredentials[] {
  credentials.forEach((c, index) => {
    if (c.requiresSecret) {
      throw new ValidationError({
        scope,
        property: `registriesWithoutSecret[${index}]`,
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

function notCoveredMessage(context: ImageContext, image: ImageReference, unknown: SecretEntry[]): string {
  const { workload, container, attached, availableKeys } = context;
  const has = attached.length === 0
    ? 'the pod has no pull secrets'
    : `the pod's pull secrets give ${availableKeys.join('; ')}`;
  const keys = attached.flatMap(secret => secret.ignored || secret.malformed ? [] : secret.registries ?? []);
  const fixes = [...new Set(keys.map(key => keyHint(image, key)).filter((hint): hint is string => hint !== undefined))];
  const unknownFix = unknown.length > 0
    ? [`declare the registries of ${unknown.map(s => s.label).join(', ')} (RegistrySecret.fromSecretName(scope, id, name, { registries: [...] })) or set trustUndeclaredSecrets: true`]
    : [];
  return new ValidationError({
    scope: workload,
    property: container.path,
    value: container.image,
    problem: `container "${container.name}" pulls "${image.name}", which no attached credential covers (${has}); `
      + 'the kubelet would pull anonymously and a private image fails with ImagePullBackOff',
    fix: [...(fixes.length > 0 ? fixes : [noKeyFix(image)]), ...unknownFix].join('; '),
  }).message;
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
  return `attach a pull secret with a key for "${image.domain}" (e.g. RegistryCredentials.basic("${image.domain}", ...)) through `
    + `dockerRegistryAuth, or, when it needs no secret, declare "${image.domain}" with RegistryCredentials.anonymous or `
    + 'RegistryCredentials.vendorManaged in registriesWithoutSecret';
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
