// `npm run bench`: synthesis of a platform-sized app with our constructs against the same objects as raw cdk8s
// ApiObjects, at 1/10, 1/3 and the full size, against a kubectl loop, plus keyring lookups and replication previews.
// Prints a table, then one `name=value` line per figure after "# summary".
//
//   npx ts-node -T -P bench/tsconfig.json bench/run.ts [--orgs 200] [--projects 50] [--envs 3] [--reps 3]
//     [--kubectl-sample 60 (0: skip kubectl)] [--quick (20 × 10 × 3, one repetition)] [--work-dir .bench]
//     [--in-process (no child processes: no per-variant memory figures)]
//
// Each measurement runs in its own `node` process (the sources are transpiled once into .bench/js), so that peak RSS
// and CPU belong to one variant, size and layout; the median of the repetitions is reported.
//
// Variants: raw (cdk8s ApiObjects, app.synth()), ours (our constructs, app.synth()) and ours-cdk8s-synth (our constructs,
// RegistrySynth.useCdk8sSynth(app), then app.synth()), each in both layouts (a chart per organization, one chart). Figure names end in
// _chart_per_org or _one_chart and are printed in the same order every run.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { median, timeKubectl } from './kubectl';
import { LookupTimings, timeLookups } from './lookups';
import { measureVariant, Measurement, Variant } from './measure';
import { sealCiphertexts } from './sealed';
import { buildInventory, countSecrets, DEFAULT_SIZE, Layout, PlatformSize, scaled, testCertificatePem } from './spec';

export interface BenchOptions {
  readonly size: PlatformSize;
  /** Repetitions of every measurement; the median is reported. */
  readonly reps: number;
  /** kubectl calls to time; 0 skips kubectl. */
  readonly kubectlSample: number;
  /** Measure in this process instead of one child process per measurement (for the smoke test: no memory figures). */
  readonly inProcess: boolean;
  /** Where transpiled sources, ciphertexts and YAML output go. */
  readonly workDir: string;
}

/** The summary: figure name → number or boolean, in print order. */
export type Summary = Map<string, number | boolean>;

const ROOT = path.join(__dirname, '..');
const VARIANTS: Variant[] = ['raw', 'ours', 'ours-cdk8s-synth'];
/** Our variants, each compared with raw. */
const OURS: Variant[] = ['ours', 'ours-cdk8s-synth'];
const LAYOUTS: Layout[] = ['chart-per-org', 'one-chart'];
/** The fractions of the size measured, smallest first; growth is reported from each step to the next. */
const STEPS: Array<{ fraction: number; label: string }> = [
  { fraction: 1 / 10, label: '1_10' },
  { fraction: 1 / 3, label: '1_3' },
  { fraction: 1, label: '1' },
];

const VALUE_FLAGS = ['orgs', 'projects', 'envs', 'reps', 'kubectl-sample', 'work-dir'];
const SWITCHES = ['quick', 'in-process'];

export function parseArgs(argv: string[]): BenchOptions {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '');
    if (!argv[i].startsWith('--') || ![...VALUE_FLAGS, ...SWITCHES].includes(name)) {
      throw new Error(`unknown option ${argv[i]}; options: ${[...VALUE_FLAGS, ...SWITCHES].map(flag => `--${flag}`).join(' ')}`);
    }
    const takesValue = VALUE_FLAGS.includes(name);
    flags.set(name, takesValue ? argv[++i] : 'true');
    if (takesValue && flags.get(name) === undefined) {
      throw new Error(`--${name} needs a value`);
    }
  }
  const quick = flags.has('quick');
  const number = (name: string, fallback: number) => {
    const value = flags.has(name) ? Number(flags.get(name)) : fallback;
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`--${name} must be a whole number, got ${flags.get(name)}`);
    }
    return value;
  };
  const base = quick ? { orgs: 20, projects: 10, envs: 3 } : DEFAULT_SIZE;
  return {
    size: { orgs: number('orgs', base.orgs), projects: number('projects', base.projects), envs: number('envs', base.envs) },
    reps: Math.max(1, number('reps', quick ? 1 : 3)),
    // Every kubectl call starts a process, so its time swings with the load: 60 calls keep the median stable.
    kubectlSample: number('kubectl-sample', quick ? 3 : 60),
    inProcess: flags.has('in-process'),
    workDir: path.resolve(flags.get('work-dir') ?? path.join(ROOT, '.bench')),
  };
}

/** Runs the whole benchmark; `log` receives the human-readable lines, the summary is returned (and not printed). */
export function runBench(options: BenchOptions, log: (line: string) => void): Summary {
  fs.mkdirSync(options.workDir, { recursive: true });
  const load = os.loadavg();
  log('variants: raw = cdk8s ApiObjects + app.synth(); ours = our constructs + app.synth(); '
    + 'ours-cdk8s-synth = our constructs + cdk8s\'s own app.synth() (RegistrySynth.useCdk8sSynth: validates once per chart)');
  log(`cdk8s-registries bench: ${options.size.orgs} orgs × ${options.size.projects} projects × ${options.size.envs} envs, `
    + `${options.reps} repetition(s), ${os.cpus().length} cores, load average ${load.map(l => l.toFixed(2)).join(' ')}`);
  const child = options.inProcess ? undefined : transpile(options.workDir);

  const fullInventory = buildInventory(options.size);
  const sealedFile = path.join(options.workDir, 'sealed.json');
  const sealStart = process.hrtime.bigint();
  const sealed = sealCiphertexts(fullInventory, testCertificatePem());
  log(`precomputed ${sealed.size} sealed values for the raw variant in ${seconds(sealStart)} s (not part of any measurement)`);
  fs.writeFileSync(sealedFile, JSON.stringify(Object.fromEntries(sealed)));

  const sizes = STEPS.map(step => ({ ...step, size: scaled(options.size, step.fraction) }));
  const results: Measurement[] = [];
  // A small --orgs can make two steps the same size: measured once.
  const distinctSizes = sizes.filter((step, i) => sizes.findIndex(other => other.size.orgs === step.size.orgs) === i);
  for (let rep = 0; rep < options.reps; rep++) {
    for (const { size } of distinctSizes) {
      for (const layout of LAYOUTS) {
        for (const variant of VARIANTS) {
          const outdir = path.join(options.workDir, 'out', `${layout}-${size.orgs}-${variant}`);
          const measurement = child
            ? child.measure(variant, size, layout, outdir, sealedFile)
            : measureVariant(variant, size, layout, outdir, sealed);
          results.push(measurement);
          log(`  rep ${rep + 1} ${layout.padEnd(13)} ${String(size.orgs).padStart(4)} orgs ${variant.padEnd(4)} `
            + `${(measurement.wallMs / 1000).toFixed(2)} s, ${measurement.maxRssMb.toFixed(0)} MiB`);
        }
      }
    }
  }

  const summary: Summary = new Map();
  const secrets = countSecrets(fullInventory);
  const full = (variant: Variant, layout: Layout) => medianOf(results, variant, options.size, layout);
  summary.set('orgs', options.size.orgs);
  summary.set('projects', options.size.projects);
  summary.set('envs', options.size.envs);
  summary.set('objects', full('ours', 'chart-per-org').objects);
  summary.set('registry_secrets', secrets.registrySecrets);
  summary.set('sealed_secrets', secrets.sealedEnvSecrets);
  summary.set('constructs_ours', full('ours', 'chart-per-org').constructs);
  summary.set('constructs_raw', full('raw', 'chart-per-org').constructs);
  summary.set('same_yaml', sameYaml(results, sizes.map(s => s.size), options.workDir, log));
  for (const layout of LAYOUTS) {
    for (const variant of OURS) {
      addComparison(summary, variantName(variant), layoutName(layout), full(variant, layout), full('raw', layout));
    }
  }
  // cdk8s's own cost of a chart per organization: the same objects, N charts instead of one.
  summary.set('charts_chart_per_org', options.size.orgs);
  for (const variant of VARIANTS) {
    summary.set(`ratio_${variantName(variant)}_chart_per_org_over_one_chart_time`,
      ratio(full(variant, 'chart-per-org').wallMs, full(variant, 'one-chart').wallMs));
  }
  for (const layout of LAYOUTS) {
    addGrowth(summary, layoutName(layout), results, sizes, layout);
  }

  if (options.kubectlSample > 0) {
    const kubectl = timeKubectl(fullInventory, options.kubectlSample);
    const extrapolatedMs = kubectl.msPerSecret * secrets.registrySecrets;
    summary.set('kubectl_sampled', kubectl.sampled);
    summary.set('kubectl_ms_per_secret', round(kubectl.msPerSecret, 1));
    summary.set('kubectl_extrapolated_s', round(extrapolatedMs / 1000, 1));
    // Per secret: kubectl's time for one secret over ours for the whole platform divided by its registry secrets
    // (kubectl would write only those, as plain Secrets). The headline figure is ours with app.synth(), a chart per org.
    summary.set('ratio_kubectl_over_ours', round(extrapolatedMs / full('ours', 'chart-per-org').wallMs, 1));
    for (const layout of LAYOUTS) {
      for (const variant of OURS) {
        summary.set(`ratio_kubectl_over_${variantName(variant)}_${layoutName(layout)}`, round(extrapolatedMs / full(variant, layout).wallMs, 1));
      }
    }
    summary.set('kubectl_same_dockerconfigjson', kubectl.sameDockerConfig);
  }

  addLookups(summary, child ? child.lookups(options.size) : timeLookups(fullInventory));
  summary.set('load_average_1m_at_start', round(load[0], 2));
  summary.set('cores', os.cpus().length);
  return summary;
}

/** `name=value` lines. */
export function formatSummary(summary: Summary): string[] {
  return [...summary].map(([name, value]) => `${name}=${value}`);
}

// -----------------------------------------------------------------------------------------------------------------

interface ChildRunner {
  measure(variant: Variant, size: PlatformSize, layout: Layout, outdir: string, sealedFile: string): Measurement;
  lookups(size: PlatformSize): LookupTimings;
}

/**
 * Transpiles src/ and bench/ into `<workDir>/js` (no type-check: `tsc --noEmit -p test/tsconfig.json` does that), so
 * that measured processes run plain JavaScript and neither pay for nor hold the TypeScript compiler.
 */
function transpile(workDir: string): ChildRunner {
  // Loaded only here: the in-process smoke test never needs the compiler.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts: typeof import('typescript') = require('typescript');
  const outRoot = path.join(workDir, 'js');
  fs.rmSync(outRoot, { recursive: true, force: true });
  for (const dir of ['src', 'bench']) {
    for (const file of typescriptFiles(path.join(ROOT, dir))) {
      const output = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      }).outputText;
      const target = path.join(outRoot, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, output);
    }
  }
  // The transpiled bench reads the reference test certificate relative to itself.
  const fixtures = path.join(outRoot, 'test', 'fixtures', 'reference', 'secrets');
  fs.mkdirSync(fixtures, { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'reference', 'secrets', 'sealed-secrets-test-vectors.json'),
    path.join(fixtures, 'sealed-secrets-test-vectors.json'));
  const run = (script: string, args: Array<string | number>) => JSON.parse(execFileSync(process.execPath,
    [path.join(outRoot, 'bench', script), ...args.map(String)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
  return {
    measure: (variant, size, layout, outdir, sealedFile) =>
      run('measure.js', [variant, size.orgs, size.projects, size.envs, layout, outdir, sealedFile]),
    lookups: size => run('lookups.js', [size.orgs, size.projects, size.envs]),
  };
}

function typescriptFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? typescriptFiles(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The measurement with the median wall time (its CPU and memory go with it), memory as the median of its own. */
function medianOf(results: Measurement[], variant: Variant, size: PlatformSize, layout: Layout): Measurement {
  const runs = results.filter(r => r.variant === variant && r.layout === layout && r.size.orgs === size.orgs);
  const byTime = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  const middle = byTime[Math.floor((byTime.length - 1) / 2)];
  return {
    ...middle,
    wallMs: median(runs.map(r => r.wallMs)),
    cpuMs: median(runs.map(r => r.cpuMs)),
    maxRssMb: median(runs.map(r => r.maxRssMb)),
    baselineRssMb: median(runs.map(r => r.baselineRssMb)),
    loadMs: median(runs.map(r => r.loadMs)),
    sealingMs: median(runs.map(r => r.sealingMs)),
  };
}

function addComparison(summary: Summary, name: string, layout: string, ours: Measurement, raw: Measurement): void {
  summary.set(`${name}_time_s_${layout}`, round(ours.wallMs / 1000, 2));
  summary.set(`raw_time_s_${layout}`, round(raw.wallMs / 1000, 2));
  summary.set(`ratio_${name}_over_raw_time_${layout}`, ratio(ours.wallMs, raw.wallMs));
  summary.set(`${name}_cpu_s_${layout}`, round(ours.cpuMs / 1000, 2));
  summary.set(`raw_cpu_s_${layout}`, round(raw.cpuMs / 1000, 2));
  summary.set(`ratio_${name}_over_raw_cpu_${layout}`, ratio(ours.cpuMs, raw.cpuMs));
  summary.set(`${name}_peak_rss_mb_${layout}`, round(ours.maxRssMb, 0));
  summary.set(`raw_peak_rss_mb_${layout}`, round(raw.maxRssMb, 0));
  summary.set(`ratio_${name}_over_raw_memory_${layout}`, round(ours.maxRssMb / raw.maxRssMb, 2));
  summary.set(`${name}_baseline_rss_mb_${layout}`, round(ours.baselineRssMb, 0));
  summary.set(`raw_baseline_rss_mb_${layout}`, round(raw.baselineRssMb, 0));
  summary.set(`ratio_${name}_over_raw_memory_above_baseline_${layout}`, round(aboveBaseline(ours) / aboveBaseline(raw), 2));
  // Node start-up and module loading, paid once per synth run (ours loads cdk8s-plus-28 too).
  summary.set(`${name}_module_load_s_${layout}`, round(ours.loadMs / 1000, 2));
  summary.set(`raw_module_load_s_${layout}`, round(raw.loadMs / 1000, 2));
  // Sealing is RSA-OAEP + AES-GCM per sealed value; the raw variant embeds precomputed ciphertext instead.
  summary.set(`${name}_sealing_s_${layout}`, round(ours.sealingMs / 1000, 2));
  summary.set(`${name}_sealing_share_${layout}`, round(ours.sealingMs / ours.wallMs, 3));
  summary.set(`ratio_${name}_without_sealing_over_raw_time_${layout}`, ratio(ours.wallMs - ours.sealingMs, raw.wallMs));
}

/**
 * Growth from each step to the next (objects, time, and memory above the loaded-modules baseline), and the growth
 * exponent from the smallest to the full size: log(time ratio) / log(object ratio), 1 for linear growth.
 */
function addGrowth(summary: Summary, layout: string, results: Measurement[],
  sizes: Array<{ label: string; size: PlatformSize }>, layoutKind: Layout): void {
  const at = (variant: Variant, index: number) => medianOf(results, variant, sizes[index].size, layoutKind);
  for (let i = 1; i < sizes.length; i++) {
    const step = `${sizes[i - 1].label}_to_${sizes[i].label}`;
    summary.set(`growth_objects_${step}_${layout}`, round(at('ours', i).objects / at('ours', i - 1).objects, 2));
    for (const variant of VARIANTS) {
      const before = at(variant, i - 1);
      const after = at(variant, i);
      summary.set(`growth_time_${variantName(variant)}_${step}_${layout}`, round(after.wallMs / before.wallMs, 2));
      summary.set(`growth_memory_${variantName(variant)}_${step}_${layout}`, round(aboveBaseline(after) / aboveBaseline(before), 2));
    }
  }
  const last = sizes.length - 1;
  for (const variant of VARIANTS) {
    const objects = at(variant, last).objects / at(variant, 0).objects;
    const exponent = (numerator: number, denominator: number) =>
      (objects > 1 ? round(Math.log(numerator / denominator) / Math.log(objects), 2) : 1);
    summary.set(`growth_exponent_time_${variantName(variant)}_${layout}`, exponent(at(variant, last).wallMs, at(variant, 0).wallMs));
    summary.set(`growth_exponent_memory_${variantName(variant)}_${layout}`,
      exponent(aboveBaseline(at(variant, last)), aboveBaseline(at(variant, 0))));
  }
}

/** `ours-cdk8s-synth` → `ours_cdk8s_synth`, for figure names. */
function variantName(variant: Variant): string {
  return variant.replace(/-/g, '_');
}

/** `chart-per-org` → `chart_per_org`, for figure names. */
function layoutName(layout: Layout): string {
  return layout.replace(/-/g, '_');
}

/**
 * Peak memory above the loaded-modules baseline, at least 1 MiB: in a small or in-process run the peak may have been
 * reached before the measurement started.
 */
function aboveBaseline(measurement: Measurement): number {
  return Math.max(1, measurement.maxRssMb - measurement.baselineRssMb);
}

function addLookups(summary: Summary, lookups: LookupTimings): void {
  const pairs = lookups.wideImages * lookups.wideSecrets;
  const checks = lookups.previewSecrets * lookups.previewNamespaces;
  summary.set('keyring_namespace_lookups', lookups.namespaceLookups);
  summary.set('keyring_namespace_lookups_s', round(lookups.namespaceLookupsMs / 1000, 3));
  summary.set('keyring_namespace_lookup_us', round(lookups.namespaceLookupsMs * 1000 / lookups.namespaceLookups, 2));
  summary.set('keyring_wide_images_x_secrets', pairs);
  summary.set('keyring_wide_s', round(lookups.wideLookupsMs / 1000, 3));
  summary.set('keyring_wide_lookup_us', round(lookups.wideLookupsMs * 1000 / lookups.wideImages, 2));
  summary.set('keyring_wide_ns_per_image_x_secret', round(lookups.wideLookupsMs * 1e6 / pairs, 1));
  summary.set('preview_namespaces_x_patterns', checks);
  summary.set('preview_s', round(lookups.previewMs / 1000, 3));
  summary.set('preview_ns_per_namespace_x_pattern', round(lookups.previewMs * 1e6 / checks, 1));
  summary.set('lookups_correct', lookups.correct);
}

/**
 * Whether every variant wrote the same bytes as raw at every size and layout; on a difference, logs the first
 * differing line (from the output of the last repetition, still on disk).
 */
function sameYaml(results: Measurement[], sizes: PlatformSize[], workDir: string, log: (line: string) => void): boolean {
  let same = true;
  for (const size of sizes) {
    for (const layout of LAYOUTS) {
      const hashOf = (variant: Variant) => new Set(results
        .filter(r => r.size.orgs === size.orgs && r.layout === layout && r.variant === variant).map(r => r.yamlSha256));
      const rawHashes = hashOf('raw');
      for (const variant of OURS) {
        const hashes = new Set([...rawHashes, ...hashOf(variant)]);
        if (hashes.size !== 1) {
          same = false;
          const dir = (v: Variant) => path.join(workDir, 'out', `${layout}-${size.orgs}-${v}`);
          log(`DIFFERENT YAML at ${size.orgs} orgs, ${layout}, ${variant} vs raw: ${firstDifference(dir(variant), dir('raw'))}`);
        }
      }
    }
  }
  return same;
}

function firstDifference(oursDir: string, rawDir: string): string {
  const files = [...new Set([...fs.readdirSync(oursDir), ...fs.readdirSync(rawDir)])].sort();
  for (const file of files) {
    const read = (dir: string) => (fs.existsSync(path.join(dir, file)) ? fs.readFileSync(path.join(dir, file), 'utf8').split('\n') : []);
    const ours = read(oursDir);
    const raw = read(rawDir);
    const line = ours.findIndex((text, i) => text !== raw[i]);
    if (line >= 0 || ours.length !== raw.length) {
      const at = line >= 0 ? line : Math.min(ours.length, raw.length);
      return `${file} line ${at + 1}: ours "${ours[at] ?? '<end>'}" raw "${raw[at] ?? '<end>'}"`;
    }
  }
  return 'only in repetitions (output not deterministic)';
}

/** Two decimals; a tiny in-process run can measure 0 ms of CPU, which must not print Infinity. */
function ratio(numerator: number, denominator: number): number {
  return round(numerator / Math.max(denominator, 0.001), 2);
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function seconds(start: bigint): string {
  return (Number(process.hrtime.bigint() - start) / 1e9).toFixed(2);
}

if (require.main === module) {
  const summary = runBench(parseArgs(process.argv.slice(2)), line => console.log(line));
  console.log('# summary');
  formatSummary(summary).forEach(line => console.log(line));
}
