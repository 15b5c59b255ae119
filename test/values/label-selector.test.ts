import { Chart, Testing } from 'cdk8s';
import { ValidationError } from '../../src/errors';
import { LabelSelector, LabelSelectorOperator } from '../../src/values/label-selector';
import { validationErrorOf } from '../helpers/errors';
import { loadReferenceJson } from '../helpers/reference';

interface SelectorCase {
  readonly selector: string;
  readonly namespaceLabels: { [key: string]: string };
  readonly matches: boolean;
}

const reflectorCases: SelectorCase[] = loadReferenceJson('replication', 'reflector-namespace-matching.json').labelSelectorCasesFromTests;

/**
 * The reflector's test rows with selectors that apimachinery `labels.Parse` also rejects (the reflector fails closed on
 * them, matching nothing); the reason is what apimachinery reports.
 */
const MALFORMED: { [selector: string]: string } = {
  ',': 'a requirement must start with a key',
  ',,': 'a requirement must start with a key',
  ', ,': 'a requirement must start with a key',
  '!': '"!" needs a key',
  '!=value': 'a requirement must start with a key',
  '=value': 'a requirement must start with a key',
  'env in (prod': 'the value list is not closed',
  'env in prod)': 'the value list does not start with "("',
  '()': 'a requirement must start with a key',
  '=': 'a requirement must start with a key',
  '-env=prod': 'a key starts with an alphanumeric character',
  'env-=prod': 'a key ends with an alphanumeric character',
  '.env=prod': 'a key starts with an alphanumeric character',
  'env name=prod': 'two words without an operator',
  [`${'a'.repeat(64)}=value`]: 'a key name has at most 63 characters',
};

describe('reflector LabelSelectorMatchTests rows', () => {
  test('all 35 rows are read', () => {
    expect(reflectorCases).toHaveLength(35);
    expect(Object.keys(MALFORMED).every(selector => reflectorCases.some(c => c.selector === selector))).toBe(true);
  });

  const valid = reflectorCases.filter(c => MALFORMED[c.selector] === undefined);
  const malformed = reflectorCases.filter(c => MALFORMED[c.selector] !== undefined);

  test.each(valid.map(c => [c.selector, JSON.stringify(c.namespaceLabels), c] as const))(
    '%j on %s', (_selector, _labels, c) => {
      expect(LabelSelector.parse(c.selector).matches(c.namespaceLabels)).toBe(c.matches);
    });

  test.each(malformed.map(c => [c.selector, MALFORMED[c.selector], c] as const))(
    '%j is rejected (%s); the reflector matches nothing', (_selector, _reason, c) => {
      expect(c.matches).toBe(false);
      const error = validationErrorOf(() => LabelSelector.parse(c.selector, 'replicateToMatching'));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toContain('replicateToMatching: ');
      expect(error.message).toContain('Fix: ');
    });

  test('"env in ()" is the empty-value set in apimachinery (the reflector rejects it): both miss env=production', () => {
    const selector = LabelSelector.parse('env in ()');
    expect(selector.requirements).toEqual([{ key: 'env', operator: LabelSelectorOperator.IN, values: [''] }]);
    expect(selector.matches({ env: 'production' })).toBe(false);
    expect(selector.matches({ env: '' })).toBe(true);
  });
});

describe('LabelSelector parsing', () => {
  test.each([
    ['', ''],
    ['   ', ''],
    ['foo', 'foo'],
    ['foo=veryspecificvalue', 'foo=veryspecificvalue'],
    ['self-match=yes', 'self-match=yes'],
    ['x==a', 'x==a'],
    ['x != a', 'x!=a'],
    ['!x', '!x'],
    ['! x', '!x'],
    ['x in (b, a, b)', 'x in (a,b)'],
    ['x notin(a)', 'x notin (a)'],
    ['x in (a,,b)', 'x in (,a,b)'],
    ['x in (a,)', 'x in (,a)'],
    ['x=', 'x='],
    ['x==', 'x=='],
    ['x=,y', 'x=,y'],
    ['z=1, y, !x, a in (p)', 'a in (p),!x,y,z=1'],
    ['b=2,a=1,b=1', 'a=1,b=2,b=1'],
    ['in=notin', 'in=notin'],
    ['notin in (in)', 'notin in (in)'],
    ['replicas>2', 'replicas>2'],
    ['replicas < 10', 'replicas<10'],
    ['openchoreo.dev/dataplane=true', 'openchoreo.dev/dataplane=true'],
    ['team in (a),\n  tier notin (x, y)', 'team in (a),tier notin (x,y)'],
  ])('%j prints canonically as %j', (input, canonical) => {
    const selector = LabelSelector.parse(input);
    expect(selector.toString()).toBe(canonical);
    expect(LabelSelector.parse(canonical).toString()).toBe(canonical);
  });

  test('keeps the requirements, values sorted and deduplicated', () => {
    expect(LabelSelector.parse('tier notin (b,a,b), env').requirements).toEqual([
      { key: 'env', operator: LabelSelectorOperator.EXISTS, values: [] },
      { key: 'tier', operator: LabelSelectorOperator.NOT_IN, values: ['a', 'b'] },
    ]);
    expect(LabelSelector.parse('').isEmpty).toBe(true);
    expect(LabelSelector.parse('a').isEmpty).toBe(false);
  });

  test.each([
    ['x in (a b)', 'found "b" at character 9 where "," or ")" was expected'],
    ['x=a=b', 'found "=" at character 4 where "," or the end of the selector was expected'],
    ['x=a,', 'found the end of the selector where a label key after "," was expected'],
    ['!x=a', 'found "=" at character 3 where "," or the end of the selector was expected'],
    ['x===', 'found "=" at character 4 where a label value was expected'],
    ['x=(a)', 'found "(" at character 3 where a label value was expected'],
    ['x in a', 'found "a" at character 6 where "(" to start the value list was expected'],
    ['x>a', '">" needs an integer value, not "a"'],
    ['x<1.5', '"<" needs an integer value, not "1.5"'],
    ['x>-1', 'the label value "-1" must be empty or letters'],
    ['x=a_', 'the label value "a_" must be empty or letters'],
    [`x=${'v'.repeat(64)}`, 'must be at most 63 characters'],
    ['Example.com/x=a', 'has a prefix that must be a DNS-1123 subdomain'],
    ['a/b/c=d', 'must be "name" or "prefix/name" with a single "/"'],
  ])('rejects %j: %s', (selector, problem) => {
    const error = validationErrorOf(() => LabelSelector.parse(selector, 'labelSelectors[0]'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.property).toBe('labelSelectors[0]');
    expect(error.problem).toContain(problem);
    expect(error.message).toContain(JSON.stringify(selector));
    expect(error.message).toContain('Fix: ');
  });

  test('names the construct path when given a scope', () => {
    const chart = new Chart(Testing.app(), 'chart');
    const error = validationErrorOf(() => LabelSelector.parse('=x', 'replicateToMatching', chart));
    expect(error.message.startsWith('[chart] replicateToMatching: ')).toBe(true);
  });
});

describe('LabelSelector.matches', () => {
  test.each([
    ['x=a', {}, false],
    ['x=a', { x: 'a' }, true],
    ['x==a', { x: 'b' }, false],
    ['x!=a', { x: 'b' }, true],
    ['x!=a', { x: 'a' }, false],
    ['x notin (a,b)', {}, true],
    ['x notin (a,b)', { x: 'b' }, false],
    ['x in (a,b)', { x: 'b' }, true],
    ['x in (a,b)', {}, false],
    ['x,y', { x: '', y: '' }, true],
    ['x,!y', { x: '', y: '' }, false],
    ['x=', { x: '' }, true],
    ['x=', {}, false],
    ['replicas>2', { replicas: '3' }, true],
    ['replicas>2', { replicas: '2' }, false],
    ['replicas>2', { replicas: 'three' }, false],
    ['replicas>2', {}, false],
    ['replicas<2', { replicas: '-5' }, true],
    ['replicas<2', { replicas: '9223372036854775808' }, false],
    ['constructor', {}, false],
    ['toString=x', {}, false],
    ['', {}, true],
    ['a=1,a=2', { a: '1' }, false],
  ])('%j on %j is %p', (selector, labels, expected) => {
    expect(LabelSelector.parse(selector).matches(labels as { [key: string]: string })).toBe(expected);
  });
});

describe('LabelSelector.toSpec', () => {
  test('equalities become matchLabels, everything else matchExpressions', () => {
    expect(LabelSelector.parse('tier notin (x), env=prod, team, !legacy, env==prod, zone!=b, app in (a,b)').toSpec()).toEqual({
      matchLabels: { env: 'prod' },
      matchExpressions: [
        { key: 'app', operator: 'In', values: ['a', 'b'] },
        { key: 'env', operator: 'In', values: ['prod'] },
        { key: 'legacy', operator: 'DoesNotExist' },
        { key: 'team', operator: 'Exists' },
        { key: 'tier', operator: 'NotIn', values: ['x'] },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
      ],
    });
  });

  test('omits empty parts', () => {
    expect(LabelSelector.parse('').toSpec()).toEqual({ matchLabels: undefined, matchExpressions: undefined });
    expect(LabelSelector.parse('openchoreo.dev/dataplane=true').toSpec()).toEqual({
      matchLabels: { 'openchoreo.dev/dataplane': 'true' },
      matchExpressions: undefined,
    });
  });

  test('a label key named like an Object property is still a label', () => {
    expect(LabelSelector.parse('constructor=a').toSpec().matchLabels).toEqual({ constructor: 'a' });
  });

  test('rejects > and <, which metav1.LabelSelector cannot express', () => {
    const error = validationErrorOf(() => LabelSelector.parse('replicas>2', 'labelSelectors[1]').toSpec());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.property).toBe('labelSelectors[1]');
    expect(error.problem).toContain('"replicas>2" compares numbers');
    expect(error.message).toContain('Fix: ');
  });
});
