import { Inventory, SecretProducer, SecretSource } from './inventory';
import { describeRef, labelsOf, ObjectRef, refOf } from './kube-object';
import { NearMiss, nearestMiss } from './near-miss';
import { PayloadStatus } from './payload';
import { allKeysKnown, configOf, CredentialMatch, matchImage, PodContext, PullResolution, PullSecretOrigin, resolvePull } from './pull-resolution';
import { PURPOSE_LABEL, PURPOSE_PUSH, REGISTRIES_ANNOTATION } from '../constants';
import { ImageReference } from '../values/image-reference';
import { KubeletKeyring } from '../values/kubelet-keyring';

/** Where a Secret comes from, for the report. */
export interface SourceReport {
  /** `secret`, `sealed-secret`, `external-secret`, `cluster-external-secret`, `mittwald-push` or `reflector-auto`. */
  readonly via: string;
  /** The object in the manifests that produces it. */
  readonly object: ObjectRef;
  readonly file: string;
  readonly line: number;
  /** For copies: the rule that copies it, e.g. `mittwald replicate-to "dp-.*"`. */
  readonly rule?: string;
  /** `yes`, or `unknown` when the copy depends on labels of a namespace not in the manifests. */
  readonly reach: string;
  /** Set when the namespace was assumed because the manifest names none. */
  readonly assumedNamespace?: string;
}

/** One pull secret the pod presents. */
export interface PullSecretReport {
  readonly name: string;
  /** `known`, `registries`, `unknown`, `invalid`, `not-pull-secret`, or `missing` when no source is in the manifests. */
  readonly status: PayloadStatus | 'missing';
  /** The `auths` keys, when known. */
  readonly registries: string[];
  /** Where the keys were read: `the .dockerconfigjson data`, `the cdk8s-registries/registries annotation`, … */
  readonly basis?: string;
  /** Why the data is not (fully) known or usable. */
  readonly problem?: string;
  /**
   * Set (true) when the keys come from splitting the registries annotation at commas (several entries), so a match is
   * not proof; absent otherwise (the JSON shows the field only then).
   */
  readonly keysFromSplit?: boolean;
  readonly sources: SourceReport[];
  /** For copies and pull-replication targets: the object the data comes from. */
  readonly dataFrom?: SourceReport;
  readonly notes: string[];
}

/** A Secret in the manifests that would cover the image but that the pod does not present. */
export interface UnattachedMatch {
  readonly secret: ObjectRef;
  readonly file: string;
  readonly key: string;
  /** Whether it lives in the pod's namespace (attach it) or elsewhere (replicate it, then attach it). */
  readonly inNamespace: boolean;
  /**
   * When it lives elsewhere but a replication rule already copies it into the pod's namespace: that rule, e.g.
   * `mittwald replicate-to "dp-.*"`. The copy has the same name, so attaching the name is all that is missing.
   */
  readonly replicatedBy?: string;
}

/** `covered`: a credential matches; `not-covered`: none does; `unknown`: it depends on data the manifests do not show. */
export type Verdict = 'covered' | 'not-covered' | 'unknown';

/** The answer of `doctor explain`, also its `--format json` output (version 1). */
export interface ExplainReport {
  readonly image: string;
  /** The repository the kubelet looks up, e.g. `docker.io/library/nginx`. */
  readonly repository: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Whether the service account is in the manifests. */
  readonly serviceAccountFound: boolean;
  readonly pullSecretsFrom: PullSecretOrigin;
  readonly pullSecrets: PullSecretReport[];
  /** The credentials the kubelet tries, in order. */
  readonly credentials: CredentialMatch[];
  readonly verdict: Verdict;
  /** One sentence saying why. */
  readonly summary: string;
  /** When nothing matches: the key closest to matching, and why it does not. */
  readonly nearestMiss?: NearMiss;
  /** Secrets elsewhere in the manifests that would match. */
  readonly unattachedMatches: UnattachedMatch[];
  /** The cluster explained, when the tree is laid out by cluster (`--cluster`). */
  readonly cluster?: string;
}

/**
 * Which credential the kubelet would try for an image in a namespace, where it comes from, or why none matches.
 *
 * @throws ValidationError when the image is not a valid reference
 */
export function explainPull(inventory: Inventory, image: string, context: PodContext, cluster?: string): ExplainReport {
  const reference = ImageReference.parse(image);
  const resolution = resolvePull(inventory, context);
  const credentials = matchImage(resolution, image);
  const knownKeys = resolution.secrets.flatMap(secret => secret.resolved?.payload.registries ?? []);
  const verdict = verdictOf(credentials, resolution);
  const miss = verdict === 'covered' ? undefined : nearestMiss(knownKeys, reference);
  return {
    image,
    repository: reference.name,
    namespace: context.namespace,
    serviceAccount: context.serviceAccount,
    serviceAccountFound: resolution.serviceAccount !== undefined,
    pullSecretsFrom: resolution.origin,
    pullSecrets: resolution.secrets.map(secret => reportSecret(inventory, secret.name, secret.sources, context.namespace)),
    credentials,
    verdict,
    summary: summaryOf(verdict, credentials, resolution, reference, miss),
    nearestMiss: miss,
    unattachedMatches: verdict === 'covered' ? [] : unattachedMatches(inventory, image, resolution),
    cluster,
  };
}

// A match counts only from a Secret that surely exists in the namespace; a pod without pull secrets pulls anonymously
// only if its service account (when not in the manifests) has none either.
function verdictOf(credentials: CredentialMatch[], resolution: PullResolution): Verdict {
  const certain = new Set(resolution.secrets
    .filter(secret => secret.sources[0]?.reach === 'yes' && secret.resolved?.payload.keysFromSplit !== true)
    .map(secret => secret.name));
  if (credentials.some(credential => certain.has(credential.secret))) {
    return 'covered';
  }
  if (credentials.length > 0 || (resolution.origin === 'none' && resolution.serviceAccount === undefined)) {
    return 'unknown';
  }
  return allKeysKnown(resolution) ? 'not-covered' : 'unknown';
}

function summaryOf(
  verdict: Verdict, credentials: CredentialMatch[], resolution: PullResolution, image: ImageReference, miss: NearMiss | undefined,
): string {
  if (verdict === 'covered') {
    const first = credentials[0];
    const how = first.viaDockerHubFallback ? ' through the Docker Hub fallback' : '';
    const more = credentials.length > 1 ? `, then ${credentials.length - 1} more in order if that fails` : '';
    const keyOnly = first.keyOnly ? ' (the key is known, the credential itself is not in the manifests)' : '';
    return `the kubelet first tries the credential of "${first.secret}" for key "${first.key}"${how}${more}${keyOnly}`;
  }
  const split = credentials.find(credential => resolution.secrets.find(secret => secret.name === credential.secret)?.resolved?.payload.keysFromSplit);
  if (split !== undefined) {
    return `"${split.secret}" matches with "${split.key}", but that key comes from splitting the ${REGISTRIES_ANNOTATION} annotation at commas, `
      + 'and a key containing "," would be cut into such pieces; the Secret\'s payload is not in the manifests to confirm it';
  }
  if (credentials.length > 0) {
    return `"${credentials[0].secret}" has a matching key "${credentials[0].key}", but the Secret reaches the namespace only if the namespace has the labels its replication selects, and no Namespace object in the manifests tells`;
  }
  if (resolution.origin === 'none') {
    return resolution.serviceAccount === undefined
      ? `the pod lists no imagePullSecrets and service account "${resolution.context.serviceAccount}" is not in the manifests; if it has none either, the kubelet pulls "${image.name}" anonymously or with the node's credentials`
      : `the pod presents no pull secrets, so the kubelet pulls "${image.name}" anonymously or with the node's credentials`;
  }
  if (verdict === 'unknown') {
    return 'no key the manifests show matches, but some pull secrets are not in the manifests or their data is unknown, so they may cover it';
  }
  const nearest = miss ? `; nearest miss: ${miss.explanation}` : '';
  return `no pull secret key matches "${image.name}", so the kubelet pulls it anonymously or with the node's credentials${nearest}`;
}

function reportSecret(inventory: Inventory, name: string, sources: SecretSource[], namespace: string): PullSecretReport {
  const resolved = sources.length > 0 ? inventory.payloadOf(sources[0]) : undefined;
  const notes = [
    ...(sources.length > 1 ? [`${sources.length} objects make this Secret; the first one listed is assumed, and controllers decide which data wins`] : []),
    ...(resolved?.note ? [resolved.note] : []),
  ];
  if (resolved === undefined) {
    return {
      name,
      status: 'missing',
      registries: [],
      sources: [],
      notes,
      problem: `no object in the scanned manifests makes this Secret in the namespace; the kubelet skips a missing pull secret${elsewhereHint(inventory, name, namespace)}`,
    };
  }
  const payload = resolved.payload;
  return {
    name,
    status: payload.status,
    registries: payload.registries,
    basis: payload.basis,
    problem: payload.problem,
    sources: sources.map(sourceReport),
    dataFrom: resolved.dataFrom ? producerReport(resolved.dataFrom, 'secret', 'yes') : undefined,
    notes,
    keysFromSplit: payload.keysFromSplit === true ? true : undefined,
  };
}

// Pods read pull secrets from their own namespace only: say where the Secret is and how to get it here.
function elsewhereHint(inventory: Inventory, name: string, namespace: string): string {
  const others = inventory.producers.filter(producer => producer.name === name && producer.namespace !== namespace);
  const where = [...new Set(others.map(producer => producer.namespace))].sort();
  return where.length === 0 ? ''
    : `; it exists in namespace ${where.map(each => `"${each}"`).join(', ')}: replicate it into "${namespace}" (e.g. replicator.v1.mittwald.de/replicate-to: "${namespace}" on the source), or create it there`;
}

const COPY_KINDS: { [backend: string]: string } = { 'mittwald': 'mittwald-push', 'reflector': 'reflector-auto', 'external-secrets': 'cluster-external-secret' };

function sourceReport(source: SecretSource): SourceReport {
  const via = source.replicatedBy ? COPY_KINDS[source.replicatedBy.backend] : source.producer.kind;
  return producerReport(source.producer, via, source.reach, source.replicatedBy?.description);
}

function producerReport(producer: SecretProducer, via: string, reach: string, rule?: string): SourceReport {
  return {
    via,
    object: refOf(producer.manifest.object),
    file: producer.manifest.file,
    line: producer.manifest.line,
    rule,
    reach,
    assumedNamespace: producer.namespaceAssumed ? producer.namespace : undefined,
  };
}

// Pull secrets anywhere in the manifests whose keys match (push secrets aside): the usual fix is attaching or
// replicating one of them.
function unattachedMatches(inventory: Inventory, image: string, resolution: PullResolution): UnattachedMatch[] {
  const attached = new Set(resolution.secrets.map(secret => secret.name));
  const matches: UnattachedMatch[] = [];
  for (const producer of inventory.producers) {
    const inNamespace = producer.namespace === resolution.context.namespace;
    if (inNamespace && attached.has(producer.name)) {
      continue;
    }
    if (labelsOf(producer.manifest.object)[PURPOSE_LABEL] === PURPOSE_PUSH) {
      continue;
    }
    const resolved = inventory.payloadOf({ producer, reach: 'yes' });
    if (!['known', 'registries'].includes(resolved.payload.status)) {
      continue;
    }
    const match = new KubeletKeyring([configOf(resolved)]).lookup(image)[0];
    if (match !== undefined) {
      const copiedBy = inNamespace ? undefined : inventory.replicationRulesOf(producer)
        .find(rule => rule.reach(inventory.namespaceView(resolution.context.namespace), producer.namespace) === 'yes');
      const secret = refOf(producer.manifest.object);
      matches.push({ secret, file: producer.manifest.file, key: match, inNamespace, replicatedBy: copiedBy?.description });
    }
  }
  return matches;
}

/** A readable line for a source, e.g. `Secret team-a/regcred (dist/a.yaml:3)`. */
export function describeSource(source: SourceReport): string {
  const where = `${source.file}:${source.line}`;
  const assumed = source.assumedNamespace !== undefined ? `, namespace assumed "${source.assumedNamespace}"` : '';
  const rule = source.rule ? `, by ${source.rule}${source.reach === 'unknown' ? ' (only if the namespace has the selected labels: no Namespace object in the manifests)' : ''}` : '';
  return `${describeRef(source.object)} (${where}${assumed})${rule}`;
}
