// TEST-ONLY: finds secret material in synthesized YAML or error text: the secret itself, its JSON-escaped forms, its
// base64, base64("username:secret"), and anything that decodes (base64, at any 3-byte alignment, a few levels deep) to
// one of those. A base64 value can hold the secret at any offset (e.g. inside a `.dockerconfigjson`), so plain
// substring checks of base64(secret) would miss it; decoding every base64 run does not.
import * as YAML from 'yaml';
import { goMarshalString } from './go-template';

/** The forms of `secret` that must never appear. */
export function forbiddenForms(username: string, secret: string): string[] {
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return [secret, base64(secret), base64(`${username}:${secret}`), JSON.stringify(secret).slice(1, -1), goMarshalString(secret).slice(1, -1)];
}

/** The forms of `secret` that `output` reveals (empty when it reveals none). `output` may be YAML or any text. */
export function leaks(output: string, username: string, secret: string): string[] {
  const texts = [output, ...yamlStrings(output)].flatMap(text => revealedTexts(text, 3));
  return forbiddenForms(username, secret).filter(form => texts.some(text => text.includes(form)));
}

/** Every text an output reveals: the text itself and, recursively, what its base64 runs decode to. */
function revealedTexts(text: string, depth: number): string[] {
  const texts = [text];
  if (depth > 0) {
    for (const run of text.match(/[A-Za-z0-9+/]{8,}={0,2}/g) ?? []) {
      for (let offset = 0; offset < 4; offset++) {
        texts.push(...revealedTexts(Buffer.from(run.slice(offset), 'base64').toString('utf8'), depth - 1));
      }
    }
  }
  return texts;
}

/** The keys and string values of every YAML document in `output` (YAML may escape or fold what it holds). */
function yamlStrings(output: string): string[] {
  const strings: string[] = [];
  try {
    YAML.parseAllDocuments(output).forEach(doc => collectStrings(doc.toJS(), strings));
  } catch {
    // not YAML (e.g. an error message): the text alone is checked
  }
  return strings;
}

function collectStrings(value: unknown, out: string[]): void {
  if (typeof value === 'string') {
    out.push(value);
  } else if (value !== null && typeof value === 'object') {
    Object.entries(value).forEach(([key, member]) => {
      out.push(key);
      collectStrings(member, out);
    });
  }
}
