import * as crypto from 'crypto';
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { applyArgoCd, ArgoCdOptions, ArgoCdSyncOption } from '../argocd';
import { SecretValue, SecretValueSource } from '../credentials/secret-value';
import { defaultDelivery, SecretDelivery, SecretDeliveryKind } from '../delivery/secret-delivery';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';
import { checkProps } from '../props-check';
import { KubeConfigMap, Konflux } from '../typed-objects';
import { refuseCredentialShape, refuseNonCertificateText } from '../values/credential-shape';

/** The default sync wave of the secrets and the CA bundle; the Konflux CR goes one wave earlier. */
const SECRET_WAVE = -1;
const KONFLUX_GROUP = 'konflux.konflux-ci.dev';
/** Quay namespace (organization) names: `util/validation.py` of quay/quay. */
const QUAY_ORGANIZATION = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const QUAY_ORGANIZATION_LENGTH = { min: 2, max: 255 };
/** The CRD's pattern on `quayCABundle.key`: a plain file name. */
const CA_BUNDLE_KEY = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Options for `QuayCaBundle.fromCertificates`. */
export interface QuayCaBundleOptions {
  /**
   * The ConfigMap's name, in the image-controller namespace.
   *
   * @default "quay-ca-bundle"
   */
  readonly configMapName?: string;

  /**
   * The ConfigMap key holding the PEM certificates.
   *
   * @default "ca-bundle.crt"
   */
  readonly key?: string;
}

/**
 * The CA certificates image-controller trusts, in addition to the system pool, when it calls a self-hosted Quay:
 * a ConfigMap in the image-controller namespace, named in the Konflux CR's `spec.imageController.spec.quayCABundle`.
 *
 * @see https://github.com/konflux-ci/konflux-ci/blob/main/operator/api/v1alpha1/konfluximagecontroller_types.go
 */
export class QuayCaBundle {
  /** The ConfigMap name image-controller's Deployment mounts by default. */
  public static readonly DEFAULT_CONFIG_MAP_NAME = 'quay-ca-bundle';
  /** The default key. */
  public static readonly DEFAULT_KEY = 'ca-bundle.crt';

  /**
   * A ConfigMap emitted with these certificates.
   *
   * @param certificates one or more PEM certificates (`-----BEGIN CERTIFICATE-----`); never a private key
   */
  public static fromCertificates(certificates: string, options: QuayCaBundleOptions = {}): QuayCaBundle {
    checkCertificates(certificates);
    return new QuayCaBundle(options.configMapName ?? QuayCaBundle.DEFAULT_CONFIG_MAP_NAME, options.key ?? QuayCaBundle.DEFAULT_KEY, certificates);
  }

  /** A ConfigMap that exists already in the image-controller namespace: only referenced, not emitted. */
  public static fromConfigMap(configMapName: string, key: string): QuayCaBundle {
    return new QuayCaBundle(configMapName, key, undefined);
  }

  private constructor(
    /** The ConfigMap's name. */
    public readonly configMapName: string,
    /** The key holding the certificates. */
    public readonly key: string,
    /** The PEM certificates, when the ConfigMap is emitted. */
    public readonly certificates?: string) {
    KubernetesNames.validateDns1123Subdomain(configMapName, 'configMapName');
    if (!CA_BUNDLE_KEY.test(key)) {
      throw new ValidationError({
        property: 'key',
        value: key,
        problem: `must match ${CA_BUNDLE_KEY.source} (a file name without a path), as the Konflux CRD requires`,
        fix: `use e.g. "${QuayCaBundle.DEFAULT_KEY}"`,
      });
    }
  }
}

/** Properties of a `QuayImageController`. */
export interface QuayImageControllerProps {
  /** The Quay organization the controller creates repositories and robot accounts in (secret key `organization`). */
  readonly organization: string;

  /**
   * The Quay OAuth application token (secret key `quaytoken`), with the permissions "Administer Organization",
   * "Administer Repositories" and "Create Repositories".
   */
  readonly token: SecretValue;

  /**
   * The Quay API URL of a self-hosted Quay (secret key `quayapiurl`), ending in `/api/v1`; its host becomes the host
   * of every image repository.
   *
   * @default - no key: image-controller uses https://quay.io/api/v1
   */
  readonly apiUrl?: string;

  /**
   * The token of the image pruner CronJob (Secret `image-pruner-token`, keys `quaytoken` and `organization`). Without
   * that Secret the pruner's pods fail.
   *
   * @default - the same value as `token`; required when `token` is pre-sealed, since a sealed value is bound to the
   * Secret name it was sealed for
   */
  readonly prunerToken?: SecretValue;

  /**
   * How the Secrets reach the cluster.
   *
   * @default - from the values: a plain Secret for `SecretValue.unsafePlainText`, a SealedSecret for
   * `SecretValue.sealed`; `SecretValue.fromExternalSecret` needs `SecretDelivery.externalSecret({ store })`
   */
  readonly delivery?: SecretDelivery;

  /**
   * The namespace image-controller runs in.
   *
   * @default "image-controller" (the Konflux operator's; upstream's standalone install uses "image-controller-system")
   */
  readonly namespace?: string;

  /**
   * Extra CA certificates for a self-hosted Quay.
   *
   * @default - the system trust store only
   */
  readonly caBundle?: QuayCaBundle;

  /**
   * Emit the Konflux CR fragment that enables image-controller. Turn it off when image-controller runs without the
   * Konflux operator (upstream's `make deploy`), or when the Konflux CR is managed elsewhere (then set
   * `spec.imageController` there).
   *
   * @default true
   */
  readonly konfluxResource?: boolean;

  /**
   * Argo CD sync settings for the Secrets and the CA bundle.
   *
   * @default - sync wave -1, the Konflux CR one wave earlier; `SkipDryRunOnMissingResource=true` on custom resources
   */
  readonly argoCd?: ArgoCdOptions;
}

/**
 * Konflux's Quay image-controller, which creates a Quay repository and robot accounts for every component: the
 * Konflux CR fragment `spec.imageController.enabled: true` (cluster-scoped, named `konflux`), and the `quaytoken`
 * Secret it reads (keys `quaytoken`, `organization`, optional `quayapiurl`) with the pruner's `image-pruner-token`.
 *
 * The Konflux CR is applied with server-side apply, so it merges into a Konflux CR that the installation already has,
 * and Argo CD never prunes or deletes it (that would uninstall Konflux). The operator creates the image-controller
 * namespace only once the CR enables it: until then the Secrets cannot be created, and Argo CD retries.
 *
 * @see https://github.com/konflux-ci/konflux-ci/blob/main/docs/registry-configuration.md#automatically-provision-quay-repositories-for-container-images
 * @see https://github.com/konflux-ci/image-controller
 */
export class QuayImageController extends Construct {
  /** The name the Konflux CRD requires of the one Konflux CR of a cluster. */
  public static readonly KONFLUX_RESOURCE_NAME = 'konflux';
  /** The Konflux CR's API version. */
  public static readonly KONFLUX_API_VERSION = `${KONFLUX_GROUP}/v1alpha1`;
  /** The namespace the Konflux operator runs image-controller in. */
  public static readonly DEFAULT_NAMESPACE = 'image-controller';
  /** The Secret image-controller's Deployment mounts. */
  public static readonly TOKEN_SECRET_NAME = 'quaytoken';
  /** The Secret the image pruner CronJob reads. */
  public static readonly PRUNER_SECRET_NAME = 'image-pruner-token';

  /** The namespace of the Secrets and the CA bundle. */
  public readonly namespace: string;
  /** The emitted Konflux CR fragment, unless `konfluxResource` is false. */
  public readonly konfluxResource?: ApiObject;
  /** The object that carries `quaytoken`: a Secret, SealedSecret or ExternalSecret. */
  public readonly tokenSecret: ApiObject;
  /** The object that carries `image-pruner-token`. */
  public readonly prunerSecret: ApiObject;
  /** The emitted CA bundle ConfigMap, when certificates were given. */
  public readonly caBundleConfigMap?: ApiObject;

  constructor(scope: Construct, id: string, rawProps: QuayImageControllerProps) {
    super(scope, id);
    const props = checkProps(this, rawProps, 'QuayImageControllerProps');
    this.namespace = props.namespace ?? QuayImageController.DEFAULT_NAMESPACE;
    KubernetesNames.validateDns1123Label(this.namespace, 'namespace', this);
    checkOrganization(this, props.organization);
    const apiUrl = props.apiUrl === undefined ? undefined : checkApiUrl(this, props.apiUrl);
    const prunerToken = props.prunerToken ?? reusableToken(this, props.token);
    const delivery = props.delivery ?? defaultDelivery(this, [props.token, prunerToken].map(v => v.source), 'tokens');
    const secretWave = props.argoCd?.syncWave ?? SECRET_WAVE;

    if (props.konfluxResource ?? true) {
      this.konfluxResource = new KonfluxResource(this, 'Konflux', props.caBundle);
      applyArgoCd(this.konfluxResource, { ...props.argoCd, syncWave: secretWave - 1 }, SECRET_WAVE - 1, [
        ArgoCdSyncOption.SERVER_SIDE_APPLY, ArgoCdSyncOption.PRUNE_DISABLED, ArgoCdSyncOption.DELETE_DISABLED,
        ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE,
      ]);
    }
    const secretOptions = delivery.kind === SecretDeliveryKind.PLAIN_SECRET ? [] : [ArgoCdSyncOption.SKIP_DRY_RUN_ON_MISSING_RESOURCE];
    this.tokenSecret = this.emitSecret('TokenSecret', delivery, QuayImageController.TOKEN_SECRET_NAME, props.token,
      { organization: props.organization, ...(apiUrl === undefined ? {} : { quayapiurl: apiUrl }) });
    this.prunerSecret = this.emitSecret('PrunerSecret', delivery, QuayImageController.PRUNER_SECRET_NAME, prunerToken,
      { organization: props.organization });
    for (const secret of [this.tokenSecret, this.prunerSecret]) {
      applyArgoCd(secret, props.argoCd, SECRET_WAVE, secretOptions);
    }
    if (props.caBundle?.certificates !== undefined) {
      this.caBundleConfigMap = new KubeConfigMap(this, 'CaBundle', {
        metadata: { name: props.caBundle.configMapName, namespace: this.namespace },
        data: { [props.caBundle.key]: props.caBundle.certificates },
      });
      applyArgoCd(this.caBundleConfigMap, props.argoCd, SECRET_WAVE);
    }
  }

  private emitSecret(id: string, delivery: SecretDelivery, name: string, token: SecretValue, literals: { [key: string]: string }): ApiObject {
    const rendered = delivery._renderOpaque({ scope: this, name, namespace: this.namespace, secretValues: { quaytoken: token }, literals });
    return rendered.main.create(this, id);
  }
}

/**
 * The Konflux CR fragment. cdk8s stamps the chart's namespace on every object; a cluster-scoped object must have
 * none, so it is removed here, and synthesis fails if anything (a JSON patch) puts a namespace or another name back.
 */
class KonfluxResource extends Konflux {
  constructor(scope: Construct, id: string, caBundle: QuayCaBundle | undefined) {
    rejectOtherKonfluxResources(scope);
    super(scope, id, {
      metadata: { name: QuayImageController.KONFLUX_RESOURCE_NAME },
      spec: {
        imageController: {
          enabled: true,
          spec: caBundle && { quayCaBundle: { configMapName: caBundle.configMapName, key: caBundle.key } },
        },
      },
    });
    if (this.metadata.namespace !== undefined) {
      this.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    }
  }

  public toJson(): any {
    const json = super.toJson();
    rejectOtherKonfluxResources(this);
    if (json.metadata?.namespace !== undefined) {
      throw new ValidationError({
        scope: this,
        property: 'metadata.namespace',
        value: json.metadata.namespace,
        problem: 'is set on the Konflux CR, which is cluster-scoped: kubectl and Argo CD reject a namespace on it',
        fix: 'remove the JSON patch that adds metadata.namespace',
      });
    }
    if (json.metadata?.name !== QuayImageController.KONFLUX_RESOURCE_NAME) {
      throw new ValidationError({
        scope: this,
        property: 'metadata.name',
        value: json.metadata?.name,
        problem: `is not "${QuayImageController.KONFLUX_RESOURCE_NAME}": the Konflux CRD admits only one Konflux CR per cluster, named "${QuayImageController.KONFLUX_RESOURCE_NAME}"`,
        fix: 'remove the JSON patch that renames the Konflux CR',
      });
    }
    return json;
  }
}

/** Throws when the app holds a Konflux CR other than `self` (ours, or a raw ApiObject). */
function rejectOtherKonfluxResources(self: IConstruct): void {
  const other = self.node.root.node.findAll().find(c => c !== self && ApiObject.isApiObject(c)
    && c.kind === 'Konflux' && c.apiVersion.startsWith(`${KONFLUX_GROUP}/`));
  if (other) {
    throw new ValidationError({
      scope: self,
      property: 'konfluxResource',
      value: other.node.path,
      problem: 'would be a second Konflux CR in this app; a cluster has exactly one, named "konflux"',
      fix: 'declare one QuayImageController per app, or pass konfluxResource: false and set spec.imageController.enabled: true on the Konflux CR you already have',
    });
  }
}

function checkOrganization(scope: IConstruct, organization: string): void {
  const { min, max } = QUAY_ORGANIZATION_LENGTH;
  if (!QUAY_ORGANIZATION.test(organization) || organization.length < min || organization.length > max) {
    throw new ValidationError({
      scope,
      property: 'organization',
      value: organization,
      problem: `is not a Quay organization name: ${min} to ${max} lowercase letters and digits, separated by single ".", "_" or "-"`,
      fix: 'use the organization as it appears in image names, e.g. "acme" in quay.io/acme/app',
    });
  }
}

/** A normalized http(s) URL without credentials, query or fragment, ending in `/api/v1`. */
function checkApiUrl(scope: IConstruct, apiUrl: string): string {
  refuseCredentialShape(apiUrl, 'apiUrl', 'the Quay API root, e.g. "https://quay.example.com/api/v1"', scope);
  let url: URL | undefined;
  try {
    url = new URL(apiUrl);
  } catch {
    url = undefined;
  }
  const web = url !== undefined && ['http:', 'https:'].includes(url.protocol);
  const problem = !web ? 'is not an http(s) URL'
    : url!.username || url!.password ? 'contains credentials, which would end up in a non-secret value'
      : !apiUrl.endsWith('/api/v1') ? 'does not end in /api/v1, the Quay API root image-controller expects (its default is https://quay.io/api/v1)'
        : `${url!.origin}${url!.pathname}` !== apiUrl ? 'is not a plain URL (a query, a fragment, or characters that need escaping)'
          : undefined;
  if (problem) {
    throw new ValidationError({
      scope,
      property: 'apiUrl',
      value: web && (url!.username || url!.password) ? `${url!.origin}/...` : apiUrl,
      problem,
      fix: `write the Quay API root, e.g. "${web ? url!.origin : 'https://quay.example.com'}/api/v1"`,
    });
  }
  return apiUrl;
}

/** The pruner reuses the main token unless it is pre-sealed (bound to the name `quaytoken`). */
function reusableToken(scope: IConstruct, token: SecretValue): SecretValue {
  if (token.source === SecretValueSource.SEALED) {
    throw new ValidationError({
      scope,
      property: 'prunerToken',
      problem: 'is required when token is pre-sealed: a value sealed for the Secret "quaytoken" does not decrypt as "image-pruner-token"',
      fix: 'seal the token a second time with `kubeseal --name image-pruner-token` and pass it as prunerToken (or seal it namespace-wide and pass the same value)',
    });
  }
  return token;
}

/** Every PEM block must be a certificate that parses; a private key never goes into a ConfigMap. */
function checkCertificates(certificates: string): void {
  refuseNonCertificateText(certificates, 'certificates');
  const blocks = certificates.match(PEM_CERTIFICATE) ?? [];
  const problem = /PRIVATE KEY-----/.test(certificates) ? 'contains a private key; a CA bundle holds only public certificates'
    : blocks.length === 0 ? 'holds no PEM certificate'
      : blocks.some(block => !parsesAsCertificate(block)) ? 'holds a PEM block that is not a valid X.509 certificate'
        : undefined;
  if (problem) {
    throw new ValidationError({
      property: 'certificates',
      value: certificates,
      secret: /PRIVATE KEY-----/.test(certificates),
      problem,
      fix: 'pass the CA certificate(s) of your Quay in PEM form ("-----BEGIN CERTIFICATE-----" ...)',
    });
  }
}

function parsesAsCertificate(block: string): boolean {
  try {
    new crypto.X509Certificate(block);
    return true;
  } catch {
    return false;
  }
}
