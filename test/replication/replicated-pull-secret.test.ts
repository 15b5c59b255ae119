import { App, Chart } from 'cdk8s';
import { RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import { TokenGenerator } from '../../src/credentials/token-generator';
import { SecretDelivery, SecretStoreKind } from '../../src/delivery/secret-delivery';
import { ValidationError } from '../../src/errors';
import { KubernetesNames } from '../../src/names';
import { DataPlane, DataPlaneApi } from '../../src/openchoreo/data-plane';
import { OpenChoreoNames } from '../../src/openchoreo/namespace-names';
import { NamespaceInfo, NamespaceSelection } from '../../src/replication/namespace-selection';
import { ReplicateToFindingSeverity, ReplicateToLint } from '../../src/replication/pattern-lint';
import { reflectorRegexProblem } from '../../src/replication/reflector-regex';
import { ReplicatedPullSecret, ReplicatedPullSecretProps } from '../../src/replication/replicated-pull-secret';
import { validationErrorOf } from '../helpers/errors';
import { checkManifests } from '../helpers/manifest-checker';
import { loadReferenceJson } from '../helpers/reference';

const mittwald = loadReferenceJson('replication', 'mittwald-namespace-matching.json');
const reflector = loadReferenceJson('replication', 'reflector-namespace-matching.json');
const replicateToVectors = loadReferenceJson('openchoreo', 'replicator-replicate-to-vectors.json');
const nameVectors = loadReferenceJson('openchoreo', 'namespace-name-vectors.json');

/** What the upstream tests generate at run time for `<prefix>` and `<guid>`. */
const PREFIX = 'test-repl-260707120000-';
const GUID = '0198c0de-7a3b-7c1d-9e2f-0123456789ab';
const ALLOW_ALL = {
  allowGlobLike: true,
  allowedProtectedNamespaces: ReplicatedPullSecret.DEFAULT_PROTECTED_NAMESPACES,
  allowSourceNamespace: true,
  allowEveryNamespace: true,
};
const TOKEN = 'dckr_pat_FAKE-token';
/** The shape kubeseal writes: a uint16 RSA ciphertext length (256), the RSA ciphertext, AES-GCM ciphertext and tag. */
const SEALED = Buffer.concat([Buffer.from([1, 0]), Buffer.alloc(256 + 32, 7)]).toString('base64');
const REPLICATE_TO = 'replicator.v1.mittwald.de/replicate-to';
const STRIP_LABELS = 'replicator.v1.mittwald.de/strip-labels';

function expand(text: string): string {
  return text.replace(/<prefix>/g, PREFIX).replace(/<guid>/g, GUID);
}

const plainHub = () => [RegistryCredentials.dockerHubToken('acme', SecretValue.unsafePlainText(TOKEN))];
const externalHub = () => [RegistryCredentials.dockerHubToken('acme', SecretValue.fromExternalSecret('registry/dockerhub', { property: 'token' }))];
const vault = () => SecretDelivery.externalSecret({ store: { name: 'vault' } });

function pullSecret(props: Partial<ReplicatedPullSecretProps> = {}, chartNamespace?: string): ReplicatedPullSecret {
  const chart = new Chart(new App(), 'test', { namespace: chartNamespace });
  return new ReplicatedPullSecret(chart, 'DockerHubPull', { credentials: plainHub(), ...props });
}

/** A selection through the construct, with every risky selection allowed: what it previews, or the error it raises. */
function throughConstruct(targets: () => NamespaceSelection, sourceNamespace: string): ReplicatedPullSecret | ValidationError {
  try {
    return pullSecret({ namespace: sourceNamespace, targets: targets(), safety: ALLOW_ALL });
  } catch (e) {
    if (e instanceof ValidationError) {
      return e;
    }
    throw e;
  }
}

function objects(secret: ReplicatedPullSecret): any[] {
  return (Chart.of(secret) as Chart).toJson();
}

describe('ReplicatedPullSecret: the OpenChoreo default', () => {
  const secret = pullSecret();
  const [object] = objects(secret);

  test('a dockerconfigjson Secret in choreo-system with replicate-to "dp-.*" and strip-labels on the Secret itself', () => {
    expect(object.kind).toBe('Secret');
    expect(object.type).toBe('kubernetes.io/dockerconfigjson');
    expect(object.metadata).toEqual({
      name: 'docker-hub-pull',
      namespace: 'choreo-system',
      labels: { 'cdk8s-registries/purpose': 'pull' },
      annotations: {
        'argocd.argoproj.io/sync-wave': '-1',
        'cdk8s-registries/registries': 'https://index.docker.io/v1/',
        [REPLICATE_TO]: 'dp-.*',
        [STRIP_LABELS]: 'true',
      },
    });
    expect(checkManifests([object])).toEqual([]);
  });

  test('is a RegistrySecret usable as the DataPlane pull secret', () => {
    expect([secret.name, secret.namespace, secret.sourceNamespace, secret.registries]).toEqual(
      ['docker-hub-pull', 'choreo-system', 'choreo-system', ['https://index.docker.io/v1/']]);
    const dataPlane = new DataPlane(Chart.of(secret), 'DataPlane', {
      api: DataPlaneApi.V1ALPHA1_PULL,
      name: 'default',
      organization: 'default',
      kubernetesCluster: {
        name: 'c',
        credentials: {
          apiServerUrl: 'https://10.0.0.1:6443',
          caCert: Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64'),
          clientCert: Buffer.from('-----BEGIN CERTIFICATE-----').toString('base64'),
          clientKey: SecretValue.unsafePlainText(Buffer.from('-----BEGIN EC PRIVATE KEY-----').toString('base64')),
        },
      },
      gateway: { publicVirtualHost: 'a', organizationVirtualHost: 'b' },
      pullRegistry: { prefix: 'docker.io/acme', secret },
    });
    expect(dataPlane.apiObject.toJson().spec.registry).toEqual({ prefix: 'docker.io/acme', secretRef: 'docker-hub-pull' });
  });

  test('reaches the real data-plane namespace names OpenChoreo generates, and nothing else', () => {
    const pairs = [...nameVectors.dataPlaneNamespace_limit63, ...nameVectors.dataPlaneNamespace_limit63_derived];
    const dpNamespaces: NamespaceInfo[] = pairs.map((pair: any) => ({
      name: OpenChoreoNames.dataPlaneNamespace(pair.input[1], pair.input[2], pair.input[3]),
    }));
    expect(dpNamespaces.map(n => n.name)).toEqual(pairs.map((pair: any) => pair.expected));
    const others: NamespaceInfo[] = ['choreo-system', OpenChoreoNames.buildNamespace('default-org'), 'default-org', 'kube-system', 'default', 'openchoreo-dp-x', 'dp']
      .map(name => ({ name }));
    expect(secret.preview([...others, ...dpNamespaces])).toEqual(pairs.map((pair: any) => pair.expected));
  });

  test('copyLabels keeps the labels on the copies (no strip-labels annotation)', () => {
    const annotations = objects(pullSecret({ copyLabels: true }))[0].metadata.annotations;
    expect(annotations[REPLICATE_TO]).toBe('dp-.*');
    expect(annotations[STRIP_LABELS]).toBeUndefined();
  });
});

describe('ReplicatedPullSecret: the annotations land where the controller that writes the Secret takes them from', () => {
  const annotationsOf = (object: any) => ({
    Secret: object.metadata?.annotations,
    SealedSecret: object.spec?.template?.metadata?.annotations,
    ExternalSecret: object.spec?.target?.template?.metadata?.annotations,
  } as any)[object.kind];

  test.each([
    ['plain Secret', { credentials: plainHub() }, 'Secret'],
    ['SealedSecret', { credentials: [RegistryCredentials.dockerHubToken('acme', SecretValue.sealed(SEALED))], delivery: SecretDelivery.sealedSecret() }, 'SealedSecret'],
    ['ExternalSecret', { credentials: externalHub(), delivery: vault() }, 'ExternalSecret'],
  ])('%s', (_name, props, kind) => {
    const [object] = objects(pullSecret({ ...props, targets: NamespaceSelection.mittwald({ replicateTo: 'dp-.*', replicateToMatching: 'openchoreo.dev/dataplane=true' }) }));
    expect(object.kind).toBe(kind);
    expect(annotationsOf(object)).toEqual(expect.objectContaining({
      [REPLICATE_TO]: 'dp-.*',
      'replicator.v1.mittwald.de/replicate-to-matching': 'openchoreo.dev/dataplane=true',
      [STRIP_LABELS]: 'true',
    }));
    expect(checkManifests([object])).toEqual([]);
  });

  test('reflector annotations', () => {
    const [object] = objects(pullSecret({ targets: NamespaceSelection.reflectorAuto({ allowedNamespaces: 'dp-.*', autoNamespaces: 'dp-.*' }) }));
    expect(object.metadata.annotations).toEqual(expect.objectContaining({
      'reflector.v1.k8s.emberstack.com/reflection-allowed': 'true',
      'reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces': 'dp-.*',
      'reflector.v1.k8s.emberstack.com/reflection-auto-enabled': 'true',
      'reflector.v1.k8s.emberstack.com/reflection-auto-namespaces': 'dp-.*',
    }));
    expect(object.metadata.annotations[STRIP_LABELS]).toBeUndefined();
  });
});

describe('ReplicatedPullSecret: External Secrets Operator ClusterExternalSecret', () => {
  const targets = () => NamespaceSelection.labelSelectors(['openchoreo.dev/dataplane=true', 'team in (a,b)']);
  const secret = pullSecret({ credentials: externalHub(), delivery: vault(), targets: targets() }, 'choreo-system');
  const [externalSecret, clusterExternalSecret] = objects(secret);

  test('cluster-scoped: no namespace even in a chart with a namespace', () => {
    expect(clusterExternalSecret.kind).toBe('ClusterExternalSecret');
    expect(clusterExternalSecret.metadata.namespace).toBeUndefined();
    expect(externalSecret.metadata.namespace).toBe('choreo-system');
    expect(checkManifests([externalSecret, clusterExternalSecret])).toEqual([]);
  });

  test('copies the source ExternalSecret spec into every selected namespace', () => {
    expect(clusterExternalSecret.spec).toEqual({
      externalSecretName: 'docker-hub-pull',
      externalSecretSpec: externalSecret.spec,
      namespaceSelectors: [
        { matchLabels: { 'openchoreo.dev/dataplane': 'true' } },
        { matchExpressions: [{ key: 'team', operator: 'In', values: ['a', 'b'] }] },
      ],
    });
    expect(clusterExternalSecret.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '-1',
      'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
    });
  });

  test('preview by namespace labels, including the kubernetes.io/metadata.name label every namespace has', () => {
    expect(secret.preview([
      { name: 'dp-a', labels: { 'openchoreo.dev/dataplane': 'true' } },
      { name: 'dp-b' },
      { name: 'team-a', labels: { team: 'a' } },
    ])).toEqual(['dp-a', 'team-a']);
    const byName = pullSecret({ credentials: externalHub(), delivery: vault(), targets: NamespaceSelection.labelSelectors(['kubernetes.io/metadata.name in (dp-a,dp-c)']) });
    expect(byName.preview([{ name: 'dp-a' }, { name: 'dp-b' }, { name: 'dp-c' }])).toEqual(['dp-a', 'dp-c']);
  });
});

describe('ReplicatedPullSecret: every replication vector through the construct', () => {
  describe('mittwald casesDerived', () => {
    const rows: any[] = mittwald.casesDerived;
    const hasError = (row: any) => ReplicateToLint.check(row.patterns, { sourceNamespace: row.sourceNamespace })
      .some(finding => finding.severity === ReplicateToFindingSeverity.ERROR);

    test('the lint rejects the rows whose patterns misbehave, and previews the others', () => {
      expect(rows).toHaveLength(40);
      expect(rows.filter(hasError).map(row => row.patterns)).toEqual([
        'dp-', 'ns-1 ns-2', 'foo|bar', 'foo|bar', 'foo|bar', 'dp-[a-z]{1,3}', 'dp-[a-z]{1,3}', '', '^dp-',
        'dp-(,dp-x', 'dp-x,dp-(', 'dp-.*,', 'DP-.*', 'dp-(?!sys).*',
      ]);
      expect(rows.filter(row => !hasError(row))).toHaveLength(26);
    });

    test.each(rows.map(row => [row.patterns, row.namespace, row] as const))('%j → %s', (_patterns, _namespace, row) => {
      const outcome = throughConstruct(() => NamespaceSelection.mittwaldReplicateTo(row.patterns), row.sourceNamespace);
      if (hasError(row)) {
        expect(outcome).toBeInstanceOf(ValidationError);
        expect((outcome as ValidationError).property).toBe('targets.replicateTo');
      } else {
        expect((outcome as ReplicatedPullSecret).receives({ name: row.namespace })).toBe(row.replicated);
      }
    });
  });

  describe('mittwald casesFromTests (push)', () => {
    const push: any[] = mittwald.casesFromTests.filter((row: any) => row.mode === 'push');
    test.each(push.map(row => [row.test, row] as const))('%s', (_name, row) => {
      const targets = () => (row.selector !== undefined
        ? NamespaceSelection.mittwaldReplicateToMatching(row.selector)
        : NamespaceSelection.mittwaldReplicateTo(expand(row.patterns)));
      const outcome = throughConstruct(targets, expand(row.sourceNamespace)) as ReplicatedPullSecret;
      expect(outcome.receives({ name: expand(row.namespace), labels: row.namespaceLabels })).toBe(row.replicated);
    });
  });

  describe('mittwald --exclude-namespaces flag rows', () => {
    test.each((mittwald.excludeFlagCasesDerived as any[]).map(row => [row.excludeNamespacesFlag, row.namespace, row] as const))(
      'flag %j on %s', (_flag, _namespace, row) => {
        const outcome = throughConstruct(() => NamespaceSelection.mittwald({ replicateTo: '.*', controllerExcludeNamespaces: row.excludeNamespacesFlag }), 'choreo-system');
        expect((outcome as ReplicatedPullSecret).receives({ name: row.namespace })).toBe(!row.excluded);
      });
  });

  describe('OpenChoreo replicate-to vectors', () => {
    const candidates: NamespaceInfo[] = replicateToVectors.candidateNamespaces.map((name: string) => ({ name }));
    test.each((replicateToVectors.vectors as any[]).map(v => [v.annotation, v.sourceNamespace, v] as const))('replicate-to %j from %s', (_a, _s, vector) => {
      const outcome = throughConstruct(() => NamespaceSelection.mittwaldReplicateTo(vector.annotation), vector.sourceNamespace);
      if (vector.annotation === 'dp-') {
        // "dp-" matches nothing: the construct refuses it instead of previewing an empty list.
        expect(vector.expectedTargets).toEqual([]);
        expect((outcome as ValidationError).fix).toContain('write "dp-.*"');
      } else {
        expect((outcome as ReplicatedPullSecret).preview(candidates)).toEqual(vector.expectedTargets);
      }
    });
  });

  describe('reflector casesDerived (as allowedNamespaces and as autoNamespaces)', () => {
    const rows: any[] = reflector.casesDerived;
    /** The pure selection fails for a namespace no entry matches when an entry is outside the regex subset .NET and JavaScript share. */
    const failsSomewhere = (patterns: string) => {
      try {
        NamespaceSelection.reflectorAuto({ allowedNamespaces: patterns }).receives({ name: 'zz-matched-by-none' }, 'choreo-system');
        return false;
      } catch (e) {
        return e instanceof ValidationError;
      }
    };

    /** The construct also refuses entries outside the regex subset .NET and the preview read alike. */
    const outsideSubset = (patterns: string) => patterns.split(',').some(entry => entry.trim() !== '' && reflectorRegexProblem(entry.trim()) !== undefined);
    const refused = (patterns: string) => failsSomewhere(patterns) || outsideSubset(patterns);

    test('rows the preview cannot decide: invalid regexes (also where a valid entry matches first) and the undetermined (?i) row', () => {
      expect(rows.filter(row => failsSomewhere(row.patterns)).map(row => [row.patterns, row.reflected]))
        .toEqual([['dp-(,dp-x', 'error'], ['dp-x,dp-(', true], ['(?i)DP-.*', null]]);
    });

    test('rows the construct refuses besides: a split {1,3} (lone braces) and look-ahead', () => {
      expect(rows.filter(row => !failsSomewhere(row.patterns) && outsideSubset(row.patterns)).map(row => [row.patterns, row.reflected]))
        .toEqual([['dp-[a-z]{1,3}', false], ['dp-[a-z]{1,3}', true], ['dp-(?!sys).*', true]]);
    });

    describe.each(['allowedNamespaces', 'autoNamespaces'])('%s', property => {
      test.each(rows.map(row => [row.patterns, row.namespace, row] as const))('%j → %s', (_patterns, _namespace, row) => {
        const outcome = throughConstruct(() => NamespaceSelection.reflectorAuto({ [property]: row.patterns }), 'choreo-system');
        if (refused(row.patterns)) {
          // The reflector stops at an invalid entry for every namespace the entries before it do not match.
          expect(outcome).toBeInstanceOf(ValidationError);
          expect((outcome as ValidationError).property).toBe(`targets.${property}`);
        } else {
          expect((outcome as ReplicatedPullSecret).receives({ name: row.namespace })).toBe(row.reflected);
        }
      });
    });
  });

  describe('reflector casesFromTests (auto mirrors)', () => {
    const rows: any[] = reflector.casesFromTests.filter((row: any) => row.mode === 'auto');
    const selectionFor = (row: any) => () => NamespaceSelection.reflectorAuto({
      allowedNamespaces: row.annotations['reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces'],
      allowedNamespacesSelector: row.annotations['reflector.v1.k8s.emberstack.com/reflection-allowed-namespaces-selector'],
      watcherExcludedNamespaces: row.watcherExcludedNamespaces,
    });

    test.each(rows.map(row => [row.test, expand(row.namespace), row] as const))('%s → %s', (_name, namespace, row) => {
      const secret = throughConstruct(selectionFor(row), expand(row.sourceNamespace ?? 'src-<guid>')) as ReplicatedPullSecret;
      if (row.labelSequence) {
        const received = row.labelSequence.map((value: string) => secret.receives({ name: namespace, labels: { 'reflector-test-env': value } }));
        expect(received).toEqual(row.reflectedSequence);
      } else {
        expect(secret.receives({ name: namespace, labels: row.namespaceLabels })).toBe(row.reflected);
      }
    });
  });

  describe('reflector propertiesCasesFromTests', () => {
    test.each((reflector.propertiesCasesFromTests as any[]).map((row, index) => [index, row] as const))('row %i', (_index, row) => {
      const secret = throughConstruct(() => NamespaceSelection.reflectorAuto({
        allowedNamespaces: row.allowedNamespaces,
        allowedNamespacesSelector: row.allowedNamespacesSelector,
        autoNamespacesSelector: row.autoNamespacesSelector,
      }), 'source-ns') as ReplicatedPullSecret;
      expect(secret.receives({ name: row.namespace, labels: row.namespaceLabels })).toBe(row.canAutoReflect ?? row.canReflect);
    });
  });

  describe('reflector label selector cases', () => {
    test.each((reflector.labelSelectorCasesFromTests as any[]).map(row => [row.selector, row.namespaceLabels, row] as const))(
      'selector %j on %j', (_selector, _labels, row) => {
        const outcome = throughConstruct(() => NamespaceSelection.reflectorAuto({ allowedNamespacesSelector: row.selector }), 'choreo-system');
        if (outcome instanceof ValidationError) {
          // A malformed selector the reflector reads as "matches nothing" is refused before it ships.
          expect(row.matches).toBe(false);
          expect(outcome.property).toBe('allowedNamespacesSelector');
        } else {
          expect(outcome.receives({ name: 'target', labels: row.namespaceLabels })).toBe(row.matches);
        }
      });
  });

  describe('reflector watcher excludedNamespaces globs (on the source namespace)', () => {
    test.each((reflector.excludedNamespacesGlobCasesFromTests as any[]).map(row => [row.excludedNamespaces, row.namespace, row] as const))(
      'glob %j on source namespace %j', (_globs, namespace, row) => {
        const outcome = throughConstruct(() => NamespaceSelection.reflectorAuto({ watcherExcludedNamespaces: row.excludedNamespaces }), namespace);
        if (KubernetesNames.isDns1123Label(namespace)) {
          expect((outcome as ReplicatedPullSecret).receives({ name: 'target' })).toBe(!row.excluded);
        } else {
          expect((outcome as ValidationError).property).toBe('namespace');
        }
      });
  });
});

describe('ReplicatedPullSecret: risky selections are accepted only when allowed', () => {
  test('a glob-looking pattern with allowGlobLike previews what the replicator really does', () => {
    const secret = pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('dp-*'), safety: { allowGlobLike: true } });
    expect(secret.preview([{ name: 'dp' }, { name: 'dp--' }, { name: 'dp-foo' }])).toEqual(['dp', 'dp--']);
  });

  test('".*" with every protected namespace named and allowEveryNamespace reaches kube-system but never the source namespace', () => {
    const secret = pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('.*'), safety: ALLOW_ALL });
    expect(secret.preview([{ name: 'kube-system' }, { name: 'choreo-system' }, { name: 'dp-a' }])).toEqual(['kube-system', 'dp-a']);
  });

  test('custom system namespaces', () => {
    const error = validationErrorOf(() => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('dp-.*, openchoreo-.*'), safety: { systemNamespaces: ['openchoreo-control-plane'] } }));
    expect(error.problem).toContain('"openchoreo-control-plane"');
  });
});

describe('ReplicatedPullSecret: bad input', () => {
  const esoGenerator = () => [RegistryCredentials.fromTokenGenerator('123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    TokenGenerator.ecr({ region: 'eu-west-1' }))];
  const cases: Array<[string, () => unknown, string, string]> = [
    ['"dp-*" glob', () => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('dp-*') }), 'targets.replicateTo', 'write "dp-.*"'],
    ['look-ahead regex', () => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('dp-(?!sys).*') }), 'targets.replicateTo', 'RE2 has no look-around'],
    ['pattern that matches kube-system', () => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('.*') }), 'targets.replicateTo', 'allowedProtectedNamespaces'],
    ['"dp-" (matches nothing)', () => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('dp-') }), 'targets.replicateTo', 'write "dp-.*"'],
    ['names separated by spaces', () => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('dp-a dp-b') }), 'targets.replicateTo', '"dp-a,dp-b"'],
    ['top-level alternation', () => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('dp-a|dp-b') }), 'targets.replicateTo', '"(dp-a|dp-b)"'],
    ['a trailing comma', () => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('dp-.*,') }), 'targets.replicateTo', 'remove the empty entry'],
    ['pattern that matches the source namespace', () => pullSecret({ targets: NamespaceSelection.mittwaldReplicateTo('(dp|choreo)-.*') }), 'targets.replicateTo', 'allowSourceNamespace'],
    ['replicate-to-matching selector that reaches kube-system', () => pullSecret({ targets: NamespaceSelection.mittwaldReplicateToMatching('!team') }), 'targets', 'allowedProtectedNamespaces'],
    ['reflector without a namespace list (= every namespace)', () => pullSecret({ targets: NamespaceSelection.reflectorAuto({}) }), 'targets', 'allowedProtectedNamespaces'],
    ['reflector pattern that is no regex', () => pullSecret({ targets: NamespaceSelection.reflectorAuto({ allowedNamespaces: 'dp-.*', autoNamespaces: 'dp-a,dp-(' }) }), 'targets.autoNamespaces', 'fix or remove the entry'],
    ['External Secrets selector that matches the source namespace', () => pullSecret({
      credentials: externalHub(), delivery: vault(), targets: NamespaceSelection.labelSelectors(['kubernetes.io/metadata.name in (choreo-system,dp-a)']),
    }), 'targets', 'allowSourceNamespace'],
    ['External Secrets targets with a plain Secret', () => pullSecret({ targets: NamespaceSelection.labelSelectors(['openchoreo.dev/dataplane=true']) }), 'delivery', 'SecretDelivery.externalSecret'],
    ['External Secrets targets with a namespaced SecretStore', () => pullSecret({
      credentials: externalHub(),
      delivery: SecretDelivery.externalSecret({ store: { name: 'vault', kind: SecretStoreKind.SECRET_STORE } }),
      targets: NamespaceSelection.labelSelectors(['openchoreo.dev/dataplane=true']),
    }), 'delivery.store.kind', 'ClusterSecretStore'],
    ['External Secrets targets with a token generator', () => pullSecret({
      credentials: esoGenerator(), delivery: SecretDelivery.externalSecret(), targets: NamespaceSelection.labelSelectors(['openchoreo.dev/dataplane=true']),
    }), 'credentials', 'mittwald or reflector targets'],
    ['a replication annotation given by hand', () => pullSecret({ annotations: { [REPLICATE_TO]: '.*' } }), `annotations["${REPLICATE_TO}"]`, 'set its targets instead'],
    ['copyLabels with reflector targets', () => pullSecret({ copyLabels: true, targets: NamespaceSelection.reflectorAuto({ allowedNamespaces: 'dp-.*' }) }), 'copyLabels', 'remove copyLabels'],
    ['an invalid source namespace', () => pullSecret({ namespace: 'Choreo_System' }), 'namespace', 'choreo-system'],
  ];

  test.each(cases)('%s', (_name, make, property, fixText) => {
    const error = validationErrorOf(make);
    expect(error.property).toBe(property);
    expect(error.constructPath).toBe('test/DockerHubPull');
    expect(error.fix).toContain(fixText);
    expect(error.message).toContain(`${property}: `);
    expect(error.message).not.toContain(TOKEN);
  });
});
