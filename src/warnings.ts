import { IConstruct } from 'constructs';

/** The construct-metadata type under which the library records synth warnings. */
export const WARNING_METADATA = 'cdk8s-registries:warning';

/**
 * Records a warning on `scope` (cdk8s 2.70 has no `Annotations`) and prints it to stderr, so `cdk8s synth` shows it.
 * Warnings never carry secret material: callers pass only names, hosts and patterns.
 */
export function warn(scope: IConstruct, message: string): void {
  scope.node.addMetadata(WARNING_METADATA, message);
  process.stderr.write(`warning: [${scope.node.path}] ${message}\n`);
}

/** The warnings recorded on `scope` and below, for tests and tools. */
export function warningsOf(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap(c => c.node.metadata.filter(m => m.type === WARNING_METADATA).map(m => `[${c.node.path}] ${m.data}`));
}
