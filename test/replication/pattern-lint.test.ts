import { Chart, Testing } from 'cdk8s';
import { ValidationError } from '../../src/errors';
import { NamespaceSelection } from '../../src/replication/namespace-selection';
import {
  ReplicateToFinding,
  ReplicateToFindingSeverity,
  ReplicateToFindingCode as Code,
  ReplicateToLint,
} from '../../src/replication/pattern-lint';
import { ReplicatedPullSecret } from '../../src/replication/replicated-pull-secret';
import { validationErrorOf } from '../helpers/errors';

const SOURCE = 'choreo-system';

/** The corrected pattern a fix proposes (`write "…"` / `… "…"`), when it proposes one. */
function proposedPattern(fix: string): string | undefined {
  return /(?:write|parentheses:|commas:) "([^"]*)"/.exec(fix)?.[1];
}

interface BadValue {
  readonly value: string;
  readonly codes: Code[];
  /** A piece of the fix that must be offered. */
  readonly fix: string;
}

const BAD_VALUES: BadValue[] = [
  { value: 'dp-*', codes: [Code.GLOB_LIKE], fix: 'write "dp-.*"' },
  { value: 'dp*', codes: [Code.GLOB_LIKE, Code.DELETE_MATCHES_SYSTEM_NAMESPACE], fix: 'write "dp.*"' },
  { value: 'team-a*,dp-.*', codes: [Code.GLOB_LIKE], fix: 'write "team-a.*"' },
  { value: 'dp-', codes: [Code.NEVER_MATCHES], fix: 'write "dp-.*"' },
  { value: '^dp-', codes: [Code.NEVER_MATCHES], fix: 'write "dp-.*"' },
  { value: '-dp', codes: [Code.NEVER_MATCHES], fix: 'write ".*-dp"' },
  { value: '*-dp', codes: [Code.NEVER_MATCHES], fix: 'write ".*-dp"' },
  { value: 'dp-(?!sys).*', codes: [Code.INVALID_REGEX], fix: 'RE2 has no look-around' },
  { value: '(?<=dp-)x.*', codes: [Code.INVALID_REGEX], fix: 'RE2 has no look-around' },
  { value: '(dp)-\\1', codes: [Code.INVALID_REGEX], fix: 'RE2 has no back-references' },
  { value: 'dp-(?>a|b)', codes: [Code.INVALID_REGEX], fix: 'use a plain group: "dp-(?:a|b)"' },
  { value: 'dp-.*+', codes: [Code.INVALID_REGEX], fix: 'drop the trailing "+"' },
  { value: 'dp-(,dp-x', codes: [Code.INVALID_REGEX], fix: 'balance the parentheses' },
  { value: 'dp-.*)', codes: [Code.INVALID_REGEX], fix: 'balance the parentheses' },
  { value: 'dp-[a', codes: [Code.INVALID_REGEX], fix: 'Go RE2 syntax' },
  { value: 'dp-.*,', codes: [Code.EMPTY_ENTRY], fix: 'remove the empty entry' },
  { value: ',dp-.*', codes: [Code.EMPTY_ENTRY], fix: 'remove the empty entry' },
  { value: 'dp-.*,,staging-.*', codes: [Code.EMPTY_ENTRY], fix: 'remove the empty entry' },
  { value: '', codes: [Code.EMPTY_ENTRY], fix: 'remove the empty entry' },
  { value: 'ns-1 ns-2', codes: [Code.SPACE_SEPARATED], fix: 'commas: "ns-1,ns-2"' },
  { value: 'dp-.*\nstaging-.*', codes: [Code.INVISIBLE_CHARACTER, Code.SPACE_SEPARATED], fix: 'commas: "dp-.*,staging-.*"' },
  { value: 'dp-[a-z]{1,3}', codes: [Code.COMMA_IN_QUANTIFIER], fix: 'write "dp-[a-z](?:[a-z]?){2}"' },
  { value: 'dp-[0-9]{2,}', codes: [Code.COMMA_IN_QUANTIFIER], fix: 'write "dp-[0-9]{2}[0-9]*"' },
  { value: 'dp-(ab){0,1}', codes: [Code.COMMA_IN_QUANTIFIER], fix: 'write "dp-(ab)?"' },
  { value: 'dp-.{1,}', codes: [Code.COMMA_IN_QUANTIFIER], fix: 'write "dp-.+"' },
  { value: 'dp-x{,3}', codes: [Code.COMMA_IN_QUANTIFIER], fix: 'write "dp-(?:x?){3}"' },
  { value: 'dp-[0-9]{2,4}', codes: [Code.COMMA_IN_QUANTIFIER], fix: 'write "dp-[0-9]{2}(?:[0-9]?){2}"' },
  { value: 'dp-\\d{1,2}', codes: [Code.COMMA_IN_QUANTIFIER], fix: 'write "dp-\\d\\d?"' },
  { value: 'dp-x{3,2}', codes: [Code.COMMA_IN_QUANTIFIER], fix: 'rewrite the quantifier without a comma' },
  { value: '{1,2}', codes: [Code.COMMA_IN_QUANTIFIER], fix: 'rewrite the quantifier without a comma' },
  { value: 'foo|bar', codes: [Code.TOP_LEVEL_ALTERNATION], fix: 'parentheses: "(foo|bar)"' },
  { value: 'dp-.*|staging-.*', codes: [Code.TOP_LEVEL_ALTERNATION], fix: 'parentheses: "(dp-.*|staging-.*)"' },
  { value: '^foo$|bar', codes: [Code.TOP_LEVEL_ALTERNATION], fix: 'parentheses: "(foo$|bar)"' },
  { value: 'DP-.*', codes: [Code.NEVER_MATCHES], fix: 'write "dp-.*"' },
  { value: '\u201cdp-.*\u201d', codes: [Code.INVISIBLE_CHARACTER, Code.NEVER_MATCHES], fix: 'write "dp-.*"' },
  { value: 'team_a', codes: [Code.NEVER_MATCHES], fix: 'write "team-a"' },
  { value: 'dp\\.acme\\..*', codes: [Code.NEVER_MATCHES], fix: 'write "dp-acme-.*"' },
  { value: 'dp/acme-.*', codes: [Code.NEVER_MATCHES], fix: 'remove "/"' },
  { value: 'dp-\u{1F680}', codes: [Code.INVISIBLE_CHARACTER, Code.NEVER_MATCHES], fix: 'remove "\u{1F680}"' },
  { value: 'dp-.*,\u0085.*', codes: [Code.INVISIBLE_CHARACTER, Code.MATCHES_SYSTEM_NAMESPACE, Code.MATCHES_SOURCE_NAMESPACE], fix: 'printable ASCII' },
  { value: '\ufeffdp-.*', codes: [Code.INVISIBLE_CHARACTER, Code.NEVER_MATCHES], fix: 'printable ASCII' },
  { value: 'dp-.*,cert', codes: [Code.DELETE_MATCHES_SYSTEM_NAMESPACE], fix: '"^cert$"' },
  { value: 'system', codes: [Code.DELETE_MATCHES_SYSTEM_NAMESPACE], fix: '"^system$"' },
  { value: '.*', codes: [Code.MATCHES_SYSTEM_NAMESPACE, Code.MATCHES_SOURCE_NAMESPACE], fix: 'narrow the pattern' },
  { value: 'kube-.*', codes: [Code.MATCHES_SYSTEM_NAMESPACE], fix: 'narrow the pattern' },
  { value: 'dp-.*,default', codes: [Code.MATCHES_SYSTEM_NAMESPACE], fix: 'narrow the pattern' },
  { value: 'choreo-.*', codes: [Code.DELETE_MATCHES_SYSTEM_NAMESPACE, Code.MATCHES_SOURCE_NAMESPACE], fix: 'excludes "choreo-system"' },
  { value: 'argocd', codes: [Code.MATCHES_SYSTEM_NAMESPACE], fix: 'narrow the pattern' },
  { value: '.*-system', codes: [Code.MATCHES_SYSTEM_NAMESPACE, Code.MATCHES_SOURCE_NAMESPACE], fix: 'narrow the pattern' },
];

const WARNING_OPT_OUTS: { [code: string]: string } = {
  [Code.GLOB_LIKE]: 'allowGlobLike',
  [Code.MATCHES_SYSTEM_NAMESPACE]: 'allowedProtectedNamespaces',
  [Code.DELETE_MATCHES_SYSTEM_NAMESPACE]: 'allowedProtectedNamespaces',
  [Code.MATCHES_SOURCE_NAMESPACE]: 'allowSourceNamespace',
};

/** The opt-out that accepts one finding: a flag, or the list of the protected namespaces it reaches. */
function optOutOf(finding: ReplicateToFinding): { [option: string]: unknown } {
  const option = WARNING_OPT_OUTS[finding.code];
  return { [option]: finding.namespaces ?? true };
}

function optOutText(finding: ReplicateToFinding): string {
  const option = WARNING_OPT_OUTS[finding.code];
  return finding.namespaces ? `or name each namespace in ${option} if this is intended` : `or set ${option}: true if this is intended`;
}

const GOOD_VALUES = [
  'dp-.*',
  'dp-acme-.*',
  '(dp|staging)-.*',
  'dp-.*, choreo-ci-.*',
  '^dp-.*$',
  '^foo$|^bar$',
  '(?i)DP-.*',
  'dp-default-default-development-f8e58905',
  'app-ns-[0-9]+',
  'dp-[a-z](?:[a-z]?){2}',
  'dp-\\p{Ll}+',
  'dp-\\x{61}.*',
  'dp-\\x61\\141.*',
  'dp-\\Qacme\\E-.*',
  'dp-[[:digit:]]+',
  'dp-[^]_]+',
];

describe('ReplicateToLint bad values', () => {
  test('the table covers every finding code with at least 15 values', () => {
    expect(BAD_VALUES.length).toBeGreaterThanOrEqual(15);
    const covered = new Set(BAD_VALUES.flatMap(bad => bad.codes));
    expect([...covered].sort()).toEqual(Object.values(Code).sort());
  });

  test.each(BAD_VALUES.map(bad => [bad.value, bad.codes.join('+'), bad] as const))('%j → %s', (_value, _codes, bad) => {
    const findings = ReplicateToLint.check(bad.value, { sourceNamespace: SOURCE });
    expect(findings.map(f => f.code)).toEqual(bad.codes);
    expect(findings.some(f => f.fix.includes(bad.fix))).toBe(true);
    for (const f of findings) {
      expect(f.severity).toBe(WARNING_OPT_OUTS[f.code] ? ReplicateToFindingSeverity.WARNING : ReplicateToFindingSeverity.ERROR);
      expect(f.problem.length).toBeGreaterThan(20);
    }

    const error = validationErrorOf(() => ReplicateToLint.validate(bad.value, 'replicateTo', undefined, { sourceNamespace: SOURCE }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.property).toBe('replicateTo');
    expect(error.message.startsWith('replicateTo: ')).toBe(true);
    expect(error.message).toContain('Fix: ');
    expect(error.fix).toContain(bad.fix);
  });

  test('every corrected pattern the fixes propose passes the lint itself', () => {
    const proposals = BAD_VALUES
      .flatMap(bad => ReplicateToLint.check(bad.value, { sourceNamespace: SOURCE }))
      .map(f => proposedPattern(f.fix))
      .filter((pattern): pattern is string => pattern !== undefined);
    expect(proposals.length).toBeGreaterThanOrEqual(15);
    for (const pattern of proposals) {
      expect([pattern, ReplicateToLint.check(pattern, { sourceNamespace: SOURCE })]).toEqual([pattern, []]);
    }
  });

  test('each warning is accepted only by its own opt-out', () => {
    const warnings = BAD_VALUES.filter(bad => bad.codes.every(code => WARNING_OPT_OUTS[code] !== undefined));
    expect(warnings.length).toBeGreaterThanOrEqual(6);
    for (const bad of warnings) {
      const findings = ReplicateToLint.check(bad.value, { sourceNamespace: SOURCE });
      const allowed = (list: ReplicateToFinding[]) => {
        const namespaces = list.flatMap(f => f.namespaces ?? []);
        return Object.assign({}, ...list.map(optOutOf), namespaces.length > 0 ? { allowedProtectedNamespaces: namespaces } : {});
      };
      expect(() => ReplicateToLint.validate(bad.value, 'replicateTo', undefined, { sourceNamespace: SOURCE, ...allowed(findings) })).not.toThrow();
      for (const finding of findings) {
        const others = allowed(findings.filter(f => WARNING_OPT_OUTS[f.code] !== WARNING_OPT_OUTS[finding.code]));
        const error = validationErrorOf(() => ReplicateToLint.validate(bad.value, 'replicateTo', undefined, { sourceNamespace: SOURCE, ...others }));
        expect(error.fix).toContain(optOutText(finding));
      }
    }
  });

  test('errors cannot be opted out of', () => {
    const everything = {
      sourceNamespace: SOURCE,
      allowGlobLike: true,
      allowSourceNamespace: true,
      allowedProtectedNamespaces: ReplicatedPullSecret.DEFAULT_PROTECTED_NAMESPACES,
    };
    for (const bad of BAD_VALUES.filter(b => b.codes.some(code => WARNING_OPT_OUTS[code] === undefined))) {
      expect(() => ReplicateToLint.validate(bad.value, 'replicateTo', undefined, everything)).toThrow(ValidationError);
    }
  });
});

describe('ReplicateToLint findings match what the replicator does', () => {
  const probe = (value: string, name: string) => NamespaceSelection.mittwaldReplicateTo(value).receives({ name }, SOURCE);

  test('glob-like "dp-*" misses dp-foo but hits dp', () => {
    expect([probe('dp-*', 'dp-foo'), probe('dp-*', 'dp'), probe('dp-.*', 'dp-foo')]).toEqual([false, true, true]);
  });

  test('top-level alternation reaches names that merely end with a branch; grouping fixes it', () => {
    expect([probe('foo|bar', 'xbar'), probe('(foo|bar)', 'xbar')]).toEqual([true, false]);
  });

  test('a split quantifier reaches neither the meant names nor the rewritten miss', () => {
    expect([probe('dp-[a-z]{1,3}', 'dp-ab'), probe('dp-[a-z](?:[a-z]?){2}', 'dp-ab'), probe('dp-[a-z](?:[a-z]?){2}', 'dp-abcd')])
      .toEqual([false, true, false]);
  });

  test('reports several entries in order, with the entry named in each problem', () => {
    const findings = ReplicateToLint.check('dp-*, kube-.*,,foo|bar', { sourceNamespace: SOURCE });
    expect(findings.map(f => [f.code, f.entry])).toEqual([
      [Code.GLOB_LIKE, 'dp-*'],
      [Code.MATCHES_SYSTEM_NAMESPACE, 'kube-.*'],
      [Code.EMPTY_ENTRY, ''],
      [Code.TOP_LEVEL_ALTERNATION, 'foo|bar'],
    ]);
    expect(findings[1].problem).toContain('"kube-system", "kube-public", "kube-node-lease"');
  });

  test('the empty-entry problem warns about the delete path', () => {
    expect(ReplicateToLint.check('dp-.*,')[0].problem).toContain('EVERY namespace when the source is deleted');
  });

  test('the source namespace is only checked when given', () => {
    expect(ReplicateToLint.check('team-.*')).toEqual([]);
    expect(ReplicateToLint.check('team-.*', { sourceNamespace: 'team-a' }).map(f => f.code)).toEqual([Code.MATCHES_SOURCE_NAMESPACE]);
  });

  test('the system namespace list only grows', () => {
    expect(ReplicateToLint.check('dp-.*', { systemNamespaces: ['dp-infra'] }).map(f => [f.code, f.namespaces])).toEqual([[Code.MATCHES_SYSTEM_NAMESPACE, ['dp-infra']]]);
    expect(ReplicateToLint.check('kube-.*', { systemNamespaces: [] }).map(f => f.code)).toEqual([Code.MATCHES_SYSTEM_NAMESPACE]);
    expect(ReplicateToLint.check('.*-system', { systemNamespaces: ['argocd'] })[0].namespaces)
      .toEqual(['kube-system', 'istio-system', 'choreo-system', 'image-controller-system']);
  });
});

describe('ReplicateToLint good values', () => {
  test.each(GOOD_VALUES)('%j has no finding', value => {
    expect(ReplicateToLint.check(value, { sourceNamespace: SOURCE })).toEqual([]);
    expect(() => ReplicateToLint.validate(value, 'replicateTo', undefined, { sourceNamespace: SOURCE })).not.toThrow();
  });
});

describe('ReplicateToLint.validate message', () => {
  test('names the construct path, the property, the value, every problem and every fix', () => {
    const chart = new Chart(Testing.app(), 'platform');
    const error = validationErrorOf(() => ReplicateToLint.validate('dp-*,foo|bar', 'replication.replicateTo', chart));
    expect(error.message.startsWith('[platform] replication.replicateTo: ')).toBe(true);
    expect(error.message).toContain('(got "dp-*,foo|bar")');
    expect(error.problem).toContain('"dp-*" looks like a glob');
    expect(error.problem).toContain('"foo|bar" has a "|" outside parentheses');
    expect(error.fix).toContain('write "dp-.*"');
    expect(error.fix).toContain('"(foo|bar)"');
  });
});
