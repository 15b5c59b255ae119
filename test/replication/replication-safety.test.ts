import { App, Chart } from 'cdk8s';
import { RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import { RegistrySecret } from '../../src/registry-secret';
import { dotnetTrim, goTrimSpace } from '../../src/replication/consumer-text';
import { MittwaldReplicateTo, NamespaceSelection } from '../../src/replication/namespace-selection';
import { ReplicateToFindingCode, ReplicateToLint } from '../../src/replication/pattern-lint';
import { ReplicatedPullSecret } from '../../src/replication/replicated-pull-secret';
import { KubernetesReplicatorApplication } from '../../src/replication/replicator-application';
import { validationErrorOf } from '../helpers/errors';

const TOKEN = 'dckr_pat_FAKE-token';
const hub = () => [RegistryCredentials.dockerHubToken('acme', SecretValue.unsafePlainText(TOKEN))];
const NEL = '\u0085';
const BOM = '\ufeff';
const NBSP = '\u00a0';

function newChart(): Chart {
  return new Chart(new App(), 'test');
}

// `any` on purpose: the safety options are also exercised the way JavaScript callers pass them.
function pullSecret(props: any = {}, chart: Chart = newChart()): ReplicatedPullSecret {
  return new ReplicatedPullSecret(chart, 'Pull', { credentials: hub(), ...props });
}

function synthYaml(chart: Chart): string {
  return (chart.node.root as App).synthYaml();
}

/** The protected namespaces every ReplicatedPullSecret refuses by default, as the research lists them. */
const EXPECTED_DEFAULTS = [
  'kube-system', 'kube-public', 'kube-node-lease', 'default',
  'argocd', 'external-secrets', 'sealed-secrets', 'cert-manager', 'istio-system', 'choreo-system',
  'openchoreo-control-plane', 'openchoreo-data-plane', 'openchoreo-workflow-plane', 'openchoreo-build-plane',
  'build-service', 'integration-service', 'release-service', 'konflux-ui', 'image-controller', 'image-controller-system',
  'tekton-pipelines',
];

describe('1. invisible characters in replication values are refused, and trimming is each consumer\'s own', () => {
  test.each([
    ['mittwald replicate-to with a NEL entry', () => NamespaceSelection.mittwaldReplicateTo(`dp-.*,${NEL}.*`), 'replicateTo', 'U+0085'],
    ['mittwald replicate-to with a BOM', () => NamespaceSelection.mittwaldReplicateTo(`${BOM}dp-.*`), 'replicateTo', 'U+FEFF'],
    ['mittwald replicate-to with a no-break space', () => NamespaceSelection.mittwaldReplicateTo(`dp-a,${NBSP}dp-b`), 'replicateTo', 'U+00A0'],
    ['mittwald replicate-to with a tab', () => NamespaceSelection.mittwaldReplicateTo('dp-a,\tdp-b'), 'replicateTo', 'U+0009'],
    ['mittwald replicate-to-matching with a NEL', () => NamespaceSelection.mittwaldReplicateToMatching(`team=a${NEL}`), 'replicateToMatching', 'U+0085'],
    ['reflector allowed list with a NEL', () => NamespaceSelection.reflectorAuto({ allowedNamespaces: `dp-.*,${NEL}.*` }), 'allowedNamespaces', 'U+0085'],
    ['reflector auto list with smart quotes', () => NamespaceSelection.reflectorAuto({ allowedNamespaces: 'dp-.*', autoNamespaces: '\u201cdp-a\u201d' }), 'autoNamespaces', 'U+201C'],
    ['reflector selector with a BOM', () => NamespaceSelection.reflectorAuto({ allowedNamespacesSelector: `${BOM}team=a` }), 'allowedNamespacesSelector', 'U+FEFF'],
  ])('%s: refused by the factory', (_name, targets, property, codePoint) => {
    const error = validationErrorOf(() => pullSecret({ targets: targets() }));
    expect(error.property).toBe(property);
    expect(error.problem).toContain(codePoint);
    expect(error.fix).toContain('printable ASCII');
  });

  test('the lint reports the character too', () => {
    const findings = ReplicateToLint.check(`dp-.*,${NEL}.*`);
    expect(findings.map(finding => finding.code)).toContain(ReplicateToFindingCode.INVISIBLE_CHARACTER);
  });

  test('mittwald preview trims like Go strings.TrimSpace: NEL and NBSP are stripped, U+FEFF is kept', () => {
    expect(MittwaldReplicateTo.parse(`dp-a,${NEL}.*`).matchesOnCreate('kube-system')).toBe(true);
    expect(MittwaldReplicateTo.parse(`${NBSP}dp-a${NBSP}`).matchesOnCreate('dp-a')).toBe(true);
    expect(MittwaldReplicateTo.parse(`${BOM}dp-a`).matchesOnCreate('dp-a')).toBe(false);
    expect(MittwaldReplicateTo.parse(`${BOM}dp-a`).entries[0].entry).toBe(`${BOM}dp-a`);
  });

  test('.NET String.Trim and Go strings.TrimSpace strip NEL, NBSP and U+3000 but keep U+FEFF and U+180E, unlike JavaScript trim', () => {
    for (const trim of [dotnetTrim, goTrimSpace]) {
      expect(trim(`${NEL}${NBSP}\u3000 dp-a\t\r\n\u2028`)).toBe('dp-a');
      expect(trim(`${BOM}dp-a${BOM}`)).toBe(`${BOM}dp-a${BOM}`);
      expect(trim('\u180edp-a')).toBe('\u180edp-a');
    }
    expect(`${NEL}dp-a`.trim()).toBe(`${NEL}dp-a`);
    expect(`${BOM}dp-a`.trim()).toBe('dp-a');
  });

  test('controller exclusion flags with invisible characters are refused', () => {
    const error = validationErrorOf(() => pullSecret({
      targets: NamespaceSelection.mittwald({ replicateTo: 'dp-.*', controllerExcludeNamespaces: `kube-system,${NEL}default` }),
    }));
    expect(error.property).toBe('controllerExcludeNamespaces');
  });
});

describe('2. one regex engine per consumer', () => {
  test.each([
    ['\\Adp-.*', '\\A'],
    ['dp-.*\\Z', '\\Z'],
    ['\\p{Ll}+', '\\p'],
    ['[a-z-[0-9]]+', 'class subtraction'],
    ['(?i)DP-.*', 'inline option'],
    ['dp-(?i:A)', 'inline option'],
    ['(?!kube).*', 'look-around'],
    ['(?<=d)p-.*', 'look-around'],
    ['(d)\\1-.*', 'back-reference'],
    ['(?<n>dp)-.*', 'named group'],
    ['dp-(?>a|b)', 'atomic group'],
    ['dp-\\x41', '\\x'],
    ['dp-(?#c).*', 'comment'],
    ['dp-\\b.*', '\\b'],
  ])('reflector refuses %j (%s) with a fix', (pattern, what) => {
    const error = validationErrorOf(() => pullSecret({ targets: NamespaceSelection.reflectorAuto({ allowedNamespaces: pattern }) }));
    expect(error.property).toBe('targets.allowedNamespaces');
    expect(error.problem).toContain(what);
    expect(error.fix.length).toBeGreaterThan(10);
  });

  test.each([
    ['dp-.*', 'dp-a', true],
    ['dp-[a-z0-9]+', 'dp-a1', true],
    ['dp-(a|b)', 'dp-b', true],
    ['dp|dp-x', 'dp-x', false],
    ['^dp-.*$', 'dp-a', true],
    ['dp-\\d{2}', 'dp-12', true],
    ['dp-\\.x', 'dp-.x', true],
    ['dp-\\.x', 'dp-ax', false],
    ['(?:dp|ap)-.+?', 'ap-zz', false],
  ])('reflector accepts %j and previews %s → %s', (pattern, namespace, expected) => {
    const secret = pullSecret({ targets: NamespaceSelection.reflectorAuto({ allowedNamespaces: pattern }) });
    expect(secret.receives({ name: namespace })).toBe(expected);
  });

  test.each([
    ['\\Adp-.*', 'dp-a'],
    ['dp-\\p{Ll}+', 'dp-a'],
    ['[a-z-[0-9]]+', 'dp-a'],
    ['dp-\\k<n>', 'dp-k<n>'],
  ])('the reflector preview refuses %j instead of reading it the JavaScript way', (pattern, namespace) => {
    const error = validationErrorOf(() => NamespaceSelection.reflectorAuto({ allowedNamespaces: pattern }).receives({ name: namespace }, 'src'));
    expect(error.property).toBe('allowedNamespaces');
  });

  test('mittwald: Go accepts two groups of the same name, so the library does too', () => {
    expect(MittwaldReplicateTo.parse('(?P<n>dp)-(?P<n>a)').invalidEntries).toEqual([]);
    expect(MittwaldReplicateTo.parse('(?P<n>dp)-(?P<n>a)').matchesOnCreate('dp-a')).toBe(true);
  });

  test('mittwald: what Go accepts is accepted and decided like Go, e.g. named groups (Go 1.22+) and (?i)', () => {
    expect(pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('(?P<env>dp)-.*') }).receives({ name: 'dp-a' })).toBe(true);
    expect(pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('(?<env>dp)-.*') }).receives({ name: 'dp-a' })).toBe(true);
    expect(MittwaldReplicateTo.parse('\\Adp-a\\z').matchesOnCreate('dp-a')).toBe(true);
  });

  test('mittwald: what Go rejects is refused (\\C, repeat counts over 1000, nesting deeper than 1000)', () => {
    for (const pattern of ['dp-\\C', 'dp-a{1001}', `${'('.repeat(1001)}dp${')'.repeat(1001)}`]) {
      const error = validationErrorOf(() => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo(pattern) }));
      expect(error.property).toBe('targets.replicateTo');
    }
  });
});

describe('3. the protected set only grows', () => {
  test('the default covers the system and controller namespaces', () => {
    expect([...ReplicatedPullSecret.DEFAULT_PROTECTED_NAMESPACES].sort()).toEqual([...EXPECTED_DEFAULTS].sort());
  });

  test.each(EXPECTED_DEFAULTS)('a pattern reaching %s is refused by default', namespace => {
    const error = validationErrorOf(() => pullSecret({ namespace: 'platform', targets: NamespaceSelection.mittwaldReplicateTo(`dp-.*,${namespace}`) }));
    expect(error.message).toContain(`"${namespace}"`);
    expect(error.fix).toContain('allowedProtectedNamespaces');
  });

  test('systemNamespaces adds to the default instead of replacing it', () => {
    const error = validationErrorOf(() => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('.*'), safety: { systemNamespaces: ['argocd'] } }));
    expect(error.message).toContain('"kube-system"');
    const extra = validationErrorOf(() => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('dp-.*,vault'), safety: { systemNamespaces: ['vault'] } }));
    expect(extra.message).toContain('"vault"');
  });

  test('reaching a protected namespace needs its name in allowedProtectedNamespaces, one by one', () => {
    const partly = validationErrorOf(() => pullSecret({
      targets: NamespaceSelection.mittwaldReplicateTo('dp-.*,argocd,cert-manager'),
      safety: { allowedProtectedNamespaces: ['argocd'] },
    }));
    expect(partly.message).toContain('"cert-manager"');
    expect(partly.message).not.toContain('"argocd"');
    const secret = pullSecret({
      targets: NamespaceSelection.mittwaldReplicateTo('dp-.*,argocd,cert-manager'),
      safety: { allowedProtectedNamespaces: ['argocd', 'cert-manager'] },
    });
    expect(secret.preview([{ name: 'argocd' }, { name: 'cert-manager' }, { name: 'dp-a' }, { name: 'kube-system' }])).toEqual(['argocd', 'cert-manager', 'dp-a']);
  });

  test('the old blanket allowSystemNamespaces no longer opens every protected namespace', () => {
    const error = validationErrorOf(() => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('.*'), safety: { allowSystemNamespaces: true } }));
    expect(error.property).toBe('safety.allowSystemNamespaces');
  });

  test('a selector that matches everything except the old four system namespaces is judged by what it reaches', () => {
    const error = validationErrorOf(() => pullSecret({
      targets: NamespaceSelection.mittwaldReplicateToMatching('kubernetes.io/metadata.name notin (kube-system,kube-public,kube-node-lease,default)'),
    }));
    expect(error.message).toContain('"argocd"');
  });

  test('a selector that excludes every protected namespace by name still reaches every namespace created later', () => {
    const error = validationErrorOf(() => pullSecret({
      targets: NamespaceSelection.mittwaldReplicateToMatching(`kubernetes.io/metadata.name notin (${EXPECTED_DEFAULTS.join(',')},choreo-system)`),
    }));
    expect(error.property).toBe('targets');
    expect(error.problem).toContain('every namespace');
  });
});

describe('4. no side doors', () => {
  test.each([
    'replicator.v1.mittwald.de/replicate-to',
    'replicator.v1.mittwald.de/replicate-to-matching',
    'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces',
    'Replicator.v1.mittwald.de/replicate-to',
  ])('RegistrySecret refuses the annotation %s and points to ReplicatedPullSecret', key => {
    const error = validationErrorOf(() => new RegistrySecret(newChart(), 'Pull', { credentials: hub(), annotations: { [key]: '.*' } }));
    expect(error.property).toBe(`annotations["${key}"]`);
    expect(error.fix).toContain('ReplicatedPullSecret');
    expect(error.message).not.toContain(TOKEN);
  });

  test('RegistrySecret keeps other annotations', () => {
    const chart = newChart();
    new RegistrySecret(chart, 'Pull', { credentials: hub(), annotations: { 'example.com/owner': 'team-a' } });
    expect(chart.toJson()[0].metadata.annotations['example.com/owner']).toBe('team-a');
  });

  test('a controllerExcludeNamespaces claim without a replicator install in the App cannot silence the check', () => {
    const chart = newChart();
    pullSecret({ targets: NamespaceSelection.mittwald({ replicateTo: '(dp-.*|kube-system)', controllerExcludeNamespaces: 'kube-system' }) }, chart);
    const error = validationErrorOf(() => synthYaml(chart));
    expect(error.property).toBe('targets.controllerExcludeNamespaces');
    expect(error.fix).toContain('KubernetesReplicatorApplication');
  });

  test('a claim that differs from the replicator install\'s flag is refused', () => {
    const chart = newChart();
    new KubernetesReplicatorApplication(chart, 'Replicator', { args: ['-exclude-namespaces=kube-public'] });
    pullSecret({ targets: NamespaceSelection.mittwald({ replicateTo: '(dp-.*|kube-system)', controllerExcludeNamespaces: 'kube-system' }) }, chart);
    const error = validationErrorOf(() => synthYaml(chart));
    expect(error.property).toBe('targets.controllerExcludeNamespaces');
    expect(error.problem).toContain('"kube-public"');
  });

  test('a claim matching the replicator install in the same App silences the create-time check', () => {
    const chart = newChart();
    new KubernetesReplicatorApplication(chart, 'Replicator', { excludeNamespaces: 'kube-system' });
    const secret = pullSecret({ targets: NamespaceSelection.mittwald({ replicateTo: '(dp-.*|kube-system)', controllerExcludeNamespaces: 'kube-system' }) }, chart);
    expect(() => synthYaml(chart)).not.toThrow();
    expect(secret.preview([{ name: 'kube-system' }, { name: 'dp-a' }])).toEqual(['dp-a']);
  });

  test('the flag in args is read as Go\'s flag package reads it (-f=v, --f=v, -f v)', () => {
    for (const args of [['-exclude-namespaces=kube-system'], ['--exclude-namespaces=kube-system'], ['-exclude-namespaces', 'kube-system']]) {
      const chart = newChart();
      new KubernetesReplicatorApplication(chart, 'Replicator', { args });
      pullSecret({ targets: NamespaceSelection.mittwald({ replicateTo: '(dp-.*|kube-system)', controllerExcludeNamespaces: 'kube-system' }) }, chart);
      expect(() => synthYaml(chart)).not.toThrow();
    }
  });

  test('excludeNamespaces is rendered as the controller flag', () => {
    const chart = newChart();
    const install = new KubernetesReplicatorApplication(chart, 'Replicator', { excludeNamespaces: 'kube-system,kube-public', args: ['-resync-period=10m'] });
    expect(install.excludeNamespaces).toBe('kube-system,kube-public');
    expect(chart.toJson()[0].spec.source.helm.valuesObject.args).toEqual(['-resync-period=10m', '-exclude-namespaces=kube-system,kube-public']);
  });

  test('excludeNamespaces and an -exclude-namespaces arg together are refused', () => {
    const error = validationErrorOf(() => new KubernetesReplicatorApplication(newChart(), 'Replicator', {
      excludeNamespaces: 'kube-system', args: ['-exclude-namespaces=default'],
    }));
    expect(error.property).toBe('args');
  });

  test('mittwald\'s delete path matches unanchored: an entry that is a substring of a protected name is refused', () => {
    const error = validationErrorOf(() => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('dp-.*,cert') }));
    expect(error.problem).toContain('deleted');
    expect(error.message).toContain('"cert-manager"');
    expect(error.fix).toContain('"^cert$"');
    // Anchored explicitly, the delete path no longer reaches cert-manager.
    expect(() => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('dp-.*,^cert$') })).not.toThrow();
  });

  test('the exclusion flag does not apply on the delete path, so a claim cannot silence delete-time reach', () => {
    const chart = newChart();
    new KubernetesReplicatorApplication(chart, 'Replicator', { excludeNamespaces: 'cert-manager' });
    const error = validationErrorOf(() => pullSecret({ targets: NamespaceSelection.mittwald({ replicateTo: 'dp-.*,cert', controllerExcludeNamespaces: 'cert-manager' }) }, chart));
    expect(error.message).toContain('"cert-manager"');
  });
});

describe('5. patterns of any size fail at construction with a ValidationError', () => {
  test.each([50_000, 200_000])('a %i-character reflector pattern', size => {
    const error = validationErrorOf(() => pullSecret({ targets: NamespaceSelection.reflectorAuto({ allowedNamespaces: `dp-${'a'.repeat(size)}(` }) }));
    expect(error.property).toBe('targets.allowedNamespaces');
  });

  test('a reflector pattern V8 parses but cannot compile (it threw a SyntaxError at first use)', () => {
    const pattern = `(?:${'a'.repeat(50_000)}|b)`;
    const error = validationErrorOf(() => pullSecret({ targets: NamespaceSelection.reflectorAuto({ allowedNamespaces: pattern }) }));
    expect(error.property).toBe('targets.allowedNamespaces');
    expect(error.message.length).toBeLessThan(2000);
    const preview = validationErrorOf(() => NamespaceSelection.reflectorAuto({ allowedNamespaces: pattern }).receives({ name: 'dp-a' }, 'src'));
    expect(preview.property).toBe('allowedNamespaces');
  });

  test.each([50_000, 200_000])('a %i-character mittwald pattern', size => {
    const error = validationErrorOf(() => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo(`dp-${'a'.repeat(size)}`) }));
    expect(error.property).toBe('targets.replicateTo');
    expect(error.message.length).toBeLessThan(2000);
  });

  test('the lint itself never throws on a huge value', () => {
    expect(() => ReplicateToLint.check(`dp-${'(a'.repeat(30_000)}`)).not.toThrow();
  });
});
