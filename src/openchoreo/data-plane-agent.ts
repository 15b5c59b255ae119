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
  public abstract _render(scope: IConstruct, secretField: 'secretRef' | 'secretKeyRef'): ClientCaSpec;
}

class SecretClientCa extends DataPlaneClientCa {
  constructor(private readonly name: string, private readonly key: string, private readonly namespace?: string) {
    super();
  }

  public _render(scope: IConstruct, secretField: 'secretRef' | 'secretKeyRef'): ClientCaSpec {
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
    const secretKey = { name: this.name, namespace: this.namespace, key: this.key };
    return secretField === 'secretRef' ? { secretRef: secretKey } : { secretKeyRef: secretKey };
  }
}

class InlineClientCa extends DataPlaneClientCa {
  constructor(private readonly pem: string) {
    super();
  }

  public _render(scope: IConstruct): ClientCaSpec {
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
/** The `spec` of the agent shapes, with the fields of both (v0.17 has `imagePullSecretRefs` and `clientCA.secretRef`). */
export interface AgentSpec {
  readonly planeId?: string;
  readonly clusterAgent: { readonly clientCa: ClientCaSpec };
  readonly secretStoreRef?: { readonly name: string };
  readonly imagePullSecretRefs?: string[];
}

/** `spec.clusterAgent.clientCA`: a Secret key (`secretRef` up to v0.17, `secretKeyRef` from v1.0) or the PEM itself. */
export interface ClientCaSpec {
  readonly secretRef?: SecretKeySpec;
  readonly secretKeyRef?: SecretKeySpec;
  readonly value?: string;
}

/** A key of a Secret. */
export interface SecretKeySpec {
  readonly name: string;
  readonly namespace?: string;
  readonly key: string;
}

export function renderAgentSpec(scope: IConstruct, input: AgentDataPlaneInput, withPullRefs: boolean): AgentSpec {
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
    planeId: input.planeId,
    clusterAgent: { clientCa: clientCA },
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
