import { Finding } from './findings';
import { SecretProducer } from './inventory';
import { annotationsOf, isKind, KubeObject } from './kube-object';
import { findingAt, LintContext, ObjectRule, quotedList, SYSTEM_NAMESPACES } from './lint-context';
import { Manifest } from './manifests';
import { namespacesUsing, PATTERN_PLACEHOLDER, patternFor, repairedPattern } from './pattern-advice';
import { MITTWALD_PREFIX, REFLECTOR_PREFIX, ReplicationRule } from './replication-rules';
import { ReplicateToFindingCode, ReplicateToLint } from '../replication/pattern-lint';

/** Findings of `ReplicateToLint` that mean the same for the reflector's name lists (split on commas, whole-name match). */
const REFLECTOR_PATTERN_CODES = new Set<string>([
  ReplicateToFindingCode.GLOB_LIKE, ReplicateToFindingCode.SPACE_SEPARATED, ReplicateToFindingCode.COMMA_IN_QUANTIFIER,
  ReplicateToFindingCode.NEVER_MATCHES,
]);

/** Annotations a replication source carries; the rest (replicated-at, …) are written by the controllers. */
const MITTWALD_SOURCE = ['replicate-to', 'replicate-to-matching', 'replication-allowed', 'replication-allowed-namespaces'];
const REFLECTOR_SOURCE = ['reflection-allowed', 'reflection-allowed-namespaces', 'reflection-allowed-namespaces-selector',
  'reflection-auto-enabled', 'reflection-auto-namespaces', 'reflection-auto-namespaces-selector'];
const MITTWALD_KINDS = ['Secret', 'ConfigMap', 'Role', 'RoleBinding', 'ServiceAccount'];
const REFLECTOR_KINDS = ['Secret', 'ConfigMap'];

/** Rules on replication: patterns, selectors, reach into system namespaces, annotations in the wrong place. */
export const replicationRules: ObjectRule[] = [
  (manifest, context) => producersOf(manifest, context).flatMap(producer => mittwaldPatternFindings(manifest, producer, context)),
  (manifest, context) => producersOf(manifest, context).flatMap(producer => reflectorPatternFindings(manifest, producer, context)),
  (manifest, context) => producersOf(manifest, context).flatMap(producer =>
    context.inventory.replicationRulesOf(producer).flatMap(rule => ruleFindings(manifest, rule, producer.namespace, context, producer))),
  (manifest, context) => context.inventory.clusterExternalSecretRules()
    .filter(entry => entry.manifest === manifest)
    .flatMap(entry => ruleFindings(manifest, entry.rule, '', context)),
  (manifest, context) => misplacedAnnotationFindings(manifest, context),
  (manifest, context) => producersOf(manifest, context).flatMap(producer => replicaTypeFindings(manifest, producer, context)),
];

function producersOf(manifest: Manifest, context: LintContext): SecretProducer[] {
  return context.inventory.producersOf(manifest);
}

function mittwaldPatternFindings(manifest: Manifest, producer: SecretProducer, context: LintContext): Finding[] {
  const value = producer.annotations[`${MITTWALD_PREFIX}replicate-to`];
  if (value === undefined) {
    return [];
  }
  const example = () => exampleFor(producer, context);
  return ReplicateToLint.check(value, { sourceNamespace: producer.namespace, systemNamespaces: [...SYSTEM_NAMESPACES] }).map(finding =>
    finding.code === ReplicateToFindingCode.MATCHES_SYSTEM_NAMESPACE
      ? findingAt(manifest, 'replication-reaches-system-namespace', 'warning', `${MITTWALD_PREFIX}replicate-to: ${finding.problem}`, withExample(finding.fix, example))
      : findingAt(manifest, 'replicator-pattern', finding.severity, `${MITTWALD_PREFIX}replicate-to (${finding.code}): ${finding.problem}`, withExample(finding.fix, example)));
}

// The reflector splits on commas and trims like mittwald, and its leftmost match must span the whole name: globs,
// blanks and split quantifiers go wrong the same way. Its regexes are .NET, so RE2-only errors do not apply.
function reflectorPatternFindings(manifest: Manifest, producer: SecretProducer, context: LintContext): Finding[] {
  return ['reflection-allowed-namespaces', 'reflection-auto-namespaces'].flatMap(name => {
    const annotation = `${REFLECTOR_PREFIX}${name}`;
    const value = producer.annotations[annotation];
    if (value === undefined) {
      return [];
    }
    const invalid = value.split(',').map(entry => entry.trim()).filter(entry => entry !== '' && !compiles(entry));
    return [
      ...invalid.map(entry => findingAt(manifest, 'reflector-pattern', 'error',
        `${annotation}: "${entry}" is not a valid regular expression; the reflector throws on it and stops evaluating the list`,
        `write a valid .NET regular expression, e.g. "${repairedPattern(entry, compiles) ?? exampleFor(producer, context)}"`)),
      ...ReplicateToLint.check(value)
        .filter(finding => REFLECTOR_PATTERN_CODES.has(finding.code) && !invalid.includes(finding.entry))
        .map(finding => findingAt(manifest, 'reflector-pattern', finding.severity, `${annotation} (${finding.code}): ${finding.problem}`,
          withExample(finding.fix, () => exampleFor(producer, context)))),
    ];
  });
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

// Invalid selectors, and system namespaces the rule reaches (mittwald name patterns are left to ReplicateToLint).
function ruleFindings(
  manifest: Manifest, rule: ReplicationRule, sourceNamespace: string, context: LintContext, producer?: SecretProducer,
): Finding[] {
  const invalid = rule.invalidSelectors.map(selector => findingAt(manifest, 'replication-selector-invalid', 'error',
    `${selector.property}: "${selector.value}" ${selector.problem}; the controller matches no namespace with it`, selector.fix));
  const reached = rule.backend === 'mittwald' ? [] : SYSTEM_NAMESPACES
    .filter(namespace => namespace !== sourceNamespace && rule.reach(context.inventory.namespaceView(namespace), sourceNamespace) === 'yes');
  const reach = reached.length === 0 ? [] : [findingAt(manifest, 'replication-reaches-system-namespace', 'warning',
    `${rule.description}: the credential is copied into ${quotedList(reached)}, where anyone who may read Secrets there can read it`,
    rule.backend === 'reflector'
      ? `set reflection-allowed-namespaces and reflection-auto-namespaces to your namespaces, e.g. "${producer ? exampleFor(producer, context) : PATTERN_PLACEHOLDER}" (an empty or missing list means every namespace)`
      : 'narrow the namespace selectors to labelled namespaces, e.g. matchLabels: {openchoreo.dev/dataplane: "true"} ({} selects every namespace)')];
  return [...invalid, ...reach];
}

// ReplicateToLint's fixed example ("dp-.*") replaced by one derived from the manifests.
const GENERIC_EXAMPLE = 'e.g. "dp-.*"';

function withExample(fix: string, example: () => string): string {
  return fix.includes(GENERIC_EXAMPLE) ? fix.replace(GENERIC_EXAMPLE, `e.g. "${example()}"`) : fix;
}

// The namespaces whose pods present this secret: where the copies are needed.
function exampleFor(producer: SecretProducer, context: LintContext): string {
  return patternFor(namespacesUsing(producer.name, context.manifests ?? [], context.inventory, producer.namespace));
}

function misplacedAnnotationFindings(manifest: Manifest, context: LintContext): Finding[] {
  const object = manifest.object;
  const produced = context.inventory.producersOf(manifest)[0];
  const misplaced = sourceAnnotations(object).filter(annotation => !readWhereWritten(object, annotation, produced));
  if (misplaced.length === 0) {
    return [];
  }
  return [findingAt(manifest, 'replicator-annotation-misplaced', 'warning',
    `${quotedList(misplaced)} ${misplaced.length > 1 ? 'are' : 'is'} on a ${object.kind}, where the replicator never reads ${misplaced.length > 1 ? 'them' : 'it'}${whereInstead(object)}`,
    `put the annotations on the source Secret itself${object.kind === 'ExternalSecret' ? ' (spec.target.template.metadata.annotations)' : object.kind === 'SealedSecret' ? ' (spec.template.metadata.annotations)' : ''}`)];
}

function sourceAnnotations(object: KubeObject): string[] {
  return Object.keys(annotationsOf(object)).filter(annotation =>
    MITTWALD_SOURCE.some(name => annotation === `${MITTWALD_PREFIX}${name}`)
    || REFLECTOR_SOURCE.some(name => annotation === `${REFLECTOR_PREFIX}${name}`));
}

// A supported kind reads its own annotations; a SealedSecret or ExternalSecret is fine when its Secret gets them too.
function readWhereWritten(object: KubeObject, annotation: string, produced: SecretProducer | undefined): boolean {
  const kinds = annotation.startsWith(MITTWALD_PREFIX) ? MITTWALD_KINDS : REFLECTOR_KINDS;
  if (kinds.includes(object.kind) && isKind(object, object.kind === 'Role' || object.kind === 'RoleBinding' ? 'rbac.authorization.k8s.io' : '', object.kind)) {
    return true;
  }
  return produced !== undefined && produced.annotations[annotation] === annotationsOf(object)[annotation];
}

function whereInstead(object: KubeObject): string {
  if (object.kind === 'Namespace') {
    return ': replication annotations go on the source Secret, and name the target namespaces';
  }
  if (object.kind === 'ExternalSecret' || object.kind === 'SealedSecret') {
    return ', and the Secret it writes does not get them (its template metadata replaces them)';
  }
  return '';
}

// A pull target keeps its own type; a dockerconfigjson source copied into an Opaque target is ignored by the kubelet.
function replicaTypeFindings(manifest: Manifest, producer: SecretProducer, context: LintContext): Finding[] {
  const link = producer.replicaOf;
  const source = link ? context.inventory.payloadOf({ producer, reach: 'yes' }).dataFrom : undefined;
  if (!link || source === undefined || source.type === undefined || source.type === producer.type) {
    return [];
  }
  return [findingAt(manifest, 'replica-target-type', 'error',
    `${link.annotation} copies the data of ${link.namespace}/${link.name} (type ${source.type}), but this target has type ${producer.type ?? 'Opaque'} and keeps it`,
    `set type: ${source.type} on the target, with placeholder data (for a pull secret: .dockerconfigjson: e30K, the base64 of "{}")`)];
}
