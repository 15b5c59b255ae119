/**
 * How the replication controllers read the text of their annotations, and the rules that keep the library's reading
 * identical to theirs.
 *
 * Whitespace: Go's `strings.TrimSpace` (mittwald) and .NET's `String.Trim()` (reflector, .NET 5+) strip the same set,
 * the Unicode White_Space characters (U+0009–U+000D, U+0020, U+0085 NEL, U+00A0, U+1680, U+2000–U+200A, U+2028,
 * U+2029, U+202F, U+205F, U+3000). JavaScript's `trim()` differs: it keeps NEL and strips U+FEFF, which both
 * controllers keep. go-yaml (Argo CD, kubectl) also folds some of these characters while parsing, so a value holding
 * one may not even reach the controller as written: such values are refused, see `nonPrintableAscii`.
 */

/** The Unicode White_Space property: what Go `unicode.IsSpace` and .NET `Char.IsWhiteSpace` both answer true for. */
const UNICODE_WHITE_SPACE = '\t\n\u000b\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

/** A run of the characters above, e.g. to tell entries separated by spaces or line breaks instead of commas. */
export const GO_WHITE_SPACE_RUN = new RegExp(`[${UNICODE_WHITE_SPACE}]+`);

function trimSet(text: string, set: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && set.includes(text[start])) {
    start++;
  }
  while (end > start && set.includes(text[end - 1])) {
    end--;
  }
  return text.slice(start, end);
}

/** Go `strings.TrimSpace`, as mittwald applies it to each comma-separated entry. */
export function goTrimSpace(text: string): string {
  return trimSet(text, UNICODE_WHITE_SPACE);
}

/** .NET `String.Trim()` (no arguments), as the reflector applies it to each comma-separated entry. */
export function dotnetTrim(text: string): string {
  return trimSet(text, UNICODE_WHITE_SPACE);
}

/** The first character outside printable ASCII (U+0020–U+007E), as `U+XXXX`, or `undefined`. */
export function nonPrintableAscii(text: string): string | undefined {
  const found = /[^\x20-\x7e]/.exec(text);
  if (found === null) {
    return undefined;
  }
  const codePoint = text.codePointAt(found.index)!;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The Kubernetes API server refuses an object whose annotations add up to more than 256 KiB, so no single value can
 * be longer.
 */
export const MAX_ANNOTATION_BYTES = 256 * 1024;

const SHOWN_ENTRY_LENGTH = 60;

/** An entry as quoted in a message: long ones cut, so that an error never repeats a huge pattern. */
export function shownEntry(entry: string): string {
  return entry.length <= SHOWN_ENTRY_LENGTH * 2 ? entry : `${entry.slice(0, SHOWN_ENTRY_LENGTH)}… (${entry.length} characters)`;
}
