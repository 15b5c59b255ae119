import { IConstruct } from 'constructs';
import { ValidationError } from './errors';
import { checkArgs } from './props-check';
import { describeType } from './runtime-checks';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

const LABEL_MAX = 63;
const SUBDOMAIN_MAX = 253;

/**
 * Kubernetes name rules (apimachinery `validation`): DNS-1123 labels and subdomains, label keys and values, and
 * annotation keys.
 *
 * The `check…` methods return the problem as a sentence, or `undefined` when the value is valid; the `validate…`
 * methods throw a `ValidationError` that names the property and the fix.
 *
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
 */
export class KubernetesNames {
  /** Whether `value` is a DNS-1123 label (namespaces, most object names that become DNS names or volume names). */
  public static isDns1123Label(value: string): boolean {
    return KubernetesNames.checkDns1123Label(value) === undefined;
  }

  /** Whether `value` is a DNS-1123 subdomain (Secret, ServiceAccount and most other object names). */
  public static isDns1123Subdomain(value: string): boolean {
    return KubernetesNames.checkDns1123Subdomain(value) === undefined;
  }

  /** Whether `value` is a valid label key (`[prefix/]name`). */
  public static isLabelKey(value: string): boolean {
    return KubernetesNames.checkQualifiedName(value) === undefined;
  }

  /** Whether `value` is a valid label value (may be empty). */
  public static isLabelValue(value: string): boolean {
    return KubernetesNames.checkLabelValue(value) === undefined;
  }

  /** Whether `value` is a valid annotation key (same rules as a label key). */
  public static isAnnotationKey(value: string): boolean {
    return KubernetesNames.checkQualifiedName(value) === undefined;
  }

  /** The problem with `value` as a DNS-1123 label, or `undefined` when it is one. */
  public static checkDns1123Label(value: string): string | undefined {
    if (typeof value !== 'string') {
      return `must be a string, not ${describeType(value)}`;
    }
    if (value.length === 0) {
      return 'must not be empty';
    }
    if (value.length > LABEL_MAX) {
      return `must be at most ${LABEL_MAX} characters (it has ${value.length})`;
    }
    if (!DNS1123_LABEL.test(value)) {
      return 'must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit';
    }
    return undefined;
  }

  /** The problem with `value` as a DNS-1123 subdomain, or `undefined` when it is one. */
  public static checkDns1123Subdomain(value: string): string | undefined {
    if (typeof value !== 'string') {
      return `must be a string, not ${describeType(value)}`;
    }
    if (value.length === 0) {
      return 'must not be empty';
    }
    if (value.length > SUBDOMAIN_MAX) {
      return `must be at most ${SUBDOMAIN_MAX} characters (it has ${value.length})`;
    }
    if (!DNS1123_SUBDOMAIN.test(value)) {
      return 'must be a DNS-1123 subdomain: lowercase letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit';
    }
    return undefined;
  }

  /** The problem with `value` as a label or annotation key, or `undefined` when it is one. */
  public static checkQualifiedName(value: string): string | undefined {
    if (typeof value !== 'string') {
      return `must be a string, not ${describeType(value)}`;
    }
    const parts = value.split('/');
    if (parts.length > 2) {
      return 'must be "name" or "prefix/name" with a single "/"';
    }
    const name = parts[parts.length - 1];
    if (parts.length === 2) {
      const prefixProblem = KubernetesNames.checkDns1123Subdomain(parts[0]);
      if (prefixProblem) {
        return `has a prefix that ${prefixProblem}`;
      }
    }
    if (name.length === 0) {
      return 'must have a non-empty name part';
    }
    if (name.length > LABEL_MAX) {
      return `must have a name part of at most ${LABEL_MAX} characters (it has ${name.length})`;
    }
    if (!QUALIFIED_NAME.test(name)) {
      return 'must have a name part of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
    }
    return undefined;
  }

  /** The problem with `value` as a label value, or `undefined` when it is one. */
  public static checkLabelValue(value: string): string | undefined {
    if (typeof value !== 'string') {
      return `must be a string, not ${describeType(value)}`;
    }
    if (value.length > LABEL_MAX) {
      return `must be at most ${LABEL_MAX} characters (it has ${value.length})`;
    }
    if (value.length > 0 && !QUALIFIED_NAME.test(value)) {
      return 'must be empty or letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
    }
    return undefined;
  }

  /**
   * Throws a `ValidationError` unless `value` is a DNS-1123 label.
   *
   * @param value the name to check
   * @param property the property that holds it, named in the error
   * @param scope the construct that received it, named in the error
   */
  public static validateDns1123Label(value: string, property: string, scope?: IConstruct): void {
    checkArgs('KubernetesNames.validateDns1123Label', [typeof value === 'string' ? value : '', property]); // a wrong-typed value is named below, with its property
    throwIf(KubernetesNames.checkDns1123Label(value), value, property, scope, suggestLabel(value));
  }

  /**
   * Throws a `ValidationError` unless `value` is a DNS-1123 subdomain.
   *
   * @param value the name to check
   * @param property the property that holds it, named in the error
   * @param scope the construct that received it, named in the error
   */
  public static validateDns1123Subdomain(value: string, property: string, scope?: IConstruct): void {
    checkArgs('KubernetesNames.validateDns1123Subdomain', [typeof value === 'string' ? value : '', property]); // a wrong-typed value is named below, with its property
    throwIf(KubernetesNames.checkDns1123Subdomain(value), value, property, scope, suggestLabel(value));
  }

  /**
   * Throws a `ValidationError` unless `value` is a valid label or annotation key.
   *
   * @param value the key to check
   * @param property the property that holds it, named in the error
   * @param scope the construct that received it, named in the error
   */
  public static validateQualifiedName(value: string, property: string, scope?: IConstruct): void {
    checkArgs('KubernetesNames.validateQualifiedName', [typeof value === 'string' ? value : '', property]); // a wrong-typed value is named below, with its property
    throwIf(KubernetesNames.checkQualifiedName(value), value, property, scope,
      'use "example.com/name": a lowercase DNS prefix, one "/", and a name of letters, digits, "-", "_" and "."');
  }

  /**
   * Throws a `ValidationError` unless `value` is a valid label value.
   *
   * @param value the label value to check
   * @param property the property that holds it, named in the error
   * @param scope the construct that received it, named in the error
   */
  public static validateLabelValue(value: string, property: string, scope?: IConstruct): void {
    checkArgs('KubernetesNames.validateLabelValue', [typeof value === 'string' ? value : '', property]); // a wrong-typed value is named below, with its property
    throwIf(KubernetesNames.checkLabelValue(value), value, property, scope,
      'use at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit');
  }
}

function throwIf(problem: string | undefined, value: string, property: string, scope: IConstruct | undefined, fix: string): void {
  if (problem) {
    throw new ValidationError({ scope, property, value: typeof value === 'string' ? value : undefined, problem, fix });
  }
}

/** A DNS-1123 spelling of `value` to suggest in an error, e.g. `Reg_Cred` -> `reg-cred`. */
function suggestLabel(value: string): string {
  if (typeof value !== 'string') {
    return 'pass a string of lowercase letters, digits and "-"';
  }
  const suggestion = value.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, LABEL_MAX);
  return suggestion && suggestion !== value
    ? `use lowercase letters, digits and "-", e.g. "${suggestion}"`
    : 'use lowercase letters, digits and "-", at most 63 characters, starting and ending with a letter or digit';
}
