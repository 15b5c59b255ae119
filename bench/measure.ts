// One measured synthesis: builds the platform with one variant (ours or raw) and writes its YAML with `app.synth()`.
// run.ts starts this file as a child process per variant, size and repetition, so that peak RSS and CPU belong to one
// variant only; the jest smoke test calls `measureVariant` in-process instead.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import type { SealingKey } from '../src';
import type { SealedCiphertexts } from './raw';
import { buildInventory, Inventory, Layout, PlatformSize, testCertificatePem } from './spec';

/**
 * `raw`: cdk8s ApiObjects, `app.synth()`; `ours`: our constructs, `app.synth()` (which they make validate once
 * instead of once per chart; same files); `ours-cdk8s-synth`: our constructs with cdk8s's own synthesis
 * (`RegistrySynth.useCdk8sSynth`), to show what validating once per chart costs.
 */
export type Variant = 'ours' | 'raw' | 'ours-cdk8s-synth';

export interface Measurement {
  readonly variant: Variant;
  readonly size: PlatformSize;
  readonly layout: Layout;
  /** Kubernetes objects written. */
  readonly objects: number;
  /** Constructs in the tree (App and charts included). */
  readonly constructs: number;
  /** Wall time of building the tree and `app.synth()` (files written), in milliseconds. */
  readonly wallMs: number;
  /** User + system CPU time over the same span (GC threads included), in milliseconds. */
  readonly cpuMs: number;
  /** Peak resident memory of the process, in MiB (`process.resourceUsage().maxRSS`). */
  readonly maxRssMb: number;
  /** Resident memory once the variant's modules were loaded, before the inventory and the tree, in MiB. */
  readonly baselineRssMb: number;
  /** Node start-up and loading the variant's modules, in milliseconds (meaningful in a child process only). */
  readonly loadMs: number;
  /** Time spent in `SealingKey.seal` (RSA-OAEP + AES-GCM), ours only, in milliseconds. */
  readonly sealingMs: number;
  readonly sealedValues: number;
  /** SHA-256 over the file names and bytes written, to compare the variants. */
  readonly yamlSha256: string;
  readonly yamlBytes: number;
}

const MIB = 1024 * 1024;

/**
 * Synthesizes one variant into `outdir` (emptied first) and measures it.
 *
 * @param sealed the precomputed ciphertexts the raw variant embeds (unused by ours, which seals itself)
 */
export function measureVariant(
  variant: Variant, size: PlatformSize, layout: Layout, outdir: string, sealed: SealedCiphertexts): Measurement {
  const loaded = loadVariant(variant, sealed);
  const loadMs = process.uptime() * 1000;
  const baselineRssMb = process.memoryUsage().rss / MIB;
  const inventory = buildInventory(size);
  fs.rmSync(outdir, { recursive: true, force: true });
  const sealing = loaded.timeSealing?.();

  const cpuBefore = process.cpuUsage();
  const start = process.hrtime.bigint();
  const app = new App({ outdir });
  loaded.build(app, inventory, layout);
  loaded.synth(app);
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const cpu = process.cpuUsage(cpuBefore);
  const maxRssMb = process.resourceUsage().maxRSS / 1024;

  const sealingTotals = sealing?.stop() ?? { ms: 0, count: 0 };
  const written = digest(outdir);
  return {
    variant,
    size,
    layout,
    objects: written.objects,
    constructs: app.node.findAll().length,
    wallMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMb,
    baselineRssMb,
    loadMs,
    sealingMs: sealingTotals.ms,
    sealedValues: sealingTotals.count,
    yamlSha256: written.sha256,
    yamlBytes: written.bytes,
  };
}

interface LoadedVariant {
  build(app: App, inventory: Inventory, layout: Layout): void;
  synth(app: App): void;
  timeSealing?(): SealingTimer;
}

interface SealingTimer {
  stop(): { ms: number; count: number };
}

/**
 * Loads the modules of one variant only: the raw variant's memory and load time must not include the library (nor
 * cdk8s-plus-28, which it imports).
 */
function loadVariant(variant: Variant, sealed: SealedCiphertexts): LoadedVariant {
  const certificatePem = testCertificatePem();
  if (variant === 'raw') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const raw: typeof import('./raw') = require('./raw');
    return { build: (app, inventory, layout) => raw.buildRawPlatform(app, inventory, sealed, layout), synth: app => app.synth() };
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const platform: typeof import('./platform') = require('./platform');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const library: typeof import('../src') = require('../src');
  return {
    build: (app, inventory, layout) => platform.buildPlatform(app, inventory, certificatePem, layout),
    synth: app => {
      if (variant === 'ours-cdk8s-synth') {
        library.RegistrySynth.useCdk8sSynth(app, 'the bench measures cdk8s\'s own synthesis of our constructs');
      }
      app.synth();
    },
    timeSealing: () => timeSealing(library.SealingKey),
  };
}

/** Wraps `SealingKey.prototype.seal` to add up its time; `stop` restores it. */
function timeSealing(sealingKey: typeof SealingKey): SealingTimer {
  const original = sealingKey.prototype.seal;
  let nanoseconds = BigInt(0);
  let count = 0;
  sealingKey.prototype.seal = function timedSeal(this: SealingKey, ...args: Parameters<typeof original>): string {
    const start = process.hrtime.bigint();
    try {
      return original.apply(this, args);
    } finally {
      nanoseconds += process.hrtime.bigint() - start;
      count++;
    }
  };
  return {
    stop() {
      sealingKey.prototype.seal = original;
      return { ms: Number(nanoseconds) / 1e6, count };
    },
  };
}

/** Hash, size and object count of the YAML files in `dir`, in file-name order. */
export function digest(dir: string): { sha256: string; bytes: number; objects: number } {
  const hash = createHash('sha256');
  let bytes = 0;
  let objects = 0;
  for (const file of fs.readdirSync(dir).sort()) {
    const content = fs.readFileSync(path.join(dir, file));
    hash.update(file).update('\0').update(content).update('\0');
    bytes += content.length;
    objects += content.toString('utf8').split('\n').filter(line => line.startsWith('apiVersion:')).length;
  }
  return { sha256: hash.digest('hex'), bytes, objects };
}

/** Child-process entry: `measure.js <variant> <orgs> <projects> <envs> <layout> <outdir> <sealed.json>`, prints JSON. */
function main(argv: string[]): void {
  const [variant, orgs, projects, envs, layout, outdir, sealedFile] = argv;
  // Only the raw variant embeds ciphertext; ours seals, so its memory must not hold the precomputed values.
  const sealed: SealedCiphertexts = variant === 'raw'
    ? new Map(Object.entries(JSON.parse(fs.readFileSync(sealedFile, 'utf8'))))
    : new Map();
  const size = { orgs: Number(orgs), projects: Number(projects), envs: Number(envs) };
  process.stdout.write(`${JSON.stringify(measureVariant(variant as Variant, size, layout as Layout, outdir, sealed))}\n`);
}

if (require.main === module) {
  main(process.argv.slice(2));
}
