import { IConstruct } from 'constructs';
import { credentialShapeProblem } from './values/credential-patterns';

/**
 * Everything a `ValidationError` reports about one bad input.
 */
export interface ValidationErrorProps {
  /**
   * The construct whose input was bad; its path is named in the message.
   *
   * @default - no construct path (the input was given to a value class such as `ImageReference`)
   */
  readonly scope?: IConstruct;

  /**
   * The property or argument that holds the bad value, e.g. `credentials[0].registry`.
   */
  readonly property: string;

  /**
   * The bad value as given. Ignored when `secret` is true.
   *
   * @default - no value is shown
   */
  readonly value?: string;

  /**
   * Whether the value is secret material. Secret values are never shown, only their length.
   *
   * @default false
   */
  readonly secret?: boolean;

  /**
   * What is wrong, in a short sentence.
   */
  readonly problem: string;

  /**
   * How to fix it.
   */
  readonly fix: string;
}

/**
 * The error raised for every input the library rejects.
 *
 * Its message names the construct path (when there is one), the property, the bad value (redacted when secret) and
 * how to fix it:
 * `[chart/pull-secret] credentials[0].registry: "ghcr.io:443" has an explicit :443 port ... Fix: write "ghcr.io".`
 */
export class ValidationError {
  /**
   * Whether `x` is a `ValidationError` of this library, also one thrown by another copy of the package (two versions
   * in one `node_modules`, or a jsii runtime), where `instanceof` says no.
   *
   * @param x any value, e.g. a caught error
   */
  public static isValidationError(x: any): boolean {
    return x !== null && typeof x === 'object' && x[VALIDATION_ERROR_BRAND] === true;
  }

  /** Always `ValidationError`. */
  public readonly name: string;
  /** The full message: construct path, property, problem, value and fix. */
  public readonly message: string;
  /** Where the error was raised. */
  public readonly stack?: string;
  /** The construct path, or an empty string when the input was not given to a construct. */
  public readonly constructPath: string;
  /** The property or argument that holds the bad value. */
  public readonly property: string;
  /** The bad value as shown in the message (redacted when secret); empty when none is shown. */
  public readonly shownValue: string;
  /** What is wrong. */
  public readonly problem: string;
  /** How to fix it. */
  public readonly fix: string;

  constructor(props: ValidationErrorProps) {
    Object.defineProperty(this, VALIDATION_ERROR_BRAND, { value: true });
    const constructPath = pathOf(props.scope);
    const shownValue = showValue(props);
    const where = constructPath ? `[${constructPath}] ` : '';
    const got = shownValue ? ` (got ${shownValue})` : '';
    this.name = 'ValidationError';
    this.message = `${where}${props.property}: ${props.problem}${got}. Fix: ${props.fix}`;
    Error.captureStackTrace(this, ValidationError);
    this.constructPath = constructPath;
    this.property = props.property;
    this.shownValue = shownValue;
    this.problem = props.problem;
    this.fix = props.fix;
  }
}

// A brand shared by every copy of the package (Symbol.for is global), as aws-cdk-lib's errors do.
const VALIDATION_ERROR_BRAND = Symbol.for('cdk8s-registries.ValidationError');

// jsii cannot express a class that extends the built-in Error, so the prototype chain is joined at run time:
// `err instanceof Error` holds, throw sites and test runners treat it as a normal error.
Object.setPrototypeOf(ValidationError.prototype, Error.prototype);

const MAX_SHOWN_LENGTH = 120;

// A JavaScript caller may pass anything as a scope; the error about its input must not fail on it.
function pathOf(scope: IConstruct | undefined): string {
  try {
    const path = scope?.node?.path;
    return typeof path === 'string' ? path : '';
  } catch {
    return '';
  }
}

function showValue(props: ValidationErrorProps): string {
  if (props.value === undefined) {
    return '';
  }
  if (typeof props.value !== 'string') {
    return ''; // a JavaScript caller's wrong type: the property and the problem say enough
  }
  // A credential pasted into a field that is not secret (a name, a URL, a pattern) is never echoed either.
  if (props.secret || credentialShapeProblem(props.value) !== undefined) {
    return `<redacted secret, ${props.value.length} characters>`;
  }
  const value = props.value.length > MAX_SHOWN_LENGTH
    ? `${props.value.slice(0, MAX_SHOWN_LENGTH)}... (${props.value.length} characters)`
    : props.value;
  return JSON.stringify(value);
}
