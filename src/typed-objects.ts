// Module-internal: the typed classes every object of this library is built with — the ones `cdk8s import` generated
// from the pinned CRDs (src/imports/, `npx projen import-crds`) and cdk8s-plus-28's own generated Kubernetes classes —
// each made to apply JSON patches to the YAML it writes (see `patchedAsWritten`). Not exported from the package root:
// constructs expose their objects as `ApiObject`.
import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as argoApplication from './imports/argocd-application';
import * as imageUpdater from './imports/argocd-imageupdater';
import * as clusterExternalSecret from './imports/eso-clusterexternalsecret';
import * as externalSecret from './imports/eso-externalsecret';
import * as acr from './imports/eso-generator-acr';
import * as ecr from './imports/eso-generator-ecr';
import * as gcr from './imports/eso-generator-gcr';
import * as quay from './imports/eso-generator-quay';
import * as imageRepository from './imports/konflux-imagerepository';
import * as imageRepositoryAppstudio from './imports/konflux-imagerepository-appstudio';
import * as konflux from './imports/konflux-konflux';
import * as releasePlanAdmission from './imports/konflux-releaseplanadmission';
import * as dataPlanePullProposal from './imports/openchoreo-dataplane-pull-proposal';
import * as dataPlaneV017 from './imports/openchoreo-dataplane-v0-17';
import * as dataPlaneV02 from './imports/openchoreo-dataplane-v0-2-push';
import * as dataPlaneV03 from './imports/openchoreo-dataplane-v0-3-pull';
import * as dataPlaneV1 from './imports/openchoreo-dataplane-v1';
import * as secretReference from './imports/openchoreo-secretreference';
import * as sealedSecret from './imports/sealedsecrets';

/**
 * `Base`, with JSON patches applied to the JSON it renders.
 *
 * A generated class converts its props to the CRD's spelling in `toJson()` (`apiServerUrl` → `apiServerURL`) after
 * cdk8s has applied the patches, and keeps only the fields it knows: a patch would have to use the TypeScript names,
 * and a field a patch adds that the class lacks would vanish without a word. Users write escape hatches against the
 * YAML they see, and the synth-time checks must see what they added, so here the patches come after the conversion.
 */
export function patchedAsWritten<T extends new (...args: any[]) => ApiObject>(Base: T): T {
  return class extends Base {
    private readonly patchesAsWritten: JsonPatch[] = [];

    public addJsonPatch(...ops: JsonPatch[]): void {
      this.patchesAsWritten.push(...ops);
    }

    public toJson(): any {
      const json = super.toJson();
      if (this.patchesAsWritten.length === 0) {
        return json;
      }
      try {
        return JsonPatch.apply(json, ...this.patchesAsWritten);
      } catch (err) {
        throw new Error(`Failed serializing construct at path '${this.node.path}' with name '${this.name}': ${err}`);
      }
    }
  };
}

// Kubernetes (cdk8s-plus-28's generated classes)
export const KubeSecret = patchedAsWritten(k8s.KubeSecret);
export const KubeConfigMap = patchedAsWritten(k8s.KubeConfigMap);
export const KubeServiceAccount = patchedAsWritten(k8s.KubeServiceAccount);
export const KubeRoleBinding = patchedAsWritten(k8s.KubeRoleBinding);

// Secret delivery
export const SealedSecret = patchedAsWritten(sealedSecret.SealedSecret);
export const ExternalSecret = patchedAsWritten(externalSecret.ExternalSecret);
export const ClusterExternalSecret = patchedAsWritten(clusterExternalSecret.ClusterExternalSecret);
export const EcrAuthorizationToken = patchedAsWritten(ecr.EcrAuthorizationToken);
export const GcrAccessToken = patchedAsWritten(gcr.GcrAccessToken);
export const AcrAccessToken = patchedAsWritten(acr.AcrAccessToken);
export const QuayAccessToken = patchedAsWritten(quay.QuayAccessToken);

// OpenChoreo
export const DataPlaneV02Push = patchedAsWritten(dataPlaneV02.DataPlane);
export const DataPlanePullProposal = patchedAsWritten(dataPlanePullProposal.DataPlane);
export const DataPlaneV03Pull = patchedAsWritten(dataPlaneV03.DataPlane);
export const DataPlaneV017 = patchedAsWritten(dataPlaneV017.DataPlane);
export const DataPlaneV1 = patchedAsWritten(dataPlaneV1.DataPlane);
export const OpenChoreoSecretReference = patchedAsWritten(secretReference.SecretReference);

// Konflux
export const KonfluxReleasePlanAdmission = patchedAsWritten(releasePlanAdmission.ReleasePlanAdmission);
export const KonfluxImageRepository = patchedAsWritten(imageRepository.ImageRepository);
export const AppstudioImageRepository = patchedAsWritten(imageRepositoryAppstudio.ImageRepository);
export const Konflux = patchedAsWritten(konflux.Konflux);

// Argo CD
export const ArgoCdApplication = patchedAsWritten(argoApplication.Application);
export const ArgoCdImageUpdater = patchedAsWritten(imageUpdater.ImageUpdater);

/** A generated class (as returned by `patchedAsWritten`) with its static `manifest`. */
export interface TypedClass<P> {
  new (scope: Construct, id: string, props: P): ApiObject;
  manifest(props: P): any;
}

/**
 * An object rendered but not yet created: which typed class writes it, with which props. Deliveries return these, so
 * the same rendering gives an ApiObject (`create`) or plain manifest JSON (`manifest`, e.g. a template in a
 * ComponentType).
 */
export interface TypedObject {
  /** The object as the typed class writes it. */
  manifest(): { [key: string]: any };
  /** Creates the object in `scope`. */
  create(scope: Construct, id: string): ApiObject;
}

/** The object `type` writes for `props`. */
export function typedObject<P>(type: TypedClass<P>, props: P): TypedObject {
  return {
    manifest: () => type.manifest(props),
    create: (scope, id) => new type(scope, id, props),
  };
}

/** The member of a generated string enum whose value is `value` (the CRD's spelling). */
export function enumMember<E extends string>(members: { [name: string]: E }, value: string): E {
  const member = Object.values(members).find(candidate => candidate === value);
  if (member === undefined) {
    throw new Error(`"${value}" is not one of ${Object.values(members).join(', ')}`);
  }
  return member;
}

// The generated modules, for their props and enum types.
export { argoApplication, imageUpdater, clusterExternalSecret, externalSecret, acr, ecr, gcr, quay };
export { imageRepository, imageRepositoryAppstudio, konflux, releasePlanAdmission, secretReference, sealedSecret };
export { dataPlanePullProposal, dataPlaneV017, dataPlaneV02, dataPlaneV03, dataPlaneV1 };
export { k8s };
