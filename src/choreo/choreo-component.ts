import { ApiObject, Cron } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ChoreoRegistry } from './choreo-registry';
import { applyArgoCd, ArgoCdOptions } from '../argocd';
import { dnsNameFromId } from '../dns-name';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkProps } from '../props-check';
import { ImageReference, parseImageReference } from '../values/image-reference';
import { PullCoverage } from '../workloads/pull-coverage';

/**
 * The Choreo component types that can deploy an image from a container registry ("bring your own image"), each
 * mapped to the cdk8s-plus-28 workload that runs it.
 *
 * @see https://wso2.com/choreo/docs/develop-components/bring-your-own-image/
 */
export enum ComponentType {
  /** A service with endpoints: a Deployment (and a ClusterIP Service when a port is given). */
  SERVICE = 'service',
  /** A web application: a Deployment (and a ClusterIP Service when a port is given). */
  WEB_APPLICATION = 'web-application',
  /** A task run on a schedule: a CronJob. */
  SCHEDULED_TASK = 'scheduled-task',
  /**
   * A task run on demand: a Job, which runs once each time it is created. A Job's pod template cannot be changed, so
   * to run a new image Argo CD must recreate it: delete the Job, or give the component the sync options
   * `Replace=true` and `Force=true`.
   */
  MANUAL_TASK = 'manual-task',
}

/** Properties of a `ChoreoComponent`. */
export interface ChoreoComponentProps {
  /** The component type, which decides the workload kind. */
  readonly type: ComponentType;

  /**
   * The full image URL, `[container-registry-host]/[repository-name]/[image-name]:[tag]` (a digest may replace or
   * follow the tag). The registry host must be written out; Docker Hub images without a repository are under
   * `library/`, e.g. `registry.hub.docker.com/library/nginx:1.25`.
   */
  readonly image: string;

  /** The registered registry the image is pulled from; its pull secret, if any, becomes the pod's pull secret. */
  readonly registry: ChoreoRegistry;

  /**
   * The component name (Choreo's unique "Component Name"), used as the workload's name: a DNS-1123 label, at most 52
   * characters for a scheduled task (the CronJob controller appends 11 to name its Jobs).
   *
   * @default - the construct id in DNS-1123 form (`OrderService` → `order-service`)
   */
  readonly name?: string;

  /**
   * The port the container listens on. For services and web applications a ClusterIP Service with the component's
   * name exposes it; tasks take no port.
   *
   * @default - no port and no Service
   */
  readonly port?: number;

  /**
   * When a scheduled task runs. Required for `ComponentType.SCHEDULED_TASK`, not allowed for the others.
   *
   * @default - none
   */
  readonly schedule?: Cron;

  /**
   * The number of pods of a service or web application.
   *
   * @default - the cdk8s-plus default (2)
   */
  readonly replicas?: number;

  /**
   * More settings of the container (command, environment, probes, resources, security context). Its name defaults
   * to `main`.
   *
   * @default - the cdk8s-plus-28 defaults (non-root, read-only root filesystem, resource requests and limits)
   */
  readonly container?: kplus.ContainerOpts;

  /**
   * The pod's security context.
   *
   * @default - the cdk8s-plus-28 default (`runAsNonRoot: true`)
   */
  readonly securityContext?: kplus.PodSecurityContextProps;

  /**
   * The ServiceAccount the pods run as.
   *
   * @default - the namespace's default ServiceAccount
   */
  readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * Argo CD sync settings of the workload.
   *
   * @default - no Argo CD annotations: the workload syncs in wave 0, after its pull secret (wave -1)
   */
  readonly argoCd?: ArgoCdOptions;
}

/**
 * A Choreo "bring your own image" component on a private data plane: the cdk8s-plus-28 workload that runs a prebuilt
 * image (a Deployment for services and web applications, a CronJob for scheduled tasks, a Job for manual tasks), pulling
 * with the registered registry's pull secret through `dockerRegistryAuth`.
 *
 * Every component carries a `PullCoverage` check: synth fails when the registry's credentials do not cover the image
 * the way the kubelet matches them (wrong host, Docker Hub key, path prefix), before anything reaches the cluster.
 *
 * @see https://wso2.com/choreo/docs/develop-components/bring-your-own-image/#step-2-create-a-component-in-choreo
 */
export class ChoreoComponent extends Construct {
  /** The component and workload name. */
  public readonly name: string;
  /** The component type. */
  public readonly type: ComponentType;
  /** The image as given. */
  public readonly image: string;
  /** The image, parsed and normalized. */
  public readonly imageReference: ImageReference;
  /** The workload: a `kplus.Deployment`, `kplus.CronJob` or `kplus.Job`. */
  public readonly workload: kplus.Workload;
  /**
   * The ClusterIP Service of a service or web application with a port.
   *
   * @default - none
   */
  public readonly service?: kplus.Service;
  /** The synth-time check that the registry's credentials cover the image. */
  public readonly pullCoverage: PullCoverage;

  constructor(scope: Construct, id: string, rawProps: ChoreoComponentProps) {
    super(scope, id);
    const props = checkProps(this, rawProps, 'ChoreoComponentProps');
    this.type = props.type;
    this.name = props.name ?? dnsNameFromId(id);
    checkName(this, this.name, props.type);
    this.image = props.image;
    this.imageReference = checkImage(this, props.image);
    checkTypeOptions(this, props);

    this.workload = createWorkload(this, this.name, props);
    if (props.argoCd) {
      applyArgoCd(ApiObject.of(this.workload), props.argoCd, 0);
    }
    if (props.port !== undefined && this.workload instanceof kplus.Deployment) {
      this.service = this.workload.exposeViaService({ name: this.name, ports: [{ port: props.port }] });
    }
    const registry = props.registry;
    this.pullCoverage = PullCoverage.of(this.workload, {
      registriesWithoutSecret: registry.pullSecret ? [] : [registry.credentials],
    });
  }
}

const LONG_RUNNING = [ComponentType.SERVICE, ComponentType.WEB_APPLICATION];
// CronJob controllers name Jobs `<cronjob>-<11 characters>`, and Job names are DNS-1123 labels (63).
const MAX_CRON_JOB_NAME = 52;

function createWorkload(scope: Construct, name: string, props: ChoreoComponentProps): kplus.Workload {
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': props.type };
  const common: kplus.WorkloadProps = {
    metadata: { name, labels },
    podMetadata: { labels },
    containers: [{ ...props.container, image: props.image, portNumber: props.port ?? props.container?.portNumber }],
    dockerRegistryAuth: props.registry.pullSecret,
    securityContext: props.securityContext,
    serviceAccount: props.serviceAccount,
  };
  switch (props.type) {
    case ComponentType.SCHEDULED_TASK:
      return new kplus.CronJob(scope, 'Workload', { ...common, schedule: props.schedule! });
    case ComponentType.MANUAL_TASK:
      return new kplus.Job(scope, 'Workload', common);
    default:
      return new kplus.Deployment(scope, 'Workload', { ...common, replicas: props.replicas });
  }
}

function checkName(scope: Construct, name: string, type: ComponentType): void {
  KubernetesNames.validateDns1123Label(name, 'name', scope);
  if (type === ComponentType.SCHEDULED_TASK && name.length > MAX_CRON_JOB_NAME) {
    throw new ValidationError({
      scope,
      property: 'name',
      value: name,
      problem: `is ${name.length} characters; a CronJob name may have at most ${MAX_CRON_JOB_NAME}, because its Jobs are named "<name>-<11 characters>"`,
      fix: `shorten it to ${MAX_CRON_JOB_NAME} characters or fewer`,
    });
  }
}

// Choreo asks for the full image URL with a tag; an image without a written registry or tag is ambiguous to readers
// and untrackable for redeploys.
function checkImage(scope: Construct, image: string): ImageReference {
  const reference = parseImageReference(image, 'image', scope);
  const writesRegistry = image.startsWith(`${reference.domain}/`) || image.startsWith('index.docker.io/');
  if (!writesRegistry) {
    throw new ValidationError({
      scope,
      property: 'image',
      value: image,
      problem: 'does not name its registry; Choreo takes the full image URL [container-registry-host]/[repository-name]/[image-name]:[tag]',
      fix: `write "${reference.toString()}", or the host your registry is registered with (e.g. "registry.hub.docker.com/${reference.path}")`,
    });
  }
  if (reference.tag === undefined && reference.digest === undefined) {
    throw new ValidationError({
      scope,
      property: 'image',
      value: image,
      problem: 'has neither a tag nor a digest, so every pull may get a different ":latest"',
      fix: `add the tag to deploy, e.g. "${image}:1.0.0"`,
    });
  }
  return reference;
}

function checkTypeOptions(scope: Construct, props: ChoreoComponentProps): void {
  const isScheduled = props.type === ComponentType.SCHEDULED_TASK;
  if (isScheduled !== (props.schedule !== undefined)) {
    throw new ValidationError({
      scope,
      property: 'schedule',
      value: props.type,
      problem: isScheduled ? 'is required for a scheduled task' : `is only for scheduled tasks, not a ${props.type}`,
      fix: isScheduled ? 'pass schedule: Cron.schedule({ minute: "0", hour: "2" }) (or Cron.daily())' : 'remove schedule, or use ComponentType.SCHEDULED_TASK',
    });
  }
  const longRunning = LONG_RUNNING.includes(props.type);
  const onlyLongRunning = (['port', 'replicas'] as const).find(option => props[option] !== undefined && !longRunning);
  if (onlyLongRunning) {
    throw new ValidationError({
      scope,
      property: onlyLongRunning,
      value: String(props[onlyLongRunning]),
      problem: `is only for services and web applications, not a ${props.type}`,
      fix: `remove ${onlyLongRunning}`,
    });
  }
  if (props.port !== undefined && !(Number.isInteger(props.port) && props.port >= 1 && props.port <= 65535)) {
    throw new ValidationError({
      scope,
      property: 'port',
      value: String(props.port),
      problem: 'is not a TCP port number',
      fix: 'use an integer from 1 to 65535, e.g. 8080',
    });
  }
}
