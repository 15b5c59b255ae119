import { IConstruct } from 'constructs';
import { ValidationError } from './errors';
import { METHOD_SHAPES, PROPS_SHAPES } from './props-shapes.generated';
import { CheckContext, describeType, isConstruct, requireStruct } from './runtime-checks';

// Checks a props struct of the public API against its declared types (generated from the jsii assembly), so a
// JavaScript caller — or a TypeScript one with `process.env.X!` or `as any` — gets a ValidationError naming the
// property, not a TypeError from deep inside a construct. Values are never shown: a wrong-typed value may be a pasted
// credential.

/**
 * Checks `props` against the shape of the struct `structName` and returns a shallow copy in which every property has
 * been read once (so no getter runs, or throws, later). Unknown properties are kept as given.
 *
 * @param property how the error names the props, e.g. `props`
 */
export function checkProps<T>(scope: IConstruct | undefined, props: T, structName: string, property = ''): T {
  return checkStruct(props, structName, { scope, property }) as T;
}

/** `parent.name`, or `name` at the top of the props (the library names props fields without a `props.` prefix). */
function memberName(parent: string, name: string): string {
  return parent ? `${parent}.${name}` : name;
}

/** Like `checkProps`, for optional props: `undefined` gives `{}`. */
export function checkOptionalProps<T>(scope: IConstruct | undefined, props: T | undefined, structName: string, property = ''): T {
  return (props === undefined ? {} : checkProps(scope, props, structName, property)) as T;
}

/**
 * Checks the arguments of the public static method `method` (`Class.method`) against its declared parameter types,
 * so a JavaScript caller gets a ValidationError naming the parameter. Struct arguments are checked in depth.
 *
 * @param args the arguments, in order
 */
export function checkArgs(method: string, args: readonly unknown[], scope?: IConstruct): void {
  compiledParameters(method).forEach((parameter, index) => {
    const context = { scope, property: parameter.name };
    if (args[index] === undefined) {
      if (!parameter.optional) {
        throw new ValidationError({ ...context, problem: 'is required', fix: `pass ${describeExpected(parameter.type.declared)}` });
      }
      return;
    }
    checkValue(args[index], parameter.type, context);
  });
}

/** Better fixes than "give <name>" for required properties whose absence usually means something else was meant. */
const REQUIRED_HINTS: { [structProperty: string]: string } = {
  'ImagePushSecret.secret': 'give the push secret for this prefix; a prefix pushed to without credentials goes under unauthenticated instead',
  'DataPlaneClusterAgent.clientCa': 'give clientCa: DataPlaneClientCa.fromSecret(name, key) or DataPlaneClientCa.fromPem(pem)',
};

// Every struct is checked at every construct, thousands of times in a platform-sized app: the shape strings are
// parsed once into these, and the error contexts (property paths) are built only when a check fails or descends.

/** One parsed type string of the generated shapes, e.g. `array<struct:ArgoCdOptions>`. */
interface TypeShape {
  /** The type string as generated, for messages and fixes. */
  readonly declared: string;
  readonly kind: string;
  /** The struct, enum, class or external type name (after the `:`). */
  readonly name: string;
  /** The element type of `array<…>` and `map<…>`. */
  readonly element?: TypeShape;
}

interface FieldShape {
  readonly name: string;
  readonly optional: boolean;
  readonly type: TypeShape;
}

const typeShapes = new Map<string, TypeShape>();
const structShapes = new Map<string, FieldShape[]>();
const parameterShapes = new Map<string, FieldShape[]>();

function compiledType(declared: string): TypeShape {
  let shape = typeShapes.get(declared);
  if (shape === undefined) {
    const collection = /^(array|map)<(.*)>$/.exec(declared);
    const colon = declared.indexOf(':');
    shape = collection
      ? { declared, kind: collection[1], name: '', element: compiledType(collection[2]) }
      : { declared, kind: colon < 0 ? declared : declared.slice(0, colon), name: colon < 0 ? '' : declared.slice(colon + 1) };
    typeShapes.set(declared, shape);
  }
  return shape;
}

function compiledFields(entries: ReadonlyArray<readonly [string, string]>): FieldShape[] {
  return entries.map(([declared, type]) => {
    const optional = declared.endsWith('?');
    return { name: optional ? declared.slice(0, -1) : declared, optional, type: compiledType(type) };
  });
}

function compiledStruct(structName: string): FieldShape[] {
  let fields = structShapes.get(structName);
  if (fields === undefined) {
    fields = compiledFields(Object.entries(PROPS_SHAPES[structName] ?? {}));
    structShapes.set(structName, fields);
  }
  return fields;
}

function compiledParameters(method: string): FieldShape[] {
  let parameters = parameterShapes.get(method);
  if (parameters === undefined) {
    parameters = compiledFields(METHOD_SHAPES[method] ?? []);
    parameterShapes.set(method, parameters);
  }
  return parameters;
}

function checkStruct(value: unknown, structName: string, context: CheckContext): object {
  const struct = requireStruct(value, { ...context, property: context.property || 'props' }, `pass a ${structName} object literal`);
  const copy: { [key: string]: unknown } = {};
  for (const key of ownKeys(struct, context)) {
    copy[key] = read(struct, key, context);
  }
  // Symbol-keyed properties are how the library's own constructs hand internal data to their base classes.
  for (const symbol of Object.getOwnPropertySymbols(struct)) {
    (copy as any)[symbol] = (struct as any)[symbol];
  }
  for (const field of compiledStruct(structName)) {
    const name = field.name;
    if (!(name in copy)) {
      copy[name] = read(struct, name, context); // inherited or non-enumerable
    }
    const fieldValue = copy[name];
    if (fieldValue === undefined) {
      if (!field.optional) {
        throw new ValidationError({
          scope: context.scope,
          property: memberName(context.property, name),
          problem: 'is required',
          fix: REQUIRED_HINTS[`${structName}.${name}`] ?? `give ${name} (${describeExpected(field.type.declared)})`,
        });
      }
      continue;
    }
    copy[name] = passesShallowly(fieldValue, field.type)
      ? fieldValue
      : checkValue(fieldValue, field.type, { scope: context.scope, property: memberName(context.property, name) });
  }
  return copy;
}

/** `struct[name]`; a getter that throws becomes a ValidationError naming the property (never its message). */
function read(struct: object, name: string, context: CheckContext): unknown {
  try {
    return (struct as { [key: string]: unknown })[name];
  } catch {
    throw new ValidationError({
      scope: context.scope,
      property: memberName(context.property, name),
      problem: 'could not be read: its getter threw',
      fix: 'pass a plain object literal whose properties are values, not getters that throw',
    });
  }
}

function ownKeys(struct: object, context: CheckContext): string[] {
  try {
    return Object.keys(struct);
  } catch {
    throw new ValidationError({
      scope: context.scope,
      property: context.property || 'props',
      problem: 'could not be read: listing its properties threw',
      fix: 'pass a plain object literal',
    });
  }
}

/**
 * Whether `value` passes `type` without any check below it (the common case of a string, boolean, number or enum
 * field), so that no error context is built for it.
 */
function passesShallowly(value: unknown, type: TypeShape): boolean {
  switch (type.kind) {
    case 'string':
    case 'boolean':
      return typeof value === type.kind;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'enum':
      return typeof value === 'string' && enumValues(type.name).has(value);
    default:
      return false;
  }
}

function checkValue(value: unknown, type: TypeShape, context: CheckContext): unknown {
  switch (type.kind) {
    case 'array':
      return checkArray(value, type, context);
    case 'map':
      return checkMap(value, type, context);
    case 'string':
    case 'boolean':
    case 'number':
    case 'enum':
      return expect(passesShallowly(value, type), value, type.declared, context);
    case 'struct':
      return checkStruct(value, type.name, context);
    case 'class':
      return expect(isInstance(value, ownExport(type.name)), value, type.declared, context);
    case 'external':
      if (type.name === 'constructs.IConstruct' || type.name === 'constructs.Construct') {
        return expect(isConstruct(value), value, type.declared, context);
      }
      return expect(isObject(value), value, type.declared, context);
    default:
      // Interfaces (IRegistrySecret, kplus.IServiceAccount, ...) and structs of other packages: objects.
      return type.kind === 'any' || type.kind === 'json' ? value : expect(isObject(value), value, type.declared, context);
  }
}

function checkArray(value: unknown, type: TypeShape, context: CheckContext): unknown[] {
  expect(Array.isArray(value), value, type.declared, context);
  const element = type.element!;
  return (value as unknown[]).map((item, index) => (passesShallowly(item, element)
    ? item
    : checkValue(item, element, { ...context, property: `${context.property}[${index}]` })));
}

function checkMap(value: unknown, type: TypeShape, context: CheckContext): { [key: string]: unknown } {
  expect(isObject(value) && !Array.isArray(value), value, type.declared, context);
  const element = type.element!;
  const copy: { [key: string]: unknown } = {};
  for (const key of ownKeys(value as object, context)) {
    const item = read(value as object, key, context);
    copy[key] = passesShallowly(item, element)
      ? item
      : checkValue(item, element, { ...context, property: `${context.property}["${key.slice(0, 60)}"]` });
  }
  return copy;
}

function expect(ok: boolean, value: unknown, type: string, context: CheckContext): unknown {
  if (!ok) {
    throw new ValidationError({
      scope: context.scope,
      property: context.property,
      problem: `must be ${describeExpected(type)}, not ${describeType(value)}`,
      fix: fixFor(type),
    });
  }
  return value;
}

function describeExpected(type: string): string {
  const collection = /^(array|map)<(.*)>$/.exec(type);
  if (collection) {
    return collection[1] === 'array' ? `an array of ${describeExpected(collection[2])}` : `a map of string keys to ${describeExpected(collection[2])}`;
  }
  // `class:SecretValue` -> SecretValue, `external:cdk8s.Duration` -> Duration
  const name = type.slice(type.indexOf(':') + 1).split('.').pop()!;
  switch (type.split(':')[0]) {
    case 'string': return 'a string';
    case 'number': return 'a finite number';
    case 'boolean': return 'true or false';
    case 'enum': return `${article(name)} ${name} value`;
    default: return `${article(name)} ${name}`;
  }
}

function article(name: string): string {
  return /^[AEIOU]/.test(name) ? 'an' : 'a';
}

function fixFor(type: string): string {
  const [kind, name] = type.split(':');
  switch (kind) {
    case 'enum': return `use one of ${Object.keys(ownExport(name) ?? {}).map(key => `${name}.${key}`).join(', ')}`;
    case 'class': return `build it with ${name}'s constructor or static factories`;
    case 'struct': return `pass a ${name} object literal`;
    default: return `pass ${describeExpected(type)}`;
  }
}

function isObject(value: unknown): boolean {
  return value !== null && (typeof value === 'object' || typeof value === 'function');
}

function isInstance(value: unknown, type: unknown): boolean {
  if (typeof type !== 'function') {
    return isObject(value);
  }
  try {
    return value instanceof (type as new () => unknown);
  } catch {
    return false; // a proxy whose getPrototypeOf trap throws
  }
}

// The classes and enums of the public API, looked up when a check runs: importing them here would make every module
// that checks its props import every other one (and cycles would leave some of them undefined at load time). The
// package root is loaded completely by the time any construct or factory runs, so it is looked up once.
let packageRoot: { [name: string]: any } | undefined;

function ownExport(name: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  packageRoot ??= require('./index') as { [name: string]: any };
  return packageRoot[name];
}

const enumValueSets = new Map<string, ReadonlySet<unknown>>();

function enumValues(name: string): ReadonlySet<unknown> {
  let values = enumValueSets.get(name);
  if (values === undefined) {
    values = new Set(Object.values(ownExport(name) ?? {}));
    enumValueSets.set(name, values);
  }
  return values;
}
