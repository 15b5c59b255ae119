import { Chart, Testing } from 'cdk8s';
import { KubernetesNames } from '../src/names';
import { validationErrorOf } from './helpers/errors';

describe('DNS-1123 labels', () => {
  test.each(['a', 'dp-acme-web-dev-1a2b3c4d', 'x'.repeat(63), '0abc', 'a-b'])('%s is a label', value => {
    expect(KubernetesNames.isDns1123Label(value)).toBe(true);
  });

  test.each([
    ['', /must not be empty/],
    ['x'.repeat(64), /at most 63 characters \(it has 64\)/],
    ['Reg_Cred', /DNS-1123 label/],
    ['-abc', /DNS-1123 label/],
    ['abc-', /DNS-1123 label/],
    ['a.b', /DNS-1123 label/],
    ['ünïcode', /DNS-1123 label/],
  ])('%j is not a label', (value, problem) => {
    expect(KubernetesNames.isDns1123Label(value)).toBe(false);
    expect(KubernetesNames.checkDns1123Label(value)).toMatch(problem);
  });
});

describe('DNS-1123 subdomains', () => {
  test.each(['regcred', 'a.b.c', 'x'.repeat(253), 'build-pipeline-web.v2'])('%s is a subdomain', value => {
    expect(KubernetesNames.isDns1123Subdomain(value)).toBe(true);
  });

  test.each(['', 'x'.repeat(254), 'a..b', '.a', 'a.', 'UPPER', 'a_b'])('%j is not a subdomain', value => {
    expect(KubernetesNames.isDns1123Subdomain(value)).toBe(false);
  });
});

describe('label and annotation keys, label values', () => {
  test.each(['app', 'cdk8s-registries/purpose', 'build.konflux-ci.dev/common-secret', 'A_b.c-D'])('key %s is valid', key => {
    expect(KubernetesNames.isLabelKey(key)).toBe(true);
    expect(KubernetesNames.isAnnotationKey(key)).toBe(true);
  });

  test.each([
    ['', /non-empty name part/],
    ['a/b/c', /single "\/"/],
    ['Example.com/x', /prefix that must be a DNS-1123 subdomain/],
    ['example.com/', /non-empty name part/],
    ['example.com/-x', /starting and ending with a letter or digit/],
    [`example.com/${'x'.repeat(64)}`, /at most 63 characters/],
  ])('key %j is invalid', (key, problem) => {
    expect(KubernetesNames.isLabelKey(key)).toBe(false);
    expect(KubernetesNames.checkQualifiedName(key)).toMatch(problem);
  });

  test.each(['', 'true', 'pull-and-push', 'v1.2_3'])('value %j is valid', value => {
    expect(KubernetesNames.isLabelValue(value)).toBe(true);
  });

  test.each(['x'.repeat(64), '-x', 'x-', 'a b', 'ghcr.io/acme'])('value %j is invalid', value => {
    expect(KubernetesNames.isLabelValue(value)).toBe(false);
  });
});

describe('validate… throws a ValidationError naming the construct, the property and the fix', () => {
  const chart = (): Chart => Testing.chart();

  test.each([
    ['validateDns1123Label', 'Reg_Cred', /suggest|e\.g\. "reg-cred"/],
    ['validateDns1123Subdomain', 'My Secret', /e\.g\. "my-secret"/],
    ['validateQualifiedName', 'a/b/c', /example\.com\/name/],
    ['validateLabelValue', '-x', /at most 63 letters/],
  ] as const)('%s(%j)', (method, value, fix) => {
    const scope = chart();
    const error = validationErrorOf(() => (KubernetesNames[method] as any)(value, 'metadata.name', scope));
    expect(error.constructPath).toBe('test');
    expect(error.property).toBe('metadata.name');
    expect(error.message).toContain('[test] metadata.name:');
    expect(error.message).toContain(JSON.stringify(value));
    expect(error.fix).toMatch(fix);
  });

  test('a valid value does not throw', () => {
    expect(() => KubernetesNames.validateDns1123Label('team-a', 'namespace')).not.toThrow();
  });
});
