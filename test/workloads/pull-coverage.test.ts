import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Cron, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { CloudVendor, RegistryCredentials, RegistrySecret, SecretValue, ValidationError } from '../../src';
import { DockerConfig } from '../../src/values/docker-config';
import { ImageReference } from '../../src/values/image-reference';
import { KubeletKeyring } from '../../src/values/kubelet-keyring';
import { ImagePullCoverage, PullCoverage, PullCoverageOptions } from '../../src/workloads/pull-coverage';
import { loadReferenceJson } from '../helpers/reference';

const HUB_KEY = 'https://index.docker.io/v1/';

function chart(namespace = 'team-a'): Chart {
  return new Chart(Testing.app(), 'apps', { namespace });
}

function pullSecret(scope: Construct, id: string, ...registries: string[]): RegistrySecret {
  return new RegistrySecret(scope, id, {
    credentials: registries.map(r => RegistryCredentials.basic(r, 'robot', SecretValue.unsafePlainText('fake-token'))),
  });
}

/** A hand-written dockerconfigjson Secret, for keys that RegistrySecret itself refuses. */
function rawPullSecret(scope: Construct, name: string, ...keys: string[]): kplus.ISecret {
  const config = keys.reduce((c, key) => c.withBasicAuth(key, 'robot', 'fake-token'), DockerConfig.empty());
  new ApiObject(scope, name, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(config.toJson()).toString('base64') },
  } as any);
  return kplus.Secret.fromSecretName(scope, `${name}-ref`, name);
}

function deployment(scope: Construct, image: string, secret?: kplus.ISecret): kplus.Deployment {
  return new kplus.Deployment(scope, 'Web', { containers: [{ image }], dockerRegistryAuth: secret });
}

/** Checks one image pulled with a secret holding `keys` and returns the validation messages and the report. */
function checkImage(image: string, keys: string[], options: PullCoverageOptions = {}) {
  const scope = chart();
  const workload = deployment(scope, image, keys.length > 0 ? pullSecret(scope, 'Pull', ...keys) : undefined);
  const coverage = PullCoverage.of(workload, options);
  return { messages: coverage.validate(), report: coverage.reports()[0] };
}

describe('images that no attached credential covers fail', () => {
  test('a docker.io image with a key for registry-1.docker.io', () => {
    const { messages, report } = checkImage('nginx:1.25', ['registry-1.docker.io']);
    expect(report.coverage).toBe(ImagePullCoverage.NOT_COVERED);
    expect(report.availableKeys).toEqual(['team-a/pull: registry-1.docker.io']);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('spec.template.spec.containers[0].image');
    expect(messages[0]).toContain('pulls "docker.io/library/nginx"');
    expect(messages[0]).toContain('(got "nginx:1.25")');
    expect(messages[0]).toContain('team-a/pull: registry-1.docker.io');
    expect(messages[0]).toContain('Fix: key "registry-1.docker.io" never matches docker.io images; use "https://index.docker.io/v1/"');
  });

  test('a key whose path prefix does not cover the image', () => {
    const { messages, report } = checkImage('quay.io/org/app:1.0', ['quay.io/other']);
    expect(report.coverage).toBe(ImagePullCoverage.NOT_COVERED);
    expect(messages[0]).toContain('key "quay.io/other" covers only repositories starting with "quay.io/other", not "quay.io/org/app"');
    expect(messages[0]).toContain('use "quay.io/org" or "quay.io"');
  });

  test('a secret for ghcr.io on a quay.io image', () => {
    const { messages, report } = checkImage('quay.io/org/app:1.0', ['ghcr.io']);
    expect(report.coverage).toBe(ImagePullCoverage.NOT_COVERED);
    expect(report.matchedKeys).toEqual([]);
    expect(messages[0]).toContain('the pod\'s pull secrets give team-a/pull: ghcr.io');
    expect(messages[0]).toContain('Fix: attach a pull secret with a key for "quay.io"');
  });

  test('a Docker Hub key on an image written with registry.hub.docker.com', () => {
    const { messages } = checkImage('registry.hub.docker.com/library/nginx:1.25', [HUB_KEY]);
    expect(messages[0]).toContain(`key "${HUB_KEY}" covers images written as docker.io/… or without a registry, not ones written "registry.hub.docker.com/…"`);
    expect(messages[0]).toContain('write the image as "docker.io/library/nginx"');
  });

  test('a key with an explicit :443 port', () => {
    const scope = chart();
    const messages = PullCoverage.of(deployment(scope, 'ghcr.io/org/app:1.0', rawPullSecret(scope, 'hand-made', 'ghcr.io:443'))).validate();
    expect(messages[0]).toContain('key "ghcr.io:443" has port 443 and the image none; the kubelet compares ports literally: use "ghcr.io"');
  });

  test('a key for index.docker.io with a path', () => {
    const scope = chart();
    const messages = PullCoverage.of(deployment(scope, 'acme/app:1.0', rawPullSecret(scope, 'hand-made', 'https://index.docker.io/v1/acme'))).validate();
    expect(messages[0]).toContain('reduces to "index.docker.io/acme", which matches no image');
  });

  test('a workload without pull secrets', () => {
    const { messages } = checkImage('ghcr.io/org/app:1.0', []);
    // The implicit `default` account is not in the app: the message names it instead of claiming "no pull secrets".
    expect(messages[0]).toContain('the pod names no imagePullSecrets and its ServiceAccount "team-a/default" is not in the app');
    expect(messages[0]).toContain('new ServiceAccountPullSecrets(scope, id, { serviceAccountName: "default", namespace: "team-a"');
    expect(messages[0]).toContain('RegistryChecks.of(app).trustServiceAccount("team-a", "default", reason)');
    expect(messages[0]).toContain('RegistryCredentials.anonymous or RegistryCredentials.vendorManaged in registriesWithoutSecret');
  });

  test('an invalid image', () => {
    const { messages, report } = checkImage('ghcr.io/Org/App:1.0', ['ghcr.io']);
    expect(report.coverage).toBe(ImagePullCoverage.INVALID_IMAGE);
    expect(messages[0]).toContain('is not a valid image reference; the kubelet reports InvalidImageName');
  });
});

describe('covered images pass', () => {
  test('the Docker Hub key https://index.docker.io/v1/ for nginx', () => {
    const { messages, report } = checkImage('nginx:1.25', [HUB_KEY]);
    expect(messages).toEqual([]);
    expect(report.coverage).toBe(ImagePullCoverage.PULL_SECRET);
    expect(report.matchedKeys).toEqual([`team-a/pull: ${HUB_KEY}`]);
  });

  test('quay.io/org for quay.io/org/app', () => {
    const { messages, report } = checkImage('quay.io/org/app:1.0', ['quay.io/org']);
    expect(messages).toEqual([]);
    expect(report.matchedKeys).toEqual(['team-a/pull: quay.io/org']);
  });

  test('a vendor-managed ECR registry', () => {
    const ecr = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
    const { messages, report } = checkImage(`${ecr}/shop/api:2.0`, [], {
      registriesWithoutSecret: [RegistryCredentials.vendorManaged(ecr, CloudVendor.AWS)],
    });
    expect(messages).toEqual([]);
    expect(report.coverage).toBe(ImagePullCoverage.WITHOUT_SECRET);
  });

  test('an anonymous public registry', () => {
    const { messages, report } = checkImage('registry.k8s.io/pause:3.9', [], {
      registriesWithoutSecret: [RegistryCredentials.anonymous('registry.k8s.io')],
    });
    expect(messages).toEqual([]);
    expect(report.coverage).toBe(ImagePullCoverage.WITHOUT_SECRET);
  });

  test('anonymous Docker Hub declared as registry.hub.docker.com covers images written nginx', () => {
    const { messages } = checkImage('nginx:1.25', [], {
      registriesWithoutSecret: [RegistryCredentials.anonymous('registry.hub.docker.com')],
    });
    expect(messages).toEqual([]);
  });

  test('an anonymous registry does not cover another host', () => {
    const { messages } = checkImage('ghcr.io/org/app:1.0', [], {
      registriesWithoutSecret: [RegistryCredentials.anonymous('registry.k8s.io')],
    });
    expect(messages).toHaveLength(1);
  });

  test('imagePullPolicy Never pulls nothing', () => {
    const scope = chart();
    const workload = new kplus.Deployment(scope, 'Web', {
      containers: [{ image: 'ghcr.io/org/app:1.0', imagePullPolicy: kplus.ImagePullPolicy.NEVER }],
    });
    const coverage = PullCoverage.of(workload);
    expect(coverage.reports()[0].coverage).toBe(ImagePullCoverage.NEVER_PULLED);
    expect(coverage.validate()).toEqual([]);
  });
});

describe('which images and secrets are checked', () => {
  test('init containers are checked before containers', () => {
    const scope = chart();
    const workload = deployment(scope, 'ghcr.io/org/app:1.0', pullSecret(scope, 'Pull', 'ghcr.io'));
    workload.addInitContainer({ image: 'quay.io/org/migrate:1.0' });
    const coverage = PullCoverage.of(workload);
    expect(coverage.reports().map(r => [r.imagePath, r.coverage])).toEqual([
      ['spec.template.spec.initContainers[0].image', ImagePullCoverage.NOT_COVERED],
      ['spec.template.spec.containers[0].image', ImagePullCoverage.PULL_SECRET],
    ]);
  });

  test('CronJob and Job pod templates', () => {
    const scope = chart();
    const secret = pullSecret(scope, 'Pull', 'ghcr.io');
    const cronJob = new kplus.CronJob(scope, 'Nightly', { schedule: Cron.daily(), containers: [{ image: 'ghcr.io/org/report:1.0' }], dockerRegistryAuth: secret });
    const job = new kplus.Job(scope, 'Once', { containers: [{ image: 'ghcr.io/org/migrate:1.0' }], dockerRegistryAuth: secret });
    expect(PullCoverage.of(cronJob).reports()[0]).toMatchObject({
      imagePath: 'spec.jobTemplate.spec.template.spec.containers[0].image', coverage: ImagePullCoverage.PULL_SECRET,
    });
    expect(PullCoverage.of(job).reports()[0]).toMatchObject({
      imagePath: 'spec.template.spec.containers[0].image', coverage: ImagePullCoverage.PULL_SECRET,
    });
  });

  test('an existing secret without declared registries fails unless trusted', () => {
    const scope = chart();
    const existing = RegistrySecret.fromSecretName(scope, 'Existing', 'regcred');
    const failing = PullCoverage.of(deployment(scope, 'ghcr.io/org/app:1.0', existing));
    expect(failing.validate()[0]).toContain('team-a/regcred: registries unknown (an existing Secret without declared registries)');
    expect(failing.validate()[0]).toContain('declare the registries of team-a/regcred (RegistrySecret.fromSecretName(scope, id, name, { registries: [...] })) or set trustUndeclaredSecrets: true');

    const other = chart();
    const trusted = PullCoverage.of(deployment(other, 'ghcr.io/org/app:1.0', RegistrySecret.fromSecretName(other, 'Existing', 'regcred')), { trustUndeclaredSecrets: true });
    expect(trusted.validate()).toEqual([]);
    expect(trusted.reports()[0].coverage).toBe(ImagePullCoverage.UNVERIFIED);
  });

  test('an existing secret with declared registries is checked like any other', () => {
    const scope = chart();
    const existing = RegistrySecret.fromSecretName(scope, 'Existing', 'regcred', { registries: ['ghcr.io'] });
    const coverage = PullCoverage.of(deployment(scope, 'ghcr.io/org/app:1.0', existing));
    expect(coverage.reports()[0].matchedKeys).toEqual(['team-a/regcred: ghcr.io']);
  });

  test('a pull secret from another namespace is reported as missing, with where it is', () => {
    const app = Testing.app();
    const platform = new Chart(app, 'platform', { namespace: 'platform' });
    const secret = pullSecret(platform, 'Pull', 'ghcr.io');
    const team = new Chart(app, 'team', { namespace: 'team-a' });
    const coverage = PullCoverage.of(deployment(team, 'ghcr.io/org/app:1.0', secret));
    expect(coverage.validate()[0]).toContain('team-a/pull: registries unknown (not in the app in this namespace; the app has it in "platform", but pods read pull secrets only from their own namespace)');
  });

  test('the ServiceAccount\'s pull secrets are used when the pod names none', () => {
    const scope = chart();
    pullSecret(scope, 'Pull', 'ghcr.io');
    new ApiObject(scope, 'DefaultSa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' }, imagePullSecrets: [{ name: 'pull' }] } as any);
    const coverage = PullCoverage.of(deployment(scope, 'ghcr.io/org/app:1.0'));
    expect(coverage.reports()[0].matchedKeys).toEqual(['team-a/pull: ghcr.io']);
  });

  test('the ServiceAccount\'s pull secrets are not used when the pod names its own', () => {
    const scope = chart();
    pullSecret(scope, 'SaPull', 'ghcr.io');
    new ApiObject(scope, 'DefaultSa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' }, imagePullSecrets: [{ name: 'sa-pull' }] } as any);
    const coverage = PullCoverage.of(deployment(scope, 'ghcr.io/org/app:1.0', pullSecret(scope, 'PodPull', 'quay.io')));
    expect(coverage.reports()[0].coverage).toBe(ImagePullCoverage.NOT_COVERED);
  });

  test('a plain cdk8s-plus dockerconfigjson Secret is read', () => {
    const scope = chart();
    const secret = new kplus.Secret(scope, 'Raw', {
      type: 'kubernetes.io/dockerconfigjson',
      stringData: { '.dockerconfigjson': DockerConfig.empty().withBasicAuth('ghcr.io', 'robot', 'fake').toJson() },
    });
    const coverage = PullCoverage.of(deployment(scope, 'ghcr.io/org/app:1.0', secret));
    expect(coverage.reports()[0].matchedKeys).toEqual([`team-a/${secret.name}: ghcr.io`]);
  });

  test('an Opaque Secret is shown as ignored', () => {
    const scope = chart();
    const secret = new kplus.Secret(scope, 'Opaque', { stringData: { token: 'fake' } });
    const coverage = PullCoverage.of(deployment(scope, 'ghcr.io/org/app:1.0', secret));
    expect(coverage.reports()[0].availableKeys).toEqual([`team-a/${secret.name}: type Opaque, which the kubelet ignores for pulls`]);
    expect(coverage.validate()).toHaveLength(1);
  });

  test('an unreadable dockerconfigjson fails the workload even when another secret covers the image', () => {
    const scope = chart();
    new ApiObject(scope, 'Broken', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'broken' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from('{"auths":').toString('base64') },
    } as any);
    const workload = deployment(scope, 'ghcr.io/org/app:1.0', pullSecret(scope, 'Pull', 'ghcr.io'));
    ApiObject.of(workload).addJsonPatch(JsonPatch.add('/spec/template/spec/imagePullSecrets/-', { name: 'broken' }));
    const messages = PullCoverage.of(workload).validate();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('spec.template.spec.imagePullSecrets: names a Secret whose .dockerconfigjson is invalid');
    expect(messages[0]).toContain('(got "team-a/broken")');
  });
});

describe('PullCoverage.ofAll', () => {
  test('checks every pod spec under the scope, including raw ApiObjects, but not workloads with their own check', () => {
    const scope = chart();
    const secret = pullSecret(scope, 'Pull', 'ghcr.io');
    new kplus.Deployment(scope, 'Covered', { containers: [{ image: 'ghcr.io/org/app:1.0' }], dockerRegistryAuth: secret });
    new ApiObject(scope, 'RawPod', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'raw' }, spec: { containers: [{ name: 'c', image: 'quay.io/org/app:1.0' }] },
    } as any);
    const ownCheck = new kplus.Deployment(scope, 'OwnCheck', { containers: [{ image: 'docker.io/org/private:1.0' }] });
    PullCoverage.of(ownCheck, { registriesWithoutSecret: [RegistryCredentials.anonymous('docker.io')] });
    const all = PullCoverage.ofAll(scope);
    expect(all.reports().map(r => [r.workloadPath, r.imagePath, r.coverage])).toEqual([
      ['apps/Covered', 'spec.template.spec.containers[0].image', ImagePullCoverage.PULL_SECRET],
      ['apps/RawPod', 'spec.containers[0].image', ImagePullCoverage.NOT_COVERED],
    ]);
    expect(all.validate()).toHaveLength(1);
    expect(all.validate()[0]).toMatch(/^\[apps\/RawPod\] spec\.containers\[0\]\.image: container "c" pulls "quay\.io\/org\/app"/);
  });
});

describe('synth', () => {
  test('fails before writing any file, naming the workload path', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pull-coverage-'));
    try {
      const app = new App({ outdir });
      const scope = new Chart(app, 'apps', { namespace: 'team-a' });
      PullCoverage.of(deployment(scope, 'nginx:1.25', pullSecret(scope, 'Pull', 'registry-1.docker.io')));
      expect(() => app.synth()).toThrow(/\[apps\/Web\] spec\.template\.spec\.containers\[0\]\.image: container "main" pulls "docker\.io\/library\/nginx"/);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('passes and writes the manifests when every image is covered', () => {
    const app = Testing.app();
    const scope = new Chart(app, 'apps', { namespace: 'team-a' });
    PullCoverage.of(deployment(scope, 'nginx:1.25', pullSecret(scope, 'Pull', HUB_KEY)));
    expect(() => app.synth()).not.toThrow();
  });

  test('outside a synth, validate() and reports() see every change at once (no memo to go stale)', () => {
    const scope = chart();
    const coverage = PullCoverage.of(deployment(scope, 'ghcr.io/org/app:1.0'));
    expect(coverage.validate()).toHaveLength(1);
    pullSecret(scope, 'Pull', 'ghcr.io');
    new ApiObject(scope, 'DefaultSa', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' }, imagePullSecrets: [{ name: 'pull' }] } as any);
    expect(coverage.reports()[0].coverage).toBe(ImagePullCoverage.PULL_SECRET);
    expect(coverage.validate()).toEqual([]);
  });

  test('messages never contain secret material', () => {
    const { messages } = checkImage('nginx:1.25', ['registry-1.docker.io']);
    expect(messages[0]).not.toContain('fake-token');
    expect(messages[0]).not.toContain(Buffer.from('robot:fake-token').toString('base64'));
  });
});

describe('bad input', () => {
  test('registriesWithoutSecret only takes credentials that need no secret', () => {
    const scope = chart();
    const workload = deployment(scope, 'ghcr.io/org/app:1.0');
    const token = 'ghp_FAKEtoken';
    let error: unknown;
    try {
      PullCoverage.of(workload, { registriesWithoutSecret: [RegistryCredentials.githubToken('octo', SecretValue.unsafePlainText(token))] });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('registriesWithoutSecret[0]');
    expect((error as ValidationError).fix).toContain('RegistrySecret');
    expect((error as ValidationError).message).not.toContain(token);
  });

  test('a construct without an ApiObject', () => {
    const scope = chart();
    const plain = new Construct(scope, 'Plain');
    expect(() => PullCoverage.of(plain)).toThrow(ValidationError);
    expect(() => PullCoverage.of(plain)).toThrow(/\[apps\/Plain\] workload: .* Fix: pass a cdk8s-plus workload/);
  });

  test('an ApiObject without a pod spec', () => {
    const scope = chart();
    const config = new ApiObject(scope, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    expect(PullCoverage.of(config).validate()).toEqual([
      expect.stringContaining('spec: has no pod spec'),
    ]);
  });
});

// End to end against the kubelet's own matching: every .dockerconfigjson lookup vector whose configs are valid and
// whose image is a normalized repository name (the kubelet normalizes a pod's image before the keyring lookup, so
// only those vectors describe a pod), run through Secrets and a Pod in an app.
const KEYRING_VECTORS = (loadReferenceJson('kubelet-keyring', 'vectors.json').lookups as any[])
  .filter(v => v.secrets && !v.keyringError && ImageReference.isValid(v.image) && ImageReference.parse(v.image).name === v.image)
  .filter(v => v.secrets.every((s: any) => isStrictlyValid(JSON.stringify(s))));

function isStrictlyValid(json: string): boolean {
  try {
    DockerConfig.fromJson(json);
    return true;
  } catch {
    return false;
  }
}

test('the keyring vectors cover a meaningful share of the lookups', () => {
  expect(KEYRING_VECTORS.length).toBeGreaterThan(100);
});

test.each(KEYRING_VECTORS.map(v => [`${v.id} ${v.image}`, v]))('kubelet vector %s', (_name, vector) => {
  const scope = chart('ns');
  vector.secrets.forEach((config: any, index: number) => new ApiObject(scope, `Secret${index}`, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `s${index}` },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
  } as any));
  const pod = new ApiObject(scope, 'Pod', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { imagePullSecrets: vector.secrets.map((_: any, i: number) => ({ name: `s${i}` })), containers: [{ name: 'c', image: vector.image }] },
  } as any);
  const report = PullCoverage.of(pod).reports()[0];
  expect(report.coverage).toBe(vector.found ? ImagePullCoverage.PULL_SECRET : ImagePullCoverage.NOT_COVERED);
  const patterns = report.matchedKeys.map(key => KubeletKeyring.keyToPattern(key.slice(key.indexOf(': ') + 2)));
  expect([...new Set(patterns)]).toEqual(vector.matchedPatterns);
});
