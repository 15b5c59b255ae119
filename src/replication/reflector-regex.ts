import { shownEntry } from './consumer-text';

/**
 * The part of .NET regex syntax whose meaning on a namespace name (lowercase ASCII letters, digits and `-`) is the
 * same in .NET (`System.Text.RegularExpressions`, what the reflector runs) and in JavaScript `RegExp` (what the
 * library previews with):
 *
 * - literal printable ASCII characters, and `\` before one of `. * + ? ( ) [ ] { } | ^ $ \ - /`;
 * - `.`, `^`, `$`, `\d \D \w \W \s \S` (their ASCII meaning is identical; names have no line breaks);
 * - classes `[...]` / `[^...]` of literals, ranges and the class escapes above (no nested `[`, no `]` first);
 * - groups `( )` and `(?: )`, alternation `|`;
 * - quantifiers `* + ? {n} {n,} {n,m}`, each optionally lazy (`?`), on an atom.
 *
 * Everything else is refused with a fix: anchors `\A \Z \z \G`, Unicode categories `\p{..}`, class subtraction
 * `[a-z-[0-9]]`, inline options `(?i)`, look-arounds, back-references, named, atomic and conditional groups,
 * comments, `\b`, and character escapes such as `\x41`, whose meanings differ between the engines or exist in one only.
 */
export interface ReflectorRegexProblem {
  /** What the entry uses, e.g. `"\A" (a .NET-only anchor)`. */
  readonly problem: string;
  /** How to write it within the subset. */
  readonly fix: string;
}

/** A reflector name-list entry outside the subset, as a construct reports it. */
export interface PatternProblem {
  /** The option holding the list. */
  readonly property: string;
  /** The whole list. */
  readonly value: string;
  /** What is wrong. */
  readonly problem: string;
  /** How to fix it. */
  readonly fix: string;
}

const ESCAPABLE = '.*+?()[]{}|^$\\-/';
const CLASS_ESCAPES = 'dDwWsS';

class Refused extends Error {
  constructor(public readonly refusal: ReflectorRegexProblem) {
    super(refusal.problem);
  }
}

/** Why an entry falls outside the shared subset, or `undefined` when it is inside. */
export function reflectorRegexProblem(entry: string): ReflectorRegexProblem | undefined {
  try {
    new SubsetParser(entry).parse();
    return undefined;
  } catch (e) {
    if (e instanceof Refused) {
      return e.refusal;
    }
    throw e;
  }
}

/** A recursive-descent reading of the subset; throws `Refused` at the first construct outside it. */
class SubsetParser {
  private index = 0;

  constructor(private readonly entry: string) {}

  public parse(): void {
    this.alternation();
    if (this.index < this.entry.length) {
      this.refuse('an unbalanced ")"', 'balance the parentheses, or escape a literal one as "\\)"');
    }
  }

  private alternation(): void {
    this.sequence();
    while (this.peek() === '|') {
      this.index++;
      this.sequence();
    }
  }

  private sequence(): void {
    while (this.index < this.entry.length && this.peek() !== '|' && this.peek() !== ')') {
      const quantifiable = this.atom();
      this.quantifier(quantifiable);
    }
  }

  /** Reads one atom; returns whether a quantifier may follow it. */
  private atom(): boolean {
    const character = this.peek();
    if (character === '(') {
      this.group();
      return true;
    }
    if (character === '[') {
      this.characterClass();
      return true;
    }
    if (character === '\\') {
      this.escape();
      return true;
    }
    if (character === '^' || character === '$') {
      this.index++;
      return false;
    }
    if (character === '*' || character === '+' || character === '?' || character === '{') {
      this.refuse(`a quantifier "${character}" with nothing to repeat`, 'put it after a character, class or group, or escape it (e.g. "\\*")');
    }
    if (character === '}' || character === ']') {
      this.refuse(`a lone "${character}"`, `escape it as "\\${character}"`);
    }
    this.index++;
    return true;
  }

  private group(): void {
    this.index++;
    if (this.peek() === '?') {
      if (this.entry[this.index + 1] !== ':') {
        this.refuseGroup();
      }
      this.index += 2;
    }
    this.alternation();
    if (this.peek() !== ')') {
      this.refuse('a "(" without its ")"', 'balance the parentheses, or escape a literal one as "\\("');
    }
    this.index++;
  }

  private refuseGroup(): never {
    const rest = this.entry.slice(this.index + 1, this.index + 3);
    if (/^(=|!|<=|<!)/.test(rest)) {
      this.refuse('a look-around ("(?=", "(?!", "(?<=", "(?<!")',
        'list the wanted names positively (e.g. "dp-(acme|globex)-.*"), or select by label with allowedNamespacesSelector');
    }
    if (/^(<|'|P<)/.test(rest)) {
      this.refuse('a named group ("(?<name>", "(?\'name\'")', 'use a plain group "( )" or "(?: )"');
    }
    if (rest.startsWith('>')) {
      this.refuse('an atomic group ("(?>")', 'use a plain group "(?: )"');
    }
    if (rest.startsWith('#')) {
      this.refuse('a comment group ("(?#")', 'remove the comment');
    }
    if (rest.startsWith('(')) {
      this.refuse('a conditional group ("(?(")', 'write the alternatives out with "|"');
    }
    this.refuse('an inline option group such as "(?i)" or "(?i:…)"',
      'spell the cases out instead (e.g. "[Dd][Pp]-.*"); namespace names are lowercase anyway');
  }

  private characterClass(): void {
    this.index++;
    if (this.peek() === '^') {
      this.index++;
    }
    if (this.peek() === ']') {
      this.refuse('a "]" first in a class (a literal in .NET, an empty class in JavaScript)', 'escape it as "\\]"');
    }
    let items = 0;
    while (this.peek() !== ']') {
      if (this.index >= this.entry.length) {
        this.refuse('a "[" without its "]"', 'close the class, or escape a literal one as "\\["');
      }
      this.classItem();
      items++;
    }
    this.index++;
    if (items === 0) {
      this.refuse('an empty class', 'list the characters, e.g. "[a-z0-9]"');
    }
  }

  private classItem(): void {
    const character = this.peek();
    if (character === '[') {
      const subtraction = this.entry[this.index - 1] === '-';
      this.refuse(subtraction ? 'class subtraction ("[a-z-[0-9]]", .NET only)' : 'a "[" inside a class (POSIX classes and nesting differ)',
        subtraction ? 'list what remains instead (e.g. "[a-z]" minus digits is just "[a-z]")' : 'escape it as "\\[" or list the characters');
    }
    if (character === '\\') {
      const isClassEscape = CLASS_ESCAPES.includes(this.entry[this.index + 1] ?? '');
      this.escapeInClass();
      if (isClassEscape && this.peek() === '-' && this.entry[this.index + 1] !== ']') {
        this.refuse('a range starting at a class escape such as "\\d-z"', 'put a literal "-" last in the class: "[\\dz-]"');
      }
      return;
    }
    const start = this.entry.charCodeAt(this.index);
    this.index++;
    if (this.peek() === '-' && this.entry[this.index + 1] !== ']' && this.index + 1 < this.entry.length) {
      this.index++;
      if (this.peek() === '[') {
        this.classItem();
      }
      const end = this.rangeEnd();
      if (end < start) {
        this.refuse('a range out of order', 'write the smaller character first, e.g. "[a-z]"');
      }
    }
  }

  private rangeEnd(): number {
    if (this.peek() === '\\') {
      const next = this.entry[this.index + 1] ?? '';
      if (!ESCAPABLE.includes(next)) {
        this.refuse('a range ending in a class escape', 'end the range with a literal character');
      }
      this.index += 2;
      return next.charCodeAt(0);
    }
    const end = this.entry.charCodeAt(this.index);
    this.index++;
    return end;
  }

  private escapeInClass(): void {
    const next = this.entry[this.index + 1] ?? '';
    if (next === 'b') {
      this.refuse('"\\b" in a class (a backspace, not a word boundary)', 'remove it: names have no control characters');
    }
    this.escape();
  }

  private escape(): void {
    const next = this.entry[this.index + 1];
    if (next === undefined) {
      this.refuse('a "\\" at the end', 'remove it, or write "\\\\" for a literal backslash');
    }
    if (CLASS_ESCAPES.includes(next) || ESCAPABLE.includes(next)) {
      this.index += 2;
      return;
    }
    this.refuseEscape(next);
  }

  private refuseEscape(next: string): never {
    if ('AZzG'.includes(next)) {
      this.refuse(`"\\${next}" (a .NET anchor JavaScript reads as the letter ${next})`, 'use "^" and "$", or nothing: the reflector only counts matches spanning the whole name');
    }
    if (next === 'p' || next === 'P') {
      this.refuse(`"\\${next}{..}" (a Unicode category, read as a letter by JavaScript without the u flag)`, 'use an ASCII class such as "[a-z]"; namespace names are ASCII');
    }
    if (next === 'b' || next === 'B') {
      this.refuse(`"\\${next}" (a word boundary)`, 'write the characters out: "-" separates words in namespace names');
    }
    if (/[0-9]/.test(next) || next === 'k') {
      this.refuse('a back-reference ("\\1", "\\k<name>")', 'spell the repeated part out');
    }
    this.refuse(`"\\${next}" (a character escape whose meaning differs or that names cannot contain)`,
      'write the character itself, escaped with "\\" only if it is one of . * + ? ( ) [ ] { } | ^ $ \\ - /');
  }

  private quantifier(quantifiable: boolean): void {
    const start = this.index;
    if (!this.readQuantifier()) {
      return;
    }
    if (!quantifiable) {
      this.refuse(`a quantifier "${this.entry.slice(start, this.index)}" after an anchor`, 'remove the quantifier');
    }
    if (this.peek() === '?') {
      this.index++;
    }
    if (this.readQuantifier()) {
      this.refuse('a quantifier on a quantifier (nested or possessive)', 'keep one quantifier, or group first: "(?:a{2}){3}"');
    }
  }

  private readQuantifier(): boolean {
    const character = this.peek();
    if (character === '*' || character === '+' || character === '?') {
      this.index++;
      return true;
    }
    if (character !== '{') {
      return false;
    }
    const counted = /^\{(\d+)(,(\d*))?\}/.exec(this.entry.slice(this.index, this.index + 24));
    if (counted === null) {
      this.refuse('a "{" that is no {n}, {n,} or {n,m} quantifier', 'escape a literal brace as "\\{"');
    }
    if (counted[3] !== undefined && counted[3] !== '' && Number(counted[3]) < Number(counted[1])) {
      this.refuse(`a quantifier "${counted[0]}" whose maximum is below its minimum`, 'write the smaller number first');
    }
    this.index += counted[0].length;
    return true;
  }

  private peek(): string | undefined {
    return this.entry[this.index];
  }

  private refuse(what: string, fix: string): never {
    throw new Refused({
      problem: `"${shownEntry(this.entry)}" uses ${what}, which .NET (the reflector) and JavaScript (the preview) do not read alike`,
      fix,
    });
  }
}

/**
 * The constructs JavaScript reads differently from .NET (or as plain letters), found escape- and class-aware: `\A`,
 * `\Z`, `\z`, `\G`, `\p{..}`, `\P{..}`, `\k<..>`, class subtraction, a `]` first in a class, inline options. A preview
 * that meets one cannot tell what the reflector does; everything else JavaScript compiles, it reads as .NET does on
 * namespace names (look-arounds, numbered back-references, lone braces…), even where `reflectorRegexProblem` is
 * stricter for what the library emits.
 */
export function javascriptReadsDifferently(entry: string): string | undefined {
  let inClass = false;
  for (let index = 0; index < entry.length; index++) {
    const character = entry[index];
    if (character === '\\') {
      const next = entry[index + 1] ?? '';
      if ('AZzGpPk'.includes(next) && next !== '') {
        return `"\\${next}"`;
      }
      index++;
    } else if (inClass) {
      if (character === '[' && entry[index - 1] === '-') {
        return 'class subtraction';
      }
      inClass = character !== ']';
    } else if (character === '[') {
      inClass = true;
      const first = entry[index + 1] === '^' ? index + 2 : index + 1;
      if (entry[first] === ']') {
        return 'a "]" first in a class';
      }
      index = first - 1;
    } else if (character === '(' && /^\(\?[imnsx-]+[:)]/.test(entry.slice(index, index + 12))) {
      return 'an inline option group';
    }
  }
  return undefined;
}
