import { dockerConfigSecret, inventoryFromText, manifestsFromText } from './helpers';
import { containerImagesOf, podSpecOf } from '../../src/doctor/inventory';
import { allKeysKnown, matchImage, resolvePull } from '../../src/doctor/pull-resolution';

const GHCR = { auths: { 'ghcr.io': { username: 'u', password: 'p' } } };

describe('Inventory.secretSources', () => {
  const text = [
    dockerConfigSecret('team-a', 'regcred', GHCR),
    `apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata: {name: regcred, namespace: team-a}
spec:
  encryptedData: {.dockerconfigjson: AgA=}
  template: {type: kubernetes.io/dockerconfigjson}
`,
    `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata: {name: es-name, namespace: team-a}
spec:
  target:
    name: from-target
    template: {type: kubernetes.io/dockerconfigjson}
  data: [{secretKey: .dockerconfigjson, remoteRef: {key: k}}]
`,
    dockerConfigSecret('platform', 'regcred', GHCR, { metadata: { name: 'regcred', namespace: 'platform', annotations: { 'replicator.v1.mittwald.de/replicate-to': 'team-.*' } } }),
    `apiVersion: external-secrets.io/v1
kind: ClusterExternalSecret
metadata: {name: fan-out}
spec:
  namespaces: [team-a]
  externalSecretSpec:
    target: {name: regcred, template: {type: kubernetes.io/dockerconfigjson, data: {.dockerconfigjson: '{"auths":{"quay.io":{"auth":"{{ .a }}"}}}'}}}
`,
  ].join('---\n');
  const inventory = inventoryFromText(text);

  test('made in the namespace first (Secret, SealedSecret, ClusterExternalSecret), then copied there', () => {
    expect(inventory.secretSources('team-a', 'regcred').map(source => [source.producer.kind, source.producer.namespace, source.replicatedBy?.backend, source.reach]))
      .toEqual([
        ['secret', 'team-a', undefined, 'yes'],
        ['sealed-secret', 'team-a', undefined, 'yes'],
        ['cluster-external-secret', 'team-a', 'external-secrets', 'yes'],
        ['secret', 'platform', 'mittwald', 'yes'],
      ]);
  });

  test('an ExternalSecret makes the Secret named by target.name', () => {
    expect(inventory.secretSources('team-a', 'from-target').map(source => source.producer.kind)).toEqual(['external-secret']);
    expect(inventory.secretSources('team-a', 'es-name')).toEqual([]);
  });

  test('a copy reaches only the namespaces its rule selects', () => {
    expect(inventory.secretSources('other', 'regcred')).toEqual([]);
    expect(inventory.secretSources('team-b', 'regcred').map(source => source.producer.namespace)).toEqual(['platform']);
  });

  test('the ClusterExternalSecret\'s template keys are its payload', () => {
    const source = inventory.secretSources('team-a', 'regcred')[2];
    expect(inventory.payloadOf(source).payload).toMatchObject({ status: 'registries', registries: ['quay.io'] });
  });

  test('objects without a namespace land in the default namespace, and say so', () => {
    const defaulted = inventoryFromText(dockerConfigSecret('x', 'regcred', GHCR).replace('  namespace: x\n', ''), 'tools');
    expect(defaulted.secretSources('tools', 'regcred')[0].producer).toMatchObject({ namespace: 'tools', namespaceAssumed: true });
  });
});

describe('pull replication targets', () => {
  const source = (annotations: object) => dockerConfigSecret('platform', 'regcred', GHCR, { metadata: { name: 'regcred', namespace: 'platform', annotations } });
  const target = `apiVersion: v1
kind: Secret
metadata:
  name: regcred
  namespace: team-a
  annotations:
    replicator.v1.mittwald.de/replicate-from: platform/regcred
    replicator.v1.mittwald.de/replicate-to: team-.*
type: kubernetes.io/dockerconfigjson
data: {.dockerconfigjson: e30K}
`;

  test('an allowed copy carries the source\'s data', () => {
    const inventory = inventoryFromText(`${source({ 'replicator.v1.mittwald.de/replication-allowed': 'true', 'replicator.v1.mittwald.de/replication-allowed-namespaces': 'team-a' })}---\n${target}`);
    const resolved = inventory.payloadOf(inventory.secretSources('team-a', 'regcred')[0]);
    expect(resolved.payload).toMatchObject({ status: 'known', registries: ['ghcr.io'] });
    expect(resolved.dataFrom?.namespace).toBe('platform');
  });

  test('a copy the source does not allow keeps its placeholder, with a note', () => {
    const inventory = inventoryFromText(`${source({})}---\n${target}`);
    const resolved = inventory.payloadOf(inventory.secretSources('team-a', 'regcred')[0]);
    expect(resolved.payload.status).toBe('invalid');
    expect(resolved.note).toBe('the source platform/regcred does not allow copies into team-a, so the Secret keeps its own data');
  });

  test('a source outside the manifests makes the payload unknown', () => {
    const resolved = inventoryFromText(target).payloadOf(inventoryFromText(target).secretSources('team-a', 'regcred')[0]);
    expect(resolved.payload).toMatchObject({ status: 'unknown', problem: expect.stringContaining('not in the scanned manifests') });
  });

  test('a pull target is never pushed further', () => {
    expect(inventoryFromText(target).secretSources('team-b', 'regcred')).toEqual([]);
  });
});

describe('resolvePull and matchImage', () => {
  const text = [
    dockerConfigSecret('team-a', 'ghcr', GHCR),
    dockerConfigSecret('team-a', 'hub', { auths: { 'https://index.docker.io/v1/': { auth: 'dTpw' } } }),
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: team-a}\nimagePullSecrets: [{name: hub}]\n',
    'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: bare, namespace: team-a}\n',
  ].join('---\n');
  const inventory = inventoryFromText(text);

  test('the pod\'s own secrets win; the service account\'s apply only when the pod lists none', () => {
    expect(resolvePull(inventory, { namespace: 'team-a', serviceAccount: 'default', podPullSecrets: ['ghcr'] }).secrets.map(secret => secret.name)).toEqual(['ghcr']);
    const fromAccount = resolvePull(inventory, { namespace: 'team-a', serviceAccount: 'default', podPullSecrets: [] });
    expect([fromAccount.origin, fromAccount.secrets.map(secret => secret.name)]).toEqual(['service-account', ['hub']]);
    expect(resolvePull(inventory, { namespace: 'team-a', serviceAccount: 'bare', podPullSecrets: [] }).origin).toBe('none');
  });

  test('credentials come in kubelet order, across secrets', () => {
    const resolution = resolvePull(inventory, { namespace: 'team-a', serviceAccount: 'default', podPullSecrets: ['hub', 'ghcr'] });
    expect(matchImage(resolution, 'ghcr.io/acme/app').map(match => [match.secret, match.key])).toEqual([['ghcr', 'ghcr.io']]);
    expect(matchImage(resolution, 'nginx').map(match => [match.secret, match.viaDockerHubFallback])).toEqual([['hub', true]]);
    expect(allKeysKnown(resolution)).toBe(true);
  });

  test('a missing secret makes the keys incomplete', () => {
    expect(allKeysKnown(resolvePull(inventory, { namespace: 'team-a', serviceAccount: 'default', podPullSecrets: ['ghcr', 'missing'] }))).toBe(false);
  });
});

describe('workload pod specs', () => {
  const kinds: Array<[string, string, string]> = [
    ['v1', 'Pod', 'spec: {containers: [{name: c, image: a}]}'],
    ['v1', 'ReplicationController', 'spec: {template: {spec: {containers: [{name: c, image: a}]}}}'],
    ['apps/v1', 'Deployment', 'spec: {template: {spec: {containers: [{name: c, image: a}]}}}'],
    ['apps/v1', 'StatefulSet', 'spec: {template: {spec: {containers: [{name: c, image: a}]}}}'],
    ['apps/v1', 'DaemonSet', 'spec: {template: {spec: {containers: [{name: c, image: a}]}}}'],
    ['apps/v1', 'ReplicaSet', 'spec: {template: {spec: {containers: [{name: c, image: a}]}}}'],
    ['batch/v1', 'Job', 'spec: {template: {spec: {containers: [{name: c, image: a}]}}}'],
    ['batch/v1', 'CronJob', 'spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: a}]}}}}}'],
  ];

  test.each(kinds)('%s %s', (apiVersion, kind, spec) => {
    const object = manifestsFromText(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: w}\n${spec}\n`)[0].object;
    expect(containerImagesOf(podSpecOf(object)!)).toEqual([{ container: 'containers[0] (c)', image: 'a' }]);
  });

  test('a kind of another API group is not a workload', () => {
    expect(podSpecOf(manifestsFromText('apiVersion: example.com/v1\nkind: Deployment\nspec: {template: {spec: {}}}\n')[0].object)).toBeUndefined();
  });

  test('init, regular and ephemeral containers, in that order', () => {
    const object = manifestsFromText(`apiVersion: v1
kind: Pod
spec:
  containers: [{name: main, image: m}]
  initContainers: [{name: init, image: i}]
  ephemeralContainers: [{name: debug, image: d}, {name: no-image}]
`)[0].object;
    expect(containerImagesOf(podSpecOf(object)!).map(each => each.container)).toEqual(['initContainers[0] (init)', 'containers[0] (main)', 'ephemeralContainers[0] (debug)']);
  });
});
