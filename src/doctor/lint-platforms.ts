import { ValidationError } from '../errors';
import { Finding } from './findings';
import { asArray, asRecord, asString, fieldAt, groupOf, hasField, isKind, KubeObject, labelsOf, referencedNames } from './kube-object';
import { findingAt, LintContext, ObjectRule, quotedList } from './lint-context';
import { Manifest } from './manifests';
import { configOf } from './pull-resolution';
import { releasePushTargets, uncoveredPushTargets } from './push-coverage';
import { OpenChoreoNames } from '../openchoreo/namespace-names';

const OPENCHOREO_GROUPS = ['core.choreo.dev', 'openchoreo.dev'];
const PUSH_FIELDS = ['unauthenticated', 'imagePushSecrets'];
const PULL_FIELDS = ['prefix', 'secretRef'];
/** Fields that exist only in DataPlane shapes newer than v0.3, whose registry fields were removed. */
const CURRENT_DATAPLANE_FIELDS = ['clusterAgent', 'planeID', 'observabilityPlaneRef', 'secretStoreRef'];
const ORGANIZATION_LABEL = 'core.choreo.dev/organization';
const ESO_GROUP = 'external-secrets.io';
const ESO_V1_KINDS = ['ExternalSecret', 'ClusterExternalSecret', 'SecretStore', 'ClusterSecretStore'];

/** OpenChoreo DataPlane rules (research: openchoreo.md §8). */
export const openChoreoRules: ObjectRule[] = [
  (manifest) => isDataPlane(manifest.object) ? apiVersionFindings(manifest) : [],
  (manifest) => isDataPlane(manifest.object) ? apiServerUrlFindings(manifest) : [],
  (manifest) => isDataPlane(manifest.object) ? registryShapeFindings(manifest) : [],
  (manifest) => isDataPlane(manifest.object) ? staleFieldFindings(manifest) : [],
  (manifest, context) => isDataPlane(manifest.object) ? pushSecretNamespaceFindings(manifest, context) : [],
];

/** Konflux rules (research: konflux.md pitfalls). */
export const konfluxRules: ObjectRule[] = [
  (manifest) => isKind(manifest.object, 'appstudio.redhat.com', 'ReleasePlanAdmission') ? releasePlanAdmissionFindings(manifest) : [],
  (manifest, context) => isKind(manifest.object, 'appstudio.redhat.com', 'ReleasePlanAdmission') ? releaseCoverageFindings(manifest, context) : [],
];

/** External Secrets Operator rules (research: gitops-secrets.md §1.1, pitfalls 1-2). */
export const externalSecretsRules: ObjectRule[] = [
  (manifest) => esoApiVersionFindings(manifest),
  (manifest) => engineVersionFindings(manifest),
];

// "core.choreo.dev" alone (the proposal's spelling) has no "/", so its group reads as core: match the kind and text.
function isDataPlane(object: KubeObject): boolean {
  return object.kind === 'DataPlane'
    && (OPENCHOREO_GROUPS.includes(object.apiVersion) || OPENCHOREO_GROUPS.includes(groupOf(object.apiVersion)));
}

function apiVersionFindings(manifest: Manifest): Finding[] {
  const apiVersion = manifest.object.apiVersion;
  if (!OPENCHOREO_GROUPS.includes(apiVersion)) {
    return [];
  }
  return [findingAt(manifest, 'openchoreo-apiversion', 'error',
    `apiVersion "${apiVersion}" has no version; the API server rejects it`,
    apiVersion === 'core.choreo.dev'
      ? 'write "core.choreo.dev/v1" (push registries, OpenChoreo v0.2), or "openchoreo.dev/v1alpha1" for the released pull shape (v0.3)'
      : 'write "openchoreo.dev/v1alpha1"')];
}

function apiServerUrlFindings(manifest: Manifest): Finding[] {
  return pathsOfKey(manifest.object.spec, 'apiServerUrl', 'spec').map(path => findingAt(manifest, 'openchoreo-apiserverurl', 'error',
    `${path} is spelled "apiServerUrl"; every DataPlane CRD spells it "apiServerURL", so this key is pruned and the required apiServerURL is missing`,
    `rename ${path} to ${path.replace(/apiServerUrl$/, 'apiServerURL')}`));
}

function pathsOfKey(value: unknown, key: string, path: string): string[] {
  const record = asRecord(value);
  if (record === undefined) {
    return [];
  }
  return Object.entries(record).flatMap(([field, item]) =>
    [...(field === key ? [`${path}.${field}`] : []), ...pathsOfKey(item, key, `${path}.${field}`)]);
}

function registryShapeFindings(manifest: Manifest): Finding[] {
  const registry = asRecord(fieldAt(manifest.object, 'spec', 'registry'));
  if (registry === undefined) {
    return [];
  }
  const push = PUSH_FIELDS.filter(field => registry[field] !== undefined);
  const pull = PULL_FIELDS.filter(field => registry[field] !== undefined);
  if (push.length > 0 && pull.length > 0) {
    return [findingAt(manifest, 'openchoreo-mixed-registry-shapes', 'error',
      `spec.registry mixes push fields (${push.join(', ')}) with pull fields (${pull.join(', ')}); no DataPlane CRD has both, so one side is pruned silently (and the pull CRD requires prefix)`,
      'use one shape: core.choreo.dev/v1 push registries (unauthenticated, imagePushSecrets) or the pull registry (prefix, secretRef) in its own DataPlane version')];
  }
  if (push.length > 0 && groupOf(manifest.object.apiVersion) === 'openchoreo.dev') {
    return [findingAt(manifest, 'openchoreo-mixed-registry-shapes', 'error',
      `spec.registry has push fields (${push.join(', ')}), which only core.choreo.dev/v1 DataPlanes had; openchoreo.dev/v1alpha1 prunes them`,
      'write the push registries in a core.choreo.dev/v1 DataPlane (OpenChoreo v0.2), or use the pull shape (prefix, secretRef)')];
  }
  return [];
}

function staleFieldFindings(manifest: Manifest): Finding[] {
  const spec = asRecord(manifest.object.spec) ?? {};
  if (groupOf(manifest.object.apiVersion) !== 'openchoreo.dev') {
    return [];
  }
  const current = CURRENT_DATAPLANE_FIELDS.filter(field => spec[field] !== undefined);
  const findings: Finding[] = [];
  if (spec.registry !== undefined && current.length > 0) {
    findings.push(findingAt(manifest, 'openchoreo-stale-registry-fields', 'error',
      `spec.registry is on a DataPlane of the newer shape (${current.join(', ')}); registry fields existed only in v0.3 (next to kubernetesCluster), so the API server prunes them and no controller reads them`,
      'remove spec.registry; on current OpenChoreo, pull secrets are rendered by the ComponentType templates (an ExternalSecret of type kubernetes.io/dockerconfigjson plus imagePullSecrets)'));
  }
  if (spec.imagePullSecretRefs !== undefined) {
    findings.push(findingAt(manifest, 'openchoreo-stale-registry-fields', 'warning',
      'spec.imagePullSecretRefs was read only by OpenChoreo v0.4 to v0.17; since v1.0 the DataPlane has no pull-secret field and the API server prunes it',
      'on OpenChoreo v1.x, move the pull secret into the ComponentType templates (ExternalSecret + imagePullSecrets); keep it only for v0.17 or older'));
  }
  return findings;
}

// Push secrets are mounted into build pods, so they must live in the build namespace of the DataPlane's organization:
// choreo-ci-<org> (until 2025-07-23), then openchoreo-ci-<org>.
function pushSecretNamespaceFindings(manifest: Manifest, context: LintContext): Finding[] {
  const organization = labelsOf(manifest.object)[ORGANIZATION_LABEL] ?? context.inventory.namespaceOf(manifest.object);
  const buildNamespaces = buildNamespacesOf(organization);
  if (buildNamespaces.length === 0) {
    return [];
  }
  return asArray(fieldAt(manifest.object, 'spec', 'registry', 'imagePushSecrets')).flatMap(entry => {
    const name = fieldAt(entry, 'name');
    if (typeof name !== 'string') {
      return [];
    }
    const where = [...new Set(context.inventory.producers.filter(producer => producer.name === name).map(producer => producer.namespace))];
    if (where.length === 0 || where.some(namespace => buildNamespaces.includes(namespace))) {
      return [];
    }
    return [findingAt(manifest, 'openchoreo-push-secret-namespace', 'error',
      `push secret "${name}" is in ${quotedList(where)}, but builds of organization "${organization}" mount it from the build namespace "${buildNamespaces[0]}"`,
      `create "${name}" in namespace "${buildNamespaces[0]}" (the control-plane namespace of the DataPlane is not where builds run)`)];
  });
}

function buildNamespacesOf(organization: string): string[] {
  try {
    const legacy = OpenChoreoNames.buildNamespace(organization);
    return [legacy, `open${legacy}`];
  } catch (e) {
    if (e instanceof ValidationError) {
      return [];
    }
    throw e;
  }
}

// The release-service API puts ociStorage under pipelineRef and serviceAccountName under pipeline; elsewhere they are
// pruned without an error.
function releasePlanAdmissionFindings(manifest: Manifest): Finding[] {
  const spec = manifest.object.spec;
  const misplacedStorage = [['ociStorage'], ['pipeline', 'ociStorage']].filter(path => hasField(spec, ...path));
  const misplacedAccount = [['serviceAccountName'], ['pipeline', 'pipelineRef', 'serviceAccountName']].filter(path => hasField(spec, ...path));
  return [
    ...misplacedStorage.map(path => findingAt(manifest, 'konflux-ocistorage-misplaced', 'error',
      `spec.${path.join('.')} is not a ReleasePlanAdmission field; the API server prunes it, and the release pipeline falls back to its default storage`,
      'move it to spec.pipeline.pipelineRef.ociStorage')),
    ...misplacedAccount.map(path => findingAt(manifest, 'konflux-serviceaccountname-misplaced', 'error',
      `spec.${path.join('.')} is not a ReleasePlanAdmission field; the API server prunes it, and the release pipeline runs as the default service account without the push secret`,
      'move it to spec.pipeline.serviceAccountName')),
  ];
}

/**
 * The release account's push secrets (its `secrets`, which Tekton turns into the steps' docker config) must cover
 * ociStorage and every mapped repository. Spoken only when the account and all its secrets' keys are in the manifests.
 */
function releaseCoverageFindings(manifest: Manifest, context: LintContext): Finding[] {
  const targets = releasePushTargets(manifest.object.spec);
  const namespace = context.inventory.namespaceOf(manifest.object);
  const accountName = asString(fieldAt(manifest.object, 'spec', 'pipeline', 'serviceAccountName'));
  const account = accountName ? context.inventory.serviceAccount(namespace, accountName) : undefined;
  if (targets.length === 0 || account === undefined) {
    return [];
  }
  const names = referencedNames(account.object.secrets);
  const resolved = names.map(name => {
    const source = context.inventory.secretSources(namespace, name)[0];
    return source && source.reach === 'yes' ? context.inventory.payloadOf(source) : undefined;
  });
  if (resolved.some(each => each === undefined || each.note !== undefined || !['known', 'registries'].includes(each.payload.status))) {
    return [];
  }
  const uncovered = uncoveredPushTargets(targets, resolved.map(each => configOf(each!)));
  if (uncovered.length === 0) {
    return [];
  }
  const keys = resolved.flatMap(each => each!.payload.registries);
  const held = names.length === 0
    ? `service account "${accountName}" links no secrets (Tekton reads only its "secrets")`
    : `no key of the push secrets of service account "${accountName}" (${quotedList(names)}: ${keys.length > 0 ? quotedList(keys) : 'no keys'}) matches it`;
  return uncovered.map(target => findingAt(manifest, 'konflux-push-not-covered', 'error',
    `${target.field} "${target.repository}" is pushed to by the release pipeline, but ${held}; the push fails with an authentication error`,
    `add a push secret with a key that covers "${target.repository}" (e.g. "${pushKeyFor(target.repository)}") to the account's secrets`));
}

// The repository without tag or digest: the narrowest key that covers it.
function pushKeyFor(repository: string): string {
  return repository.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
}

function esoApiVersionFindings(manifest: Manifest): Finding[] {
  const object = manifest.object;
  if (groupOf(object.apiVersion) !== ESO_GROUP || !ESO_V1_KINDS.includes(object.kind) || object.apiVersion === `${ESO_GROUP}/v1`) {
    return [];
  }
  return [findingAt(manifest, 'eso-api-version', 'error',
    `apiVersion ${object.apiVersion} is no longer served: External Secrets Operator serves ${object.kind} only as ${ESO_GROUP}/v1 since v0.17.0 (2025-05)`,
    `write apiVersion: ${ESO_GROUP}/v1 (for ESO older than v0.16 keep v1beta1 and upgrade ESO)`)];
}

function engineVersionFindings(manifest: Manifest): Finding[] {
  const object = manifest.object;
  const template = isKind(object, ESO_GROUP, 'ExternalSecret') ? fieldAt(object, 'spec', 'target', 'template')
    : isKind(object, ESO_GROUP, 'ClusterExternalSecret') ? fieldAt(object, 'spec', 'externalSecretSpec', 'target', 'template') : undefined;
  if (asRecord(template)?.engineVersion !== 'v1') {
    return [];
  }
  return [findingAt(manifest, 'eso-engine-version', 'error',
    'target.template.engineVersion is "v1"; the external-secrets.io/v1 API allows only "v2" (the default), so the API server rejects the object',
    'remove engineVersion (v2 is the default) and write the template in the v2 syntax ({{ .key }})')];
}
