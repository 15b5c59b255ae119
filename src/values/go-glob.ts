/**
 * Go's `path.Match` (and `path/filepath.Match` on Unix), compiled once and matched without regular expressions.
 *
 * A regular expression such as `^.*a.*a.*a.*b$` backtracks exponentially on `aaaa…`; Go's algorithm does not: it
 * splits the pattern at its stars into chunks and places each chunk at the leftmost position where it matches, never
 * revisiting an earlier chunk (the leftmost place of a chunk is always the best one for the chunks after it). The
 * work is therefore bounded by (pattern length + 1) × (text length + 1) character comparisons.
 *
 * Text and pattern are compared by Unicode code point.
 *
 * @see https://pkg.go.dev/path#Match
 * @see https://github.com/golang/go/blob/master/src/path/match.go
 */

/** One element of a chunk: a literal code point, `?`, or a `[...]` class. */
type GlobToken =
  | { readonly kind: 'literal'; readonly char: number }
  | { readonly kind: 'any' }
  | { readonly kind: 'class'; readonly negated: boolean; readonly ranges: ReadonlyArray<readonly [number, number]> };

/** A run of tokens, preceded by one or more `*` when `star` is set. */
interface GlobChunk {
  readonly star: boolean;
  readonly tokens: readonly GlobToken[];
}

const SEPARATOR = '/'.codePointAt(0)!;

/** A compiled `path.Match` pattern. */
export class GoGlob {
  /**
   * Compiles a pattern, or returns undefined when it is malformed (Go's `ErrBadPattern`): an unclosed or empty
   * `[...]`, a class bound that is a bare `-` or `]`, or a trailing `\`.
   */
  public static compile(pattern: string): GoGlob | undefined {
    const chunks = parseChunks(Array.from(pattern, char => char.codePointAt(0)!));
    return chunks === undefined ? undefined : new GoGlob(chunks);
  }

  private constructor(private readonly chunks: readonly GlobChunk[]) {}

  /** Whether the whole text matches: `*` and `?` never match `/`; classes match any code point they name. */
  public matches(text: string): boolean {
    return this.matchCounting(text).matched;
  }

  /**
   * Like `matches`, also returning how many token comparisons were made (for tests that bound the work).
   */
  public matchCounting(text: string): { matched: boolean; steps: number } {
    const counter = { steps: 0 };
    const matched = matchChunks(this.chunks, Array.from(text, char => char.codePointAt(0)!), counter);
    return { matched, steps: counter.steps };
  }
}

// Go's Match: each chunk at the current position, else (after a star) at the leftmost later position that matches
// without skipping a '/'. The last chunk must also end the text.
function matchChunks(chunks: readonly GlobChunk[], text: number[], counter: { steps: number }): boolean {
  let position = 0;
  for (let index = 0; index < chunks.length; index++) {
    const { star, tokens } = chunks[index];
    const last = index === chunks.length - 1;
    if (star && tokens.length === 0) {
      return !text.slice(position).includes(SEPARATOR);
    }
    const next = placeChunk(tokens, text, position, star, last, counter);
    if (next < 0) {
      return false;
    }
    position = next;
  }
  return position === text.length;
}

function placeChunk(tokens: readonly GlobToken[], text: number[], from: number, star: boolean, last: boolean, counter: { steps: number }): number {
  for (let start = from; start <= text.length; start++) {
    if (start > from && text[start - 1] === SEPARATOR) {
      return -1;
    }
    const end = matchChunkAt(tokens, text, start, counter);
    if (end >= 0 && (!last || end === text.length)) {
      return end;
    }
    if (!star) {
      return -1;
    }
  }
  return -1;
}

// The end of the chunk when it matches at `start`, else -1.
function matchChunkAt(tokens: readonly GlobToken[], text: number[], start: number, counter: { steps: number }): number {
  let position = start;
  for (const token of tokens) {
    counter.steps++;
    if (position >= text.length || !tokenAccepts(token, text[position])) {
      return -1;
    }
    position++;
  }
  return position;
}

function tokenAccepts(token: GlobToken, char: number): boolean {
  switch (token.kind) {
    case 'literal':
      return token.char === char;
    case 'any':
      return char !== SEPARATOR;
    default:
      return token.ranges.some(([low, high]) => low <= char && char <= high) !== token.negated;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing (Go's scanChunk, matchChunk and getEsc syntax)

const STAR = '*'.codePointAt(0)!;
const QUESTION = '?'.codePointAt(0)!;
const OPEN = '['.codePointAt(0)!;
const CLOSE = ']'.codePointAt(0)!;
const CARET = '^'.codePointAt(0)!;
const DASH = '-'.codePointAt(0)!;
const BACKSLASH = '\\'.codePointAt(0)!;

function parseChunks(chars: number[]): GlobChunk[] | undefined {
  const chunks: GlobChunk[] = [];
  let i = 0;
  while (i < chars.length) {
    let star = false;
    while (chars[i] === STAR) {
      star = true;
      i++;
    }
    const tokens: GlobToken[] = [];
    while (i < chars.length && chars[i] !== STAR) {
      const parsed = parseToken(chars, i);
      if (parsed === undefined) {
        return undefined;
      }
      tokens.push(parsed.token);
      i = parsed.next;
    }
    chunks.push({ star, tokens });
  }
  return chunks;
}

function parseToken(chars: number[], i: number): { token: GlobToken; next: number } | undefined {
  if (chars[i] === QUESTION) {
    return { token: { kind: 'any' }, next: i + 1 };
  }
  if (chars[i] === OPEN) {
    return parseClass(chars, i + 1);
  }
  const at = chars[i] === BACKSLASH ? i + 1 : i;
  return at < chars.length ? { token: { kind: 'literal', char: chars[at] }, next: at + 1 } : undefined;
}

// "[" ["^"] range+ "]", where a range is c or lo "-" hi; a reversed range is legal and matches nothing.
function parseClass(chars: number[], start: number): { token: GlobToken; next: number } | undefined {
  const negated = chars[start] === CARET;
  let i = negated ? start + 1 : start;
  const ranges: Array<[number, number]> = [];
  while (!(chars[i] === CLOSE && ranges.length > 0)) {
    const low = readClassChar(chars, i);
    const high = low !== undefined && chars[low.next] === DASH ? readClassChar(chars, low.next + 1) : low;
    if (low === undefined || high === undefined) {
      return undefined;
    }
    ranges.push([low.char, high.char]);
    i = high.next;
  }
  return { token: { kind: 'class', negated, ranges }, next: i + 1 };
}

// Go's getEsc: a bound may not be a bare '-' or ']', '\' escapes, and the class must go on after it.
function readClassChar(chars: number[], i: number): { char: number; next: number } | undefined {
  if (i >= chars.length || chars[i] === DASH || chars[i] === CLOSE) {
    return undefined;
  }
  const at = chars[i] === BACKSLASH ? i + 1 : i;
  return at + 1 < chars.length ? { char: chars[at], next: at + 1 } : undefined;
}
