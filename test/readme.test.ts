import * as fs from 'fs';
import * as path from 'path';
import { EXAMPLES } from '../examples';
import {
  cookbookRegion, END_MARKER, MAX_YAML_LINES, renderCookbook, replaceCookbook, START_MARKER, trimYaml,
} from '../scripts/cookbook';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
const REGENERATE = 'npx ts-node -P test/tsconfig.json scripts/cookbook.ts';

describe('README.md', () => {
  test(`the cookbook region is what scripts/cookbook.ts renders (if not, run: ${REGENERATE})`, () => {
    const region = cookbookRegion(README);
    expect(region).toBeDefined();
    expect(region).toEqual(renderCookbook());
  });

  test('the two quick-start commands stay at the top, before the cookbook', () => {
    const top = README.slice(0, README.indexOf(START_MARKER));
    expect(top).toMatch(/^# cdk8s-registries\n\n```sh\nnpm ci && npx cdk8s synth[^\n]*\nnpm ci && npx projen build[^\n]*\n```\n/);
  });

  test('every example has its section, its source with package imports, and its golden YAML', () => {
    const region = cookbookRegion(README)!;
    for (const example of EXAMPLES) {
      expect(region).toContain(`\`examples/${example.name}.ts\`:`);
    }
    expect(region).not.toMatch(/from '\.\.\/src/);
    expect(region).toContain('`test/golden/choreo-byoi-registries.k8s.yaml`:');
    expect(region).toContain('## Which delivery for which situation');
    expect(region).toContain('## Migrating from `kubectl create secret docker-registry`');
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

  test('the region is replaced between the markers, and the rest of the README is kept', () => {
    const readme = `# title\n\ntop\n\n${START_MARKER}\nold\n${END_MARKER}\n\nbottom\n`;
    expect(replaceCookbook(readme, 'new\n')).toBe(`# title\n\ntop\n\n${START_MARKER}\nnew\n${END_MARKER}\n\nbottom\n`);
    expect(cookbookRegion(replaceCookbook(readme, 'new\n'))).toBe('new\n');
  });

  test('missing markers are added at the end', () => {
    expect(replaceCookbook('# title\n', 'new\n')).toBe(`# title\n\n${START_MARKER}\nnew\n${END_MARKER}\n`);
    expect(cookbookRegion('# title\n')).toBeUndefined();
  });
});
