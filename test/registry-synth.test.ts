import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Lazy, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { buildPlatform } from '../bench/platform';
import { buildInventory, Layout, testCertificatePem } from '../bench/spec';
import { appsOf, EXAMPLES } from '../examples';
import {
  DataPlane, DataPlaneApi, RegistryCredentials, RegistryPurpose, RegistrySecret, RegistrySynth, SecretValue,
} from '../src';
import { firstProblemOf, validationErrorOf } from './helpers/errors';

const PEM = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
const KEY = Buffer.from('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFAKE\n-----END EC PRIVATE KEY-----\n').toString('base64');

const tmpDirs: string[] = [];
afterAll(() => tmpDirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-synth-'));
  tmpDirs.push(dir);
  return dir;
}

/** Every file under `dir` with its bytes, by relative path. */
function filesUnder(dir: string): Map<string, string> {
  if (!fs.existsSync(dir)) {
    return new Map();
  }
  return new Map(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(file => fs.statSync(path.join(dir, file)).isFile())
    .sort()
    .map(file => [file, fs.readFileSync(path.join(dir, file), 'utf8')]));
}

/** The files `app.synth()` and `RegistrySynth.synth` write for two apps built the same way. */
function bothWays(build: (outdir: string) => App[]): { cdk8s: Map<string, string>; ours: Map<string, string> } {
  const cdk8sDir = tmpDir();
  const oursDir = tmpDir();
  build(cdk8sDir).forEach(app => app.synth());
  build(oursDir).forEach(app => RegistrySynth.synth(app));
  return { cdk8s: filesUnder(cdk8sDir), ours: filesUnder(oursDir) };
}

/** A CORE_V1_PUSH DataPlane `id` of organization acme in its own chart, pushing with a secret "hub-push". */
function pushDataPlane(app: App, id = 'plane', prefix = 'docker.io/acme', existingSecret?: RegistrySecret): DataPlane {
  const chart = new Chart(app, id);
  const secret = existingSecret ?? new RegistrySecret(chart, 'Push', {
    name: 'hub-push',
    namespace: 'choreo-ci-acme',
    purpose: RegistryPurpose.PUSH,
    credentials: [RegistryCredentials.dockerHubToken('acme', SecretValue.unsafePlainText('dckr_pat_FAKE'))],
  });
  return new DataPlane(chart, 'DataPlane', {
    api: DataPlaneApi.CORE_V1_PUSH,
    name: id,
    organization: 'acme',
    kubernetesCluster: { name: 'c', credentials: { apiServerUrl: 'https://10.0.0.1:6443', caCert: PEM, clientCert: PEM, clientKey: SecretValue.unsafePlainText(KEY) } },
    gateway: { publicVirtualHost: 'apis.example.com', organizationVirtualHost: 'apis.internal' },
    pushRegistries: { imagePushSecrets: [{ prefix, secret }] },
  });
}

/** Counts `toJson()` calls on `object`. */
function countToJson(object: ApiObject): { readonly calls: number; reset(): void } {
  const original = object.toJson.bind(object);
  const counter = { calls: 0, reset: () => { counter.calls = 0; } };
  object.toJson = () => {
    counter.calls++;
    return original();
  };
  return counter;
}

describe('DataPlane validations run once per synth', () => {
  test('its rendered object is read once by its validations and once to be written, however many charts', () => {
    const app = new App({ outdir: tmpDir() });
    const dataPlane = pushDataPlane(app);
    ['a', 'b', 'c', 'd', 'e'].forEach(id => new Chart(app, id));
    const counter = countToJson(dataPlane.apiObject);
    app.synth();
    // Without the memo: 1 (app) + 6 (one re-validation per chart) + 1 (written) = 8.
    expect(counter.calls).toBe(2);
    counter.reset();
    app.synth();
    expect(counter.calls).toBe(2);
  });

  test('an error introduced after an earlier synth of the same app is still caught (the memo lasts one synth)', () => {
    const app = new App({ outdir: tmpDir() });
    const dataPlane = pushDataPlane(app);
    new Chart(app, 'other');
    app.synth();
    dataPlane.apiObject.addJsonPatch(JsonPatch.remove('/spec/registry/imagePushSecrets/0/prefix'));
    const error = firstProblemOf(() => app.synth());
    expect(error.property).toBe('spec.registry.imagePushSecrets[0].prefix');
  });

  test('a second DataPlane added after an earlier synth is checked against the first', () => {
    const app = new App({ outdir: tmpDir() });
    const first = pushDataPlane(app);
    app.synth();
    // The same secret for another prefix: the build controller keys the merged registries by secret name.
    const secret = first.node.scope!.node.findChild('Push') as RegistrySecret;
    pushDataPlane(app, 'second', 'docker.io/other', secret);
    expect(firstProblemOf(() => app.synth()).property).toBe('pushRegistries.imagePushSecrets');
  });
});

describe('RegistrySynth.synth writes the same files as app.synth()', () => {
  test.each(EXAMPLES.map(example => [example.name, example] as const))('example %s', (_name, example) => {
    const { cdk8s, ours } = bothWays(outdir => appsOf(example, outdir));
    expect(cdk8s.size).toBeGreaterThan(0);
    expect(ours).toEqual(cdk8s);
  });

  test.each<Layout>(['chart-per-org', 'one-chart'])('the bench platform at a small size, %s', (layout) => {
    const inventory = buildInventory({ orgs: 4, projects: 2, envs: 3 });
    const { cdk8s, ours } = bothWays(outdir => {
      const app = new App({ outdir });
      buildPlatform(app, inventory, testCertificatePem(), layout);
      return [app];
    });
    expect(cdk8s.size).toBe(layout === 'one-chart' ? 1 : 4);
    expect(ours).toEqual(cdk8s);
  });

  test('one file for the app, and a custom file extension', () => {
    const { cdk8s, ours } = bothWays(outdir => {
      const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_APP, outputFileExtension: '.yml' });
      pushDataPlane(app);
      new kplus.ConfigMap(new Chart(app, 'second'), 'Config', { data: { a: 'b' } });
      return [app];
    });
    expect([...cdk8s.keys()]).toEqual(['app.yml']);
    expect(ours).toEqual(cdk8s);
  });

  test('an app it does not reproduce itself (dependencies between charts, other output types) is left to app.synth()', () => {
    const withDependency = (outdir: string) => {
      const app = new App({ outdir });
      const first = new Chart(app, 'first');
      new ApiObject(first, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' } });
      const second = new Chart(app, 'second');
      new ApiObject(second, 'Other', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' } });
      first.addDependency(second);
      return [app];
    };
    expect(RegistrySynth.writesTheSameFiles(withDependency(tmpDir())[0])).toBe(false);
    const dependent = bothWays(withDependency);
    // Indexed file names, dependency first: what app.synth() writes.
    expect([...dependent.ours.keys()]).toEqual(['0000-second.k8s.yaml', '0001-first.k8s.yaml']);
    expect(dependent.ours).toEqual(dependent.cdk8s);

    const perResource = bothWays(outdir => {
      const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
      pushDataPlane(app);
      return [app];
    });
    expect(perResource.ours.size).toBe(2);
    expect(perResource.ours).toEqual(perResource.cdk8s);

    // A chart class that post-processes its objects in toJson(): app.synth() calls it, so the helper must too.
    class StampedChart extends Chart {
      public toJson(): any[] {
        return super.toJson().map(object => ({ ...object, metadata: { ...object.metadata, annotations: { stamped: 'yes' } } }));
      }
    }
    const stamped = bothWays(outdir => {
      const app = new App({ outdir });
      new ApiObject(new StampedChart(app, 'stamped'), 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' } });
      return [app];
    });
    expect(stamped.ours.get('stamped.k8s.yaml')).toContain('stamped: "yes"');
    expect(stamped.ours).toEqual(stamped.cdk8s);
  });

  test('validates once: the app\'s validations run once, not once per chart', () => {
    const app = new App({ outdir: tmpDir() });
    ['a', 'b', 'c', 'd', 'e'].forEach(id => new Chart(app, id));
    let runs = 0;
    app.node.addValidation({ validate: () => { runs++; return []; } });
    RegistrySynth.synth(app);
    expect(runs).toBe(1);
  });

  const failures: Array<[string, (app: App) => void, RegExp]> = [
    ['a DataPlane whose escape hatch breaks its CRD (its validation reports it)',
      app => pushDataPlane(app).apiObject.addJsonPatch(JsonPatch.remove('/spec/registry/imagePushSecrets/0/prefix')),
      /^Validation failed with the following errors:\n {2}\[plane\/DataPlane\] spec\.registry\.imagePushSecrets\[0\]\.prefix: is required/],
    ['validations that return messages (collected with their paths)',
      app => {
        pushDataPlane(app);
        new Chart(app, 'other').node.addValidation({ validate: () => ['first problem', 'second problem'] });
      },
      /^Validation failed with the following errors:\n {2}\[other\] first problem\n {2}\[other\] second problem$/],
  ];
  test.each(failures)('a failed synth throws what app.synth() throws and writes no file: %s', (_name, build, message) => {
    const failedSynth = (synth: (app: App) => void): { message: string; files: number } => {
      const outdir = path.join(tmpDir(), 'dist');
      const app = new App({ outdir });
      build(app);
      new Chart(app, 'more');
      try {
        synth(app);
      } catch (err) {
        return { message: (err as Error).message, files: filesUnder(outdir).size };
      }
      throw new Error('the synth did not fail');
    };
    const cdk8s = failedSynth(app => app.synth());
    expect(cdk8s.message).toMatch(message);
    expect(failedSynth(app => RegistrySynth.synth(app))).toEqual({ message: cdk8s.message, files: 0 });
  });

  test('an object that fails to render after validation: the same error, the same files, no partial file', () => {
    const run = (synth: (app: App) => void) => {
      const outdir = tmpDir();
      const app = new App({ outdir });
      new ApiObject(new Chart(app, 'first'), 'Good', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'good' } });
      const second = new Chart(app, 'second');
      new ApiObject(second, 'Before', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before' } });
      new ApiObject(second, 'Bad', {
        apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'bad' }, data: Lazy.any({ produce: () => { throw new Error('cannot render'); } }),
      });
      let message = '';
      try {
        synth(app);
      } catch (err) {
        message = (err as Error).message;
      }
      return { message, files: [...filesUnder(outdir).keys()] };
    };
    const cdk8s = run(app => app.synth());
    expect(cdk8s.message).toContain('cannot render');
    expect(run(app => RegistrySynth.synth(app))).toEqual(cdk8s);
  });

  test('anything but an App is refused with a ValidationError naming the property', () => {
    for (const value of [undefined, null, 'dist', new Chart(new App(), 'chart')]) {
      const error = validationErrorOf(() => RegistrySynth.synth(value as any));
      expect(error.property).toBe('app');
      expect(error.message).toContain('is not a cdk8s App');
    }
  });
});
