import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { applyArgoCd, ArgoCdOptions } from '../argocd';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { RegistryChecks } from '../registry-checks';

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

  constructor(scope: Construct, id: string, props: KubernetesReplicatorApplicationProps = {}) {
    super(scope, id);
    // One install per cluster: the app's checks refuse a second Application of the same name.
    RegistryChecks.of(this);
    this.name = props.name ?? KubernetesReplicatorApplication.CHART_NAME;
    this.namespace = props.namespace ?? 'choreo-system';
    const argoCdNamespace = props.argoCdNamespace ?? 'argocd';
    KubernetesNames.validateDns1123Label(this.name, 'name', this);
    KubernetesNames.validateDns1123Label(this.namespace, 'namespace', this);
    KubernetesNames.validateDns1123Label(argoCdNamespace, 'argoCdNamespace', this);
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
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: this.name, namespace: argoCdNamespace },
      spec: {
        project: props.project ?? 'default',
        source: {
          repoURL: KubernetesReplicatorApplication.CHART_REPOSITORY,
          chart: KubernetesReplicatorApplication.CHART_NAME,
          targetRevision: chartVersion,
          helm: { releaseName: this.name, valuesObject: chartValues(this.name, props) },
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

function chartValues(name: string, props: KubernetesReplicatorApplicationProps): { [key: string]: any } {
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
    args: props.args && props.args.length > 0 ? [...props.args] : undefined,
  };
}
