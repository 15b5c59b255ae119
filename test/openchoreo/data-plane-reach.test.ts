import { App, Chart, Testing } from 'cdk8s';
import {
  DataPlane, DataPlaneApi, IRegistrySecret, NamespaceSelection, OpenChoreoNames, RegistryCredentials, RegistrySecret,
  ReplicatedPullSecret, SecretDelivery, SecretValue,
} from '../../src';
import { sampleDataPlaneNamespaces } from '../../src/openchoreo/data-plane-reach';
import { loadReferenceJson } from '../helpers/reference';

const PEM = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
const token = () => SecretValue.unsafePlainText('fake-token');
const credentials = () => [RegistryCredentials.dockerHubToken('acme', token())];

/** A control-plane app with the DataPlane, and the pull secret built in a data-plane app by `secret`. */
function synthErrors(secret: (dataPlaneCluster: Chart) => IRegistrySecret, labels?: { [key: string]: string }): string[] {
  const dataPlaneApp = Testing.app();
  const pull = secret(new Chart(dataPlaneApp, 'data-plane'));
  const controlPlane = new App();
  const chart = new Chart(controlPlane, 'control-plane');
  new DataPlane(chart, 'DataPlane', {
    api: DataPlaneApi.V1ALPHA1_PULL,
    name: 'eu-dataplane',
    organization: 'acme',
    kubernetesCluster: { name: 'eu', credentials: { apiServerUrl: 'https://eu.example:6443', caCert: PEM, clientCert: PEM, clientKey: SecretValue.unsafePlainText(PEM) } },
    gateway: { publicVirtualHost: 'apis.example', organizationVirtualHost: 'apis.internal' },
    pullRegistry: { prefix: 'docker.io/acme', secret: pull, dataPlaneNamespaceLabels: labels },
  });
  try {
    controlPlane.synthYaml();
    return [];
  } catch (err) {
    return (err as Error).message.split('\n').slice(1).map(line => line.trim());
  }
}

describe('a DataPlane\'s pull secret must reach the dp-… namespaces its workloads run in', () => {
  test('the sample namespaces are OpenChoreo\'s names (the upstream vectors\' algorithm), with a 63-character cut', () => {
    const vectors = loadReferenceJson('openchoreo', 'namespace-name-vectors.json');
    expect(JSON.stringify(vectors)).toContain('dp-');
    const names = sampleDataPlaneNamespaces('acme');
    expect(names[0]).toBe(OpenChoreoNames.dataPlaneNamespace('acme', 'default', 'development'));
    expect(names.every(name => /^dp-acme-[a-z0-9-]+-[0-9a-f]{8}$/.test(name) && name.length <= 63)).toBe(true);
    expect(names.some(name => name.length === 63 || name.includes('-customer-onbo'))).toBe(true);
  });

  test('replicated with the default dp-.* pattern: passes, across Apps (control-plane and data-plane clusters)', () => {
    expect(synthErrors(chart => new ReplicatedPullSecret(chart, 'Pull', { credentials: credentials() }))).toEqual([]);
  });

  test('replicated with a pattern for the organization only: passes', () => {
    expect(synthErrors(chart => new ReplicatedPullSecret(chart, 'Pull', {
      credentials: credentials(), targets: NamespaceSelection.mittwaldReplicateTo('dp-acme-.*'),
    }))).toEqual([]);
  });

  test('replicated to the wrong pattern: fails, naming the namespaces it misses', () => {
    const errors = synthErrors(chart => new ReplicatedPullSecret(chart, 'Pull', {
      credentials: credentials(), targets: NamespaceSelection.mittwaldReplicateTo('team-.*'),
    }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('[control-plane/DataPlane] pullRegistry.secret: is replicated to namespaces that miss the data-plane namespaces of organization "acme"');
    expect(errors[0]).toContain(`"${OpenChoreoNames.dataPlaneNamespace('acme', 'default', 'development')}"`);
    expect(errors[0]).toContain('NamespaceSelection.mittwaldReplicateTo("dp-.*")');
  });

  test('replicated to another organization\'s namespaces only: fails', () => {
    const errors = synthErrors(chart => new ReplicatedPullSecret(chart, 'Pull', {
      credentials: credentials(), targets: NamespaceSelection.mittwaldReplicateTo('dp-globex-.*'),
    }));
    expect(errors).toHaveLength(1);
  });

  test('selected by label: fails unless the namespaces\' labels are declared, then passes', () => {
    const bySelector = (chart: Chart) => new ReplicatedPullSecret(chart, 'Pull', {
      credentials: [RegistryCredentials.dockerHubToken('acme', SecretValue.fromExternalSecret('registry/hub', { property: 'token' }))],
      delivery: SecretDelivery.externalSecret({ store: { name: 'platform-secrets' } }),
      targets: NamespaceSelection.labelSelectors(['platform.acme/plane=data']),
    });
    const unknown = synthErrors(bySelector);
    expect(unknown).toHaveLength(1);
    expect(unknown[0]).toContain('pullRegistry.dataPlaneNamespaceLabels');
    expect(synthErrors(bySelector, { 'platform.acme/plane': 'data' })).toEqual([]);
  });

  test('a plain secret in one namespace: fails, saying where the workloads run', () => {
    const errors = synthErrors(chart => new RegistrySecret(chart, 'Pull', { namespace: 'team-a', credentials: credentials() }));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('is a Secret in the one namespace "team-a"');
    expect(errors[0]).toContain('use a ReplicatedPullSecret');
  });

  test('an existing Secret (fromSecretName) is taken on trust', () => {
    expect(synthErrors(chart => RegistrySecret.fromSecretName(chart, 'Pull', 'regcred', { namespace: 'choreo-system', registries: ['https://index.docker.io/v1/'] }))).toEqual([]);
  });
});
