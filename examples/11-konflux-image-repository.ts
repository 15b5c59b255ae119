import { App, Chart } from 'cdk8s';
import {
  BuildServiceAccount,
  ImageRepository,
  ImageRepositoryApiGroup,
  ImageRepositoryVisibility,
  KonfluxSecretLinking,
} from '../src';

/**
 * S11, Konflux ImageRepository: image-controller creates the Quay repository, its robot accounts and the push Secret
 * `<name>-image-push` (`appstudio.redhat.com`) or `<name>-img-push` (`konflux-ci.dev`). `spec.image.name` and
 * `spec.image.visibility` are always written, so the controller has nothing to fill in and Argo CD sees no drift.
 *
 * In component mode (the `appstudio.redhat.com/component` and `/application` labels) image-controller links the push
 * Secret to `build-pipeline-<component>` itself. A general-purpose repository's push Secret is linked to nothing:
 * `repository.pushSecret` names it for `BuildServiceAccount`, with no hand-written name.
 *
 * @see https://konflux-ci.dev/docs/building/imagerepository/
 */
export function build(app: App): void {
  const chart = new Chart(app, 'konflux-image-repository', { namespace: 'user-ns1' });
  new ImageRepository(chart, 'Web', {
    name: 'web',
    quayOrganization: 'acme',
    visibility: ImageRepositoryVisibility.PRIVATE,
    component: { name: 'web', application: 'shop' },
  });

  const baseImages = new ImageRepository(chart, 'BaseImages', {
    apiGroup: ImageRepositoryApiGroup.KONFLUX,
    name: 'base-images',
    quayOrganization: 'acme',
    imageName: 'base/ubi-node',
  });
  BuildServiceAccount.forComponent(chart, 'BaseImageBuild', {
    component: 'base-image-builder',
    secrets: [baseImages.pushSecret],
    linking: KonfluxSecretLinking.PARTIAL_SERVICE_ACCOUNT,
  });
}
