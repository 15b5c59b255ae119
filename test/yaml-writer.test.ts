// The YAML printer must write exactly what cdk8s's `Yaml.stringify` (the bundled `yaml` package) writes: checked, for
// each `yaml` release it is used with, on every object of every example and of the benchmark platform, on each rule
// it relies on, and on random documents.
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import * as YAML from 'yaml';
import { buildPlatform } from '../bench/platform';
import { buildInventory, testCertificatePem } from '../bench/spec';
import { appsOf, EXAMPLES } from '../examples';
import { CDK8S_YAML_OPTIONS, cdk8sYamlWriter, stringifyLikeCdk8s, YamlWriter } from '../src/yaml-writer';
import { tmpDirsRemovedAfterAll } from './helpers/tmp-dirs';

const tmpDir = tmpDirsRemovedAfterAll('yaml-writer-');

function objectsOf(apps: App[]): Array<Record<string, any>> {
  return apps.flatMap(app => app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map(o => o.toJson()));
}

/** The `yaml` copy cdk8s bundles (2.8.0 in cdk8s 2.70.0), which `Yaml.stringify` calls. */
function cdk8sBundledYaml(): typeof YAML {
  const cdk8sLib = path.join(path.dirname(require.resolve('cdk8s/package.json')), 'lib');
  const yamlPackage = require.resolve('yaml/package.json', { paths: [cdk8sLib] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.dirname(yamlPackage));
}

// cdk8s 2.70.106 bundles yaml 2.9.1 and calls it with the same options (the synth fingerprint, which holds
// `Yaml.stringify`'s source, is the same from 2.70.0 to 2.70.106). This library's own `yaml` is that release, so the
// printer is compared with it too, called as cdk8s calls it.
const stringifyAsCdk8s2_70_106 = (json: unknown) => YAML.stringify(json, CDK8S_YAML_OPTIONS);

interface Reference {
  readonly writer: YamlWriter;
  /** What the writer must print: `yaml`'s stringify as cdk8s calls it. */
  readonly expected: (json: unknown) => string;
}

const REFERENCES: Array<[string, Reference]> = [
  ['cdk8s 2.70.0 (its bundled yaml 2.8.0, through Yaml.stringify)', { writer: cdk8sYamlWriter()!, expected: json => Yaml.stringify(json) }],
  ['cdk8s 2.70.106 (yaml 2.9.1, called as its Yaml.stringify calls it)', {
    writer: YamlWriter.forRelease(YAML, '2.9.1', stringifyAsCdk8s2_70_106)!,
    expected: stringifyAsCdk8s2_70_106,
  }],
];

/** Asserts the printer's document is `yaml`'s, and that the printer printed it (not `yaml`). */
function expectPrintedLike(reference: Reference, json: unknown): void {
  const printed = reference.writer.printDirectly(json);
  expect(printed).toBeDefined();
  expect(printed).toBe(reference.expected(json));
}

/** Asserts the document is left to `yaml`, and that what comes out is still `yaml`'s. */
function expectLeftToYaml(reference: Reference, json: unknown): void {
  expect(reference.writer.printDirectly(json)).toBeUndefined();
  expect(reference.writer.print(json)).toBe(reference.expected(json));
}

describe('the releases compared', () => {
  test('the yaml release cdk8s bundles is one the printer was compared with (else every document goes to Yaml.stringify)', () => {
    // Fails when a cdk8s upgrade bundles another `yaml`: run this file against it, then add its version.
    expect(cdk8sYamlWriter()).toBeDefined();
    expect(stringifyLikeCdk8s({ a: 'b' })).toBe('a: b\n');
  });

  test('this library\'s own yaml is 2.9.1, the release cdk8s 2.70.106 bundles', () => {
    expect(JSON.parse(fs.readFileSync(require.resolve('yaml/package.json'), 'utf8')).version).toBe('2.9.1');
  });

  test('a release not compared gets no writer', () => {
    expect(YamlWriter.forRelease(YAML, '2.99.0', stringifyAsCdk8s2_70_106)).toBeUndefined();
  });

  test('Yaml.stringify is the bundled yaml called with CDK8S_YAML_OPTIONS (what the 2.9.1 comparison assumes)', () => {
    const bundled = cdk8sBundledYaml();
    for (const json of [{ a: 'b', c: [1, { d: null }], e: 'x\ny', f: 1.5, g: undefined, h: 'k'.repeat(200) }, ['a'], {}]) {
      expect(Yaml.stringify(json)).toBe(bundled.stringify(json, CDK8S_YAML_OPTIONS));
    }
  });
});

describe.each(REFERENCES)('%s', (_name, reference) => {
  describe('every object the library writes is printed by the printer, byte for byte as cdk8s prints it', () => {
    test.each(EXAMPLES.map(example => [example.name, example] as const))('example %s', (_example, example) => {
      const objects = objectsOf(appsOf(example, tmpDir()));
      expect(objects.length).toBeGreaterThan(0);
      objects.forEach(json => expectPrintedLike(reference, json));
    });

    test('the benchmark platform (plain, sealed and external secrets, ESO replication, DataPlanes)', () => {
      const app = new App({ outdir: tmpDir() });
      buildPlatform(app, buildInventory({ orgs: 3, projects: 2, envs: 3 }), testCertificatePem(), 'chart-per-org');
      const objects = objectsOf([app]);
      expect(new Set(objects.map(o => o.kind))).toEqual(new Set(
        ['Secret', 'SealedSecret', 'ExternalSecret', 'ClusterExternalSecret', 'ServiceAccount', 'DataPlane']));
      objects.forEach(json => expectPrintedLike(reference, json));
    });
  });

  describe('strings: plain when YAML 1.1 reads them back as the same string, otherwise quoted as `yaml` quotes them', () => {
    const strings = [
      // plain
      'registry-pull', '.dockerconfigjson', 'kubernetes.io/dockerconfigjson', 'ghcr.io/acme/app:1.2.3', 'a:b', 'a#b',
      'eyJhdXRocyI6e30=', 'ServerSideApply=true,Prune=false', 'x y z', '(paren)', ':a', '?a',
      '-a', 'a[0]', 'a{b}', 'yess', 'Nope', 'truely', '1.2.3', '0x1G', '1:60', '2024-1-1x', '12e', '<', '<<<',
      // quoted: indicators, comments, trailing colon or space, YAML 1.1 booleans, null, numbers, dates; and the merge
      // key `<<`, which its tag claims and prints plain
      '-1', '0', '"quoted"', '\'single\'', 'it\'s', 'both "and" \'', '{"auths":{}}', '[a]', '&anchor', '*alias', '!tag',
      '|', '>', '%', '@', '`', '#', 'a #b', 'a: b', 'a:', 'a ', ' a', '-', '?', '- a', '? a', ': a', ':',
      'y', 'Y', 'n', 'yes', 'No', 'ON', 'off', 'true', 'False', '~', 'null', 'Null', 'NULL', '017', '0o17', '0b101',
      '0x1F', '1_000', '+1', '1e3', '1.5', '.5', '.inf', '-.Inf', '.nan', '1:20', '1:20.5', '2001-12-14',
      '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '<<',
    ];
    test.each(strings.map(value => [value] as const))('%j', value => {
      expectPrintedLike(reference, { metadata: { annotations: { [value]: value } }, items: [value] });
    });
  });

  describe('structure: the layout `yaml` gives block maps and lists', () => {
    test.each([
      ['nested maps', { a: { b: { c: 'd' } }, e: 'f' }],
      ['lists of scalars and maps', { a: ['x', 1, true], b: [{ c: 'd', e: { f: 'g' } }, { h: ['i'] }] }],
      ['empty map and list as values and items', { a: {}, b: [], c: [{}, [], 'x'] }],
      ['integers', { a: 0, c: -42, d: Number.MAX_SAFE_INTEGER, e: Number.MIN_SAFE_INTEGER }],
      ['booleans', { a: true, b: false }],
      ['array-index keys first, as JavaScript orders them', { b: 1, 10: 'x', 2: 'y', a: 2 }],
      ['a key of 1024 characters', { ['k'.repeat(1024)]: 'v' }],
    ] as const)('%s', (_case, json) => {
      expectPrintedLike(reference, json);
    });
  });

  describe('anything else is left to yaml whole, and the bytes are still yaml\'s', () => {
    const shared = { a: 'b' };
    test.each([
      ['a multi-line string (block scalar)', { data: { script: 'line 1\nline 2\n' } }],
      ['a control character', { a: 'tab\there' }],
      ['a non-ASCII string', { a: 'grüße' }],
      ['an emoji key', { '🔑': 'v' }],
      ['an empty string', { a: '' }],
      ['a document marker', { '---a': 'b' }],
      ['null (a map of nulls is a YAML set)', { a: null, b: null }],
      ['a float', { a: 1.5 }],
      ['minus zero (2.8.0 prints `0`, 2.9.1 `-0`)', { a: -0 }],
      ['a huge number', { a: 1e21 }],
      ['undefined', { a: undefined }],
      ['a list in a list', { a: [['x', 'y']] }],
      ['one object twice (an alias)', { a: shared, b: shared }],
      ['a key over 1024 characters (explicit `? key`)', { ['k'.repeat(1025)]: 'v' }],
      ['a class instance', { a: new Date(0) }],
      ['an empty document', {}],
      ['a list as the document', ['a']],
    ] as const)('%s', (_case, json) => {
      expectLeftToYaml(reference, json);
    });
  });

  describe('random documents', () => {
    // Strings built from the characters and words that decide plain versus quoted, so that collisions with YAML 1.1
    // tags, indicators and comments are frequent.
    const printablePieces = [
      'a', 'Z', '0', '1', '7', '9', '_', '-', '+', '.', ':', ' ', '#', '"', '\'', '{', '}', '[', ']', ',', '&', '*',
      '!', '|', '>', '%', '@', '`', '?', '~', '<', '=', '/', '\\', 'e', 'E', 'x', 'b', 'o', 'T', 'yes', 'no', 'on',
      'Off', 'true', 'null', 'NULL', '.inf', '.nan', '0x', '0b', '---', '...', '<<', '2001-12-14',
    ];
    const printable = fc.array(fc.constantFrom(...printablePieces), { minLength: 1, maxLength: 6 }).map(parts => parts.join(''));
    const anyText = fc.oneof(
      fc.array(fc.constantFrom(...printablePieces, '\t', '\n', 'é', ''), { maxLength: 6 }).map(parts => parts.join('')),
      fc.string(), fc.string({ unit: 'binary' }));

    function documents(text: fc.Arbitrary<string>, scalar: fc.Arbitrary<unknown>) {
      return fc.letrec(tie => ({
        value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
        list: fc.array(tie('value'), { maxLength: 4 }),
        map: fc.dictionary(text, tie('value'), { maxKeys: 5 }),
        document: fc.dictionary(text, tie('value'), { minKeys: 1, maxKeys: 6 }),
      })).document;
    }

    test('of what Kubernetes objects hold (maps, lists, one-line strings, integers, booleans): printed as yaml prints them', () => {
      let printed = 0;
      let runs = 0;
      fc.assert(fc.property(documents(printable, fc.oneof(printable, fc.integer(), fc.boolean())), json => {
        runs++;
        const direct = reference.writer.printDirectly(json);
        if (direct !== undefined) {
          printed++;
          expect(direct).toBe(reference.expected(json));
        }
      }), { numRuns: 10000 });
      // Only lists in lists and strings starting with a document marker are left to `yaml` here (about two documents in
      // three, as the generator makes both often): the printer must be what this property exercises.
      expect(printed / runs).toBeGreaterThan(0.25);
    });

    test('of anything JSON and more (null, floats, any Unicode): the bytes are yaml\'s either way', () => {
      const scalar = fc.oneof(
        anyText, printable, fc.integer(), fc.constant(-0), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
      fc.assert(fc.property(documents(fc.oneof(anyText, printable), scalar), json => {
        expect(reference.writer.print(json)).toBe(reference.expected(json));
      }), { numRuns: 5000 });
    });
  });
});
