import { ValidationError } from '../../src/errors';

/** The ValidationError `thunk` throws; fails the test when it throws nothing or another kind of error. */
export function validationErrorOf(thunk: () => unknown): ValidationError {
  try {
    thunk();
  } catch (err) {
    if (err instanceof ValidationError) {
      return err;
    }
    throw err;
  }
  throw new Error('expected a ValidationError, but nothing was thrown');
}

/** The parts of one validation message, as `ValidationError` writes them. */
export interface ValidationMessage {
  readonly message: string;
  readonly property: string;
  readonly problem: string;
  readonly fix: string;
}

/**
 * The first problem a synth (or construction) reports: a ValidationError thrown at construction, or the first message
 * of the "Validation failed" report cdk8s makes of the validations at synth (which report all problems together).
 */
export function firstProblemOf(thunk: () => unknown): ValidationMessage {
  try {
    thunk();
  } catch (err) {
    if (err instanceof ValidationError) {
      return { message: err.message, property: err.property, problem: err.problem, fix: err.fix };
    }
    const message = (err as Error).message ?? '';
    if (!message.startsWith('Validation failed with the following errors:')) {
      throw err;
    }
    const first = message.split('\n')[1].trim().replace(/^(\[[^\]]*\] )+/, '');
    const colon = first.indexOf(': ');
    const fixAt = first.lastIndexOf('. Fix: ');
    const rest = first.slice(colon + 2, fixAt);
    const gotAt = rest.lastIndexOf(' (got ');
    return { message: first, property: first.slice(0, colon), problem: gotAt >= 0 ? rest.slice(0, gotAt) : rest, fix: first.slice(fixAt + 7) };
  }
  throw new Error('expected a ValidationError or a failed synth, but nothing was thrown');
}
