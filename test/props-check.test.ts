import * as fs from 'fs';
import { Chart, Testing } from 'cdk8s';
import { ASSEMBLY, renderShapes, SHAPES_FILE } from '../scripts/props-shapes';
import { RegistryCredentials, RegistrySecret, SecretValue, ValidationError } from '../src';
import { checkArgs, checkProps } from '../src/props-check';
import { validationErrorOf } from './helpers/errors';

describe('src/props-shapes.generated.ts', () => {
  test('is what scripts/props-shapes.ts renders from the jsii assembly (if not: npx projen compile && npx ts-node -P test/tsconfig.json scripts/props-shapes.ts)', () => {
    if (!fs.existsSync(ASSEMBLY)) {
      throw new Error('no .jsii assembly: run `npx projen compile` first (the build does)');
    }
    expect(fs.readFileSync(SHAPES_FILE, 'utf8')).toEqual(renderShapes(JSON.parse(fs.readFileSync(ASSEMBLY, 'utf8'))));
  });
});

describe('checkProps', () => {
  const chart = () => new Chart(Testing.app(), 'c', { namespace: 'team-a' });
  const creds = () => [RegistryCredentials.githubToken('octo', SecretValue.unsafePlainText('t'))];

  test.each([
    ['props itself', undefined, 'props: must be an object, not undefined'],
    ['a missing required property', {}, 'credentials: is required. Fix: give credentials (an array of a RegistryCredentials)'],
    ['a string for an array', { credentials: 'ghcr.io' }, 'credentials: must be an array of a RegistryCredentials, not a string'],
    ['a plain object inside the array', { credentials: [{ registry: 'ghcr.io' }] }, 'credentials[0]: must be a RegistryCredentials, not a plain object'],
    ['a number for a string', { credentials: 'CREDS', name: 7 }, 'name: must be a string, not a number'],
    ['a string for a map', { credentials: 'CREDS', labels: 'team=a' }, 'labels: must be a map of string keys to a string, not a string'],
    ['a number inside a map', { credentials: 'CREDS', labels: { team: 1 } }, 'labels["team"]: must be a string, not a number'],
    ['an unknown enum value', { credentials: 'CREDS', purpose: 'pulling' }, 'purpose: must be a RegistryPurpose value, not a string. Fix: use one of RegistryPurpose.PULL'],
    ['a nested struct of the wrong type', { credentials: 'CREDS', argoCd: { syncWave: '1' } }, 'argoCd.syncWave: must be a finite number, not a string'],
    ['a getter that throws', { credentials: 'CREDS', get name(): string { throw new Error('boom'); } }, 'name: could not be read: its getter threw'],
  ])('%s', (_name, raw, expected) => {
    const scope = chart();
    // Keep getters as getters: replace the marker by redefining only the credentials property.
    const props = raw && (raw as any).credentials === 'CREDS' ? Object.defineProperty(raw, 'credentials', { value: creds() }) : raw;
    const error = validationErrorOf(() => new RegistrySecret(scope, 'Pull', props as any));
    expect(error.message).toContain(`[c/Pull] ${expected}`);
  });

  test('returns a copy with every property read once, and keeps unknown properties', () => {
    let reads = 0;
    const props = { credentials: creds(), get name() { reads++; return 'pull'; }, extra: 1 };
    const copy = checkProps(undefined, props, 'RegistrySecretProps');
    expect(reads).toBe(1);
    expect(copy).toEqual({ credentials: props.credentials, name: 'pull', extra: 1 });
  });

  test('a value that looks like a credential is never echoed, whatever the field', () => {
    const token = 'ghp_' + 'a'.repeat(36);
    const error = validationErrorOf(() => new RegistrySecret(chart(), 'Pull', { name: token, credentials: creds() }));
    expect(error.message).not.toContain(token);
    expect(error.message).toContain('<redacted secret, 40 characters>');
  });
});

describe('checkArgs', () => {
  test('names the method and the parameter', () => {
    const error = validationErrorOf(() => checkArgs('OpenChoreoNames.dataPlaneNamespace', ['acme', 7, 'prod']));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('project: must be a string, not a number. Fix: pass a string');
  });

  test('a missing required argument, an optional one left out', () => {
    expect(validationErrorOf(() => checkArgs('DataPlaneClientCa.fromSecret', ['ca'])).message).toContain('key: is required');
    expect(() => checkArgs('DataPlaneClientCa.fromSecret', ['ca', 'ca.crt'])).not.toThrow();
  });
});
