import { Duration } from 'cdk8s';
import { RegistryCredentials } from '../credentials/registry-credentials';
import { SecretValueSource, describeSource } from '../credentials/secret-value';
import { SecretDelivery } from '../delivery/secret-delivery';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkArgs } from '../props-check';
import { PURPOSE_LABEL, REGISTRIES_ANNOTATION, RegistryPurpose, RegistrySecret } from '../registry-secret';
import { ImageReference } from '../values/image-reference';
import { KubeletKeyring } from '../values/kubelet-keyring';
import { configOf } from '../workloads/pull-coverage';

/** The primary workload of a ComponentType (`spec.workloadType`), which decides where the pod spec is. */
export enum ComponentWorkloadType {
  /** `apps/v1` Deployment: pod spec at `spec.template.spec`. */
  DEPLOYMENT = 'deployment',
  /** `apps/v1` StatefulSet: pod spec at `spec.template.spec`. */
  STATEFULSET = 'statefulset',
  /** `batch/v1` Job: pod spec at `spec.template.spec`. */
  JOB = 'job',
  /** `batch/v1` CronJob: pod spec at `spec.jobTemplate.spec.template.spec`. */
  CRONJOB = 'cronjob',
}

/** Options of a `ComponentTypePullSecret`. */
export interface ComponentTypePullSecretOptions {
  /**
   * The name of the ExternalSecret and of the pull Secret it writes in each workload namespace.
   *
   * @default "registry-pull-secret" (the documented recipe)
   */
  readonly secretName?: string;

  /**
   * The `id` of the resource template added to `spec.resources`.
   *
   * @default - the secret name
   */
  readonly resourceId?: string;

  /**
   * The ClusterSecretStore the ExternalSecret reads from.
   *
   * @default "${dataplane.secretStore}" (the DataPlane's `spec.secretStoreRef.name`)
   */
  readonly secretStore?: string;

  /**
   * How often External Secrets re-reads the store.
   *
   * @default Duration.hours(1)
   */
  readonly refreshInterval?: Duration;
}

/** A JSON Patch (RFC 6902) operation. */
export interface JsonPatchOperation {
  /** The operation, e.g. `add`. */
  readonly op: string;
  /** The JSON pointer it applies to. */
  readonly path: string;
  /** The value added. */
  readonly value: any;
}

const DEFAULT_SECRET_NAME = 'registry-pull-secret';
const DATAPLANE_SECRET_STORE = '${dataplane.secretStore}';
const WORKLOAD_NAMESPACE = '${metadata.namespace}';
/** Where the pod spec is in each workload kind, as JSON pointer segments. */
const POD_SPEC: { [type: string]: string[] } = {
  [ComponentWorkloadType.DEPLOYMENT]: ['spec', 'template', 'spec'],
  [ComponentWorkloadType.STATEFULSET]: ['spec', 'template', 'spec'],
  [ComponentWorkloadType.JOB]: ['spec', 'template', 'spec'],
  [ComponentWorkloadType.CRONJOB]: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/**
 * The documented OpenChoreo v1.x recipe for private-registry pulls, for a chosen set of registry credentials: a
 * ComponentType resource template that renders an External Secrets `ExternalSecret` (`registry-pull-secret`) in each
 * workload namespace from the DataPlane's secret store, plus `imagePullSecrets` in the workload's pod template. The
 * ExternalSecret is rendered by the library's ExternalSecret delivery, so its `.dockerconfigjson` always has `auth`.
 *
 * Emits nothing by itself: `applyTo` returns a ComponentType (or ClusterComponentType) spec with both changes, to be
 * written with the ComponentType's own construct or `ApiObject`.
 *
 * @see https://openchoreo.dev/docs/tutorials/deploy-prebuilt-image/#deploy-from-a-private-registry
 * @see https://openchoreo.dev/docs/reference/api/platform/componenttype/
 */
export class ComponentTypePullSecret {
  /**
   * From registry credentials whose values are in the data plane's secret store (`SecretValue.fromExternalSecret`).
   *
   * @param credentials one entry per registry
   * @param options names and store
   */
  public static fromCredentials(credentials: RegistryCredentials[], options: ComponentTypePullSecretOptions = {}): ComponentTypePullSecret {
    checkArgs('ComponentTypePullSecret.fromCredentials', [credentials, options]);
    return new ComponentTypePullSecret(credentials, options, 'credentials');
  }

  /**
   * From a pull `RegistrySecret` whose values are in the data plane's secret store: the same credentials, rendered in
   * each workload namespace instead of the RegistrySecret's own namespace.
   *
   * @param secret the RegistrySecret (purpose pull or pull-and-push)
   * @param options names and store
   */
  public static fromRegistrySecret(secret: RegistrySecret, options: ComponentTypePullSecretOptions = {}): ComponentTypePullSecret {
    checkArgs('ComponentTypePullSecret.fromRegistrySecret', [secret, options]);
    if (!(secret instanceof RegistrySecret)) {
      throw new ValidationError({ property: 'secret', problem: 'must be a RegistrySecret construct', fix: 'pass a RegistrySecret, or use ComponentTypePullSecret.fromCredentials' });
    }
    if (secret.purpose === RegistryPurpose.PUSH) {
      throw new ValidationError({
        property: 'secret.purpose',
        value: secret.purpose,
        problem: 'is "push", but workloads use this secret to pull',
        fix: 'pass a RegistrySecret with purpose RegistryPurpose.PULL or PULL_AND_PUSH',
      });
    }
    return new ComponentTypePullSecret(secret.credentials, options, `secret (${secret.node.path}).credentials`);
  }

  /** The pull Secret name workloads of the ComponentType get in `imagePullSecrets`. */
  public readonly secretName: string;
  /** The `id` of the resource template. */
  public readonly resourceId: string;
  /** The registries (`auths` keys) the pull Secret holds credentials for. */
  public readonly registries: string[];
  /** The entry for the ComponentType's `spec.resources`: `{ id, template: <ExternalSecret> }`. */
  public readonly resource: { [key: string]: any };

  private constructor(credentials: RegistryCredentials[], options: ComponentTypePullSecretOptions, property: string) {
    checkOptions(options);
    this.secretName = options.secretName ?? DEFAULT_SECRET_NAME;
    this.resourceId = options.resourceId ?? this.secretName;
    checkCredentials(credentials, property);
    this.registries = credentials.map(c => c.registry);
    const rendered = SecretDelivery.externalSecret({
      store: { name: options.secretStore ?? DATAPLANE_SECRET_STORE },
      refreshInterval: options.refreshInterval,
    })._render({
      name: this.secretName,
      namespace: WORKLOAD_NAMESPACE,
      credentials,
      // Labelled like a RegistrySecret's Secret, so that tools reading the cluster know what it is for.
      secretLabels: { [PURPOSE_LABEL]: RegistryPurpose.PULL },
      secretAnnotations: { [REGISTRIES_ANNOTATION]: [...this.registries].sort().join(',') },
    });
    this.resource = { id: this.resourceId, template: rendered.main.manifest() };
  }

  /** `[{ name: <secretName> }]`, the `imagePullSecrets` workloads get. */
  public get imagePullSecrets(): Array<{ [key: string]: string }> {
    return [{ name: this.secretName }];
  }

  /**
   * The JSON Patch that adds `imagePullSecrets` to a workload resource template without any.
   *
   * @param workloadType the ComponentType's `spec.workloadType`
   */
  public imagePullSecretsPatch(workloadType: ComponentWorkloadType): JsonPatchOperation[] {
    const segments = podSpecPath(workloadType);
    return [{ op: 'add', path: `/${[...segments, 'imagePullSecrets'].join('/')}`, value: this.imagePullSecrets }];
  }

  /**
   * The images of `images` that no `auths` key of this pull secret covers, matched as the kubelet matches them
   * (`KubeletKeyring`): the pull check for ComponentTypes, whose workloads OpenChoreo renders in the data plane.
   * Images written as templates (`${...}`) are left out; they are known only when a workload is rendered.
   *
   * @param images image references, e.g. the ones the platform's components are built into
   */
  public uncoveredImages(images: string[]): string[] {
    const keyring = new KubeletKeyring([configOf(this.registries)]);
    return checkImageList(images).filter(image => !isTemplated(image)
      && (!ImageReference.isValid(image) || keyring.lookup(image).length === 0));
  }

  // A literal image in the workload template must be covered: every workload of the type pulls it with this secret.
  private refuseUncoveredImages(template: { [key: string]: any }, segments: string[], workloadType: string): void {
    const podSpec = segments.reduce<any>((node, segment) => node?.[segment], template);
    const images = ['initContainers', 'containers'].flatMap(field => Array.isArray(podSpec?.[field]) ? podSpec[field] : [])
      .map((container: any) => container?.image).filter((image: unknown): image is string => typeof image === 'string');
    const uncovered = this.uncoveredImages(images);
    if (uncovered.length > 0) {
      throw new ValidationError({
        property: `spec.resources[id=${workloadType}].template`,
        value: uncovered[0],
        problem: `pulls an image that the pull secret "${this.secretName}" (keys ${this.registries.map(r => `"${r}"`).join(', ')}) does not cover; every workload of the type would fail with ImagePullBackOff`,
        fix: 'add credentials for that registry to the pull secret, or pull the image from a covered registry',
      });
    }
  }

  /**
   * A copy of a ComponentType or ClusterComponentType spec with the ExternalSecret resource added and the pull secret
   * added to the `imagePullSecrets` of the workload resource (the one whose `id` is the `workloadType`). Entries
   * already there are kept; applying twice changes nothing.
   *
   * @param spec the `spec` of the ComponentType, e.g. parsed from its YAML
   */
  public applyTo(spec: { [key: string]: any }): { [key: string]: any } {
    if (spec === null || typeof spec !== 'object' || !Array.isArray(spec.resources)) {
      throw new ValidationError({
        property: 'spec.resources',
        problem: 'is missing: a ComponentType spec has a resources list',
        fix: 'pass the spec of the ComponentType (the object under "spec:"), not the whole object',
      });
    }
    const copy = JSON.parse(JSON.stringify(spec));
    const workloadType = copy.workloadType as ComponentWorkloadType;
    const segments = podSpecPath(workloadType);
    const workload = (copy.resources as any[]).find(r => r?.id === workloadType);
    if (workload === undefined || typeof workload.template !== 'object' || workload.template === null) {
      throw new ValidationError({
        property: 'spec.resources',
        value: workloadType,
        problem: `has no resource template with id "${workloadType}" (the spec.workloadType); OpenChoreo requires one`,
        fix: `pass a ComponentType spec whose resources contain { id: "${workloadType}", template: ... }`,
      });
    }
    this.refuseUncoveredImages(workload.template, segments, workloadType);
    addPullSecret(workload.template, segments, this.secretName, workloadType);
    const existing = (copy.resources as any[]).find(r => r?.id === this.resourceId);
    if (existing === undefined) {
      copy.resources.push(JSON.parse(JSON.stringify(this.resource)));
    } else if (JSON.stringify(existing) !== JSON.stringify(this.resource)) {
      throw new ValidationError({
        property: 'spec.resources',
        value: this.resourceId,
        problem: `already has a different resource template with id "${this.resourceId}"`,
        fix: 'remove the old template first, or pass another resourceId/secretName',
      });
    }
    return copy;
  }
}

function podSpecPath(workloadType: ComponentWorkloadType): string[] {
  const segments = POD_SPEC[workloadType as string];
  if (segments === undefined) {
    throw new ValidationError({
      property: 'workloadType',
      value: workloadType === undefined ? undefined : String(workloadType),
      problem: `is not a workload type with a pod template (${Object.keys(POD_SPEC).join(', ')}); a proxy has no pods`,
      fix: 'use a ComponentType whose workloadType is deployment, statefulset, job or cronjob',
    });
  }
  return segments;
}

function isTemplated(image: string): boolean {
  return image.includes('${');
}

function checkImageList(images: unknown): string[] {
  if (!Array.isArray(images) || images.some(image => typeof image !== 'string')) {
    throw new ValidationError({ property: 'images', problem: 'must be an array of strings', fix: 'pass image references, e.g. ["ghcr.io/acme/app:1.0"]' });
  }
  return images;
}

function addPullSecret(template: { [key: string]: any }, segments: string[], name: string, workloadType: string): void {
  let node: any = template;
  for (const segment of segments) {
    if (node[segment] === undefined) {
      node[segment] = {};
    }
    node = node[segment];
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      throw new ValidationError({
        property: `spec.resources[id=${workloadType}].template.${segments.join('.')}`,
        problem: 'is not an object, so imagePullSecrets cannot be added',
        fix: 'check the workload template of the ComponentType',
      });
    }
  }
  const list = node.imagePullSecrets ?? [];
  if (!Array.isArray(list)) {
    throw new ValidationError({
      property: `spec.resources[id=${workloadType}].template.${segments.join('.')}.imagePullSecrets`,
      problem: 'is not a list (it may be a CEL expression)',
      fix: 'write imagePullSecrets as a list, or add { name: "' + name + '" } to the expression yourself',
    });
  }
  if (!list.some((entry: any) => entry?.name === name)) {
    list.push({ name });
  }
  node.imagePullSecrets = list;
}

function checkOptions(options: ComponentTypePullSecretOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new ValidationError({ property: 'options', problem: 'must be an object', fix: 'pass {} or leave it out' });
  }
  for (const key of ['secretName', 'resourceId'] as const) {
    const value = options[key];
    if (value !== undefined) {
      if (typeof value !== 'string') {
        throw new ValidationError({ property: key, problem: `must be a string, got ${typeof value}`, fix: `pass ${key} as a string` });
      }
      KubernetesNames.validateDns1123Subdomain(value, key);
    }
  }
  if (options.secretStore !== undefined && (typeof options.secretStore !== 'string' || options.secretStore === '')) {
    throw new ValidationError({ property: 'secretStore', problem: 'must be a non-empty string', fix: 'pass the ClusterSecretStore name, or leave it unset for ${dataplane.secretStore}' });
  }
  if (options.refreshInterval !== undefined && !(options.refreshInterval instanceof Duration)) {
    throw new ValidationError({ property: 'refreshInterval', problem: 'must be a cdk8s Duration', fix: 'pass e.g. Duration.hours(1)' });
  }
}

function checkCredentials(credentials: RegistryCredentials[], property: string): void {
  if (!Array.isArray(credentials) || credentials.length === 0) {
    throw new ValidationError({ property, problem: 'must be a non-empty list of RegistryCredentials', fix: 'pass at least one RegistryCredentials' });
  }
  credentials.forEach((c, index) => {
    const item = `${property}[${index}]`;
    if (!(c instanceof RegistryCredentials)) {
      throw new ValidationError({ property: item, problem: 'must be a RegistryCredentials value', fix: 'build it with RegistryCredentials.basic, .dockerConfigJson, ...' });
    }
    if (c._parts.generator !== undefined) {
      throw new ValidationError({
        property: item,
        value: c.registry,
        problem: 'uses a token generator; the ComponentType recipe renders one ExternalSecret per workload namespace and no generator object',
        fix: 'store the credential in the data plane\'s secret store and use SecretValue.fromExternalSecret',
      });
    }
    if (!c.requiresSecret) {
      throw new ValidationError({
        property: item,
        value: c.registry,
        problem: `is ${c.authType}: it needs no pull secret`,
        fix: 'leave this registry out',
      });
    }
    const notExternal = c.valueSources.find(source => source !== SecretValueSource.EXTERNAL);
    if (notExternal !== undefined) {
      throw new ValidationError({
        property: item,
        value: `${c.registry} (${notExternal} value)`,
        problem: `holds ${describeSource(notExternal)}; the ComponentType renders an ExternalSecret in every workload namespace, which can only name values in the data plane's secret store`,
        fix: 'give the value with SecretValue.fromExternalSecret("<store key>") and store the credential in the data plane\'s secret store',
      });
    }
    if ((c.username ?? '').includes('${')) {
      throw new ValidationError({
        property: `${item}.username`,
        value: c.username,
        problem: 'contains "${", which OpenChoreo would evaluate as a CEL expression when it renders the template',
        fix: 'use the username without "${"',
      });
    }
  });
  const seen = new Set<string>();
  for (const c of credentials) {
    if (seen.has(c.registry)) {
      throw new ValidationError({ property, value: c.registry, problem: 'lists the registry twice; a Docker config has one entry per registry', fix: 'list each registry once' });
    }
    seen.add(c.registry);
  }
}
