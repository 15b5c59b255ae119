// Summarizes a V8 CPU profile of one bench measurement: where the time goes, split into cdk8s (cdk8s and constructs),
// YAML (the yaml package cdk8s writes with), ours (src/), the bench itself, Node (crypto for sealing, module loading)
// and the garbage collector; then the functions with the most time of their own.
//
//   node --cpu-prof --cpu-prof-dir=.bench/prof .bench/js/bench/measure.js ours 60 50 3 chart-per-org .bench/out/prof .bench/sealed.json
//   npx ts-node -T -P bench/tsconfig.json bench/profile.ts .bench/prof/<file>.cpuprofile [top functions, default 20]
//
// The profiler samples wall time: on a loaded machine the figures include time the process waited for a core, so
// compare shares within one profile rather than milliseconds across profiles.
import * as fs from 'fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: number[];
}

interface CpuProfile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Milliseconds by category, largest first. */
  readonly categories: Array<[string, number]>;
  /** Milliseconds of self time by function (`name file:line`), largest first. */
  readonly functions: Array<[string, number]>;
}

/** The category of a script URL. */
export function categoryOf(url: string): string {
  if (url === '') {
    return 'gc-and-native';
  }
  if (url.includes('/node_modules/yaml/')) {
    return 'yaml';
  }
  if (url.includes('/node_modules/cdk8s-plus')) {
    return 'cdk8s-plus';
  }
  if (url.includes('/node_modules/cdk8s/') || url.includes('/node_modules/constructs/')) {
    return 'cdk8s';
  }
  if (url.includes('/src/')) {
    return 'ours';
  }
  if (url.includes('/bench/')) {
    return 'bench';
  }
  return url.startsWith('node:') ? 'node' : 'other';
}

export function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const nodes = new Map(profile.nodes.map(node => [node.id, node]));
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    totalUs += delta;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)!.callFrame;
    const category = categoryOf(frame.url);
    categories.set(category, (categories.get(category) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const inMs = (entries: Map<string, number>) => [...entries]
    .map(([name, us]): [string, number] => [name, us / 1000]).sort((a, b) => b[1] - a[1]);
  return { totalMs: totalUs / 1000, categories: inMs(categories), functions: inMs(functions) };
}

function main(argv: string[]): void {
  const [file, top] = argv;
  if (!file) {
    throw new Error('usage: profile.ts <file.cpuprofile> [top functions]');
  }
  const summary = summarizeProfile(JSON.parse(fs.readFileSync(file, 'utf8')));
  const share = (ms: number) => `${(100 * ms / summary.totalMs).toFixed(1)}%`;
  console.log(`total ${summary.totalMs.toFixed(0)} ms`);
  for (const [category, ms] of summary.categories) {
    console.log(`  ${category.padEnd(14)} ${ms.toFixed(0).padStart(8)} ms  ${share(ms)}`);
  }
  console.log('self time by function:');
  for (const [name, ms] of summary.functions.slice(0, Number(top ?? 20))) {
    console.log(`  ${ms.toFixed(0).padStart(8)} ms  ${name}`);
  }
}

if (require.main === module) {
  main(process.argv.slice(2));
}
