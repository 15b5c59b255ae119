import {
  clusterExternalSecretRule, dotNetBoolTrue, goBoolTrue, mittwaldPullAllowed, mittwaldPushRule, NamespaceView, reflectorAutoRule,
  reflectorPermitRule,
} from '../../src/doctor/replication-rules';
import { loadReferenceJson } from '../helpers/reference';

const mittwald = loadReferenceJson('replication', 'mittwald-namespace-matching.json');
const reflector = loadReferenceJson('replication', 'reflector-namespace-matching.json');

function known(name: string, labels: { [key: string]: string } = {}): NamespaceView {
  return { name, labels: { ...labels, 'kubernetes.io/metadata.name': name }, labelsKnown: true };
}

function unlabelled(name: string): NamespaceView {
  return { name, labels: { 'kubernetes.io/metadata.name': name }, labelsKnown: false };
}

describe('mittwaldPushRule follows the replicator on the reference rows', () => {
  test.each((mittwald.casesDerived as any[]).map((row: any): [string, string, any] => [row.patterns, row.namespace, row]))('replicate-to %j → %s', (_patterns, _namespace, row) => {
    const rule = mittwaldPushRule({ 'replicator.v1.mittwald.de/replicate-to': row.patterns })!;
    expect(rule.reach(unlabelled(row.namespace), row.sourceNamespace)).toBe(row.replicated ? 'yes' : 'no');
  });

  test('no push annotation, no rule', () => {
    expect(mittwaldPushRule({ 'replicator.v1.mittwald.de/replicate-from': 'a/b' })).toBeUndefined();
  });

  test('replicate-to-matching: decided with known labels, unknown without a Namespace object', () => {
    const rule = mittwaldPushRule({ 'replicator.v1.mittwald.de/replicate-to-matching': 'openchoreo.dev/dataplane=true' })!;
    expect(rule.reach(known('dp-a', { 'openchoreo.dev/dataplane': 'true' }), 'choreo-system')).toBe('yes');
    expect(rule.reach(known('dp-a'), 'choreo-system')).toBe('no');
    expect(rule.reach(unlabelled('dp-a'), 'choreo-system')).toBe('unknown');
  });

  test('a name pattern decides even when a selector could not: patterns OR selector', () => {
    const rule = mittwaldPushRule({ 'replicator.v1.mittwald.de/replicate-to': 'dp-.*', 'replicator.v1.mittwald.de/replicate-to-matching': 'tier=apps' })!;
    expect(rule.reach(unlabelled('dp-a'), 'choreo-system')).toBe('yes');
    expect(rule.reach(unlabelled('team-a'), 'choreo-system')).toBe('unknown');
  });

  test('a selector on kubernetes.io/metadata.name needs no Namespace object', () => {
    const rule = mittwaldPushRule({ 'replicator.v1.mittwald.de/replicate-to-matching': 'kubernetes.io/metadata.name in (team-a,team-b)' })!;
    expect(rule.reach(unlabelled('team-b'), 'platform')).toBe('yes');
    expect(rule.reach(unlabelled('team-c'), 'platform')).toBe('no');
  });

  test('a malformed selector is reported and matches nothing', () => {
    const rule = mittwaldPushRule({ 'replicator.v1.mittwald.de/replicate-to-matching': 'tier in (apps' })!;
    expect(rule.invalidSelectors).toEqual([{
      property: 'replicator.v1.mittwald.de/replicate-to-matching',
      value: 'tier in (apps',
      problem: expect.stringContaining('found the end of the selector'),
      fix: expect.stringContaining('env in (prod,staging)'),
    }]);
    expect(rule.reach(known('team-a', { tier: 'apps' }), 'platform')).toBe('no');
  });
});

describe('reflector rules follow the reflector on the reference rows', () => {
  // "error": the reflector throws on the invalid entry and mirrors nothing; null rows are undetermined upstream.
  const determined: any[] = reflector.casesDerived.filter((row: any) => row.reflected !== null);

  test.each(determined.map((row: any): [string, string, any] => [row.patterns, row.namespace, row]))('auto mirrors for %j → %s', (_patterns, _namespace, row) => {
    const rule = reflectorAutoRule({
      'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
      'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': row.patterns,
      'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'True',
    })!;
    expect(rule.reach(unlabelled(row.namespace), 'source-namespace')).toBe(row.reflected === true ? 'yes' : 'no');
  });

  test.each((reflector.propertiesCasesFromTests as any[]).map((row: any, index: number): [number, any] => [index, row]))('properties row %d', (_index, row) => {
    const annotations = {
      'reflector.v1.k8s.emberstack.com/reflection-allowed': String(row.allowed),
      'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': row.allowedNamespaces,
      'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces-selector': row.allowedNamespacesSelector,
      'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': String(row.autoEnabled ?? false),
      'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces-selector': row.autoNamespacesSelector,
    };
    const rule = row.autoEnabled ? reflectorAutoRule(annotations) : reflectorPermitRule(annotations);
    expect(rule!.reach(known(row.namespace, row.namespaceLabels), 'source-namespace')).toBe((row.canReflect ?? row.canAutoReflect) ? 'yes' : 'no');
  });

  test('auto mirrors need both reflection-allowed and reflection-auto-enabled', () => {
    expect(reflectorAutoRule({ 'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true' })).toBeUndefined();
    expect(reflectorAutoRule({ 'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true' })).toBeUndefined();
  });

  test('no namespace lists means every namespace, the source\'s own aside', () => {
    const rule = reflectorAutoRule({ 'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true', 'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true' })!;
    expect(rule.description).toBe('reflector auto mirrors (no namespace lists)');
    expect(rule.reach(unlabelled('kube-system'), 'platform')).toBe('yes');
    expect(rule.reach(unlabelled('platform'), 'platform')).toBe('no');
  });

  test('an invalid regex makes the reflector stop: no mirror', () => {
    const rule = reflectorAutoRule({
      'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
      'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': '(dp-.*',
      'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true',
    })!;
    expect(rule.reach(unlabelled('dp-a'), 'platform')).toBe('no');
  });
});

describe('mittwald pull permit', () => {
  const source = { 'replicator.v1.mittwald.de/replication-allowed': 'true', 'replicator.v1.mittwald.de/replication-allowed-namespaces': 'team-.*' };

  test('allowed namespaces are matched like replicate-to (anchored)', () => {
    expect(mittwaldPullAllowed(source, 'team-a')).toBe(true);
    expect(mittwaldPullAllowed(source, 'my-team-a')).toBe(false);
  });

  test('both annotations are needed', () => {
    expect(mittwaldPullAllowed({ 'replicator.v1.mittwald.de/replication-allowed': 'true' }, 'team-a')).toBe(false);
    expect(mittwaldPullAllowed({ ...source, 'replicator.v1.mittwald.de/replication-allowed': 'yes' }, 'team-a')).toBe(false);
  });
});

describe('clusterExternalSecretRule', () => {
  test('namespaceSelectors are ORed; matchExpressions become selector requirements', () => {
    const rule = clusterExternalSecretRule({
      namespaceSelectors: [
        { matchLabels: { 'openchoreo.dev/dataplane': 'true' } },
        { matchExpressions: [{ key: 'tier', operator: 'In', values: ['apps', 'web'] }, { key: 'legacy', operator: 'DoesNotExist' }] },
      ],
    });
    expect(rule.reach(known('dp-a', { 'openchoreo.dev/dataplane': 'true' }), '')).toBe('yes');
    expect(rule.reach(known('team-a', { tier: 'web' }), '')).toBe('yes');
    expect(rule.reach(known('team-b', { tier: 'web', legacy: 'x' }), '')).toBe('no');
    expect(rule.reach(unlabelled('team-c'), '')).toBe('unknown');
  });

  test('the deprecated namespaces list needs no labels; {} selects every namespace', () => {
    expect(clusterExternalSecretRule({ namespaces: ['team-a'] }).reach(unlabelled('team-a'), '')).toBe('yes');
    expect(clusterExternalSecretRule({ namespaces: ['team-a'] }).reach(unlabelled('team-b'), '')).toBe('no');
    expect(clusterExternalSecretRule({ namespaceSelectors: [{}] }).reach(unlabelled('kube-system'), '')).toBe('yes');
    expect(clusterExternalSecretRule({}).reach(unlabelled('kube-system'), '')).toBe('no');
  });

  test('an operator with no selector form is an invalid selector', () => {
    const rule = clusterExternalSecretRule({ namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'Equals', values: ['prod'] }] } });
    expect(rule.invalidSelectors.map(selector => [selector.property, selector.value])).toEqual([['spec.namespaceSelector', 'env Equals (prod)']]);
    expect(rule.reach(known('prod', { env: 'prod' }), '')).toBe('no');
  });
});

describe('boolean annotation values', () => {
  test.each(['1', 't', 'T', 'TRUE', 'true', 'True'])('Go ParseBool accepts %s', value => expect(goBoolTrue(value)).toBe(true));
  test.each(['yes', 'tRue', ' true', undefined])('Go ParseBool rejects %s', value => expect(goBoolTrue(value)).toBe(false));
  test.each([' TRUE ', 'tRuE'])('.NET bool.TryParse accepts %j', value => expect(dotNetBoolTrue(value)).toBe(true));
  test.each(['1', 'yes', undefined])('.NET bool.TryParse rejects %j', value => expect(dotNetBoolTrue(value)).toBe(false));
});
