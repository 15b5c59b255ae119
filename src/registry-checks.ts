import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { RegistryCredentials } from './credentials/registry-credentials';
import { ValidationError } from './errors';
import { isConstruct, requireText } from './runtime-checks';
import { addValidationOncePerSynth } from './synth-pass';
import { formatWarning, recordedWarnings } from './warnings';
import {
  appPullDeclarations, checkRegistriesWithoutSecret, CoveragePolicy, examinationMessages, examineWorkload,
  hasExplicitPullCoverage, ImagePullReport, inventoryOf, isPodBearing,
} from './workloads/pull-coverage';

/** The id of the one `RegistryChecks` under each app root. */
const CHECKS_ID = 'RegistryChecks';
const CHECKS_SYMBOL = Symbol.for('cdk8s-registries.RegistryChecks');

/**
 * The checks this library runs over a whole app at synth, on by default: every construct of the library adds them
 * to its app. One cdk8s `App` is one cluster's output (for several clusters, one `App` per cluster with
 * `outdir: 'dist/<cluster>'`), so everything here is judged per app:
 *
 * - **One object per name.** Two objects of the same API group, kind, namespace and name are an error naming both
 *   construct paths (Kubernetes would keep only the last one applied; kustomize refuses the pair). An install such
 *   as `KubernetesReplicatorApplication` belongs once in an app, in any one chart.
 * - **Pull coverage.** Every pod-bearing workload (cdk8s-plus of any version, or a raw `ApiObject` of kind Pod,
 *   Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job or CronJob; init and ephemeral
 *   containers included) is checked like `PullCoverage` checks it, with two differences that keep it free of noise:
 *   a workload with no pull secret fails only where its namespace holds a pull secret for the image's registry that
 *   it does not use (the secret was made and never attached), and a pull secret whose registries are unknown is
 *   trusted. A workload with pull secrets (its own, or its ServiceAccount's) must have every image covered.
 *   Registries pulled without a secret (public ones, or the node's cloud identity) are declared once per app with
 *   `addRegistriesWithoutSecret`. `PullCoverage.of/ofAll` keep working for stricter checks of chosen workloads.
 *
 * Opt out with a reason: `disablePullCoverage(reason)` for the app, `excludeWorkload(workload, reason)` for one
 * workload or a whole chart.
 *
 * Warnings the constructs record (a registry key that works for some images but probably not the ones meant, ...)
 * are reported here too, once per synth on stderr — never while constructs are built. Each has a code:
 * `treatWarningAsError(code)` fails synth on it, `suppressWarning(code, reason)` silences it.
 *
 * The checks run once per `app.synth()`, however many charts the app has.
 *
 * @see https://kubernetes.io/docs/concepts/containers/images/#specifying-imagepullsecrets-on-a-pod
 */
export class RegistryChecks extends Construct {
  /**
   * The checks of the app that `scope` belongs to, created on first use.
   *
   * @param scope any construct of the app
   */
  public static of(scope: IConstruct): RegistryChecks {
    if (!isConstruct(scope)) {
      throw new ValidationError({ property: 'scope', problem: 'is not a construct', fix: 'pass the App, or any construct in it' });
    }
    const root = scope.node.root;
    const existing = root.node.tryFindChild(CHECKS_ID);
    if (existing !== undefined && (existing as any)[CHECKS_SYMBOL] === true) {
      return existing as RegistryChecks;
    }
    return new RegistryChecks(root);
  }

  private readonly excluded = new Map<IConstruct, string>();
  private pullCoverageDisabledBecause?: string;
  private readonly warningsAsErrors = new Set<string>();
  private readonly suppressedWarnings = new Map<string, string>();

  private constructor(root: IConstruct) {
    super(root as Construct, CHECKS_ID);
    Object.defineProperty(this, CHECKS_SYMBOL, { value: true });
    addValidationOncePerSynth(this, () => this.findProblems());
  }

  /**
   * Declares registries that workloads pull from without a pull secret: public registries
   * (`RegistryCredentials.anonymous`) and registries the nodes' cloud identity pulls from
   * (`RegistryCredentials.vendorManaged`: ECR through the node role, GKE, AKS). Images from them count as covered in
   * every pull check of the app, `PullCoverage.of/ofAll` included.
   *
   * @param credentials anonymous or vendor-managed registries
   */
  public addRegistriesWithoutSecret(credentials: RegistryCredentials[]): void {
    appPullDeclarations(this.node.root).withoutSecret.push(...checkRegistriesWithoutSecret(this, 'credentials', credentials));
  }

  /**
   * Declares that a ServiceAccount outside the app gives its pods the pull secrets they need (created by an operator,
   * or attached by hand), so pods that use it are not failed for unknown pull secrets. Prefer
   * `ServiceAccountPullSecrets`, which attaches the secrets in Git and lets the check verify them.
   *
   * @param namespace the account's namespace
   * @param name the account's name, e.g. `default`
   * @param reason why the account can be trusted, for whoever reads the code next
   */
  public trustServiceAccount(namespace: string, name: string, reason: string): void {
    requireText(this, 'namespace', namespace);
    requireText(this, 'name', name);
    requireText(this, 'reason', reason);
    appPullDeclarations(this.node.root).trustedServiceAccounts.set(`${namespace}/${name}`, reason);
  }

  /**
   * Turns the app's default pull-coverage check off. `PullCoverage.of/ofAll` checks still run.
   *
   * @param reason why, e.g. "images are pulled through a node-level mirror"
   */
  public disablePullCoverage(reason: string): void {
    requireText(this, 'reason', reason);
    this.pullCoverageDisabledBecause = reason;
  }

  /**
   * Leaves one workload, or every workload under a construct (e.g. a chart), out of the app's default pull-coverage
   * check.
   *
   * @param workload the workload (cdk8s-plus construct or ApiObject) or a construct above workloads
   * @param reason why, e.g. "the image is mirrored onto every node"
   */
  public excludeWorkload(workload: IConstruct, reason: string): void {
    if (!isConstruct(workload)) {
      throw new ValidationError({ scope: this, property: 'workload', problem: 'is not a construct', fix: 'pass the workload construct, its ApiObject or a chart' });
    }
    requireText(this, 'reason', reason);
    this.excluded.set(workload, reason);
  }

  /**
   * Fails synth on every warning with this code instead of printing it.
   *
   * @param code a warning code, e.g. `path-prefix` (printed with each warning)
   */
  public treatWarningAsError(code: string): void {
    requireText(this, 'code', code);
    this.warningsAsErrors.add(code);
  }

  /**
   * Stops printing the warnings with this code.
   *
   * @param code a warning code, e.g. `docker-hub-alias`
   * @param reason why the warning does not apply, for whoever reads the code next
   */
  public suppressWarning(code: string, reason: string): void {
    requireText(this, 'code', code);
    requireText(this, 'reason', reason);
    this.suppressedWarnings.set(code, reason);
  }

  /** The warnings of the app as `[path] code: message`, suppressed ones left out. */
  public warnings(): string[] {
    return recordedWarnings(this.node.root).filter(w => !this.suppressedWarnings.has(w.code)).map(formatWarning);
  }

  /** One report per container image of every workload the default pull-coverage check reads. */
  public pullReports(): ImagePullReport[] {
    const inventory = inventoryOf(this.node.root);
    return this.pullTargets().flatMap(object => examineWorkload(object, inventory, this.pullPolicy()).reports);
  }

  private findProblems(): string[] {
    const objects = this.node.root.node.findAll().filter(ApiObject.isApiObject);
    return [...this.reportWarnings(), ...duplicateObjectMessages(objects), ...this.pullCoverageMessages(objects)];
  }

  /** Prints the warnings (once per synth: this runs inside the synth's memo) and returns those that are errors. */
  private reportWarnings(): string[] {
    const errors: string[] = [];
    for (const warning of recordedWarnings(this.node.root)) {
      if (this.warningsAsErrors.has(warning.code)) {
        errors.push(`${formatWarning(warning)} (a warning made an error with treatWarningAsError("${warning.code}"))`);
      } else if (!this.suppressedWarnings.has(warning.code)) {
        process.stderr.write(`warning: ${formatWarning(warning)}\n`);
      }
    }
    return errors;
  }

  private pullCoverageMessages(objects: ApiObject[]): string[] {
    if (this.pullCoverageDisabledBecause !== undefined) {
      return [];
    }
    const targets = this.pullTargets(objects);
    if (targets.length === 0) {
      return [];
    }
    const inventory = inventoryOf(this.node.root);
    const policy = this.pullPolicy();
    return targets.flatMap(object => examinationMessages(examineWorkload(object, inventory, policy)));
  }

  private pullTargets(objects?: ApiObject[]): ApiObject[] {
    return (objects ?? this.node.root.node.findAll().filter(ApiObject.isApiObject))
      .filter(object => isPodBearing(object) && !hasExplicitPullCoverage(object) && !this.isExcluded(object));
  }

  private isExcluded(object: ApiObject): boolean {
    return this.excluded.size > 0 && object.node.scopes.some(scope => this.excluded.has(scope));
  }

  private pullPolicy(): CoveragePolicy {
    const declarations = appPullDeclarations(this.node.root);
    return {
      strict: false,
      withoutSecret: declarations.withoutSecret,
      trustUndeclared: false,
      trustedServiceAccounts: declarations.trustedServiceAccounts,
    };
  }
}

/** Two objects of one API group, kind, namespace and name: Kubernetes keeps one, kustomize refuses both. */
function duplicateObjectMessages(objects: ApiObject[]): string[] {
  const seen = new Map<string, ApiObject>();
  const messages: string[] = [];
  for (const object of objects) {
    const group = object.apiVersion.includes('/') ? object.apiVersion.slice(0, object.apiVersion.lastIndexOf('/')) : '';
    const namespace = object.metadata.namespace ?? '';
    const key = `${group}/${object.kind}/${namespace}/${object.name}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, object);
      continue;
    }
    const what = `${object.kind} "${namespace ? `${namespace}/` : ''}${object.name}"`;
    messages.push(new ValidationError({
      scope: object,
      property: 'metadata.name',
      value: object.name,
      problem: `${what} is also written by ${first.node.path}; one cluster keeps only one of them, and kustomize refuses both`,
      fix: 'if both are meant for one cluster, rename one or create the object once (an install such as '
        + 'KubernetesReplicatorApplication goes in one chart: ReplicatedPullSecrets in every chart of the App use it); '
        + 'if they are for different clusters, give each cluster its own App with outdir "dist/<cluster>"',
    }).message);
  }
  return messages;
}
