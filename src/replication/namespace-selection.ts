import { RE2JS } from 're2js';
import { dotnetTrim, goTrimSpace, MAX_ANNOTATION_BYTES, nonPrintableAscii, shownEntry } from './consumer-text';
import { javascriptReadsDifferently, PatternProblem, reflectorRegexProblem } from './reflector-regex';
import { ValidationError } from '../errors';
import { checkArgs } from '../props-check';
import { LabelSelector, LabelSelectorOperator, LabelSelectorSpec } from '../values/label-selector';

/**
 * A namespace as the replication backends see it: its name and labels.
 */
export interface NamespaceInfo {
  /** The namespace name. */
  readonly name: string;

  /**
   * The namespace labels.
   *
   * @default - no labels
   */
  readonly labels?: { [key: string]: string };
}

/**
 * One entry of a `replicator.v1.mittwald.de/replicate-to` value, as mittwald/kubernetes-replicator compiles it.
 */
export interface MittwaldPatternEntry {
  /** The entry as written, with surrounding whitespace trimmed as Go's `strings.TrimSpace` does. */
  readonly entry: string;

  /** The regular expression compiled when copies are pushed: `^` and `$` added textually unless already there. */
  readonly anchoredRegex: string;

  /**
   * Why Go RE2 rejects `anchoredRegex`; mittwald logs such an entry and skips it.
   *
   * @default - the entry compiles
   */
  readonly error?: string;
}

/**
 * A parsed `replicator.v1.mittwald.de/replicate-to` value with mittwald/kubernetes-replicator v2.12.4 semantics.
 *
 * The value is split on `,` only and each entry trimmed with Go `strings.TrimSpace` semantics (NEL and no-break spaces
 * are stripped, U+FEFF is kept). When pushing, each entry is anchored textually (`^` + entry +
 * `$`, no grouping, so a top-level `|` escapes the anchors) and compiled as Go RE2; entries that do not compile are
 * skipped. When the source is deleted, entries are matched unanchored instead, so an empty entry then matches every
 * namespace.
 *
 * @see https://github.com/mittwald/kubernetes-replicator#push-based-replication
 */
export class MittwaldReplicateTo {
  /**
   * Parses an annotation value. Never throws: like the replicator, it keeps invalid entries aside.
   *
   * @param value the `replicate-to` annotation value
   */
  public static parse(value: string): MittwaldReplicateTo {
    checkArgs('MittwaldReplicateTo.parse', [value]);
    // Parsing is pure and compiling a long pattern is slow; the construct, its lint and the preview parse the same
    // values several times.
    let parsed = PARSED.get(value);
    if (parsed === undefined) {
      parsed = new MittwaldReplicateTo(value);
      if (PARSED.size >= PARSED_CACHE_SIZE) {
        PARSED.delete(PARSED.keys().next().value!);
      }
      PARSED.set(value, parsed);
    }
    return parsed;
  }

  /** The annotation value as given. */
  public readonly value: string;

  /** Every entry in order, including empty and invalid ones. */
  public readonly entries: MittwaldPatternEntry[];

  /** The entries (trimmed) that Go RE2 rejects once anchored; the replicator skips them. */
  public readonly invalidEntries: string[];

  private readonly createMatchers: RE2JS[];
  private readonly trimmedEntries: string[];
  private deleteMatchers?: RE2JS[];

  private constructor(value: string) {
    this.value = value;
    const trimmed = value.split(',').map(goTrimSpace);
    const compiled = trimmed.map(entry => ({ entry, anchoredRegex: anchorTextually(entry) }))
      .map(entry => ({ ...entry, ...compileRe2(entry.anchoredRegex) }));
    this.entries = compiled.map(({ entry, anchoredRegex, error }) =>
      (error === undefined ? { entry, anchoredRegex } : { entry, anchoredRegex, error }));
    this.invalidEntries = this.entries.filter(entry => entry.error !== undefined).map(entry => entry.entry);
    this.createMatchers = compiled.map(entry => entry.regex).filter((regex): regex is RE2JS => regex !== undefined);
    this.trimmedEntries = trimmed;
  }

  /**
   * Whether a copy is pushed into this namespace (pattern match only; the source's own namespace and the
   * `--exclude-namespaces` flag are applied by `NamespaceSelection.receives`).
   *
   * @param namespace the namespace name
   */
  public matchesOnCreate(namespace: string): boolean {
    return this.createMatchers.some(matcher => matcher.test(namespace));
  }

  /**
   * Whether a same-named object in this namespace is deleted when the source is deleted: entries are trimmed but not
   * anchored, and an empty entry matches every namespace. (The replicator never deletes in the source's own
   * namespace.)
   *
   * @param namespace the namespace name
   */
  public matchesOnDelete(namespace: string): boolean {
    this.deleteMatchers ??= compiledOnly(this.trimmedEntries);
    return this.deleteMatchers.some(matcher => matcher.test(namespace));
  }
}

const PARSED_CACHE_SIZE = 64;
const PARSED = new Map<string, MittwaldReplicateTo>();

/** `BuildStrictRegex`: `^` unless the entry starts with one, `$` unless it ends with one, nothing else. */
function anchorTextually(entry: string): string {
  const start = entry.startsWith('^') ? '' : '^';
  const end = entry.endsWith('$') ? '' : '$';
  return `${start}${entry}${end}`;
}

interface Re2Compilation {
  readonly regex?: RE2JS;
  readonly error?: string;
}

function compileRe2(pattern: string): Re2Compilation {
  try {
    return { regex: RE2JS.compile(pattern) };
  } catch (e) {
    const error = (e as Error).message;
    // Go accepts two groups of the same name (SubexpIndex documents it); re2js does not. Names do not change what
    // matches, so the pattern is compiled again with the names made unique.
    if (error.includes('duplicate capture group name')) {
      return compileRe2(uniqueGroupNames(pattern));
    }
    return { error };
  }
}

/** `(?P<n>a)(?<n>b)` → `(?P<n_0>a)(?P<n_1>b)`, outside escapes, `\Q…\E` and classes. */
function uniqueGroupNames(pattern: string): string {
  let out = '';
  let inClass = false;
  let count = 0;
  for (let index = 0; index < pattern.length; index++) {
    const rest = pattern.slice(index, index + 4);
    if (rest.startsWith('\\Q')) {
      const end = pattern.indexOf('\\E', index + 2);
      const stop = end < 0 ? pattern.length : end + 2;
      out += pattern.slice(index, stop);
      index = stop - 1;
    } else if (pattern[index] === '\\') {
      out += pattern.slice(index, index + 2);
      index++;
    } else if (inClass) {
      out += pattern[index];
      inClass = pattern[index] !== ']';
    } else if (pattern[index] === '[') {
      const literalClose = pattern.startsWith('^]', index + 1) ? 2 : pattern.startsWith(']', index + 1) ? 1 : 0;
      out += pattern.slice(index, index + 1 + literalClose);
      index += literalClose;
      inClass = true;
    } else {
      const named = /^\(\?P?<(\w+)>/.exec(pattern.slice(index, index + 256));
      if (named) {
        out += `(?P<${named[1]}_${count++}>`;
        index += named[0].length - 1;
      } else {
        out += pattern[index];
      }
    }
  }
  return out;
}

function compiledOnly(patterns: string[]): RE2JS[] {
  return patterns.map(pattern => compileRe2(pattern).regex).filter((regex): regex is RE2JS => regex !== undefined);
}

/**
 * Which replication mechanism a `NamespaceSelection` configures.
 */
export enum NamespaceSelectionKind {
  /** mittwald/kubernetes-replicator push annotations on the source. */
  MITTWALD = 'mittwald',
  /** emberstack/kubernetes-reflector auto-mirror annotations on the source. */
  REFLECTOR = 'reflector',
  /** External Secrets Operator `ClusterExternalSecret` namespace selectors. */
  EXTERNAL_SECRETS = 'external-secrets',
}

/**
 * How mittwald/kubernetes-replicator picks target namespaces for a pushed source.
 */
export interface MittwaldNamespaceSelectionOptions {
  /**
   * The `replicator.v1.mittwald.de/replicate-to` value: comma-separated Go RE2 patterns, each anchored to the whole
   * namespace name, e.g. `dp-.*`. Check it with `ReplicateToLint` before shipping it.
   *
   * @default - no `replicate-to` annotation
   */
  readonly replicateTo?: string;

  /**
   * The `replicator.v1.mittwald.de/replicate-to-matching` value: a label selector string on the target namespaces,
   * e.g. `openchoreo.dev/dataplane=true`. Combined with `replicateTo`, a namespace matching either one gets a copy.
   *
   * @default - no `replicate-to-matching` annotation
   */
  readonly replicateToMatching?: string;

  /**
   * The replicator's `--exclude-namespaces` flag, when it runs with one: comma-separated RE2 patterns matched
   * anywhere in the name (not anchored, not trimmed); matching namespaces receive no pushed Secrets or ConfigMaps.
   * A `ReplicatedPullSecret` counts this claim only when the `KubernetesReplicatorApplication` in the same App runs
   * with exactly this value (checked at synthesis); the flag does not apply when the source is deleted.
   *
   * @default - the flag is not set
   */
  readonly controllerExcludeNamespaces?: string;
}

/**
 * How emberstack/kubernetes-reflector picks namespaces for auto mirrors of a source (the selection also sets
 * `reflection-allowed` and `reflection-auto-enabled` to `"true"`).
 *
 * A namespace receives a mirror when it passes the allowed-* pair AND the auto-* pair. Within a pair, the name
 * patterns OR the selector must match; a pair with both unset or empty allows every namespace.
 */
export interface ReflectorAutoOptions {
  /**
   * The `reflection-allowed-namespaces` value: comma-separated .NET regexes whose leftmost match must span the whole
   * namespace name (no anchors are added). `ReplicatedPullSecret` accepts only the regex subset .NET and the
   * JavaScript preview read alike: literals, `.`, `^`, `$`, `\d \w \s`, classes, groups `( )` and `(?: )`, `|` and
   * quantifiers.
   *
   * @default - unset
   */
  readonly allowedNamespaces?: string;

  /**
   * The `reflection-allowed-namespaces-selector` value: a label selector string.
   *
   * @default - unset
   */
  readonly allowedNamespacesSelector?: string;

  /**
   * The `reflection-auto-namespaces` value, same syntax as `allowedNamespaces`.
   *
   * @default - unset
   */
  readonly autoNamespaces?: string;

  /**
   * The `reflection-auto-namespaces-selector` value: a label selector string.
   *
   * @default - unset
   */
  readonly autoNamespacesSelector?: string;

  /**
   * The reflector's watcher setting `excludedNamespaces` (Helm `configuration.watcher.excludedNamespaces`), when set:
   * comma-separated globs (`*`, `?`). It only ignores sources that live in a matching namespace; excluded namespaces
   * still receive mirrors.
   *
   * @default - no exclusion
   */
  readonly watcherExcludedNamespaces?: string;
}

const MITTWALD_PREFIX = 'replicator.v1.mittwald.de/';
const REFLECTOR_PREFIX = 'reflector.v1.k8s.emberstack.com/';

/**
 * Which namespaces receive a copy of a replicated source, as one replication backend decides it.
 *
 * Each factory models one backend's own rules exactly (anchoring, regex flavour, empty values, self-skip), so
 * `preview` shows what the controller will do with the annotations or selectors that `sourceAnnotations` and
 * `namespaceSelectorSpecs` emit.
 */
export abstract class NamespaceSelection {
  /**
   * mittwald/kubernetes-replicator push by name patterns (`replicator.v1.mittwald.de/replicate-to`).
   *
   * @param value comma-separated RE2 patterns, e.g. `dp-.*`
   * @see https://github.com/mittwald/kubernetes-replicator#push-based-replication
   */
  public static mittwaldReplicateTo(value: string): NamespaceSelection {
    checkArgs('NamespaceSelection.mittwaldReplicateTo', [value]);
    return NamespaceSelection.mittwald({ replicateTo: value });
  }

  /**
   * mittwald/kubernetes-replicator push by namespace labels (`replicator.v1.mittwald.de/replicate-to-matching`).
   *
   * @param selector a label selector string, e.g. `openchoreo.dev/dataplane=true`
   * @see https://github.com/mittwald/kubernetes-replicator#push-based-replication
   */
  public static mittwaldReplicateToMatching(selector: string): NamespaceSelection {
    checkArgs('NamespaceSelection.mittwaldReplicateToMatching', [selector]);
    return NamespaceSelection.mittwald({ replicateToMatching: selector });
  }

  /**
   * mittwald/kubernetes-replicator push with patterns and/or a label selector on one source (union of both).
   *
   * @throws ValidationError when neither `replicateTo` nor `replicateToMatching` is given, or the selector is malformed
   * @see https://github.com/mittwald/kubernetes-replicator#push-based-replication
   */
  public static mittwald(options: MittwaldNamespaceSelectionOptions): NamespaceSelection {
    checkArgs('NamespaceSelection.mittwald', [options]);
    return new MittwaldSelection(options);
  }

  /**
   * emberstack/kubernetes-reflector auto mirrors.
   *
   * @throws ValidationError when a selector is malformed or reads differently in the reflector's own parser
   * @see https://github.com/emberstack/kubernetes-reflector#automatic-mirror-creation
   */
  public static reflectorAuto(options: ReflectorAutoOptions): NamespaceSelection {
    checkArgs('NamespaceSelection.reflectorAuto', [options]);
    return new ReflectorSelection(options);
  }

  /**
   * External Secrets Operator `ClusterExternalSecret` `spec.namespaceSelectors`: a namespace matching any selector
   * gets an `ExternalSecret`. ESO does not know the source namespace: if that namespace matches, it gets one too.
   *
   * @param selectors label selector strings, ORed
   * @throws ValidationError when a selector is malformed or uses `>`/`<`
   * @see https://external-secrets.io/latest/api/clusterexternalsecret/
   */
  public static labelSelectors(selectors: string[]): NamespaceSelection {
    checkArgs('NamespaceSelection.labelSelectors', [selectors]);
    return new LabelSelectorsSelection(selectors);
  }

  /** The backend this selection configures. */
  public abstract readonly kind: NamespaceSelectionKind;

  /**
   * Whether the backend puts a copy into this namespace.
   *
   * @param namespace the candidate namespace
   * @param sourceNamespace the namespace of the source object
   * @throws ValidationError when a reflector pattern reached for this namespace is not a valid regex (the reflector
   *   itself fails on it)
   */
  public abstract receives(namespace: NamespaceInfo, sourceNamespace: string): boolean;

  /**
   * The annotations the source object carries for this selection (empty for External Secrets Operator).
   */
  public abstract sourceAnnotations(): { [key: string]: string };

  /**
   * The `ClusterExternalSecret` `spec.namespaceSelectors` items (empty for the annotation-based backends).
   */
  public abstract namespaceSelectorSpecs(): LabelSelectorSpec[];

  /**
   * The names of the namespaces that receive a copy, in input order.
   *
   * @param namespaces the namespaces of the cluster
   * @param sourceNamespace the namespace of the source object
   */
  public preview(namespaces: NamespaceInfo[], sourceNamespace: string): string[] {
    return namespaces.filter(namespace => this.receives(namespace, sourceNamespace)).map(namespace => namespace.name);
  }

  /**
   * The controller's namespace exclusion this selection claims (mittwald `--exclude-namespaces`).
   *
   * @internal
   */
  public _controllerExcludeNamespaces(): string | undefined {
    return undefined;
  }

  /**
   * The same selection without the controller exclusion claim, to judge what it reaches when the claim is not true.
   *
   * @internal
   */
  public _withoutControllerExclusions(): NamespaceSelection {
    return this;
  }

  /**
   * Whether mittwald deletes or strips a same-named object in this namespace when the source is deleted.
   *
   * @internal
   */
  public _matchesOnDelete(_namespace: string): boolean {
    return false;
  }

  /**
   * Reflector name-list entries outside the regex subset both .NET and the preview read alike.
   *
   * @internal
   */
  public _patternProblems(): PatternProblem[] {
    return [];
  }
}

/**
 * Controllers read replication values byte by byte after go-yaml has parsed them; anything outside printable ASCII
 * (NEL, no-break spaces, U+FEFF, smart quotes, tabs, line breaks) is folded, trimmed or kept differently by go-yaml,
 * Go, .NET and JavaScript, so the preview could not tell what the controller matches.
 */
function requireReadableText(value: string | undefined, property: string): void {
  if (value === undefined) {
    return;
  }
  if (typeof value !== 'string') {
    throw new ValidationError({ property, value: String(value), problem: `must be a string, got ${typeof value}`, fix: 'pass the annotation value as a string, e.g. "dp-.*"' });
  }
  if (Buffer.byteLength(value) > MAX_ANNOTATION_BYTES) {
    throw new ValidationError({
      property,
      value: shownEntry(value),
      problem: `is ${Buffer.byteLength(value)} bytes long; the API server refuses annotations over ${MAX_ANNOTATION_BYTES} bytes in total`,
      fix: 'select the namespaces by a short pattern such as "dp-.*" or by a label',
    });
  }
  const character = nonPrintableAscii(value);
  if (character !== undefined) {
    throw new ValidationError({
      property,
      value: JSON.stringify(value).slice(1, -1),
      problem: `holds the character ${character}, which go-yaml, Go, .NET and JavaScript fold, trim or keep differently, so what the controller matches cannot be previewed`,
      fix: 'retype the value using printable ASCII only (letters, digits, "-", ".", "*", ",", spaces…); namespace names never hold other characters',
    });
  }
}

class MittwaldSelection extends NamespaceSelection {
  public readonly kind = NamespaceSelectionKind.MITTWALD;
  private readonly replicateTo?: MittwaldReplicateTo;
  private readonly replicateToMatching?: LabelSelector;
  private readonly excludeMatchers: RE2JS[];

  constructor(private readonly options: MittwaldNamespaceSelectionOptions) {
    super();
    requireReadableText(options.replicateTo, 'replicateTo');
    requireReadableText(options.replicateToMatching, 'replicateToMatching');
    requireReadableText(options.controllerExcludeNamespaces, 'controllerExcludeNamespaces');
    if (options.replicateTo === undefined && options.replicateToMatching === undefined) {
      throw new ValidationError({
        property: 'replicateTo',
        problem: 'neither replicateTo nor replicateToMatching is set, so nothing would be replicated',
        fix: 'set replicateTo (e.g. "dp-.*") and/or replicateToMatching (e.g. "openchoreo.dev/dataplane=true")',
      });
    }
    this.replicateTo = options.replicateTo === undefined ? undefined : MittwaldReplicateTo.parse(options.replicateTo);
    this.replicateToMatching = options.replicateToMatching === undefined
      ? undefined
      : LabelSelector.parse(options.replicateToMatching, 'replicateToMatching');
    // The flag is split without trimming and empty entries are ignored (replicate/common/exclude.go).
    const excludes = (options.controllerExcludeNamespaces ?? '').split(',').filter(entry => entry !== '');
    this.excludeMatchers = compiledOnly(excludes);
  }

  public receives(namespace: NamespaceInfo, sourceNamespace: string): boolean {
    if (namespace.name === sourceNamespace || this.excludeMatchers.some(matcher => matcher.test(namespace.name))) {
      return false;
    }
    const byName = this.replicateTo?.matchesOnCreate(namespace.name) ?? false;
    return byName || (this.replicateToMatching?.matches(namespace.labels ?? {}) ?? false);
  }

  /** @internal */
  public _controllerExcludeNamespaces(): string | undefined {
    return this.options.controllerExcludeNamespaces;
  }

  /** @internal */
  public _withoutControllerExclusions(): NamespaceSelection {
    return this.options.controllerExcludeNamespaces === undefined
      ? this
      : new MittwaldSelection({ replicateTo: this.options.replicateTo, replicateToMatching: this.options.replicateToMatching });
  }

  /** @internal */
  public _matchesOnDelete(namespace: string): boolean {
    return this.replicateTo?.matchesOnDelete(namespace) ?? false;
  }

  public sourceAnnotations(): { [key: string]: string } {
    const annotations: { [key: string]: string } = {};
    if (this.options.replicateTo !== undefined) {
      annotations[`${MITTWALD_PREFIX}replicate-to`] = this.options.replicateTo;
    }
    if (this.options.replicateToMatching !== undefined) {
      annotations[`${MITTWALD_PREFIX}replicate-to-matching`] = this.options.replicateToMatching;
    }
    return annotations;
  }

  public namespaceSelectorSpecs(): LabelSelectorSpec[] {
    return [];
  }
}

/**
 * One allowed-* or auto-* pair of the reflector: name patterns OR selector; both unset = every namespace.
 * Emptiness is judged on the raw strings, as the reflector does: a blank selector counts as set and matches all.
 */
class ReflectorNamespaceMatch {
  private readonly patterns: string[];
  private readonly selector?: LabelSelector;
  private readonly compiled = new Map<string, RegExp>();
  /** The first entry outside the shared regex subset, if any. */
  public readonly problem?: PatternProblem;

  constructor(private readonly patternList: string, private readonly patternProperty: string,
    private readonly selectorText: string, selectorProperty: string) {
    this.patterns = patternList.split(',').map(dotnetTrim).filter(entry => entry !== '');
    this.problem = this.findProblem();
    if (selectorText !== '') {
      this.selector = LabelSelector.parse(selectorText, selectorProperty);
      requireReflectorReadsSame(this.selector, selectorText, selectorProperty);
    }
  }

  public matches(namespace: NamespaceInfo): boolean {
    if (this.patternList === '' && this.selectorText === '') {
      return true;
    }
    if (this.patternList !== '' && this.patterns.some(pattern => this.spansWholeName(pattern, namespace.name))) {
      return true;
    }
    return this.selector?.matches(namespace.labels ?? {}) ?? false;
  }

  private findProblem(): PatternProblem | undefined {
    for (const pattern of this.patterns) {
      const outside = reflectorRegexProblem(pattern) ?? compileProblem(pattern);
      if (outside !== undefined) {
        return { property: this.patternProperty, value: this.patternList, ...outside };
      }
    }
    return undefined;
  }

  /**
   * .NET `Regex.Match` previewed with JavaScript `RegExp` on the shared subset (see `reflectorRegexProblem`): both
   * return the leftmost, first-alternative match.
   */
  private spansWholeName(pattern: string, name: string): boolean {
    const match = this.regex(pattern).exec(name);
    return match !== null && match[0].length === name.length;
  }

  private regex(pattern: string): RegExp {
    let regex = this.compiled.get(pattern);
    if (regex === undefined) {
      regex = this.compile(pattern);
      this.compiled.set(pattern, regex);
    }
    return regex;
  }

  /**
   * The preview refuses only what JavaScript cannot read like .NET; `ReplicatedPullSecret` refuses every entry outside
   * the narrower subset of `reflectorRegexProblem`.
   */
  private compile(pattern: string): RegExp {
    const differs = javascriptReadsDifferently(pattern);
    const problem = differs !== undefined
      ? { problem: `"${shownEntry(pattern)}" uses ${differs}, which .NET and JavaScript do not read alike`, fix: reflectorRegexProblem(pattern)?.fix ?? 'rewrite it with plain classes and groups' }
      : compileProblem(pattern);
    if (problem !== undefined) {
      throw new ValidationError({
        property: this.patternProperty,
        value: shownEntry(this.patternList),
        problem: `${problem.problem}; the reflector may also throw on it and stop evaluating the list`,
        fix: `fix or remove the entry: ${problem.fix}`,
      });
    }
    return new RegExp(pattern);
  }
}

/** V8 parses a RegExp when it is created but compiles it at first use, where a huge one throws a SyntaxError. */
function compileProblem(pattern: string): { problem: string; fix: string } | undefined {
  try {
    new RegExp(pattern).exec('dp-probe');
    return undefined;
  } catch (e) {
    return {
      problem: `"${shownEntry(pattern)}" cannot be compiled for the preview (${shownEntry((e as Error).message)})`,
      fix: 'shorten the pattern; select by a short pattern such as "dp-.*" or by a label',
    };
  }
}

/** The reflector parses selectors with its own code; reject the constructs that it reads differently from apimachinery. */
function requireReflectorReadsSame(selector: LabelSelector, text: string, property: string): void {
  const seenEqualityKeys = new Set<string>();
  for (const requirement of selector.requirements) {
    const operator = requirement.operator;
    let problem: string | undefined;
    if (operator === LabelSelectorOperator.GREATER_THAN || operator === LabelSelectorOperator.LESS_THAN) {
      problem = `the reflector's selector parser has no "${operator}" operator and ignores the whole selector`;
    } else if ((operator === LabelSelectorOperator.IN || operator === LabelSelectorOperator.NOT_IN) && requirement.values.includes('')) {
      problem = `"${requirement.key} ${operator} (…)" has an empty value, which the reflector drops (it rejects "()" entirely)`;
    } else if (operator === LabelSelectorOperator.EQUALS || operator === LabelSelectorOperator.DOUBLE_EQUALS) {
      if (seenEqualityKeys.has(requirement.key)) {
        problem = `"${requirement.key}" has two equality requirements; the reflector keeps only the last one`;
      }
      seenEqualityKeys.add(requirement.key);
    }
    if (problem) {
      throw new ValidationError({ property, value: text, problem, fix: 'use =, ==, !=, in, notin, key and !key with one equality per key and non-empty values' });
    }
  }
}

class ReflectorSelection extends NamespaceSelection {
  public readonly kind = NamespaceSelectionKind.REFLECTOR;
  private readonly allowed: ReflectorNamespaceMatch;
  private readonly auto: ReflectorNamespaceMatch;
  private readonly excludedSourceNamespaces: RegExp[];

  constructor(private readonly options: ReflectorAutoOptions) {
    super();
    for (const property of ['allowedNamespaces', 'allowedNamespacesSelector', 'autoNamespaces', 'autoNamespacesSelector', 'watcherExcludedNamespaces'] as const) {
      requireReadableText(options[property], property);
    }
    this.allowed = new ReflectorNamespaceMatch(options.allowedNamespaces ?? '', 'allowedNamespaces',
      options.allowedNamespacesSelector ?? '', 'allowedNamespacesSelector');
    this.auto = new ReflectorNamespaceMatch(options.autoNamespaces ?? '', 'autoNamespaces',
      options.autoNamespacesSelector ?? '', 'autoNamespacesSelector');
    this.excludedSourceNamespaces = globsToRegexes(options.watcherExcludedNamespaces ?? '');
  }

  public receives(namespace: NamespaceInfo, sourceNamespace: string): boolean {
    if (namespace.name === sourceNamespace || this.excludedSourceNamespaces.some(glob => glob.test(sourceNamespace))) {
      return false;
    }
    return this.allowed.matches(namespace) && this.auto.matches(namespace);
  }

  /** @internal */
  public _patternProblems(): PatternProblem[] {
    return [this.allowed.problem, this.auto.problem].filter((problem): problem is PatternProblem => problem !== undefined);
  }

  public sourceAnnotations(): { [key: string]: string } {
    const annotations: { [key: string]: string } = { [`${REFLECTOR_PREFIX}reflection-allowed`]: 'true' };
    const optional: Array<[string, string | undefined]> = [
      ['reflection-allowed-namespaces', this.options.allowedNamespaces],
      ['reflection-allowed-namespaces-selector', this.options.allowedNamespacesSelector],
      ['reflection-auto-enabled', 'true'],
      ['reflection-auto-namespaces', this.options.autoNamespaces],
      ['reflection-auto-namespaces-selector', this.options.autoNamespacesSelector],
    ];
    for (const [name, value] of optional) {
      if (value !== undefined) {
        annotations[`${REFLECTOR_PREFIX}${name}`] = value;
      }
    }
    return annotations;
  }

  public namespaceSelectorSpecs(): LabelSelectorSpec[] {
    return [];
  }
}

/** The reflector's watcher globs: comma list, trimmed, lower-cased, `*` and `?` wildcards, anchored at both ends. */
function globsToRegexes(globs: string): RegExp[] {
  return globs.split(',').map(glob => dotnetTrim(glob).toLowerCase()).filter(glob => glob !== '').map(glob => {
    const body = glob.split('').map(character => {
      if (character === '*') {
        return '.*';
      }
      return character === '?' ? '.' : character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }).join('');
    return new RegExp(`^${body}$`);
  });
}

class LabelSelectorsSelection extends NamespaceSelection {
  public readonly kind = NamespaceSelectionKind.EXTERNAL_SECRETS;
  private readonly selectors: LabelSelector[];
  private readonly specs: LabelSelectorSpec[];

  constructor(selectors: string[]) {
    super();
    this.selectors = selectors.map((selector, index) => LabelSelector.parse(selector, `labelSelectors[${index}]`));
    this.specs = this.selectors.map(selector => selector.toSpec());
  }

  public receives(namespace: NamespaceInfo, _sourceNamespace: string): boolean {
    return this.selectors.some(selector => selector.matches(namespace.labels ?? {}));
  }

  public sourceAnnotations(): { [key: string]: string } {
    return {};
  }

  public namespaceSelectorSpecs(): LabelSelectorSpec[] {
    return this.specs;
  }
}
