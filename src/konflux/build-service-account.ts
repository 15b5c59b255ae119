import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { pushCoverageMessages } from './push-coverage';
import { requireNamespace, validateCrdName } from './validation';
import { applyArgoCd, ArgoCdOptions, ArgoCdSyncOption } from '../argocd';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkProps } from '../props-check';
import { IRegistrySecret, RegistrySecret } from '../registry-secret';
import { addValidationOncePerSynth } from '../synth-pass';
import { KubeRoleBinding, KubeServiceAccount } from '../typed-objects';
import { ImageReference } from '../values/image-reference';

/** The default sync wave of the service accounts: after the secrets they list (-1). */
const SERVICE_ACCOUNT_WAVE = 0;
const MAX_OBJECT_NAME = 253;
/** `release-pipeline` + this = `release-pipeline-resource-role-binding`, the binding of Konflux's demo resources. */
const ROLE_BINDING_SUFFIX = '-resource-role-binding';

/** The Konflux pipeline that runs as a service account. */
export enum KonfluxPipeline {
  /** The build pipeline of one component, in the tenant namespace (`build-pipeline-<component>`). */
  BUILD = 'build',
  /** The managed release pipeline, in the managed namespace (the account a ReleasePlanAdmission names). */
  RELEASE = 'release',
}

/**
 * How push secrets reach a Konflux pipeline service account. Tekton turns the docker config secrets in an account's
 * `secrets` (not `imagePullSecrets`) into the pipeline's registry credentials.
 *
 * @see https://tekton.dev/docs/pipelines/auth/#configuring-authentication-for-docker
 */
export enum KonfluxSecretLinking {
  /**
   * A partial ServiceAccount that holds only `secrets`, applied with server-side apply: the API server merges the list
   * by secret name, so the entries build-service and image-controller add stay. Argo CD never prunes or deletes it
   * (`Prune=false`, `Delete=false`), since the account belongs to the operator. Works for accounts that exist already.
   */
  PARTIAL_SERVICE_ACCOUNT = 'partial-service-account',

  /**
   * Nothing is emitted for the account: the push secrets carry the build-service common-secret labels
   * (`BuildServiceAccount.commonSecretLabels()`), and build-service lists every labelled Secret of the namespace in
   * `secrets` when it creates the account. Only accounts created after the Secret exists get it: existing accounts are
   * not back-filled, and an account Argo CD created first is adopted without the labelled secrets.
   */
  COMMON_SECRET_LABEL = 'common-secret-label',

  /** Both: the label for accounts created later, the partial ServiceAccount for the one that may exist already. */
  COMMON_SECRET_LABEL_AND_PARTIAL_SERVICE_ACCOUNT = 'common-secret-label-and-partial-service-account',

  /**
   * A complete ServiceAccount owned by GitOps. Only for accounts no operator writes: the release pipeline's account.
   */
  OWNED_SERVICE_ACCOUNT = 'owned-service-account',
}

/** What every Konflux pipeline service account takes. */
export interface KonfluxServiceAccountOptions {
  /**
   * The namespace of the account: the tenant namespace for a build account, the managed namespace for a release
   * account.
   *
   * @default - the chart's namespace; one of the two is required
   */
  readonly namespace?: string;

  /**
   * The push secrets, linked through the account's `secrets`. They must live in the account's namespace. At least one.
   */
  readonly secrets: IRegistrySecret[];

  /**
   * Pull secrets for the pipeline pods' own images, linked through `imagePullSecrets` (an atomic list: whoever writes
   * it last owns all of it). Only for release accounts: asking for it on a build account is an error, because
   * build-service, image-controller and OpenShift's dockercfg controller also write that account.
   *
   * @default - none
   */
  readonly imagePullSecrets?: IRegistrySecret[];

  /**
   * Argo CD sync settings.
   *
   * @default - sync wave 0; a partial build account always gets `ServerSideApply=true`, `Prune=false`, `Delete=false`
   */
  readonly argoCd?: ArgoCdOptions;
}

/** Properties of `BuildServiceAccount.forComponent`. */
export interface ComponentBuildServiceAccountProps extends KonfluxServiceAccountOptions {
  /** The Component's `metadata.name`; the account is `build-pipeline-<component>`. */
  readonly component: string;

  /**
   * How the push secrets reach the account. Never `OWNED_SERVICE_ACCOUNT`: build-service creates and owns it.
   *
   * @default KonfluxSecretLinking.PARTIAL_SERVICE_ACCOUNT
   */
  readonly linking?: KonfluxSecretLinking;

  /**
   * The image repository the component's build pushes to (the Component's `containerImage`, e.g.
   * `quay.io/acme/app`): when given, synth fails unless a push secret in `secrets` covers it.
   *
   * @default - the output image is not checked
   */
  readonly outputImage?: string;
}

/** Properties of `BuildServiceAccount.forRelease`. */
export interface ReleaseServiceAccountProps extends KonfluxServiceAccountOptions {
  /**
   * The account's name, as the ReleasePlanAdmission names it in `spec.pipeline.serviceAccountName` (pass this
   * construct to `ReleasePlanAdmission` so the two cannot drift).
   *
   * @default "release-pipeline" (the name in Konflux's demo resources)
   */
  readonly name?: string;

  /**
   * Also bind the account to the ClusterRole `release-pipeline-resource-role` in the managed namespace, which the
   * managed pipeline needs to read its Release, ReleasePlanAdmission and Snapshot.
   *
   * @default true
   */
  readonly roleBinding?: boolean;
}

/**
 * The service account a Konflux pipeline runs as, with the registry push secrets linked to it.
 *
 * - `forComponent`: the build pipeline's `build-pipeline-<component>` in the tenant namespace. build-service creates
 *   that account and image-controller adds its own push secret to it, so this construct never takes it over: it
 *   either relies on the common-secret label, or emits a partial ServiceAccount holding only `secrets`, merged by name
 *   under server-side apply and never pruned or deleted by Argo CD.
 * - `forRelease`: the managed release pipeline's account in the managed namespace, which nothing else writes: a
 *   complete ServiceAccount with its push secrets, plus its RoleBinding.
 *
 * @see https://github.com/konflux-ci/konflux-ci/blob/main/docs/registry-configuration.md
 * @see https://github.com/konflux-ci/build-service/blob/main/internal/controller/component_build_controller_service_account.go
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/sync-options/#server-side-apply
 */
export class BuildServiceAccount extends Construct implements kplus.IServiceAccount {
  /** The label build-service looks for on Secrets to list in every new build account. */
  public static readonly COMMON_SECRET_LABEL = 'build.konflux-ci.dev/common-secret';
  /** The same label's older name, still read by older build-service releases. */
  public static readonly LEGACY_COMMON_SECRET_LABEL = 'build.appstudio.openshift.io/common-secret';
  /** The release account's name in Konflux's demo resources and the default of `forRelease`. */
  public static readonly DEFAULT_RELEASE_SERVICE_ACCOUNT = 'release-pipeline';
  /** The ClusterRole the release account is bound to in the managed namespace. */
  public static readonly RELEASE_PIPELINE_CLUSTER_ROLE = 'release-pipeline-resource-role';

  /**
   * The labels that make build-service link a Secret to every build account it creates in the Secret's namespace: both
   * names, with value `"true"`. Pass them as a `RegistrySecret`'s `labels`.
   *
   * @example new RegistrySecret(chart, 'Regcred', { credentials, labels: BuildServiceAccount.commonSecretLabels() })
   */
  public static commonSecretLabels(): { [key: string]: string } {
    return { [BuildServiceAccount.COMMON_SECRET_LABEL]: 'true', [BuildServiceAccount.LEGACY_COMMON_SECRET_LABEL]: 'true' };
  }

  /**
   * The build account of a component, named as build-service names it: `build-pipeline-<component>`.
   *
   * @param component the Component's `metadata.name`
   * @throws ValidationError when the component name is not a Kubernetes object name or the account name gets too long
   */
  public static serviceAccountNameFor(component: string): string {
    return buildAccountName(component);
  }

  /** Links push secrets to the build account of one component, without taking the account over. */
  public static forComponent(scope: Construct, id: string, props: ComponentBuildServiceAccountProps): BuildServiceAccount {
    return new BuildServiceAccount(scope, id, props, KonfluxPipeline.BUILD);
  }

  /** The release pipeline's account in the managed namespace, owned completely, with its push secrets. */
  public static forRelease(scope: Construct, id: string, props: ReleaseServiceAccountProps): BuildServiceAccount {
    return new BuildServiceAccount(scope, id, props, KonfluxPipeline.RELEASE);
  }

  /** Which pipeline runs as the account. */
  public readonly pipeline: KonfluxPipeline;
  /** The account's name. */
  public readonly name: string;
  /** The account's namespace. */
  public readonly namespace: string;
  /** How the push secrets reach the account. */
  public readonly linking: KonfluxSecretLinking;
  /** The push secrets, in the order given. */
  public readonly secrets: IRegistrySecret[];
  /** The pull secrets of a release account, in the order given. */
  public readonly imagePullSecrets: IRegistrySecret[];
  /** The emitted ServiceAccount (partial for a build account); undefined when only the label links the secrets. */
  public readonly serviceAccount?: ApiObject;
  /** The emitted RoleBinding of a release account. */
  public readonly roleBinding?: ApiObject;

  /** The account's API version, `v1`. */
  public readonly apiVersion = 'v1';
  /** The account's kind, `ServiceAccount`. */
  public readonly kind = 'ServiceAccount';
  /** The account's API group, the core group `""`. */
  public readonly apiGroup = '';
  /** The account's resource type, for RBAC rules. */
  public readonly resourceType = 'serviceaccounts';

  private constructor(scope: Construct, id: string, rawProps: KonfluxServiceAccountOptions, pipeline: KonfluxPipeline) {
    super(scope, id);
    const props = checkProps(this, rawProps,
      pipeline === KonfluxPipeline.BUILD ? 'ComponentBuildServiceAccountProps' : 'ReleaseServiceAccountProps');
    this.pipeline = pipeline;
    const build = pipeline === KonfluxPipeline.BUILD;
    this.namespace = requireNamespace(this, props.namespace, build
      ? 'the tenant namespace of the component'
      : 'the managed namespace the release pipeline runs in');
    this.secrets = checkSecrets(this, 'secrets', props.secrets, this.namespace, true);
    this.imagePullSecrets = checkSecrets(this, 'imagePullSecrets', props.imagePullSecrets ?? [], this.namespace, false);
    if (build) {
      const buildProps = props as ComponentBuildServiceAccountProps;
      this.name = buildAccountName(buildProps.component, this);
      this.linking = checkBuildLinking(this, buildProps.linking ?? KonfluxSecretLinking.PARTIAL_SERVICE_ACCOUNT);
      rejectBuildImagePullSecrets(this, this.imagePullSecrets);
      checkCommonSecretLabels(this, this.linking, this.secrets);
      const outputImage = buildProps.outputImage;
      if (outputImage !== undefined) {
        requireImage(this, outputImage);
        addValidationOncePerSynth(this,
          () => pushCoverageMessages(this.name, this.secrets, [{ property: 'outputImage', repository: outputImage }]));
      }
      if (this.linking !== KonfluxSecretLinking.COMMON_SECRET_LABEL) {
        this.serviceAccount = this.emitServiceAccount(props.argoCd, [
          ArgoCdSyncOption.SERVER_SIDE_APPLY, ArgoCdSyncOption.PRUNE_DISABLED, ArgoCdSyncOption.DELETE_DISABLED,
        ]);
      }
    } else {
      const releaseProps = props as ReleaseServiceAccountProps;
      this.name = releaseProps.name ?? BuildServiceAccount.DEFAULT_RELEASE_SERVICE_ACCOUNT;
      validateCrdName(this.name, 'name', this);
      this.linking = KonfluxSecretLinking.OWNED_SERVICE_ACCOUNT;
      this.serviceAccount = this.emitServiceAccount(props.argoCd, []);
      if (releaseProps.roleBinding ?? true) {
        this.roleBinding = this.emitReleaseRoleBinding(props.argoCd, `${this.name}${ROLE_BINDING_SUFFIX}`);
      }
    }
  }

  /** The account's name, for RBAC rules. */
  public get resourceName(): string | undefined {
    return this.name;
  }

  /** The account as a RoleBinding subject. */
  public toSubjectConfiguration(): kplus.SubjectConfiguration {
    return { kind: this.kind, name: this.name, namespace: this.namespace };
  }

  // Written as a raw object: cdk8s-plus would add `automountServiceAccountToken: false`, which takes the API token
  // from pipelines that read their Release or Snapshot, and is a field a partial account must not claim.
  private emitServiceAccount(argoCd: ArgoCdOptions | undefined, requiredOptions: ArgoCdSyncOption[]): ApiObject {
    const account = new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name: this.name, namespace: this.namespace },
      secrets: references(this.secrets),
      imagePullSecrets: this.imagePullSecrets.length > 0 ? references(this.imagePullSecrets) : undefined,
    });
    applyArgoCd(account, argoCd, SERVICE_ACCOUNT_WAVE, requiredOptions);
    return account;
  }

  private emitReleaseRoleBinding(argoCd: ArgoCdOptions | undefined, name: string): ApiObject {
    if (name.length > MAX_OBJECT_NAME) {
      throw new ValidationError({
        scope: this,
        property: 'name',
        value: this.name,
        problem: `makes the RoleBinding name "<name>${ROLE_BINDING_SUFFIX}" longer than ${MAX_OBJECT_NAME} characters`,
        fix: `shorten the name to at most ${MAX_OBJECT_NAME - ROLE_BINDING_SUFFIX.length} characters, or pass roleBinding: false and bind the account yourself`,
      });
    }
    const binding = new KubeRoleBinding(this, 'RoleBinding', {
      metadata: { name, namespace: this.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: BuildServiceAccount.RELEASE_PIPELINE_CLUSTER_ROLE },
      subjects: [this.toSubjectConfiguration()],
    });
    applyArgoCd(binding, argoCd, SERVICE_ACCOUNT_WAVE);
    return binding;
  }
}

function requireImage(scope: IConstruct, image: string): void {
  if (typeof image !== 'string' || !ImageReference.isValid(image)) {
    throw new ValidationError({
      scope,
      property: 'outputImage',
      value: typeof image === 'string' ? image : typeof image,
      problem: 'is not an image reference',
      fix: 'give the repository the build pushes to, e.g. "quay.io/acme/app"',
    });
  }
}

function references(secrets: IRegistrySecret[]): Array<{ name: string }> {
  return secrets.map(secret => ({ name: secret.name }));
}

function buildAccountName(component: string, scope?: IConstruct): string {
  KubernetesNames.validateDns1123Subdomain(component, 'component', scope);
  const name = `build-pipeline-${component}`;
  if (name.length > MAX_OBJECT_NAME) {
    throw new ValidationError({
      scope,
      property: 'component',
      value: component,
      problem: `makes the build account name "build-pipeline-<component>" ${name.length} characters long; object names have at most ${MAX_OBJECT_NAME}, so build-service could not create the account`,
      fix: `shorten the Component name to at most ${MAX_OBJECT_NAME - 'build-pipeline-'.length} characters`,
    });
  }
  return name;
}

/** Throws unless the list is usable as an account's secrets: present (when required), unique, in the namespace. */
function checkSecrets(
  scope: IConstruct, property: string, secrets: IRegistrySecret[] | undefined, namespace: string, required: boolean,
): IRegistrySecret[] {
  const list = [...(secrets ?? [])];
  if (required && list.length === 0) {
    throw new ValidationError({
      scope,
      property,
      problem: 'is empty: the pipeline would push without registry credentials',
      fix: 'pass at least one push secret, e.g. secrets: [new RegistrySecret(chart, "Regcred", { ... })]',
    });
  }
  const seen = new Set<string>();
  list.forEach((secret, index) => {
    if (seen.has(secret.name)) {
      throw new ValidationError({
        scope,
        property: `${property}[${index}]`,
        value: secret.name,
        problem: 'is listed twice',
        fix: 'list each secret once',
      });
    }
    seen.add(secret.name);
    if (secret.namespace !== undefined && secret.namespace !== namespace) {
      throw new ValidationError({
        scope,
        property: `${property}[${index}]`,
        value: `${secret.namespace}/${secret.name}`,
        problem: `lives in namespace "${secret.namespace}", but a service account can only use Secrets of its own namespace "${namespace}"`,
        fix: `create the secret in "${namespace}" (RegistrySecret namespace: "${namespace}"), or replicate it there`,
      });
    }
  });
  return list;
}

function checkBuildLinking(scope: IConstruct, linking: KonfluxSecretLinking): KonfluxSecretLinking {
  if (linking === KonfluxSecretLinking.OWNED_SERVICE_ACCOUNT) {
    throw new ValidationError({
      scope,
      property: 'linking',
      value: linking,
      problem: 'would make GitOps own build-service\'s account: pruning or replacing it drops the push secrets image-controller linked, and build-service only recreates it when the Component changes',
      fix: 'use KonfluxSecretLinking.PARTIAL_SERVICE_ACCOUNT (the default) or KonfluxSecretLinking.COMMON_SECRET_LABEL',
    });
  }
  return linking;
}

function rejectBuildImagePullSecrets(scope: IConstruct, imagePullSecrets: IRegistrySecret[]): void {
  if (imagePullSecrets.length > 0) {
    throw new ValidationError({
      scope,
      property: 'imagePullSecrets',
      value: imagePullSecrets.map(s => s.name).join(', '),
      problem: 'cannot be declared on a build account: it is an atomic list that build-service, image-controller and OpenShift also write, so each apply would drop their entries (and they ours)',
      fix: 'remove imagePullSecrets and pass the secrets in "secrets": Tekton turns those into the pipeline\'s registry credentials',
    });
  }
}

/**
 * The label linking works only on Secrets that carry both labels; declared RegistrySecrets are checked, since a
 * missing label fails silently (the account is created without the secret and builds fail to push).
 */
function checkCommonSecretLabels(scope: IConstruct, linking: KonfluxSecretLinking, secrets: IRegistrySecret[]): void {
  if (linking === KonfluxSecretLinking.PARTIAL_SERVICE_ACCOUNT) {
    return;
  }
  secrets.forEach((secret, index) => {
    const labelled = secret instanceof RegistrySecret && Object.entries(BuildServiceAccount.commonSecretLabels())
      .every(([key, value]) => secret.apiObject.metadata.getLabel(key) === value);
    if (!labelled) {
      throw new ValidationError({
        scope,
        property: `secrets[${index}]`,
        value: secret.name,
        problem: secret instanceof RegistrySecret
          ? `lacks the common-secret labels that linking "${linking}" relies on`
          : `is an existing Secret whose labels cannot be checked, and linking "${linking}" relies on them`,
        fix: secret instanceof RegistrySecret
          ? 'declare the RegistrySecret with labels: BuildServiceAccount.commonSecretLabels()'
          : 'declare the secret as a RegistrySecret with labels: BuildServiceAccount.commonSecretLabels(), or use KonfluxSecretLinking.PARTIAL_SERVICE_ACCOUNT',
      });
    }
  });
}
