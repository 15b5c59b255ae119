import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';

// `stringifyLikeCdk8s(json)` returns the bytes cdk8s's `Yaml.stringify(json)` returns for one Kubernetes object, about
// ten times faster. cdk8s writes with the `yaml` package it bundles (YAML 1.1 schema, `lineWidth: 0`), which builds
// a node tree for every document and then prints it: at platform scale that is the largest single cost of a synth.
// What a Kubernetes object holds is mostly simple: plain maps, lists, printable ASCII strings on one line, integers
// and booleans. For documents made only of those this module prints the same bytes directly; anything else (a
// multi-line or non-ASCII string, a float, null, a shared sub-object, a very long key...) goes to `Yaml.stringify`
// whole, so a document is never half ours and half theirs.
//
// "The same bytes" is held against the package, not assumed: a string that YAML 1.1 would read as another type (a
// number, a boolean, a date...; the package's own tag tests tell) is printed as the package prints it, asked once per
// string; only `yaml` releases the tests compared output with are used (VERIFIED_YAML_VERSIONS); and
// test/yaml-writer.test.ts compares both on every example, the benchmark platform and random documents.

/**
 * Releases of the `yaml` package this printer was compared with byte for byte: 2.8.0 is what cdk8s 2.70.0 bundles
 * (and the tests run against), 2.9.1 what cdk8s 2.70.106 bundles (the tests run against this library's own copy of
 * it, called as cdk8s calls it). With any other release every document goes to `Yaml.stringify`.
 */
const VERIFIED_YAML_VERSIONS = new Set(['2.8.0', '2.9.1']);

/** The options cdk8s's `Yaml.stringify` passes to `yaml` (its source is part of the synth fingerprint). */
export const CDK8S_YAML_OPTIONS = { keepUndefined: true, lineWidth: 0, version: '1.1' } as const;

/** Thrown inside the printer when a value is outside what it prints; the document then goes to `yaml` whole. */
class NotSimple extends Error {}
const NOT_SIMPLE = new NotSimple();

/** A tag of a `yaml` schema, as far as the printer reads it. */
interface YamlTag {
  readonly default?: unknown;
  readonly tag: string;
  readonly test?: RegExp;
}

/** Where a scalar stands: `yaml` decides quoting for an implicit key and for a value separately. */
type Position = 'key' | 'value';

/** Strings that look like another type, remembered per position; kept small. */
const ASKED_LIMIT = 10_000;

/** Prints documents as one release of the `yaml` package does when called with `CDK8S_YAML_OPTIONS`. */
export class YamlWriter {
  /**
   * A writer for the `yaml` module given, or undefined when its release was not verified.
   *
   * @param stringify what the printer leaves documents to: `yaml`'s stringify as cdk8s calls it
   */
  public static forRelease(yaml: any, version: string, stringify: (json: unknown) => string): YamlWriter | undefined {
    if (!VERIFIED_YAML_VERSIONS.has(version)) {
      return undefined;
    }
    const schema = new yaml.Document(null, { version: CDK8S_YAML_OPTIONS.version }).schema;
    // Every default tag other than str with a test (null, bool, int, float, timestamp, merge...): a plain string one
    // of them matches would read back as another type.
    const implicitTags = ([...schema.tags, ...(schema.compat ?? [])] as YamlTag[])
      .flatMap(tag => (tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test ? [tag.test] : []));
    return new YamlWriter(implicitTags, stringify);
  }

  private readonly asked = { key: new Map<string, string>(), value: new Map<string, string>() };

  private constructor(private readonly implicitTags: RegExp[], private readonly stringify: (json: unknown) => string) {
  }

  /** The bytes `stringify(json)` returns. */
  public print(json: unknown): string {
    return this.printDirectly(json) ?? this.stringify(json);
  }

  /** The document printed by the printer, or undefined when it holds something only `yaml` prints. */
  public printDirectly(json: unknown): string | undefined {
    if (!isPlainObject(json) || Object.keys(json).length === 0) {
      return undefined;
    }
    try {
      return new Printer(this).document(json);
    } catch (err) {
      if (err === NOT_SIMPLE) {
        return undefined;
      }
      throw err;
    }
  }

  /**
   * A single-line printable ASCII string as `yaml` prints it in a block map or list: plain when YAML reads it back
   * as that string; quoted when it starts like or holds YAML syntax (single quotes when it holds `"` but no `'`,
   * else double quotes, which for printable ASCII are JSON's); and, when it looks like a value of another YAML 1.1
   * type (a number, boolean, date, null, the merge key `<<`...), as `yaml` prints it, asked once per string.
   */
  public scalar(value: string, position: Position): string {
    if (!/^[\x20-\x7e]+$/.test(value)) {
      throw NOT_SIMPLE; // empty, multi-line, control characters, non-ASCII: `yaml`'s escaping and block styles
    }
    if (/^(?:---|\.\.\.)/.test(value)) {
      throw NOT_SIMPLE; // a document marker, which `yaml` treats differently for top-level keys
    }
    if (!isPlainSafe(value)) {
      return value.includes('"') && !value.includes('\'') ? `'${value}'` : JSON.stringify(value);
    }
    return this.implicitTags.some(tag => tag.test(value)) ? this.askYaml(value, position) : value;
  }

  /**
   * Most strings that look like another type are quoted, but some are claimed by their tag and printed plain (`<<`,
   * the merge key); every tag that claims a string has a test matching it, so asking for these covers them.
   */
  private askYaml(value: string, position: Position): string {
    const asked = this.asked[position];
    let printed = asked.get(value);
    if (printed === undefined) {
      const [before, after] = position === 'key' ? ['', ': 0\n'] : ['k: ', '\n'];
      const document = this.stringify(position === 'key' ? { [value]: 0 } : { k: value });
      printed = document.slice(before.length, -after.length);
      if (`${before}${printed}${after}` !== document || printed.includes('\n')) {
        throw NOT_SIMPLE; // not a one-line scalar: leave the whole document to `yaml`
      }
      if (asked.size >= ASKED_LIMIT) {
        asked.clear();
      }
      asked.set(value, printed);
    }
    return printed;
  }
}

/** The writer for the `yaml` cdk8s bundles, or null when that release was not verified (or cannot be found). */
let cdk8sWriter: YamlWriter | null | undefined;

/** The writer bound to cdk8s's own `Yaml.stringify`, or undefined when every document must go to it. */
export function cdk8sYamlWriter(): YamlWriter | undefined {
  cdk8sWriter ??= loadCdk8sWriter() ?? null;
  return cdk8sWriter ?? undefined;
}

function loadCdk8sWriter(): YamlWriter | undefined {
  try {
    // Resolved from cdk8s's lib/, as its own `require('yaml')` in lib/yaml.js resolves it.
    const cdk8sLib = path.join(path.dirname(require.resolve('cdk8s/package.json')), 'lib');
    const yamlPackage = require.resolve('yaml/package.json', { paths: [cdk8sLib] });
    const version: string = JSON.parse(fs.readFileSync(yamlPackage, 'utf8')).version;
    // The copy cdk8s bundles and writes with, which need not be the `yaml` this library depends on.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const yaml = require(path.dirname(yamlPackage));
    return YamlWriter.forRelease(yaml, version, json => Yaml.stringify(json));
  } catch {
    return undefined; // a cdk8s laid out differently: its own Yaml.stringify prints every document
  }
}

/** The bytes of cdk8s's `Yaml.stringify(json)` for one document. */
export function stringifyLikeCdk8s(json: unknown): string {
  return cdk8sYamlWriter()?.print(json) ?? Yaml.stringify(json);
}

/** Longest single-line key `yaml` writes as an implicit `key:`; a longer one becomes an explicit `? key`. */
const IMPLICIT_KEY_LIMIT = 1024;
const INDENT_STEP = '  ';

class Printer {
  /**
   * The document's text in pieces, joined once at the end: a joined string is one flat string, where `+=` would
   * leave a rope of small strings that outlives the young generation while the writer collects a chunk.
   */
  private readonly parts: string[] = [];
  /** Maps and lists seen in this document: `yaml` writes a second reference to one as an alias (`*a1`). */
  private readonly seen = new Set<object>();

  constructor(private readonly writer: YamlWriter) {
  }

  /** The document of a non-empty top-level map. */
  public document(object: Record<string, unknown>): string {
    this.map(object, '');
    this.parts.push('\n');
    return this.parts.join('');
  }

  /** A non-empty map at `indent`, its first line unindented (the caller placed it). */
  private map(object: Record<string, unknown>, indent: string): void {
    this.visit(object);
    const inner = indent + INDENT_STEP;
    let first = true;
    for (const key of Object.keys(object)) {
      const printedKey = this.writer.scalar(key, 'key');
      if (printedKey.length > IMPLICIT_KEY_LIMIT) {
        throw NOT_SIMPLE;
      }
      if (!first) {
        this.parts.push('\n', indent);
      }
      first = false;
      this.parts.push(printedKey, ':');
      this.value(object[key], inner, true);
    }
  }

  /** A non-empty list at `indent`, its first line unindented. */
  private list(items: unknown[], indent: string): void {
    this.visit(items);
    const inner = indent + INDENT_STEP;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      if (Array.isArray(item) && item.length > 0) {
        throw NOT_SIMPLE; // a list directly inside a list: not something a Kubernetes object holds
      }
      if (i > 0) {
        this.parts.push('\n', indent);
      }
      this.parts.push('-');
      this.value(item, inner, false);
    }
  }

  /**
   * A value after `key:` or `-`, with the separator `yaml` puts before it: a space before a scalar or an empty
   * collection; before a non-empty collection, a new line at `inner` after a key, or a space after a dash (the
   * collection then starts on the dash's line).
   */
  private value(value: unknown, inner: string, afterKey: boolean): void {
    switch (typeof value) {
      case 'string':
        this.parts.push(' ', this.writer.scalar(value, 'value'));
        return;
      case 'number':
        // Integers only (not -0, which yaml 2.8.0 prints as `0` and 2.9.1 as `-0`): `yaml` prints other numbers by
        // rules (exponents, NaN, infinities) not worth repeating.
        if (!Number.isSafeInteger(value) || Object.is(value, -0)) {
          throw NOT_SIMPLE;
        }
        this.parts.push(' ', String(value));
        return;
      case 'boolean':
        this.parts.push(value ? ' true' : ' false');
        return;
      case 'object':
        break;
      default:
        throw NOT_SIMPLE; // undefined, functions, symbols, bigints
    }
    const isList = Array.isArray(value);
    // null is out too: `yaml` writes a map whose values are all null as a set (`? key`).
    if (!isList && !isPlainObject(value)) {
      throw NOT_SIMPLE;
    }
    const empty = isList ? value.length === 0 : Object.keys(value).length === 0;
    if (empty) {
      this.visit(value);
      this.parts.push(isList ? ' []' : ' {}');
      return;
    }
    this.parts.push(afterKey ? `\n${inner}` : ' ');
    if (isList) {
      this.list(value, inner);
    } else {
      this.map(value, inner);
    }
  }

  private visit(collection: object): void {
    if (this.seen.has(collection)) {
      throw NOT_SIMPLE;
    }
    this.seen.add(collection);
  }
}

/**
 * Whether a single-line string can be a plain scalar in block context (YAML 1.1/1.2 §7.3.3): it does not start with
 * an indicator character or with `- `, `? `, `: `, is not `-` or `?` alone, holds no `: ` and no ` #` (a comment),
 * and does not end with a space or a colon.
 */
function isPlainSafe(value: string): boolean {
  return !/^[ ,[\]{}#&*!|>'"%@`]/.test(value)
    && !/^[?:-](?: |$)/.test(value)
    && !/: | #|[ :]$/.test(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
