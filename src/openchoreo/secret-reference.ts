import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { applyArgoCd, ArgoCdOptions, ArgoCdSyncOption } from '../argocd';
import { DOCKER_CONFIG_JSON_TYPE } from '../constants';
import { RegistryAuthType, RegistryCredentials } from '../credentials/registry-credentials';
import { SecretValueSource, describeSource } from '../credentials/secret-value';
import { goDuration, SecretDelivery } from '../delivery/secret-delivery';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkProps as checkPropTypes } from '../props-check';
import { enumMember, OpenChoreoSecretReference, secretReference } from '../typed-objects';

/** The OpenChoreo releases whose `SecretReference` (and `DataPlane`) APIs differ. */
export enum OpenChoreoReleaseLine {
  /**
   * v0.4 to v0.17 (Nov 2025 to Mar 2026): `DataPlane.spec.imagePullSecretRefs` names SecretReferences; the
   * SecretReference has no `targetPlane`.
   */
  V0_17 = 'v0.4-v0.17',
  /** v1.0 and later: no pull field on the DataPlane; SecretReference has `targetPlane`. */
  V1 = 'v1.x',
}

/** The kind of plane a SecretReference's value was pushed to (`spec.targetPlane.kind`). */
export enum SecretReferencePlaneKind {
  /** A namespaced `WorkflowPlane` (builds). */
  WORKFLOW_PLANE = 'WorkflowPlane',
  /** A `ClusterWorkflowPlane`. */
  CLUSTER_WORKFLOW_PLANE = 'ClusterWorkflowPlane',
  /** A namespaced `DataPlane` (workloads). */
  DATA_PLANE = 'DataPlane',
  /** A `ClusterDataPlane`. */
  CLUSTER_DATA_PLANE = 'ClusterDataPlane',
}

/** The plane whose secret store holds the value (`spec.targetPlane`, OpenChoreo v1.x only). */
export interface SecretReferenceTargetPlane {
  /** The plane's kind. */
  readonly kind: SecretReferencePlaneKind;
  /** The plane's name. */
  readonly name: string;
}

/** Properties of a `SecretReference`. */
export interface SecretReferenceProps {
  /** Which OpenChoreo release line the control plane runs: it decides which fields exist. */
  readonly release: OpenChoreoReleaseLine;

  /** The SecretReference's name, listed in `DataPlane.spec.imagePullSecretRefs` (v0.4 to v0.17). */
  readonly name: string;

  /**
   * The namespace: the one of the DataPlane that names it (the organization's namespace).
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * The registry credentials: a whole Docker config JSON in the plane's secret store,
   * `RegistryCredentials.dockerConfigJson(SecretValue.fromExternalSecret(key, { property }), { registry })`.
   * A SecretReference has no template: OpenChoreo copies each store value into one Secret key, so the store must
   * hold the complete `.dockerconfigjson`, with `auth` in every entry (the kubelet ignores entries without it).
   */
  readonly credentials: RegistryCredentials;

  /**
   * How often External Secrets re-reads the store (`spec.refreshInterval`). Written even at the default, so that
   * Argo CD sees no difference to the API server's defaulted object.
   *
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;

  /**
   * The plane whose secret store holds the value. OpenChoreo v1.x only.
   *
   * @default - unset: the value may live in any store the plane can reach
   */
  readonly targetPlane?: SecretReferenceTargetPlane;

  /**
   * Argo CD sync settings. `SkipDryRunOnMissingResource=true` is always set (the CRD comes with OpenChoreo).
   *
   * @default - sync wave -1 (before the DataPlane that names it)
   */
  readonly argoCd?: ArgoCdOptions;
}


/**
 * An OpenChoreo `SecretReference` for registry credentials: type `kubernetes.io/dockerconfigjson`, its
 * `.dockerconfigjson` read whole from the plane's External Secrets store. From v0.4 to v0.17 a DataPlane lists it in
 * `spec.imagePullSecretRefs`; in v1.x it carries `targetPlane` for plane-level secrets.
 *
 * @see https://openchoreo.dev/docs/reference/api/platform/secretreference/
 * @see https://github.com/openchoreo/openchoreo/blob/main/config/crd/bases/openchoreo.dev_secretreferences.yaml
 */
export class SecretReference extends Construct {
  /** The release line written for. */
  public readonly release: OpenChoreoReleaseLine;
  /** The SecretReference's name. */
  public readonly name: string;
  /** Its namespace. */
  public readonly namespace: string;
  /** The registry the credentials are for (the `auths` key the store's config must hold). */
  public readonly registry: string;
  /** The `SecretReference` object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, rawProps: SecretReferenceProps) {
    super(scope, id);
    const props = checkPropTypes(this, rawProps, 'SecretReferenceProps');
    checkProps(this, props);
    this.release = props.release;
    this.name = props.name;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? missingNamespace(this);
    KubernetesNames.validateDns1123Label(this.namespace, 'namespace', this);
    this.registry = props.credentials.registry;
    this.apiObject = new OpenChoreoSecretReference(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        template: { type: enumMember(secretReference.SecretReferenceSpecTemplateType, DOCKER_CONFIG_JSON_TYPE) },
        data: storeData(this, props.credentials),
        refreshInterval: goDuration(props.refreshInterval ?? Duration.hours(1)),
        targetPlane: targetPlaneSpec(this, props),
      },
    });
    applyArgoCd(this.apiObject, props.argoCd, -1, [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE]);
  }
}

function missingNamespace(scope: IConstruct): never {
  throw new ValidationError({
    scope,
    property: 'namespace',
    problem: 'is missing: neither the props nor the chart name the namespace of the DataPlane that uses it',
    fix: 'pass namespace: "<organization namespace>", or create the chart with { namespace }',
  });
}

function checkProps(scope: IConstruct, props: SecretReferenceProps): void {
  if (props === null || typeof props !== 'object') {
    throw new ValidationError({ scope, property: 'props', problem: 'must be an object', fix: 'pass { release, name, credentials }' });
  }
  const releases: string[] = Object.values(OpenChoreoReleaseLine);
  if (!releases.includes(props.release)) {
    throw new ValidationError({
      scope,
      property: 'release',
      value: props.release === undefined ? undefined : String(props.release),
      problem: 'must name the OpenChoreo release line the control plane runs; the SecretReference fields differ between them',
      fix: 'pass release: OpenChoreoReleaseLine.V0_17 (v0.4 to v0.17) or OpenChoreoReleaseLine.V1 (v1.x)',
    });
  }
  if (typeof props.name !== 'string') {
    throw new ValidationError({ scope, property: 'name', problem: `must be a string, got ${typeof props.name}`, fix: 'pass the SecretReference name, e.g. "ghcr-pull"' });
  }
  KubernetesNames.validateDns1123Subdomain(props.name, 'name', scope);
  if (props.refreshInterval !== undefined && !(props.refreshInterval instanceof Duration && props.refreshInterval.toSeconds() >= 1)) {
    throw new ValidationError({
      scope,
      property: 'refreshInterval',
      problem: 'must be a cdk8s Duration of at least one second',
      fix: 'pass e.g. Duration.hours(1)',
    });
  }
}

/**
 * The `spec.data` of the credentials, rendered by the ExternalSecret delivery itself (so the remote references are
 * written exactly as a `RegistrySecret` would write them), after refusing what a SecretReference cannot carry.
 */
function storeData(scope: IConstruct, credentials: RegistryCredentials): secretReference.SecretReferenceSpecData[] {
  if (!(credentials instanceof RegistryCredentials)) {
    throw new ValidationError({
      scope,
      property: 'credentials',
      problem: 'must be a RegistryCredentials value',
      fix: 'pass RegistryCredentials.dockerConfigJson(SecretValue.fromExternalSecret("<store key>"), { registry: "<host>" })',
    });
  }
  const wholeConfigFix = `store the complete Docker config JSON (with "auth" in each entry) under one key and pass RegistryCredentials.dockerConfigJson(SecretValue.fromExternalSecret("<store key>", { property: "<property>" }), { registry: "${credentials.registry}" })`;
  if (credentials._parts.generator !== undefined) {
    throw new ValidationError({
      scope,
      property: 'credentials',
      value: credentials.registry,
      problem: 'uses a token generator; a SecretReference can only name values in a secret store',
      fix: 'use a RegistrySecret with SecretDelivery.externalSecret() for generated tokens, or ' + wholeConfigFix,
    });
  }
  if (!credentials.requiresSecret) {
    throw new ValidationError({
      scope,
      property: 'credentials',
      value: credentials.registry,
      problem: `is ${credentials.authType}: it needs no Secret, so there is nothing for a SecretReference to fetch`,
      fix: 'leave this registry out of imagePullSecretRefs',
    });
  }
  const nonExternal = credentials.valueSources.find(source => source !== SecretValueSource.EXTERNAL);
  if (nonExternal !== undefined) {
    throw new ValidationError({
      scope,
      property: 'credentials',
      value: `${credentials.registry} (${nonExternal} value)`,
      problem: `holds ${describeSource(nonExternal)}; a SecretReference only points at values in the plane's External Secrets store, it cannot carry the value itself`,
      fix: wholeConfigFix,
    });
  }
  if (credentials.authType !== RegistryAuthType.DOCKER_CONFIG) {
    throw new ValidationError({
      scope,
      property: 'credentials',
      value: credentials.registry,
      problem: `is ${credentials.authType} credentials, but a SecretReference has no template: OpenChoreo copies each store value into one Secret key, so a password alone cannot become a .dockerconfigjson`,
      fix: wholeConfigFix,
    });
  }
  const rendered = SecretDelivery.externalSecret({ store: { name: 'plane-store' } })._render({
    scope,
    name: 'secret-reference',
    credentials: [credentials],
    secretLabels: {},
    secretAnnotations: {},
  });
  return rendered.main.manifest().spec.data;
}

function targetPlaneSpec(scope: IConstruct, props: SecretReferenceProps): secretReference.SecretReferenceSpecTargetPlane | undefined {
  const target = props.targetPlane;
  if (target === undefined) {
    return undefined;
  }
  if (props.release === OpenChoreoReleaseLine.V0_17) {
    throw new ValidationError({
      scope,
      property: 'targetPlane',
      value: target?.name,
      problem: 'is a field of the SecretReference CRD of OpenChoreo v1.x; the v0.4 to v0.17 CRD has no spec.targetPlane and the API server would prune it',
      fix: 'remove targetPlane, or pass release: OpenChoreoReleaseLine.V1 if the control plane runs v1.x',
    });
  }
  const kinds: string[] = Object.values(SecretReferencePlaneKind);
  if (target === null || typeof target !== 'object' || !kinds.includes(target.kind)) {
    throw new ValidationError({
      scope,
      property: 'targetPlane.kind',
      value: target === null || typeof target !== 'object' ? undefined : String(target.kind),
      problem: `must be one of ${kinds.join(', ')} (the CRD enum)`,
      fix: 'use SecretReferencePlaneKind.DATA_PLANE for pull secrets, WORKFLOW_PLANE for push secrets',
    });
  }
  if (typeof target.name !== 'string') {
    throw new ValidationError({ scope, property: 'targetPlane.name', problem: 'must be a string', fix: 'pass the plane\'s metadata.name' });
  }
  KubernetesNames.validateDns1123Subdomain(target.name, 'targetPlane.name', scope);
  return { kind: enumMember(secretReference.SecretReferenceSpecTargetPlaneKind, target.kind), name: target.name };
}
