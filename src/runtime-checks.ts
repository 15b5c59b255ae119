import { IConstruct } from 'constructs';
import { ValidationError } from './errors';

// Run-time type checks for public entry points (internal: not exported from index.ts).
//
// JavaScript callers have no compiler, and TypeScript callers reach the same state with `process.env.X!` or `as any`:
// every public factory and construct must turn a wrong type into a ValidationError that names the property, never a
// TypeError from deep inside, and never echo the value (a wrong-typed value may be a pasted credential). Property
// reads go through `readProperty`, which also survives objects whose getters throw (proxies, half-built objects).

/** Where an input was given: the property path, and the construct when there is one. */
export interface CheckContext {
  /** The property or argument, e.g. `RegistryCredentials.basic(username)` or `props.credentials[0]`. */
  readonly property: string;
  /** The construct the input was given to, if any; its path is named in the error. */
  readonly scope?: IConstruct;
}

/** A short description of a value's type that never shows the value itself. */
export function describeType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  switch (typeof value) {
    case 'undefined':
      return 'undefined';
    case 'string':
      return 'a string';
    case 'object': {
      const name = constructorName(value);
      return name && name !== 'Object' ? `an object of class ${name}` : 'a plain object';
    }
    case 'number':
    case 'bigint':
    case 'boolean':
    case 'symbol':
    case 'function':
    default:
      return `a ${typeof value}`;
  }
}

function constructorName(value: object): string | undefined {
  try {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return typeof name === 'string' && /^[A-Za-z_$][\w$]{0,60}$/.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

function typeError(context: CheckContext, expected: string, value: unknown, fix: string): ValidationError {
  return new ValidationError({
    scope: context.scope,
    property: context.property,
    problem: `must be ${expected}, not ${describeType(value)}`,
    fix,
  });
}

/** Returns `value` when it is a string (empty allowed), else throws a ValidationError naming the property. */
export function requireString(value: unknown, context: CheckContext, fix = 'pass a string'): string {
  if (typeof value !== 'string') {
    throw typeError(context, 'a string', value, fix);
  }
  return value;
}

/** `undefined` passes through; anything else must be a string. */
export function optionalString(value: unknown, context: CheckContext, fix = 'pass a string or leave it out'): string | undefined {
  return value === undefined ? undefined : requireString(value, context, fix);
}

/** `undefined` passes through; anything else must be a boolean. */
export function optionalBoolean(value: unknown, context: CheckContext): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw typeError(context, 'true or false', value, 'pass true or false, or leave it out');
  }
  return value as boolean | undefined;
}

/** Returns `value` when it is a finite number. */
export function requireNumber(value: unknown, context: CheckContext, fix = 'pass a number'): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw typeError(context, 'a finite number', value, fix);
  }
  return value;
}

/** Returns `value` when it is a real array (not an array-like, not a string). */
export function requireArray(value: unknown, context: CheckContext, fix = 'pass an array, e.g. [a, b]'): unknown[] {
  if (!Array.isArray(value)) {
    throw typeError(context, 'an array', value, fix);
  }
  return value;
}

/** Returns `value` when it is an object (a props struct): not null, not an array, not a primitive. */
export function requireStruct(value: unknown, context: CheckContext, fix = 'pass an object literal, e.g. { ... }'): object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw typeError(context, 'an object', value, fix);
  }
  return value;
}

/** `undefined` becomes `{}`; anything else must be a struct. */
export function optionalStruct(value: unknown, context: CheckContext, fix = 'pass an object literal or leave it out'): object {
  return value === undefined ? {} : requireStruct(value, context, fix);
}

/**
 * Reads `struct[name]` without letting a throwing getter or proxy trap escape as something else than a
 * ValidationError naming `<property>.<name>`. The getter's own error message is not shown (it may hold the value).
 */
export function readProperty(struct: object, name: string, context: CheckContext): unknown {
  try {
    return (struct as { [key: string]: unknown })[name];
  } catch {
    throw new ValidationError({
      scope: context.scope,
      property: `${context.property}.${name}`,
      problem: 'could not be read: its getter threw',
      fix: 'pass a plain object literal whose properties are values, not getters that throw',
    });
  }
}

/**
 * Reads the listed properties of a struct into a plain object, so that later code reads each getter once and never
 * throws from it. Unknown properties are ignored (as for TypeScript callers, whose extra properties are allowed).
 */
export function readStruct<T extends string>(value: unknown, names: readonly T[], context: CheckContext, optional = false): { [K in T]: unknown } {
  const struct = optional ? optionalStruct(value, context) : requireStruct(value, context);
  const result = {} as { [K in T]: unknown };
  for (const name of names) {
    result[name] = readProperty(struct, name, context);
  }
  return result;
}

/** The context of a struct member, e.g. `props` + `region` -> `props.region`. */
export function member(context: CheckContext, name: string): CheckContext {
  return { scope: context.scope, property: `${context.property}.${name}` };
}

/** A class, whatever its constructor's visibility (the library's value classes have private constructors). */
export type ClassOf<T> = Function & { readonly prototype: T };

/**
 * Returns `value` when it is an instance of `type`, e.g. a `SecretValue` where a plain string was given by mistake.
 *
 * @param typeName how the fix names the expected type, e.g. `SecretValue`
 * @param fix how to build one, e.g. `wrap it: SecretValue.unsafePlainText(process.env.TOKEN)`
 */
export function requireInstance<T>(value: unknown, type: ClassOf<T>, typeName: string, context: CheckContext, fix: string): T {
  let ok = false;
  try {
    ok = value instanceof (type as unknown as new () => T);
  } catch {
    ok = false; // a proxy whose getPrototypeOf trap throws
  }
  if (!ok) {
    throw typeError(context, `a ${typeName}`, value, fix);
  }
  return value as T;
}

/** `undefined` passes through; anything else must be an instance of `type`. */
export function optionalInstance<T>(value: unknown, type: ClassOf<T>, typeName: string, context: CheckContext, fix: string): T | undefined {
  return value === undefined ? undefined : requireInstance(value, type, typeName, context, fix);
}

/** Returns `value` when it is one of the enum's values; the value is shown only when it is a short plain string. */
export function requireEnumValue<T extends string>(value: unknown, values: { [key: string]: T }, typeName: string, context: CheckContext): T {
  const allowed = Object.values(values);
  if (typeof value === 'string' && (allowed as string[]).includes(value)) {
    return value as T;
  }
  throw new ValidationError({
    scope: context.scope,
    property: context.property,
    problem: typeof value === 'string' ? `is not a ${typeName}` : `must be a ${typeName}, not ${describeType(value)}`,
    fix: `use one of ${Object.keys(values).map(key => `${typeName}.${key}`).join(', ')}`,
  });
}

/** Whether `value` is a construct (has a `node` with a path), without letting a throwing getter escape. */
export function isConstruct(value: unknown): value is IConstruct {
  try {
    return value !== null && (typeof value === 'object' || typeof value === 'function')
      && typeof (value as IConstruct).node?.path === 'string';
  } catch {
    return false;
  }
}

/**
 * Throws unless `value` is a string with more than whitespace: names, codes, and the reasons opt-outs must give.
 * The value is shown (these are never credentials).
 */
export function requireText(scope: IConstruct | undefined, property: string, value: unknown): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError({
      scope,
      property,
      value: typeof value === 'string' ? value : typeof value,
      problem: 'must be a non-empty string',
      fix: property === 'reason' ? 'say why, so the next reader knows what the opt-out is for' : `give the ${property}`,
    });
  }
}
