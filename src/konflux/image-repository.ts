import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ImageControllerNames, ImageRepositoryApiGroup } from './image-controller-names';
import { applyArgoCd, ArgoCdOptions, ArgoCdSyncOption } from '../argocd';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkProps as checkPropTypes } from '../props-check';
import { IRegistrySecret, RegistryPurpose, RegistrySecret } from '../registry-secret';
import { AppstudioImageRepository, enumMember, imageRepository, imageRepositoryAppstudio, KonfluxImageRepository } from '../typed-objects';

/** Who can pull from the Quay repository (`spec.image.visibility`). */
export enum ImageRepositoryVisibility {
  /** Anyone can pull. image-controller's default. */
  PUBLIC = 'public',
  /** Only robot accounts and members can pull. */
  PRIVATE = 'private',
}

/** The component an ImageRepository belongs to (component mode). */
export interface ImageRepositoryComponent {
  /** The Component's `metadata.name`, written as the `appstudio.redhat.com/component` label. */
  readonly name: string;
  /** The Component's application, written as the `appstudio.redhat.com/application` label. */
  readonly application: string;
}

/** Properties of an `ImageRepository`. */
export interface ImageRepositoryProps {
  /**
   * The API group to write. image-controller names the secrets it creates after the group (`-image-push` for
   * `appstudio.redhat.com`, `-img-push` for `konflux-ci.dev`).
   *
   * @default ImageRepositoryApiGroup.APPSTUDIO (the group Konflux's docs and UI use)
   */
  readonly apiGroup?: ImageRepositoryApiGroup;

  /** The ImageRepository's `metadata.name`; the push secret is named after it. */
  readonly name: string;

  /**
   * The tenant namespace.
   *
   * @default - the chart's namespace
   */
  readonly namespace?: string;

  /**
   * The Quay organization image-controller creates repositories in (`organization` in its `quaytoken` Secret). Needed
   * to know the repository the push secret is for.
   */
  readonly quayOrganization: string;

  /**
   * The Quay host (the host of `quayapiurl`).
   *
   * @default "quay.io"
   */
  readonly quayHost?: string;

  /**
   * `spec.image.name`: the repository path under the organization. Always written, with `<namespace>/` in front
   * unless it is there (as image-controller writes it back when it is empty, so Argo CD shows no diff). It cannot be
   * changed later.
   *
   * @default - what image-controller would choose: the component's name in component mode, else `name`
   */
  readonly imageName?: string;

  /**
   * `spec.image.visibility`. Always written, for the same reason as `imageName`.
   *
   * @default ImageRepositoryVisibility.PUBLIC (image-controller's default)
   */
  readonly visibility?: ImageRepositoryVisibility;

  /**
   * The component the repository is for. Its labels must be there when the object is created: they switch on
   * component mode (pull robot, linking the push secret to `build-pipeline-<component>`).
   *
   * @default - no component: the push secret is created but linked to nothing
   */
  readonly component?: ImageRepositoryComponent;

  /**
   * Argo CD sync settings. `SkipDryRunOnMissingResource=true` is always set (the CRD comes with Konflux).
   *
   * @default - sync wave 0
   */
  readonly argoCd?: ArgoCdOptions;
}

const COMPONENT_LABEL = 'appstudio.redhat.com/component';
const APPLICATION_LABEL = 'appstudio.redhat.com/application';
/** The CRD's pattern for `spec.image.name` (both groups). */
const IMAGE_NAME = /^[a-z0-9][.a-z0-9_-]*(\/[a-z0-9][.a-z0-9_-]*)*$/;
const IMAGE_NAME_MAX = 2048;

/**
 * A Konflux `ImageRepository`: image-controller creates the Quay repository, its robot accounts and the
 * `<name>-image-push` (or `-img-push`) Secret, and links that Secret to `build-pipeline-<component>`. The construct
 * always writes `spec.image.name` and `spec.image.visibility`, so Argo CD sees no drift, and exposes the push secret
 * as an `IRegistrySecret` for `BuildServiceAccount` and push checks.
 *
 * @see https://github.com/konflux-ci/image-controller#general-purpose-image-repository
 * @see https://konflux-ci.dev/docs/building/imagerepository/
 */
export class ImageRepository extends Construct {
  /** The API group written. */
  public readonly apiGroup: ImageRepositoryApiGroup;
  /** `metadata.name`. */
  public readonly name: string;
  /** The tenant namespace. */
  public readonly namespace: string;
  /** `spec.image.name` as written: `<namespace>/<path>`, the repository path in the Quay organization. */
  public readonly imageName: string;
  /** `spec.image.visibility` as written. */
  public readonly visibility: ImageRepositoryVisibility;
  /** The Quay repository image-controller creates, e.g. `quay.io/acme/tenant/web`. */
  public readonly repositoryUrl: string;
  /** The name of the push Secret image-controller creates: `<name>-image-push` or `<name>-img-push`. */
  public readonly pushSecretName: string;
  /**
   * The push Secret image-controller creates (nothing is emitted for it): purpose push, keyed by `repositoryUrl`,
   * as image-controller writes its `auths`.
   */
  public readonly pushSecret: IRegistrySecret;
  /** The `ImageRepository` object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, rawProps: ImageRepositoryProps) {
    super(scope, id);
    const props = checkPropTypes(this, rawProps, 'ImageRepositoryProps');
    checkProps(this, props);
    this.apiGroup = props.apiGroup ?? ImageRepositoryApiGroup.APPSTUDIO;
    this.name = props.name;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? missingNamespace(this);
    KubernetesNames.validateDns1123Label(this.namespace, 'namespace', this);
    const path = props.imageName ?? props.component?.name ?? props.name;
    checkImageName(this, path, props.imageName === undefined);
    this.visibility = props.visibility ?? ImageRepositoryVisibility.PUBLIC;
    const quayPrefix = `${props.quayHost ?? 'quay.io'}/${props.quayOrganization}/`;
    this.repositoryUrl = ImageControllerNames.repositoryUrl({
      namespace: this.namespace,
      name: this.name,
      organization: props.quayOrganization,
      quayHost: props.quayHost,
      imageName: path,
    });
    // Written as image-controller writes it when it fills the field in: with the namespace in front. The appstudio
    // group compares the field with that path and reports a rename in the status when they differ.
    this.imageName = this.repositoryUrl.slice(quayPrefix.length);
    checkImageName(this, this.imageName, props.imageName === undefined);
    this.pushSecretName = pushSecretNameOf(this, this.name, this.apiGroup);
    this.pushSecret = RegistrySecret.fromSecretName(this, 'PushSecret', this.pushSecretName, {
      namespace: this.namespace,
      registries: [this.repositoryUrl],
      purpose: RegistryPurpose.PUSH,
    });
    this.apiObject = this.emitImageRepository(componentLabels(props.component));
    applyArgoCd(this.apiObject, props.argoCd, 0, [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE]);
  }

  /** The ImageRepository of the chosen API group: the two CRDs have the same fields, each its own generated class. */
  private emitImageRepository(labels: { [key: string]: string } | undefined): ApiObject {
    const metadata = { name: this.name, namespace: this.namespace, labels };
    if (this.apiGroup === ImageRepositoryApiGroup.APPSTUDIO) {
      const visibility = enumMember(imageRepositoryAppstudio.ImageRepositorySpecImageVisibility, this.visibility);
      return new AppstudioImageRepository(this, 'Resource', { metadata, spec: { image: { name: this.imageName, visibility } } });
    }
    const visibility = enumMember(imageRepository.ImageRepositorySpecImageVisibility, this.visibility);
    return new KonfluxImageRepository(this, 'Resource', { metadata, spec: { image: { name: this.imageName, visibility } } });
  }
}

function componentLabels(component: ImageRepositoryComponent | undefined): { [key: string]: string } | undefined {
  return component ? { [APPLICATION_LABEL]: component.application, [COMPONENT_LABEL]: component.name } : undefined;
}

function missingNamespace(scope: IConstruct): never {
  throw new ValidationError({
    scope,
    property: 'namespace',
    problem: 'is missing: neither the props nor the chart name the tenant namespace',
    fix: 'pass namespace: "<tenant namespace>", or create the chart with { namespace: "<tenant namespace>" }',
  });
}

/** Run-time checks for JavaScript callers and values the CRD or image-controller would refuse. */
function checkProps(scope: IConstruct, props: ImageRepositoryProps): void {
  if (props === null || typeof props !== 'object') {
    throw new ValidationError({ scope, property: 'props', problem: 'must be an object', fix: 'pass { name, quayOrganization, ... }' });
  }
  requireText(scope, props.name, 'name');
  KubernetesNames.validateDns1123Subdomain(props.name, 'name', scope);
  requireText(scope, props.quayOrganization, 'quayOrganization');
  if (!/^[a-z0-9]+([._-][a-z0-9]+)*$/.test(props.quayOrganization)) {
    throw new ValidationError({
      scope,
      property: 'quayOrganization',
      value: props.quayOrganization,
      problem: 'is not a Quay organization name (lowercase letters and digits, single ".", "_" or "-" between them)',
      fix: 'use the value of "organization" in image-controller\'s quaytoken Secret',
    });
  }
  if (props.quayHost !== undefined) {
    requireText(scope, props.quayHost, 'quayHost');
    if (!/^[a-z0-9.-]+(:[0-9]+)?$/.test(props.quayHost)) {
      throw new ValidationError({
        scope,
        property: 'quayHost',
        value: props.quayHost,
        problem: 'is not a registry host (host[:port], no scheme or path)',
        fix: 'use the host of quayapiurl, e.g. "quay.example.com" for https://quay.example.com/api/v1',
      });
    }
  }
  const groups: string[] = Object.values(ImageRepositoryApiGroup);
  if (props.apiGroup !== undefined && !groups.includes(props.apiGroup)) {
    throw new ValidationError({
      scope,
      property: 'apiGroup',
      value: String(props.apiGroup),
      problem: `is not an ImageRepository API group (${groups.join(', ')})`,
      fix: 'use ImageRepositoryApiGroup.APPSTUDIO or ImageRepositoryApiGroup.KONFLUX',
    });
  }
  const visibilities: string[] = Object.values(ImageRepositoryVisibility);
  if (props.visibility !== undefined && !visibilities.includes(props.visibility)) {
    throw new ValidationError({
      scope,
      property: 'visibility',
      value: String(props.visibility),
      problem: 'is not one of "public", "private" (the CRD enum)',
      fix: 'use ImageRepositoryVisibility.PUBLIC or ImageRepositoryVisibility.PRIVATE',
    });
  }
  if (props.component !== undefined) {
    requireText(scope, props.component?.name, 'component.name');
    requireText(scope, props.component?.application, 'component.application');
    KubernetesNames.validateLabelValue(props.component.name, 'component.name', scope);
    KubernetesNames.validateLabelValue(props.component.application, 'component.application', scope);
  }
  if (props.imageName !== undefined) {
    requireText(scope, props.imageName, 'imageName');
  }
}

function requireText(scope: IConstruct, value: unknown, property: string): void {
  if (typeof value !== 'string' || value === '') {
    throw new ValidationError({
      scope,
      property,
      value: typeof value === 'string' ? value : undefined,
      problem: typeof value === 'string' ? 'must not be empty' : `must be a string, got ${value === null ? 'null' : typeof value}`,
      fix: `pass ${property} as a non-empty string`,
    });
  }
}

function checkImageName(scope: IConstruct, imageName: string, derived: boolean): void {
  if (!IMAGE_NAME.test(imageName) || imageName.length > IMAGE_NAME_MAX) {
    throw new ValidationError({
      scope,
      property: derived ? 'imageName (derived from component.name or name)' : 'imageName',
      value: imageName,
      problem: `must match ${IMAGE_NAME.source} and have at most ${IMAGE_NAME_MAX} characters (the ImageRepository CRD), or the API server rejects the object`,
      fix: 'use lowercase path segments of letters, digits, ".", "_" and "-", separated by "/", e.g. "web" or "team/web"',
    });
  }
}

/** image-controller cuts the name to 220 characters before the suffix; the result must still be a valid Secret name. */
function pushSecretNameOf(scope: IConstruct, name: string, group: ImageRepositoryApiGroup): string {
  const secretName = ImageControllerNames.pushSecretName(name, group);
  const problem = KubernetesNames.checkDns1123Subdomain(secretName);
  if (problem !== undefined) {
    throw new ValidationError({
      scope,
      property: 'name',
      value: name,
      problem: `image-controller would name the push Secret "${secretName}" (the name cut to 220 characters plus the suffix), which ${problem}`,
      fix: 'choose a name whose first 220 characters do not end in "." (or keep it shorter than 220 characters)',
    });
  }
  return secretName;
}
