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
  const parameters = METHOD_SHAPES[method] ?? [];
  parameters.forEach(([declared, type], index) => {
    const optional = declared.endsWith('?');
    const name = optional ? declared.slice(0, -1) : declared;
    const context = { scope, property: name };
    if (args[index] === undefined) {
      if (!optional) {
        throw new ValidationError({ ...context, problem: 'is required', fix: `pass ${describeExpected(type)}` });
      }
      return;
    }
    checkValue(args[index], type, context);
  });
}

/** Better fixes than "give <name>" for required properties whose absence usually means something else was meant. */
const REQUIRED_HINTS: { [structProperty: string]: string } = {
  'ImagePushSecret.secret': 'give the push secret for this prefix; a prefix pushed to without credentials goes under unauthenticated instead',
  'DataPlaneClusterAgent.clientCa': 'give clientCa: DataPlaneClientCa.fromSecret(name, key) or DataPlaneClientCa.fromPem(pem)',
};

function checkStruct(value: unknown, structName: string, context: CheckContext): object {
  const shape = PROPS_SHAPES[structName];
  const struct = requireStruct(value, { ...context, property: context.property || 'props' }, `pass a ${structName} object literal`);
  const copy: { [key: string]: unknown } = {};
  for (const key of ownKeys(struct, context)) {
    copy[key] = read(struct, key, context);
  }
  // Symbol-keyed properties are how the library's own constructs hand internal data to their base classes.
  for (const symbol of Object.getOwnPropertySymbols(struct)) {
    (copy as any)[symbol] = (struct as any)[symbol];
  }
  for (const [declared, type] of Object.entries(shape)) {
    const optional = declared.endsWith('?');
    const name = optional ? declared.slice(0, -1) : declared;
    const field = { scope: context.scope, property: memberName(context.property, name) };
    if (!(name in copy)) {
      copy[name] = read(struct, name, context); // inherited or non-enumerable
    }
    if (copy[name] === undefined) {
      if (!optional) {
        throw new ValidationError({ ...field, problem: 'is required', fix: REQUIRED_HINTS[`${structName}.${name}`] ?? `give ${name} (${describeExpected(type)})` });
      }
      continue;
    }
    copy[name] = checkValue(copy[name], type, field);
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

function checkValue(value: unknown, type: string, context: CheckContext): unknown {
  const collection = /^(array|map)<(.*)>$/.exec(type);
  if (collection) {
    return collection[1] === 'array' ? checkArray(value, collection[2], context) : checkMap(value, collection[2], context);
  }
  const [kind, name] = type.includes(':') ? [type.slice(0, type.indexOf(':')), type.slice(type.indexOf(':') + 1)] : [type, ''];
  switch (kind) {
    case 'string':
    case 'boolean':
      return expect(typeof value === kind, value, type, context);
    case 'number':
      return expect(typeof value === 'number' && Number.isFinite(value), value, type, context);
    case 'struct':
      return checkStruct(value, name, context);
    case 'enum':
      return expect(typeof value === 'string' && Object.values(ownExport(name) ?? {}).includes(value), value, type, context);
    case 'class':
      return expect(isInstance(value, ownExport(name)), value, type, context);
    case 'external':
      if (name === 'constructs.IConstruct' || name === 'constructs.Construct') {
        return expect(isConstruct(value), value, type, context);
      }
      return expect(isObject(value), value, type, context);
    default:
      // Interfaces (IRegistrySecret, kplus.IServiceAccount, ...) and structs of other packages: objects.
      return kind === 'any' || kind === 'json' ? value : expect(isObject(value), value, type, context);
  }
}

function checkArray(value: unknown, elementType: string, context: CheckContext): unknown[] {
  expect(Array.isArray(value), value, `array<${elementType}>`, context);
  return (value as unknown[]).map((element, index) => checkValue(element, elementType, { ...context, property: `${context.property}[${index}]` }));
}

function checkMap(value: unknown, elementType: string, context: CheckContext): { [key: string]: unknown } {
  expect(isObject(value) && !Array.isArray(value), value, `map<${elementType}>`, context);
  const copy: { [key: string]: unknown } = {};
  for (const key of ownKeys(value as object, context)) {
    const element = read(value as object, key, context);
    copy[key] = checkValue(element, elementType, { ...context, property: `${context.property}["${key.slice(0, 60)}"]` });
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
// that checks its props import every other one (and cycles would leave some of them undefined at load time).
function ownExport(name: string): any {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./index')[name];
}
