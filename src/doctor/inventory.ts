import {
  annotationsOf, asArray, asRecord, asString, fieldAt, groupOf, isKind, JsonRecord, KubeObject, labelsOf, nameOf,
  namespaceOf,
} from './kube-object';
import { Manifest } from './manifests';
import {
  generatedSecretKeys, generatedSecretType, OPAQUE_TYPE, Payload, payloadOfGenerated, payloadOfSecret, PULL_SECRET_KEYS,
  secretTypeOf,
} from './payload';
import {
  clusterExternalSecretRule, mittwaldPullAllowed, MITTWALD_PREFIX, mittwaldPushRule, NAMESPACE_NAME_LABEL,
  NamespaceView, Reach, reflectorAutoRule, reflectorPermitRule, REFLECTOR_PREFIX, ReplicationRule,
} from './replication-rules';

/** How a Secret comes to exist in its namespace. */
export type ProducerKind = 'secret' | 'sealed-secret' | 'external-secret' | 'cluster-external-secret';

/** A Secret that an object in the manifests makes exist in one namespace. */
export interface SecretProducer {
  readonly kind: ProducerKind;
  /** The object that produces it: the Secret itself, a SealedSecret, an ExternalSecret or a ClusterExternalSecret. */
  readonly manifest: Manifest;
  /** The Secret's namespace (`metadata.namespace`, or the default namespace when the manifest leaves it out). */
  readonly namespace: string;
  /** Whether the namespace was taken from the default because the manifest names none. */
  readonly namespaceAssumed: boolean;
  readonly name: string;
  /** The Secret's type; undefined when the controller keeps the type of a Secret that exists already. */
  readonly type?: string;
  /** The Secret's annotations, where replication annotations are read. */
  readonly annotations: { [key: string]: string };
  /** For a pull-replication target (`replicate-from`, `reflects`): where its data comes from. */
  readonly replicaOf?: ReplicaLink;
}

/** A pull-replication target's source. */
export interface ReplicaLink {
  readonly backend: 'mittwald' | 'reflector';
  readonly namespace: string;
  readonly name: string;
  readonly annotation: string;
}

/** One way a Secret comes to exist in a namespace: made there, or copied there by a replication rule. */
export interface SecretSource {
  /** The producer: in the namespace itself, or the source of a copy. */
  readonly producer: SecretProducer;
  /** The rule that copies the producer's Secret into the namespace (or fans a ClusterExternalSecret out to it). */
  readonly replicatedBy?: ReplicationRule;
  /** `yes`, or `unknown` when the copy depends on labels of a namespace not in the manifests. */
  readonly reach: Reach;
}

/** What the doctor knows about a Secret from one source. */
export interface ResolvedPayload {
  readonly payload: Payload;
  /** For replicas and copies: the producer the data comes from, when it is in the manifests. */
  readonly dataFrom?: SecretProducer;
  /** Why the data of a pull-replication target is not its source's. */
  readonly note?: string;
}

export interface InventoryOptions {
  /** The namespace of namespaced objects whose manifest names none (what `kubectl apply -n` or Argo CD would use). */
  readonly defaultNamespace: string;
}

const PRODUCER_ORDER: { [kind: string]: number } = { 'secret': 0, 'sealed-secret': 1, 'external-secret': 2, 'cluster-external-secret': 3 };

/**
 * Everything the manifests say about pull secrets: which Secrets exist where (made directly, by a SealedSecret or an
 * ExternalSecret, or copied by a replicator), the service accounts, and the namespaces with their labels.
 */
export class Inventory {
  /** Every producer that makes a Secret in a namespace of its own (not ClusterExternalSecret fan-out). */
  public readonly producers: SecretProducer[];

  private readonly producersAt = new Map<string, SecretProducer[]>();
  private readonly producersByManifest = new Map<Manifest, SecretProducer[]>();
  /** Producers whose Secret carries a replication rule, by Secret name. */
  private readonly replicatedNamed = new Map<string, SecretProducer[]>();
  private readonly pushRules = new Map<SecretProducer, ReplicationRule[]>();
  private readonly serviceAccounts = new Map<string, Manifest>();
  private readonly namespaces = new Map<string, Manifest>();
  private readonly clusterExternalSecrets: Array<{ manifest: Manifest; rule: ReplicationRule }> = [];
  private readonly payloads = new Map<SecretProducer, ResolvedPayload>();
  /** The namespace of namespaced objects whose manifest names none. */
  public readonly defaultNamespace: string;

  constructor(manifests: Manifest[], options: InventoryOptions) {
    this.defaultNamespace = options.defaultNamespace;
    this.producers = manifests.flatMap(manifest => this.producerOf(manifest));
    for (const producer of this.producers) {
      push(this.producersAt, key(producer.namespace, producer.name), producer);
      push(this.producersByManifest, producer.manifest, producer);
      // A pull-replication target is never pushed further (mittwald ignores replicate-to on it).
      const rules = producer.replicaOf ? [] : [mittwaldPushRule(producer.annotations), reflectorAutoRule(producer.annotations)]
        .filter((rule): rule is ReplicationRule => rule !== undefined);
      this.pushRules.set(producer, rules);
      if (rules.length > 0) {
        push(this.replicatedNamed, producer.name, producer);
      }
    }
    for (const manifest of manifests) {
      this.index(manifest);
    }
  }

  /** The namespace a namespaced object lands in. */
  public namespaceOf(object: KubeObject): string {
    return namespaceOf(object) ?? this.defaultNamespace;
  }

  /** A namespace's name and labels as far as the manifests tell. */
  public namespaceView(name: string): NamespaceView {
    const manifest = this.namespaces.get(name);
    const labels = { ...(manifest ? labelsOf(manifest.object) : {}), [NAMESPACE_NAME_LABEL]: name };
    return { name, labels, labelsKnown: manifest !== undefined };
  }

  /** A ServiceAccount object of the manifests. */
  public serviceAccount(namespace: string, name: string): Manifest | undefined {
    return this.serviceAccounts.get(key(namespace, name));
  }

  /** The Secrets an object produces itself (a Secret, SealedSecret or ExternalSecret makes one; others none). */
  public producersOf(manifest: Manifest): SecretProducer[] {
    return this.producersByManifest.get(manifest) ?? [];
  }

  /** The replication rules on a producer's Secret (mittwald push, reflector auto). */
  public replicationRulesOf(producer: SecretProducer): ReplicationRule[] {
    return this.pushRules.get(producer) ?? [];
  }

  /** Every ClusterExternalSecret with its namespace selection. */
  public clusterExternalSecretRules(): Array<{ manifest: Manifest; rule: ReplicationRule }> {
    return this.clusterExternalSecrets;
  }

  /**
   * Every way Secret `name` comes to exist in `namespace`, made there first (Secret, SealedSecret, ExternalSecret,
   * ClusterExternalSecret), then copied there by a replication rule, each group in manifest order.
   */
  public secretSources(namespace: string, name: string): SecretSource[] {
    const direct = (this.producersAt.get(key(namespace, name)) ?? []).map(producer => ({ producer, reach: 'yes' as Reach }));
    const fannedOut = this.clusterExternalSecrets.flatMap(({ manifest, rule }) => {
      const producer = this.clusterExternalSecretProducer(manifest, namespace);
      const reach = producer?.name === name ? rule.reach(this.namespaceView(namespace), '') : 'no';
      return producer && reach !== 'no' ? [{ producer, replicatedBy: rule, reach }] : [];
    });
    const copied = (this.replicatedNamed.get(name) ?? [])
      .filter(producer => producer.namespace !== namespace)
      .flatMap(producer => this.replicationRulesOf(producer).map(rule => ({
        producer, replicatedBy: rule, reach: rule.reach(this.namespaceView(namespace), producer.namespace),
      })))
      .filter(source => source.reach !== 'no');
    const ordered = [...direct, ...fannedOut]
      .sort((a, b) => PRODUCER_ORDER[a.producer.kind] - PRODUCER_ORDER[b.producer.kind]);
    return [...ordered, ...copied];
  }

  /** What the doctor knows about the data of a Secret from one of its sources. */
  public payloadOf(source: SecretSource): ResolvedPayload {
    return this.resolve(source.producer);
  }

  private resolve(producer: SecretProducer): ResolvedPayload {
    let resolved = this.payloads.get(producer);
    if (resolved === undefined) {
      resolved = producer.replicaOf ? this.resolveReplica(producer, producer.replicaOf) : { payload: this.ownPayload(producer) };
      this.payloads.set(producer, resolved);
    }
    return resolved;
  }

  private ownPayload(producer: SecretProducer): Payload {
    const object = producer.manifest.object;
    if (producer.kind === 'secret') {
      return payloadOfSecret(object);
    }
    if (producer.kind === 'sealed-secret') {
      return payloadOfGenerated(producer.type, generatedSecretKeys(true, object.spec), producer.annotations,
        asRecord(fieldAt(object, 'spec', 'template', 'data')), 'the SealedSecret controller decrypts the data in the cluster');
    }
    const spec = producer.kind === 'external-secret' ? object.spec : fieldAt(object, 'spec', 'externalSecretSpec');
    return payloadOfGenerated(producer.type, generatedSecretKeys(false, spec), producer.annotations,
      asRecord(fieldAt(spec, 'target', 'template', 'data')), 'External Secrets Operator fetches the data from the secret store');
  }

  // The target keeps its own type; its data is the source's once the controller allows the copy.
  private resolveReplica(target: SecretProducer, link: ReplicaLink): ResolvedPayload {
    const sources = (this.producersAt.get(key(link.namespace, link.name)) ?? []).filter(source => !source.replicaOf);
    const source = sources[0];
    const ownType = target.type ?? OPAQUE_TYPE;
    if (PULL_SECRET_KEYS[ownType] === undefined) {
      return { payload: payloadOfSecret(target.manifest.object), dataFrom: source };
    }
    if (source === undefined) {
      return { payload: unknownPayload(`its data is copied from ${link.namespace}/${link.name} (${link.annotation}), which is not in the scanned manifests`) };
    }
    const allowed: Reach = link.backend === 'mittwald'
      ? (mittwaldPullAllowed(source.annotations, target.namespace) ? 'yes' : 'no')
      : reflectorPermitRule(source.annotations)?.reach(this.namespaceView(target.namespace), source.namespace) ?? 'no';
    if (allowed === 'no') {
      return {
        payload: payloadOfSecret(target.manifest.object),
        dataFrom: source,
        note: `the source ${link.namespace}/${link.name} does not allow copies into ${target.namespace}, so the Secret keeps its own data`,
      };
    }
    const copied = this.resolve(source).payload;
    const note = allowed === 'unknown' ? `whether the source allows copies into ${target.namespace} depends on namespace labels not in the manifests` : undefined;
    return { payload: copied, dataFrom: source, note };
  }

  private producerOf(manifest: Manifest): SecretProducer[] {
    const object = manifest.object;
    const name = nameOf(object);
    if (name === undefined) {
      return [];
    }
    const base = { manifest, namespace: this.namespaceOf(object), namespaceAssumed: namespaceOf(object) === undefined };
    if (isKind(object, '', 'Secret')) {
      const annotations = annotationsOf(object);
      return [{ ...base, kind: 'secret', name, type: secretTypeOf(object), annotations, replicaOf: replicaLinkOf(annotations, base.namespace) }];
    }
    if (isKind(object, 'bitnami.com', 'SealedSecret')) {
      const template = asRecord(fieldAt(object, 'spec', 'template'));
      const templateAnnotations = annotationsOf({ apiVersion: '', kind: '', metadata: template?.metadata });
      const annotations = Object.keys(templateAnnotations).length > 0 ? templateAnnotations : annotationsOf(object);
      return [{ ...base, kind: 'sealed-secret', name, type: generatedSecretType(true, object.spec), annotations }];
    }
    if (isKind(object, 'external-secrets.io', 'ExternalSecret')) {
      const spec = asRecord(object.spec) ?? {};
      return [{ ...base, kind: 'external-secret', ...externalSecretTarget(spec, name, annotationsOf(object)) }];
    }
    return [];
  }

  // The ExternalSecret a ClusterExternalSecret creates in `namespace`, seen as the Secret it writes there.
  private clusterExternalSecretProducer(manifest: Manifest, namespace: string): SecretProducer | undefined {
    const object = manifest.object;
    const spec = asRecord(fieldAt(object, 'spec', 'externalSecretSpec'));
    const externalSecretName = asString(fieldAt(object, 'spec', 'externalSecretName')) ?? nameOf(object);
    if (spec === undefined || externalSecretName === undefined) {
      return undefined;
    }
    const annotations = { ...annotationsOf(object), ...annotationsOf({ apiVersion: '', kind: '', metadata: fieldAt(object, 'spec', 'externalSecretMetadata') }) };
    return {
      kind: 'cluster-external-secret',
      manifest,
      namespace,
      namespaceAssumed: false,
      ...externalSecretTarget(spec, externalSecretName, annotations),
    };
  }

  private index(manifest: Manifest): void {
    const object = manifest.object;
    const name = nameOf(object);
    if (name === undefined) {
      return;
    }
    if (isKind(object, '', 'ServiceAccount')) {
      this.serviceAccounts.set(key(this.namespaceOf(object), name), manifest);
    } else if (isKind(object, '', 'Namespace')) {
      this.namespaces.set(name, manifest);
    } else if (isKind(object, 'external-secrets.io', 'ClusterExternalSecret')) {
      this.clusterExternalSecrets.push({ manifest, rule: clusterExternalSecretRule(asRecord(object.spec) ?? {}) });
    }
  }
}

function key(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function push<K, V>(map: Map<K, V[]>, at: K, value: V): void {
  const list = map.get(at);
  if (list) {
    list.push(value);
  } else {
    map.set(at, [value]);
  }
}

function unknownPayload(reason: string): Payload {
  return { status: 'unknown', registries: [], basis: 'nothing readable', problem: reason };
}

/**
 * The Secret an ExternalSecret spec writes: `target.name` (default: the ExternalSecret's name), its type, and the
 * annotations of `target.template.metadata`, or the ExternalSecret's own when the template has no metadata.
 */
function externalSecretTarget(spec: JsonRecord | undefined, externalSecretName: string, ownAnnotations: { [key: string]: string }) {
  const templateMetadata = fieldAt(spec, 'target', 'template', 'metadata');
  return {
    name: asString(fieldAt(spec, 'target', 'name')) ?? externalSecretName,
    type: generatedSecretType(false, spec),
    annotations: templateMetadata !== undefined ? annotationsOf({ apiVersion: '', kind: '', metadata: templateMetadata }) : ownAnnotations,
  };
}

/** `replicate-from: ns/name` (mittwald) or `reflects: ns/name` (reflector); a bare name means the same namespace. */
function replicaLinkOf(annotations: { [key: string]: string }, namespace: string): ReplicaLink | undefined {
  const links: Array<[ReplicaLink['backend'], string]> = [['mittwald', `${MITTWALD_PREFIX}replicate-from`], ['reflector', `${REFLECTOR_PREFIX}reflects`]];
  for (const [backend, annotation] of links) {
    const value = annotations[annotation]?.trim();
    if (value) {
      const slash = value.indexOf('/');
      return slash < 0
        ? { backend, namespace, name: value, annotation }
        : { backend, namespace: value.slice(0, slash), name: value.slice(slash + 1), annotation };
    }
  }
  return undefined;
}

/** Kinds whose pod template the doctor reads, by API group. */
const WORKLOAD_POD_SPECS: Array<{ group: string; kind: string; path: string[] }> = [
  { group: '', kind: 'Pod', path: ['spec'] },
  { group: '', kind: 'ReplicationController', path: ['spec', 'template', 'spec'] },
  { group: 'apps', kind: 'Deployment', path: ['spec', 'template', 'spec'] },
  { group: 'apps', kind: 'StatefulSet', path: ['spec', 'template', 'spec'] },
  { group: 'apps', kind: 'DaemonSet', path: ['spec', 'template', 'spec'] },
  { group: 'apps', kind: 'ReplicaSet', path: ['spec', 'template', 'spec'] },
  { group: 'batch', kind: 'Job', path: ['spec', 'template', 'spec'] },
  { group: 'batch', kind: 'CronJob', path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
];

/** The pod spec of a workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob). */
export function podSpecOf(object: KubeObject): JsonRecord | undefined {
  const group = groupOf(object.apiVersion);
  const workload = WORKLOAD_POD_SPECS.find(each => each.kind === object.kind && each.group === group);
  return workload ? asRecord(fieldAt(object, ...workload.path)) : undefined;
}

/** One container image of a pod spec. */
export interface ContainerImage {
  /** e.g. `spec.template.spec.containers[0]` is reported as `containers[0]`. */
  readonly container: string;
  readonly image: string;
}

export function containerImagesOf(podSpec: JsonRecord): ContainerImage[] {
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap(list =>
    asArray(podSpec[list]).flatMap((container, index) => {
      const image = asString(fieldAt(container, 'image'));
      const containerName = asString(fieldAt(container, 'name'));
      return image === undefined ? [] : [{ container: `${list}[${index}]${containerName ? ` (${containerName})` : ''}`, image }];
    }));
}
