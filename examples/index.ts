import { App } from 'cdk8s';
import * as quickstart from './00-quickstart';
import * as openChoreoPublicPush from './01-openchoreo-public-push';
import * as openChoreoPrivatePush from './02-openchoreo-private-push';
import * as openChoreoExternalPull from './03-openchoreo-external-pull';
import * as choreoByoi from './04-choreo-byoi';
import * as konfluxBuild from './05-konflux-build';
import * as konfluxRelease from './06-konflux-release';
import * as konfluxQuayImageController from './07-konflux-quay-image-controller';
import * as gitopsDeliveries from './08-gitops-deliveries';
import * as openChoreoV017Pull from './09-openchoreo-v0-17-pull';
import * as openChoreoV1Pull from './10-openchoreo-v1-pull';
import * as konfluxImageRepository from './11-konflux-image-repository';
import * as manyClusters from './12-many-clusters';

/** One example scenario: a file in examples/ that adds its charts to an app, or builds one app per cluster. */
export interface Example {
  readonly name: string;
  /** Adds the example's charts to one app (one cluster). */
  readonly build?: (app: App) => void;
  /** For an example of several clusters: one App per cluster, each writing into `<outdir>/<cluster>`. */
  readonly clusters?: (outdir: string) => App[];
  /**
   * The CRD file to validate a custom resource kind against, by `group/version/Kind`, when the checker's default is
   * another release (see `ManifestCheckOptions.crdFiles` in `test/helpers/manifest-checker.ts`).
   */
  readonly crdFiles?: { readonly [groupVersionKind: string]: string };
}

/** Every example, in the order `cdk8s synth` builds them. */
export const EXAMPLES: Example[] = [
  { name: '00-quickstart', build: quickstart.build },
  { name: '01-openchoreo-public-push', build: openChoreoPublicPush.build },
  { name: '02-openchoreo-private-push', build: openChoreoPrivatePush.build },
  { name: '03-openchoreo-external-pull', build: openChoreoExternalPull.build, crdFiles: openChoreoExternalPull.crdFiles },
  { name: '04-choreo-byoi', build: choreoByoi.build },
  { name: '05-konflux-build', build: konfluxBuild.build },
  { name: '06-konflux-release', build: konfluxRelease.build },
  { name: '07-konflux-quay-image-controller', build: konfluxQuayImageController.build },
  { name: '08-gitops-deliveries', build: gitopsDeliveries.build },
  { name: '09-openchoreo-v0-17-pull', build: openChoreoV017Pull.build, crdFiles: openChoreoV017Pull.crdFiles },
  { name: '10-openchoreo-v1-pull', build: openChoreoV1Pull.build, crdFiles: openChoreoV1Pull.crdFiles },
  { name: '11-konflux-image-repository', build: konfluxImageRepository.build },
  { name: '12-many-clusters', clusters: manyClusters.clusters, crdFiles: manyClusters.crdFiles },
];

/** The apps of an example, writing into `outdir`: its own clusters, or one app. */
export function appsOf(example: Example, outdir: string): App[] {
  if (example.clusters) {
    return example.clusters(outdir);
  }
  const app = new App({ outdir });
  example.build!(app);
  return [app];
}
