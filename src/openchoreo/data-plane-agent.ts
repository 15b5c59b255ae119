// The DataPlane shapes of OpenChoreo v0.9 and later (cluster agent, External Secrets): rendering and strict checks.
// Kept apart from data-plane.ts, which holds the 2025 shapes with registry settings.
import { IConstruct } from 'constructs';
import { OpenChoreoNames } from './namespace-names';
import { OpenChoreoReleaseLine, SecretReference } from './secret-reference';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkArgs } from '../props-check';

/**
 * The CA that verifies the cluster agent's client certificate (`spec.clusterAgent.clientCA`): a key of a Secret, or
 * the PEM text inline. The Secret reference is written `secretRef` for v0.17 and `secretKeyRef` for v1.x (renamed in
 * v1.0).
 */
export abstract class DataPlaneClientCa {
  /**
   * The CA certificate in a key of a Secret of the control plane.
   *
   * @param name the Secret's name
   * @param key the key holding the PEM certificate
   * @param namespace the Secret's namespace; by default the DataPlane's
   */
  public static fromSecret(name: string, key: string, namespace?: string): DataPlaneClientCa {
    checkArgs('DataPlaneClientCa.fromSecret', [name, key, namespace]);
    return new SecretClientCa(name, key, namespace);
  }

  /**
   * The CA certificate inline, as PEM text (`-----BEGIN CERTIFICATE-----` ...). A CA certificate is public.
   *
   * @param pem the PEM text
   */
  public static fromPem(pem: string): DataPlaneClientCa {
    checkArgs('DataPlaneClientCa.fromPem', [pem]);
    return new InlineClientCa(pem);
  }

  /** @internal */
  public abstract _render(scope: IConstruct, secretField: string): { [key: string]: any };
}

class SecretClientCa extends DataPlaneClientCa {
  constructor(private readonly name: string, private readonly key: string, private readonly namespace?: string) {
    super();
  }

  public _render(scope: IConstruct, secretField: string): { [key: string]: any } {
    const property = 'clusterAgent.clientCa';
    requireString(scope, this.name, `${property}.name`);
    requireString(scope, this.key, `${property}.key`);
    KubernetesNames.validateDns1123Subdomain(this.name, `${property}.name`, scope);
    if (!/^[-._a-zA-Z0-9]+$/.test(this.key)) {
      throw new ValidationError({ scope, property: `${property}.key`, value: this.key, problem: 'is not a Secret data key', fix: 'use letters, digits, "-", "_" and ".", e.g. "ca.crt"' });
    }
    if (this.namespace !== undefined) {
      requireString(scope, this.namespace, `${property}.namespace`);
      KubernetesNames.validateDns1123Label(this.namespace, `${property}.namespace`, scope);
    }
    return { [secretField]: { name: this.name, namespace: this.namespace, key: this.key } };
  }
}

class InlineClientCa extends DataPlaneClientCa {
  constructor(private readonly pem: string) {
    super();
  }

  public _render(scope: IConstruct): { [key: string]: any } {
    requireString(scope, this.pem, 'clusterAgent.clientCa');
    if (!this.pem.trimStart().startsWith('-----BEGIN CERTIFICATE-----')) {
      throw new ValidationError({
        scope,
        property: 'clusterAgent.clientCa',
        problem: 'is not PEM text of a certificate (it must start with -----BEGIN CERTIFICATE-----)',
        fix: 'pass the CA file\'s content, e.g. DataPlaneClientCa.fromPem(fs.readFileSync("ca.crt", "utf8")), or use DataPlaneClientCa.fromSecret',
      });
    }
    return { value: this.pem };
  }
}

/** The cluster agent settings (`spec.clusterAgent`) of OpenChoreo v0.9 and later. */
export interface DataPlaneClusterAgent {
  /** The CA that verifies the agent's client certificate. */
  readonly clientCa: DataPlaneClientCa;
}

/** The props of the agent shapes, as `DataPlane` receives them (internal). */
export interface AgentDataPlaneInput {
  readonly clusterAgent?: DataPlaneClusterAgent;
  readonly planeId?: string;
  readonly secretStore?: string;
  readonly imagePullSecretRefs?: SecretReference[];
}

/** An ExternalSecret OpenChoreo's binding controllers create for an image pull SecretReference. */
export interface ImagePullSecretPreview {
  /** The `dp-…` namespace it is created in. */
  readonly namespace: string;
  /** The ExternalSecret's (and the Secret's) name: `GenerateK8sName(<binding>, <SecretReference>)`. */
  readonly name: string;
  /** The SecretReference it is rendered from. */
  readonly secretReference: string;
}

/** The releases, for messages. */
export const V0_17_RELEASES = 'OpenChoreo v0.9 to v0.17 (DataPlaneApi.V1ALPHA1_V0_17)';
export const V1_RELEASES = 'OpenChoreo v1.x (DataPlaneApi.V1ALPHA1_V1)';

/** Renders `spec` of the agent shapes; `withPullRefs` is true for the v0.17 shape. */
export function renderAgentSpec(scope: IConstruct, input: AgentDataPlaneInput, withPullRefs: boolean): { [key: string]: any } {
  if (input.clusterAgent === undefined || input.clusterAgent === null || !(input.clusterAgent.clientCa instanceof DataPlaneClientCa)) {
    throw new ValidationError({
      scope,
      property: 'clusterAgent.clientCa',
      problem: `is required: every DataPlane of ${withPullRefs ? V0_17_RELEASES : V1_RELEASES} connects through the cluster agent`,
      fix: 'pass clusterAgent: { clientCa: DataPlaneClientCa.fromSecret("<secret>", "ca.crt") }',
    });
  }
  const clientCA = input.clusterAgent.clientCa._render(scope, withPullRefs ? 'secretRef' : 'secretKeyRef');
  if (input.planeId !== undefined) {
    requireString(scope, input.planeId, 'planeId');
    KubernetesNames.validateDns1123Label(input.planeId, 'planeId', scope);
  }
  if (input.secretStore !== undefined) {
    requireString(scope, input.secretStore, 'secretStore');
    KubernetesNames.validateDns1123Subdomain(input.secretStore, 'secretStore', scope);
  }
  return {
    planeID: input.planeId,
    clusterAgent: { clientCA },
    secretStoreRef: input.secretStore === undefined ? undefined : { name: input.secretStore },
    imagePullSecretRefs: withPullRefs ? pullRefNames(scope, input) : undefined,
  };
}

function pullRefNames(scope: IConstruct, input: AgentDataPlaneInput): string[] | undefined {
  const refs = input.imagePullSecretRefs ?? [];
  if (!Array.isArray(refs)) {
    throw new ValidationError({ scope, property: 'imagePullSecretRefs', problem: 'must be a list of SecretReference constructs', fix: 'pass [new SecretReference(...)]' });
  }
  if (refs.length > 0 && input.secretStore === undefined) {
    throw new ValidationError({
      scope,
      property: 'secretStore',
      problem: 'is missing: OpenChoreo renders no ExternalSecret for imagePullSecretRefs without spec.secretStoreRef, so no pull secret would exist',
      fix: 'pass secretStore: "<ClusterSecretStore in the data plane>" (e.g. "default")',
    });
  }
  const seen = new Set<string>();
  return refs.length === 0 ? undefined : refs.map((ref, index) => {
    const property = `imagePullSecretRefs[${index}]`;
    if (!(ref instanceof SecretReference)) {
      throw new ValidationError({ scope, property, problem: 'must be a SecretReference construct', fix: 'pass new SecretReference(scope, id, { release: OpenChoreoReleaseLine.V0_17, ... })' });
    }
    if (ref.release !== OpenChoreoReleaseLine.V0_17) {
      throw new ValidationError({
        scope,
        property: `${property}.release`,
        value: ref.name,
        problem: `is a SecretReference for ${ref.release}, but this DataPlane is for ${V0_17_RELEASES}`,
        fix: 'create the SecretReference with release: OpenChoreoReleaseLine.V0_17',
      });
    }
    if (seen.has(ref.name)) {
      throw new ValidationError({ scope, property, value: ref.name, problem: 'is listed twice', fix: 'list each SecretReference once' });
    }
    seen.add(ref.name);
    return ref.name;
  });
}

/** The ExternalSecrets the binding controllers of v0.4 to v0.7 create for a binding, one per SecretReference. */
export function previewImagePullSecrets(
  organization: string, project: string, environment: string, binding: string, refs: string[]): ImagePullSecretPreview[] {
  for (const [property, value] of Object.entries({ project, environment, binding })) {
    if (typeof value !== 'string') {
      throw new ValidationError({ property, problem: `must be a string, got ${value === null ? 'null' : typeof value}`, fix: `pass the ${property} name` });
    }
  }
  KubernetesNames.validateDns1123Subdomain(binding, 'binding');
  const namespace = OpenChoreoNames.dataPlaneNamespace(organization, project, environment);
  return refs.map(ref => ({
    namespace,
    name: OpenChoreoNames.generate(OpenChoreoNames.DEFAULT_NAME_LIMIT, [binding, ref]),
    secretReference: ref,
  }));
}

function requireString(scope: IConstruct, value: unknown, property: string): void {
  if (typeof value !== 'string') {
    throw new ValidationError({ scope, property, problem: `must be a string, got ${value === null ? 'null' : typeof value}`, fix: `pass ${property} as a string` });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Strict field check at synth (escape hatches included): the spec fields of the v0.17.0 and latest CRDs, and the
// release that has a field the chosen one lacks.

interface Rule {
  readonly type: 'string' | 'object' | 'array' | 'opaque';
  readonly required?: boolean;
  readonly fields?: { [name: string]: Rule };
  readonly items?: Rule;
  readonly pattern?: RegExp;
  readonly maxLength?: number;
  readonly enum?: string[];
}

const str = (required = false, more: Partial<Rule> = {}): Rule => ({ type: 'string', required, ...more });
const DNS_LABEL = { pattern: /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, maxLength: 63 };
const obj = (fields: { [name: string]: Rule }, required = false): Rule => ({ type: 'object', required, fields });
/** Fields the construct never writes but a user may add with an escape hatch; their schema is the CRD's concern. */
const opaque: Rule = { type: 'opaque' };

function specRule(withPullRefs: boolean): Rule {
  const secretField = withPullRefs ? 'secretRef' : 'secretKeyRef';
  return obj({
    planeID: str(false, DNS_LABEL),
    clusterAgent: obj({
      clientCA: obj({ [secretField]: obj({ name: str(true), namespace: str(), key: str(true) }), value: str() }, true),
    }, true),
    gateway: obj({ ingress: opaque, egress: opaque }),
    secretStoreRef: obj({ name: str(true) }),
    observabilityPlaneRef: obj({ kind: str(true, { enum: ['ObservabilityPlane', 'ClusterObservabilityPlane'] }), name: str(true, DNS_LABEL) }),
    ...(withPullRefs ? { imagePullSecretRefs: { type: 'array', items: str(true) } as Rule } : {}),
  }, true);
}

/** Where a field the chosen release lacks exists, by path. */
const ELSEWHERE: { [path: string]: { readonly v017: string; readonly v1: string } } = {
  'spec.imagePullSecretRefs': {
    v017: '',
    v1: `exists only in ${V0_17_RELEASES} (imagePullSecretRefs, since v0.4); it was removed in v1.0.0-rc.1: use ComponentTypePullSecret for pull secrets on v1.x`,
  },
  'spec.clusterAgent.clientCA.secretKeyRef': {
    v017: `is the ${V1_RELEASES} spelling; v0.9 to v0.17 call it secretRef`,
    v1: '',
  },
  'spec.clusterAgent.clientCA.secretRef': {
    v017: '',
    v1: `is the ${V0_17_RELEASES} spelling; v1.0 renamed it secretKeyRef`,
  },
  'spec.kubernetesCluster': {
    v017: 'was removed in v0.9 (replaced by clusterAgent); it exists in DataPlaneApi.V1ALPHA1_PULL (v0.3) and DataPlaneApi.CORE_V1_PUSH (v0.2)',
    v1: 'was removed in v0.9 (replaced by clusterAgent); it exists in DataPlaneApi.V1ALPHA1_PULL (v0.3) and DataPlaneApi.CORE_V1_PUSH (v0.2)',
  },
  'spec.registry': {
    v017: 'was removed in v0.4; it exists in DataPlaneApi.V1ALPHA1_PULL (v0.3) and DataPlaneApi.CORE_V1_PUSH (v0.2)',
    v1: 'was removed in v0.4; it exists in DataPlaneApi.V1ALPHA1_PULL (v0.3) and DataPlaneApi.CORE_V1_PUSH (v0.2)',
  },
};

/** Throws when `spec` has a field, type or missing required field the chosen CRD would not accept. */
export function checkAgentSpec(scope: IConstruct, spec: unknown, withPullRefs: boolean, apiId: string): void {
  walk(scope, spec, specRule(withPullRefs), 'spec', withPullRefs, apiId);
}

function checkString(scope: IConstruct, value: string, rule: Rule, path: string, apiId: string): void {
  const problem = rule.enum && !rule.enum.includes(value) ? `must be one of ${rule.enum.join(', ')}`
    : rule.maxLength !== undefined && value.length > rule.maxLength ? `must have at most ${rule.maxLength} characters`
      : rule.pattern && !rule.pattern.test(value) ? `must match ${rule.pattern.source}` : undefined;
  if (problem !== undefined) {
    throw new ValidationError({
      scope,
      property: path,
      value,
      problem: `${problem} in the DataPlane CRD of DataPlaneApi.${apiId}`,
      fix: 'set it through the construct props rather than an escape hatch',
    });
  }
}

function walk(scope: IConstruct, value: unknown, rule: Rule, path: string, withPullRefs: boolean, apiId: string): void {
  if (rule.type === 'opaque') {
    return;
  }
  const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (actual !== rule.type) {
    throw new ValidationError({
      scope,
      property: path,
      problem: `must be ${rule.type === 'array' ? 'an array' : `a ${rule.type}`} in the DataPlane CRD of DataPlaneApi.${apiId}`,
      fix: 'set it through the construct props rather than an escape hatch',
    });
  }
  if (rule.type === 'array') {
    (value as unknown[]).forEach((item, i) => walk(scope, item, rule.items!, `${path}[${i}]`, withPullRefs, apiId));
    return;
  }
  if (rule.type === 'string') {
    checkString(scope, value as string, rule, path, apiId);
    return;
  }
  const fields = rule.fields!;
  const object = value as { [key: string]: unknown };
  for (const key of Object.keys(object)) {
    if (!(key in fields)) {
      const fieldPath = `${path}.${key}`;
      const elsewhere = ELSEWHERE[fieldPath]?.[withPullRefs ? 'v017' : 'v1'];
      throw new ValidationError({
        scope,
        property: fieldPath,
        problem: `is not a field of the DataPlane CRD of DataPlaneApi.${apiId}; the API server would prune it silently${elsewhere ? `. It ${elsewhere}` : ''}`,
        fix: elsewhere ? 'choose the DataPlaneApi of the release the cluster runs, or remove the field' : 'remove it',
      });
    }
  }
  for (const [key, child] of Object.entries(fields)) {
    if (object[key] === undefined) {
      if (child.required) {
        throw new ValidationError({
          scope,
          property: `${path}.${key}`,
          problem: `is required by the DataPlane CRD of DataPlaneApi.${apiId} but missing`,
          fix: 'do not remove it with an escape hatch; set it through the construct props',
        });
      }
    } else {
      walk(scope, object[key], child, `${path}.${key}`, withPullRefs, apiId);
    }
  }
}
