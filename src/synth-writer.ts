import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph, DependencyVertex, Names, Yaml, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { stringifyLikeCdk8s } from './yaml-writer';

// Writes the files `app.synth()` writes, validating the app once instead of once per chart written. cdk8s 2.70
// validates the whole app and re-resolves its dependencies in `app.synth()` and then again in every `chart.toJson()`,
// so an app with a chart per team walks its whole tree once per chart. Used by `RegistrySynth.synth(app)` and, for
// apps holding constructs of this library, by `app.synth()` itself (see synth-pass.ts), unless the app opted out.
// Each object's YAML comes from yaml-writer.ts: the bytes of cdk8s's `Yaml.stringify`, printed without building the
// `yaml` package's node tree where the object is simple enough.

/**
 * SHA-256 over the sources of the cdk8s functions whose behaviour `synthesizeOnce` reproduces, for each cdk8s release
 * it was verified against byte for byte (the tests synthesize every example both ways). The same for 2.70.0 to at
 * least 2.70.106. Another cdk8s whose synth code differs is left to its own `app.synth()`.
 */
const VERIFIED_CDK8S_SYNTH = new Set([
  'ae6398b5fb1782f861d14487c9f608d304283d7566d85c512c3cd675b6816d87',
]);

let installedFingerprint: string | undefined;

/** The fingerprint of the installed cdk8s's synth code (see VERIFIED_CDK8S_SYNTH). */
export function cdk8sSynthFingerprint(): string {
  installedFingerprint ??= createHash('sha256').update([
    App.prototype.synth,
    (App as unknown as { _synthChart: () => unknown })._synthChart,
    Object.getOwnPropertyDescriptor(App.prototype, 'charts')?.get,
    Chart.prototype.toJson,
    Yaml.save,
    Yaml.stringify,
    Names.toDnsLabel,
    DependencyGraph.prototype.topology,
    DependencyVertex.prototype.topology,
  ].map(code => String(code)).join('\0')).digest('hex');
  return installedFingerprint;
}

/** Apps whose `app.synth()` keeps cdk8s's own synthesis, with the reason given. */
const CDK8S_SYNTH_KEPT = new WeakMap<IConstruct, string>();

export function keepCdk8sSynth(app: IConstruct, reason: string): void {
  CDK8S_SYNTH_KEPT.set(app, reason);
}

export function keepsCdk8sSynth(app: IConstruct): boolean {
  return CDK8S_SYNTH_KEPT.has(app);
}

/** Whether `synthesizeOnce(app)` writes exactly the files `app.synth()` would. */
export function writesTheSameFiles(app: App): boolean {
  if (!VERIFIED_CDK8S_SYNTH.has(cdk8sSynthFingerprint())) {
    return false;
  }
  // An App or Chart class that overrides synth()/toJson() (or another copy of cdk8s) writes what its code says.
  if (!(app instanceof App) || Object.getPrototypeOf(app).synth !== App.prototype.synth) {
    return false;
  }
  const outputType = app.yamlOutputType;
  if (outputType !== YamlOutputType.FILE_PER_CHART && outputType !== YamlOutputType.FILE_PER_APP) {
    return false;
  }
  // Private in cdk8s' types, a plain property at run time; when on, app.synth() also writes construct-metadata.json.
  if ((app as unknown as { recordConstructMetadata?: boolean }).recordConstructMetadata === true) {
    return false;
  }
  // With no dependencies and no chart inside a chart, cdk8s' dependency resolution adds nothing: the order of the
  // charts and of the objects in each chart is the construct tree's, and the files are named without an index.
  return app.node.findAll().every(construct => construct.node.dependencies.length === 0
    && !(Chart.isChart(construct) && (hasChartAbove(construct) || construct.toJson !== Chart.prototype.toJson)));
}

/** Validates `app` once (the error `app.synth()` throws) and writes its files; call only when `writesTheSameFiles`. */
export function synthesizeOnce(app: App): void {
  validateOnce(app);
  writeCharts(app);
}

function hasChartAbove(chart: IConstruct): boolean {
  return chart.node.scopes.slice(0, -1).some(scope => Chart.isChart(scope));
}

/** Every validation of the app, once; the same error text as `app.synth()`. */
function validateOnce(app: App): void {
  const errors: string[] = [];
  for (const construct of app.node.findAll()) {
    for (const error of construct.node.validate()) {
      errors.push(`[${construct.node.path}] ${error}`);
    }
  }
  if (errors.length > 0) {
    throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  }
}

/** What `Yaml.stringify` puts between documents. */
const DOCUMENT_SEPARATOR = '---\n';
const WRITE_CHUNK_CHARACTERS = 1024 * 1024;

function writeCharts(app: App): void {
  fs.mkdirSync(app.outdir, { recursive: true });
  const charts = chartsInOrder(app);
  if (app.yamlOutputType === YamlOutputType.FILE_PER_APP) {
    if (charts.length > 0) {
      writeYaml(path.join(app.outdir, `app${app.outputFileExtension}`), objectsOfCharts(charts));
    }
    return;
  }
  for (const chart of charts) {
    writeYaml(path.join(app.outdir, `${Names.toDnsLabel(chart)}${app.outputFileExtension}`), chartObjects(chart));
  }
}

/**
 * The charts in the order of `app.charts`, from one walk of the tree. cdk8s orders them by the topology of a
 * dependency graph over every construct; with no dependencies (which `writesTheSameFiles` requires) that graph has no
 * edges, and its topology is the order its vertices were stored in a plain object keyed by construct path: the tree's
 * pre-order, except that paths which are array indices ("0", "42": only charts placed directly in the app can have
 * one) come first, in numeric order, as JavaScript orders such keys.
 */
function chartsInOrder(app: App): Chart[] {
  const charts = app.node.findAll().filter((construct): construct is Chart => construct instanceof Chart);
  const numbered = charts.filter(chart => isArrayIndex(chart.node.path)).sort((a, b) => Number(a.node.path) - Number(b.node.path));
  return [...numbered, ...charts.filter(chart => !isArrayIndex(chart.node.path))];
}

/**
 * The chart's own objects in the order cdk8s writes them (its subtree's pre-order, by the same argument as
 * `chartsInOrder`; no path below a chart is an array index), listed when the chart's turn comes, as cdk8s does: an
 * object that an earlier chart's rendering added is written.
 */
function chartObjects(chart: Chart): ApiObject[] {
  return chart.node.findAll()
    .filter((construct): construct is ApiObject => construct instanceof ApiObject && Chart.of(construct) === chart);
}

function* objectsOfCharts(charts: Chart[]): Iterable<ApiObject> {
  for (const chart of charts) {
    yield* chartObjects(chart);
  }
}

/** Whether JavaScript treats `key` as an array index when it orders an object's keys (0 to 2^32 - 2, canonical). */
function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * Writes the bytes `Yaml.save(file, objects.map(o => o.toJson()))` writes (documents joined by `---`), one object at
 * a time: the JSON and YAML of one object are garbage before the next is made, where `app.synth()` holds a whole
 * chart's. Written to a temporary file renamed at the end, so an object that fails to render leaves no partial file.
 */
function writeYaml(file: string, objects: Iterable<ApiObject>): void {
  const partial = `${file}.partial-${process.pid}`;
  const fd = fs.openSync(partial, 'w');
  try {
    // Documents are written in chunks of about a MiB: one write per object would cost a system call each.
    let chunk: string[] = [];
    let chunkLength = 0;
    const flush = () => {
      fs.writeSync(fd, chunk.join(''), null, 'utf8');
      chunk = [];
      chunkLength = 0;
    };
    let separator = '';
    for (const object of objects) {
      const document = `${separator}${stringifyLikeCdk8s(object.toJson())}`;
      separator = DOCUMENT_SEPARATOR;
      chunk.push(document);
      chunkLength += document.length;
      if (chunkLength >= WRITE_CHUNK_CHARACTERS) {
        flush();
      }
    }
    flush();
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(partial, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(partial, file);
}
