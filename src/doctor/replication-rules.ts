import { ValidationError } from '../errors';
import { asArray, asRecord, asString, JsonRecord } from './kube-object';
import { MittwaldReplicateTo, NamespaceSelection } from '../replication/namespace-selection';
import { LabelSelector } from '../values/label-selector';

export const MITTWALD_PREFIX = 'replicator.v1.mittwald.de/';
export const REFLECTOR_PREFIX = 'reflector.v1.k8s.emberstack.com/';

/** The label the API server puts on every namespace; the only label known without a Namespace object. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
const ALWAYS = NAMESPACE_NAME_LABEL;
const NEVER = `!${NAMESPACE_NAME_LABEL}`;

/** Whether a copy reaches a namespace: `unknown` when it depends on labels of a namespace not in the manifests. */
export type Reach = 'yes' | 'no' | 'unknown';

/** A namespace as the manifests describe it. */
export interface NamespaceView {
  readonly name: string;
  /** Its labels, including `kubernetes.io/metadata.name`. */
  readonly labels: { [key: string]: string };
  /** Whether a Namespace object was found; without one only `kubernetes.io/metadata.name` is known. */
  readonly labelsKnown: boolean;
}

/** A label selector of a replication rule that does not parse; the controller matches nothing with it. */
export interface InvalidSelector {
  readonly property: string;
  readonly value: string;
  readonly problem: string;
  readonly fix: string;
}

/**
 * One way a controller copies a Secret into other namespaces, with that controller's own matching rules
 * (`NamespaceSelection`): mittwald push annotations, reflector auto mirrors, a ClusterExternalSecret.
 */
export interface ReplicationRule {
  readonly backend: 'mittwald' | 'reflector' | 'external-secrets';
  /** e.g. `replicator.v1.mittwald.de/replicate-to "dp-.*"`. */
  readonly description: string;
  readonly invalidSelectors: InvalidSelector[];
  reach(target: NamespaceView, sourceNamespace: string): Reach;
}

type SelectionBuilder = (selectors: Array<string | undefined>) => NamespaceSelection;

/**
 * A rule whose selection is built from name patterns and label selector strings. Selectors that cannot be decided
 * for a namespace (its labels are unknown) are replaced once by a selector that matches every namespace and once by
 * one that matches none: every backend ORs selectors with names and ANDs pairs, so equal answers decide the case.
 */
class SelectorRule implements ReplicationRule {
  public readonly invalidSelectors: InvalidSelector[];

  constructor(
    public readonly backend: ReplicationRule['backend'],
    public readonly description: string,
    private readonly selectors: Array<{ property: string; value?: string }>,
    private readonly build: SelectionBuilder,
    validate: (selector: string) => void,
  ) {
    this.invalidSelectors = selectors.flatMap(({ property, value }) => invalidSelector(property, value, validate));
  }

  public reach(target: NamespaceView, sourceNamespace: string): Reach {
    const invalid = new Set(this.invalidSelectors.map(each => each.value));
    const settled = this.selectors.map(({ value }) => {
      if (value === undefined) {
        return undefined;
      }
      return invalid.has(value) ? NEVER : isDecidable(value, target) ? value : null;
    });
    const upper = this.receives(settled.map(each => (each === null ? ALWAYS : each)), target, sourceNamespace);
    const lower = this.receives(settled.map(each => (each === null ? NEVER : each)), target, sourceNamespace);
    if (upper !== lower) {
      return 'unknown';
    }
    return upper ? 'yes' : 'no';
  }

  // A controller that cannot evaluate a pattern (the reflector throws on an invalid regex) copies nothing there.
  private receives(selectors: Array<string | undefined>, target: NamespaceView, sourceNamespace: string): boolean {
    try {
      return this.build(selectors).receives({ name: target.name, labels: target.labels }, sourceNamespace);
    } catch (e) {
      if (e instanceof ValidationError) {
        return false;
      }
      throw e;
    }
  }
}

function invalidSelector(property: string, value: string | undefined, validate: (selector: string) => void): InvalidSelector[] {
  if (value === undefined) {
    return [];
  }
  try {
    validate(value);
    return [];
  } catch (e) {
    if (e instanceof ValidationError) {
      return [{ property, value, problem: e.problem, fix: e.fix }];
    }
    throw e;
  }
}

function isDecidable(selector: string, target: NamespaceView): boolean {
  return target.labelsKnown
    || LabelSelector.parse(selector).requirements.every(requirement => requirement.key === NAMESPACE_NAME_LABEL);
}

/** Go `strconv.ParseBool` true values (mittwald). */
export function goBoolTrue(value: string | undefined): boolean {
  return value !== undefined && ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
}

/** .NET `bool.TryParse` true (reflector): "true" in any case, surrounding blanks ignored. */
export function dotNetBoolTrue(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'true';
}

/** mittwald push (`replicate-to`, `replicate-to-matching`) on a source's annotations, if any. */
export function mittwaldPushRule(annotations: { [key: string]: string }): ReplicationRule | undefined {
  const replicateTo = annotations[`${MITTWALD_PREFIX}replicate-to`];
  const replicateToMatching = annotations[`${MITTWALD_PREFIX}replicate-to-matching`];
  if (replicateTo === undefined && replicateToMatching === undefined) {
    return undefined;
  }
  const parts = [
    replicateTo !== undefined ? `replicate-to "${replicateTo}"` : undefined,
    replicateToMatching !== undefined ? `replicate-to-matching "${replicateToMatching}"` : undefined,
  ].filter(Boolean);
  return new SelectorRule('mittwald', `mittwald ${parts.join(' and ')}`,
    [{ property: `${MITTWALD_PREFIX}replicate-to-matching`, value: replicateToMatching }],
    ([selector]) => NamespaceSelection.mittwald({ replicateTo, replicateToMatching: selector }),
    selector => NamespaceSelection.mittwaldReplicateToMatching(selector));
}

/** reflector auto mirrors, when the source enables them (`reflection-allowed` and `reflection-auto-enabled`). */
export function reflectorAutoRule(annotations: { [key: string]: string }): ReplicationRule | undefined {
  const read = (name: string) => annotations[`${REFLECTOR_PREFIX}${name}`];
  if (!dotNetBoolTrue(read('reflection-allowed')) || !dotNetBoolTrue(read('reflection-auto-enabled'))) {
    return undefined;
  }
  const allowedNamespaces = read('reflection-allowed-namespaces');
  const autoNamespaces = read('reflection-auto-namespaces');
  const lists = [
    allowedNamespaces ? `reflection-allowed-namespaces "${allowedNamespaces}"` : undefined,
    autoNamespaces ? `reflection-auto-namespaces "${autoNamespaces}"` : undefined,
  ].filter(Boolean);
  return new SelectorRule('reflector', `reflector auto mirrors (${lists.length > 0 ? lists.join(', ') : 'no namespace lists'})`,
    [
      { property: `${REFLECTOR_PREFIX}reflection-allowed-namespaces-selector`, value: read('reflection-allowed-namespaces-selector') },
      { property: `${REFLECTOR_PREFIX}reflection-auto-namespaces-selector`, value: read('reflection-auto-namespaces-selector') },
    ],
    ([allowedSelector, autoSelector]) => NamespaceSelection.reflectorAuto({
      allowedNamespaces, allowedNamespacesSelector: allowedSelector, autoNamespaces, autoNamespacesSelector: autoSelector,
    }),
    selector => NamespaceSelection.reflectorAuto({ allowedNamespacesSelector: selector }));
}

/** Whether a reflector source lets a direct mirror (`reflects`) in `target` copy it. */
export function reflectorPermitRule(annotations: { [key: string]: string }): ReplicationRule | undefined {
  const read = (name: string) => annotations[`${REFLECTOR_PREFIX}${name}`];
  if (!dotNetBoolTrue(read('reflection-allowed'))) {
    return undefined;
  }
  const allowedNamespaces = read('reflection-allowed-namespaces');
  return new SelectorRule('reflector', `reflector reflection-allowed (namespaces "${allowedNamespaces ?? ''}")`,
    [{ property: `${REFLECTOR_PREFIX}reflection-allowed-namespaces-selector`, value: read('reflection-allowed-namespaces-selector') }],
    ([selector]) => NamespaceSelection.reflectorAuto({ allowedNamespaces, allowedNamespacesSelector: selector }),
    selector => NamespaceSelection.reflectorAuto({ allowedNamespacesSelector: selector }));
}

/**
 * Whether a mittwald source lets a pull target (`replicate-from`) in `namespace` copy it: `replication-allowed` true
 * and `replication-allowed-namespaces` matching, with the anchoring of `replicate-to`.
 */
export function mittwaldPullAllowed(annotations: { [key: string]: string }, namespace: string): boolean {
  const allowedNamespaces = annotations[`${MITTWALD_PREFIX}replication-allowed-namespaces`];
  return goBoolTrue(annotations[`${MITTWALD_PREFIX}replication-allowed`])
    && allowedNamespaces !== undefined
    && MittwaldReplicateTo.parse(allowedNamespaces).matchesOnCreate(namespace);
}

/**
 * The namespaces a ClusterExternalSecret selects: `namespaceSelectors` (ORed), the deprecated `namespaceSelector`
 * and the deprecated `namespaces` list (each name becomes a `kubernetes.io/metadata.name` selector).
 */
export function clusterExternalSecretRule(spec: JsonRecord): ReplicationRule {
  const selectors = [
    ...asArray(spec.namespaceSelectors).map((item, index) => ({ property: `spec.namespaceSelectors[${index}]`, value: selectorString(item) })),
    ...(spec.namespaceSelector !== undefined ? [{ property: 'spec.namespaceSelector', value: selectorString(spec.namespaceSelector) }] : []),
    ...asArray(spec.namespaces).map((name, index) => ({ property: `spec.namespaces[${index}]`, value: `${NAMESPACE_NAME_LABEL}=${asString(name) ?? ''}` })),
  ];
  return new SelectorRule('external-secrets', 'ClusterExternalSecret namespace selectors', selectors,
    values => NamespaceSelection.labelSelectors(values.filter((value): value is string => value !== undefined)),
    selector => NamespaceSelection.labelSelectors([selector]));
}

const EXPRESSION_OPERATORS: { [operator: string]: (key: string, values: string) => string } = {
  In: (key, values) => `${key} in (${values})`,
  NotIn: (key, values) => `${key} notin (${values})`,
  Exists: key => key,
  DoesNotExist: key => `!${key}`,
};

/**
 * A `metav1.LabelSelector` (`matchLabels`, `matchExpressions`) as a selector string; `{}` selects everything. A shape
 * that has no string form yields text that fails to parse, so the rule reports it as invalid.
 */
function selectorString(value: unknown): string {
  const selector = asRecord(value) ?? {};
  const labels = Object.entries(asRecord(selector.matchLabels) ?? {}).map(([key, item]) => `${key}=${String(item)}`);
  const expressions = asArray(selector.matchExpressions).map(expression => {
    const record = asRecord(expression) ?? {};
    const write = EXPRESSION_OPERATORS[asString(record.operator) ?? ''];
    const values = asArray(record.values).map(String).join(',');
    return write ? write(asString(record.key) ?? '', values) : `${asString(record.key) ?? ''} ${String(record.operator)} (${values})`;
  });
  return [...labels, ...expressions].join(',');
}
