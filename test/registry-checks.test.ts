import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import {
  BuildServiceAccount, DataPlane, DataPlaneApi, ImagePullCoverage, KubernetesReplicatorApplication, PullCoverage,
  RegistryChecks, RegistryCredentials, RegistryPurpose, RegistrySecret, ReplicatedPullSecret, SecretValue,
  ServiceAccountPullSecrets, ValidationError,
} from '../src';
import { validationErrorOf } from './helpers/errors';

const token = () => SecretValue.unsafePlainText('fake-token');
const ghcr = (scope: Chart, id = 'GhcrPull') => new RegistrySecret(scope, id, { credentials: [RegistryCredentials.githubToken('octo', token())] });
const quay = (scope: Chart, id = 'QuayPull') => new RegistrySecret(scope, id, { credentials: [RegistryCredentials.quayRobot('acme+puller', token())] });

/** The messages of a synth that must fail, or [] when it passes. */
function synthErrors(app: App): string[] {
  try {
    app.synthYaml();
    return [];
  } catch (err) {
    const message = (err as Error).message;
    expect(message).toMatch(/^Validation failed with the following errors:/);
    return message.split('\n').slice(1).map(line => line.trim());
  }
}

function appWithChart(namespace = 'team-a'): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'dev', { namespace }) };
}

describe('pull coverage runs without being asked', () => {
  test('a ghcr.io pull secret attached to a Deployment that pulls from quay.io fails synth', () => {
    const { app, chart } = appWithChart();
    new kplus.Deployment(chart, 'Api', { dockerRegistryAuth: ghcr(chart), containers: [{ image: 'quay.io/acme/api:1.0' }] });
    const errors = synthErrors(app);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('[RegistryChecks] [dev/Api] spec.template.spec.containers[0].image');
    expect(errors[0]).toContain('pulls "quay.io/acme/api"');
    expect(errors[0]).toContain('team-a/ghcr-pull: ghcr.io');
  });

  test('a pull secret made for quay.io but never attached fails synth, naming the secret and the fix', () => {
    const { app, chart } = appWithChart();
    quay(chart);
    new kplus.Deployment(chart, 'Api', { containers: [{ image: 'quay.io/acme/api:1.0' }] });
    const errors = synthErrors(app);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('the namespace has the pull secret "team-a/quay-pull" for it, but the pod does not use it');
    expect(errors[0]).toContain('attach "quay-pull" to the workload (cdk8s-plus dockerRegistryAuth');
  });

  test('the same secret in another namespace does not make a public image fail', () => {
    const app = Testing.app();
    quay(new Chart(app, 'shared', { namespace: 'shared' }));
    new kplus.Deployment(new Chart(app, 'dev', { namespace: 'team-a' }), 'Api', { containers: [{ image: 'quay.io/acme/api:1.0' }] });
    expect(synthErrors(app)).toEqual([]);
  });

  test('workloads with no pull secret and no secret for their registry are taken as public', () => {
    const { app, chart } = appWithChart();
    ghcr(chart);
    new kplus.Deployment(chart, 'Web', { containers: [{ image: 'nginx:1.25' }] });
    expect(synthErrors(app)).toEqual([]);
    expect(RegistryChecks.of(app).pullReports().map(r => r.coverage)).toEqual([ImagePullCoverage.ASSUMED_PUBLIC]);
  });

  test('a workload with a pull secret must have every image covered; public registries are declared once per app', () => {
    const { app, chart } = appWithChart();
    new kplus.Deployment(chart, 'Api', {
      dockerRegistryAuth: ghcr(chart),
      containers: [{ image: 'ghcr.io/acme/api:1' }, { name: 'proxy', image: 'docker.io/envoyproxy/envoy:v1.30' }],
    });
    expect(synthErrors(app)[0]).toContain('pulls "docker.io/envoyproxy/envoy"');
    RegistryChecks.of(app).addRegistriesWithoutSecret([RegistryCredentials.anonymous('docker.io')]);
    expect(synthErrors(app)).toEqual([]);
  });

  test('raw ApiObjects of every pod-bearing kind are read, init and ephemeral containers included', () => {
    const { app, chart } = appWithChart();
    quay(chart);
    const pod = (containers: object) => ({ spec: { ...containers } });
    const objects: Array<[string, string, (spec: any) => any]> = [
      ['v1', 'Pod', spec => spec],
      ['apps/v1', 'Deployment', spec => ({ selector: {}, template: spec })],
      ['apps/v1', 'StatefulSet', spec => ({ selector: {}, serviceName: 's', template: spec })],
      ['apps/v1', 'DaemonSet', spec => ({ selector: {}, template: spec })],
      ['apps/v1', 'ReplicaSet', spec => ({ selector: {}, template: spec })],
      ['batch/v1', 'Job', spec => ({ template: spec })],
      ['batch/v1', 'CronJob', spec => ({ schedule: '* * * * *', jobTemplate: { spec: { template: spec } } })],
    ];
    for (const [apiVersion, kind, wrap] of objects) {
      const spec = pod({
        initContainers: [{ name: 'init', image: 'quay.io/acme/init:1' }],
        containers: [{ name: 'main', image: 'busybox:1' }],
        ephemeralContainers: [{ name: 'debug', image: 'quay.io/acme/debug:1' }],
      });
      const body = wrap(spec);
      new ApiObject(chart, kind, { apiVersion, kind, metadata: { name: kind.toLowerCase() }, spec: kind === 'Pod' ? spec.spec : body });
    }
    const errors = synthErrors(app);
    // Two private images (init and ephemeral) per object; the public busybox passes.
    expect(errors).toHaveLength(objects.length * 2);
    expect(errors.filter(e => e.includes('initContainers[0].image'))).toHaveLength(objects.length);
    expect(errors.filter(e => e.includes('ephemeralContainers[0].image'))).toHaveLength(objects.length);
    expect(errors.some(e => e.includes('[dev/CronJob] spec.jobTemplate.spec.template.spec.initContainers[0].image'))).toBe(true);
  });

  test('a cdk8s-plus-33 Deployment is checked like a plus-28 one', () => {
    const { app, chart } = appWithChart();
    const secret = ghcr(chart);
    new kplus33.Deployment(chart, 'Api33', {
      dockerRegistryAuth: kplus33.Secret.fromSecretName(chart, 'Ref', secret.name),
      containers: [{ image: 'quay.io/acme/api:1.0' }],
    });
    new kplus.Deployment(chart, 'Api28', { dockerRegistryAuth: secret, containers: [{ image: 'quay.io/acme/api:1.0' }] });
    const errors = synthErrors(app);
    expect(errors).toHaveLength(2);
    const [plus33, plus28] = ['Api33', 'Api28'].map(id => errors.find(e => e.includes(`[dev/${id}]`))!);
    expect(plus33.replace('Api33', 'X')).toEqual(plus28.replace('Api28', 'X'));
  });

  test('opt-outs need a reason: one workload, a chart, or the whole app', () => {
    const { app, chart } = appWithChart();
    quay(chart);
    const api = new kplus.Deployment(chart, 'Api', { containers: [{ image: 'quay.io/acme/api:1.0' }] });
    expect(synthErrors(app)).toHaveLength(1);
    expect(validationErrorOf(() => RegistryChecks.of(app).excludeWorkload(api, '')).message).toContain('reason: must be a non-empty string');
    RegistryChecks.of(app).excludeWorkload(api, 'pulled through the node mirror');
    expect(synthErrors(app)).toEqual([]);

    const other = appWithChart();
    quay(other.chart);
    new kplus.Deployment(other.chart, 'Api', { containers: [{ image: 'quay.io/acme/api:1.0' }] });
    RegistryChecks.of(other.app).disablePullCoverage('checked by the admission controller');
    expect(synthErrors(other.app)).toEqual([]);
  });

  test('a workload with its own PullCoverage.of is left to it (no double report)', () => {
    const { app, chart } = appWithChart();
    const api = new kplus.Deployment(chart, 'Api', { dockerRegistryAuth: ghcr(chart), containers: [{ image: 'quay.io/acme/api:1.0' }] });
    PullCoverage.of(api);
    const errors = synthErrors(app);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^\[dev\/Api\] /);
  });

  test('the checks run once per synth, not once per chart (cdk8s validates the app again for every chart)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-checks-'));
    try {
      const app = new App({ outdir });
      const charts = ['a', 'b', 'c', 'd', 'e', 'f'].map(id => new Chart(app, id, { namespace: `team-${id}` }));
      const api = new kplus.Deployment(charts[0], 'Api', { dockerRegistryAuth: ghcr(charts[0]), containers: [{ image: 'ghcr.io/acme/api:1' }] });
      const resource = ApiObject.of(api);
      const original = resource.toJson.bind(resource);
      let calls = 0;
      resource.toJson = () => {
        calls++;
        return original();
      };
      app.synth();
      // One read by the checks, one by cdk8s to write the chart; without the memo it would be 1 + 6 checks + 1.
      expect(calls).toBe(2);
      calls = 0;
      app.synth();
      expect(calls).toBe(2);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('an error introduced after an earlier synth of the same app is still caught (the memo lasts one synth)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-checks-'));
    try {
      const app = new App({ outdir });
      const chart = new Chart(app, 'dev', { namespace: 'team-a' });
      const secret = ghcr(chart);
      const api = new kplus.Deployment(chart, 'Api', { dockerRegistryAuth: secret, containers: [{ image: 'ghcr.io/acme/api:1' }] });
      new Chart(app, 'stage', { namespace: 'team-b' });
      app.synth();
      api.addContainer({ name: 'sidecar', image: 'quay.io/acme/sidecar:1' });
      expect(() => app.synth()).toThrow(/pulls "quay.io\/acme\/sidecar"/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('replicated pull secrets', () => {
  function withReplicated(namespace: string, image: string): { app: App; errors: string[] } {
    const app = Testing.app();
    new ReplicatedPullSecret(new Chart(app, 'platform'), 'Pull', { name: 'registry-pull', credentials: [RegistryCredentials.quayRobot('acme+puller', token())] });
    const chart = new Chart(app, 'workloads', { namespace });
    new kplus.Deployment(chart, 'Api', { dockerRegistryAuth: kplus.Secret.fromSecretName(chart, 'Copy', 'registry-pull'), containers: [{ image }] });
    return { app, errors: synthErrors(app) };
  }

  test('a pod naming the copy in a namespace the replication reaches is checked with the copy\'s registries', () => {
    const { app, errors } = withReplicated('dp-acme-shop-prod-0a1b2c3d', 'quay.io/acme/shop:1');
    expect(errors).toEqual([]);
    expect(RegistryChecks.of(app).pullReports()[0].matchedKeys).toEqual(['dp-acme-shop-prod-0a1b2c3d/registry-pull: quay.io']);
    expect(withReplicated('dp-acme-shop-prod-0a1b2c3d', 'ghcr.io/acme/shop:1').errors[0]).toContain('dp-acme-shop-prod-0a1b2c3d/registry-pull: quay.io');
  });

  test('a namespace the replication misses has no copy: the registries are unknown there', () => {
    const { app } = withReplicated('team-a', 'quay.io/acme/shop:1');
    const [report] = RegistryChecks.of(app).pullReports();
    expect(report.coverage).toBe(ImagePullCoverage.UNVERIFIED);
    expect(report.availableKeys[0]).toContain('team-a/registry-pull: registries unknown (not in the app in this namespace; the app has it in "choreo-system"');
  });

  test('a copy that reaches the namespace but is not attached is reported like any unused pull secret', () => {
    const app = Testing.app();
    new ReplicatedPullSecret(new Chart(app, 'platform'), 'Pull', { name: 'registry-pull', credentials: [RegistryCredentials.quayRobot('acme+puller', token())] });
    new kplus.Deployment(new Chart(app, 'workloads', { namespace: 'dp-acme-shop-prod-0a1b2c3d' }), 'Api', { containers: [{ image: 'quay.io/acme/shop:1' }] });
    expect(synthErrors(app)[0]).toContain('the namespace has the pull secret "dp-acme-shop-prod-0a1b2c3d/registry-pull" for it, but the pod does not use it');
  });
});

describe('ServiceAccounts', () => {
  test('a pod of an account outside the app is named in the error with the two fixes, never "no pull secrets"', () => {
    const { app, chart } = appWithChart();
    quay(chart);
    new kplus.Deployment(chart, 'Api', {
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'Sa', 'puller'),
      containers: [{ image: 'quay.io/acme/api:1.0' }],
    });
    const [error] = synthErrors(app);
    expect(error).toContain('its ServiceAccount "team-a/puller" is not in the app, so its pull secrets are unknown');
    expect(error).toContain('new ServiceAccountPullSecrets(scope, id, { serviceAccountName: "puller", namespace: "team-a", pullSecrets: [...] })');
    expect(error).toContain('RegistryChecks.of(app).trustServiceAccount("team-a", "puller", reason)');
    expect(error).not.toContain('the pod has no pull secrets');
  });

  test('the implicit default account, attached with ServiceAccountPullSecrets, covers the pod', () => {
    const { app, chart } = appWithChart();
    const secret = quay(chart);
    new kplus.Deployment(chart, 'Api', { containers: [{ image: 'quay.io/acme/api:1.0' }] });
    expect(synthErrors(app)[0]).toContain('ServiceAccount "team-a/default" is not in the app');
    new ServiceAccountPullSecrets(chart, 'DefaultPulls', { pullSecrets: [secret] });
    expect(synthErrors(app)).toEqual([]);
    expect(RegistryChecks.of(app).pullReports()[0].matchedKeys).toEqual(['team-a/quay-pull: quay.io']);
  });

  test('an account declared trusted counts as covered, and PullCoverage.of honours the declaration too', () => {
    const { app, chart } = appWithChart();
    quay(chart);
    const api = new kplus.Deployment(chart, 'Api', {
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'Sa', 'puller'),
      containers: [{ image: 'quay.io/acme/api:1.0' }],
    });
    const strict = PullCoverage.of(api);
    expect(strict.validate()).toHaveLength(1);
    RegistryChecks.of(app).trustServiceAccount('team-a', 'puller', 'the image operator links its pull secret');
    expect(strict.validate()).toEqual([]);
    expect(strict.reports()[0].coverage).toBe(ImagePullCoverage.UNVERIFIED);
    expect(synthErrors(app)).toEqual([]);
  });

  test('trustUndeclaredSecrets now also trusts an account outside the app', () => {
    const { chart } = appWithChart();
    const api = new kplus.Deployment(chart, 'Api', {
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(chart, 'Sa', 'puller'),
      containers: [{ image: 'quay.io/acme/api:1.0' }],
    });
    expect(PullCoverage.of(api, { trustUndeclaredSecrets: true }).validate()).toEqual([]);
  });

  test('a cdk8s-plus ServiceAccount of the app with no pull secrets is known: the message says it has none', () => {
    const { app, chart } = appWithChart();
    quay(chart);
    new kplus.Deployment(chart, 'Api', {
      serviceAccount: new kplus.ServiceAccount(chart, 'Sa', { metadata: { name: 'api' } }),
      containers: [{ image: 'quay.io/acme/api:1.0' }],
    });
    expect(synthErrors(app)[0]).toContain('its ServiceAccount "team-a/api" has none');
  });
});

describe('one object per name in an app (one app is one cluster)', () => {
  test('KubernetesReplicatorApplication from three charts is one error per extra copy, naming both paths', () => {
    const app = Testing.app();
    for (const env of ['dev', 'stage', 'prod']) {
      new KubernetesReplicatorApplication(new Chart(app, env), 'Replicator');
    }
    const errors = synthErrors(app);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('[RegistryChecks] [stage/Replicator/Resource] metadata.name: Application "argocd/kubernetes-replicator" is also written by dev/Replicator/Resource');
    expect(errors[1]).toContain('is also written by dev/Replicator/Resource');
    expect(errors[0]).toContain('KubernetesReplicatorApplication goes in one chart');
    expect(errors[0]).toContain('give each cluster its own App with outdir "dist/<cluster>"');
  });

  test('users\' own objects are caught too, across charts; other namespaces and kinds are fine', () => {
    const app = Testing.app();
    ghcr(new Chart(app, 'platform', { namespace: 'shared' }));
    const config = (chart: Chart, namespace?: string, kind = 'ConfigMap') =>
      new ApiObject(chart, `${kind}${namespace ?? ''}`, { apiVersion: 'v1', kind, metadata: { name: 'settings', namespace } });
    config(new Chart(app, 'a', { namespace: 'team-a' }));
    config(new Chart(app, 'b', { namespace: 'team-a' }));
    config(new Chart(app, 'c', { namespace: 'team-b' }));
    config(new Chart(app, 'd', { namespace: 'team-a' }), undefined, 'Secret');
    const errors = synthErrors(app);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('[b/ConfigMap] metadata.name: ConfigMap "team-a/settings" is also written by a/ConfigMap');
  });

  test('the same secret name in two clusters works as one App per cluster; in one App the error says how to model it', () => {
    const error = validationErrorOf(() => {
      const app = Testing.app();
      ghcr(new Chart(app, 'eu', { namespace: 'team-a' }));
      ghcr(new Chart(app, 'us', { namespace: 'team-a' }));
    });
    expect(error.message).toContain('in the same App; one App is one cluster\'s output');
    expect(error.message).toContain('give each cluster its own App (new App({ outdir: "dist/<cluster>" }))');

    const eu = Testing.app();
    const us = Testing.app();
    ghcr(new Chart(eu, 'eu', { namespace: 'team-a' }));
    ghcr(new Chart(us, 'us', { namespace: 'team-a' }));
    expect(synthErrors(eu)).toEqual([]);
    expect(synthErrors(us)).toEqual([]);
  });
});

describe('warnings are reported at synth, once, and each code can be an error or off', () => {
  function appWithWarning(): { app: App; printed: string[]; restore: () => void } {
    const printed: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
      printed.push(String(chunk));
      return true;
    });
    const app = Testing.app();
    for (const id of ['a', 'b', 'c']) {
      new Chart(app, id, { namespace: `team-${id}` });
    }
    // A path-prefix key: works for quay.io/acme/... but also for quay.io/acme-other/...
    new RegistrySecret(new Chart(app, 'platform', { namespace: 'shared' }), 'Pull', {
      credentials: [RegistryCredentials.basic('quay.io/acme', 'robot', token())],
    });
    return { app, printed, restore: () => spy.mockRestore() };
  }

  test('nothing is printed while constructs are built; one line per warning per synth, however many charts', () => {
    const { app, printed, restore } = appWithWarning();
    try {
      expect(printed).toEqual([]);
      expect(RegistryChecks.of(app).warnings()).toEqual([expect.stringMatching(/^\[platform\/Pull\] path-prefix: credentials\[0\]\.registry "quay\.io\/acme"/)]);
      app.synthYaml();
      expect(printed).toHaveLength(1);
      expect(printed[0]).toMatch(/^warning: \[platform\/Pull\] path-prefix: /);
    } finally {
      restore();
    }
  });

  test('treatWarningAsError fails synth on it; suppressWarning silences it', () => {
    const failing = appWithWarning();
    try {
      RegistryChecks.of(failing.app).treatWarningAsError('path-prefix');
      expect(synthErrors(failing.app)[0]).toContain('[RegistryChecks] [platform/Pull] path-prefix: ');
      expect(synthErrors(failing.app)[0]).toContain('treatWarningAsError("path-prefix")');
    } finally {
      failing.restore();
    }
    const quiet = appWithWarning();
    try {
      RegistryChecks.of(quiet.app).suppressWarning('path-prefix', 'acme owns every quay.io/acme* namespace');
      quiet.app.synthYaml();
      expect(quiet.printed).toEqual([]);
      expect(RegistryChecks.of(quiet.app).warnings()).toEqual([]);
    } finally {
      quiet.restore();
    }
  });
});

describe('one synth reports every independent problem at once (the cdk8s way), not one per run', () => {
  test('a wrong pull secret, a duplicate object, a DataPlane escape-hatch field and an uncovered push target', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'dev', { namespace: 'team-a' });
    new kplus.Deployment(chart, 'Api', { dockerRegistryAuth: ghcr(chart), containers: [{ image: 'quay.io/acme/api:1.0' }] });
    new ApiObject(chart, 'A', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' } });
    new ApiObject(chart, 'B', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' } });
    const pem = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
    const dataPlane = new DataPlane(new Chart(app, 'cp'), 'DataPlane', {
      api: DataPlaneApi.V1ALPHA1_PULL,
      name: 'dp',
      organization: 'acme',
      kubernetesCluster: { name: 'c', credentials: { apiServerUrl: 'https://c.example:6443', caCert: pem, clientCert: pem, clientKey: SecretValue.unsafePlainText(pem) } },
      gateway: { publicVirtualHost: 'apis.example', organizationVirtualHost: 'apis.internal' },
      pullRegistry: { prefix: 'docker.io/acme' },
    });
    dataPlane.apiObject.addJsonPatch(JsonPatch.add('/spec/registry/imagePullSecretRefs', ['ghcr']));
    const push = new RegistrySecret(chart, 'Push', { purpose: RegistryPurpose.PUSH, credentials: [RegistryCredentials.quayRobot('acme+b', token())] });
    BuildServiceAccount.forComponent(chart, 'Build', { component: 'api', secrets: [push], outputImage: 'ghcr.io/acme/api' });
    const errors = synthErrors(app);
    expect(errors).toHaveLength(4);
    expect(errors.some(e => e.includes('[dev/Api] spec.template.spec.containers[0].image'))).toBe(true);
    expect(errors.some(e => e.includes('[dev/B] metadata.name'))).toBe(true);
    expect(errors.some(e => e.includes('[cp/DataPlane] spec.registry.imagePullSecretRefs'))).toBe(true);
    expect(errors.some(e => e.includes('[dev/Build] outputImage'))).toBe(true);
  });
});

describe('bad input', () => {
  test.each([
    ['addRegistriesWithoutSecret with a secret-needing registry', (c: RegistryChecks) => c.addRegistriesWithoutSecret([RegistryCredentials.githubToken('u', token())]), 'credentials[0]: needs a Secret'],
    ['addRegistriesWithoutSecret with a string', (c: RegistryChecks) => c.addRegistriesWithoutSecret('docker.io' as any), 'credentials: is not an array'],
    ['addRegistriesWithoutSecret with a string item', (c: RegistryChecks) => c.addRegistriesWithoutSecret(['docker.io' as any]), 'credentials[0]: is not a RegistryCredentials'],
    ['trustServiceAccount without a reason', (c: RegistryChecks) => c.trustServiceAccount('team-a', 'default', undefined as any), 'reason: must be a non-empty string'],
    ['trustServiceAccount with a number as name', (c: RegistryChecks) => c.trustServiceAccount('team-a', 7 as any, 'r'), 'name: must be a non-empty string'],
    ['excludeWorkload with a string', (c: RegistryChecks) => c.excludeWorkload('Api' as any, 'r'), 'workload: is not a construct'],
    ['disablePullCoverage with a blank reason', (c: RegistryChecks) => c.disablePullCoverage('  '), 'reason: must be a non-empty string'],
    ['suppressWarning without a reason', (c: RegistryChecks) => c.suppressWarning('path-prefix', '' as any), 'reason: must be a non-empty string'],
    ['treatWarningAsError with a number', (c: RegistryChecks) => c.treatWarningAsError(3 as any), 'code: must be a non-empty string'],
  ])('%s', (_name, call, expected) => {
    const checks = RegistryChecks.of(Testing.app());
    const error = validationErrorOf(() => call(checks));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toContain(`[RegistryChecks] ${expected}`);
    expect(error.message).toContain('Fix: ');
  });

  test('RegistryChecks.of with something that is not a construct', () => {
    expect(validationErrorOf(() => RegistryChecks.of('app' as any)).message).toContain('scope: is not a construct');
  });

  test('RegistryChecks.of returns one instance per app', () => {
    const app = Testing.app();
    expect(RegistryChecks.of(new Chart(app, 'a'))).toBe(RegistryChecks.of(app));
  });
});
