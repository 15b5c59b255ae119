import { ObjectRef } from './kube-object';

/** How serious a finding is: errors fail `doctor lint`; warnings fail it only with `--strict`. */
export type Severity = 'error' | 'warning';

/** One problem in the manifests. Never holds secret material: messages name keys, fields and objects only. */
export interface Finding {
  /** The rule that found it, e.g. `plaintext-credentials` (see `RULES`). */
  readonly rule: string;
  readonly severity: Severity;
  /** The file, relative to the working directory, with `/` separators. */
  readonly file: string;
  /** The 1-based line where the object (or the YAML error) starts. */
  readonly line: number;
  /** The object concerned; absent for problems of the file itself. */
  readonly object?: ObjectRef;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** What a rule checks, for `doctor rules` and the documentation. */
export interface RuleInfo {
  readonly id: string;
  /** `error`, `warning`, or `error|warning` when the finding decides. */
  readonly severity: string;
  readonly summary: string;
}

/** Every rule `doctor lint` runs, grouped by topic. Rule ids are stable: CI configurations name them. */
export const RULES: RuleInfo[] = [
  { id: 'input-limit', severity: 'error', summary: 'A file or document over a safety limit (file size, document count, YAML alias expansion, nesting depth) was not read; the rest of the tree was.' },
  { id: 'input-skipped', severity: 'error|warning', summary: 'A file that cannot be read (error), or a symbolic link out of the tree that was not followed (warning).' },
  { id: 'yaml-invalid', severity: 'error', summary: 'A YAML document does not parse (kubectl and Argo CD reject it); unrendered Helm templates are skipped instead.' },
  { id: 'plaintext-credentials', severity: 'error', summary: 'Credentials in plain text in a file meant for Git (not ignored by git): a Secret\'s data/stringData, a DataPlane\'s kubernetesCluster.credentials, or literal values in a SealedSecret or ExternalSecret template.' },
  { id: 'dockerconfigjson-invalid', severity: 'error', summary: 'A .dockerconfigjson/.dockercfg payload is not base64, not JSON, or not a docker config the kubelet can use.' },
  { id: 'dockerconfigjson-missing-auth', severity: 'warning', summary: 'An auths entry has username/password but no "auth"; the kubelet copes, Argo CD Image Updater and some tools do not.' },
  { id: 'dockerconfigjson-credential-helper', severity: 'warning', summary: 'credsStore/credHelpers in a pull secret: the kubelet never runs credential helpers.' },
  { id: 'dockerconfigjson-ignored-token', severity: 'warning', summary: 'identitytoken/registrytoken in a pull secret: the kubelet reads only username, password and auth.' },
  { id: 'dockerconfigjson-key-unmatched', severity: 'warning', summary: 'An auths key the kubelet does not match as intended (scheme, :443, uppercase host, Docker Hub aliases, /v1 paths, globs or tags in paths).' },
  { id: 'secret-type-key-mismatch', severity: 'error', summary: 'Wrong Secret type/key pair: Opaque with .dockerconfigjson, or kubernetes.io/dockerconfigjson without the .dockerconfigjson key (e.g. config.json).' },
  { id: 'image-invalid-reference', severity: 'error', summary: 'A container image is not a valid reference (the kubelet reports InvalidImageName).' },
  { id: 'image-not-covered', severity: 'error|warning', summary: 'A workload attaches pull secrets with known payloads and none covers an image: error when a key names the same registry (near miss), warning for private-by-construction registries.' },
  { id: 'pull-secret-unusable', severity: 'error', summary: 'A pod or service account lists a pull secret of a type the kubelet ignores (only kubernetes.io/dockerconfigjson and kubernetes.io/dockercfg count).' },
  { id: 'pull-secret-other-namespace', severity: 'error', summary: 'A pod presents a pull secret that exists only in another namespace (or another cluster); pods read pull secrets from their own namespace only.' },
  { id: 'replicator-pattern', severity: 'error|warning', summary: 'A mittwald replicate-to pattern that is a glob, invalid RE2, space-separated, split at a comma, or escapes its anchors.' },
  { id: 'reflector-pattern', severity: 'error|warning', summary: 'An emberstack reflector namespace pattern that is a glob, invalid, space-separated or split at a comma.' },
  { id: 'replication-selector-invalid', severity: 'error', summary: 'A replication label selector (replicate-to-matching, reflector selectors, ClusterExternalSecret selectors) does not parse.' },
  { id: 'replication-reaches-system-namespace', severity: 'warning', summary: 'A replication rule copies the credential into kube-system, kube-public, kube-node-lease or default.' },
  { id: 'replicator-annotation-misplaced', severity: 'warning', summary: 'Replication annotations where the replicator never reads them (on a Namespace, on an unsupported kind, or on an ExternalSecret whose target template drops them).' },
  { id: 'replica-target-type', severity: 'error', summary: 'A replicate-from/reflects target Secret whose type differs from its source (the copy keeps the target\'s type).' },
  { id: 'openchoreo-apiversion', severity: 'error', summary: 'A DataPlane with apiVersion "core.choreo.dev" (no version), as in the 0246 proposal.' },
  { id: 'openchoreo-apiserverurl', severity: 'error', summary: 'A DataPlane with apiServerUrl; every CRD spells it apiServerURL.' },
  { id: 'openchoreo-mixed-registry-shapes', severity: 'error', summary: 'A DataPlane registry mixing push fields (unauthenticated, imagePushSecrets) and pull fields (prefix, secretRef), or push fields on openchoreo.dev/v1alpha1.' },
  { id: 'openchoreo-stale-registry-fields', severity: 'error|warning', summary: 'Registry or pull-secret fields on an openchoreo.dev/v1alpha1 DataPlane shape that no longer has them (pruned silently).' },
  { id: 'openchoreo-push-secret-namespace', severity: 'error', summary: 'A DataPlane push secret that exists only outside the build namespace choreo-ci-<organization>.' },
  { id: 'konflux-ocistorage-misplaced', severity: 'error', summary: 'ReleasePlanAdmission ociStorage at spec or spec.pipeline instead of spec.pipeline.pipelineRef (pruned silently).' },
  { id: 'konflux-serviceaccountname-misplaced', severity: 'error', summary: 'ReleasePlanAdmission serviceAccountName at spec instead of spec.pipeline (pruned silently).' },
  { id: 'konflux-push-not-covered', severity: 'error', summary: 'A ReleasePlanAdmission pushes to ociStorage or a mapped repository that no push secret of its release service account covers (kubelet key matching).' },
  { id: 'konflux-operator-account-pull-secrets', severity: 'warning', summary: 'imagePullSecrets declared on an operator-owned build-pipeline-* service account (an atomic list the controllers also write).' },
  { id: 'konflux-push-secret-as-pull-secret', severity: 'error', summary: 'A push secret linked through imagePullSecrets but not secrets; Tekton reads only secrets.' },
  { id: 'eso-api-version', severity: 'error', summary: 'external-secrets.io/v1beta1, which External Secrets Operator stopped serving in v0.17.0.' },
  { id: 'eso-engine-version', severity: 'error', summary: 'target.template.engineVersion v1, which the external-secrets.io/v1 API rejects.' },
];

const RULE_IDS = new Set(RULES.map(rule => rule.id));

export function isRuleId(id: string): boolean {
  return RULE_IDS.has(id);
}

const SEVERITY_ORDER: { [severity: string]: number } = { error: 0, warning: 1 };

/** File, line, object, rule, then message: the order of the report, the same for the same input. */
export function compareFindings(a: Finding, b: Finding): number {
  return compareText(a.file, b.file)
    || a.line - b.line
    || compareText(a.object?.kind ?? '', b.object?.kind ?? '')
    || compareText(a.object?.name ?? '', b.object?.name ?? '')
    || compareText(a.rule, b.rule)
    || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]
    || compareText(a.message, b.message);
}

/** Plain UTF-16 code unit order, independent of the locale. */
export function compareText(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}
