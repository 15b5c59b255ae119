// Module-internal: walks a value against a CRD field tree (src/imports/crd-fields.generated.ts, generated from the real
// CRD schemas) and reports the first field the API server would prune, refuse or miss. Constructs that let users
// change their object (escape hatches, raw specs) turn the problem into a ValidationError with their own fix.
import { RE2JS } from 're2js';

/** A field of a CRD's openAPIV3Schema, reduced to what decides whether a value fits (generated, never hand-written). */
export interface CrdField {
  /** The JSON type; absent for int-or-string and untyped fields. */
  readonly type?: string;
  /** Anything is accepted below this field (`x-kubernetes-preserve-unknown-fields`, a free-form object). */
  readonly anything?: boolean;
  /** Required child fields. */
  readonly required?: readonly string[];
  /** The child fields of an object, in the CRD's order. */
  readonly properties?: { readonly [name: string]: CrdField };
  /** The values of a map (`additionalProperties`). */
  readonly additionalProperties?: CrdField;
  /** The items of an array. */
  readonly items?: CrdField;
  /** A regular expression string values must match. */
  readonly pattern?: string;
  /** The longest string accepted. */
  readonly maxLength?: number;
  /** The only values accepted. */
  readonly enum?: readonly unknown[];
}

/** What is wrong at one place of a value. */
export enum FieldProblemKind {
  /** The CRD has no field of this name here: the API server prunes it without an error. */
  UNKNOWN = 'unknown',
  /** The value has another JSON type than the CRD's. */
  TYPE = 'type',
  /** A required field is missing. */
  REQUIRED = 'required',
  /** A string breaks the CRD's pattern, length or enum. */
  FORMAT = 'format',
}

/** The first problem `findFieldProblem` found. */
export interface FieldProblem {
  readonly kind: FieldProblemKind;
  /** The dotted path, e.g. `spec.registry.imagePushSecrets[0].prefix`. */
  readonly path: string;
  /** The field name (the last path segment without an index). */
  readonly name: string;
  /** The fields the CRD has at the parent (for UNKNOWN and REQUIRED), in the CRD's order. */
  readonly known: string[];
  /** The expected JSON type (TYPE), or what the string must be (FORMAT, e.g. `must match ^[a-z]+$`). */
  readonly expected?: string;
  /** The offending string (FORMAT). */
  readonly value?: string;
}

/** Options of a walk. */
export interface FieldWalkOptions {
  /** Report missing required fields (off for partial values such as a raw spec merged into a typed one). */
  readonly checkRequired: boolean;
}

/**
 * The first problem of `value` against `field`, depth first: at each object its unknown fields (in the value's key
 * order) come before the problems of its known fields (in the CRD's order).
 */
export function findFieldProblem(value: unknown, field: CrdField, path: string, options: FieldWalkOptions): FieldProblem | undefined {
  const name = path.replace(/\[\d+\]$/, '').split('.').pop()!;
  const actual = jsonType(value);
  if (field.type !== undefined && actual !== field.type && !(field.type === 'number' && actual === 'integer')) {
    return { kind: FieldProblemKind.TYPE, path, name, known: [], expected: field.type };
  }
  if (typeof value === 'string') {
    const format = formatProblem(value, field);
    return format === undefined ? undefined : { kind: FieldProblemKind.FORMAT, path, name, known: [], expected: format, value };
  }
  if (Array.isArray(value)) {
    return field.items === undefined ? undefined : firstOf(value, (item, index) => findFieldProblem(item, field.items!, `${path}[${index}]`, options));
  }
  if (actual === 'object' && !field.anything) {
    return objectProblem(value as { [key: string]: unknown }, field, path, options);
  }
  return undefined;
}

function objectProblem(value: { [key: string]: unknown }, field: CrdField, path: string, options: FieldWalkOptions): FieldProblem | undefined {
  const properties = field.properties ?? {};
  const known = Object.keys(properties);
  const extra = Object.keys(value).filter(key => !(key in properties));
  if (extra.length > 0 && field.additionalProperties === undefined) {
    return { kind: FieldProblemKind.UNKNOWN, path: `${path}.${extra[0]}`, name: extra[0], known };
  }
  // A map (`additionalProperties`): every other key is valid, its value must fit the map's value schema.
  const mapProblem = firstOf(extra, key => findFieldProblem(value[key], field.additionalProperties!, `${path}.${key}`, options));
  if (mapProblem !== undefined) {
    return mapProblem;
  }
  return firstOf(known, key => {
    if (value[key] !== undefined) {
      return findFieldProblem(value[key], properties[key], `${path}.${key}`, options);
    }
    return options.checkRequired && (field.required ?? []).includes(key)
      ? { kind: FieldProblemKind.REQUIRED, path: `${path}.${key}`, name: key, known }
      : undefined;
  });
}

/** Whether the CRD has a field at `path` (segments below `field`; an array's items are walked through). */
export function hasField(field: CrdField, path: readonly string[]): boolean {
  let current: CrdField | undefined = field;
  for (const segment of path) {
    while (current?.items !== undefined) {
      current = current.items;
    }
    current = current?.anything ? current : current?.properties?.[segment] ?? current?.additionalProperties;
    if (current === undefined) {
      return false;
    }
  }
  return true;
}

// The API server checks these with Go: `pattern` with the regexp package (RE2 syntax, unanchored match), and
// `maxLength` in Unicode code points (utf8.RuneCountInString), not in UTF-16 units.
function formatProblem(value: string, field: CrdField): string | undefined {
  if (field.enum !== undefined && !field.enum.includes(value)) {
    return `must be one of ${field.enum.join(', ')}`;
  }
  if (field.maxLength !== undefined && codePoints(value) > field.maxLength) {
    return `must have at most ${field.maxLength} characters`;
  }
  if (field.pattern !== undefined && !goPattern(field.pattern).matcher(value).find()) {
    return `must match ${field.pattern}`;
  }
  return undefined;
}

function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) {
    count++;
  }
  return count;
}

const compiledPatterns = new Map<string, RE2JS>();

function goPattern(pattern: string): RE2JS {
  let compiled = compiledPatterns.get(pattern);
  if (compiled === undefined) {
    compiled = RE2JS.compile(pattern);
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

function jsonType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'array';
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'integer' : 'number';
  }
  return typeof value;
}

function firstOf<T, R>(items: readonly T[], find: (item: T, index: number) => R | undefined): R | undefined {
  for (let index = 0; index < items.length; index++) {
    const found = find(items[index], index);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}
