import * as fs from 'fs';
import * as YAML from 'yaml';
import { goldenFiles, inventoryFromText, inventoryOf, load } from './helpers';
import { explainPull, ExplainReport } from '../../src/doctor/explain';
import { ValidationError } from '../../src/errors';
import { OpenChoreoNames } from '../../src/openchoreo/namespace-names';
import { NamespaceInfo, NamespaceSelection } from '../../src/replication/namespace-selection';
import { DockerConfig } from '../../src/values/docker-config';
import { ImageReference } from '../../src/values/image-reference';
import { KubeletKeyring } from '../../src/values/kubelet-keyring';
import { loadReferenceJson } from '../helpers/reference';

const fixtures = inventoryOf(load('test/fixtures/doctor'));

function explain(image: string, namespace: string, podPullSecrets: string[] = [], serviceAccount = 'default'): ExplainReport {
  return explainPull(fixtures, image, { namespace, serviceAccount, podPullSecrets });
}

describe('doctor explain on the fixture tree', () => {
  test('a ClusterExternalSecret fans out into a labelled namespace; its template spells the key', () => {
    const report = explain('ghcr.io/acme/web:3.2.0', 'dp-acme-web-development-4f1c2a9b', ['dataplane-pull']);
    expect(report.verdict).toBe('covered');
    expect(report.credentials).toEqual([{ secret: 'dataplane-pull', key: 'ghcr.io', pattern: 'ghcr.io', viaDockerHubFallback: false, keyOnly: true }]);
    expect(report.pullSecrets[0]).toMatchObject({
      status: 'registries',
      registries: ['ghcr.io'],
      basis: 'the auths keys of the .dockerconfigjson template',
      sources: [{ via: 'cluster-external-secret', reach: 'yes', object: { kind: 'ClusterExternalSecret', name: 'dataplane-pull' } }],
    });
  });

  test('a namespace without a Namespace object: a label selector cannot be decided, so the answer is unknown', () => {
    const report = explain('ghcr.io/acme/web:3.2.0', 'dp-acme-web-staging-00000000', ['dataplane-pull']);
    expect(report.pullSecrets[0].sources[0].reach).toBe('unknown');
    expect(report.credentials.map(credential => credential.key)).toEqual(['ghcr.io']);
    expect(report.verdict).toBe('unknown');
  });

  test('a namespace whose labels do not match gets no ClusterExternalSecret copy', () => {
    const report = explain('ghcr.io/acme/web:3.2.0', 'team-x', ['dataplane-pull']);
    expect(report.pullSecrets[0].status).toBe('missing');
    expect(report.verdict).toBe('unknown');
  });

  test('mittwald replicate-to copies a SealedSecret whose payload is unknown', () => {
    const report = explain('ghcr.io/acme/web:3.2.0', 'dp-acme-web-production-7d03e5c1', ['platform-pull']);
    expect(report.pullSecrets[0]).toMatchObject({
      status: 'unknown',
      registries: [],
      sources: [{ via: 'mittwald-push', rule: 'mittwald replicate-to "dp-.*"', object: { kind: 'SealedSecret', namespace: 'platform', name: 'platform-pull' } }],
    });
    expect(report.verdict).toBe('unknown');
  });

  test('replicate-to "dp-.*" does not reach a namespace outside the pattern', () => {
    expect(explain('ghcr.io/acme/web:3.2.0', 'team-x', ['platform-pull']).pullSecrets[0].status).toBe('missing');
  });

  test('pull replication (replicate-from) takes the data of the allowed source, with our registries annotation', () => {
    const report = explain('quay.io/acme/report:1.0', 'team-x', ['source-pull']);
    expect(report.verdict).toBe('covered');
    expect(report.pullSecrets[0]).toMatchObject({
      status: 'registries',
      registries: ['quay.io/acme'],
      basis: 'the cdk8s-registries/registries annotation',
      dataFrom: { object: { kind: 'SealedSecret', namespace: 'platform', name: 'source-pull' } },
    });
  });

  test('the service account\'s imagePullSecrets apply when the pod lists none', () => {
    const report = explain('ghcr.io/acme/api:1', 'team-i');
    expect(report.pullSecretsFrom).toBe('service-account');
    expect(report.serviceAccountFound).toBe(true);
    expect(report.credentials.map(credential => [credential.secret, credential.key])).toEqual([['team-i-pull', 'ghcr.io/acme']]);
  });

  test('the pod\'s own imagePullSecrets replace the service account\'s', () => {
    const report = explain('ghcr.io/acme/api:1', 'team-i', ['app-config']);
    expect(report.pullSecretsFrom).toBe('pod');
    expect(report.pullSecrets.map(secret => [secret.name, secret.status])).toEqual([['app-config', 'not-pull-secret']]);
    expect(report.pullSecrets[0].problem).toMatch(/its type is Opaque/);
    expect(report.verdict).toBe('unknown');
  });

  test('a named service account applies its own secrets', () => {
    const report = explain('acmeh.azurecr.io/jobs/report:1', 'team-h', [], 'reporter');
    expect(report.credentials.map(credential => [credential.secret, credential.key])).toEqual([['acr-pull', 'acmeh.azurecr.io']]);
  });

  test('no pull secrets and a service account not in the manifests: unknown, it may carry secrets in the cluster', () => {
    const report = explain('ghcr.io/acme/api:1', 'team-z');
    expect(report.pullSecretsFrom).toBe('none');
    expect(report.verdict).toBe('unknown');
    expect(report.summary).toMatch(/service account "default" is not in the manifests/);
  });

  test('a pull secret that no object makes is reported missing', () => {
    const report = explain('ghcr.io/acme/api:1', 'team-z', ['nowhere']);
    expect(report.pullSecrets[0]).toMatchObject({ name: 'nowhere', status: 'missing', sources: [] });
  });

  test.each([
    ['docker.io/acme/private-api', 'team-d', 'hub-creds', 'docker-hub-key-form', 'registry-1.docker.io', 'https://index.docker.io/v1/'],
    ['quay.io/acme/app-b:1', 'team-e', 'quay-robot', 'path-prefix', 'quay.io/acme/app-a', 'quay.io/acme/'],
    ['registry.internal.example/agents/node:2', 'team-f', 'internal-pull', 'port', 'registry.internal.example:443', 'registry.internal.example'],
    ['registry.hub.docker.com/acme/web:1', 'team-j', 'hub-pull', 'docker-hub-key-form', 'https://index.docker.io/v1/', 'registry.hub.docker.com'],
    ['docker.io/library/nginx', 'team-i', 'team-i-pull', 'different-host', 'ghcr.io/acme', 'https://index.docker.io/v1/'],
  ])('%s in %s with %s: nearest miss %s on key %s', (image, namespace, secret, reason, key, fixMentions) => {
    const report = explain(image, namespace, [secret]);
    expect(report.verdict).toBe('not-covered');
    expect(report.credentials).toEqual([]);
    expect(report.nearestMiss).toMatchObject({ reason, key });
    expect(report.nearestMiss!.fix).toContain(fixMentions);
  });

  test('a miss lists matching secrets elsewhere: in the namespace first, push secrets never', () => {
    const report = explain('docker.io/acme/app:1', 'team-j', ['nowhere']);
    expect(report.unattachedMatches[0]).toMatchObject({ secret: { kind: 'ExternalSecret', namespace: 'team-j', name: 'hub-pull' }, inNamespace: true });
    expect(report.unattachedMatches.some(match => match.secret.name === 'mirror-push')).toBe(false);
  });

  test('an invalid image is a ValidationError naming the image', () => {
    expect(() => explain('Acme/App:1', 'team-a')).toThrow(ValidationError);
    expect(() => explain('Acme/App:1', 'team-a')).toThrow(/image: repository name must be lowercase/);
  });
});

describe('doctor explain agrees with KubeletKeyring on every lookup vector', () => {
  const LOOKUPS: any[] = loadReferenceJson('kubelet-keyring', 'vectors.json').lookups;
  const legacy = (vector: any) => vector.configs !== undefined;
  const configTexts = (vector: any): string[] => (vector.configs ?? vector.secrets).map((config: object) => JSON.stringify(config));
  // A vector's image is the repository name handed to the keyring; a pod image reaches the keyring as that same name
  // only when it is already normalized (ghcr.io/org/app, not nginx or index.docker.io/…).
  const normalized = (image: string) => ImageReference.isValid(image) && ImageReference.parse(image).name === image;
  const accepted = LOOKUPS.filter(vector => normalized(vector.image) && configTexts(vector).every(text => parses(text, legacy(vector))));

  function parses(text: string, isLegacy: boolean): boolean {
    try {
      DockerConfig.fromJson(isLegacy ? `{"auths":${text}}` : text);
      return true;
    } catch {
      return false;
    }
  }

  function secretsYaml(vector: any): string {
    const type = legacy(vector) ? 'kubernetes.io/dockercfg' : 'kubernetes.io/dockerconfigjson';
    const key = legacy(vector) ? '.dockercfg' : '.dockerconfigjson';
    return configTexts(vector).map((text, index) => YAML.stringify({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: `s${index}`, namespace: 'vectors' },
      type,
      data: { [key]: Buffer.from(text).toString('base64') },
    })).join('---\n');
  }

  test('most vectors take part', () => {
    expect(accepted.length).toBeGreaterThan(120);
  });

  test.each(accepted.map(vector => [vector.id, vector]))('%s', (_id, vector) => {
    const inventory = inventoryFromText(secretsYaml(vector));
    const names = configTexts(vector).map((_text, index) => `s${index}`);
    const report = explainPull(inventory, vector.image, { namespace: 'vectors', serviceAccount: 'default', podPullSecrets: names });
    const configs = configTexts(vector).map(text => DockerConfig.fromJson(legacy(vector) ? `{"auths":${text}}` : text));
    expect(report.credentials.map(credential => credential.key)).toEqual(new KubeletKeyring(configs).lookup(vector.image));
    expect([...new Set(report.credentials.map(credential => credential.pattern))]).toEqual(vector.matchedPatterns);
    expect(report.verdict).toBe(vector.found ? 'covered' : 'not-covered');
    const via = report.credentials.length === 0 ? 'none' : report.credentials[0].viaDockerHubFallback ? 'docker-hub-fallback(index.docker.io)' : 'pattern';
    expect(via).toBe(vector.via);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// The golden examples: for every workload image and pull secret found there, the answer computed here from the raw YAML
// with KubeletKeyring and NamespaceSelection.preview must be the doctor's.

interface GoldenSecret {
  readonly namespace: string;
  readonly name: string;
  /** The auths keys, or undefined when the YAML does not show them. */
  readonly keys?: string[];
  readonly annotations: { [key: string]: string };
}

const MITTWALD = 'replicator.v1.mittwald.de/';
const REFLECTOR = 'reflector.v1.k8s.emberstack.com/';
const PROBE_NAMESPACES = [OpenChoreoNames.dataPlaneNamespace('default-org', 'probe', 'development'), 'probe-elsewhere'];

function goldenObjects(): any[] {
  return goldenFiles().flatMap(file => YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map(document => document.toJS()))
    .filter(object => object && typeof object.kind === 'string');
}

function goldenSecrets(objects: any[]): GoldenSecret[] {
  return objects.flatMap((object): GoldenSecret[] => {
    const namespace = object.metadata?.namespace ?? 'default';
    if (object.kind === 'Secret' && object.type === 'kubernetes.io/dockerconfigjson') {
      const encoded = object.data?.['.dockerconfigjson'];
      const text = object.stringData?.['.dockerconfigjson'] ?? (encoded ? Buffer.from(encoded, 'base64').toString('utf8') : undefined);
      const keys = text ? DockerConfig.fromJson(text).servers : undefined;
      return [{ namespace, name: object.metadata.name, keys, annotations: object.metadata.annotations ?? {} }];
    }
    const template = object.kind === 'SealedSecret' ? object.spec?.template : object.kind === 'ExternalSecret' ? object.spec?.target?.template : undefined;
    if (template?.type !== 'kubernetes.io/dockerconfigjson') {
      return [];
    }
    const annotations = template.metadata?.annotations ?? object.metadata?.annotations ?? {};
    const name = object.kind === 'ExternalSecret' ? object.spec.target.name ?? object.metadata.name : object.metadata.name;
    const registries = annotations['cdk8s-registries/registries'];
    return [{ namespace, name, keys: registries ? registries.split(',') : undefined, annotations }];
  });
}

function namespaceInfos(objects: any[]): NamespaceInfo[] {
  const labelled = new Map<string, { [key: string]: string }>(objects.filter(object => object.kind === 'Namespace')
    .map(object => [object.metadata.name, object.metadata.labels ?? {}]));
  const names = new Set([...labelled.keys(), ...PROBE_NAMESPACES, ...objects.map(object => object.metadata?.namespace).filter(Boolean)]);
  return [...names].sort().map(name => ({ name, labels: { ...labelled.get(name), 'kubernetes.io/metadata.name': name } }));
}

// The namespaces a source reaches by replication, or undefined when that depends on labels nobody wrote down.
function replicatedInto(secret: GoldenSecret, namespaces: NamespaceInfo[], labelled: Set<string>): string[] | undefined {
  const read = (key: string) => secret.annotations[key];
  const selections: NamespaceSelection[] = [];
  let usesLabels = false;
  if (read(`${MITTWALD}replicate-to`) !== undefined || read(`${MITTWALD}replicate-to-matching`) !== undefined) {
    selections.push(NamespaceSelection.mittwald({ replicateTo: read(`${MITTWALD}replicate-to`), replicateToMatching: read(`${MITTWALD}replicate-to-matching`) }));
    usesLabels = read(`${MITTWALD}replicate-to-matching`) !== undefined;
  }
  if (read(`${REFLECTOR}reflection-allowed`) === 'true' && read(`${REFLECTOR}reflection-auto-enabled`) === 'true') {
    selections.push(NamespaceSelection.reflectorAuto({
      allowedNamespaces: read(`${REFLECTOR}reflection-allowed-namespaces`),
      allowedNamespacesSelector: read(`${REFLECTOR}reflection-allowed-namespaces-selector`),
      autoNamespaces: read(`${REFLECTOR}reflection-auto-namespaces`),
      autoNamespacesSelector: read(`${REFLECTOR}reflection-auto-namespaces-selector`),
    }));
    usesLabels ||= read(`${REFLECTOR}reflection-allowed-namespaces-selector`) !== undefined || read(`${REFLECTOR}reflection-auto-namespaces-selector`) !== undefined;
  }
  const reached = selections.flatMap(selection => selection.preview(namespaces, secret.namespace));
  return usesLabels && namespaces.some(namespace => !labelled.has(namespace.name)) ? undefined : reached;
}

interface Expectation {
  readonly keys?: string[];
}

function expectedKeys(
  secrets: GoldenSecret[], reach: Map<GoldenSecret, string[] | undefined>, namespace: string, names: string[], image: string,
): Expectation {
  const configs: DockerConfig[] = [];
  for (const name of names) {
    const direct = secrets.find(secret => secret.namespace === namespace && secret.name === name);
    const copied = secrets.filter(secret => secret.name === name && secret.namespace !== namespace);
    if (!direct && copied.some(secret => reach.get(secret) === undefined)) {
      return {};
    }
    const source = direct ?? copied.find(secret => reach.get(secret)!.includes(namespace));
    if (!source || source.keys === undefined) {
      return {};
    }
    configs.push(source.keys.reduce((config, key) => config.withBasicAuth(key, 'u', 'p'), DockerConfig.empty()));
  }
  return { keys: new KubeletKeyring(configs).lookup(image) };
}

// Probe images a key matches (and one no key matches), for secrets that no golden workload uses.
function probeImages(keys: string[]): string[] {
  const images = keys.map(key => KubeletKeyring.keyToPattern(key)).filter((pattern): pattern is string => pattern !== undefined)
    .map(pattern => (pattern === 'index.docker.io' ? 'probe/app:1' : `${pattern.replace(/\/$/, '')}/probe-app:1`))
    .filter(image => ImageReference.isValid(image));
  return [...images, 'quay.io/probe/unmatched:1'];
}

describe('doctor explain agrees with KubeletKeyring and the replication preview on the golden examples', () => {
  const objects = goldenObjects();
  const secrets = goldenSecrets(objects);
  const namespaces = namespaceInfos(objects);
  const labelled = new Set(objects.filter(object => object.kind === 'Namespace').map(object => object.metadata.name));
  const reach = new Map(secrets.map(secret => [secret, replicatedInto(secret, namespaces, labelled)]));
  const inventory = inventoryOf(load('test/golden'));
  const serviceAccounts = new Map(objects.filter(object => object.kind === 'ServiceAccount')
    .map(object => [`${object.metadata.namespace ?? 'default'}/${object.metadata.name}`, (object.imagePullSecrets ?? []).map((ref: any) => ref.name)]));

  interface Case {
    readonly label: string;
    readonly namespace: string;
    readonly serviceAccount: string;
    readonly podPullSecrets: string[];
    readonly names: string[];
    readonly image: string;
  }

  const workloadCases: Case[] = objects.flatMap(object => {
    const spec = podSpec(object);
    if (!spec) {
      return [];
    }
    const namespace = object.metadata.namespace ?? 'default';
    const serviceAccount = spec.serviceAccountName ?? 'default';
    const podPullSecrets = (spec.imagePullSecrets ?? []).map((ref: any) => ref.name);
    const names = podPullSecrets.length > 0 ? podPullSecrets : serviceAccounts.get(`${namespace}/${serviceAccount}`) ?? [];
    return [...(spec.initContainers ?? []), ...spec.containers].map((container: any) => ({
      label: `${object.kind} ${namespace}/${object.metadata.name} ${container.image}`, namespace, serviceAccount, podPullSecrets, names, image: container.image,
    }));
  });

  const secretCases: Case[] = secrets.filter(secret => secret.keys !== undefined).flatMap(secret => {
    const places = [secret.namespace, ...(reach.get(secret) ?? [])];
    return places.flatMap(namespace => probeImages(secret.keys!).map(image => ({
      label: `${secret.namespace}/${secret.name} in ${namespace}: ${image}`, namespace, serviceAccount: 'default', podPullSecrets: [secret.name], names: [secret.name], image,
    })));
  });

  const cases = [...workloadCases, ...secretCases].filter(each => ImageReference.isValid(each.image));

  test('the golden examples give enough cases to compare, with workloads and replicated secrets among them', () => {
    expect(workloadCases.length).toBeGreaterThan(0);
    expect(secretCases.length).toBeGreaterThan(0);
    expect(cases.filter(each => expectedKeys(secrets, reach, each.namespace, each.names, each.image).keys !== undefined).length).toBeGreaterThan(10);
  });

  test.each(cases.map(each => [each.label, each]))('%s', (_label, each) => {
    const { namespace, serviceAccount, podPullSecrets } = each;
    const report = explainPull(inventory, each.image, { namespace, serviceAccount, podPullSecrets });
    const expected = expectedKeys(secrets, reach, each.namespace, each.names, each.image);
    expect(report.pullSecrets.map(secret => secret.name)).toEqual(each.names);
    if (expected.keys !== undefined && each.names.length > 0) {
      expect(report.credentials.map(credential => credential.key)).toEqual(expected.keys);
      // Issue 13 item 4: keys known only from a comma-split registries annotation of several entries never prove coverage.
      const split = report.pullSecrets.some(secret => secret.keysFromSplit);
      expect(report.verdict).toBe(expected.keys.length > 0 ? (split ? 'unknown' : 'covered') : 'not-covered');
    }
  });
});

function podSpec(object: any): any {
  switch (object.kind) {
    case 'Pod':
      return object.spec;
    case 'CronJob':
      return object.spec?.jobTemplate?.spec?.template?.spec;
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': case 'ReplicationController':
      return object.spec?.template?.spec;
    default:
      return undefined;
  }
}
