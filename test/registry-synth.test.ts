import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Lazy, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { buildPlatform } from '../bench/platform';
import { buildInventory, Layout, testCertificatePem } from '../bench/spec';
import { appsOf, EXAMPLES } from '../examples';
import {
  DataPlane, DataPlaneApi, RegistryCredentials, RegistryPurpose, RegistrySecret, RegistrySynth, SecretValue,
} from '../src';
import { firstProblemOf, validationErrorOf } from './helpers/errors';
import { tmpDirsRemovedAfterAll } from './helpers/tmp-dirs';

const PEM = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');
const KEY = Buffer.from('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFAKE\n-----END EC PRIVATE KEY-----\n').toString('base64');

const tmpDir = tmpDirsRemovedAfterAll('registry-synth-');

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

/** cdk8s's own `App.synth`, whatever the library's constructs made of this app's `synth()`. */
function cdk8sSynth(app: App): void {
  App.prototype.synth.call(app);
}

/**
 * The files cdk8s's own synth, `app.synth()` (which the library's constructs route through its own writer) and
 * `RegistrySynth.synth` write for three apps built the same way.
 */
function bothWays(build: (outdir: string) => App[]): { cdk8s: Map<string, string>; ours: Map<string, string>; helper: Map<string, string> } {
  const [cdk8sDir, oursDir, helperDir] = [tmpDir(), tmpDir(), tmpDir()];
  build(cdk8sDir).forEach(cdk8sSynth);
  build(oursDir).forEach(app => app.synth());
  build(helperDir).forEach(app => RegistrySynth.synth(app));
  return { cdk8s: filesUnder(cdk8sDir), ours: filesUnder(oursDir), helper: filesUnder(helperDir) };
}

function expectSameFiles(files: ReturnType<typeof bothWays>): void {
  expect(files.ours).toEqual(files.cdk8s);
  expect(files.helper).toEqual(files.cdk8s);
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

/** An app whose `app.synth()` is cdk8s's own (validating once per chart), or the library's (validating once). */
const SYNTH_PATHS: Array<[string, (app: App) => void]> = [
  ['cdk8s\'s own synth (useCdk8sSynth)', app => RegistrySynth.useCdk8sSynth(app, 'the test checks the memo on cdk8s\'s own synth')],
  ['the default app.synth()', () => undefined],
];

describe('DataPlane validations run once per synth', () => {
  test.each(SYNTH_PATHS)('its rendered object is read once by its validations and once to be written, however many charts: %s', (_name, choosePath) => {
    const app = new App({ outdir: tmpDir() });
    choosePath(app);
    const dataPlane = pushDataPlane(app);
    ['a', 'b', 'c', 'd', 'e'].forEach(id => new Chart(app, id));
    const counter = countToJson(dataPlane.apiObject);
    app.synth();
    // Without the memo, cdk8s's own synth reads it 1 (app) + 6 (one re-validation per chart) + 1 (written) = 8 times.
    expect(counter.calls).toBe(2);
    counter.reset();
    app.synth();
    expect(counter.calls).toBe(2);
  });

  test.each(SYNTH_PATHS)('an error introduced after an earlier synth of the same app is still caught (the memo lasts one synth): %s', (_name, choosePath) => {
    const app = new App({ outdir: tmpDir() });
    choosePath(app);
    const dataPlane = pushDataPlane(app);
    new Chart(app, 'other');
    app.synth();
    dataPlane.apiObject.addJsonPatch(JsonPatch.remove('/spec/registry/imagePushSecrets/0/prefix'));
    const error = firstProblemOf(() => app.synth());
    expect(error.property).toBe('spec.registry.imagePushSecrets[0].prefix');
  });

  test.each(SYNTH_PATHS)('a second DataPlane added after an earlier synth is checked against the first: %s', (_name, choosePath) => {
    const app = new App({ outdir: tmpDir() });
    choosePath(app);
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
    const files = bothWays(outdir => appsOf(example, outdir));
    expect(files.cdk8s.size).toBeGreaterThan(0);
    expectSameFiles(files);
  });

  test.each<Layout>(['chart-per-org', 'one-chart'])('the bench platform at a small size, %s', (layout) => {
    const inventory = buildInventory({ orgs: 4, projects: 2, envs: 3 });
    const files = bothWays(outdir => {
      const app = new App({ outdir });
      buildPlatform(app, inventory, testCertificatePem(), layout);
      return [app];
    });
    expect(files.cdk8s.size).toBe(layout === 'one-chart' ? 1 : 4);
    expectSameFiles(files);
  });

  test('one file for the app, and a custom file extension', () => {
    const files = bothWays(outdir => {
      const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_APP, outputFileExtension: '.yml' });
      pushDataPlane(app);
      new kplus.ConfigMap(new Chart(app, 'second'), 'Config', { data: { a: 'b' } });
      return [app];
    });
    expect([...files.cdk8s.keys()]).toEqual(['app.yml']);
    expectSameFiles(files);
  });

  test('charts whose ids are numbers come first, in numeric order, as cdk8s orders them (one file for the app)', () => {
    const files = bothWays(outdir => {
      const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_APP });
      for (const id of ['b', '10', '2', 'a', '02', '4294967295', '0']) {
        const chart = new Chart(app, id);
        new ApiObject(chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${id}` } });
        new ApiObject(new Construct(chart, 'Nested'), 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `nested-${id}` } });
      }
      pushDataPlane(app);
      return [app];
    });
    const names = [...files.cdk8s.get('app.k8s.yaml')!.matchAll(/^ {2}name: (\S+)$/gm)].map(match => match[1]);
    expect(names.slice(0, 6)).toEqual(['config-0', 'nested-0', 'config-2', 'nested-2', 'config-10', 'nested-10']);
    expectSameFiles(files);
  });

  test.each([YamlOutputType.FILE_PER_CHART, YamlOutputType.FILE_PER_APP])(
    'an object added to a later chart while an earlier chart renders is written, as cdk8s writes it (output type %s)', (yamlOutputType) => {
      const files = bothWays(outdir => {
        const app = new App({ outdir, yamlOutputType });
        pushDataPlane(app);
        const earlier = new Chart(app, 'earlier');
        const later = new Chart(app, 'later');
        let added = false;
        new ApiObject(earlier, 'Config', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'earlier' },
          data: Lazy.any({
            produce: () => {
              if (!added) {
                added = true;
                new ApiObject(later, 'Added', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'added-while-rendering' } });
              }
              return { a: 'b' };
            },
          }),
        });
        return [app];
      });
      expect([...files.cdk8s.values()].join('')).toContain('added-while-rendering');
      expectSameFiles(files);
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
    expectSameFiles(dependent);

    const perResource = bothWays(outdir => {
      const app = new App({ outdir, yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
      pushDataPlane(app);
      return [app];
    });
    expect(perResource.ours.size).toBe(2);
    expectSameFiles(perResource);

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
    expectSameFiles(stamped);
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
    const cdk8s = failedSynth(cdk8sSynth);
    expect(cdk8s.message).toMatch(message);
    expect(failedSynth(app => app.synth())).toEqual({ message: cdk8s.message, files: 0 });
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
    const cdk8s = run(cdk8sSynth);
    expect(cdk8s.message).toContain('cannot render');
    expect(run(app => RegistrySynth.synth(app))).toEqual(cdk8s);
  });

  test('anything but an App is refused with a ValidationError naming the property', () => {
    for (const value of [undefined, null, 'dist', new Chart(new App(), 'chart')]) {
      for (const call of [() => RegistrySynth.synth(value as any), () => RegistrySynth.useCdk8sSynth(value as any, 'reason')]) {
        const error = validationErrorOf(call);
        expect(error.property).toBe('app');
        expect(error.message).toContain('is not a cdk8s App');
      }
    }
    for (const reason of [undefined, '', '  ', 42]) {
      expect(validationErrorOf(() => RegistrySynth.useCdk8sSynth(new App(), reason as any)).property).toBe('reason');
    }
  });
});

describe('app.synth() of an app with the library\'s constructs validates once', () => {
  /** An app of six charts, one with a registry secret, and how often a validation of the app ran. */
  function sixCharts(withLibraryConstruct: boolean): { app: App; runs: () => number } {
    const app = new App({ outdir: tmpDir() });
    ['a', 'b', 'c', 'd', 'e'].forEach(id => new ApiObject(new Chart(app, id), 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: id } }));
    if (withLibraryConstruct) {
      new RegistrySecret(new Chart(app, 'secrets'), 'Pull', {
        credentials: [RegistryCredentials.dockerHubToken('acme', SecretValue.unsafePlainText('dckr_pat_FAKE'))],
      });
    }
    let runs = 0;
    app.node.addValidation({ validate: () => { runs++; return []; } });
    return { app, runs: () => runs };
  }

  test('the installed cdk8s is one the writer was verified against (a cdk8s upgrade must be verified again)', () => {
    const { app } = sixCharts(true);
    expect(RegistrySynth.writesTheSameFiles(app)).toBe(true);
  });

  test('once with the library\'s constructs; once per chart plus one when the app opts out, or holds none of them', () => {
    const withLibrary = sixCharts(true);
    withLibrary.app.synth();
    expect(withLibrary.runs()).toBe(1);

    const optedOut = sixCharts(true);
    RegistrySynth.useCdk8sSynth(optedOut.app, 'the test compares with cdk8s');
    optedOut.app.synth();
    expect(optedOut.runs()).toBe(1 + 6);

    const plain = sixCharts(false);
    plain.app.synth();
    expect(plain.runs()).toBe(1 + 5);
  });

  test('an App subclass with its own synth() keeps it', () => {
    let ownSynthRuns = 0;
    class CountingApp extends App {
      public synth(): void {
        ownSynthRuns++;
        super.synth();
      }
    }
    const app = new CountingApp({ outdir: tmpDir() });
    new RegistrySecret(new Chart(app, 'secrets'), 'Pull', {
      credentials: [RegistryCredentials.dockerHubToken('acme', SecretValue.unsafePlainText('dckr_pat_FAKE'))],
    });
    app.synth();
    expect(ownSynthRuns).toBe(1);
    expect(fs.readdirSync(app.outdir)).toEqual(['secrets.k8s.yaml']);
  });
});
