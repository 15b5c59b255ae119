import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { EXAMPLES } from '../examples';
import { expectValidManifests } from './helpers/manifest-checker';

const GOLDEN_DIR = path.join(__dirname, 'golden');
// Golden files are rewritten only on request, and never in CI: a changed output must be reviewed, not absorbed.
const UPDATE = process.env.UPDATE_GOLDEN === '1' && !process.env.CI;

function synthExample(build: (app: App) => void): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-registries-example-'));
  try {
    const app = new App({ outdir });
    build(app);
    app.synth();
    return new Map(fs.readdirSync(outdir).sort().map(f => [f, fs.readFileSync(path.join(outdir, f), 'utf8')]));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe.each(EXAMPLES)('example $name', ({ build, crdFiles }) => {
  const files = synthExample(build);

  test('synthesizes the golden YAML byte for byte', () => {
    expect(files.size).toBeGreaterThan(0);
    for (const [file, content] of files) {
      const golden = path.join(GOLDEN_DIR, file);
      if (UPDATE) {
        fs.mkdirSync(GOLDEN_DIR, { recursive: true });
        fs.writeFileSync(golden, content);
      }
      if (!fs.existsSync(golden)) {
        throw new Error(`no golden file ${path.relative(process.cwd(), golden)}; review the output and run UPDATE_GOLDEN=1 npx jest test/examples.test.ts`);
      }
      expect(content).toEqual(fs.readFileSync(golden, 'utf8'));
    }
  });

  test('synthesizes the same bytes twice', () => {
    expect(synthExample(build)).toEqual(files);
  });

  test('every object is valid against its real schema', () => {
    const objects = [...files.values()].flatMap(content => YAML.parseAllDocuments(content).map(d => d.toJS()));
    expectValidManifests(objects, { crdFiles });
  });
});

test('every golden file belongs to an example', () => {
  const produced = new Set(EXAMPLES.flatMap(e => [...synthExample(e.build).keys()]));
  const golden = fs.readdirSync(GOLDEN_DIR).filter(f => f.endsWith('.k8s.yaml'));
  expect(golden.filter(f => !produced.has(f))).toEqual([]);
});
