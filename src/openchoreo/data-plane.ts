import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import {
  AgentDataPlaneInput, DataPlaneClusterAgent, ImagePullSecretPreview, previewImagePullSecrets,
  renderAgentSpec, V0_17_RELEASES, V1_RELEASES,
} from './data-plane-agent';
import { checkDataPlaneSpec } from './data-plane-fields';
import { pullSecretReachMessages } from './data-plane-reach';
import { OpenChoreoNames } from './namespace-names';
import { RegistryPrefix } from './registry-prefix';
import { SecretReference } from './secret-reference';
import { applyArgoCd, ARGOCD_SYNC_WAVE, ArgoCdOptions, ArgoCdSyncOption } from '../argocd';
import { SecretValue, SecretValueSource, describeSource } from '../credentials/secret-value';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkProps } from '../props-check';
import { IRegistrySecret, RegistryPurpose, RegistrySecret } from '../registry-secret';
import { addValidationOncePerSynth } from '../synth-pass';
import { DataPlanePullProposal, DataPlaneV017, DataPlaneV02Push, DataPlaneV03Pull, DataPlaneV1, dataPlaneV02, dataPlaneV03 } from '../typed-objects';
import { refuseCredentialShape, refusePrivateKeyMaterial } from '../values/credential-shape';

/** Which registry settings a DataPlane API version has. */
export enum DataPlaneRegistryShape {
  /** `spec.registry.unauthenticated[]` and `spec.registry.imagePushSecrets[{name, prefix}]`: where builds push. */
  PUSH = 'push',
  /** `spec.registry{prefix, secretRef}`: the one registry workloads pull from. */
  PULL = 'pull',
  /**
   * `spec.imagePullSecretRefs[]` (names of SecretReferences) with `spec.secretStoreRef` (v0.4 to v0.17); the cluster
   * agent connects the plane.
   */
  SECRET_REFERENCES = 'secret-references',
  /** No registry setting (v1.x): pull secrets are rendered by ComponentType templates. */
  NONE = 'none',
}

/**
 * The OpenChoreo `DataPlane` API a construct writes: group, version and the registry shape of one release or
 * proposal. Only these shapes carry registry settings; later releases moved them elsewhere (v0.4 `imagePullSecretRefs`,
 * v1.x ComponentType templates).
 *
 * @see https://github.com/openchoreo/openchoreo/blob/v0.2.0/config/crd/bases/core.choreo.dev_dataplanes.yaml
 * @see https://github.com/openchoreo/openchoreo/blob/v0.3.0/config/crd/bases/openchoreo.dev_dataplanes.yaml
 */
export class DataPlaneApi {
  /**
   * `core.choreo.dev/v1` as released in OpenChoreo v0.2.0 (2025-06): push registries, `spec.registry.unauthenticated`
   * and `spec.registry.imagePushSecrets`.
   *
   * @see https://github.com/openchoreo/openchoreo/pull/213
   */
  public static readonly CORE_V1_PUSH = new DataPlaneApi('CORE_V1_PUSH', 'core.choreo.dev', 'v1', DataPlaneRegistryShape.PUSH);

  /**
   * `core.choreo.dev/v1` as proposal 0246 and PR #249 write it (never merged in this group): one pull registry,
   * `spec.registry{prefix, secretRef}`.
   *
   * @see https://github.com/openchoreo/openchoreo/pull/249
   * @see https://github.com/openchoreo/openchoreo/pull/252
   */
  public static readonly CORE_V1_PULL_PROPOSAL = new DataPlaneApi('CORE_V1_PULL_PROPOSAL', 'core.choreo.dev', 'v1', DataPlaneRegistryShape.PULL);

  /**
   * `openchoreo.dev/v1alpha1` as released in OpenChoreo v0.3.0–v0.3.2 (2025-07): the proposal's pull registry,
   * `spec.registry{prefix, secretRef}`.
   *
   * @see https://github.com/openchoreo/openchoreo/pull/357
   */
  public static readonly V1ALPHA1_PULL = new DataPlaneApi('V1ALPHA1_PULL', 'openchoreo.dev', 'v1alpha1', DataPlaneRegistryShape.PULL);

  /**
   * `openchoreo.dev/v1alpha1` as released in OpenChoreo v0.9 to v0.17 (validated against the v0.17.0 CRD):
   * `clusterAgent.clientCA` (`secretRef`), `secretStoreRef`, `imagePullSecretRefs` naming SecretReferences, `planeID`.
   * Only the binding controllers of v0.4 to v0.7 rendered ExternalSecrets from `imagePullSecretRefs`; v0.8 to v0.17
   * keep the field but no controller reads it (use `ComponentTypePullSecret` there, `${dataplane.secretStore}` exists).
   *
   * @see https://github.com/openchoreo/openchoreo/blob/v0.17.0/config/crd/bases/openchoreo.dev_dataplanes.yaml
   */
  public static readonly V1ALPHA1_V0_17 = new DataPlaneApi('V1ALPHA1_V0_17', 'openchoreo.dev', 'v1alpha1', DataPlaneRegistryShape.SECRET_REFERENCES);

  /**
   * `openchoreo.dev/v1alpha1` as released in OpenChoreo v1.x: `clusterAgent.clientCA` (`secretKeyRef`),
   * `secretStoreRef`, `planeID`, and no registry field. Pull secrets come from ComponentType templates
   * (`ComponentTypePullSecret`).
   *
   * @see https://github.com/openchoreo/openchoreo/blob/main/config/crd/bases/openchoreo.dev_dataplanes.yaml
   */
  public static readonly V1ALPHA1_V1 = new DataPlaneApi('V1ALPHA1_V1', 'openchoreo.dev', 'v1alpha1', DataPlaneRegistryShape.NONE);

  private constructor(
    /** The member name, e.g. `CORE_V1_PUSH`, as error messages name it. */
    public readonly id: string,
    /** The API group, e.g. `core.choreo.dev`. */
    public readonly group: string,
    /** The API version, e.g. `v1`. */
    public readonly version: string,
    /** Which registry settings this API has. */
    public readonly registryShape: DataPlaneRegistryShape) {
  }

  /** `group/version`, e.g. `core.choreo.dev/v1`. */
  public get apiVersion(): string {
    return `${this.group}/${this.version}`;
  }

  /** The label OpenChoreo's controllers find a DataPlane by its name with, e.g. `core.choreo.dev/name`. */
  public get nameLabel(): string {
    return `${this.group}/name`;
  }

  /** The label OpenChoreo's controllers find a DataPlane by its organization with, e.g. `core.choreo.dev/organization`. */
  public get organizationLabel(): string {
    return `${this.group}/organization`;
  }
}

/**
 * How OpenChoreo's control plane reaches the data-plane cluster (`spec.kubernetesCluster.credentials`): the
 * kubeconfig `*-data` values, base64 PEM.
 */
export interface DataPlaneClusterCredentials {
  /** The API server URL, written as `apiServerURL` (the spelling every DataPlane CRD has), e.g. `https://10.0.0.1:6443`. */
  readonly apiServerUrl: string;
  /** The cluster CA certificate, base64 PEM (kubeconfig `certificate-authority-data`). */
  readonly caCert: string;
  /** The client certificate, base64 PEM (kubeconfig `client-certificate-data`). */
  readonly clientCert: string;
  /**
   * The client key, base64 PEM (kubeconfig `client-key-data`). The CRD holds the key itself and has no secret
   * reference, so only `SecretValue.unsafePlainText` works and the key is in the synthesized DataPlane.
   */
  readonly clientKey: SecretValue;
}

/** The data-plane cluster (`spec.kubernetesCluster`). */
export interface DataPlaneKubernetesCluster {
  /** The cluster's name. */
  readonly name: string;
  /** How the control plane authenticates to it. */
  readonly credentials: DataPlaneClusterCredentials;
}

/** The gateway hosts of the data plane (`spec.gateway`); the CRDs require both. */
export interface DataPlaneGateway {
  /** The public virtual host, e.g. `choreoapis.localhost`. */
  readonly publicVirtualHost: string;
  /** The organization-internal virtual host, e.g. `choreoapis.internal`. */
  readonly organizationVirtualHost: string;
}

/** A private registry prefix and the push secret for it (`spec.registry.imagePushSecrets[]`). */
export interface ImagePushSecret {
  /** The registry prefix images are pushed under, e.g. `docker.io/acme`. */
  readonly prefix: string;
  /**
   * The `kubernetes.io/dockerconfigjson` Secret in the build namespace `choreo-ci-<organization>` whose `auths` key
   * covers the prefix's registry host. Its name is written to the DataPlane and doubles as the build pod's volume name.
   */
  readonly secret: IRegistrySecret;
}

/** Where builds push images (`DataPlaneApi.CORE_V1_PUSH` only). */
export interface DataPlanePushRegistries {
  /**
   * Prefixes pushed to without credentials, e.g. `DataPlane.BUILT_IN_REGISTRY`.
   *
   * @default - none
   */
  readonly unauthenticated?: string[];

  /**
   * Prefixes pushed to with credentials, each with its secret.
   *
   * @default - none
   */
  readonly imagePushSecrets?: ImagePushSecret[];
}

/** The registry workloads pull from (`DataPlaneApi.CORE_V1_PULL_PROPOSAL`, `DataPlaneApi.V1ALPHA1_PULL`). */
export interface DataPlanePullRegistry {
  /** The registry prefix images are pulled from, e.g. `docker.io/acme`. */
  readonly prefix: string;

  /**
   * The pull secret, written as `secretRef`: usually a `ReplicatedPullSecret` in `choreo-system` of the data-plane
   * cluster, so that every `dp-*` namespace has a copy. Its `auths` key must cover the prefix's registry host.
   *
   * @default - no `secretRef`: the registry is pulled from anonymously
   */
  readonly secret?: IRegistrySecret;

  /**
   * Labels the data-plane namespaces carry (OpenChoreo sets none that are documented; a platform may add its own),
   * so that a `ReplicatedPullSecret` that selects namespaces by label can be checked to reach them.
   *
   * @default - none: only name-based selections can reach the data-plane namespaces
   */
  readonly dataPlaneNamespaceLabels?: { [key: string]: string };
}

/** Properties of a `DataPlane`. */
export interface DataPlaneProps {
  /** The API shape to write: which OpenChoreo release (or proposal) the cluster runs. */
  readonly api: DataPlaneApi;

  /**
   * The DataPlane's name, also written as the `<group>/name` label that `Environment.spec.dataPlaneRef` is matched
   * against, so it is a DNS-1123 label.
   */
  readonly name: string;

  /**
   * The organization. The DataPlane is placed in the organization's namespace (named like the organization) and
   * labelled `<group>/organization`; push secrets live in `choreo-ci-<organization>`.
   */
  readonly organization: string;

  /**
   * The data-plane cluster and the control plane's credentials for it. Required by the 2025 APIs
   * (`CORE_V1_PUSH`, `CORE_V1_PULL_PROPOSAL`, `V1ALPHA1_PULL`); removed in v0.9.
   *
   * @default - none (only valid for `V1ALPHA1_V0_17` and `V1ALPHA1_V1`)
   */
  readonly kubernetesCluster?: DataPlaneKubernetesCluster;

  /**
   * The gateway hosts. Required by the 2025 APIs; the v0.9+ gateway (ingress/egress) is not written by this construct.
   *
   * @default - none (only valid for `V1ALPHA1_V0_17` and `V1ALPHA1_V1`)
   */
  readonly gateway?: DataPlaneGateway;

  /**
   * The cluster agent (`spec.clusterAgent`). Required by `V1ALPHA1_V0_17` and `V1ALPHA1_V1` (v0.9 and later).
   *
   * @default - none (only valid for the 2025 APIs)
   */
  readonly clusterAgent?: DataPlaneClusterAgent;

  /**
   * `spec.planeID`: the logical plane the agent connects to (`V1ALPHA1_V0_17`, `V1ALPHA1_V1`).
   *
   * @default - unset: OpenChoreo uses the DataPlane's name
   */
  readonly planeId?: string;

  /**
   * The External Secrets ClusterSecretStore of the data plane (`spec.secretStoreRef.name`; `V1ALPHA1_V0_17`,
   * `V1ALPHA1_V1`). ComponentType templates read it as `${dataplane.secretStore}`.
   *
   * @default - unset: no ExternalSecret can be rendered in the data plane
   */
  readonly secretStore?: string;

  /**
   * SecretReferences written to `spec.imagePullSecretRefs` (`V1ALPHA1_V0_17` only; removed in v1.0).
   *
   * @default - none
   */
  readonly imagePullSecretRefs?: SecretReference[];

  /**
   * Where builds push images. Only `DataPlaneApi.CORE_V1_PUSH` has these settings.
   *
   * @default - no push registries (`spec.registry` is still written, empty, as the CRD requires it)
   */
  readonly pushRegistries?: DataPlanePushRegistries;

  /**
   * The registry workloads pull from. Required by `DataPlaneApi.CORE_V1_PULL_PROPOSAL` and `DataPlaneApi.V1ALPHA1_PULL`,
   * unknown to `DataPlaneApi.CORE_V1_PUSH`.
   *
   * @default - none (only valid for `DataPlaneApi.CORE_V1_PUSH`)
   */
  readonly pullRegistry?: DataPlanePullRegistry;

  /**
   * Extra labels. The lookup labels (`<group>/name`, `<group>/organization`) are always written and cannot be
   * overridden.
   *
   * @default - only the lookup labels
   */
  readonly labels?: { [key: string]: string };

  /**
   * Argo CD sync settings. `SkipDryRunOnMissingResource=true` is always set (the CRD comes with OpenChoreo).
   *
   * @default - the wave after the latest wave of the RegistrySecrets it names, and at least 0
   */
  readonly argoCd?: ArgoCdOptions;
}

/**
 * An OpenChoreo `DataPlane` custom resource in the exact shape of one OpenChoreo API (see `DataPlaneApi`), with the
 * labels its controllers look it up by, placed in the organization's namespace, and linked to the registry secrets it
 * names so that names, namespaces and registry hosts cannot drift apart.
 *
 * @see https://github.com/openchoreo/openchoreo/blob/4498788f9/docs/configure-registries.md
 * @see https://github.com/openchoreo/openchoreo/pull/252
 */
export class DataPlane extends Construct {
  /**
   * The built-in registry of OpenChoreo's 2025 data-plane chart (Service `registry` in `choreo-system`, port 5000).
   * Builds push to it without TLS verification (only this exact string gets `--tls-verify=false`); the kubelet cannot
   * resolve it, so nodes pulled it as `localhost:30003`.
   */
  public static readonly BUILT_IN_REGISTRY = 'registry.choreo-system:5000';

  /** The API shape written. */
  public readonly api: DataPlaneApi;
  /** The DataPlane's name. */
  public readonly name: string;
  /** The organization. */
  public readonly organization: string;
  /** The namespace of the DataPlane: the organization's namespace. */
  public readonly namespace: string;
  /** The `DataPlane` object. */
  public readonly apiObject: ApiObject;

  private readonly pushSecretPrefixes: Map<string, string>;
  private readonly imagePullSecretRefNames: string[];

  constructor(scope: Construct, id: string, rawProps: DataPlaneProps) {
    super(scope, id);
    const props = checkProps(this, rawProps, 'DataPlaneProps');
    this.api = props.api;
    this.name = props.name;
    this.organization = props.organization;
    KubernetesNames.validateDns1123Label(this.name, 'name', this);
    KubernetesNames.validateDns1123Label(this.organization, 'organization', this);
    this.namespace = this.organization;
    checkShape(this, props);
    if (isAgentShape(this.api)) {
      this.pushSecretPrefixes = new Map();
      const spec = renderAgentSpec(this, props as AgentDataPlaneInput, this.api === DataPlaneApi.V1ALPHA1_V0_17);
      this.imagePullSecretRefNames = spec.imagePullSecretRefs ?? [];
      const metadata = { name: this.name, namespace: this.namespace, labels: this.extraLabels(props.labels ?? {}) };
      this.apiObject = this.api === DataPlaneApi.V1ALPHA1_V0_17
        ? new DataPlaneV017(this, 'Resource', { metadata, spec })
        : new DataPlaneV1(this, 'Resource', { metadata, spec });
      applyArgoCd(this.apiObject, props.argoCd, this.syncWave(props), [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE]);
      if (this.imagePullSecretRefNames.length > 0) {
        // The release was chosen explicitly, so the doctor's "imagePullSecretRefs is dead on v1.x" warning is answered.
        this.apiObject.metadata.addAnnotation(DOCTOR_IGNORE_ANNOTATION, STALE_REGISTRY_FIELDS_RULE);
      }
      addValidationOncePerSynth(this, () => this.validateSynthesized());
      registerDataPlane(this);
      return;
    }
    this.imagePullSecretRefNames = [];

    const pushRegistry = this.api.registryShape === DataPlaneRegistryShape.PUSH ? this.pushRegistry(props.pushRegistries ?? {}) : undefined;
    const pullRegistry = pushRegistry === undefined ? this.pullRegistrySpec(props.pullRegistry!) : undefined;
    this.pushSecretPrefixes = new Map((pushRegistry?.imagePushSecrets ?? []).map(entry => [entry.name, entry.prefix]));
    const metadata = { name: this.name, namespace: this.namespace, labels: this.labels(props.labels ?? {}) };
    const kubernetesCluster = clusterSpec(this, props.kubernetesCluster!);
    const gateway = gatewaySpec(this, props.gateway!);
    if (pushRegistry !== undefined) {
      this.apiObject = new DataPlaneV02Push(this, 'Resource', { metadata, spec: { registry: pushRegistry, kubernetesCluster, gateway } });
    } else {
      const PullDataPlane = this.api === DataPlaneApi.V1ALPHA1_PULL ? DataPlaneV03Pull : DataPlanePullProposal;
      this.apiObject = new PullDataPlane(this, 'Resource', { metadata, spec: { registry: pullRegistry!, kubernetesCluster, gateway } });
    }
    applyArgoCd(this.apiObject, props.argoCd, this.syncWave(props), [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE]);
    addValidationOncePerSynth(this, () => this.validateSynthesized());
    addValidationOncePerSynth(this, () => this.pullSecretReach(props.pullRegistry));
    registerDataPlane(this);
  }

  /**
   * The data-plane namespace OpenChoreo creates for a project's environment of this organization, e.g. to preview
   * which namespaces a `ReplicatedPullSecret` reaches.
   *
   * @param project the project name
   * @param environment the environment name
   */
  public workloadNamespace(project: string, environment: string): string {
    return OpenChoreoNames.dataPlaneNamespace(this.organization, project, environment);
  }

  /**
   * The ExternalSecrets (and pull Secrets) OpenChoreo's binding controllers create for one binding from
   * `imagePullSecretRefs`: one per SecretReference, named `GenerateK8sName(<binding>, <SecretReference>)`, in the
   * binding's `dp-…` namespace. The controllers of v0.4 to v0.7 did this; later releases keep the field unused.
   *
   * @param project the project name
   * @param environment the environment name
   * @param binding the ServiceBinding, WebApplicationBinding or ScheduledTaskBinding name (the first one is named after
   *   the Service, WebApplication or ScheduledTask)
   */
  public imagePullSecretPreview(project: string, environment: string, binding: string): ImagePullSecretPreview[] {
    if (this.api !== DataPlaneApi.V1ALPHA1_V0_17) {
      throw new ValidationError({
        scope: this,
        property: 'api',
        value: `DataPlaneApi.${this.api.id}`,
        problem: `has no imagePullSecretRefs; only ${V0_17_RELEASES} has them`,
        fix: 'use DataPlaneApi.V1ALPHA1_V0_17 with imagePullSecretRefs, or ComponentTypePullSecret on v1.x',
      });
    }
    return previewImagePullSecrets(this.organization, project, environment, binding, this.imagePullSecretRefNames);
  }

  /** Labels of the v0.9+ shapes: their controllers look DataPlanes up by name, so no lookup labels are written. */
  private extraLabels(extra: { [key: string]: string }): { [key: string]: string } | undefined {
    for (const [key, value] of Object.entries(extra)) {
      KubernetesNames.validateQualifiedName(key, 'labels', this);
      KubernetesNames.validateLabelValue(value, `labels["${key}"]`, this);
    }
    return Object.keys(extra).length > 0 ? extra : undefined;
  }

  private labels(extra: { [key: string]: string }): { [key: string]: string } {
    const lookup = { [this.api.nameLabel]: this.name, [this.api.organizationLabel]: this.organization };
    for (const [key, value] of Object.entries(extra)) {
      if (key in lookup) {
        throw new ValidationError({
          scope: this,
          property: `labels["${key}"]`,
          value,
          problem: 'is a lookup label the construct writes from name and organization',
          fix: 'remove it from labels; set name or organization instead',
        });
      }
      KubernetesNames.validateQualifiedName(key, 'labels', this);
      KubernetesNames.validateLabelValue(value, `labels["${key}"]`, this);
    }
    return { ...extra, ...lookup };
  }

  private pushRegistry(push: DataPlanePushRegistries): dataPlaneV02.DataPlaneSpecRegistry {
    const seenPrefixes = new Map<string, string>();
    const unauthenticated = (push.unauthenticated ?? []).map((prefix, index) => {
      const property = `pushRegistries.unauthenticated[${index}]`;
      rememberPrefix(this, seenPrefixes, RegistryPrefix.parse(prefix, property, this).prefix, property);
      return prefix;
    });
    const buildNamespace = this.buildNamespace();
    const secretNames = new Map<string, string>();
    const imagePushSecrets = (push.imagePushSecrets ?? []).map((entry, index) => {
      const property = `pushRegistries.imagePushSecrets[${index}]`;
      const prefix = RegistryPrefix.parse(entry.prefix, `${property}.prefix`, this);
      rememberPrefix(this, seenPrefixes, prefix.prefix, `${property}.prefix`);
      requireSecret(this, entry, `${property}.secret`);
      checkPushSecret(this, entry.secret, `${property}.secret`, buildNamespace);
      checkCovers(this, entry.secret, prefix, `${property}.secret`);
      rememberSecretName(this, secretNames, entry.secret.name, `${property}.secret`);
      return { name: entry.secret.name, prefix: prefix.prefix };
    });
    return {
      unauthenticated: unauthenticated.length > 0 ? unauthenticated : undefined,
      imagePushSecrets: imagePushSecrets.length > 0 ? imagePushSecrets : undefined,
    };
  }

  /** Push-era builds ran in `choreo-ci-<organization>`, so the organization must leave room for that name. */
  private buildNamespace(): string {
    try {
      return OpenChoreoNames.buildNamespace(this.organization);
    } catch (e) {
      if (e instanceof ValidationError) {
        throw new ValidationError({ scope: this, property: 'organization', value: this.organization, problem: e.problem, fix: e.fix });
      }
      throw e;
    }
  }

  private pullRegistrySpec(pull: DataPlanePullRegistry): dataPlaneV03.DataPlaneSpecRegistry {
    const prefix = RegistryPrefix.parse(pull.prefix, 'pullRegistry.prefix', this);
    if (pull.secret) {
      checkPurpose(this, pull.secret, 'pullRegistry.secret', [RegistryPurpose.PULL, RegistryPurpose.PULL_AND_PUSH]);
      checkCovers(this, pull.secret, prefix, 'pullRegistry.secret');
    }
    return { prefix: prefix.prefix, secretRef: pull.secret?.name };
  }

  private syncWave(props: DataPlaneProps): number {
    const secrets = [
      ...(props.pushRegistries?.imagePushSecrets ?? []).map(entry => entry.secret),
      ...(props.pullRegistry?.secret ? [props.pullRegistry.secret] : []),
    ];
    const refWaves = (props.imagePullSecretRefs ?? []).map(ref => ref?.apiObject?.metadata.toJson().annotations?.[ARGOCD_SYNC_WAVE])
      .filter((wave): wave is string => wave !== undefined).map(Number);
    const secretWaves = [...secrets.map(syncWaveOf), ...refWaves].filter((wave): wave is number => wave !== undefined);
    const latestSecretWave = Math.max(-1, ...secretWaves);
    const wave = props.argoCd?.syncWave;
    if (wave !== undefined && !props.argoCd?.disabled && wave <= latestSecretWave) {
      throw new ValidationError({
        scope: this,
        property: 'argoCd.syncWave',
        value: String(wave),
        problem: `is not after the sync wave ${latestSecretWave} of a registry secret it names, so Argo CD could apply the DataPlane before its secret exists`,
        fix: `use ${latestSecretWave + 1} or more, or leave it unset`,
      });
    }
    return latestSecretWave + 1;
  }

  /** The pull secret must reach the `dp-…` namespaces where the DataPlane's workloads run. */
  private pullSecretReach(pull: DataPlanePullRegistry | undefined): string[] {
    return pull?.secret
      ? pullSecretReachMessages(this.organization, pull.secret, pull.dataPlaneNamespaceLabels ?? {}, 'pullRegistry.secret')
      : [];
  }

  /** Runs at synth: escape hatches (`apiObject.addJsonPatch`) must still produce what the target's CRD accepts. */
  // Validations return their messages (cdk8s reports all of them together) instead of stopping at the first.
  private validateSynthesized(): string[] {
    const json = this.apiObject.toJson();
    return [
      ...this.messagesOf(() => checkDataPlaneSpec(this, this.api.id, json.spec)),
      ...(isAgentShape(this.api) ? [] : this.pushSecretNameConflicts()),
    ];
  }

  /** The ValidationError `check` throws, as a validation message (cdk8s prefixes this construct's path itself). */
  private messagesOf(check: () => void): string[] {
    try {
      check();
      return [];
    } catch (err) {
      if (!(err instanceof ValidationError)) {
        throw err;
      }
      const prefix = `[${this.node.path}] `;
      return [err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message];
    }
  }

  /**
   * The build controller merges the push registries of every DataPlane of a pipeline into one map keyed by secret name,
   * so one secret name with two prefixes loses one of them.
   */
  private pushSecretNameConflicts(): string[] {
    const others = dataPlanesOf(this.node.root, this.organization).filter(other => other !== this);
    const messages: string[] = [];
    for (const other of others) {
      for (const [name, prefix] of this.pushSecretPrefixes) {
        const otherPrefix = other.pushSecretPrefixes.get(name);
        if (otherPrefix !== undefined && otherPrefix !== prefix) {
          messages.push(new ValidationError({
            property: 'pushRegistries.imagePushSecrets',
            value: name,
            problem: `the secret is also used by DataPlane ${other.node.path} for prefix "${otherPrefix}" instead of "${prefix}"; the build controller keys the merged registries of all DataPlanes by secret name, so one prefix is lost`,
            fix: 'give each prefix its own RegistrySecret (a distinct name) in choreo-ci-<organization>',
          }).message);
        }
      }
    }
    return messages;
  }
}

/** `cdk8s-registries doctor`'s per-object suppression annotation and the rule about registry fields of other releases. */
const DOCTOR_IGNORE_ANNOTATION = 'cdk8s-registries/doctor-ignore';
const STALE_REGISTRY_FIELDS_RULE = 'openchoreo-stale-registry-fields';

// The DataPlanes of each app by organization, registered at construction. Searching the whole tree instead
// (node.findAll) costs every DataPlane a walk over all constructs, and cdk8s validates the app once per chart, so
// a platform with a chart per organization took time cubic in its size.
const DATA_PLANES = new WeakMap<IConstruct, Map<string, DataPlane[]>>();

function registerDataPlane(dataPlane: DataPlane): void {
  const root = dataPlane.node.root;
  const byOrganization = DATA_PLANES.get(root) ?? new Map<string, DataPlane[]>();
  DATA_PLANES.set(root, byOrganization);
  const sameOrganization = byOrganization.get(dataPlane.organization) ?? [];
  sameOrganization.push(dataPlane);
  byOrganization.set(dataPlane.organization, sameOrganization);
}

function dataPlanesOf(root: IConstruct, organization: string): DataPlane[] {
  return DATA_PLANES.get(root)?.get(organization) ?? [];
}

/** `spec.registry` of either shape, as written. */

function isAgentShape(api: DataPlaneApi): boolean {
  return api.registryShape === DataPlaneRegistryShape.SECRET_REFERENCES || api.registryShape === DataPlaneRegistryShape.NONE;
}

/** Settings of one release line given for another: refused with the release that has them. */
function checkReleaseFields(scope: IConstruct, props: DataPlaneProps): void {
  const api = props.api;
  const release = api === DataPlaneApi.V1ALPHA1_V0_17 ? V0_17_RELEASES : api === DataPlaneApi.V1ALPHA1_V1 ? V1_RELEASES : `DataPlaneApi.${api.id} (2025)`;
  const wrong = (property: string, has: string, fix: string): never => {
    throw new ValidationError({
      scope,
      property,
      problem: `is not a setting of the DataPlane of ${release}; it ${has}, and the API server would prune it`,
      fix,
    });
  };
  if (isAgentShape(api)) {
    if (props.kubernetesCluster !== undefined) {
      wrong('kubernetesCluster', 'exists up to v0.8 (DataPlaneApi.V1ALPHA1_PULL, CORE_V1_PUSH) and was replaced by clusterAgent in v0.9', 'pass clusterAgent: { clientCa } instead');
    }
    if (props.gateway !== undefined) {
      wrong('gateway', 'has the 2025 shape {publicVirtualHost, organizationVirtualHost} (DataPlaneApi.V1ALPHA1_PULL, CORE_V1_PUSH); v0.9+ gateways are ingress/egress listeners', 'remove gateway (it is optional from v0.9; add the ingress/egress gateway with apiObject.addJsonPatch if needed)');
    }
    if (props.pushRegistries !== undefined || props.pullRegistry !== undefined) {
      wrong(props.pushRegistries !== undefined ? 'pushRegistries' : 'pullRegistry',
        'belongs to spec.registry of v0.2/v0.3 (DataPlaneApi.CORE_V1_PUSH, V1ALPHA1_PULL), removed in v0.4',
        api === DataPlaneApi.V1ALPHA1_V0_17 ? 'list SecretReferences in imagePullSecretRefs and set secretStore' : 'add the pull secret to your ComponentTypes with ComponentTypePullSecret');
    }
    if (api === DataPlaneApi.V1ALPHA1_V1 && props.imagePullSecretRefs !== undefined) {
      wrong('imagePullSecretRefs', `exists only in ${V0_17_RELEASES} and was removed in v1.0.0-rc.1`,
        'add the pull secret to your ComponentTypes with ComponentTypePullSecret, or use DataPlaneApi.V1ALPHA1_V0_17 if the cluster runs v0.17');
    }
    return;
  }
  const agentOnly = (['clusterAgent', 'planeId', 'secretStore', 'imagePullSecretRefs'] as const).find(key => props[key] !== undefined);
  if (agentOnly !== undefined) {
    wrong(agentOnly, agentOnly === 'imagePullSecretRefs' ? `exists in ${V0_17_RELEASES}` : `exists from v0.9 (${V0_17_RELEASES}, ${V1_RELEASES})`,
      'choose the DataPlaneApi of the release the cluster runs');
  }
  for (const key of ['kubernetesCluster', 'gateway'] as const) {
    if (props[key] === undefined || props[key] === null) {
      throw new ValidationError({
        scope,
        property: key,
        problem: `is required by the DataPlane CRD of DataPlaneApi.${api.id}`,
        fix: `pass ${key}, or choose DataPlaneApi.V1ALPHA1_V0_17 / V1ALPHA1_V1 if the cluster runs v0.9 or later`,
      });
    }
  }
}

function checkShape(scope: IConstruct, props: DataPlaneProps): void {
  const api = props.api;
  checkReleaseFields(scope, props);
  if (isAgentShape(api)) {
    return;
  }
  if (api.registryShape === DataPlaneRegistryShape.PUSH && props.pullRegistry !== undefined) {
    throw new ValidationError({
      scope,
      property: 'pullRegistry',
      value: props.pullRegistry.prefix,
      problem: `is a setting of the pull-registry DataPlane APIs; ${api.apiVersion} as released in v0.2 (DataPlaneApi.${api.id}) has no spec.registry.prefix/secretRef and the API server would prune them`,
      fix: 'use api: DataPlaneApi.V1ALPHA1_PULL (released in v0.3) or DataPlaneApi.CORE_V1_PULL_PROPOSAL, or move the registry to pushRegistries',
    });
  }
  if (api.registryShape === DataPlaneRegistryShape.PULL && props.pushRegistries !== undefined) {
    throw new ValidationError({
      scope,
      property: 'pushRegistries',
      problem: `is a setting of DataPlaneApi.CORE_V1_PUSH (core.choreo.dev/v1, OpenChoreo v0.2); DataPlaneApi.${api.id} has no spec.registry.unauthenticated/imagePushSecrets and the API server would prune them`,
      fix: 'use api: DataPlaneApi.CORE_V1_PUSH for push registries, or set pullRegistry for this API',
    });
  }
  if (api.registryShape === DataPlaneRegistryShape.PULL && props.pullRegistry === undefined) {
    throw new ValidationError({
      scope,
      property: 'pullRegistry',
      problem: `is required: DataPlaneApi.${api.id} requires spec.registry.prefix`,
      fix: 'set pullRegistry: { prefix: "docker.io/<org>", secret }, or pullRegistry: { prefix: DataPlane.BUILT_IN_REGISTRY } for the built-in registry',
    });
  }
}

function rememberPrefix(scope: IConstruct, seen: Map<string, string>, prefix: string, property: string): void {
  const first = seen.get(prefix);
  if (first !== undefined) {
    throw new ValidationError({
      scope,
      property,
      value: prefix,
      problem: `repeats the prefix of ${first}; every listed prefix gets its own push`,
      fix: 'list each prefix once, either as unauthenticated or with its push secret',
    });
  }
  seen.set(prefix, property);
}

function rememberSecretName(scope: IConstruct, seen: Map<string, string>, name: string, property: string): void {
  const first = seen.get(name);
  if (first !== undefined) {
    throw new ValidationError({
      scope,
      property,
      value: name,
      problem: `is the same secret as ${first}; the build controller keys push secrets by name, so only one of the two prefixes would be pushed to`,
      fix: 'create one RegistrySecret per prefix',
    });
  }
  seen.set(name, property);
}

/** jsii callers and plain JavaScript can leave out a required struct field. */
function requireSecret(scope: IConstruct, entry: ImagePushSecret, property: string): void {
  if (entry.secret === undefined || entry.secret === null) {
    throw new ValidationError({
      scope,
      property,
      value: entry.prefix,
      problem: 'is missing: a private prefix is pushed to with the credentials of its secret',
      fix: 'pass the RegistrySecret for this prefix, or list the prefix under unauthenticated if it needs no credentials',
    });
  }
}

function checkPushSecret(scope: IConstruct, secret: IRegistrySecret, property: string, buildNamespace: string): void {
  const nameProblem = KubernetesNames.checkDns1123Label(secret.name);
  if (nameProblem !== undefined) {
    throw new ValidationError({
      scope,
      property: `${property}.name`,
      value: secret.name,
      problem: `${nameProblem}; the build pod mounts each push secret as a volume named after it`,
      fix: 'name the RegistrySecret with lowercase letters, digits and "-" (no dots), at most 63 characters',
    });
  }
  if (secret.namespace !== buildNamespace) {
    throw new ValidationError({
      scope,
      property: `${property}.namespace`,
      value: secret.namespace ?? '<unknown>',
      problem: `must be the build namespace "${buildNamespace}", where the build pod mounts push secrets from`,
      fix: `create the RegistrySecret with namespace: "${buildNamespace}" (OpenChoreoNames.buildNamespace(organization))`,
    });
  }
  checkPurpose(scope, secret, property, [RegistryPurpose.PUSH, RegistryPurpose.PULL_AND_PUSH]);
}

function checkPurpose(scope: IConstruct, secret: IRegistrySecret, property: string, allowed: RegistryPurpose[]): void {
  if (!allowed.includes(secret.purpose)) {
    throw new ValidationError({
      scope,
      property: `${property}.purpose`,
      value: secret.purpose,
      problem: `is "${secret.purpose}", but this setting needs a secret for ${allowed.map(p => `"${p}"`).join(' or ')}`,
      fix: `create the RegistrySecret with purpose: RegistryPurpose.${allowed[0] === RegistryPurpose.PUSH ? 'PUSH' : 'PULL'} (or PULL_AND_PUSH)`,
    });
  }
}

function checkCovers(scope: IConstruct, secret: IRegistrySecret, prefix: RegistryPrefix, property: string): void {
  if (secret.registries.length === 0) {
    throw new ValidationError({
      scope,
      property: `${property}.registries`,
      value: secret.name,
      problem: 'are unknown, so it cannot be checked that the secret covers the registry of the prefix',
      fix: `pass RegistrySecret.fromSecretName(scope, id, name, { registries: ["${prefix.host}"], ... })`,
    });
  }
  if (prefix.coveringKeys(secret.registries).length === 0) {
    const dockerHub = prefix.host === 'docker.io' ? ' (for Docker Hub: "https://index.docker.io/v1/" or "docker.io")' : '';
    throw new ValidationError({
      scope,
      property,
      value: secret.name,
      problem: `holds credentials for ${secret.registries.map(r => `"${r}"`).join(', ')}, none of which is used for images under "${prefix.prefix}" (registry ${prefix.host})`,
      fix: `pass the secret whose auths key is the registry host "${prefix.host}"${dockerHub}, or correct the prefix`,
    });
  }
}

function syncWaveOf(secret: IRegistrySecret): number | undefined {
  if (!(secret instanceof RegistrySecret)) {
    return undefined;
  }
  const wave = secret.apiObject.metadata.toJson().annotations?.[ARGOCD_SYNC_WAVE];
  return wave === undefined ? undefined : Number(wave);
}

function clusterSpec(scope: IConstruct, cluster: DataPlaneKubernetesCluster): dataPlaneV02.DataPlaneSpecKubernetesCluster {
  if (cluster.name.trim() === '') {
    throw new ValidationError({ scope, property: 'kubernetesCluster.name', value: cluster.name, problem: 'must not be empty', fix: 'name the data-plane cluster, e.g. "kind-choreo"' });
  }
  const credentials = cluster.credentials;
  checkApiServerUrl(scope, credentials.apiServerUrl);
  refusePrivateKeyMaterial(credentials.caCert, 'kubernetesCluster.credentials.caCert', scope);
  refusePrivateKeyMaterial(credentials.clientCert, 'kubernetesCluster.credentials.clientCert', scope);
  checkBase64Pem(scope, credentials.caCert, 'kubernetesCluster.credentials.caCert', false);
  checkBase64Pem(scope, credentials.clientCert, 'kubernetesCluster.credentials.clientCert', false);
  return {
    name: cluster.name,
    credentials: {
      apiServerUrl: credentials.apiServerUrl,
      caCert: credentials.caCert,
      clientCert: credentials.clientCert,
      clientKey: plainClientKey(scope, credentials.clientKey),
    },
  };
}

function checkApiServerUrl(scope: IConstruct, url: string): void {
  refuseCredentialShape(url, 'kubernetesCluster.credentials.apiServerUrl', 'the kubeconfig "server" value, e.g. "https://10.0.0.1:6443"', scope);
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || parsed.protocol !== 'https:' || parsed.hostname === '') {
    throw new ValidationError({
      scope,
      property: 'kubernetesCluster.credentials.apiServerUrl',
      value: url,
      problem: 'is not an https URL of a Kubernetes API server',
      fix: 'use the kubeconfig "server" value, e.g. "https://10.0.0.1:6443"',
    });
  }
}

function plainClientKey(scope: IConstruct, key: SecretValue): string {
  const property = 'kubernetesCluster.credentials.clientKey';
  if (key.source !== SecretValueSource.PLAIN_TEXT) {
    throw new ValidationError({
      scope,
      property,
      problem: `is ${describeSource(key.source)}, but the DataPlane CRD has no secret reference for the client key: spec.kubernetesCluster.credentials.clientKey holds the key itself`,
      fix: 'pass SecretValue.unsafePlainText(<base64 PEM key>) read from a file or variable outside Git, and keep the synthesized DataPlane out of Git',
    });
  }
  const value = key.unsafeUnwrap();
  checkBase64Pem(scope, value, property, true);
  return value;
}

/** kubeconfig `*-data` values: standard base64 of a PEM block. */
function checkBase64Pem(scope: IConstruct, value: string, property: string, secret: boolean): void {
  const isBase64 = /^[A-Za-z0-9+/]+={0,2}$/.test(value) && value.length % 4 === 0;
  const decoded = isBase64 ? Buffer.from(value, 'base64').toString('utf8') : '';
  if (!decoded.startsWith('-----BEGIN')) {
    const looksLikePem = value.startsWith('-----BEGIN');
    throw new ValidationError({
      scope,
      property,
      value,
      secret,
      problem: looksLikePem ? 'is PEM text, but the CRD wants it base64-encoded' : 'is not base64 of a PEM block',
      fix: 'use the kubeconfig value (certificate-authority-data, client-certificate-data, client-key-data), or base64-encode the PEM file (base64 -w0 < file.pem)',
    });
  }
}

function gatewaySpec(scope: IConstruct, gateway: DataPlaneGateway): dataPlaneV02.DataPlaneSpecGateway {
  KubernetesNames.validateDns1123Subdomain(gateway.publicVirtualHost, 'gateway.publicVirtualHost', scope);
  KubernetesNames.validateDns1123Subdomain(gateway.organizationVirtualHost, 'gateway.organizationVirtualHost', scope);
  return { publicVirtualHost: gateway.publicVirtualHost, organizationVirtualHost: gateway.organizationVirtualHost };
}
