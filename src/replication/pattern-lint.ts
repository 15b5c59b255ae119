import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { GO_WHITE_SPACE_RUN, goTrimSpace, nonPrintableAscii, shownEntry } from './consumer-text';
import { MittwaldReplicateTo } from './namespace-selection';
import { protectedNamespaces } from './protected-namespaces';
import { checkArgs } from '../props-check';

/**
 * What a `replicate-to` finding is about.
 */
export enum ReplicateToFindingCode {
  /** A character outside printable ASCII (NEL, no-break space, U+FEFF, smart quotes, tabs…) that go-yaml, Go and JavaScript read differently. */
  INVISIBLE_CHARACTER = 'invisible-character',
  /** The entry is not Go RE2 (look-around, back-references, unbalanced parentheses…); the replicator skips it. */
  INVALID_REGEX = 'invalid-regex',
  /** The value is empty or has an empty entry (trailing, leading or doubled comma). */
  EMPTY_ENTRY = 'empty-entry',
  /** Several names separated by spaces or newlines: only commas separate entries. */
  SPACE_SEPARATED = 'space-separated',
  /** A `{m,n}` quantifier, which the comma split cuts in two. */
  COMMA_IN_QUANTIFIER = 'comma-in-quantifier',
  /** A `|` outside parentheses, which escapes the `^…$` anchors the replicator adds. */
  TOP_LEVEL_ALTERNATION = 'top-level-alternation',
  /** Glob syntax such as `dp-*`, which as a regex means `dp` followed by any number of `-`. */
  GLOB_LIKE = 'glob-like',
  /** The entry can never match a namespace name (a character no name has, or a literal that is no valid name). */
  NEVER_MATCHES = 'never-matches',
  /** The entry matches a system namespace such as `kube-system` or `default`. */
  MATCHES_SYSTEM_NAMESPACE = 'matches-system-namespace',
  /**
   * When the source is deleted, mittwald matches the entry unanchored, so it reaches protected namespaces the entry
   * does not match when copying (e.g. `cert` reaches `cert-manager`), deleting or stripping same-named objects there.
   */
  DELETE_MATCHES_SYSTEM_NAMESPACE = 'delete-matches-system-namespace',
  /** The entry matches the source's own namespace: skipped by the replicator, but a sign of a too-broad pattern. */
  MATCHES_SOURCE_NAMESPACE = 'matches-source-namespace',
}

/**
 * How serious a finding is.
 */
export enum ReplicateToFindingSeverity {
  /** Always wrong: the entry does not do what it looks like. */
  ERROR = 'error',
  /** Probably wrong; `ReplicateToLint.validate` rejects it unless the matching `allow…` option is set. */
  WARNING = 'warning',
}

/**
 * One problem found in a `replicate-to` value.
 */
export interface ReplicateToFinding {
  /** What kind of problem it is. */
  readonly code: ReplicateToFindingCode;
  /**
   * The entry concerned, trimmed (for a split `{m,n}` quantifier: both halves joined again; a very long entry
   * shortened, with its length).
   */
  readonly entry: string;
  /** What is wrong, in a sentence that names the entry. */
  readonly problem: string;
  /** How to fix it, with a corrected pattern where one can be derived. */
  readonly fix: string;
  /** How serious it is. */
  readonly severity: ReplicateToFindingSeverity;
  /**
   * The protected namespaces reached, for the `matches-system-namespace` and `delete-matches-system-namespace` codes.
   *
   * @default - none
   */
  readonly namespaces?: string[];
}

/**
 * Inputs of `ReplicateToLint.check`.
 */
export interface ReplicateToCheckOptions {
  /**
   * The namespace of the source object; entries matching it are reported.
   *
   * @default - the source namespace is not checked
   */
  readonly sourceNamespace?: string;

  /**
   * Namespaces that must never receive a copy, in addition to the default protected namespaces (Kubernetes system
   * namespaces and controller namespaces, see `ReplicatedPullSecret.DEFAULT_PROTECTED_NAMESPACES`). The list only
   * adds; it never removes a default.
   *
   * @default - only the default protected namespaces
   */
  readonly systemNamespaces?: string[];
}

/**
 * Inputs of `ReplicateToLint.validate`: every warning is an error unless allowed here.
 */
export interface ReplicateToValidateOptions extends ReplicateToCheckOptions {
  /**
   * Accept glob-looking entries such as `dp-*`.
   *
   * @default false
   */
  readonly allowGlobLike?: boolean;

  /**
   * Protected namespaces that may be reached, each named: an entry reaching a protected namespace not listed here is
   * refused.
   *
   * @default - none
   */
  readonly allowedProtectedNamespaces?: string[];

  /**
   * Namespaces the replicator's `--exclude-namespaces` flag keeps out when copying, as verified by the caller against
   * the replicator install: not reported as reached when copying (the flag does not apply when the source is deleted).
   *
   * @default - none
   */
  readonly controllerExcludedNamespaces?: string[];

  /**
   * Accept entries that match the source namespace.
   *
   * @default false
   */
  readonly allowSourceNamespace?: boolean;
}

/**
 * Checks a `replicator.v1.mittwald.de/replicate-to` value before it ships: the mistakes that make the replicator
 * silently copy a credential nowhere, or everywhere.
 *
 * @see https://github.com/mittwald/kubernetes-replicator#push-based-replication
 */
export class ReplicateToLint {
  /**
   * All findings for a value, entry by entry in order.
   *
   * @param value the annotation value, e.g. `dp-.*`
   * @param options the source namespace and the system namespaces
   */
  public static check(value: string, options: ReplicateToCheckOptions = {}): ReplicateToFinding[] {
    checkArgs('ReplicateToLint.check', [value, options]);
    // A platform checks the same pattern for every replicated secret: compute each value and options once.
    const cacheKey = JSON.stringify([value, options.sourceNamespace ?? null, options.systemNamespaces ?? null]);
    let findings = CHECKED_VALUES.get(cacheKey);
    if (findings === undefined) {
      if (CHECKED_VALUES.size >= CHECK_CACHE_SIZE) {
        CHECKED_VALUES.clear();
      }
      findings = checkValue(value, options);
      CHECKED_VALUES.set(cacheKey, findings);
    }
    return [...findings];
  }

  /**
   * Throws one `ValidationError` listing every error, and every warning not allowed by `options`.
   *
   * @param value the annotation value
   * @param property the property that holds it, named in the error
   * @param scope the construct that received it, named in the error
   * @param options the source namespace and which warnings to accept
   */
  public static validate(value: string, property: string, scope?: IConstruct, options: ReplicateToValidateOptions = {}): void {
    checkArgs('ReplicateToLint.validate', [value, property, scope, options]);
    const blocking = ReplicateToLint.check(value, options).filter(finding => !isAllowed(finding, options));
    if (blocking.length === 0) {
      return;
    }
    throw new ValidationError({
      scope,
      property,
      value: shownEntry(value),
      problem: blocking.map(finding => finding.problem).join('; '),
      fix: blocking.map(fixWithOptOut).join('; '),
    });
  }
}

const OPT_OUTS: { [code: string]: keyof ReplicateToValidateOptions } = {
  [ReplicateToFindingCode.GLOB_LIKE]: 'allowGlobLike',
  [ReplicateToFindingCode.MATCHES_SYSTEM_NAMESPACE]: 'allowedProtectedNamespaces',
  [ReplicateToFindingCode.DELETE_MATCHES_SYSTEM_NAMESPACE]: 'allowedProtectedNamespaces',
  [ReplicateToFindingCode.MATCHES_SOURCE_NAMESPACE]: 'allowSourceNamespace',
};

/** The protected namespaces of a finding that no opt-in covers. */
function unallowedNamespaces(finding: ReplicateToFinding, options: ReplicateToValidateOptions): string[] {
  const allowed = new Set(options.allowedProtectedNamespaces ?? []);
  const excluded = finding.code === ReplicateToFindingCode.MATCHES_SYSTEM_NAMESPACE ? new Set(options.controllerExcludedNamespaces ?? []) : new Set();
  return (finding.namespaces ?? []).filter(name => !allowed.has(name) && !excluded.has(name));
}

function isAllowed(finding: ReplicateToFinding, options: ReplicateToValidateOptions): boolean {
  if (finding.namespaces !== undefined) {
    return unallowedNamespaces(finding, options).length === 0;
  }
  const optOut = OPT_OUTS[finding.code];
  return finding.severity === ReplicateToFindingSeverity.WARNING && optOut !== undefined && options[optOut] === true;
}

function fixWithOptOut(finding: ReplicateToFinding): string {
  const optOut = OPT_OUTS[finding.code];
  if (optOut === undefined) {
    return finding.fix;
  }
  return finding.namespaces !== undefined
    ? `${finding.fix} (or name each namespace in ${optOut} if this is intended)`
    : `${finding.fix} (or set ${optOut}: true if this is intended)`;
}

/** Longest problem or fix text a finding carries: a huge entry must not turn into a huge message. */
const MAX_TEXT = 600;

function makeFinding(code: ReplicateToFindingCode, entry: string, problem: string, fix: string, namespaces?: string[]): ReplicateToFinding {
  const severity = OPT_OUTS[code] === undefined ? ReplicateToFindingSeverity.ERROR : ReplicateToFindingSeverity.WARNING;
  const short = (text: string) => {
    const abbreviated = entry.length > 120 ? text.split(entry).join(shownEntry(entry)) : text;
    return abbreviated.length > MAX_TEXT ? `${abbreviated.slice(0, MAX_TEXT)}…` : abbreviated;
  };
  return { code, entry: shownEntry(entry), problem: short(problem), fix: short(fix), ...(namespaces ? { namespaces } : {}), severity };
}

function invisibleCharacterFindings(value: string): ReplicateToFinding[] {
  const character = nonPrintableAscii(value);
  if (character === undefined) {
    return [];
  }
  return [makeFinding(ReplicateToFindingCode.INVISIBLE_CHARACTER, value,
    `the value holds the character ${character}; go-yaml folds or keeps it, Go's TrimSpace and JavaScript's trim strip different sets, so the replicator may match something else than the pattern shows`,
    'retype the value using printable ASCII only')];
}

/** The checks for one entry; each stage stops when the entry is too broken for the later ones to say anything useful. */
function checkEntry(entry: string, options: ReplicateToCheckOptions): ReplicateToFinding[] {
  if (entry === '') {
    return [makeFinding(ReplicateToFindingCode.EMPTY_ENTRY, entry,
      'an empty entry (empty value, or a leading, trailing or doubled comma) matches no namespace when copying, but EVERY namespace when the source is deleted, so same-named objects in all namespaces are then deleted or stripped of the replicated keys',
      'remove the empty entry and the extra comma')];
  }
  const words = entry.split(GO_WHITE_SPACE_RUN);
  if (words.length > 1) {
    return [makeFinding(ReplicateToFindingCode.SPACE_SEPARATED, entry,
      `"${entry}" contains whitespace; only commas separate entries, so it is one pattern that never matches`,
      `separate the entries with commas: "${words.join(',')}"`)];
  }
  const error = MittwaldReplicateTo.parse(entry).entries[0].error;
  if (error !== undefined) {
    return [invalidRegexFinding(entry, error)];
  }
  const tokens = tokenizeRe2(entry);
  const neverMatches = neverMatchesFindings(entry, tokens);
  return [
    ...neverMatches,
    ...leadingStarFindings(entry, tokens),
    ...globFindings(entry, tokens),
    ...alternationFindings(entry, tokens),
    // An entry that can match no name reaches nothing; skipping the reach also spares matching a huge literal.
    ...(neverMatches.length > 0 ? [] : reachFindings(entry, options)),
  ];
}

interface Unsupported {
  readonly test: RegExp;
  readonly what: string;
  readonly fix: (entry: string) => string;
}

const LOOK_AROUND_FIX = 'RE2 has no look-around: list the wanted names positively (e.g. "dp-(acme|globex)-.*"), or select by label with replicate-to-matching';

const UNSUPPORTED: Unsupported[] = [
  { test: /\(\?<?[=!]/, what: 'look-around ("(?=", "(?!", "(?<=", "(?<!")', fix: () => LOOK_AROUND_FIX },
  { test: /\\[1-9]|\\k</, what: 'back-references ("\\1", "\\k<name>")', fix: () => 'RE2 has no back-references: spell the repeated part out' },
  { test: /\(\?>/, what: 'atomic groups ("(?>")', fix: entry => `use a plain group: "${entry.replace(/\(\?>/g, '(?:')}"` },
  { test: /(^|[^\\])[*+?}][+]/, what: 'possessive quantifiers ("*+", "++", "?+")', fix: () => 'drop the trailing "+" of the quantifier' },
];

function invalidRegexFinding(entry: string, error: string): ReplicateToFinding {
  const unsupported = UNSUPPORTED.find(candidate => candidate.test.test(entry));
  if (unsupported) {
    return makeFinding(ReplicateToFindingCode.INVALID_REGEX, entry,
      `"${entry}" uses ${unsupported.what}, which Go RE2 does not support; the replicator logs it and skips the entry`,
      unsupported.fix(entry));
  }
  const fix = /missing closing \)|unexpected \)/.test(error)
    ? 'balance the parentheses, or escape a literal one as "\\(" / "\\)"'
    : 'write the entry in Go RE2 syntax (https://github.com/google/re2/wiki/Syntax)';
  return makeFinding(ReplicateToFindingCode.INVALID_REGEX, entry,
    `"${entry}" is not valid Go RE2 (${error}); the replicator logs it and skips the entry`, fix);
}

/** `dp-[a-z]{1` followed by `3}`: a `{m,n}` (or `{,n}`) quantifier that the comma split cut in two. */
function isSplitQuantifier(entry: string, next: string): boolean {
  return /\{\d*$/.test(entry) && /^\d*\}/.test(next);
}

function splitQuantifierFinding(head: string, tail: string): ReplicateToFinding {
  const joined = `${head},${tail}`;
  const rewritten = rewriteQuantifier(head, tail);
  const fix = rewritten === undefined
    ? 'rewrite the quantifier without a comma: x{m,n} as x{m}(?:x?){n-m}, x{m,} as x{m}x*'
    : `write "${rewritten}" (the same pattern without a comma)`;
  return makeFinding(ReplicateToFindingCode.COMMA_IN_QUANTIFIER, joined,
    `the comma in "${joined}" splits it into "${head}" and "${tail}", two patterns that match nothing you meant`, fix);
}

/** `x{m,n}` → `x{m}(?:x?){n-m}` and `x{m,}` → `x{m}x*`: the same language, without a comma. */
function rewriteQuantifier(head: string, tail: string): string | undefined {
  const braceAt = head.lastIndexOf('{');
  const before = head.slice(0, braceAt);
  const atom = lastAtom(before);
  const [, maxText, rest] = /^(\d*)\}(.*)$/.exec(tail)!;
  const min = Number(head.slice(braceAt + 1));
  if (atom === undefined || (maxText !== '' && Number(maxText) < min)) {
    return undefined;
  }
  const prefix = before.slice(0, before.length - atom.length);
  const repeated = maxText === '' ? unboundedRepeats(atom, min) : requiredRepeats(atom, min) + optionalRepeats(atom, Number(maxText) - min);
  return `${prefix}${repeated}${rest}`;
}

function unboundedRepeats(atom: string, min: number): string {
  if (min <= 1) {
    return `${atom}${min === 0 ? '*' : '+'}`;
  }
  return `${atom}{${min}}${atom}*`;
}

function requiredRepeats(atom: string, min: number): string {
  if (min <= 1) {
    return min === 0 ? '' : atom;
  }
  return `${atom}{${min}}`;
}

function optionalRepeats(atom: string, count: number): string {
  if (count === 0) {
    return '';
  }
  return count === 1 ? `${atom}?` : `(?:${atom}?){${count}}`;
}

/** The last atom of a pattern prefix: a `[...]` class, a `(...)` group, an escape or one character. */
function lastAtom(text: string): string | undefined {
  if (text.endsWith(']')) {
    const start = text.lastIndexOf('[');
    return start < 0 ? undefined : text.slice(start);
  }
  if (text.endsWith(')')) {
    let depth = 0;
    for (let index = text.length - 1; index >= 0; index--) {
      depth += text[index] === ')' ? 1 : text[index] === '(' ? -1 : 0;
      if (depth === 0) {
        return text.slice(index);
      }
    }
    return undefined;
  }
  if (text.length >= 2 && text[text.length - 2] === '\\') {
    return text.slice(-2);
  }
  return text.length > 0 ? text.slice(-1) : undefined;
}

enum TokenKind {
  LITERAL,
  ANY,
  ANCHOR,
  QUANTIFIER,
  OPEN,
  CLOSE,
  ALTERNATION,
  FLAGS,
  OTHER,
}

interface Re2Token {
  readonly kind: TokenKind;
  readonly text: string;
}

/** A shallow reading of a valid RE2 entry: enough to tell literals, quantifiers, groups and alternation apart. */
function tokenizeRe2(entry: string): Re2Token[] {
  const tokens: Re2Token[] = [];
  let index = 0;
  while (index < entry.length) {
    const [kind, length] = readToken(entry, index);
    tokens.push({ kind, text: entry.slice(index, index + length) });
    index += length;
  }
  return tokens;
}

const SIMPLE_TOKENS: { [character: string]: TokenKind } = {
  ')': TokenKind.CLOSE,
  '|': TokenKind.ALTERNATION,
  '.': TokenKind.ANY,
  '^': TokenKind.ANCHOR,
  '$': TokenKind.ANCHOR,
  '*': TokenKind.QUANTIFIER,
  '+': TokenKind.QUANTIFIER,
  '?': TokenKind.QUANTIFIER,
};

/** Longest token the fixed-shape readers below look at; keeps tokenizing linear in the entry length. */
const TOKEN_WINDOW = 256;

function readToken(entry: string, index: number): [TokenKind, number] {
  const character = entry[index];
  if (character === '\\' && entry[index + 1] === 'Q') {
    const end = entry.indexOf('\\E', index + 2);
    return [TokenKind.OTHER, end < 0 ? entry.length - index : end + 2 - index];
  }
  if (character === '[') {
    return [TokenKind.OTHER, classLength(entry, index)];
  }
  const rest = entry.slice(index, index + TOKEN_WINDOW);
  if (character === '\\') {
    return readEscape(rest);
  }
  if (character === '(') {
    const header = /^\(\?([A-Za-z-]*)\)/.exec(rest);
    if (header) {
      return [TokenKind.FLAGS, header[0].length];
    }
    const opening = /^\((\?(P?<[^>]*>|[A-Za-z-]*:))?/.exec(rest)!;
    return [TokenKind.OPEN, opening[0].length];
  }
  const repeat = /^\{\d+(,\d*)?\}\??/.exec(rest);
  if (repeat) {
    return [TokenKind.QUANTIFIER, repeat[0].length];
  }
  const kind = SIMPLE_TOKENS[character] ?? TokenKind.LITERAL;
  if (kind === TokenKind.LITERAL) {
    return [kind, String.fromCodePoint(rest.codePointAt(0)!).length];
  }
  const lazy = kind === TokenKind.QUANTIFIER && rest[1] === '?' ? 1 : 0;
  return [kind, 1 + lazy];
}

/** `\.` is a literal dot; `\d`, `\pL`, `\p{Greek}`, `\x{41}`, `\Q…\E` and the like are classes or assertions. */
function readEscape(rest: string): [TokenKind, number] {
  const next = rest[1];
  if (!/[A-Za-z0-9]/.test(next)) {
    return [TokenKind.LITERAL, 2];
  }
  const braced = /^\\[pPx]\{[^}]*\}/.exec(rest);
  const shortClass = /^\\[pP][A-Za-z]/.exec(rest);
  const hex = /^\\x[0-9A-Fa-f]{2}/.exec(rest);
  const octal = /^\\[0-7]{1,3}/.exec(rest);
  const match = braced ?? shortClass ?? hex ?? octal;
  return [TokenKind.OTHER, match ? match[0].length : 2];
}

/** Length of a `[...]` class: a `]` right after `[` or `[^` is literal; `[:alpha:]` and escapes are skipped. */
function classLength(entry: string, start: number): number {
  let index = start + (entry.startsWith('[^', start) ? 2 : 1);
  if (entry[index] === ']') {
    index++;
  }
  while (index < entry.length && entry[index] !== ']') {
    const posix = entry[index] === '[' ? /^\[:[a-z]+:\]/.exec(entry.slice(index, index + 16)) : null;
    index += entry[index] === '\\' ? 2 : posix ? posix[0].length : 1;
  }
  return index + 1 - start;
}

/** Whether an inline flag group such as `(?i)` or `(?i:…)` turns on case-insensitive matching. */
function isCaseInsensitive(tokens: Re2Token[]): boolean {
  return tokens.some(token => (token.kind === TokenKind.FLAGS || token.kind === TokenKind.OPEN)
    && /^\(\?[A-Za-z]*i/.test(token.text));
}

const QUOTES = '"\'\u201c\u201d\u2018\u2019`';

function neverMatchesFindings(entry: string, tokens: Re2Token[]): ReplicateToFinding[] {
  const caseInsensitive = isCaseInsensitive(tokens);
  const literals = tokens.filter(token => token.kind === TokenKind.LITERAL);
  const impossible = literals
    .map(token => lastCharacter(token.text))
    .filter(character => !/[a-z0-9-]/.test(caseInsensitive ? character.toLowerCase() : character));
  if (impossible.length > 0) {
    return [impossibleCharacterFinding(entry, tokens, [...new Set(impossible)])];
  }
  const core = entry.replace(/^\^/, '').replace(/\$$/, '');
  const onlyLiterals = tokens.every(token => token.kind === TokenKind.LITERAL || token.kind === TokenKind.ANCHOR);
  const nameProblem = onlyLiterals ? KubernetesNames.checkDns1123Label(core.replace(/\\/g, '')) : undefined;
  if (nameProblem === undefined) {
    return [];
  }
  const fix = core.endsWith('-') ? `to match every namespace starting with "${core}", write "${core}.*"`
    : core.startsWith('-') ? `to match every namespace ending with "${core}", write ".*${core}"`
      : 'name a real namespace, or use ".*" where any characters may follow';
  return [makeFinding(ReplicateToFindingCode.NEVER_MATCHES, entry,
    `"${entry}" only matches the literal name "${core}", which ${nameProblem}, so no namespace can have it`, fix)];
}

function impossibleCharacterFinding(entry: string, tokens: Re2Token[], characters: string[]): ReplicateToFinding {
  const shown = characters.map(character => `"${character}"`).join(', ');
  const problem = characters.some(character => QUOTES.includes(character))
    ? `"${entry}" contains quote characters (${shown}) that are part of the pattern, not YAML quoting, so it never matches`
    : `"${entry}" contains ${shown}, which no namespace name has (names are lowercase a-z, 0-9 and "-"), so it never matches`;
  const repairs = tokens.map(token => (token.kind === TokenKind.LITERAL ? repairLiteral(token.text) : token.text));
  const repaired = repairs.every(repair => repair !== undefined) ? repairs.join('') : undefined;
  const fix = repaired === undefined ? `remove ${shown}: names only have lowercase a-z, 0-9 and "-"`
    : repaired === '' ? 'remove the entry' : `write "${repaired}"`;
  return makeFinding(ReplicateToFindingCode.NEVER_MATCHES, entry, problem, fix);
}

/** The character a literal token stands for (`\.` stands for `.`), whole even outside the Basic Multilingual Plane. */
function lastCharacter(literal: string): string {
  return Array.from(literal).pop()!;
}

/** The literal as it can appear in a namespace name; `undefined` when there is no obvious replacement. */
function repairLiteral(literal: string): string | undefined {
  const character = lastCharacter(literal);
  if (QUOTES.includes(character)) {
    return '';
  }
  if (character === '_' || character === '.') {
    return '-';
  }
  if (/[A-Z]/.test(character)) {
    return character.toLowerCase();
  }
  return /[a-z0-9-]/.test(character) ? literal : undefined;
}

/**
 * `*-dp`: Go RE2 accepts a `*` after the added `^` (it repeats the anchor), so the entry only matches the literal
 * rest, `-dp`, which is no valid name.
 */
function leadingStarFindings(entry: string, tokens: Re2Token[]): ReplicateToFinding[] {
  const first = tokens.findIndex(token => token.kind !== TokenKind.ANCHOR);
  if (first < 0 || tokens[first].text !== '*') {
    return [];
  }
  const rewritten = tokens.map((token, index) => (index === first ? '.*' : token.text)).join('');
  return [makeFinding(ReplicateToFindingCode.NEVER_MATCHES, entry,
    `"${entry}" starts with a glob "*"; in a regex it repeats the start anchor, so the entry only matches the literal rest`,
    `write "${rewritten}" ("." is any character, ".*" any characters)`)];
}

/** `dp-*` and `dp*`: a `*` right after a literal character is almost always a glob habit. */
function globFindings(entry: string, tokens: Re2Token[]): ReplicateToFinding[] {
  const globStars = tokens.filter((token, index) => token.text === '*' && tokens[index - 1]?.kind === TokenKind.LITERAL);
  if (globStars.length === 0) {
    return [];
  }
  const rewritten = tokens.map(token => (globStars.includes(token) ? '.*' : token.text)).join('');
  const literal = tokens[tokens.indexOf(globStars[0]) - 1].text;
  return [makeFinding(ReplicateToFindingCode.GLOB_LIKE, entry,
    `"${entry}" looks like a glob, but in a regex "${literal}*" means zero or more "${literal}", not any characters`,
    `write "${rewritten}" ("." is any character, ".*" any characters)`)];
}

/** `foo|bar` becomes `^foo|bar$` = `(^foo)|(bar$)`: every branch must carry both anchors, or be grouped. */
function alternationFindings(entry: string, tokens: Re2Token[]): ReplicateToFinding[] {
  const branches = topLevelBranches(tokens);
  if (branches.length < 2) {
    return [];
  }
  const anchoredStart = (branch: Re2Token[], index: number) => index === 0 || branch[0]?.text === '^';
  const anchoredEnd = (branch: Re2Token[], index: number) => index === branches.length - 1 || branch[branch.length - 1]?.text === '$';
  if (branches.every((branch, index) => anchoredStart(branch, index) && anchoredEnd(branch, index))) {
    return [];
  }
  const inner = entry.replace(/^\^/, '').replace(/\$$/, '');
  return [makeFinding(ReplicateToFindingCode.TOP_LEVEL_ALTERNATION, entry,
    `"${entry}" has a "|" outside parentheses; the replicator only adds "^" before the first branch and "$" after the last, so it also matches names that merely start or end with a branch`,
    `wrap the alternatives in parentheses: "(${inner})"`)];
}

function topLevelBranches(tokens: Re2Token[]): Re2Token[][] {
  const branches: Re2Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    depth += token.kind === TokenKind.OPEN ? 1 : token.kind === TokenKind.CLOSE ? -1 : 0;
    if (token.kind === TokenKind.ALTERNATION && depth === 0) {
      branches.push([]);
    } else {
      branches[branches.length - 1].push(token);
    }
  }
  return branches;
}

function reachFindings(entry: string, options: ReplicateToCheckOptions): ReplicateToFinding[] {
  const pattern = MittwaldReplicateTo.parse(entry);
  const findings: ReplicateToFinding[] = [];
  // The controllers never copy into the source's own namespace; MATCHES_SOURCE_NAMESPACE covers it.
  const candidates = protectedNamespaces(options.systemNamespaces ?? []).filter(name => name !== options.sourceNamespace);
  const onCreate = candidates.filter(name => pattern.matchesOnCreate(name));
  if (onCreate.length > 0) {
    findings.push(makeFinding(ReplicateToFindingCode.MATCHES_SYSTEM_NAMESPACE, entry,
      `"${entry}" also matches ${quoted(onCreate)}, so the credential is copied into protected namespaces where anyone who may read Secrets there can read it`,
      'narrow the pattern to your namespaces, e.g. "dp-.*"', onCreate));
  }
  const onDeleteOnly = candidates.filter(name => !pattern.matchesOnCreate(name) && pattern.matchesOnDelete(name));
  if (onDeleteOnly.length > 0) {
    const anchored = `${entry.startsWith('^') ? '' : '^'}${entry}${entry.endsWith('$') ? '' : '$'}`;
    findings.push(makeFinding(ReplicateToFindingCode.DELETE_MATCHES_SYSTEM_NAMESPACE, entry,
      `when the source is deleted, the replicator matches "${entry}" unanchored, so it also reaches ${quoted(onDeleteOnly)} and deletes or strips same-named objects there`,
      `anchor the entry yourself: "${anchored}"`, onDeleteOnly));
  }
  const source = options.sourceNamespace;
  if (source !== undefined && pattern.matchesOnCreate(source)) {
    findings.push(makeFinding(ReplicateToFindingCode.MATCHES_SOURCE_NAMESPACE, entry,
      `"${entry}" matches the source namespace "${source}"; the replicator skips it, but the pattern is broader than the target namespaces`,
      `narrow the pattern so that it excludes "${source}", e.g. "dp-.*"`));
  }
  return findings;
}

function quoted(names: string[]): string {
  return names.map(name => `"${name}"`).join(', ');
}

/** Findings of `ReplicateToLint.check`, by value and options; bounded so a long-running process stays small. */
const CHECKED_VALUES = new Map<string, ReplicateToFinding[]>();
const CHECK_CACHE_SIZE = 4096;

function checkValue(value: string, options: ReplicateToCheckOptions): ReplicateToFinding[] {
  const entries = value.split(',');
  const findings: ReplicateToFinding[] = invisibleCharacterFindings(value);
  for (let index = 0; index < entries.length; index++) {
    const entry = goTrimSpace(entries[index]);
    const next = entries[index + 1] === undefined ? undefined : goTrimSpace(entries[index + 1]);
    if (next !== undefined && isSplitQuantifier(entry, next)) {
      findings.push(splitQuantifierFinding(entry, next));
      index++;
    } else {
      findings.push(...checkEntry(entry, options));
    }
  }
  return findings;
}
