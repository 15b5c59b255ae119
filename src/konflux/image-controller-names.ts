import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkArgs } from '../props-check';

/** The API group of an `ImageRepository`: image-controller names its secrets differently for each. */
export enum ImageRepositoryApiGroup {
  /** `appstudio.redhat.com/v1alpha1`, the group Konflux's docs and UI use. */
  APPSTUDIO = 'appstudio.redhat.com',
  /** `konflux-ci.dev/v1alpha1`, the newer group (image-controller serves both). */
  KONFLUX = 'konflux-ci.dev',
}

/** Where an ImageRepository's Quay repository is, as image-controller derives it. */
export interface ImageRepositoryLocation {
  /** The ImageRepository's namespace (the tenant namespace). */
  readonly namespace: string;
  /** The ImageRepository's `metadata.name`. */
  readonly name: string;
  /** The Quay organization (`organization` in the `quaytoken` Secret). */
  readonly organization: string;
  /**
   * The Quay host, the host of `quayapiurl`.
   *
   * @default "quay.io"
   */
  readonly quayHost?: string;
  /**
   * `spec.image.name`, when set.
   *
   * @default - none
   */
  readonly imageName?: string;
  /**
   * The `appstudio.redhat.com/component` label, when set (component mode).
   *
   * @default - none
   */
  readonly component?: string;
}

/** image-controller cuts an ImageRepository name to this length before adding a secret suffix. */
const MAX_SECRET_BASE = 220;

/**
 * The names Konflux's image-controller gives the objects it creates, so that GitOps code can refer to them (e.g.
 * link `<repository>-image-push` or `components-namespace-pull` to a service account) without guessing.
 *
 * @see https://github.com/konflux-ci/image-controller/blob/main/internal/controller/imagerepository_controller.go
 */
export class ImageControllerNames {
  /** The read-only pull secret image-controller creates once per tenant namespace. */
  public static readonly NAMESPACE_PULL_SECRET = 'components-namespace-pull';
  /** The integration test account image-controller links pull secrets to (when it exists). */
  public static readonly INTEGRATION_SERVICE_ACCOUNT = 'konflux-integration-runner';

  /** The push secret of an ImageRepository: `<name>-image-push` (appstudio group) or `<name>-img-push` (konflux group). */
  public static pushSecretName(imageRepository: string, group: ImageRepositoryApiGroup): string {
    checkArgs('ImageControllerNames.pushSecretName', [imageRepository, group]);
    return secretName(imageRepository, group === ImageRepositoryApiGroup.APPSTUDIO ? '-image-push' : '-img-push');
  }

  /** The pull secret of an ImageRepository in component mode: `<name>-image-pull` or `<name>-img-pull`. */
  public static pullSecretName(imageRepository: string, group: ImageRepositoryApiGroup): string {
    checkArgs('ImageControllerNames.pullSecretName', [imageRepository, group]);
    return secretName(imageRepository, group === ImageRepositoryApiGroup.APPSTUDIO ? '-image-pull' : '-img-pull');
  }

  /** The merged pull secret of an application's components (appstudio group only): `<application>-pull`. */
  public static applicationPullSecretName(application: string): string {
    checkArgs('ImageControllerNames.applicationPullSecretName', [application]);
    KubernetesNames.validateDns1123Subdomain(application, 'application');
    return `${application}-pull`;
  }

  /**
   * The Quay repository of an ImageRepository: `<quayHost>/<organization>/<path>`, where the path is `spec.image.name`
   * (a leading `/` dropped, `<namespace>/` prepended unless it is there), else `<namespace>/<component>`, else
   * `<namespace>/<metadata.name>`. (image-controller's README says application/component; its code does this.)
   */
  public static repositoryUrl(location: ImageRepositoryLocation): string {
    checkArgs('ImageControllerNames.repositoryUrl', [location]);
    const quayHost = location.quayHost ?? 'quay.io';
    const prefix = `${location.namespace}/`;
    const imageName = location.imageName?.replace(/^\//, '');
    const path = imageName
      ? (imageName.startsWith(prefix) ? imageName : prefix + imageName)
      : prefix + (location.component ?? location.name);
    return `${quayHost}/${location.organization}/${path}`;
  }

  private constructor() {}
}

function secretName(imageRepository: string, suffix: string): string {
  if (!KubernetesNames.isDns1123Subdomain(imageRepository)) {
    throw new ValidationError({
      property: 'imageRepository',
      value: imageRepository,
      problem: KubernetesNames.checkDns1123Subdomain(imageRepository)!,
      fix: 'pass the ImageRepository\'s metadata.name',
    });
  }
  return imageRepository.slice(0, MAX_SECRET_BASE) + suffix;
}
