import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { applyArgoCd, ArgoCdOptions, ArgoCdSyncOption } from '../argocd';
import { RegistryAuthType, RegistryCredentials } from '../credentials/registry-credentials';
import { SecretValueSource } from '../credentials/secret-value';
import { dnsNameFromId } from '../dns-name';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkProps } from '../props-check';
import { IRegistrySecret, RegistrySecret } from '../registry-secret';
import { ArgoCdImageUpdater, imageUpdater } from '../typed-objects';
import { ImageReference, parseImageReference } from '../values/image-reference';

/** The API version of Argo CD Image Updater's `ImageUpdater` custom resource (Image Updater v1.x). */

/**
 * How Argo CD Image Updater picks the next version of an image.
 *
 * @see https://argocd-image-updater.readthedocs.io/en/stable/basics/update-strategies/
 */
export enum ImageUpdateStrategy {
  /** The highest semantic version allowed by the version constraint. */
  SEMVER = 'semver',
  /** The most recently built tag. */
  NEWEST_BUILD = 'newest-build',
  /** The last tag in alphabetical order. */
  ALPHABETICAL = 'alphabetical',
  /** The newest digest of one mutable tag (the version constraint, or the image's tag). */
  DIGEST = 'digest',
}

/** Helm value paths an image update is written to. */
export interface HelmImageTargetOptions {
  /**
   * The dot-separated path of the value that holds the whole image string; `name` and `tag` are then ignored.
   *
   * @default - separate `name` and `tag` values
   */
  readonly spec?: string;
  /**
   * The dot-separated path of the value that holds the image name.
   *
   * @default "image.name" (Image Updater's default)
   */
  readonly name?: string;
  /**
   * The dot-separated path of the value that holds the tag.
   *
   * @default "image.tag" (Image Updater's default)
   */
  readonly tag?: string;
}

/**
 * Where Image Updater writes a new image version in the Argo CD Application (`manifestTargets`).
 *
 * For a cdk8s app rendered by an Argo CD config management plugin (CMP), use `pluginImageSpec`: Image Updater sets
 * the variable in the Application's `spec.source.plugin.env`, and the cdk8s program reads it as
 * `process.env.ARGOCD_ENV_<VARIABLE>`. A plain directory of synthesized YAML has no write-back target: there a CI job
 * must re-synth with the new tag.
 *
 * @see https://argocd-image-updater.readthedocs.io/en/stable/configuration/images/
 */
export class ImageUpdaterTarget {
  /**
   * A CMP environment variable that receives the whole image string (`name:tag`). Image Updater v1.3.0 or newer.
   *
   * @param variable the variable name without the `ARGOCD_ENV_` prefix Argo CD adds, e.g. `WEB_IMAGE`
   */
  public static pluginImageSpec(variable: string): ImageUpdaterTarget {
    checkVariable(variable, 'variable');
    return new ImageUpdaterTarget({ plugin: { spec: variable } });
  }

  /**
   * CMP environment variables that receive the image name and the tag separately. Image Updater v1.3.0 or newer.
   *
   * @param nameVariable the variable for the image name, e.g. `WEB_IMAGE_NAME`
   * @param tagVariable the variable for the tag, e.g. `WEB_IMAGE_TAG`
   */
  public static pluginImageNameAndTag(nameVariable: string, tagVariable: string): ImageUpdaterTarget {
    checkVariable(nameVariable, 'nameVariable');
    checkVariable(tagVariable, 'tagVariable');
    return new ImageUpdaterTarget({ plugin: { name: nameVariable, tag: tagVariable } });
  }

  /**
   * A Kustomize application: the entry of its `images` list to update.
   *
   * @param imageName the image name as the kustomization lists it, e.g. `docker.io/library/nginx`
   */
  public static kustomize(imageName: string): ImageUpdaterTarget {
    requireText(imageName, 'imageName', 'the image name as it appears in the kustomization\'s images list');
    return new ImageUpdaterTarget({ kustomize: { name: imageName } });
  }

  /** A Helm application: the values to update. */
  public static helm(options: HelmImageTargetOptions = {}): ImageUpdaterTarget {
    return new ImageUpdaterTarget({ helm: { spec: options.spec, name: options.name, tag: options.tag } });
  }

  private constructor(
    /** @internal the `manifestTargets` object */
    public readonly _manifestTargets: { [key: string]: any }) {
  }
}

/** Options for writing updates back to Git. */
export interface GitWriteBackOptions {
  /**
   * The branch to commit to.
   *
   * @default - the Application's target revision
   */
  readonly branch?: string;
  /**
   * The repository to commit to.
   *
   * @default - the Application's `spec.source.repoURL`
   */
  readonly repository?: string;
  /**
   * The file to update, e.g. `kustomization:./overlays/prod` or `helmvalues:./values.yaml`.
   *
   * @default - `.argocd-source-<application>.yaml` next to the Application's sources
   */
  readonly writeBackTarget?: string;
  /**
   * A Secret in the ImageUpdater's namespace with Git credentials (`username`/`password`, or `sshPrivateKey`).
   *
   * @default - Argo CD's repository credentials
   */
  readonly credentialsSecret?: string;
}

/**
 * How Image Updater records a new version: in the Argo CD Application (imperative, lost when the Application is
 * re-applied from Git) or as a commit to Git.
 *
 * @see https://argocd-image-updater.readthedocs.io/en/stable/basics/update-methods/
 */
export class ImageUpdaterWriteBack {
  /** Patch the Argo CD Application directly (Image Updater's default). */
  public static argocd(): ImageUpdaterWriteBack {
    return new ImageUpdaterWriteBack(undefined, undefined);
  }

  /** Commit the new version to Git, so the change survives re-applying the Application. */
  public static git(options: GitWriteBackOptions = {}): ImageUpdaterWriteBack {
    if (options.credentialsSecret !== undefined) {
      KubernetesNames.validateDns1123Subdomain(options.credentialsSecret, 'credentialsSecret');
    }
    return new ImageUpdaterWriteBack(options.credentialsSecret, {
      branch: options.branch,
      repository: options.repository,
      writeBackTarget: options.writeBackTarget,
    });
  }

  private constructor(
    private readonly credentialsSecret: string | undefined,
    private readonly gitConfig: { [key: string]: string | undefined } | undefined) {
  }

  /** @internal the `writeBackConfig` object for an ImageUpdater in `namespace` */
  public _render(namespace: string): { [key: string]: any } {
    if (this.gitConfig === undefined) {
      return { method: 'argocd' };
    }
    const method = this.credentialsSecret === undefined ? 'git' : `git:secret:${namespace}/${this.credentialsSecret}`;
    const hasGitConfig = Object.values(this.gitConfig).some(value => value !== undefined);
    return { method, gitConfig: hasGitConfig ? this.gitConfig : undefined };
  }
}

/** One image Image Updater keeps up to date. */
export interface ImageUpdaterImage {
  /** A short name, unique in the ImageUpdater: letters, digits, `-`, `.` and `_`, starting with a letter or digit. */
  readonly alias: string;

  /**
   * The image exactly as the workload writes it (e.g. `ChoreoComponent.image`), so that Image Updater recognizes it in
   * the Application; its tag is replaced by the version constraint.
   */
  readonly image: string;

  /**
   * Which versions to consider: a semver constraint for `SEMVER` (e.g. `1.25.x`, `^1.25`), the mutable tag for
   * `DIGEST`.
   *
   * @default - any version; for `DIGEST` the image's tag
   */
  readonly versionConstraint?: string;

  /**
   * How the next version is picked.
   *
   * @default ImageUpdateStrategy.SEMVER
   */
  readonly updateStrategy?: ImageUpdateStrategy;

  /**
   * The pull secret Image Updater reads tags with, referenced as `pullsecret:<namespace>/<name>`. It must be in the
   * ImageUpdater's namespace (Image Updater v1.3.0 rejects other namespaces) and hold exactly one `auths` key for the
   * image's registry API (`registry-1.docker.io` for Docker Hub images, else the image's host) with an `auth` field:
   * Image Updater reads nothing else.
   *
   * Checked at construction: the namespace, and the keys when the secret's registries are known. Every
   * `RegistrySecret` delivery writes `auth`; a plain-text Docker config JSON is checked for it; a sealed or external
   * Docker config JSON and an existing Secret (`RegistrySecret.fromSecretName`) cannot be checked.
   *
   * @default - anonymous access (public images)
   */
  readonly pullSecret?: IRegistrySecret;

  /**
   * Where the new version is written in the Application.
   *
   * @default - none: Image Updater's default for the Application's source type (Helm `image.name`/`image.tag`, or
   * the Kustomize image of the same name)
   */
  readonly target?: ImageUpdaterTarget;
}

/** Properties of an `ImageUpdater`. */
export interface ImageUpdaterProps {
  /**
   * The name of the ImageUpdater.
   *
   * @default - the construct id in DNS-1123 form
   */
  readonly name?: string;

  /**
   * The namespace of the ImageUpdater: the namespace of the Argo CD Applications it selects and of its pull secrets.
   *
   * @default "argocd"
   */
  readonly namespace?: string;

  /** The Argo CD Applications to update, by name (a glob, e.g. `choreo-*`). */
  readonly applicationName: string;

  /** The images to keep up to date. At least one; aliases unique. */
  readonly images: ImageUpdaterImage[];

  /**
   * How updates are recorded.
   *
   * @default - Image Updater's default, `argocd`
   */
  readonly writeBack?: ImageUpdaterWriteBack;

  /**
   * Argo CD sync settings.
   *
   * @default - sync wave 0, after the pull secrets (-1); `SkipDryRunOnMissingResource=true` (the CRD comes with Image Updater)
   */
  readonly argoCd?: ArgoCdOptions;
}

/**
 * An Argo CD Image Updater `ImageUpdater` (`argocd-image-updater.argoproj.io/v1alpha1`, Image Updater v1.x): deploys
 * new image versions without a manual redeploy — what Choreo's bring-your-own-image components lack ("no automatic
 * detection of new images"), on a GitOps data plane.
 *
 * @see https://argocd-image-updater.readthedocs.io/en/stable/configuration/images/
 * @see https://github.com/argoproj-labs/argocd-image-updater/blob/v1.3.0/config/crd/bases/argocd-image-updater.argoproj.io_imageupdaters.yaml
 * @see https://wso2.com/choreo/docs/develop-components/bring-your-own-image/#auto-deploy-images-in-choreo-with-an-external-cibuild-pipeline
 */
export class ImageUpdater extends Construct {
  /** The ImageUpdater's name. */
  public readonly name: string;
  /** The ImageUpdater's namespace. */
  public readonly namespace: string;
  /** The `ImageUpdater` object. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, rawProps: ImageUpdaterProps) {
    super(scope, id);
    const props = checkProps(this, rawProps, 'ImageUpdaterProps');
    this.name = props.name ?? dnsNameFromId(id);
    KubernetesNames.validateDns1123Subdomain(this.name, 'name', this);
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    KubernetesNames.validateDns1123Label(this.namespace, 'namespace', this);
    requireText(props.applicationName, 'applicationName', 'the Argo CD Application name or a glob such as "choreo-*"', this);
    checkImages(this, props.images);

    this.apiObject = new ArgoCdImageUpdater(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        applicationRefs: [{
          namePattern: props.applicationName,
          images: props.images.map((image, index) => this.renderImage(image, index)),
        }],
        writeBackConfig: props.writeBack?._render(this.namespace),
      },
    });
    applyArgoCd(this.apiObject, props.argoCd, 0, [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE]);
  }

  private renderImage(image: ImageUpdaterImage, index: number): imageUpdater.ImageUpdaterSpecApplicationRefsImages {
    const property = `images[${index}]`;
    const reference = parseImageReference(image.image, `${property}.image`, this);
    const strategy = image.updateStrategy ?? ImageUpdateStrategy.SEMVER;
    const constraint = versionConstraintOf(this, image, reference, strategy, property);
    if (image.pullSecret) {
      checkPullSecret(this, image.pullSecret, reference, this.namespace, `${property}.pullSecret`);
    }
    const name = withoutTagAndDigest(image.image);
    return {
      alias: image.alias,
      imageName: constraint === undefined ? name : `${name}:${constraint}`,
      commonUpdateSettings: {
        updateStrategy: strategy,
        pullSecret: image.pullSecret ? `pullsecret:${this.namespace}/${image.pullSecret.name}` : undefined,
      },
      manifestTargets: image.target?._manifestTargets,
    };
  }
}

const DEFAULT_NAMESPACE = 'argocd';
const ALIAS = /^[a-zA-Z0-9][a-zA-Z0-9-._]*$/;
const ENV_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_PLUGIN_VARIABLE = 253;
const TAG = /^[\w][\w.-]{0,127}$/;
const DOCKER_HUB_API = 'https://registry-1.docker.io';

function checkImages(scope: Construct, images: ImageUpdaterImage[]): void {
  if (images.length === 0) {
    throw new ValidationError({ scope, property: 'images', problem: 'is empty', fix: 'give at least one image to update' });
  }
  const seen = new Set<string>();
  images.forEach((image, index) => {
    if (!ALIAS.test(image.alias) || seen.has(image.alias)) {
      throw new ValidationError({
        scope,
        property: `images[${index}].alias`,
        value: image.alias,
        problem: seen.has(image.alias) ? 'is used twice; aliases identify images in the ImageUpdater' : 'is not an alias: letters, digits, "-", "." and "_", starting with a letter or digit',
        fix: 'give each image its own alias, e.g. "web"',
      });
    }
    seen.add(image.alias);
  });
}

function versionConstraintOf(
  scope: Construct, image: ImageUpdaterImage, reference: ImageReference, strategy: ImageUpdateStrategy, property: string,
): string | undefined {
  const constraint = image.versionConstraint ?? (strategy === ImageUpdateStrategy.DIGEST ? reference.tag : undefined);
  if (strategy === ImageUpdateStrategy.DIGEST && constraint === undefined) {
    throw new ValidationError({
      scope,
      property: `${property}.versionConstraint`,
      value: image.image,
      problem: 'is required for the digest strategy, which follows one mutable tag, and the image has no tag',
      fix: 'pass versionConstraint: "latest" (or the tag to follow)',
    });
  }
  if (constraint !== undefined && !TAG.test(constraint) && writtenPath(image.image).startsWith('library/')) {
    // Image Updater reads a reference whose "tag" is not tag-shaped with its legacy parser, which keeps "library/" in
    // the name; the Application's images lose it, so the image would silently never match.
    throw new ValidationError({
      scope,
      property: `${property}.versionConstraint`,
      value: constraint,
      problem: 'is not tag-shaped, and Image Updater then parses a "library/" image differently from the Application\'s images, so it never updates it',
      fix: 'write the constraint as an x-range, e.g. "1.25.x" or "1.x"',
    });
  }
  return constraint;
}

/** The image as written, without its registry when the first component names one (Image Updater's legacy rule). */
function writtenPath(image: string): string {
  const [first, ...rest] = withoutTagAndDigest(image).split('/');
  return rest.length > 0 && first.includes('.') ? rest.join('/') : [first, ...rest].join('/');
}

function withoutTagAndDigest(image: string): string {
  const name = image.split('@')[0];
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  return colon < 0 ? name : name.slice(0, colon);
}

function checkPullSecret(scope: Construct, secret: IRegistrySecret, image: ImageReference, namespace: string, property: string): void {
  if (secret.namespace !== namespace) {
    throw new ValidationError({
      scope,
      property,
      value: `${secret.namespace ?? '<no namespace>'}/${secret.name}`,
      problem: `is not in the ImageUpdater's namespace "${namespace}"; since v1.3.0 Image Updater rejects pull secrets from other namespaces`,
      fix: `create a RegistrySecret with the same credentials in namespace "${namespace}" and pass that one`,
    });
  }
  if (secret.registries.length === 0) {
    return; // an existing Secret without declared registries: its keys cannot be checked
  }
  const key = matchingKey(scope, secret, image, property);
  if (secret instanceof RegistrySecret) {
    checkAuthField(scope, secret.credentials.find(c => c.registry === key)!, property);
  }
}

/** The one `auths` key Image Updater would read for the image: it must start with the registry API URL or its host. */
function matchingKey(scope: Construct, secret: IRegistrySecret, image: ImageReference, property: string): string {
  const apiUrl = image.domain === 'docker.io' ? DOCKER_HUB_API : `https://${image.domain}`;
  const host = apiUrl.slice('https://'.length);
  const keys = secret.registries.filter(key => key.startsWith(apiUrl) || key.startsWith(host));
  if (keys.length !== 1) {
    throw new ValidationError({
      scope,
      property,
      value: `${secret.namespace}/${secret.name} (${secret.registries.join(', ')})`,
      problem: keys.length === 0
        ? `has no auths key that Image Updater reads for "${image.name}": it looks for a key starting with "${apiUrl}" or "${host}"`
        : `has ${keys.length} auths keys for "${host}" (${keys.join(', ')}) and Image Updater reads one of them at random`,
      fix: keys.length === 0
        ? `add credentials for "${host}" to the updater's RegistrySecret${image.domain === 'docker.io' ? ' (Docker Hub\'s API host; the kubelet\'s key https://index.docker.io/v1/ is not read by Image Updater)' : ''}`
        : `keep one key for "${host}" in the updater's RegistrySecret`,
    });
  }
  return keys[0];
}

// Image Updater reads only `auths[key].auth`. Every delivery writes it; only a whole Docker config carries its own.
function checkAuthField(scope: Construct, credentials: RegistryCredentials, property: string): void {
  const config = credentials._parts.dockerConfig;
  if (credentials.authType !== RegistryAuthType.DOCKER_CONFIG || config?.source !== SecretValueSource.PLAIN_TEXT) {
    return;
  }
  const entry = JSON.parse(config.unsafeUnwrap()).auths?.[credentials.registry];
  if (typeof entry?.auth !== 'string') {
    throw new ValidationError({
      scope,
      property,
      value: credentials.registry,
      problem: 'is a Docker config JSON whose entry has no "auth" field, the only field Image Updater reads',
      fix: 'add "auth" (base64 of "username:password") to the entry, or give the credentials with RegistryCredentials.basic',
    });
  }
}

function checkVariable(variable: string, property: string): void {
  if (!ENV_VARIABLE.test(variable) || variable.length > MAX_PLUGIN_VARIABLE) {
    throw new ValidationError({
      property,
      value: variable,
      problem: `is not an environment variable name of at most ${MAX_PLUGIN_VARIABLE} characters`,
      fix: 'use letters, digits and "_", not starting with a digit, e.g. "WEB_IMAGE"',
    });
  }
}

function requireText(value: string, property: string, what: string, scope?: Construct): void {
  if (value.trim().length === 0) {
    throw new ValidationError({ scope, property, value, problem: 'must not be empty', fix: `give ${what}` });
  }
}
