// Module-internal checks shared by the Konflux constructs. Not exported from the package root.
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';

/**
 * The pattern release-service's CRDs put on names that become other objects' references (`origin`, `policy`,
 * `pipeline.serviceAccountName`): a DNS-1123 label without its length limit.
 */
const CRD_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_OBJECT_NAME = 253;

/**
 * The namespace given, else the chart's; throws when there is neither.
 *
 * @param what what the namespace is, for the message, e.g. "the managed namespace the release pipeline runs in"
 */
export function requireNamespace(scope: IConstruct, given: string | undefined, what: string): string {
  const namespace = given ?? Chart.of(scope).namespace;
  if (namespace === undefined) {
    throw new ValidationError({
      scope,
      property: 'namespace',
      problem: `is missing: neither the props nor the chart name ${what}`,
      fix: 'pass namespace: "<namespace>", or create the chart with { namespace: "<namespace>" }',
    });
  }
  KubernetesNames.validateDns1123Label(namespace, 'namespace', scope);
  return namespace;
}

/** Throws unless `value` matches the release-service CRD name pattern and fits an object name. */
export function validateCrdName(value: string, property: string, scope: IConstruct): void {
  if (!CRD_NAME.test(value) || value.length > MAX_OBJECT_NAME) {
    const suggestion = value.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '');
    throw new ValidationError({
      scope,
      property,
      value,
      problem: `must match ${CRD_NAME.source} (lowercase letters, digits and "-", no dots) and have at most ${MAX_OBJECT_NAME} characters, or the API server rejects the object`,
      fix: suggestion && suggestion !== value ? `use "${suggestion.slice(0, MAX_OBJECT_NAME)}"` : 'use lowercase letters, digits and "-"',
    });
  }
}
