import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { appsOf, Example, EXAMPLES } from '../examples';
import { expectValidManifests } from './helpers/manifest-checker';

const GOLDEN_DIR = path.join(__dirname, 'golden');
// Golden files are rewritten only on request, and never in CI: a changed output must be reviewed, not absorbed.
const UPDATE = process.env.UPDATE_GOLDEN === '1' && !process.env.CI;

/** Every file an example writes, by its path under the output folder (`<cluster>/<chart>.k8s.yaml` for clusters). */
function synthExample(example: Example): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-registries-example-'));
  try {
    appsOf(example, outdir).forEach(app => app.synth());
    return new Map(filesUnder(outdir).map(f => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter(f => fs.statSync(path.join(dir, f)).isFile())
    .map(f => f.split(path.sep).join('/'))
    .sort();
}

describe.each(EXAMPLES)('example $name', (example) => {
  const { crdFiles } = example;
  const files = synthExample(example);

  test('synthesizes the golden YAML byte for byte', () => {
    expect(files.size).toBeGreaterThan(0);
    for (const [file, content] of files) {
      const golden = path.join(GOLDEN_DIR, file);
      if (UPDATE) {
        fs.mkdirSync(path.dirname(golden), { recursive: true });
        fs.writeFileSync(golden, content);
      }
      if (!fs.existsSync(golden)) {
        throw new Error(`no golden file ${path.relative(process.cwd(), golden)}; review the output and run UPDATE_GOLDEN=1 npx jest test/examples.test.ts`);
      }
      expect(content).toEqual(fs.readFileSync(golden, 'utf8'));
    }
  });

  test('synthesizes the same bytes twice', () => {
    expect(synthExample(example)).toEqual(files);
  });

  test('every object is valid against its real schema, cluster by cluster', () => {
    // One App is one cluster: objects of different clusters may share a name (the uniqueness check is per cluster).
    const clusters = new Map<string, any[]>();
    for (const [file, content] of files) {
      const cluster = file.includes('/') ? file.slice(0, file.indexOf('/')) : '';
      clusters.set(cluster, [...clusters.get(cluster) ?? [], ...YAML.parseAllDocuments(content).map(d => d.toJS())]);
    }
    for (const objects of clusters.values()) {
      expectValidManifests(objects, { crdFiles });
    }
  });
});

test('every golden file belongs to an example', () => {
  const produced = new Set(EXAMPLES.flatMap(e => [...synthExample(e).keys()]));
  const golden = filesUnder(GOLDEN_DIR).filter(f => f.endsWith('.k8s.yaml'));
  expect(golden.filter(f => !produced.has(f))).toEqual([]);
});
