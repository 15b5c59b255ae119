import { containerImagesOf, Inventory, podSpecOf } from './inventory';
import { isKind, referencedNames } from './kube-object';
import { SYSTEM_NAMESPACES } from './lint-context';
import { Manifest } from './manifests';

/**
 * Example namespace patterns for fixes, derived from what the manifests say rather than a fixed "dp-.*" (issue 13
 * item 5): from the user's own pattern when it says what was meant, else from the namespaces whose pods use the secret.
 */

/** A placeholder when nothing in the manifests tells which namespaces are meant. */
export const PATTERN_PLACEHOLDER = '<your-namespace>,<team>-.*';

/**
 * The namespaces whose workloads or service accounts present a pull secret named `name`, other than `except`, sorted.
 */
export function namespacesUsing(name: string, manifests: Manifest[], inventory: Inventory, except: string): string[] {
  const found = new Set<string>();
  for (const manifest of manifests) {
    const podSpec = podSpecOf(manifest.object);
    const names = podSpec && containerImagesOf(podSpec).length > 0 ? referencedNames(podSpec.imagePullSecrets)
      : isKind(manifest.object, '', 'ServiceAccount') ? referencedNames(manifest.object.imagePullSecrets) : [];
    const namespace = inventory.namespaceOf(manifest.object);
    if (names.includes(name) && namespace !== except && !SYSTEM_NAMESPACES.includes(namespace)) {
      found.add(namespace);
    }
  }
  return [...found].sort();
}

/**
 * A comma-separated list of anchored regular expressions naming `namespaces`: a shared prefix that ends at "-" becomes
 * `prefix-.*` (`shop-dev, shop-prod` → `shop-.*`), else the names are listed.
 */
export function patternFor(namespaces: string[]): string {
  if (namespaces.length === 0) {
    return PATTERN_PLACEHOLDER;
  }
  if (namespaces.length === 1) {
    return namespaces[0];
  }
  const prefix = commonPrefix(namespaces);
  const dash = prefix.lastIndexOf('-');
  return dash > 0 ? `${prefix.slice(0, dash + 1)}.*` : namespaces.join(',');
}

function commonPrefix(values: string[]): string {
  let prefix = values[0];
  for (const value of values.slice(1)) {
    while (!value.startsWith(prefix)) {
      prefix = prefix.slice(0, -1);
    }
  }
  return prefix;
}

/**
 * The user's own pattern made valid, when a small repair does it: unbalanced parentheses or brackets dropped
 * (`(dp-.*` → `dp-.*`), a glob star made a regex star (`shop-*` → `shop-.*`); undefined when no repair compiles.
 */
export function repairedPattern(entry: string, compiles: (pattern: string) => boolean): string | undefined {
  const globFixed = entry.replace(/(^|[^.\]\\)])\*/g, '$1.*').replace(/(^|[^\\])\?/g, '$1.');
  const candidates = [dropUnbalanced(entry), globFixed, dropUnbalanced(globFixed)];
  return candidates.find(candidate => candidate !== entry && candidate !== '' && compiles(candidate));
}

function dropUnbalanced(pattern: string): string {
  let result = pattern;
  for (const [open, close] of [['(', ')'], ['[', ']'], ['{', '}']]) {
    const opens = result.split(open).length - 1;
    const closes = result.split(close).length - 1;
    if (opens !== closes) {
      result = result.split(opens > closes ? open : close).join('');
    }
  }
  return result;
}
