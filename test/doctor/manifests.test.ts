import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findManifestFiles, loadManifests, parseManifestText } from '../../src/doctor/manifests';
import { ValidationError } from '../../src/errors';

function tempTree(files: { [file: string]: string }): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'doctor-manifests-'));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
  return root;
}

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';

describe('parseManifestText', () => {
  test('multi-document files: every object, with the line where it starts; empty and non-object documents skipped', () => {
    const text = `# Source: chart/templates/a.yaml\n---\n${CONFIG_MAP}---\n---\njust a string\n---\nname: values\n---\n\n${CONFIG_MAP.replace('name: a', 'name: b')}`;
    const parsed = parseManifestText(text, 'x.yaml', true);
    expect(parsed.manifests.map(manifest => [manifest.object.metadata, manifest.line])).toEqual([[{ name: 'a' }, 3], [{ name: 'b' }, 13]]);
    expect(parsed.problems).toEqual([]);
  });

  test('List kinds are expanded, nested Lists too, each item at its own line', () => {
    const text = [
      'apiVersion: v1', 'kind: List', 'items:',
      '  - apiVersion: v1', '    kind: Secret', '    metadata: {name: s}',
      '  - apiVersion: v1', '    kind: SecretList', '    items:',
      '      - apiVersion: v1', '        kind: Secret', '        metadata: {name: t}',
      '  - not-an-object',
    ].join('\n');
    const parsed = parseManifestText(text, 'list.yaml', true);
    expect(parsed.manifests.map(manifest => [manifest.object.kind, manifest.line])).toEqual([['Secret', 4], ['Secret', 10]]);
  });

  test('JSON documents are read too', () => {
    expect(parseManifestText('{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}}', 'n.json', false).manifests[0])
      .toMatchObject({ file: 'n.json', line: 1, forGit: false, object: { kind: 'Namespace' } });
  });

  test('a broken document is a yaml-invalid finding with its position, never the offending text; the others are kept', () => {
    const text = `${CONFIG_MAP}---\nkind: Secret\nstringData:\n  password: "s3cr3t-value\n  more: [x\n`;
    const parsed = parseManifestText(text, 'broken.yaml', true);
    expect(parsed.manifests).toHaveLength(1);
    expect(parsed.problems).toEqual([{
      rule: 'yaml-invalid',
      severity: 'error',
      file: 'broken.yaml',
      line: 9,
      message: 'the YAML does not parse (missing char at line 9, column 1); kubectl and Argo CD reject the file, and the doctor skipped this document',
      fix: 'fix the YAML syntax (indentation, quoting, unique keys), e.g. check it with "kubectl apply --dry-run=client -f <file>"',
    }]);
    expect(JSON.stringify(parsed.problems)).not.toContain('s3cr3t');
  });

  test('duplicate keys are a YAML error, as in kubectl', () => {
    expect(parseManifestText(`${CONFIG_MAP}kind: Secret\n`, 'dup.yaml', true).problems[0].message).toContain('duplicate key');
  });

  test('a file that does not parse and holds {{ }} is an unrendered template: skipped, not reported', () => {
    const parsed = parseManifestText('metadata:\n  labels:\n    {{- include "x" . | nindent 4 }}\n', 't.yaml', true);
    expect(parsed).toEqual({ manifests: [], problems: [], template: true });
  });
});

describe('findManifestFiles and loadManifests', () => {
  const root = tempTree({
    'a.yaml': CONFIG_MAP,
    'b.YML': CONFIG_MAP,
    'c.json': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"}}',
    'notes.md': '# not yaml',
    'script.sh': 'echo hi',
    'sub/d.yaml': CONFIG_MAP,
    '.github/workflows/ci.yaml': 'on: push\n',
    '.hidden.yaml': CONFIG_MAP,
    'node_modules/pkg/x.yaml': CONFIG_MAP,
  });
  fs.symlinkSync(root, path.join(root, 'sub', 'loop'));
  fs.symlinkSync(path.join(root, 'missing.yaml'), path.join(root, 'dangling.yaml'));

  test('walks directories for .yaml, .yml and .json, skipping hidden entries, node_modules, symlink loops and dangling links', () => {
    expect(findManifestFiles([root], '/').map(file => path.relative(root, file))).toEqual(['a.yaml', 'b.YML', 'c.json', 'sub/d.yaml']);
  });

  test('a file given explicitly is read whatever its name; each file once', () => {
    const files = findManifestFiles([path.join(root, 'notes.md'), root, path.join(root, 'a.yaml')], '/');
    expect(files.map(file => path.relative(root, file))).toEqual(['a.yaml', 'b.YML', 'c.json', 'notes.md', 'sub/d.yaml']);
  });

  test('a missing path is a ValidationError naming PATH', () => {
    expect(() => findManifestFiles(['nope'], root)).toThrow(ValidationError);
    expect(() => findManifestFiles(['nope'], root)).toThrow('PATH: does not exist (got "nope"). Fix: give files or directories of Kubernetes manifests, e.g. "dist/"');
  });

  test('file names are relative to the working directory, with /; progress is reported per file', () => {
    const progress: Array<[number, number]> = [];
    const set = loadManifests(['.'], { cwd: root, onProgress: (done, total) => progress.push([done, total]) });
    expect(set.manifests.map(manifest => manifest.file)).toEqual(['a.yaml', 'b.YML', 'c.json', 'sub/d.yaml']);
    expect(set.fileCount).toBe(4);
    expect(progress).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]]);
  });

  test('files outside a git work tree count as meant for Git', () => {
    expect(loadManifests([root], { cwd: root }).manifests.every(manifest => manifest.forGit)).toBe(true);
  });
});
