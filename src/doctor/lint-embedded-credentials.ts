import { Finding } from './findings';
import { asRecord, fieldAt, groupOf, isKind, KubeObject } from './kube-object';
import { findingAt, ObjectRule, quotedList } from './lint-context';
import { Manifest } from './manifests';
import { DOCKER_CFG_KEY, DOCKER_CONFIG_JSON_KEY, templateHoldsLiteralCredentials } from './payload';

/**
 * Plain-text credentials outside a Secret's data (issue 13 item 1): they are in Git in clear just the same.
 * - an OpenChoreo DataPlane's `spec.kubernetesCluster.credentials` (the client key of the data-plane cluster);
 * - literal credentials in the template of a SealedSecret (`spec.template.data`) or an ExternalSecret
 *   (`spec.target.template.data`, also inside a ClusterExternalSecret): the controllers copy template text verbatim,
 *   so only `{{ … }}` references to the encrypted or fetched values keep credentials out of Git.
 */
export const embeddedCredentialRules: ObjectRule[] = [
  (manifest) => manifest.forGit && isDataPlane(manifest.object) ? dataPlaneFindings(manifest) : [],
  (manifest) => manifest.forGit ? templateFindings(manifest) : [],
];

const OPENCHOREO_GROUPS = ['core.choreo.dev', 'openchoreo.dev'];
/** Fields of `kubernetesCluster.credentials` that authenticate (apiServerURL, caCert and clientCert are public). */
const CLUSTER_SECRET_FIELDS = ['clientKey', 'token', 'password'];
/** Template data keys whose literal value is a credential. */
const CREDENTIAL_KEY = /(password|passwd|token|secret|auth|credential|private[-_.]?key|\.key$|^key$|apikey|api[-_]key)/i;

function isDataPlane(object: KubeObject): boolean {
  return object.kind === 'DataPlane' && (OPENCHOREO_GROUPS.includes(object.apiVersion) || OPENCHOREO_GROUPS.includes(groupOf(object.apiVersion)));
}

function dataPlaneFindings(manifest: Manifest): Finding[] {
  const credentials = asRecord(fieldAt(manifest.object, 'spec', 'kubernetesCluster', 'credentials'));
  const present = CLUSTER_SECRET_FIELDS.filter(field => typeof credentials?.[field] === 'string' && credentials[field] !== '');
  if (present.length === 0) {
    return [];
  }
  const fields = present.map(field => `spec.kubernetesCluster.credentials.${field}`);
  return [findingAt(manifest, 'plaintext-credentials', 'error',
    `${quotedList(fields)} ${present.length > 1 ? 'hold' : 'holds'} the data-plane cluster's credentials in plain text (base64 is an encoding, not encryption), in a file meant for Git; whoever reads the repository can act on that cluster`,
    'keep this DataPlane out of Git (apply it from a pipeline that reads the key from a secret store), or keep the file out of Git (.gitignore); OpenChoreo reads these credentials only inline')];
}

function templateFindings(manifest: Manifest): Finding[] {
  const object = manifest.object;
  const located = templateDataOf(object);
  if (located === undefined) {
    return [];
  }
  const literal = Object.entries(located.data).filter(([key, value]) => typeof value === 'string' && holdsLiteralCredential(key, value)).map(([key]) => key);
  if (literal.length === 0) {
    return [];
  }
  return [findingAt(manifest, 'plaintext-credentials', 'error',
    `${located.path} ${quotedList(literal)} ${literal.length > 1 ? 'write' : 'writes'} credentials literally; the controller copies template text as it is, so they are in Git in clear`,
    `replace the literal values with references to the ${object.kind === 'SealedSecret' ? 'encrypted data, e.g. {{ index . "password" }}' : 'fetched data, e.g. {{ .password }}'} and move the credentials into ${object.kind === 'SealedSecret' ? 'spec.encryptedData (kubeseal)' : 'the secret store'}`)];
}

function templateDataOf(object: KubeObject): { path: string; data: { [key: string]: unknown } } | undefined {
  const at = (path: string[]) => {
    const data = asRecord(fieldAt(object, ...path));
    return data === undefined ? undefined : { path: `${path.join('.')}:`, data };
  };
  if (isKind(object, 'bitnami.com', 'SealedSecret')) {
    return at(['spec', 'template', 'data']);
  }
  if (isKind(object, 'external-secrets.io', 'ExternalSecret')) {
    return at(['spec', 'target', 'template', 'data']);
  }
  if (isKind(object, 'external-secrets.io', 'ClusterExternalSecret')) {
    return at(['spec', 'externalSecretSpec', 'target', 'template', 'data']);
  }
  return undefined;
}

function holdsLiteralCredential(key: string, value: string): boolean {
  if (key === DOCKER_CONFIG_JSON_KEY || key === DOCKER_CFG_KEY) {
    return templateHoldsLiteralCredentials(value);
  }
  return CREDENTIAL_KEY.test(key) && value.trim() !== '' && !value.includes('{{');
}
