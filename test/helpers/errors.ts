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
