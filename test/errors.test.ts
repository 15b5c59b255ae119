import { Testing } from 'cdk8s';
import { ValidationError } from '../src/errors';

describe('ValidationError', () => {
  test('is an Error whose message names the construct path, property, value and fix', () => {
    const chart = Testing.chart();
    const error = new ValidationError({ scope: chart, property: 'credentials[0].registry', value: 'ghcr.io:443', problem: 'has an explicit port', fix: 'write "ghcr.io"' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.name).toBe('ValidationError');
    expect(error.message).toBe('[test] credentials[0].registry: has an explicit port (got "ghcr.io:443"). Fix: write "ghcr.io"');
    expect(error.stack).toContain('ValidationError');
    expect(() => { throw error; }).toThrow(/credentials\[0\]\.registry/);
  });

  test('never shows a secret value, only its length', () => {
    const error = new ValidationError({ property: 'password', value: 's3cr3t-token', secret: true, problem: 'is wrong', fix: 'fix it' });
    expect(error.message).not.toContain('s3cr3t-token');
    expect(error.message).toContain('<redacted secret, 12 characters>');
    expect(error.constructPath).toBe('');
  });

  test('shortens long values and omits absent ones', () => {
    const long = new ValidationError({ property: 'image', value: 'a'.repeat(500), problem: 'is too long', fix: 'shorten it' });
    expect(long.message).toContain('... (500 characters)');
    expect(long.message.length).toBeLessThan(300);
    const none = new ValidationError({ property: 'credentials', problem: 'is empty', fix: 'add one' });
    expect(none.message).toBe('credentials: is empty. Fix: add one');
  });

  test('isValidationError recognizes errors of another copy of the package, where instanceof fails', () => {
    let OtherCopy: typeof ValidationError | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second module instance is the point
      OtherCopy = require('../src/errors').ValidationError;
    });
    const foreign = new OtherCopy!({ property: 'name', problem: 'is bad', fix: 'fix it' });
    expect(OtherCopy).not.toBe(ValidationError);
    expect(foreign instanceof ValidationError).toBe(false);
    expect(ValidationError.isValidationError(foreign)).toBe(true);
    expect(ValidationError.isValidationError(new ValidationError({ property: 'x', problem: 'p', fix: 'f' }))).toBe(true);
    for (const other of [new Error('x'), { name: 'ValidationError', message: 'x' }, null, undefined, 'ValidationError', 42]) {
      expect(ValidationError.isValidationError(other)).toBe(false);
    }
  });
});
