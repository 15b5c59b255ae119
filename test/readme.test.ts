import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import * as YAML from 'yaml';
import { EXAMPLES } from '../examples';
import { COOKBOOK, MAX_YAML_LINES, renderCookbook, trimYaml } from '../scripts/cookbook';

const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const REGENERATE = 'npx ts-node -P test/tsconfig.json scripts/cookbook.ts';
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

/** The fenced code blocks of a Markdown text, with their language. */
function codeBlocks(markdown: string): Array<{ lang: string; code: string }> {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map(m => ({ lang: m[1], code: m[2] }));
}

function headings(markdown: string): string[] {
  return markdown.split('\n').filter(line => /^#{1,2} /.test(line));
}

describe('README.md opens as a user guide', () => {
  test('in order: what it is, install, quick start, which construct for which job, the two commands, links', () => {
    expect(headings(README).slice(0, 7)).toEqual([
      '# cdk8s-registries',
      '## Install',
      '## Quick start',
      '## Which construct for which job',
      '## The examples and the tests',
      '## Documentation',
      '## Which delivery for which situation',
    ]);
    const intro = README.slice(README.indexOf('\n') + 1, README.indexOf('## Install')).trim();
    expect(intro.split('\n').length).toBeLessThanOrEqual(3);
  });

  test('the install line names the package and every peer dependency', () => {
    const install = codeBlocks(README)[0];
    expect(install.lang).toBe('sh');
    const packages = install.code.trim().replace(/^npm install /, '').split(/\s+/);
    expect(packages[0]).toBe(PACKAGE.name);
    expect(packages.slice(1).sort()).toEqual(Object.keys(PACKAGE.peerDependencies).sort());
  });

  test('the first TypeScript block is a complete program: new App() ... app.synth(), at most 20 lines', () => {
    const quickStart = codeBlocks(README).find(block => block.lang === 'ts')!;
    expect(quickStart.code).toMatch(/const app = new App\(\);/);
    expect(quickStart.code.trimEnd()).toMatch(/app\.synth\(\);$/);
    expect(quickStart.code).toContain(`from '${PACKAGE.name}'`);
    expect(quickStart.code.trimEnd().split('\n').length).toBeLessThanOrEqual(20);
  });

  test('the two commands of the examples and the tests are there verbatim (CI runs the second)', () => {
    const section = README.slice(README.indexOf('## The examples and the tests'), README.indexOf('## Documentation'));
    expect(section).toMatch(/```sh\nnpm ci && npx cdk8s synth --no-check-upgrade [^\n]*\nnpm ci && npx projen build [^\n]*\n```/);
    expect(fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8')).toContain('npx projen build');
  });

  test('every local link points at a file that exists', () => {
    const links = [...README.matchAll(/\]\(([^)#]+)(?:#[^)]*)?\)/g)].map(m => m[1]).filter(link => !/^https?:/.test(link));
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter(link => !fs.existsSync(path.join(ROOT, link)))).toEqual([]);
  });

  test('the API.md anchors of the construct table exist', () => {
    const api = fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8');
    const anchors = [...README.matchAll(/\]\(API\.md#([a-z]+)-\)/g)].map(m => m[1]);
    expect(anchors.length).toBeGreaterThan(10);
    const missing = anchors.filter(anchor => !new RegExp(`^### ${anchor} <a name=`, 'im').test(api));
    expect(missing).toEqual([]);
  });
});

describe('the quick start, pasted into a fresh cdk8s app', () => {
  const lib = path.join(ROOT, 'lib', 'index.js');

  test('synthesizes: an ExternalSecret and a Deployment that pulls with it', () => {
    if (!fs.existsSync(lib)) {
      throw new Error('lib/ is missing: run `npx projen compile` first (the build does)');
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-quick-start-'));
    try {
      // What `npm install cdk8s-registries cdk8s cdk8s-plus-28 constructs` leaves in node_modules: this package
      // (as built) and its peers.
      const modules = path.join(dir, 'node_modules');
      fs.mkdirSync(modules);
      fs.symlinkSync(ROOT, path.join(modules, PACKAGE.name), 'dir');
      for (const peer of Object.keys(PACKAGE.peerDependencies)) {
        fs.symlinkSync(path.join(ROOT, 'node_modules', peer), path.join(modules, peer), 'dir');
      }
      const source = codeBlocks(README).find(block => block.lang === 'ts')!.code;
      const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
      fs.writeFileSync(path.join(dir, 'main.js'), js);
      execFileSync(process.execPath, ['--preserve-symlinks', 'main.js'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      const objects = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, 'dist', 'team-a.k8s.yaml'), 'utf8')).map(d => d.toJS());
      expect(objects.map(o => o.kind)).toEqual(['ExternalSecret', 'Deployment']);
      expect(objects[1].spec.template.spec.imagePullSecrets).toEqual([{ name: 'ghcr-pull' }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('docs/cookbook.md', () => {
  const cookbook = fs.readFileSync(COOKBOOK, 'utf8');

  test(`is what scripts/cookbook.ts renders (if not, run: ${REGENERATE})`, () => {
    expect(cookbook).toEqual(renderCookbook());
  });

  test('every example has its section, its source with package imports, and its golden YAML', () => {
    for (const example of EXAMPLES) {
      expect(cookbook).toContain(`\`examples/${example.name}.ts\`:`);
    }
    expect(cookbook).not.toMatch(/from '\.\.\/src/);
    expect(cookbook).toContain('`test/golden/choreo-byoi-registries.k8s.yaml`:');
    expect(cookbook).toContain('`test/golden/data-plane-eu/platform-eu.k8s.yaml`:');
    expect(cookbook).toContain('## Which delivery for which situation');
    expect(cookbook).toContain('## Migrating from `kubectl create secret docker-registry`');
  });

  test('the examples load nothing from the repository\'s tests or fixtures, so their code runs in a user\'s app', () => {
    const sources = fs.readdirSync(path.join(ROOT, 'examples')).filter(f => f.endsWith('.ts'))
      // Comments may show how a real app reads its files (`kubeseal --fetch-cert > cert.pem`); code may not.
      .map(f => [f, fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '')] as const);
    const offenders = sources.filter(([, source]) => /readFileSync|from '\.\.\/test|require\(/.test(source)).map(([file]) => file);
    expect(offenders).toEqual([]);
  });
});

describe('cookbook rendering', () => {
  const objects = (count: number, linesEach: number) => Array.from({ length: count }, (_, i) =>
    ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: c${i}`, ...Array.from({ length: linesEach - 4 }, (_x, j) => `# line ${j}`)].join('\n'));

  test('a golden file that fits is shown whole', () => {
    const yaml = `${objects(2, 30).join('\n---\n')}\n`;
    expect(trimYaml(yaml, 'test/golden/x.k8s.yaml')).toBe(yaml.trimEnd());
  });

  test('a long golden file shows the objects that fit and names the rest and where it is', () => {
    const yaml = `${objects(4, 30).join('\n---\n')}\n`;
    const trimmed = trimYaml(yaml, 'test/golden/x.k8s.yaml').split('\n');
    expect(trimmed.slice(0, 61)).toEqual(yaml.split('\n').slice(0, 61));
    expect(trimmed.slice(61)).toEqual([
      '# … 2 more objects in test/golden/x.k8s.yaml:',
      '#   ConfigMap c2',
      '#   ConfigMap c3',
    ]);
  });

  test('a first object longer than the limit is cut', () => {
    const yaml = `${objects(1, MAX_YAML_LINES + 10)[0]}\n`;
    const trimmed = trimYaml(yaml, 'test/golden/x.k8s.yaml').split('\n');
    expect(trimmed).toHaveLength(MAX_YAML_LINES + 1);
    expect(trimmed[MAX_YAML_LINES]).toBe('# … 10 more lines of this object, and the rest, in test/golden/x.k8s.yaml');
  });
});
