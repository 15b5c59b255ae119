// Issue 12 items 8, 10 and 11: credential-looking values in non-secret fields are refused without echo, registry keys
// the kubelet never matches are refused, and untyped (JavaScript) callers get a ValidationError naming the property.
import * as util from 'util';
import { Chart, Duration, Testing } from 'cdk8s';
import { CloudVendor, RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import { TokenGenerator } from '../../src/credentials/token-generator';
import { SealingKey, SealingScope, SealingSeed } from '../../src/delivery/sealing';
import { SecretDelivery } from '../../src/delivery/secret-delivery';
import { ValidationError } from '../../src/errors';
import { QuayCaBundle, QuayImageController } from '../../src/konflux/quay-image-controller';
import { DataPlane, DataPlaneApi } from '../../src/openchoreo/data-plane';
import { RegistrySecret } from '../../src/registry-secret';
import { credentialShapeProblem } from '../../src/values/credential-shape';
import { DockerConfig } from '../../src/values/docker-config';
import { ImageReference } from '../../src/values/image-reference';
import { validationErrorOf } from '../helpers/errors';
import { loadSealedSecretVectors } from '../helpers/unseal';

const TOKEN = 'tok3n-Secret-9f8e7d6c5b4a';
const plain = (value: string) => SecretValue.unsafePlainText(value);
const CERT_PEM = loadSealedSecretVectors().testKey.certificatePem;
const PGP_PRIVATE = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF${TOKEN}AAAA\n-----END PGP PRIVATE KEY BLOCK-----\n`;
const RSA_PRIVATE = `-----BEGIN RSA PRIVATE KEY-----\nMIIE${TOKEN}AAAA\n-----END RSA PRIVATE KEY-----\n`;
const any = (value: unknown) => value as any;

function expectRefusedWithoutEcho(thunk: () => unknown, property: string | RegExp, secret = TOKEN): ValidationError {
  const error = validationErrorOf(thunk);
  if (typeof property === 'string') {
    expect(error.property).toBe(property);
  } else {
    expect(error.property).toMatch(property);
  }
  expect(error.message).not.toContain(secret);
  expect(error.stack ?? '').not.toContain(secret);
  expect(error.fix.length).toBeGreaterThan(15);
  return error;
}

describe('item 8: credentials pasted into non-secret fields are refused without echo', () => {
  test.each([
    ['username "user:token"', () => RegistryCredentials.basic('ghcr.io', `octo:${TOKEN}`, plain('x')), 'username'],
    ['GitHub username "user:token"', () => RegistryCredentials.githubToken(`octo:${TOKEN}`, plain('x')), 'username'],
    ['Quay robot "org+robot:token"', () => RegistryCredentials.quayRobot(`acme+bot:${TOKEN}`, plain('x')), 'robotAccount'],
    ['Quay generator robot "org+robot:token"', () => TokenGenerator.quay('quay.io', { robotAccount: `acme+bot:${TOKEN}`, serviceAccount: { name: 'sa' } }), 'robotAccount'],
    ['DockerConfig username "user:token"', () => DockerConfig.empty().withBasicAuth('ghcr.io', `octo:${TOKEN}`, 'pw'), 'username'],
    ['registry with userinfo and scheme', () => RegistryCredentials.basic(`https://octo:${TOKEN}@ghcr.io`, 'octo', plain('x')), 'registry'],
    ['registry with userinfo, no scheme', () => RegistryCredentials.basic(`octo:${TOKEN}@ghcr.io/acme`, 'octo', plain('x')), 'registry'],
    ['registry with a token query', () => RegistryCredentials.anonymous(`ghcr.io/acme?token=${TOKEN}`), 'registry'],
    ['registry with an access_token fragment', () => RegistryCredentials.anonymous(`ghcr.io#access_token=${TOKEN}`), 'registry'],
    ['hosted registry option with userinfo', () => RegistryCredentials.githubToken('octo', plain('x'), { registry: `u:${TOKEN}@ghcr.io` }), 'options.registry'],
    ['vendor registry with userinfo', () => RegistryCredentials.vendorManaged(`u:${TOKEN}@acme.azurecr.io`, CloudVendor.AZURE), 'registry'],
    ['DockerConfig server with userinfo', () => DockerConfig.empty().withBasicAuth(`https://u:${TOKEN}@ghcr.io`, 'octo', 'pw'), 'server'],
    ['image with userinfo', () => ImageReference.parse(`octo:${TOKEN}@ghcr.io/acme/app:1.0`), 'image'],
    ['image (exact) with userinfo', () => ImageReference.parseExact(`https://octo:${TOKEN}@ghcr.io/acme/app`), 'image'],
    ['image with a token query', () => ImageReference.parse(`ghcr.io/acme/app?token=${TOKEN}`), 'image'],
    ['username holding a GitHub token', () => RegistryCredentials.basic('ghcr.io', 'ghp_0123456789abcdefghijABCDEFGHIJ', plain('x')), 'username'],
  ])('%s', (_title, thunk, property) => {
    const secret = /ghp_/.test(String(thunk)) ? 'ghp_0123456789abcdefghijABCDEFGHIJ' : TOKEN;
    const error = expectRefusedWithoutEcho(thunk, property, secret);
    expect(error.problem).toMatch(/":"|credentials before "@"|token/);
  });

  test.each([
    ['ghcr.io/acme/app:1.0'], ['nginx@sha256:' + 'a'.repeat(64)], ['nginx:1.25@sha256:' + 'b'.repeat(64)],
    ['localhost:5000/app'], ['ghcr.io/acme/app@sha256:' + 'c'.repeat(64)],
  ])('a normal image is not mistaken for one with credentials: %s', image => {
    expect(credentialShapeProblem(image)).toBeUndefined();
    expect(ImageReference.parse(image).domain.length).toBeGreaterThan(0);
  });

  test('a malformed image with "@" is not called a credential; a host after "@" is', () => {
    expect(credentialShapeProblem('nginx@latest')).toBeUndefined();
    expect(validationErrorOf(() => ImageReference.parse('nginx@latest')).shownValue).toBe('"nginx@latest"');
    expect(credentialShapeProblem('robot@localhost:5000/app')).toMatch(/credentials before "@"/);
    expect(credentialShapeProblem('robot@registry.example.com/app')).toMatch(/credentials before "@"/);
  });

  test('a username that is an email address stays accepted', () => {
    expect(RegistryCredentials.basic('registry.example.com', 'jane@example.com', plain('x')).username).toBe('jane@example.com');
  });

  describe('QuayImageController and QuayCaBundle', () => {
    const props = () => ({ organization: 'my-org', token: SecretValue.fromExternalSecret('konflux/quay-token'), delivery: SecretDelivery.externalSecret({ store: { name: 'vault' } }) });
    test.each([
      ['apiUrl with userinfo', `https://u:${TOKEN}@quay.example.com/api/v1`],
      ['malformed apiUrl with userinfo', `htps://u:${TOKEN}@quay.example.com/api/v1`],
      ['apiUrl with a token query', `https://quay.example.com/api/v1?access_token=${TOKEN}`],
    ])('%s is refused without echo', (_title, apiUrl) => {
      const chart = new Chart(Testing.app(), 'c', { namespace: 'platform' });
      expectRefusedWithoutEcho(() => new QuayImageController(chart, 'Quay', { ...props(), apiUrl }), 'apiUrl');
    });

    test.each([
      ['a PGP private key block after a certificate', `${CERT_PEM}\n${PGP_PRIVATE}`, /private key/],
      ['a PGP private key block alone', PGP_PRIVATE, /private key/],
      ['an RSA private key', RSA_PRIVATE, /private key/],
      ['a certificate and stray text', `${CERT_PEM}\npassword=${TOKEN}\n`, /outside/],
      ['a certificate and a public key', `${CERT_PEM}\n-----BEGIN PUBLIC KEY-----\nMIIB${TOKEN}\n-----END PUBLIC KEY-----\n`, /"PUBLIC KEY" block/],
    ])('a CA bundle with %s is refused without echo', (_title, certificates, problem) => {
      const error = expectRefusedWithoutEcho(() => QuayCaBundle.fromCertificates(certificates), 'certificates');
      expect(error.problem).toMatch(problem);
    });

    test('a CA bundle of certificates only is accepted', () => {
      expect(QuayCaBundle.fromCertificates(`${CERT_PEM}\n${CERT_PEM}`).certificates).toContain('BEGIN CERTIFICATE');
    });
  });

  describe('DataPlane', () => {
    const CERT_B64 = Buffer.from(CERT_PEM).toString('base64');
    const cluster = (apiServerUrl: string, caCert = CERT_B64) => ({
      name: 'kind',
      credentials: { apiServerUrl, caCert, clientCert: CERT_B64, clientKey: plain(Buffer.from(RSA_PRIVATE).toString('base64')) },
    });
    const build = (kubernetesCluster: ReturnType<typeof cluster>) => new DataPlane(new Chart(Testing.app(), 'c'), 'DataPlane', {
      api: DataPlaneApi.CORE_V1_PUSH,
      name: 'default-dataplane',
      organization: 'default-org',
      kubernetesCluster,
      gateway: { publicVirtualHost: 'choreoapis.localhost', organizationVirtualHost: 'choreoapis.internal' },
    });

    test('a normal cluster builds (the baseline of the refusals below)', () => {
      expect(build(cluster('https://10.0.0.1:6443')).apiObject.toJson().spec.kubernetesCluster.credentials.apiServerURL).toBe('https://10.0.0.1:6443');
    });

    test.each([
      ['apiServerUrl with userinfo', `https://admin:${TOKEN}@10.0.0.1:6443`],
      ['apiServerUrl with a token query', `https://10.0.0.1:6443/?token=${TOKEN}`],
    ])('%s is refused without echo (it reached the YAML before)', (_title, url) => {
      expectRefusedWithoutEcho(() => build(cluster(url)), 'kubernetesCluster.credentials.apiServerUrl');
    });

    test.each([
      ['base64 of a private key', Buffer.from(RSA_PRIVATE).toString('base64')],
      ['a private key PEM as text', RSA_PRIVATE],
    ])('caCert holding %s is refused without echo', (_title, caCert) => {
      const error = expectRefusedWithoutEcho(() => build(cluster('https://10.0.0.1:6443', caCert)), 'kubernetesCluster.credentials.caCert');
      expect(error.problem).toMatch(/private key/);
      expect(error.message).not.toContain(caCert.slice(0, 40));
    });
  });
});

describe('item 10: registry keys the kubelet never matches are refused consistently', () => {
  test.each([
    ['an uppercase path', 'ghcr.io/Acme', /uppercase letters in its path/, 'ghcr.io/acme'],
    ['a comma', 'ghcr.io/acme,quay.io', /contains ","/, 'own credentials entry'],
    ['a space', 'ghcr.io/acme quay.io', /whitespace/, 'ghcr.io'],
  ])('%s in a registry: %s', (_title, registry, problem, fix) => {
    for (const thunk of [
      () => RegistryCredentials.basic(registry, 'octo', plain('x')),
      () => RegistryCredentials.anonymous(registry),
      () => RegistryCredentials.githubToken('octo', plain('x'), { registry }),
      () => RegistryCredentials.dockerConfigJson(SecretValue.fromExternalSecret('k'), { registry }),
    ]) {
      const error = validationErrorOf(thunk);
      expect(error.problem).toMatch(problem);
      expect(error.fix).toContain(fix);
    }
  });

  test.each([
    ['NUL', '\u0000'], ['newline', '\n'], ['DEL', '\u007f'], ['NEL (go-yaml folds it)', '\u0085'],
    ['line separator', '\u2028'], ['BOM', '\ufeff'], ['lone high surrogate', '\ud800'], ['lone low surrogate', '\udc00'],
  ])('%s in a username, an email or a host is refused', (_title, char) => {
    const cases: Array<[() => unknown, string]> = [
      [() => RegistryCredentials.basic('ghcr.io', `oc${char}to`, plain('x')), 'username'],
      [() => RegistryCredentials.basic('ghcr.io', 'octo', plain('x'), { email: `a${char}@example.com` }), 'options.email'],
      [() => RegistryCredentials.basic(`ghcr${char}.io`, 'octo', plain('x')), 'registry'],
      [() => RegistryCredentials.dockerHubToken(`oc${char}to`, plain('x')), 'username'],
      [() => DockerConfig.empty().withBasicAuth('ghcr.io', `oc${char}to`, 'pw'), 'username'],
      [() => DockerConfig.empty().withBasicAuth('ghcr.io', 'octo', 'pw', `a${char}@example.com`), 'email'],
      [() => DockerConfig.empty().withBasicAuth(`ghcr${char}.io`, 'octo', 'pw'), 'server'],
    ];
    for (const [thunk, property] of cases) {
      const error = validationErrorOf(thunk);
      expect(error.property).toBe(property);
      expect(error.problem).toMatch(/surrogate|control character/);
    }
  });

  test('lowercase paths, ports and the Docker Hub key stay accepted', () => {
    for (const registry of ['ghcr.io/acme', 'registry.example.com:5000/team/', 'quay.io', '[::1]:5000']) {
      expect(RegistryCredentials.basic(registry, 'octo', plain('x')).registry).toBe(registry);
    }
    expect(RegistryCredentials.dockerHubToken('octo', plain('x')).registry).toBe('https://index.docker.io/v1/');
  });
});

describe('item 11: untyped callers get a ValidationError naming the property', () => {
  const throwing = new Proxy({}, { get: () => { throw new TypeError(`getter leaked ${TOKEN}`); } });
  const getter = Object.defineProperty({}, 'region', { get: () => { throw new Error(`boom ${TOKEN}`); }, enumerable: true });

  test.each([
    ['SecretValue.unsafePlainText(undefined)', () => SecretValue.unsafePlainText(any(undefined)), 'SecretValue.unsafePlainText(value)', /must be a string, not undefined/],
    ['SecretValue.unsafePlainText(42)', () => SecretValue.unsafePlainText(any(42)), 'SecretValue.unsafePlainText(value)', /not a number/],
    ['SecretValue.sealed(null)', () => SecretValue.sealed(any(null)), 'SecretValue.sealed(ciphertext)', /not null/],
    ['SecretValue.fromExternalSecret({})', () => SecretValue.fromExternalSecret(any({})), 'SecretValue.fromExternalSecret(key)', /not a plain object/],
    ['SecretValue.fromExternalSecret options a string', () => SecretValue.fromExternalSecret('k', any('v1')), 'SecretValue.fromExternalSecret(options)', /must be an object/],
    ['a plain string where a SecretValue belongs', () => RegistryCredentials.basic('ghcr.io', 'octo', any(TOKEN)), 'password', /must be a SecretValue, not a string/],
    ['a plain string as a GitHub token', () => RegistryCredentials.githubToken('octo', any(TOKEN)), 'token', /must be a SecretValue/],
    ['undefined username', () => RegistryCredentials.basic('ghcr.io', any(undefined), plain('x')), 'username', /must be a string, not undefined/],
    ['a number as registry', () => RegistryCredentials.anonymous(any(5000)), 'registry', /must be a string, not a number/],
    ['a wrong vendor', () => RegistryCredentials.vendorManaged('acme.azurecr.io', any('azur')), 'vendor', /not a CloudVendor/],
    ['options.email a number', () => RegistryCredentials.basic('ghcr.io', 'octo', plain('x'), any({ email: 7 })), 'options.email', /must be a string/],
    ['options.base64 a string', () => RegistryCredentials.googleServiceAccountKey('europe-docker.pkg.dev', SecretValue.fromExternalSecret('k'), any({ base64: 'yes' })), 'options.base64', /true or false/],
    ['TokenGenerator.ecr({})', () => TokenGenerator.ecr(any({})), 'region', /must be a string, not undefined/],
    ['TokenGenerator.ecr(undefined)', () => TokenGenerator.ecr(any(undefined)), 'props', /must be an object, not undefined/],
    ['TokenGenerator.ecr with a throwing getter', () => TokenGenerator.ecr(any(getter)), 'props.region', /getter threw/],
    ['TokenGenerator.gcr with a proxy', () => TokenGenerator.gcr(any(throwing)), /^props\./, /getter threw/],
    ['TokenGenerator.acr audiences a string', () => TokenGenerator.acr('a.azurecr.io', any({ workloadIdentity: { name: 'sa', audiences: 'x' } })), 'props.workloadIdentity.audiences', /must be an array/],
    ['a plain object as generator', () => RegistryCredentials.fromTokenGenerator('quay.io', any({ kind: 'QuayAccessToken' })), 'generator', /must be a TokenGenerator/],
    ['a number as refreshInterval', () => RegistryCredentials.fromTokenGenerator('quay.io', TokenGenerator.quay('quay.io', { robotAccount: 'a+b', serviceAccount: { name: 'sa' } }), any({ refreshInterval: 60 })), 'refreshInterval', /must be a Duration/],
    ['SealingSeed.fromString(undefined)', () => SealingSeed.fromString(any(undefined)), 'SealingSeed.fromString(value)', /must be a string/],
    ['SealingSeed.fromEnvironment(3)', () => SealingSeed.fromEnvironment(any(3)), 'SealingSeed.fromEnvironment(variableName)', /must be a string/],
    ['SealingKey.fromCertificate(undefined)', () => SealingKey.fromCertificate(any(undefined)), 'SealingKey.fromCertificate(pem)', /must be a string/],
    ['a string as deterministicSeed', () => SealingKey.fromCertificate(CERT_PEM, any({ deterministicSeed: 'x'.repeat(40) })), 'SealingKey.fromCertificate(options).deterministicSeed', /must be a SealingSeed/],
    ['seal(undefined)', () => SealingKey.fromCertificate(CERT_PEM).seal(any(undefined), { scope: SealingScope.CLUSTER_WIDE }), 'plaintext', /must be a string/],
    ['seal options null', () => SealingKey.fromCertificate(CERT_PEM).seal('x', any(null)), 'options', /must be an object, not null/],
    ['DockerConfig.fromJson(undefined)', () => DockerConfig.fromJson(any(undefined)), 'dockerconfigjson', /must be a string/],
    ['DockerConfig.fromJson(object)', () => DockerConfig.fromJson(any({ auths: {} })), 'dockerconfigjson', /must be a string, not a plain object/],
    ['withBasicAuth password a SecretValue', () => DockerConfig.empty().withBasicAuth('ghcr.io', 'octo', any(plain('x'))), 'password', /must be a string, not an object of class PlainTextSecretValue/],
    ['ImageReference.parse(undefined)', () => ImageReference.parse(any(undefined)), 'image', /must be a string/],
    ['ImageReference.parseExact(1)', () => ImageReference.parseExact(any(1)), 'image', /must be a string/],
    ['SecretDelivery.sealedSecret scope', () => SecretDelivery.sealedSecret(any({ scope: 'everywhere' })), 'SecretDelivery.sealedSecret(options).scope', /not a SealingScope/],
    ['SecretDelivery.sealedSecret sealingKey a PEM string', () => SecretDelivery.sealedSecret(any({ sealingKey: CERT_PEM })), 'SecretDelivery.sealedSecret(options).sealingKey', /must be a SealingKey, not a string/],
    ['SecretDelivery.externalSecret store a string', () => SecretDelivery.externalSecret(any({ store: 'vault' })), 'SecretDelivery.externalSecret(options).store', /must be an object/],
    ['SecretDelivery.externalSecret refreshInterval a string', () => SecretDelivery.externalSecret(any({ refreshInterval: '1h' })), 'SecretDelivery.externalSecret(options).refreshInterval', /must be a Duration/],
  ])('%s', (_title, thunk, property, problem) => {
    const error = validationErrorOf(thunk);
    if (typeof property === 'string') {
      expect(error.property).toBe(property);
    } else {
      expect(error.property).toMatch(property);
    }
    expect(error.problem).toMatch(problem);
    expect(error.message).not.toMatch(/holds a undefined|TypeError/);
    expect(error.message).not.toContain(TOKEN);
  });

  test('RegistrySecret: non-array credentials and non-credential items name the property and the construct path', () => {
    const chart = new Chart(Testing.app(), 'chart', { namespace: 'team-a' });
    const notArray = validationErrorOf(() => new RegistrySecret(chart, 'a', { credentials: any(RegistryCredentials.anonymous('ghcr.io')) }));
    expect(notArray.property).toBe('credentials');
    expect(notArray.constructPath).toBe('chart/a');
    expect(notArray.problem).toMatch(/must be an array of a RegistryCredentials, not an object of class RegistryCredentials/);
    const stringItem = validationErrorOf(() => new RegistrySecret(chart, 'b', { credentials: any([TOKEN]) }));
    expect(stringItem.property).toBe('credentials[0]');
    expect(stringItem.message).not.toContain(TOKEN);
    const badDelivery = validationErrorOf(() => new RegistrySecret(chart, 'c', {
      credentials: [RegistryCredentials.basic('ghcr.io', 'octo', plain('x'))], delivery: any('sealed'),
    }));
    expect(badDelivery.property).toBe('delivery');
  });

  test('a Duration and a real TokenGenerator still work after the checks', () => {
    const generator = TokenGenerator.ecr({ region: 'eu-west-1', serviceAccount: { name: 'sa', audiences: ['sts.amazonaws.com'] } });
    const credentials = RegistryCredentials.fromTokenGenerator('123456789012.dkr.ecr.eu-west-1.amazonaws.com', generator, { refreshInterval: Duration.hours(1) });
    expect(credentials._parts.refreshInterval!.toHours()).toBe(1);
    expect(util.inspect(generator._spec, { depth: 5 })).toContain('sts.amazonaws.com');
  });
});
