import { IConstruct } from 'constructs';

/** The construct-metadata type under which the library records synth warnings. */
export const WARNING_METADATA = 'cdk8s-registries:warning';

/** One recorded warning. */
interface WarningData {
  readonly code: string;
  readonly message: string;
}

/**
 * Records a warning on `scope` (cdk8s 2.70 has no `Annotations`). Nothing is printed here: `RegistryChecks` reports
 * the warnings of an app when it synthesizes, where each code can be turned into an error or off. Warnings never
 * carry secret material: callers pass only names, hosts and patterns.
 *
 * @param code a stable identifier, e.g. `path-prefix`
 */
export function warn(scope: IConstruct, code: string, message: string): void {
  const data: WarningData = { code, message };
  scope.node.addMetadata(WARNING_METADATA, data);
}

/** A warning with where it was raised. */
export interface RecordedWarning {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/** The warnings recorded on `scope` and below, in tree order. */
export function recordedWarnings(scope: IConstruct): RecordedWarning[] {
  return scope.node.findAll().flatMap(c => c.node.metadata
    .filter(m => m.type === WARNING_METADATA)
    .map(m => ({ path: c.node.path, ...(m.data as WarningData) })));
}

/** The warnings recorded on `scope` and below as `[path] code: message`, for tests and tools. */
export function warningsOf(scope: IConstruct): string[] {
  return recordedWarnings(scope).map(formatWarning);
}

export function formatWarning(warning: RecordedWarning): string {
  return `[${warning.path}] ${warning.code}: ${warning.message}`;
}
