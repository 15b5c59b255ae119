import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkArgs } from '../props-check';

/**
 * The operator of one label selector requirement, spelled as in the selector string.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 */
export enum LabelSelectorOperator {
  /** `key=value`: the label is present and has the value. */
  EQUALS = '=',
  /** `key==value`: same as `=`. */
  DOUBLE_EQUALS = '==',
  /** `key!=value`: the label is absent or has another value. */
  NOT_EQUALS = '!=',
  /** `key in (a,b)`: the label is present and has one of the values. */
  IN = 'in',
  /** `key notin (a,b)`: the label is absent or has none of the values. */
  NOT_IN = 'notin',
  /** `key`: the label is present. */
  EXISTS = 'exists',
  /** `!key`: the label is absent. */
  DOES_NOT_EXIST = '!',
  /** `key>5`: the label is present and holds an integer greater than the value. */
  GREATER_THAN = '>',
  /** `key<5`: the label is present and holds an integer less than the value. */
  LESS_THAN = '<',
}

/**
 * One requirement of a label selector; a selector matches when all its requirements do.
 */
export interface LabelSelectorRequirement {
  /** The label key, e.g. `openchoreo.dev/dataplane`. */
  readonly key: string;
  /** How the label is compared. */
  readonly operator: LabelSelectorOperator;
  /**
   * The values, sorted and without duplicates: one for `=`, `==`, `!=`, `>`, `<`; one or more for `in`/`notin`
   * (an empty string stands for the empty label value); none for `exists` and `!`.
   */
  readonly values: string[];
}

/**
 * A requirement of the structured `metav1.LabelSelector` form (`matchExpressions` item).
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/label-selector/
 */
export interface LabelSelectorSpecRequirement {
  /** The label key. */
  readonly key: string;
  /** `In`, `NotIn`, `Exists` or `DoesNotExist`. */
  readonly operator: string;
  /**
   * The values for `In` and `NotIn`.
   *
   * @default - none (for `Exists` and `DoesNotExist`)
   */
  readonly values?: string[];
}

/**
 * The structured `metav1.LabelSelector` form used in Kubernetes objects, e.g. an External Secrets Operator
 * `ClusterExternalSecret` `spec.namespaceSelectors` item.
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/label-selector/
 */
export interface LabelSelectorSpec {
  /**
   * Labels that must be present with exactly these values.
   *
   * @default - none
   */
  readonly matchLabels?: { [key: string]: string };
  /**
   * Further requirements, all of which must hold.
   *
   * @default - none
   */
  readonly matchExpressions?: LabelSelectorSpecRequirement[];
}

const SELECTOR_FIX = 'write comma-separated requirements such as "env=prod", "env!=dev", "env in (prod,staging)", '
  + '"env notin (dev)", "env" or "!legacy"';

/**
 * A Kubernetes label selector string (`kubectl -l`, `replicator.v1.mittwald.de/replicate-to-matching`), parsed with
 * the grammar of apimachinery `labels.Parse`: `=`, `==`, `!=`, `in (…)`, `notin (…)`, `>`, `<`, `key`, `!key`;
 * a comma means AND; whitespace between tokens is ignored.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/labels/selector.go
 */
export class LabelSelector {
  /**
   * Parses a selector string. The empty (or all-blank) string selects everything.
   *
   * @param selector the selector string
   * @param property the property that holds it, named in errors
   * @param scope the construct that received it, named in errors
   * @throws ValidationError when the string is not a valid selector
   */
  public static parse(selector: string, property: string = 'labelSelector', scope?: IConstruct): LabelSelector {
    checkArgs('LabelSelector.parse', [selector, property, scope]);
    const requirements = new SelectorParser(selector, property, scope).parse();
    return new LabelSelector(sortByKey(requirements), property, scope);
  }

  /** The requirements, sorted by key (stable for equal keys), as apimachinery keeps them. */
  public readonly requirements: LabelSelectorRequirement[];

  /** Whether the selector has no requirements and so matches every label set. */
  public readonly isEmpty: boolean;

  private readonly property: string;
  private readonly scope?: IConstruct;

  private constructor(requirements: LabelSelectorRequirement[], property: string, scope?: IConstruct) {
    this.requirements = requirements;
    this.isEmpty = requirements.length === 0;
    this.property = property;
    this.scope = scope;
  }

  /**
   * Whether a label set satisfies every requirement.
   *
   * @param labels the labels of the object, e.g. a namespace
   */
  public matches(labels: { [key: string]: string }): boolean {
    return this.requirements.every(requirement => requirementMatches(requirement, labels));
  }

  /**
   * The canonical string form, as apimachinery prints a parsed selector: requirements sorted by key and joined by
   * `,`, set values sorted, no blanks (`env in (a,b)` keeps its two spaces around the operator).
   */
  public toString(): string {
    return this.requirements.map(requirementToString).join(',');
  }

  /**
   * The structured form: equality requirements become `matchLabels` (first one per key), all others
   * `matchExpressions` (`!=` becomes `NotIn` with one value).
   *
   * @throws ValidationError when the selector uses `>` or `<`, which the structured form cannot express
   */
  public toSpec(): LabelSelectorSpec {
    const matchLabels: { [key: string]: string } = {};
    const matchExpressions: LabelSelectorSpecRequirement[] = [];
    for (const requirement of this.requirements) {
      if (isEquality(requirement.operator) && !Object.prototype.hasOwnProperty.call(matchLabels, requirement.key)) {
        matchLabels[requirement.key] = requirement.values[0];
      } else {
        matchExpressions.push(this.toSpecRequirement(requirement));
      }
    }
    return {
      matchLabels: Object.keys(matchLabels).length > 0 ? matchLabels : undefined,
      matchExpressions: matchExpressions.length > 0 ? matchExpressions : undefined,
    };
  }

  private toSpecRequirement(requirement: LabelSelectorRequirement): LabelSelectorSpecRequirement {
    switch (requirement.operator) {
      case LabelSelectorOperator.EQUALS:
      case LabelSelectorOperator.DOUBLE_EQUALS:
      case LabelSelectorOperator.IN:
        return { key: requirement.key, operator: 'In', values: requirement.values };
      case LabelSelectorOperator.NOT_EQUALS:
      case LabelSelectorOperator.NOT_IN:
        return { key: requirement.key, operator: 'NotIn', values: requirement.values };
      case LabelSelectorOperator.EXISTS:
        return { key: requirement.key, operator: 'Exists' };
      case LabelSelectorOperator.DOES_NOT_EXIST:
        return { key: requirement.key, operator: 'DoesNotExist' };
      default:
        throw new ValidationError({
          scope: this.scope,
          property: this.property,
          value: this.toString(),
          problem: `"${requirementToString(requirement)}" compares numbers, which a metav1.LabelSelector (matchLabels/matchExpressions) cannot express`,
          fix: 'select with =, !=, in, notin, key or !key, e.g. label the namespaces with the wanted tier',
        });
    }
  }
}

function isEquality(operator: LabelSelectorOperator): boolean {
  return operator === LabelSelectorOperator.EQUALS || operator === LabelSelectorOperator.DOUBLE_EQUALS;
}

function sortByKey(requirements: LabelSelectorRequirement[]): LabelSelectorRequirement[] {
  return requirements
    .map((requirement, index) => ({ requirement, index }))
    .sort((a, b) => compareStrings(a.requirement.key, b.requirement.key) || a.index - b.index)
    .map(entry => entry.requirement);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function requirementToString(requirement: LabelSelectorRequirement): string {
  const values = requirement.values.join(',');
  switch (requirement.operator) {
    case LabelSelectorOperator.EXISTS:
      return requirement.key;
    case LabelSelectorOperator.DOES_NOT_EXIST:
      return `!${requirement.key}`;
    case LabelSelectorOperator.IN:
    case LabelSelectorOperator.NOT_IN:
      return `${requirement.key} ${requirement.operator} (${values})`;
    default:
      return `${requirement.key}${requirement.operator}${values}`;
  }
}

function requirementMatches(requirement: LabelSelectorRequirement, labels: { [key: string]: string }): boolean {
  const present = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const value = present ? labels[requirement.key] : undefined;
  switch (requirement.operator) {
    case LabelSelectorOperator.EQUALS:
    case LabelSelectorOperator.DOUBLE_EQUALS:
    case LabelSelectorOperator.IN:
      return present && requirement.values.includes(value!);
    case LabelSelectorOperator.NOT_EQUALS:
    case LabelSelectorOperator.NOT_IN:
      return !present || !requirement.values.includes(value!);
    case LabelSelectorOperator.EXISTS:
      return present;
    case LabelSelectorOperator.DOES_NOT_EXIST:
      return !present;
    default:
      return present && compareIntegers(requirement, value!);
  }
}

/** `>` and `<`: a label value that is not a 64-bit integer never matches (apimachinery `strconv.ParseInt`). */
function compareIntegers(requirement: LabelSelectorRequirement, labelValue: string): boolean {
  const actual = parseInt64(labelValue);
  const bound = parseInt64(requirement.values[0]);
  if (actual === undefined || bound === undefined) {
    return false;
  }
  return requirement.operator === LabelSelectorOperator.GREATER_THAN ? actual > bound : actual < bound;
}

const INT64_MIN = -(BigInt(2) ** BigInt(63));
const INT64_MAX = BigInt(2) ** BigInt(63) - BigInt(1);

function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?[0-9]+$/.test(text)) {
    return undefined;
  }
  const value = BigInt(text);
  return value >= INT64_MIN && value <= INT64_MAX ? value : undefined;
}

enum TokenKind {
  IDENTIFIER = 'identifier',
  IN = 'in',
  NOT_IN = 'notin',
  OPEN = '(',
  CLOSE = ')',
  COMMA = ',',
  EQUALS = '=',
  DOUBLE_EQUALS = '==',
  NOT_EQUALS = '!=',
  NOT = '!',
  GREATER_THAN = '>',
  LESS_THAN = '<',
  END = 'end of string',
}

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  /** 1-based character position, for error messages. */
  readonly position: number;
}

const SYMBOLS: { [text: string]: TokenKind } = {
  '!=': TokenKind.NOT_EQUALS,
  '==': TokenKind.DOUBLE_EQUALS,
  '!': TokenKind.NOT,
  '=': TokenKind.EQUALS,
  '(': TokenKind.OPEN,
  ')': TokenKind.CLOSE,
  ',': TokenKind.COMMA,
  '>': TokenKind.GREATER_THAN,
  '<': TokenKind.LESS_THAN,
};

const SYMBOL_CHARACTERS = '!=(),><';
const WHITESPACE = ' \t\r\n';

/** Splits a selector into tokens the way the apimachinery lexer does: longest symbol first, identifiers up to a symbol or blank. */
function tokenize(selector: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < selector.length) {
    const character = selector[index];
    if (WHITESPACE.includes(character)) {
      index++;
    } else if (SYMBOL_CHARACTERS.includes(character)) {
      const pair = selector.slice(index, index + 2);
      const text = SYMBOLS[pair] !== undefined ? pair : character;
      tokens.push({ kind: SYMBOLS[text], text, position: index + 1 });
      index += text.length;
    } else {
      const start = index;
      while (index < selector.length && !WHITESPACE.includes(selector[index]) && !SYMBOL_CHARACTERS.includes(selector[index])) {
        index++;
      }
      const text = selector.slice(start, index);
      tokens.push({ kind: keywordKind(text), text, position: start + 1 });
    }
  }
  tokens.push({ kind: TokenKind.END, text: '', position: selector.length + 1 });
  return tokens;
}

function keywordKind(text: string): TokenKind {
  if (text === 'in') {
    return TokenKind.IN;
  }
  return text === 'notin' ? TokenKind.NOT_IN : TokenKind.IDENTIFIER;
}

/**
 * Where the parser is: `in`/`notin` are operators only right after a key; everywhere else they are plain words
 * (a label key or value may be called `in`).
 */
enum Context {
  KEY_AND_OPERATOR,
  VALUES,
}

class SelectorParser {
  private readonly tokens: Token[];
  private position = 0;

  constructor(private readonly selector: string, private readonly property: string, private readonly scope?: IConstruct) {
    this.tokens = tokenize(selector);
  }

  public parse(): LabelSelectorRequirement[] {
    const requirements: LabelSelectorRequirement[] = [];
    let token = this.peek(Context.VALUES);
    while (token.kind !== TokenKind.END) {
      if (token.kind !== TokenKind.IDENTIFIER && token.kind !== TokenKind.NOT) {
        this.fail(token, 'a label key, "!" or the end of the selector');
      }
      requirements.push(this.parseRequirement());
      const separator = this.next(Context.VALUES);
      if (separator.kind === TokenKind.COMMA) {
        token = this.peek(Context.VALUES);
        if (token.kind !== TokenKind.IDENTIFIER && token.kind !== TokenKind.NOT) {
          this.fail(token, 'a label key after ","');
        }
      } else if (separator.kind !== TokenKind.END) {
        this.fail(separator, '"," or the end of the selector');
      } else {
        token = separator;
      }
    }
    return requirements;
  }

  private parseRequirement(): LabelSelectorRequirement {
    let token = this.next(Context.VALUES);
    const negated = token.kind === TokenKind.NOT;
    if (negated) {
      token = this.next(Context.VALUES);
    }
    if (token.kind !== TokenKind.IDENTIFIER) {
      this.fail(token, 'a label key');
    }
    const key = this.validKey(token);
    const following = this.peek(Context.VALUES).kind;
    if (negated || following === TokenKind.END || following === TokenKind.COMMA) {
      const operator = negated ? LabelSelectorOperator.DOES_NOT_EXIST : LabelSelectorOperator.EXISTS;
      return { key, operator, values: [] };
    }
    const operator = this.parseOperator();
    const values = operator === LabelSelectorOperator.IN || operator === LabelSelectorOperator.NOT_IN
      ? this.parseValueSet()
      : [this.parseSingleValue()];
    values.forEach(value => this.validateValue(value, operator));
    return { key, operator, values: [...new Set(values)].sort(compareStrings) };
  }

  private parseOperator(): LabelSelectorOperator {
    const token = this.next(Context.KEY_AND_OPERATOR);
    const operators: { [kind: string]: LabelSelectorOperator } = {
      [TokenKind.EQUALS]: LabelSelectorOperator.EQUALS,
      [TokenKind.DOUBLE_EQUALS]: LabelSelectorOperator.DOUBLE_EQUALS,
      [TokenKind.NOT_EQUALS]: LabelSelectorOperator.NOT_EQUALS,
      [TokenKind.IN]: LabelSelectorOperator.IN,
      [TokenKind.NOT_IN]: LabelSelectorOperator.NOT_IN,
      [TokenKind.GREATER_THAN]: LabelSelectorOperator.GREATER_THAN,
      [TokenKind.LESS_THAN]: LabelSelectorOperator.LESS_THAN,
    };
    const operator = operators[token.kind];
    if (operator === undefined) {
      this.fail(token, 'an operator (=, ==, !=, in, notin, >, <), "," or the end of the selector');
    }
    return operator;
  }

  /** `(a,b)`; as in apimachinery, `()` and empty items between commas stand for the empty label value. */
  private parseValueSet(): string[] {
    const open = this.next(Context.VALUES);
    if (open.kind !== TokenKind.OPEN) {
      this.fail(open, '"(" to start the value list');
    }
    const values: string[] = [];
    let expectValue = true;
    for (;;) {
      const token = this.next(Context.VALUES);
      if (token.kind === TokenKind.IDENTIFIER && expectValue) {
        values.push(token.text);
        expectValue = false;
      } else if (token.kind === TokenKind.COMMA) {
        if (expectValue) {
          values.push('');
        }
        expectValue = true;
      } else if (token.kind === TokenKind.CLOSE) {
        if (expectValue) {
          values.push('');
        }
        return values;
      } else {
        this.fail(token, expectValue ? 'a label value, "," or ")"' : '"," or ")"');
      }
    }
  }

  /** `=value`; nothing before `,` or the end stands for the empty label value. */
  private parseSingleValue(): string {
    const following = this.peek(Context.VALUES).kind;
    if (following === TokenKind.END || following === TokenKind.COMMA) {
      return '';
    }
    const token = this.next(Context.VALUES);
    if (token.kind !== TokenKind.IDENTIFIER) {
      this.fail(token, 'a label value');
    }
    return token.text;
  }

  private validKey(token: Token): string {
    const problem = KubernetesNames.checkQualifiedName(token.text);
    if (problem) {
      this.raise(`the label key "${token.text}" at character ${token.position} ${problem}`,
        'use a key like "team" or "example.com/team": letters, digits, "-", "_" and ".", starting and ending with a letter or digit, with an optional DNS prefix and "/"');
    }
    return token.text;
  }

  private validateValue(value: string, operator: LabelSelectorOperator): void {
    const problem = KubernetesNames.checkLabelValue(value);
    if (problem) {
      this.raise(`the label value "${value}" ${problem}`, 'use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit');
    }
    const numeric = operator === LabelSelectorOperator.GREATER_THAN || operator === LabelSelectorOperator.LESS_THAN;
    if (numeric && parseInt64(value) === undefined) {
      this.raise(`"${operator}" needs an integer value, not "${value}"`, 'compare with a whole number, e.g. "tier>2"');
    }
  }

  private peek(context: Context): Token {
    return this.inContext(this.tokens[this.position], context);
  }

  private next(context: Context): Token {
    const token = this.peek(context);
    if (token.kind !== TokenKind.END) {
      this.position++;
    }
    return token;
  }

  private inContext(token: Token, context: Context): Token {
    const keyword = token.kind === TokenKind.IN || token.kind === TokenKind.NOT_IN;
    return keyword && context === Context.VALUES ? { ...token, kind: TokenKind.IDENTIFIER } : token;
  }

  private fail(token: Token, expected: string): never {
    const found = token.kind === TokenKind.END ? 'the end of the selector' : `"${token.text}" at character ${token.position}`;
    return this.raise(`found ${found} where ${expected} was expected`, SELECTOR_FIX);
  }

  private raise(problem: string, fix: string): never {
    throw new ValidationError({ scope: this.scope, property: this.property, value: this.selector, problem, fix });
  }
}
