import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { categoryOf, summarizeProfile } from '../bench/profile';
import { formatSummary, parseArgs, runBench, Summary } from '../bench/run';

// A smoke run of `npm run bench` at a tiny size, in this process: the outputs must agree and every summary line must
// parse. No timing is asserted (the machine is shared); `npm run bench` itself is run by hand.
describe('bench', () => {
  let summary: Summary;
  let logged: string[];

  beforeAll(() => {
    logged = [];
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-registries-bench-'));
    try {
      summary = runBench({
        size: { orgs: 4, projects: 2, envs: 3 },
        reps: 1,
        kubectlSample: 1,
        inProcess: true,
        workDir,
      }, line => logged.push(line));
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  });

  test('our constructs and the raw ApiObjects write the same YAML bytes at every size and layout', () => {
    expect(logged.filter(line => line.startsWith('DIFFERENT YAML'))).toEqual([]);
    expect(summary.get('same_yaml')).toBe(true);
  });

  test('every summary line is name=number or name=true|false', () => {
    const lines = formatSummary(summary);
    expect(lines.length).toBeGreaterThan(40);
    for (const line of lines) {
      expect(line).toMatch(/^[a-z0-9_]+=(-?\d+(\.\d+)?|true|false)$/);
    }
  });

  test('the figures tools read are there, for both layouts and both ways of synthesizing ours', () => {
    const names = [...summary.keys()];
    for (const layout of ['chart_per_org', 'one_chart']) {
      for (const ours of ['ours', 'ours_cdk8s_synth']) {
        for (const figure of ['time', 'memory']) {
          expect(names).toContain(`ratio_${ours}_over_raw_${figure}_${layout}`);
          expect(names).toContain(`growth_exponent_${figure}_${ours}_${layout}`);
        }
        expect(names).toContain(`ratio_kubectl_over_${ours}_${layout}`);
      }
      expect(names).toContain(`growth_exponent_time_raw_${layout}`);
    }
    expect(names).toContain('ratio_kubectl_over_ours');
    expect(names).toContain('ratio_raw_chart_per_org_over_one_chart_time');
  });

  test('the platform has the expected objects, and lookups, previews and kubectl agree with it', () => {
    // 4 orgs: push secret, replicated pull secret, DataPlane, and a ClusterExternalSecret for the one org (org-002)
    // that replicates with External Secrets; 8 projects: a build ServiceAccount; 24 environments: a pull secret.
    expect(summary.get('objects')).toBe(4 * 3 + 1 + 8 + 24);
    expect(summary.get('registry_secrets')).toBe(24 + 2 * 4);
    expect(summary.get('lookups_correct')).toBe(true);
    expect(summary.get('kubectl_same_dockerconfigjson')).toBe(true);
    expect(summary.get('ours_sealing_s_chart_per_org')).toBeGreaterThanOrEqual(0);
  });
});

describe('bench arguments', () => {
  test('--quick is a small run with one repetition; explicit sizes win', () => {
    const options = parseArgs(['--quick', '--orgs', '5']);
    expect(options.size).toEqual({ orgs: 5, projects: 10, envs: 3 });
    expect(options.reps).toBe(1);
    expect(options.kubectlSample).toBe(3);
    expect(parseArgs([]).kubectlSample).toBe(60);
    expect(options.inProcess).toBe(false);
  });

  test('the default is the issue\'s 200 × 50 × 3 platform, three repetitions', () => {
    const options = parseArgs([]);
    expect(options.size).toEqual({ orgs: 200, projects: 50, envs: 3 });
    expect(options.reps).toBe(3);
  });

  test.each([['--orgs', 'many'], ['--reps', '-1'], ['--envs', '1.5']])('%s %s is refused', (flag, value) => {
    expect(() => parseArgs([flag, value])).toThrow(`${flag} must be a whole number`);
  });

  test.each([['--org', '5'], ['--orgs=5'], ['orgs']])('%s is refused as unknown', (...args) => {
    expect(() => parseArgs(args)).toThrow(/unknown option .*--orgs --projects/);
  });
});

describe('bench profile summary', () => {
  test('splits self time into cdk8s, YAML, ours, Node and the garbage collector', () => {
    const frame = (url: string, functionName = 'f') => ({ functionName, url, lineNumber: 0 });
    const summary = summarizeProfile({
      nodes: [
        { id: 1, callFrame: frame('', '(root)'), children: [2, 3, 4, 5, 6] },
        { id: 2, callFrame: frame('file:///w/node_modules/cdk8s/lib/app.js', 'validate') },
        { id: 3, callFrame: frame('file:///w/node_modules/yaml/dist/stringify/stringify.js', 'stringify') },
        { id: 4, callFrame: frame('file:///w/.bench/js/src/registry-secret.js', 'RegistrySecret') },
        { id: 5, callFrame: frame('node:crypto', 'publicEncrypt') },
        { id: 6, callFrame: frame('', '(garbage collector)') },
      ],
      samples: [2, 2, 3, 4, 5, 6],
      timeDeltas: [1000, 1000, 2000, 500, 500, 1000],
    });
    expect(summary.totalMs).toBe(6);
    expect(summary.categories).toEqual([['cdk8s', 2], ['yaml', 2], ['gc-and-native', 1], ['ours', 0.5], ['node', 0.5]]);
    expect(summary.functions[0]).toEqual(['validate lib/app.js:1', 2]);
    expect(categoryOf('file:///w/node_modules/constructs/lib/construct.js')).toBe('cdk8s');
    expect(categoryOf('file:///w/node_modules/cdk8s-plus-28/lib/index.js')).toBe('cdk8s-plus');
  });
});
