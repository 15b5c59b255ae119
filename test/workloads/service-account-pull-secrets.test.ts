import { App, Chart, Testing } from 'cdk8s';
import {
  RegistryCredentials, RegistryPurpose, RegistrySecret, SecretValue, ServiceAccountPullSecrets,
} from '../../src';
import { validationErrorOf } from '../helpers/errors';
import { expectValidManifests } from '../helpers/manifest-checker';
import { kubectlPatchLocal } from '../konflux/kubectl';

const token = () => SecretValue.unsafePlainText('fake-token');

function setup(namespace = 'team-a'): { app: App; chart: Chart; quay: RegistrySecret; ghcr: RegistrySecret } {
  const app = Testing.app();
  const chart = new Chart(app, 'dev', { namespace });
  return {
    app,
    chart,
    quay: new RegistrySecret(chart, 'QuayPull', { credentials: [RegistryCredentials.quayRobot('acme+puller', token())] }),
    ghcr: new RegistrySecret(chart, 'GhcrPull', { credentials: [RegistryCredentials.githubToken('octo', token())] }),
  };
}

function account(chart: Chart): any {
  return Testing.synth(chart).find(o => o.kind === 'ServiceAccount');
}

/** A `default` account as a cluster has it: token secrets, a label and an entry another party put in imagePullSecrets. */
const LIVE_DEFAULT_ACCOUNT = {
  apiVersion: 'v1',
  kind: 'ServiceAccount',
  metadata: { name: 'default', namespace: 'team-a', labels: { team: 'a' }, uid: '6f1c4d4e-0000-4000-8000-000000000001' },
  automountServiceAccountToken: false,
  secrets: [{ name: 'default-token-abcde' }],
  imagePullSecrets: [{ name: 'default-dockercfg-xyz12' }],
};

describe('ServiceAccountPullSecrets', () => {
  test('writes a partial ServiceAccount with only imagePullSecrets, applied server-side and never pruned or deleted', () => {
    const { chart, quay, ghcr } = setup();
    new ServiceAccountPullSecrets(chart, 'DefaultPulls', { pullSecrets: [quay, ghcr] });
    const sa = account(chart);
    expect(sa).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'default',
        namespace: 'team-a',
        annotations: {
          'argocd.argoproj.io/sync-wave': '-1',
          'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false,ServerSideApply=true',
        },
      },
      imagePullSecrets: [{ name: 'quay-pull' }, { name: 'ghcr-pull' }],
    });
    expectValidManifests(Testing.synth(chart));
  });

  test('kubectl strategic merge keeps every other field of the live account; imagePullSecrets is atomic and becomes ours', () => {
    const { chart, quay } = setup();
    new ServiceAccountPullSecrets(chart, 'DefaultPulls', { pullSecrets: [quay] });
    const ours = account(chart);
    const patched = kubectlPatchLocal(LIVE_DEFAULT_ACCOUNT, 'strategic', { imagePullSecrets: ours.imagePullSecrets });
    expect(patched.secrets).toEqual(LIVE_DEFAULT_ACCOUNT.secrets);
    expect(patched.automountServiceAccountToken).toBe(false);
    expect(patched.metadata.labels).toEqual({ team: 'a' });
    expect(patched.metadata.uid).toEqual(LIVE_DEFAULT_ACCOUNT.metadata.uid);
    // `listType=atomic`, no patch strategy: the applied list replaces the other party's entry. This is why the
    // construct's doc says to list every secret the account needs.
    expect(patched.imagePullSecrets).toEqual([{ name: 'quay-pull' }]);
    // Applying it again changes nothing.
    expect(kubectlPatchLocal(patched, 'strategic', { imagePullSecrets: ours.imagePullSecrets })).toEqual(patched);
  });

  test('a named account and an explicit namespace', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'platform');
    const secret = RegistrySecret.fromSecretName(chart, 'Existing', 'regcred', { namespace: 'billing', registries: ['ghcr.io'] });
    new ServiceAccountPullSecrets(chart, 'Pulls', { serviceAccountName: 'puller', namespace: 'billing', pullSecrets: [secret] });
    expect(account(chart).metadata).toMatchObject({ name: 'puller', namespace: 'billing' });
  });

  test.each([
    ['no pull secrets', { pullSecrets: [] }, 'pullSecrets: must be a non-empty list'],
    ['pull secrets not a list', { pullSecrets: 'quay-pull' }, 'pullSecrets: must be an array of an IRegistrySecret, not a string'],
    ['a string as a pull secret', { pullSecrets: ['quay-pull'] }, 'pullSecrets[0]: must be an IRegistrySecret, not a string'],
    ['a bad account name', { serviceAccountName: 'Default', pullSecrets: 'QUAY' }, 'serviceAccountName:'],
    ['a bad namespace', { namespace: 'Team_A', pullSecrets: 'QUAY' }, 'namespace:'],
    ['a secret of another namespace', { namespace: 'team-b', pullSecrets: 'QUAY' }, 'pullSecrets[0].namespace: is not the account\'s namespace "team-b"'],
    ['a push secret', { pullSecrets: 'PUSH' }, 'pullSecrets[0].purpose: is a push secret'],
    ['the same secret twice', { pullSecrets: 'QUAY_TWICE' }, 'pullSecrets[1]: is listed twice'],
  ])('%s', (_name, rawProps, expected) => {
    const { chart, quay } = setup();
    const push = new RegistrySecret(chart, 'Push', { credentials: [RegistryCredentials.quayRobot('acme+pusher', token())], purpose: RegistryPurpose.PUSH });
    const secrets: { [key: string]: unknown } = { QUAY: [quay], PUSH: [push], QUAY_TWICE: [quay, quay] };
    const props = { ...rawProps, pullSecrets: secrets[rawProps.pullSecrets as string] ?? rawProps.pullSecrets };
    const error = validationErrorOf(() => new ServiceAccountPullSecrets(chart, 'Pulls', props as any));
    expect(error.message).toContain(`[dev/Pulls] ${expected}`);
    expect(error.message).toContain('Fix: ');
  });

  test('without a namespace anywhere', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'cluster-wide');
    const secret = RegistrySecret.fromSecretName(chart, 'Existing', 'regcred');
    expect(validationErrorOf(() => new ServiceAccountPullSecrets(chart, 'Pulls', { pullSecrets: [secret] })).message)
      .toContain('namespace: is required');
  });
});
