import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph, Names, Yaml, YamlOutputType } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from './errors';
import { duringSynth } from './synth-pass';

/**
 * Writes the same files as `app.synth()`, validating the app once instead of once per chart.
 *
 * cdk8s 2.70 validates the whole app and re-resolves its dependencies in `app.synth()`, and then again for every
 * chart it writes (each `chart.toJson()` does both over the whole app), so an app with a chart per team pays for the
 * whole tree once per chart: the cost grows with charts × constructs. `RegistrySynth.synth(app)` runs every
 * validation of the app once, with the same error as `app.synth()`, then writes each chart's objects in the order
 * and to the file names `app.synth()` uses.
 *
 * It is a drop-in replacement for `app.synth()` in `main.ts`. When an app uses something whose output it does not
 * reproduce byte for byte (dependencies between constructs or charts, nested charts, an output type other than a
 * file per chart or one file for the app, construct metadata, an App or Chart class that overrides `synth()` or
 * `toJson()`), it calls `app.synth()` instead, so the files are always the ones cdk8s writes.
 *
 * @see https://cdk8s.io/docs/latest/basics/app/
 */
export class RegistrySynth {
  /**
   * Synthesizes `app` into its `outdir`, like `app.synth()`; on a validation error nothing is written.
   *
   * @param app the cdk8s App to synthesize
   */
  public static synth(app: App): void {
    if (!app || typeof (app as any).node !== 'object' || typeof (app as any).synth !== 'function' || typeof (app as any).outdir !== 'string') {
      throw new ValidationError({
        property: 'app',
        value: app === null ? 'null' : typeof app,
        problem: 'is not a cdk8s App',
        fix: 'pass the App you would call app.synth() on',
      });
    }
    if (!RegistrySynth.writesTheSameFiles(app)) {
      app.synth();
      return;
    }
    duringSynth(app, () => {
      validateOnce(app);
      writeCharts(app);
    });
  }

  /**
   * Whether `RegistrySynth.synth(app)` writes the files itself (true) or leaves them to `app.synth()` (false).
   *
   * @param app the cdk8s App
   */
  public static writesTheSameFiles(app: App): boolean {
    // An App or Chart class that overrides synth()/toJson() (or another copy of cdk8s) writes what its code says.
    if (Object.getPrototypeOf(app).synth !== App.prototype.synth) {
      return false;
    }
    const outputType = app.yamlOutputType;
    if (outputType !== YamlOutputType.FILE_PER_CHART && outputType !== YamlOutputType.FILE_PER_APP) {
      return false;
    }
    // Private in cdk8s' types, a plain property at run time; when on, app.synth() also writes construct-metadata.json.
    if ((app as any).recordConstructMetadata === true) {
      return false;
    }
    // With no dependencies and no chart inside a chart, cdk8s' dependency resolution adds nothing: the order of the
    // charts and of the objects in each chart is the construct tree's, and the files are named without an index.
    return app.node.findAll().every(construct => construct.node.dependencies.length === 0
      && !(Chart.isChart(construct) && (hasChartAbove(construct) || construct.toJson !== Chart.prototype.toJson)));
  }

  private constructor() {
  }
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
  const charts = app.charts;
  if (app.yamlOutputType === YamlOutputType.FILE_PER_APP) {
    if (charts.length > 0) {
      writeYaml(path.join(app.outdir, `app${app.outputFileExtension}`), charts.flatMap(chartObjects));
    }
    return;
  }
  for (const chart of charts) {
    writeYaml(path.join(app.outdir, `${Names.toDnsLabel(chart)}${app.outputFileExtension}`), chartObjects(chart));
  }
}

/** The chart's own objects (not those of a chart below it), in dependency order. */
function chartObjects(chart: Chart): ApiObject[] {
  return new DependencyGraph(chart.node).topology()
    .filter((construct): construct is ApiObject => construct instanceof ApiObject && Chart.of(construct) === chart);
}

/**
 * Writes the bytes `Yaml.save(file, objects.map(o => o.toJson()))` writes (documents joined by `---`), one object at
 * a time: the JSON and YAML of one object are garbage before the next is made, where `app.synth()` holds a whole
 * chart's. Written to a temporary file renamed at the end, so an object that fails to render leaves no partial file.
 */
function writeYaml(file: string, objects: ApiObject[]): void {
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
    objects.forEach((object, index) => {
      const document = `${index > 0 ? DOCUMENT_SEPARATOR : ''}${Yaml.stringify(object.toJson())}`;
      chunk.push(document);
      chunkLength += document.length;
      if (chunkLength >= WRITE_CHUNK_CHARACTERS) {
        flush();
      }
    });
    flush();
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(partial, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(partial, file);
}
