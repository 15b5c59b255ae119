import { ValidationError } from '../../src/errors';
import {
  MittwaldReplicateTo,
  NamespaceInfo,
  NamespaceSelection,
  NamespaceSelectionKind,
} from '../../src/replication/namespace-selection';
import { validationErrorOf } from '../helpers/errors';
import { loadReferenceJson } from '../helpers/reference';

const mittwald = loadReferenceJson('replication', 'mittwald-namespace-matching.json');
const reflector = loadReferenceJson('replication', 'reflector-namespace-matching.json');
const replicateToVectors = loadReferenceJson('openchoreo', 'replicator-replicate-to-vectors.json');
const annotationCatalogue = loadReferenceJson('replication', 'annotations.json');

/** What the upstream tests generate at run time for `<prefix>`, `<guid>` and `<name>`. */
const PREFIX = 'test-repl-260707120000-';
const GUID = '0198c0de-7a3b-7c1d-9e2f-0123456789ab';

function expand(text: string): string {
  return text.replace(/<prefix>/g, PREFIX).replace(/<guid>/g, GUID).replace(/<name>/g, 'registry-pull');
}

describe('mittwald replicate-to: casesDerived', () => {
  const rows: any[] = mittwald.casesDerived;

  test('all 40 rows are read', () => {
    expect(rows).toHaveLength(40);
  });

  test.each(rows.map(row => [row.patterns, row.namespace, row] as const))('%j → %s', (_patterns, _namespace, row) => {
    const selection = NamespaceSelection.mittwaldReplicateTo(row.patterns);
    expect(selection.receives({ name: row.namespace }, row.sourceNamespace)).toBe(row.replicated);
    const parsed = MittwaldReplicateTo.parse(row.patterns);
    expect(parsed.matchesOnDelete(row.namespace)).toBe(row.mittwaldDeletePathMatches);
    expect(parsed.invalidEntries).toEqual(expect.arrayContaining(row.mittwaldInvalidEntries));
  });

  test('lists every entry RE2 rejects, also after a matching one (StringToPatternList compiles them all)', () => {
    expect(MittwaldReplicateTo.parse('dp-x,dp-(').invalidEntries).toEqual(['dp-(']);
    expect(MittwaldReplicateTo.parse('dp-(?!sys).*, dp-(').entries).toEqual([
      { entry: 'dp-(?!sys).*', anchoredRegex: '^dp-(?!sys).*$', error: expect.stringContaining('(?!') },
      { entry: 'dp-(', anchoredRegex: '^dp-($', error: expect.stringContaining('missing closing )') },
    ]);
  });

  test('anchors textually: no grouping, existing anchors kept', () => {
    expect(MittwaldReplicateTo.parse(' foo|bar ,^a$, b').entries.map(entry => entry.anchoredRegex))
      .toEqual(['^foo|bar$', '^a$', '^b$']);
    expect(MittwaldReplicateTo.parse('').entries).toEqual([{ entry: '', anchoredRegex: '^$', error: undefined }]);
  });
});

describe('mittwald: casesFromTests', () => {
  const rows: any[] = mittwald.casesFromTests;
  const push = rows.filter(row => row.mode === 'push');
  const pull = rows.filter(row => row.mode === 'pull');

  test('14 rows: 11 push, 3 pull', () => {
    expect(push).toHaveLength(11);
    expect(pull).toHaveLength(3);
  });

  test.each(push.map(row => [row.test, row] as const))('%s', (_name, row) => {
    const selection = row.selector !== undefined
      ? NamespaceSelection.mittwaldReplicateToMatching(row.selector)
      : NamespaceSelection.mittwaldReplicateTo(expand(row.patterns));
    const namespace: NamespaceInfo = { name: expand(row.namespace), labels: row.namespaceLabels };
    expect(selection.receives(namespace, expand(row.sourceNamespace))).toBe(row.replicated);
  });

  // Pull mode (replicate-from) also needs replication-allowed on the source, which is not a namespace selection;
  // only its namespace pattern, anchored like replicate-to, is checked here.
  test.each(pull.map(row => [row.test, row] as const))('%s: the replication-allowed-namespaces pattern matches', (_name, row) => {
    expect(MittwaldReplicateTo.parse(expand(row.patterns)).matchesOnCreate(expand(row.namespace))).toBe(true);
  });
});

describe('mittwald: OpenChoreo replicate-to vectors', () => {
  const candidates: NamespaceInfo[] = replicateToVectors.candidateNamespaces.map((name: string) => ({ name }));

  test.each((replicateToVectors.vectors as any[]).map((v: any) => [v.annotation, v.sourceNamespace, v] as const))(
    'replicate-to %j from %s', (_annotation, _source, vector: any) => {
      const selection = NamespaceSelection.mittwaldReplicateTo(vector.annotation);
      expect(selection.preview(candidates, vector.sourceNamespace)).toEqual(vector.expectedTargets);
    });
});

describe('mittwald: --exclude-namespaces flag rows', () => {
  test.each((mittwald.excludeFlagCasesDerived as any[]).map((row: any) => [row.excludeNamespacesFlag, row.namespace, row] as const))(
    'flag %j on %s', (_flag, _namespace, row: any) => {
      const selection = NamespaceSelection.mittwald({ replicateTo: '.*', controllerExcludeNamespaces: row.excludeNamespacesFlag });
      expect(selection.receives({ name: row.namespace }, 'choreo-system')).toBe(!row.excluded);
    });

  test('the flag is not trimmed: " default" never matches "default"', () => {
    const selection = NamespaceSelection.mittwald({ replicateTo: '.*', controllerExcludeNamespaces: 'kube-system, default' });
    expect(selection.preview([{ name: 'kube-system' }, { name: 'default' }], 'choreo-system')).toEqual(['default']);
  });

  test('empty and invalid flag entries are ignored', () => {
    const selection = NamespaceSelection.mittwald({ replicateTo: '.*', controllerExcludeNamespaces: ',kube-(,kube-system' });
    expect(selection.preview([{ name: 'kube-system' }, { name: 'kube-(' }, { name: 'dp-a' }], 'choreo-system'))
      .toEqual(['kube-(', 'dp-a']);
  });
});

describe('mittwald: replicate-to plus replicate-to-matching', () => {
  const namespaces: NamespaceInfo[] = [
    { name: 'choreo-system', labels: { 'openchoreo.dev/dataplane': 'true' } },
    { name: 'dp-a' },
    { name: 'team-x', labels: { 'openchoreo.dev/dataplane': 'true' } },
    { name: 'team-y', labels: { 'openchoreo.dev/dataplane': 'false' } },
  ];

  test('a namespace matching either one receives a copy; the source namespace never does', () => {
    const selection = NamespaceSelection.mittwald({ replicateTo: 'dp-.*', replicateToMatching: 'openchoreo.dev/dataplane=true' });
    expect(selection.kind).toBe(NamespaceSelectionKind.MITTWALD);
    expect(selection.preview(namespaces, 'choreo-system')).toEqual(['dp-a', 'team-x']);
    expect(NamespaceSelection.mittwaldReplicateToMatching('openchoreo.dev/dataplane').preview(namespaces, 'choreo-system'))
      .toEqual(['team-x', 'team-y']);
  });

  test('emits exactly the annotations it was given', () => {
    const annotations = NamespaceSelection.mittwald({ replicateTo: 'dp-.*', replicateToMatching: ' team in (a) ' }).sourceAnnotations();
    expect(annotations).toEqual({
      'replicator.v1.mittwald.de/replicate-to': 'dp-.*',
      'replicator.v1.mittwald.de/replicate-to-matching': ' team in (a) ',
    });
    const known = annotationCatalogue.mittwald.annotations.map((a: any) => a.key);
    expect(known).toEqual(expect.arrayContaining(Object.keys(annotations)));
    expect(NamespaceSelection.mittwaldReplicateTo('dp-.*').namespaceSelectorSpecs()).toEqual([]);
  });

  test('rejects a selection with neither annotation', () => {
    const error = validationErrorOf(() => NamespaceSelection.mittwald({}));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.property).toBe('replicateTo');
    expect(error.message).toContain('Fix: set replicateTo');
  });

  test('rejects a malformed replicate-to-matching selector', () => {
    const error = validationErrorOf(() => NamespaceSelection.mittwaldReplicateToMatching('team in (a'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.property).toBe('replicateToMatching');
    expect(error.message).toContain('Fix: ');
  });
});

describe('reflector: casesDerived', () => {
  const rows: any[] = reflector.casesDerived;
  const determined = rows.filter(row => row.reflected !== null);
  const undetermined = rows.filter(row => row.reflected === null);

  test('39 rows, one left undetermined by the reference data', () => {
    expect(rows).toHaveLength(39);
    expect(undetermined.map(row => row.patterns)).toEqual(['(?i)DP-.*']);
  });


  describe.each(['allowedNamespaces', 'autoNamespaces'])('as %s', property => {
    test.each(determined.map(row => [row.patterns, row.namespace, row] as const))('%j → %s', (_patterns, _namespace, row) => {
      const selection = NamespaceSelection.reflectorAuto({ [property]: row.patterns });
      const receives = () => selection.receives({ name: row.namespace }, 'choreo-system');
      if (row.reflected === 'error') {
        const error = validationErrorOf(receives);
        expect(error).toBeInstanceOf(ValidationError);
        expect(error.property).toBe(property);
        expect(error.message).toContain('"dp-(" cannot be compiled for the preview');
        expect(error.message).toContain('Fix: ');
      } else {
        expect(receives()).toBe(row.reflected);
      }
    });
  });

  test.skip.each(undetermined.map(row => [row.patterns, row.namespace, row.note] as const))(
    '%j → %s skipped: %s', () => undefined);

  test('the skipped (?i) row cannot be previewed: inline options are outside the shared subset', () => {
    const error = validationErrorOf(() => NamespaceSelection.reflectorAuto({ allowedNamespaces: '(?i)DP-.*' }).receives({ name: 'dp-x' }, 'choreo-system'));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fix).toContain('[Dd][Pp]-.*');
  });
});

describe('reflector: casesFromTests', () => {
  const rows: any[] = reflector.casesFromTests;
  const single = rows.filter(row => row.reflected !== undefined);
  const sequences = rows.filter(row => row.reflectedSequence !== undefined);
  const direct = rows.filter(row => row.mode === 'direct');

  test('11 rows: 9 single, 1 label sequence, 1 direct', () => {
    expect([single.length, sequences.length, direct.length]).toEqual([9, 1, 1]);
  });

  function selectionFor(row: any): NamespaceSelection {
    return NamespaceSelection.reflectorAuto({
      allowedNamespaces: row.annotations['reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces'],
      allowedNamespacesSelector: row.annotations['reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces-selector'],
      watcherExcludedNamespaces: row.watcherExcludedNamespaces,
    });
  }

  test.each(single.map(row => [row.test, expand(row.namespace), row] as const))('%s → %s', (_name, namespace, row) => {
    const source = expand(row.sourceNamespace ?? 'src-<guid>');
    expect(selectionFor(row).receives({ name: namespace, labels: row.namespaceLabels }, source)).toBe(row.reflected);
  });

  test.each(sequences.map(row => [row.test, row] as const))('%s', (_name, row) => {
    const selection = selectionFor(row);
    const received = row.labelSequence.map((value: string) =>
      selection.receives({ name: expand(row.namespace), labels: { 'reflector-test-env': value } }, expand('src-<guid>')));
    expect(received).toEqual(row.reflectedSequence);
  });

  test.skip.each(direct.map(row => [row.test] as const))(
    '%s skipped: a direct mirror is pulled by the target (reflects annotation), not chosen by a NamespaceSelection', () => undefined);
});

describe('reflector: propertiesCasesFromTests', () => {
  test.each((reflector.propertiesCasesFromTests as any[]).map((row: any, index: number) => [index, row] as const))('row %i', (_index, row: any) => {
    expect(row.allowed).toBe(true);
    const selection = NamespaceSelection.reflectorAuto({
      allowedNamespaces: row.allowedNamespaces,
      allowedNamespacesSelector: row.allowedNamespacesSelector,
      autoNamespacesSelector: row.autoNamespacesSelector,
    });
    const expected = row.canAutoReflect ?? row.canReflect;
    expect(selection.receives({ name: row.namespace, labels: row.namespaceLabels }, 'source-ns')).toBe(expected);
  });
});

describe('reflector: watcher excludedNamespaces globs', () => {
  test.each((reflector.excludedNamespacesGlobCasesFromTests as any[]).map((row: any) => [row.excludedNamespaces, row.namespace, row] as const))(
    'glob %j on source namespace %j', (_globs, _namespace, row: any) => {
      const selection = NamespaceSelection.reflectorAuto({ watcherExcludedNamespaces: row.excludedNamespaces });
      expect(selection.receives({ name: 'target' }, row.namespace)).toBe(!row.excluded);
    });

  test('globs are trimmed and lower-cased; excluded namespaces still receive mirrors', () => {
    const selection = NamespaceSelection.reflectorAuto({ watcherExcludedNamespaces: ' Kube-* , ephie-?' });
    expect(selection.receives({ name: 'x' }, 'kube-system')).toBe(false);
    expect(selection.receives({ name: 'x' }, 'ephie-1')).toBe(false);
    expect(selection.receives({ name: 'kube-system' }, 'choreo-system')).toBe(true);
  });
});

describe('reflector: rules read from MirroringPropertiesExtensions', () => {
  const namespaces: NamespaceInfo[] = [
    { name: 'choreo-system' },
    { name: 'dp-a', labels: { env: 'prod' } },
    { name: 'dp-b' },
    { name: 'team-x', labels: { env: 'prod' } },
  ];

  test('allowed-* AND auto-*; names OR selector within each pair; the source namespace is skipped', () => {
    const selection = NamespaceSelection.reflectorAuto({
      allowedNamespaces: 'dp-.*',
      allowedNamespacesSelector: 'env=prod',
      autoNamespacesSelector: 'env',
    });
    expect(selection.kind).toBe(NamespaceSelectionKind.REFLECTOR);
    expect(selection.preview(namespaces, 'choreo-system')).toEqual(['dp-a', 'team-x']);
    expect(NamespaceSelection.reflectorAuto({}).preview(namespaces, 'choreo-system')).toEqual(['dp-a', 'dp-b', 'team-x']);
  });

  test('a list of only commas or blanks is set but holds no pattern: it matches nothing', () => {
    expect(NamespaceSelection.reflectorAuto({ allowedNamespaces: ',' }).preview(namespaces, 'choreo-system')).toEqual([]);
    expect(NamespaceSelection.reflectorAuto({ allowedNamespaces: ' ' }).preview(namespaces, 'choreo-system')).toEqual([]);
  });

  test('a blank selector counts as set and matches every namespace', () => {
    const selection = NamespaceSelection.reflectorAuto({ allowedNamespaces: 'none', allowedNamespacesSelector: '  ' });
    expect(selection.preview(namespaces, 'choreo-system')).toEqual(['dp-a', 'dp-b', 'team-x']);
  });

  test('an auto-* pattern is not evaluated for a namespace the allowed-* pair already refused', () => {
    const selection = NamespaceSelection.reflectorAuto({ allowedNamespaces: 'dp-.*', autoNamespaces: 'dp-(' });
    expect(selection.receives({ name: 'team-x' }, 'choreo-system')).toBe(false);
    expect(() => selection.receives({ name: 'dp-a' }, 'choreo-system')).toThrow(ValidationError);
  });

  test('emits reflection-allowed and reflection-auto-enabled plus the given values', () => {
    const annotations = NamespaceSelection.reflectorAuto({ allowedNamespaces: 'dp-.*', autoNamespacesSelector: 'env=prod' }).sourceAnnotations();
    expect(annotations).toEqual({
      'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
      'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': 'dp-.*',
      'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true',
      'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces-selector': 'env=prod',
    });
    const known = annotationCatalogue.reflector.annotations.map((a: any) => a.key);
    expect(known).toEqual(expect.arrayContaining(Object.keys(annotations)));
    expect(NamespaceSelection.reflectorAuto({}).namespaceSelectorSpecs()).toEqual([]);
  });

  test.each([
    ['replicas>2', '"\u003e" operator'],
    ['env in (a,)', 'has an empty value'],
    ['env in ()', 'has an empty value'],
    ['env=a,env=b', 'two equality requirements'],
  ])('rejects the selector %j, which the reflector reads differently', (selector, problem) => {
    const error = validationErrorOf(() => NamespaceSelection.reflectorAuto({ autoNamespacesSelector: selector }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.property).toBe('autoNamespacesSelector');
    expect(error.problem).toContain(problem);
    expect(error.message).toContain('Fix: ');
  });
});

describe('External Secrets Operator label selectors', () => {
  const namespaces: NamespaceInfo[] = [
    { name: 'choreo-system', labels: { 'openchoreo.dev/dataplane': 'true' } },
    { name: 'dp-a', labels: { 'openchoreo.dev/dataplane': 'true' } },
    { name: 'dp-b' },
    { name: 'team-x', labels: { team: 'x' } },
  ];

  test('selectors are ORed; ESO does not skip the source namespace', () => {
    const selection = NamespaceSelection.labelSelectors(['openchoreo.dev/dataplane=true', 'team in (x,y)']);
    expect(selection.kind).toBe(NamespaceSelectionKind.EXTERNAL_SECRETS);
    expect(selection.preview(namespaces, 'choreo-system')).toEqual(['choreo-system', 'dp-a', 'team-x']);
    expect(NamespaceSelection.labelSelectors([]).preview(namespaces, 'choreo-system')).toEqual([]);
  });

  test('renders spec.namespaceSelectors and no annotations', () => {
    const selection = NamespaceSelection.labelSelectors(['openchoreo.dev/dataplane=true', 'team in (y,x),!legacy']);
    expect(selection.namespaceSelectorSpecs()).toEqual([
      { matchLabels: { 'openchoreo.dev/dataplane': 'true' }, matchExpressions: undefined },
      {
        matchLabels: undefined,
        matchExpressions: [
          { key: 'legacy', operator: 'DoesNotExist' },
          { key: 'team', operator: 'In', values: ['x', 'y'] },
        ],
      },
    ]);
    expect(selection.sourceAnnotations()).toEqual({});
  });

  test('names the failing selector by index', () => {
    const error = validationErrorOf(() => NamespaceSelection.labelSelectors(['env=prod', 'tier>1']));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.property).toBe('labelSelectors[1]');
    expect(error.message).toContain('Fix: ');
  });
});
