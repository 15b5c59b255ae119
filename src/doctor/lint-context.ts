import { Finding, Severity } from './findings';
import { Inventory } from './inventory';
import { refOf } from './kube-object';
import { Manifest } from './manifests';
import { DEFAULT_PROTECTED_NAMESPACES } from '../replication/protected-namespaces';

/** What every lint rule can read. */
export interface LintContext {
  readonly inventory: Inventory;
  /** The registry hosts (with port) that container images in the manifests are written with. */
  readonly imageHosts: Set<string>;
  /** Every manifest of the cluster being checked. */
  readonly manifests?: Manifest[];
  /** The cluster being checked, when the tree is laid out by cluster (`dist/<cluster>/…`). */
  readonly cluster?: string;
  /** The other clusters of the tree, for findings that cross clusters. */
  readonly otherClusters?: Array<{ readonly cluster: string; readonly inventory: Inventory }>;
}

/** A rule that looks at one object (and, through the context, at the others). */
export type ObjectRule = (manifest: Manifest, context: LintContext) => Finding[];

/** A finding about an object. */
export function findingAt(manifest: Manifest, rule: string, severity: Severity, message: string, fix: string): Finding {
  return { rule, severity, file: manifest.file, line: manifest.line, object: refOf(manifest.object), message, fix };
}

/**
 * Namespaces that should never receive a copy of a credential: the same protected set the constructs enforce
 * (`ReplicatedPullSecret.DEFAULT_PROTECTED_NAMESPACES`), so the doctor and the constructs judge alike.
 */
export const SYSTEM_NAMESPACES: readonly string[] = DEFAULT_PROTECTED_NAMESPACES;

/** `"a", "b" and "c"`. */
export function quotedList(items: string[]): string {
  const quoted = items.map(item => `"${item}"`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}` : quoted.join('');
}
