import { App, Chart } from 'cdk8s';
import { RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import { ValidationError } from '../../src/errors';
import { ReplicatedPullSecret } from '../../src/replication/replicated-pull-secret';
import { KubernetesReplicatorApplication } from '../../src/replication/replicator-application';
import { checkManifests } from '../helpers/manifest-checker';
import { loadReferenceJson } from '../helpers/reference';

const chartFacts = loadReferenceJson('replication', 'annotations.json').mittwald.helmChart;

function synth(build: (chart: Chart) => void, namespace?: string): any[] {
  const chart = new Chart(new App(), 'test', { namespace });
  build(chart);
  return chart.toJson();
}

describe('KubernetesReplicatorApplication', () => {
  test('an Argo CD Application for the mittwald chart pinned to the version the library models, valid against the Argo CD CRD', () => {
    const [application] = synth(chart => new KubernetesReplicatorApplication(chart, 'Replicator'), 'choreo-system');
    expect(application).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'kubernetes-replicator', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '-2' } },
      spec: {
        project: 'default',
        source: {
          repoURL: chartFacts.repoUrl,
          chart: chartFacts.chart,
          targetRevision: chartFacts.version,
          helm: {
            releaseName: 'kubernetes-replicator',
            valuesObject: {
              fullnameOverride: 'kubernetes-replicator',
              replicationEnabled: { secrets: true, configMaps: false, roles: false, roleBindings: false, serviceAccounts: false },
            },
          },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'choreo-system' },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
      },
    });
    const replicationEnabled = application.spec.source.helm.valuesObject.replicationEnabled;
    expect(Object.keys(replicationEnabled).sort()).toEqual(Object.keys(chartFacts.values.replicationEnabled).sort());
    expect(checkManifests([application])).toEqual([]);
  });

  test('syncs in an earlier wave than the secrets it replicates', () => {
    const objects = synth(chart => {
      new KubernetesReplicatorApplication(chart, 'Replicator');
      new ReplicatedPullSecret(chart, 'Pull', { credentials: [RegistryCredentials.dockerHubToken('acme', SecretValue.unsafePlainText('dckr_pat_FAKE'))] });
    });
    const wave = (kind: string) => Number(objects.find(o => o.kind === kind).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('Application')).toBeLessThan(wave('Secret'));
    expect(checkManifests(objects)).toEqual([]);
  });

  test('options: every kind replicated, extra flags, manual sync, another cluster and namespace', () => {
    const [application] = synth(chart => new KubernetesReplicatorApplication(chart, 'Replicator', {
      name: 'replicator',
      namespace: 'kube-system',
      argoCdNamespace: 'gitops',
      project: 'platform',
      chartVersion: '2.11.1',
      destinationServer: 'https://dp.example.com:6443',
      secretsOnly: false,
      args: ['-resync-period=10m'],
      automatedSync: false,
    }));
    expect(application.metadata).toEqual({ name: 'replicator', namespace: 'gitops', annotations: { 'argocd.argoproj.io/sync-wave': '-2' } });
    expect(application.spec.source.targetRevision).toBe('2.11.1');
    expect(application.spec.source.helm.valuesObject).toEqual({
      fullnameOverride: 'replicator',
      replicationEnabled: { secrets: true, configMaps: true, roles: true, roleBindings: true, serviceAccounts: true },
      args: ['-resync-period=10m'],
    });
    expect(application.spec.destination).toEqual({ server: 'https://dp.example.com:6443', namespace: 'kube-system' });
    expect(application.spec.syncPolicy).toEqual({ syncOptions: ['CreateNamespace=true'] });
    expect(checkManifests([application])).toEqual([]);
  });

  test.each([
    [{ chartVersion: '^2.12' }, 'chartVersion', 'pin a version such as "2.12.4"'],
    [{ chartVersion: 'latest' }, 'chartVersion', 'pin a version'],
    [{ namespace: 'Choreo_System' }, 'namespace', 'choreo-system'],
    [{ argoCdNamespace: 'argo.cd' }, 'argoCdNamespace', 'at most 63 characters'],
  ])('rejects %j', (props, property, fix) => {
    let error: ValidationError | undefined;
    try {
      synth(chart => new KubernetesReplicatorApplication(chart, 'Replicator', props));
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.property).toBe(property);
    expect(error!.fix).toContain(fix);
  });
});
