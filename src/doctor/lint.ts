import { compareFindings, Finding } from './findings';
import { containerImagesOf, Inventory, podSpecOf } from './inventory';
import { annotationsOf } from './kube-object';
import { LintContext, ObjectRule } from './lint-context';
import { embeddedCredentialRules } from './lint-embedded-credentials';
import { externalSecretsRules, konfluxRules, openChoreoRules } from './lint-platforms';
import { replicationRules } from './lint-replication';
import { generatedSecretRules, secretRules } from './lint-secrets';
import { serviceAccountRules, workloadRules } from './lint-workloads';
import { Manifest, ManifestSet } from './manifests';
import { ImageReference } from '../values/image-reference';

/** An object annotation that silences rules for that object: comma-separated rule ids. */
export const IGNORE_ANNOTATION = 'cdk8s-registries/doctor-ignore';

const ALL_RULES: ObjectRule[] = [
  ...secretRules,
  ...embeddedCredentialRules,
  ...generatedSecretRules,
  ...workloadRules,
  ...serviceAccountRules,
  ...replicationRules,
  ...openChoreoRules,
  ...konfluxRules,
  ...externalSecretsRules,
];

export interface LintOptions {
  /** Rule ids to skip everywhere. */
  readonly ignore: string[];
}

/** The result of `doctor lint`. */
export interface LintResult {
  /** Sorted by file, line, object and rule. */
  readonly findings: Finding[];
  readonly errors: number;
  readonly warnings: number;
  /** Findings dropped by `--ignore` or the doctor-ignore annotation. */
  readonly suppressed: number;
}

/** Runs every rule on every object of the set, plus the YAML errors found while reading. */
export function lintManifests(set: ManifestSet, inventory: Inventory, options: LintOptions): LintResult {
  const ignoredEverywhere = new Set(options.ignore);
  const findings: Finding[] = set.problems.filter(problem => !ignoredEverywhere.has(problem.rule));
  let suppressed = set.problems.length - findings.length;
  for (const context of clusterContexts(set, inventory)) {
    for (const manifest of context.manifests ?? []) {
      const ignored = new Set([...ignoredEverywhere, ...ignoredBy(manifest)]);
      for (const finding of ALL_RULES.flatMap(rule => rule(manifest, context))) {
        if (ignored.has(finding.rule)) {
          suppressed++;
        } else {
          findings.push(finding);
        }
      }
    }
  }
  findings.sort(compareFindings);
  return {
    findings,
    errors: findings.filter(finding => finding.severity === 'error').length,
    warnings: findings.filter(finding => finding.severity === 'warning').length,
    suppressed,
  };
}

/**
 * One context per cluster: uniqueness, replication and coverage are reasoned about within a cluster, each with its own
 * inventory; the other clusters are there for findings that cross clusters. One tree is one context with `inventory`.
 */
function clusterContexts(set: ManifestSet, inventory: Inventory): LintContext[] {
  if ((set.clusters ?? []).length === 0) {
    return [{ inventory, imageHosts: imageHostsOf(set.manifests), manifests: set.manifests }];
  }
  const groups = manifestsByCluster(set.manifests);
  const inventories = [...groups].map(([cluster, manifests]) => ({
    cluster, manifests, inventory: new Inventory(manifests, { defaultNamespace: inventory.defaultNamespace }),
  }));
  return inventories.map(({ cluster, manifests, inventory: own }) => ({
    inventory: own,
    imageHosts: imageHostsOf(manifests),
    manifests,
    cluster,
    otherClusters: inventories.filter(other => other.cluster !== cluster),
  }));
}

/** Manifests grouped by cluster, in order; manifests outside any cluster folder form the cluster "" (the root). */
export function manifestsByCluster(manifests: Manifest[]): Map<string, Manifest[]> {
  const groups = new Map<string, Manifest[]>();
  for (const manifest of manifests) {
    const cluster = manifest.cluster ?? '';
    const group = groups.get(cluster);
    if (group) {
      group.push(manifest);
    } else {
      groups.set(cluster, [manifest]);
    }
  }
  return groups;
}

function ignoredBy(manifest: Manifest): string[] {
  const value = annotationsOf(manifest.object)[IGNORE_ANNOTATION];
  return value === undefined ? [] : value.split(',').map(rule => rule.trim()).filter(rule => rule !== '');
}

function imageHostsOf(manifests: Manifest[]): Set<string> {
  const hosts = new Set<string>();
  for (const manifest of manifests) {
    const podSpec = podSpecOf(manifest.object);
    for (const { image } of podSpec ? containerImagesOf(podSpec) : []) {
      if (ImageReference.isValid(image)) {
        hosts.add(ImageReference.parse(image).domain);
      }
    }
  }
  return hosts;
}
