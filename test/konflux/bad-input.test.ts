import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import { SealingKey, SealingScope } from '../../src/delivery/sealing';
import { SecretDelivery } from '../../src/delivery/secret-delivery';
import { ValidationError } from '../../src/errors';
import { BuildServiceAccount, KonfluxSecretLinking } from '../../src/konflux/build-service-account';
import { ImageControllerNames, ImageRepositoryApiGroup } from '../../src/konflux/image-controller-names';
import { QuayCaBundle, QuayImageController, QuayImageControllerProps } from '../../src/konflux/quay-image-controller';
import { ReleasePipelineRef, ReleasePlanAdmission, ReleasePlanAdmissionProps } from '../../src/konflux/release-plan-admission';
import { IRegistrySecret, RegistrySecret } from '../../src/registry-secret';
import { loadSealedSecretVectors } from '../helpers/unseal';

// Every secret value in this file; no error message may contain it.
const SECRET = 'FAKE-s3cr3t-token-0123456789';
const CERT_PEM = loadSealedSecretVectors().testKey.certificatePem;

function tenant(namespace = 'user-ns1'): Chart {
  return new Chart(Testing.app(), 'tenant', { namespace });
}

function withoutNamespace(): Chart {
  return new Chart(Testing.app(), 'no-namespace');
}

function pushSecret(chart: Chart, options: { name?: string; namespace?: string; labels?: { [key: string]: string } } = {}): RegistrySecret {
  return new RegistrySecret(chart, `Push-${options.name ?? 'regcred'}-${options.namespace ?? ''}`, {
    name: options.name ?? 'regcred',
    namespace: options.namespace,
    labels: options.labels,
    credentials: [RegistryCredentials.basic('quay.io', 'acme+builder', SecretValue.unsafePlainText(SECRET))],
  });
}

function build(component: string, extra: (chart: Chart) => object = () => ({}), chart: Chart = tenant()): void {
  BuildServiceAccount.forComponent(chart, 'Build', { component, secrets: [pushSecret(chart)], ...extra(chart) });
}

function release(chart: Chart, extra: object = {}): BuildServiceAccount {
  return BuildServiceAccount.forRelease(chart, 'Release', { secrets: [pushSecret(chart)], ...extra });
}

const PIPELINE_REF = ReleasePipelineRef.git({
  url: 'https://github.com/konflux-ci/release-service-catalog.git', revision: 'production', pathInRepo: 'pipelines/managed/push.yaml',
});

function rpa(overrides: Partial<ReleasePlanAdmissionProps> = {}, chart: Chart = tenant('managed-ns1')): void {
  new ReleasePlanAdmission(chart, 'Rpa', {
    name: 'my-app', origin: 'user-ns1', policy: 'default', applications: ['my-app'], ...overrides,
  });
}

function rpaWithPipeline(pipeline: object, chart: Chart = tenant('managed-ns1')): void {
  rpa({ pipeline: { pipelineRef: PIPELINE_REF, ...pipeline } }, chart);
}

function quay(overrides: Partial<QuayImageControllerProps> = {}, chart: Chart = tenant('platform')): QuayImageController {
  return new QuayImageController(chart, `Quay${chart.node.children.length}`, {
    organization: 'my-org', token: SecretValue.unsafePlainText(SECRET), ...overrides,
  });
}

function sealedToken(name: string): SecretValue {
  const key = SealingKey.fromCertificate(CERT_PEM);
  return SecretValue.sealed(key.seal(SECRET, { scope: SealingScope.STRICT, namespace: 'image-controller', name }));
}

interface BadInput {
  /** The property the error must name. */
  readonly property: string;
  readonly act: () => unknown;
}

const CASES: Array<[string, BadInput]> = [
  // BuildServiceAccount: build accounts
  ['component name not DNS-1123', { property: 'component', act: () => build('My_Component') }],
  ['component name making the account name longer than 253', { property: 'component', act: () => build('c'.repeat(239)) }],
  ['imagePullSecrets requested on the build account', {
    property: 'imagePullSecrets', act: () => build('comp1', chart => ({ imagePullSecrets: [pushSecret(chart, { name: 'pull' })] })),
  }],
  ['a build account owned by GitOps', { property: 'linking', act: () => build('comp1', () => ({ linking: KonfluxSecretLinking.OWNED_SERVICE_ACCOUNT })) }],
  ['label linking with a secret that lacks the labels', {
    property: 'secrets[0]', act: () => build('comp1', () => ({ linking: KonfluxSecretLinking.COMMON_SECRET_LABEL })),
  }],
  ['label linking with an existing secret whose labels cannot be checked', {
    property: 'secrets[0]',
    act: () => build('comp1', chart => ({
      linking: KonfluxSecretLinking.COMMON_SECRET_LABEL_AND_PARTIAL_SERVICE_ACCOUNT,
      secrets: [RegistrySecret.fromSecretName(chart, 'Existing', 'regcred')],
    })),
  }],
  ['a build account without a tenant namespace', { property: 'namespace', act: () => build('comp1', () => ({}), withoutNamespace()) }],
  ['a build account without push secrets', { property: 'secrets', act: () => build('comp1', () => ({ secrets: [] })) }],
  ['a push secret in another namespace', {
    property: 'secrets[0]', act: () => build('comp1', chart => ({ secrets: [pushSecret(chart, { namespace: 'user-ns2' })] })),
  }],
  ['the same push secret twice', {
    property: 'secrets[1]',
    act: () => build('comp1', chart => {
      const secret: IRegistrySecret = pushSecret(chart, { name: 'twice' });
      return { secrets: [secret, secret] };
    }),
  }],
  // BuildServiceAccount: release accounts
  ['a release account without a managed namespace', { property: 'namespace', act: () => release(withoutNamespace()) }],
  ['a release account name with dots and capitals', { property: 'name', act: () => release(tenant('managed-ns1'), { name: 'Release.Pipeline' }) }],
  ['a release account name too long for its RoleBinding', { property: 'name', act: () => release(tenant('managed-ns1'), { name: 'r'.repeat(240) }) }],
  // ReleasePlanAdmission
  ['both applications and componentGroups', { property: 'applications/componentGroups', act: () => rpa({ componentGroups: ['group'] }) }],
  ['neither applications nor componentGroups', { property: 'applications/componentGroups', act: () => rpa({ applications: undefined }) }],
  ['an empty applications list', { property: 'applications', act: () => rpa({ applications: [] }) }],
  ['an application name over the webhook\'s 63 characters', { property: 'applications[0]', act: () => rpa({ applications: ['a'.repeat(64)] }) }],
  ['bad origin', { property: 'origin', act: () => rpa({ origin: 'User_NS1' }) }],
  ['bad policy', { property: 'policy', act: () => rpa({ policy: 'My Policy' }) }],
  ['bad environment', { property: 'environment', act: () => rpa({ environment: 'prod.eu' }) }],
  ['an admission without a managed namespace', { property: 'namespace', act: () => rpa({}, withoutNamespace()) }],
  ['ociStorage at spec.ociStorage through the raw spec', { property: 'rawSpec.ociStorage', act: () => rpa({ rawSpec: { ociStorage: 'quay.io/acme/ta' } }) }],
  ['ociStorage at spec.pipeline.ociStorage through the raw spec', {
    property: 'rawSpec.pipeline.ociStorage',
    act: () => rpa({ pipeline: { pipelineRef: PIPELINE_REF }, rawSpec: { pipeline: { ociStorage: 'quay.io/acme/ta' } } }),
  }],
  ['a typed field set again through the raw spec', { property: 'rawSpec.origin', act: () => rpa({ rawSpec: { origin: 'user-ns2' } }) }],
  ['raw pipeline fields without a pipelineRef', { property: 'rawSpec.pipeline', act: () => rpa({ rawSpec: { pipeline: { maxRetries: 1 } } }) }],
  ['ociStorage pinned to a digest', {
    property: 'pipeline.ociStorage', act: () => rpaWithPipeline({ ociStorage: `quay.io/acme/ta@sha256:${'a'.repeat(64)}` }),
  }],
  ['ociStorage that is not an image reference', { property: 'pipeline.ociStorage', act: () => rpaWithPipeline({ ociStorage: 'Quay.io/Acme TA' }) }],
  ['a build account as the release pipeline account', {
    property: 'pipeline.serviceAccount',
    act: () => {
      const chart = tenant('managed-ns1');
      const account = BuildServiceAccount.forComponent(chart, 'Build', { component: 'comp1', secrets: [pushSecret(chart)] });
      rpaWithPipeline({ serviceAccount: account }, chart);
    },
  }],
  ['a release account in another namespace', {
    property: 'pipeline.serviceAccount',
    act: () => {
      const chart = tenant('managed-ns1');
      rpaWithPipeline({ serviceAccount: release(chart, { namespace: 'managed-ns2', secrets: [pushSecret(chart, { namespace: 'managed-ns2' })] }) }, chart);
    },
  }],
  ['a raw spec field that must be an object', { property: 'rawSpec.collectors', act: () => rpa({ rawSpec: { collectors: 'jira' } }) }],
  ['an empty resolver', { property: 'resolver', act: () => ReleasePipelineRef.of(' ', []) }],
  ['a git pipeline URL that is not a URL', {
    property: 'url', act: () => ReleasePipelineRef.git({ url: 'github.com/konflux-ci/catalog', revision: 'main', pathInRepo: 'p.yaml' }),
  }],
  ['a resolver parameter given twice', {
    property: 'params[1]', act: () => ReleasePipelineRef.of('bundles', [{ name: 'bundle', value: 'a' }, { name: 'bundle', value: 'b' }]),
  }],
  ['an ImageRepository name that is not an object name', {
    property: 'imageRepository', act: () => ImageControllerNames.pushSecretName('Comp_1', ImageRepositoryApiGroup.KONFLUX),
  }],
  // QuayImageController
  ['quayapiurl without /api/v1', { property: 'apiUrl', act: () => quay({ apiUrl: 'https://quay.example.com' }) }],
  ['quayapiurl with a trailing slash', { property: 'apiUrl', act: () => quay({ apiUrl: 'https://quay.example.com/api/v1/' }) }],
  ['quayapiurl with credentials in it', { property: 'apiUrl', act: () => quay({ apiUrl: `https://robot:${SECRET}@quay.example.com/api/v1` }) }],
  ['quayapiurl that is not a URL', { property: 'apiUrl', act: () => quay({ apiUrl: 'quay.example.com/api/v1' }) }],
  ['quayapiurl with a query', { property: 'apiUrl', act: () => quay({ apiUrl: 'https://quay.example.com/x?y=/api/v1' }) }],
  ['quayapiurl that is not http(s)', { property: 'apiUrl', act: () => quay({ apiUrl: 'ftp://quay.example.com/api/v1' }) }],
  ['a Quay organization name Quay rejects', { property: 'organization', act: () => quay({ organization: 'My Org' }) }],
  ['an image-controller namespace that is not a DNS label', { property: 'namespace', act: () => quay({ namespace: 'Image_Controller' }) }],
  ['two Konflux CRs in one app', {
    property: 'konfluxResource',
    act: () => {
      const chart = tenant('platform');
      quay({}, chart);
      quay({}, new Chart(chart.node.root as any, 'other'));
    },
  }],
  ['a Konflux CR next to one the app already has', {
    property: 'konfluxResource',
    act: () => {
      const chart = tenant('platform');
      new ApiObject(chart, 'Existing', { apiVersion: 'konflux.konflux-ci.dev/v1alpha1', kind: 'Konflux', metadata: { name: 'konflux' } });
      quay({}, chart);
    },
  }],
  ['a namespace on the Konflux CR', {
    property: 'metadata.namespace',
    act: () => {
      const chart = tenant('platform');
      quay({}, chart).konfluxResource!.addJsonPatch(JsonPatch.add('/metadata/namespace', 'platform'));
      Testing.synth(chart);
    },
  }],
  ['another name for the Konflux CR', {
    property: 'metadata.name',
    act: () => {
      const chart = tenant('platform');
      quay({}, chart).konfluxResource!.addJsonPatch(JsonPatch.replace('/metadata/name', 'my-konflux'));
      Testing.synth(chart);
    },
  }],
  ['a pre-sealed token without a pruner token', { property: 'prunerToken', act: () => quay({ token: sealedToken('quaytoken') }) }],
  ['an external token without a delivery', { property: 'delivery', act: () => quay({ token: SecretValue.fromExternalSecret('konflux/quay') }) }],
  ['a plain token through External Secrets', {
    property: 'quaytoken', act: () => quay({ delivery: SecretDelivery.externalSecret({ store: { name: 'vault' } }) }),
  }],
  ['a CA bundle key with a path', { property: 'key', act: () => QuayCaBundle.fromConfigMap('quay-ca-bundle', '../ca.crt') }],
  ['a CA bundle that is not PEM', { property: 'certificates', act: () => QuayCaBundle.fromCertificates('not a certificate') }],
  ['a CA bundle with a PEM block that is no certificate', {
    property: 'certificates', act: () => QuayCaBundle.fromCertificates('-----BEGIN CERTIFICATE-----\nRkFLRQ==\n-----END CERTIFICATE-----\n'),
  }],
  ['a CA bundle with a private key', {
    property: 'certificates', act: () => QuayCaBundle.fromCertificates(`${CERT_PEM}\n-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\n`),
  }],
];

describe('bad input: a ValidationError that names the property and the fix, and never the secret', () => {
  test('the table has at least 20 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  test.each(CASES)('%s', (_name, { property, act }) => {
    let error: unknown;
    try {
      act();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const err = error as ValidationError;
    expect(err.property).toBe(property);
    expect(err.message).toContain(`${property}: `);
    expect(err.fix.length).toBeGreaterThan(10);
    expect(err.message).toContain(`Fix: ${err.fix}`);
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain(Buffer.from(SECRET).toString('base64'));
  });
});
