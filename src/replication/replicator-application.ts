import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { applyArgoCd, ArgoCdOptions } from '../argocd';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkOptionalProps } from '../props-check';
import { RegistryChecks } from '../registry-checks';
import { ArgoCdApplication } from '../typed-objects';

/** Before the replicated secrets (wave -1), so the controller is being installed when they arrive. */
const REPLICATOR_WAVE = -2;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

/** Properties of a `KubernetesReplicatorApplication`. */
export interface KubernetesReplicatorApplicationProps {
  /**
   * The Application's name, also the Helm release name.
   *
   * @default 'kubernetes-replicator'
   */
  readonly name?: string;

  /**
   * The namespace Argo CD watches for Applications.
   *
   * @default 'argocd'
   */
  readonly argoCdNamespace?: string;

  /**
   * The Argo CD project.
   *
   * @default 'default'
   */
  readonly project?: string;

  /**
   * The namespace the replicator is installed into.
   *
   * @default 'choreo-system' (OpenChoreo proposal 0246)
   */
  readonly namespace?: string;

  /**
   * The cluster to install into.
   *
   * @default 'https://kubernetes.default.svc' (the cluster Argo CD runs in)
   */
  readonly destinationServer?: string;

  /**
   * The chart version (exact; Argo CD also accepts ranges, which would make syncs unrepeatable).
   *
   * @default KubernetesReplicatorApplication.DEFAULT_CHART_VERSION
   */
  readonly chartVersion?: string;

  /**
   * Replicate only Secrets: turn off ConfigMap, Role, RoleBinding and ServiceAccount replication, which also drops
   * their cluster-wide write permissions from the replicator's ClusterRole.
   *
   * @default true
   */
  readonly secretsOnly?: boolean;

  /**
   * Extra controller flags (chart value `args`), e.g. `-resync-period=10m`.
   *
   * @default - none
   */
  readonly args?: string[];

  /**
   * The replicator's `-exclude-namespaces` flag: comma-separated RE2 patterns matched anywhere in a namespace name
   * (not anchored, not trimmed); pushed Secrets and ConfigMaps never go to a matching namespace. A
   * `ReplicatedPullSecret` whose targets claim `controllerExcludeNamespaces` is checked against this value.
   *
   * @default - the flag is not set (unless given in `args`)
   */
  readonly excludeNamespaces?: string;

  /**
   * Let Argo CD sync the release on its own (`automated` with prune and self-heal).
   *
   * @default true
   */
  readonly automatedSync?: boolean;

  /**
   * Argo CD sync settings of the Application object itself (within its parent application).
   *
   * @default - sync wave -2, before the replicated secrets
   */
  readonly argoCd?: ArgoCdOptions;
}

/**
 * The install of mittwald kubernetes-replicator from its Helm chart, as an Argo CD `Application`. OpenChoreo never
 * shipped the replicator (proposal 0246 only planned it), so a `ReplicatedPullSecret` with mittwald targets needs it.
 *
 * Argo CD does not wait for a child Application to become healthy before the next wave unless its `argocd-cm` has the
 * Application health check enabled; the replicator picks up existing annotated Secrets when it starts either way.
 *
 * @see https://github.com/mittwald/kubernetes-replicator#deployment
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/helm/
 */
export class KubernetesReplicatorApplication extends Construct {
  /** The chart repository. */
  public static readonly CHART_REPOSITORY = 'https://helm.mittwald.de';
  /** The chart name. */
  public static readonly CHART_NAME = 'kubernetes-replicator';
  /** The chart version whose replication semantics this library models (app version v2.12.4). */
  public static readonly DEFAULT_CHART_VERSION = '2.12.4';

  /** The Application's name. */
  public readonly name: string;
  /** The namespace the replicator runs in. */
  public readonly namespace: string;
  /** The `Application` object. */
  public readonly apiObject: ApiObject;
  /**
   * The `-exclude-namespaces` value the replicator runs with, from `excludeNamespaces` or `args`.
   *
   * @default - the flag is not set
   */
  public readonly excludeNamespaces?: string;

  constructor(scope: Construct, id: string, rawProps: KubernetesReplicatorApplicationProps = {}) {
    super(scope, id);
    const props = checkOptionalProps(this, rawProps, 'KubernetesReplicatorApplicationProps');
    // One install per cluster: the app's checks refuse a second Application of the same name.
    RegistryChecks.of(this);
    this.name = props.name ?? KubernetesReplicatorApplication.CHART_NAME;
    this.namespace = props.namespace ?? 'choreo-system';
    const argoCdNamespace = props.argoCdNamespace ?? 'argocd';
    KubernetesNames.validateDns1123Label(this.name, 'name', this);
    KubernetesNames.validateDns1123Label(this.namespace, 'namespace', this);
    KubernetesNames.validateDns1123Label(argoCdNamespace, 'argoCdNamespace', this);
    this.excludeNamespaces = excludeNamespacesOf(this, props);
    const chartVersion = props.chartVersion ?? KubernetesReplicatorApplication.DEFAULT_CHART_VERSION;
    if (!SEMVER.test(chartVersion)) {
      throw new ValidationError({
        scope: this,
        property: 'chartVersion',
        value: chartVersion,
        problem: 'is not an exact chart version; a range or "latest" makes every sync install whatever is newest',
        fix: `pin a version such as "${KubernetesReplicatorApplication.DEFAULT_CHART_VERSION}"`,
      });
    }
    this.apiObject = new ArgoCdApplication(this, 'Resource', {
      metadata: { name: this.name, namespace: argoCdNamespace },
      spec: {
        project: props.project ?? 'default',
        source: {
          repoUrl: KubernetesReplicatorApplication.CHART_REPOSITORY,
          chart: KubernetesReplicatorApplication.CHART_NAME,
          targetRevision: chartVersion,
          helm: { releaseName: this.name, valuesObject: chartValues(this.name, props, argsWithExclusion(props)) },
        },
        destination: { server: props.destinationServer ?? 'https://kubernetes.default.svc', namespace: this.namespace },
        syncPolicy: {
          automated: (props.automatedSync ?? true) ? { prune: true, selfHeal: true } : undefined,
          syncOptions: ['CreateNamespace=true'],
        },
      },
    });
    applyArgoCd(this.apiObject, props.argoCd, REPLICATOR_WAVE);
  }
}

const EXCLUDE_FLAG = 'exclude-namespaces';

/**
 * The `-exclude-namespaces` value among `args`, read as Go's `flag` package reads a command line: `-f=v`, `--f=v`
 * or `-f v`; the last one wins; parsing stops at `--` or at the first argument that is no flag.
 */
function flagValue(args: readonly string[], flag: string): string | undefined {
  let value: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (arg === '--' || !arg.startsWith('-') || arg === '-') {
      break;
    }
    const [name, inline] = splitFlag(arg.replace(/^--?/, ''));
    if (name === flag) {
      value = inline ?? args[++index];
    }
  }
  return value;
}

function splitFlag(text: string): [string, string | undefined] {
  const equals = text.indexOf('=');
  return equals < 0 ? [text, undefined] : [text.slice(0, equals), text.slice(equals + 1)];
}

function excludeNamespacesOf(scope: Construct, props: KubernetesReplicatorApplicationProps): string | undefined {
  const fromArgs = flagValue(props.args ?? [], EXCLUDE_FLAG);
  if (props.excludeNamespaces !== undefined && fromArgs !== undefined) {
    throw new ValidationError({
      scope,
      property: 'args',
      value: `-${EXCLUDE_FLAG}=${fromArgs}`,
      problem: 'sets -exclude-namespaces although excludeNamespaces is set too; the replicator would use only one of them',
      fix: 'set the flag once, with excludeNamespaces',
    });
  }
  if (props.excludeNamespaces !== undefined && (typeof props.excludeNamespaces !== 'string' || /[^\x20-\x7e]/.test(props.excludeNamespaces))) {
    throw new ValidationError({
      scope,
      property: 'excludeNamespaces',
      value: String(props.excludeNamespaces),
      problem: 'must be a string of printable ASCII characters',
      fix: 'write comma-separated patterns such as "kube-system,kube-public"',
    });
  }
  return props.excludeNamespaces ?? fromArgs;
}

function argsWithExclusion(props: KubernetesReplicatorApplicationProps): string[] {
  const args = [...(props.args ?? [])];
  return props.excludeNamespaces === undefined ? args : [...args, `-${EXCLUDE_FLAG}=${props.excludeNamespaces}`];
}

function chartValues(name: string, props: KubernetesReplicatorApplicationProps, args: string[]): { [key: string]: any } {
  const secretsOnly = props.secretsOnly ?? true;
  return {
    // Stable object names whatever the release is called.
    fullnameOverride: name,
    replicationEnabled: {
      secrets: true,
      configMaps: !secretsOnly,
      roles: !secretsOnly,
      roleBindings: !secretsOnly,
      serviceAccounts: !secretsOnly,
    },
    args: args.length > 0 ? args : undefined,
  };
}
