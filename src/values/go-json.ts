/**
 * JSON text as Go's `encoding/json` writes it, so that what we synthesize is byte-identical to what Go tools
 * (`kubectl create secret docker-registry`, `docker login`, the kubelet's own marshaller) write for the same data.
 *
 * Module-internal: these helpers are not part of the package's public API.
 *
 * @see https://pkg.go.dev/encoding/json#Marshal
 */

/** A JSON value as `JSON.parse` returns it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const SHORT_ESCAPES: { [char: string]: string } = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

// Go escapes every control character, the three HTML-significant characters (HTMLEscape is on by default) and the
// two line terminators that JavaScript string literals cannot hold raw. Everything else, including '/', DEL and
// non-ASCII text, is written as raw UTF-8.
const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029]/g;

/**
 * The Go `encoding/json` encoding of a string, quotes included: `a&b` → `"a\u0026b"`.
 *
 * Go 1.22+ writes `\b` and `\f` as short escapes; kubectl 1.32 (Go 1.23) does.
 */
export function goJsonString(value: string): string {
  return `"${value.replace(NEEDS_ESCAPE, escapeChar)}"`;
}

function escapeChar(char: string): string {
  return SHORT_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Compact Go-style JSON for a parsed value. Object keys keep their insertion order (callers sort where Go would
 * sort a map); numbers are written as JavaScript writes them.
 */
export function goJsonMarshal(value: JsonValue): string {
  if (typeof value === 'string') {
    return goJsonString(value);
  }
  if (Array.isArray(value)) {
    return `[${value.map(goJsonMarshal).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).map(([key, member]) => `${goJsonString(key)}:${goJsonMarshal(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Go's string order (`sort.Strings`): byte order of the UTF-8 encodings. It differs from JavaScript's default
 * UTF-16 order for characters above U+FFFF versus U+E000–U+FFFF.
 */
export function compareGoStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

// Go folds a field name rune by rune to the smallest rune of its Unicode simple-fold orbit; only two non-ASCII runes
// share an orbit with an ASCII letter.
const GO_FOLD_TO_ASCII = new Map([
  ['\u017f', 's'], // LATIN SMALL LETTER LONG S, orbit S s ſ
  ['\u212a', 'k'], // KELVIN SIGN, orbit K k K
]);

/**
 * Whether Go's `encoding/json` decodes the object key `key` into the struct field named `fieldName` (an ASCII
 * lowercase name): Go matches field names case-insensitively, so `Username` and `USERNAME` fill `username`.
 */
export function goFieldNameMatches(key: string, fieldName: string): boolean {
  if (key.length !== fieldName.length) {
    return false;
  }
  for (let i = 0; i < key.length; i++) {
    const char = key[i];
    const folded = GO_FOLD_TO_ASCII.get(char) ?? (char < '\u0080' ? char.toLowerCase() : char);
    if (folded !== fieldName[i]) {
      return false;
    }
  }
  return true;
}
