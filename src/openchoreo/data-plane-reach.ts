import { ValidationError } from '../errors';
import { IRegistrySecret, RegistrySecret } from '../registry-secret';
import { OpenChoreoNames } from './namespace-names';
import { ReplicatedPullSecret } from '../replication/replicated-pull-secret';

// Projects and environments to stand for every data-plane namespace of an organization: short and long parts, so the
// 63-character cut and the hash suffix are both exercised (OpenChoreo creates one namespace per project and
// environment, so the real names are not known when the DataPlane is written).
const SAMPLE_PROJECTS_AND_ENVIRONMENTS: Array<[string, string]> = [
  ['default', 'development'],
  ['default', 'production'],
  ['payments', 'staging'],
  ['customer-onboarding-portal', 'production-eu-west-1'],
];

/**
 * The data-plane namespaces `dp-<org>-<project>-<env>-<hash>` that stand for all of an organization's.
 *
 * @internal
 */
export function sampleDataPlaneNamespaces(organization: string): string[] {
  return SAMPLE_PROJECTS_AND_ENVIRONMENTS.map(([project, environment]) =>
    OpenChoreoNames.dataPlaneNamespace(organization, project, environment));
}

/**
 * A DataPlane's pull secret is used in the `dp-…` namespaces where its workloads run: it must be there. A
 * `ReplicatedPullSecret` must select them; a Secret that lives in one namespace never reaches them. A reference to an
 * existing Secret (`fromSecretName`) is taken on trust: whatever puts it into the `dp-…` namespaces is outside the app.
 *
 * @internal
 */
export function pullSecretReachMessages(
  organization: string, secret: IRegistrySecret, labels: { [key: string]: string }, property: string): string[] {
  const namespaces = sampleDataPlaneNamespaces(organization);
  if (secret instanceof ReplicatedPullSecret) {
    const missed = namespaces.filter(namespace => !secret.receives({ name: namespace, labels }));
    if (missed.length === 0) {
      return [];
    }
    const byLabel = Object.keys(labels).length === 0 ? '; to select them by label, declare the labels they carry in pullRegistry.dataPlaneNamespaceLabels' : '';
    // No scope: the DataPlane holds this validation, and cdk8s names its path already.
    return [new ValidationError({
      property,
      value: secret.node.path,
      problem: `is replicated to namespaces that miss the data-plane namespaces of organization "${organization}", e.g. ${quoteAll(missed)}, `
        + 'where the DataPlane\'s workloads run and read their pull secrets',
      fix: `select them by name, e.g. targets: NamespaceSelection.mittwaldReplicateTo("${ReplicatedPullSecret.OPENCHOREO_DATA_PLANE_PATTERN}") `
        + `(the default); OpenChoreo names them dp-<organization>-<project>-<environment>-<hash>, cut to 63 characters${byLabel}`,
    }).message];
  }
  if (secret instanceof RegistrySecret) {
    return [new ValidationError({
      property,
      value: secret.node.path,
      problem: `is a Secret in the one namespace "${secret.namespace ?? '(none)'}"; the DataPlane's workloads run in the data-plane namespaces `
        + `(e.g. ${quoteAll(namespaces.slice(0, 2))}) and pods read pull secrets only from their own namespace`,
      fix: 'use a ReplicatedPullSecret (it copies the secret into every dp-… namespace, also ones created later) with the same credentials',
    }).message];
  }
  return [];
}

function quoteAll(names: string[]): string {
  return names.map(name => `"${name}"`).join(', ');
}
