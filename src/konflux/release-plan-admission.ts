import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { BuildServiceAccount, KonfluxPipeline } from './build-service-account';
import { mappingRepositories, pushCoverageMessages, PushTarget } from './push-coverage';
import { checkRawSpec, mergeSpec } from './release-plan-admission-spec';
import { requireNamespace, validateCrdName } from './validation';
import { applyArgoCd, ArgoCdOptions, ArgoCdSyncOption } from '../argocd';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkProps, checkArgs } from '../props-check';
import { addValidationOncePerSynth } from '../synth-pass';
import { KonfluxReleasePlanAdmission, releasePlanAdmission } from '../typed-objects';
import { parseImageReference } from '../values/image-reference';

/** The default sync wave of a ReleasePlanAdmission: after the service account it names (0). */
const RELEASE_PLAN_ADMISSION_WAVE = 1;
/** release-service's webhook limit on application and component group names. */
const MAX_REFERENCE_NAME = 63;
const AUTO_RELEASE_LABEL = 'release.appstudio.openshift.io/auto-release';

/** One parameter of a Tekton resolver (`spec.pipeline.pipelineRef.params[]`). */
export interface ReleasePipelineParam {
  /** The parameter's name, e.g. `url`. */
  readonly name: string;
  /** Its value. */
  readonly value: string;
}

/** Where the Tekton git resolver fetches a pipeline from. */
export interface GitPipelineRefOptions {
  /** The repository URL, e.g. `https://github.com/konflux-ci/release-service-catalog.git`. */
  readonly url: string;
  /** The branch, tag or commit, e.g. `production`. */
  readonly revision: string;
  /** The pipeline file in the repository, e.g. `pipelines/managed/push-to-external-registry/push-to-external-registry.yaml`. */
  readonly pathInRepo: string;
}

/**
 * Which managed pipeline a ReleasePlanAdmission runs: a Tekton resolver and its parameters
 * (`spec.pipeline.pipelineRef`).
 *
 * @see https://tekton.dev/docs/pipelines/resolution/
 */
export class ReleasePipelineRef {
  /**
   * A pipeline from a git repository, such as the release-service-catalog (resolver `git`, params `url`, `revision`,
   * `pathInRepo`).
   *
   * @see https://tekton.dev/docs/pipelines/git-resolver/
   */
  public static git(options: GitPipelineRefOptions): ReleasePipelineRef {
    checkArgs('ReleasePipelineRef.git', [options]);
    if (!/^https?:\/\/\S+$/.test(options.url)) {
      throw new ValidationError({
        property: 'url',
        value: options.url,
        problem: 'is not an http(s) URL of a git repository',
        fix: 'write the clone URL, e.g. "https://github.com/konflux-ci/release-service-catalog.git"',
      });
    }
    return ReleasePipelineRef.of('git', [
      { name: 'url', value: options.url },
      { name: 'revision', value: options.revision },
      { name: 'pathInRepo', value: options.pathInRepo },
    ]);
  }

  /**
   * Any resolver with its parameters, in the order given (e.g. `bundles` with `bundle`, `name`, `kind`).
   */
  public static of(resolver: string, params: ReleasePipelineParam[]): ReleasePipelineRef {
    checkArgs('ReleasePipelineRef.of', [resolver, params]);
    if (resolver.trim() === '') {
      throw new ValidationError({ property: 'resolver', value: resolver, problem: 'must not be empty', fix: 'name a Tekton resolver, e.g. "git" or "bundles"' });
    }
    const names = new Set<string>();
    params.forEach((param, index) => {
      if (param.name === '' || names.has(param.name) || param.value === '') {
        throw new ValidationError({
          property: `params[${index}]`,
          value: `${param.name}=${param.value}`,
          problem: param.name === '' ? 'has no name' : names.has(param.name) ? 'repeats a parameter name' : 'has an empty value',
          fix: 'give each resolver parameter once, with a name and a value',
        });
      }
      names.add(param.name);
    });
    return new ReleasePipelineRef(resolver, params.map(p => ({ name: p.name, value: p.value })));
  }

  private constructor(
    /** The Tekton resolver, e.g. `git`. */
    public readonly resolver: string,
    /** The resolver's parameters, in order. */
    public readonly params: ReleasePipelineParam[]) {
  }
}

/** The managed pipeline of a ReleasePlanAdmission (`spec.pipeline`). */
export interface ReleasePipelineOptions {
  /** The pipeline to run (`spec.pipeline.pipelineRef`). */
  readonly pipelineRef: ReleasePipelineRef;

  /**
   * The account the pipeline runs as, written to `spec.pipeline.serviceAccountName`: a release
   * `BuildServiceAccount.forRelease(...)`, or any cdk8s-plus service account in the managed namespace. Given as an
   * object, never a name, so the two cannot drift.
   *
   * @default - Tekton's default account of the managed namespace (normally `default`), which holds no push secret
   */
  readonly serviceAccount?: kplus.IServiceAccount;

  /**
   * The OCI repository where the pipeline keeps its Trusted Artifacts, written to
   * `spec.pipeline.pipelineRef.ociStorage` (release-service passes it to the pipeline as the `ociStorage` parameter).
   * The service account needs push credentials for it.
   *
   * @default - the pipeline's own default
   */
  readonly ociStorage?: string;
}

/** Properties of a `ReleasePlanAdmission`. */
export interface ReleasePlanAdmissionProps {
  /** The object's name. */
  readonly name: string;

  /**
   * The managed namespace the admission (and its release pipeline) lives in.
   *
   * @default - the chart's namespace; one of the two is required
   */
  readonly namespace?: string;

  /** The tenant namespace whose ReleasePlans may release into this managed namespace (`spec.origin`). */
  readonly origin: string;

  /** The EnterpriseContractPolicy the release is validated against (`spec.policy`), e.g. `default`. */
  readonly policy: string;

  /**
   * The applications that may be released (`spec.applications`). Exactly one of `applications` and
   * `componentGroups`.
   *
   * @default - none
   */
  readonly applications?: string[];

  /**
   * The component groups that may be released (`spec.componentGroups`). Exactly one of `applications` and
   * `componentGroups`.
   *
   * @default - none
   */
  readonly componentGroups?: string[];

  /**
   * The Environment used for the release (`spec.environment`).
   *
   * @default - none
   */
  readonly environment?: string;

  /**
   * Free-form data for the managed pipeline (`spec.data`), e.g. `{ mapping: { components: [...] } }`.
   *
   * @default - none
   */
  readonly data?: { [key: string]: any };

  /**
   * The managed pipeline.
   *
   * @default - none
   */
  readonly pipeline?: ReleasePipelineOptions;

  /**
   * Whether releases start automatically when a snapshot passes its tests (label
   * `release.appstudio.openshift.io/auto-release`).
   *
   * @default - no label (release-service's default)
   */
  readonly autoRelease?: boolean;

  /**
   * Spec fields the typed props do not cover (`collectors`, `pipeline.taskRunSpecs`, `pipeline.timeouts`,
   * `pipeline.maxRetries`, `pipeline.pipelineRef.useEmptyDir`), merged into `spec`. Every field is checked against
   * the CRD: one the CRD does not have at that place (for example `ociStorage` at `spec` or `spec.pipeline`) is an
   * error, since the API server would drop it silently.
   *
   * @default - none
   */
  readonly rawSpec?: { [key: string]: any };

  /**
   * Argo CD sync settings.
   *
   * @default - sync wave 1 (after the service account); `SkipDryRunOnMissingResource=true`
   */
  readonly argoCd?: ArgoCdOptions;
}

/**
 * A release-service `ReleasePlanAdmission` (appstudio.redhat.com/v1alpha1) in a managed namespace: which tenant may
 * release which applications or component groups, and the managed pipeline that does it, with `ociStorage` and
 * `serviceAccountName` where the CRD has them (`spec.pipeline.pipelineRef.ociStorage`, `spec.pipeline.serviceAccountName`).
 *
 * @see https://github.com/konflux-ci/konflux-ci/blob/main/docs/registry-configuration.md#configuring-a-push-secret-for-the-release-pipeline
 * @see https://github.com/konflux-ci/release-service/blob/main/api/v1alpha1/releaseplanadmission_types.go
 */
export class ReleasePlanAdmission extends Construct {
  /** The API version. */
  public static readonly API_VERSION = 'appstudio.redhat.com/v1alpha1';
  /** The kind. */
  public static readonly KIND = 'ReleasePlanAdmission';

  /** The object's name. */
  public readonly name: string;
  /** The managed namespace. */
  public readonly namespace: string;
  /** The service account name written to `spec.pipeline.serviceAccountName`, when a pipeline account is given. */
  public readonly serviceAccountName?: string;
  /** The emitted object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, rawProps: ReleasePlanAdmissionProps) {
    super(scope, id);
    const props = checkProps(this, rawProps, 'ReleasePlanAdmissionProps');
    this.name = props.name;
    KubernetesNames.validateDns1123Subdomain(this.name, 'name', this);
    this.namespace = requireNamespace(this, props.namespace, 'the managed namespace');
    KubernetesNames.validateDns1123Label(props.origin, 'origin', this);
    validateCrdName(props.policy, 'policy', this);
    if (props.environment !== undefined) {
      validateCrdName(props.environment, 'environment', this);
    }
    this.serviceAccountName = props.pipeline?.serviceAccount && this.checkServiceAccount(props.pipeline.serviceAccount);
    const spec: releasePlanAdmission.ReleasePlanAdmissionSpec = {
      origin: props.origin,
      policy: props.policy,
      ...releasedReferences(this, props.applications, props.componentGroups),
      environment: props.environment,
      data: props.data,
      pipeline: props.pipeline && this.pipelineSpec(props.pipeline),
    };
    if (props.rawSpec !== undefined) {
      checkRawSpec(this, props.rawSpec, props.pipeline !== undefined);
    }
    const metadata = {
      name: this.name,
      namespace: this.namespace,
      labels: props.autoRelease === undefined ? undefined : { [AUTO_RELEASE_LABEL]: String(props.autoRelease) },
    };
    this.apiObject = new KonfluxReleasePlanAdmission(this, 'Resource', { metadata, spec: props.rawSpec ? mergeSpec(spec, props.rawSpec) : spec });
    applyArgoCd(this.apiObject, props.argoCd, RELEASE_PLAN_ADMISSION_WAVE, [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE]);
    addValidationOncePerSynth(this, () => this.pushCoverage(props));
  }

  /**
   * The release account's push secrets must cover what the managed pipeline pushes to: `ociStorage` (Trusted
   * Artifacts) and every repository of the mapping. Checked when the account is a `BuildServiceAccount`, whose
   * secrets are known.
   */
  private pushCoverage(props: ReleasePlanAdmissionProps): string[] {
    const account = props.pipeline?.serviceAccount;
    if (!(account instanceof BuildServiceAccount)) {
      return [];
    }
    const ociStorage = props.pipeline?.ociStorage;
    const targets: PushTarget[] = [
      ...(ociStorage === undefined ? [] : [{ property: 'pipeline.ociStorage', repository: ociStorage }]),
      ...mappingRepositories(props.data),
    ];
    return pushCoverageMessages(account.name, account.secrets, targets);
  }

  private pipelineSpec(pipeline: ReleasePipelineOptions): releasePlanAdmission.ReleasePlanAdmissionSpecPipeline {
    return {
      pipelineRef: {
        resolver: pipeline.pipelineRef.resolver,
        params: pipeline.pipelineRef.params.map(p => ({ name: p.name, value: p.value })),
        ociStorage: pipeline.ociStorage === undefined ? undefined : checkOciStorage(this, pipeline.ociStorage),
      },
      serviceAccountName: this.serviceAccountName,
    };
  }

  /** The account's name, after checking that the managed pipeline can run as it. */
  private checkServiceAccount(account: kplus.IServiceAccount): string {
    if (account instanceof BuildServiceAccount && account.pipeline !== KonfluxPipeline.RELEASE) {
      throw new ValidationError({
        scope: this,
        property: 'pipeline.serviceAccount',
        value: account.name,
        problem: 'is a build pipeline account; the managed release pipeline runs in the managed namespace',
        fix: 'pass BuildServiceAccount.forRelease(...) in the managed namespace',
      });
    }
    const accountNamespace = account.toSubjectConfiguration().namespace;
    if (accountNamespace !== this.namespace) {
      throw new ValidationError({
        scope: this,
        property: 'pipeline.serviceAccount',
        value: `${accountNamespace ?? '(no namespace)'}/${account.name}`,
        problem: `is not in the managed namespace "${this.namespace}", where release-service runs the pipeline`,
        fix: `create the account in "${this.namespace}" (BuildServiceAccount.forRelease with namespace: "${this.namespace}")`,
      });
    }
    validateCrdName(account.name, 'pipeline.serviceAccount', this);
    return account.name;
  }
}

/** `applications` or `componentGroups`, exactly one, each a non-empty list of distinct names. */
function releasedReferences(
  scope: IConstruct, applications: string[] | undefined, componentGroups: string[] | undefined,
): { applications?: string[]; componentGroups?: string[] } {
  if ((applications === undefined) === (componentGroups === undefined)) {
    throw new ValidationError({
      scope,
      property: 'applications/componentGroups',
      problem: applications === undefined
        ? 'are both missing: the admission must say what may be released'
        : 'are both given: the CRD accepts exactly one of them',
      fix: 'pass either applications: ["my-app"] or componentGroups: ["my-group"]',
    });
  }
  const [property, names] = applications !== undefined ? ['applications', applications] : ['componentGroups', componentGroups!];
  if (names.length === 0) {
    throw new ValidationError({ scope, property, problem: 'is empty (the CRD requires at least one item)', fix: `list at least one name in ${property}` });
  }
  const seen = new Set<string>();
  names.forEach((name, index) => {
    const problem = KubernetesNames.checkDns1123Subdomain(name)
      ?? (name.length > MAX_REFERENCE_NAME ? `must be at most ${MAX_REFERENCE_NAME} characters (release-service webhook)` : undefined);
    if (problem || seen.has(name)) {
      throw new ValidationError({
        scope,
        property: `${property}[${index}]`,
        value: name,
        problem: problem ?? 'is listed twice',
        fix: problem ? 'use the metadata.name of the object, at most 63 lowercase letters, digits and "-"' : 'list each name once',
      });
    }
    seen.add(name);
  });
  return applications !== undefined ? { applications: [...names] } : { componentGroups: [...names] };
}

/** `ociStorage` is an OCI repository that many artifacts are pushed to: a valid reference, not pinned to a digest. */
function checkOciStorage(scope: IConstruct, ociStorage: string): string {
  const reference = parseImageReference(ociStorage, 'pipeline.ociStorage', scope);
  if (reference.digest !== undefined) {
    throw new ValidationError({
      scope,
      property: 'pipeline.ociStorage',
      value: ociStorage,
      problem: 'is pinned to a digest, but the pipeline pushes new artifacts there',
      fix: `give the repository only, e.g. "${reference.name}"`,
    });
  }
  return ociStorage;
}
