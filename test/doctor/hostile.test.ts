import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { CliIo, main } from '../../src/cli/main';
import { Inventory } from '../../src/doctor/inventory';
import { lintManifests, LintResult } from '../../src/doctor/lint';
import { DEFAULT_LIMITS, loadManifests, LoadOptions, parseManifestText } from '../../src/doctor/manifests';

/** Issue 13 items 7-10: no hostile tree may stop the run, hang, exhaust memory or reach the terminal raw. */

const roots: string[] = [];
afterAll(() => roots.forEach(root => fs.rmSync(root, { recursive: true, force: true })));

function tree(files: { [file: string]: string }): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-hostile-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

function lint(root: string, options: Partial<LoadOptions> = {}): LintResult {
  const set = loadManifests([root], { cwd: root, ...options });
  return lintManifests(set, new Inventory(set.manifests, { defaultNamespace: 'default' }), { ignore: [] });
}

function rules(result: LintResult): string[] {
  return result.findings.map(finding => `${finding.file} ${finding.rule}`).sort();
}

// A plain Secret with a credential: its plaintext-credentials finding proves the rest of the tree was checked.
const PLAIN_SECRET = [
  'apiVersion: v1', 'kind: Secret', 'metadata: {name: regcred, namespace: team-a}', 'type: kubernetes.io/dockerconfigjson',
  'stringData:', '  .dockerconfigjson: \'{"auths":{"ghcr.io":{"auth":"RkFLRS11c2VyOkZBS0UtcGFzcw=="}}}\'',
].join('\n');

const BILLION_LAUGHS = [
  'apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol}', 'data:',
  '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', '  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]', '  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  '  h: [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
].join('\n');

describe('item 7: one bad file or document is a finding, the run goes on', () => {
  test('a billion-laughs document is an input-limit finding; the other documents and files are checked', () => {
    const root = tree({ 'bomb.yaml': `${PLAIN_SECRET}\n---\n${BILLION_LAUGHS}\n`, 'secret.yaml': PLAIN_SECRET });
    const started = performance.now();
    const result = lint(root);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(rules(result)).toEqual(['bomb.yaml input-limit', 'bomb.yaml plaintext-credentials', 'secret.yaml plaintext-credentials']);
    expect(result.findings.find(finding => finding.rule === 'input-limit')).toMatchObject({ line: 7, message: expect.stringContaining('billion laughs') });
  });

  test('a document nested 100,000 levels deep is a finding, not a stack overflow', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const root = tree({ 'deep.yaml': `${PLAIN_SECRET}\n---\n${deep}\n`, 'deep-map.yaml': `${'{a: '.repeat(300)}1${'}'.repeat(300)}\n`, 'secret.yaml': PLAIN_SECRET });
    const result = lint(root);
    // The YAML parser itself refuses the deep flow sequence (yaml-invalid); the deep block of maps hits the depth limit.
    expect(rules(result)).toEqual(['deep-map.yaml input-limit', 'deep.yaml plaintext-credentials', 'deep.yaml yaml-invalid', 'secret.yaml plaintext-credentials']);
  });

  test('a YAML syntax error still is a yaml-invalid finding for its document only', () => {
    const parsed = parseManifestText(`${PLAIN_SECRET}\n---\nkey: [unclosed\n`, 'x.yaml', true);
    expect(parsed.manifests).toHaveLength(1);
    expect(parsed.problems.map(problem => problem.rule)).toEqual(['yaml-invalid']);
  });
});

describe('item 9: file-size and document-count limits', () => {
  test('a file over the size limit is not read: a finding, in bounded time and memory', () => {
    const big = `${PLAIN_SECRET}\n---\n${'# padding\n'.repeat(Math.ceil((DEFAULT_LIMITS.maxFileBytes + 1) / 10))}`;
    const root = tree({ 'big.yaml': big, 'secret.yaml': PLAIN_SECRET });
    const result = lint(root);
    expect(rules(result)).toEqual(['big.yaml input-limit', 'secret.yaml plaintext-credentials']);
    expect(result.findings[0].message).toContain('over the limit of 16.0 MiB');
  });

  test('the limit can be raised', () => {
    const root = tree({ 'secret.yaml': PLAIN_SECRET });
    expect(rules(lint(root, { limits: { ...DEFAULT_LIMITS, maxFileBytes: 100 } }))).toEqual(['secret.yaml input-limit']);
  });

  test('documents after the limit are not read, and 130,000 documents do not overflow a spread', () => {
    const count = 130_000;
    const configMaps = Array.from({ length: count }, (_, index) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c${index}}`).join('\n---\n');
    const limits = { ...DEFAULT_LIMITS, maxDocuments: 200_000 };
    const started = performance.now();
    const all = parseManifestText(configMaps, 'many.yaml', true, limits);
    expect(all.manifests).toHaveLength(count);
    const capped = parseManifestText(configMaps, 'many.yaml', true);
    expect(capped.manifests).toHaveLength(DEFAULT_LIMITS.maxDocuments);
    expect(capped.problems).toMatchObject([{ rule: 'input-limit', line: 4 * DEFAULT_LIMITS.maxDocuments }]);
    // Generous: reading is linear in the documents (about 2 s here on a shared machine).
    expect(performance.now() - started).toBeLessThan(60_000);
  }, 120_000);
});

describe('item 10: deep JSON, wrapped .dockercfg, symlinks, escape sequences', () => {
  test('a .dockerconfigjson nested 100,000 levels deep is dockerconfigjson-invalid, not a stack overflow', () => {
    const deep = `{"auths":{"ghcr.io":{"auth":"RkFLRS11c2VyOkZBS0UtcGFzcw==","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}}`;
    const secret = ['apiVersion: v1', 'kind: Secret', 'metadata: {name: deep, namespace: a}', 'type: kubernetes.io/dockerconfigjson',
      'data:', `  .dockerconfigjson: ${Buffer.from(deep).toString('base64')}`].join('\n');
    const root = tree({ 'deep.yaml': secret });
    const result = lint(root);
    expect(rules(result)).toEqual(['deep.yaml dockerconfigjson-invalid', 'deep.yaml plaintext-credentials']);
    expect(result.findings[0].message).toContain('nests more than 64 levels');
  });

  test('a .dockercfg that parses only once wrapped in {"auths": …} is invalid', () => {
    const smuggled = '{"a.example":{"auth":"RkFLRS11c2VyOkZBS0UtcGFzcw=="}}, "ghcr.io": {"auth":"RkFLRS11c2VyOkZBS0UtcGFzcw=="}';
    const secret = ['apiVersion: v1', 'kind: Secret', 'metadata: {name: cfg, namespace: a}', 'type: kubernetes.io/dockercfg',
      'stringData:', `  .dockercfg: '${smuggled}'`].join('\n');
    const result = lint(tree({ 'cfg.yaml': secret }));
    expect(result.findings.find(finding => finding.rule === 'dockerconfigjson-invalid')?.message).toContain('not one JSON object');
  });

  test('symbolic links out of the tree are not followed unless asked; links inside are', () => {
    const outside = tree({ 'secret.yaml': PLAIN_SECRET });
    const root = tree({ 'inside/secret.yaml': PLAIN_SECRET });
    fs.symlinkSync(outside, path.join(root, 'escape'));
    fs.symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'escape.yaml'));
    fs.symlinkSync('/', path.join(root, 'root'));
    fs.symlinkSync(path.join(root, 'inside'), path.join(root, 'alias'));
    const result = lint(root);
    // "alias" leads to "inside", which is in the tree: read once, under the first name in sorted order.
    expect(result.findings.map(finding => `${finding.file} ${finding.rule} ${finding.severity}`)).toEqual([
      'alias/secret.yaml plaintext-credentials error',
      'escape input-skipped warning',
      'escape.yaml input-skipped warning',
      'root input-skipped warning',
    ]);
    const followed = lint(path.join(root, 'inside'));
    expect(followed.findings).toHaveLength(1);
    fs.unlinkSync(path.join(root, 'root'));
    const asked = loadManifests([root], { cwd: root, followSymlinks: true, limits: { ...DEFAULT_LIMITS, maxFileBytes: 1024 * 1024 } });
    expect(asked.manifests.some(manifest => manifest.file === 'escape/secret.yaml')).toBe(true);
  }, 120_000);

  test('escape sequences and bidi overrides in manifest values never reach the terminal raw', () => {
    const image = 'ghcr.io/acme/app\u001b]0;owned\u0007\u001b[2J\u202e\u009b31m:1';
    const deployment = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: "web\\e[31m", namespace: a}', 'spec:', '  template:', '    spec:',
      '      containers:', '        - name: app', `          image: ${JSON.stringify(image)}`].join('\n');
    const root = tree({ 'evil\u001b[1m.yaml': deployment });
    for (const format of ['text', 'json']) {
      let stdout = '';
      let stderr = '';
      const io: CliIo = {
        stdout: { write: text => (stdout += text) }, stderr: { write: text => (stderr += text) }, env: {}, cwd: root, now: () => 0,
      };
      expect(main(['doctor', 'lint', '--format', format, '.'], io)).toBe(1);
      expect(stdout).toContain('image-invalid-reference');
      expect(`${stdout}${stderr}`).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      if (format === 'json') {
        expect(JSON.parse(stdout).findings[0].message).toContain(image.slice(0, 20));
      } else {
        expect(stdout).toContain('\\u{1b}]0;owned\\u{7}');
      }
    }
    let stderr = '';
    const io: CliIo = { stdout: { write: () => true }, stderr: { write: text => (stderr += text) }, env: {}, cwd: root, now: () => 0 };
    main(['doctor', 'explain', '--image', image, '--namespace', 'a', '.'], io);
    expect(stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });
});
