import { App } from 'cdk8s';
import { ValidationError } from './errors';
import { requireText } from './runtime-checks';
import { duringSynth } from './synth-pass';
import { keepCdk8sSynth, synthesizeOnce, writesTheSameFiles } from './synth-writer';

/**
 * Writes the same files as `app.synth()`, validating the app once instead of once per chart.
 *
 * cdk8s 2.70 validates the whole app and re-resolves its dependencies in `app.synth()`, and then again for every
 * chart it writes (each `chart.toJson()` does both over the whole app), so an app with a chart per team pays for the
 * whole tree once per chart: the cost grows with charts × constructs. `RegistrySynth` runs every validation of the
 * app once, with the same error as `app.synth()`, then writes each chart's objects in the order and to the file
 * names `app.synth()` uses. It prints each object's YAML itself, in the bytes cdk8s's `Yaml.stringify` returns, and
 * leaves an object holding anything beyond plain maps, lists, one-line ASCII strings, integers and booleans to
 * `Yaml.stringify`.
 *
 * An app that holds constructs of this library gets this from `app.synth()` itself: those constructs make the
 * App's `synth()` take this path whenever it writes the same files, unless `RegistrySynth.useCdk8sSynth(app, reason)`
 * was called. `RegistrySynth.synth(app)` does the same for any app. When an app uses something whose output this
 * does not reproduce byte for byte (dependencies between constructs or charts, nested charts, an output type other
 * than a file per chart or one file for the app, construct metadata, an App or Chart class that overrides `synth()`
 * or `toJson()`, a cdk8s release whose synth code it was not verified against), cdk8s's own `app.synth()` runs.
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
    requireApp(app);
    if (!writesTheSameFiles(app)) {
      app.synth();
      return;
    }
    duringSynth(app, () => synthesizeOnce(app));
  }

  /**
   * Whether `RegistrySynth.synth(app)` writes the files itself (true) or leaves them to cdk8s's `app.synth()` (false).
   *
   * @param app the cdk8s App
   */
  public static writesTheSameFiles(app: App): boolean {
    requireApp(app);
    return writesTheSameFiles(app);
  }

  /**
   * Makes `app.synth()` run cdk8s's own synthesis for this app (validating the whole app again for every chart),
   * instead of the once-validated path this library's constructs give it. The files are the same either way; use
   * this when a construct of another library changes the tree while the app synthesizes, or to compare the two.
   *
   * @param app the cdk8s App
   * @param reason why, for whoever reads the code next
   */
  public static useCdk8sSynth(app: App, reason: string): void {
    requireApp(app);
    requireText(undefined, 'reason', reason);
    keepCdk8sSynth(app, reason);
  }

  private constructor() {
  }
}

function requireApp(app: App): void {
  if (!app || typeof (app as any).node !== 'object' || typeof (app as any).synth !== 'function' || typeof (app as any).outdir !== 'string') {
    throw new ValidationError({
      property: 'app',
      value: app === null ? 'null' : typeof app,
      problem: 'is not a cdk8s App',
      fix: 'pass the App you would call app.synth() on',
    });
  }
}
