import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { keepsCdk8sSynth, synthesizeOnce, writesTheSameFiles } from './synth-writer';

// cdk8s 2.70 validates the whole app once in `App.synth()` and then again for every chart it writes (each
// `chart.toJson()` re-runs `validate(app)`), so a check that looks across the app would run 1 + N times per synth.
// The tree cannot change while a synth runs (it is one synchronous call), so whole-app results are memoized for the
// duration of that call and for nothing longer: an app changed and synthesized again is checked again.
//
// `app.synth()` goes further: when it would write exactly what cdk8s writes (synth-writer.ts), it validates the app
// once and writes the files itself, so an app with a chart per team no longer walks its whole tree once per chart.

/** The memo of the synth in progress on each app root; absent outside a synth. */
const ACTIVE_SYNTHS = new WeakMap<IConstruct, Map<unknown, unknown>>();
const TRACKED_ROOTS = new WeakSet<IConstruct>();

/** The methods of `cdk8s.App` that synthesize the whole app. */
const SYNTH_METHODS = ['synth', 'synthYaml'];

/**
 * Makes whole-app checks on `root` run once per `app.synth()` / `app.synthYaml()` by wrapping those two methods of
 * this one App instance (never the class): the wrapper opens a memo before the original runs and drops it after.
 * `synth()` validates once and writes the files itself where that writes the same files (`RegistrySynth`), unless
 * the app keeps cdk8s's own synthesis (`RegistrySynth.useCdk8sSynth`).
 */
export function trackSynths(root: IConstruct): void {
  if (TRACKED_ROOTS.has(root)) {
    return;
  }
  TRACKED_ROOTS.add(root);
  const app = root as any;
  for (const method of SYNTH_METHODS) {
    const original = app[method];
    if (typeof original !== 'function') {
      continue;
    }
    Object.defineProperty(app, method, {
      configurable: true,
      writable: true,
      value: function synthOnce(this: IConstruct, ...args: unknown[]) {
        return duringSynth(root, () => (method === 'synth' && this === root && synthesizesOnce(root)
          ? synthesizeOnce(root as App)
          : original.apply(this, args)));
      },
    });
  }
}

function synthesizesOnce(root: IConstruct): boolean {
  return root instanceof App && !keepsCdk8sSynth(root) && writesTheSameFiles(root);
}

/**
 * Runs `synthesize` as one synth of `root`: whole-app results computed in it are memoized until it returns (or
 * throws). A synth already in progress on `root` is joined, not restarted.
 */
export function duringSynth<T>(root: IConstruct, synthesize: () => T): T {
  if (ACTIVE_SYNTHS.has(root)) {
    return synthesize();
  }
  ACTIVE_SYNTHS.set(root, new Map());
  try {
    return synthesize();
  } finally {
    ACTIVE_SYNTHS.delete(root);
  }
}

/**
 * Adds a validation to `scope` that runs once per synth of its app instead of once per chart written (plus once for
 * the app): the result is kept for the rest of that synth, keyed by this one validation. Only for validations whose
 * result depends on the construct tree alone, which one synth cannot change.
 */
export function addValidationOncePerSynth(scope: IConstruct, validate: () => string[]): void {
  const root = scope.node.root;
  trackSynths(root);
  const key = {};
  scope.node.addValidation({ validate: () => oncePerSynth(root, key, validate) });
}

/**
 * `compute()`, computed once per synth of `root` for `key`; outside a synth (a single `chart.toJson()`, or
 * `reports()` on an app still being built) it is computed on every call.
 */
export function oncePerSynth<V>(root: IConstruct, key: unknown, compute: () => V): V {
  const memo = ACTIVE_SYNTHS.get(root);
  if (memo === undefined) {
    return compute();
  }
  if (!memo.has(key)) {
    memo.set(key, compute());
  }
  return memo.get(key) as V;
}
