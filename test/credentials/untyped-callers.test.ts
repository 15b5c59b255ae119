// Issue 12 item 11: a property test over the public entry points of the values and factories (SecretValue,
// RegistryCredentials, TokenGenerator, SealingSeed/SealingKey, DockerConfig, ImageReference.parse*, SecretDelivery):
// random JavaScript values of every type, mixed with valid ones so that deeper checks are reached, and only
// ValidationError may escape (never TypeError, RangeError, SyntaxError or an OpenSSL error).
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import { CloudVendor, RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import { TokenGenerator } from '../../src/credentials/token-generator';
import { SealingKey, SealingScope, SealingSeed } from '../../src/delivery/sealing';
import { SecretDelivery, SecretStoreKind } from '../../src/delivery/secret-delivery';
import { ValidationError } from '../../src/errors';
import { DockerConfig } from '../../src/values/docker-config';
import { ImageReference } from '../../src/values/image-reference';
import { loadSealedSecretVectors } from '../helpers/unseal';

const CERT_PEM = loadSealedSecretVectors().testKey.certificatePem;
const SEED = 'prop-test-seed-Q2hhbmdlTWUhIFRoaXMgaXMgYSB0ZXN0';

/** Values no TypeScript caller would pass: throwing getters, proxies, symbols, functions, class instances. */
const hostile = fc.constantFrom<unknown>(
  undefined, null, NaN, -0, Infinity, 0n, Symbol('s'), () => 'x', [], [[]], {}, Object.create(null),
  new Proxy({}, { get: () => { throw new TypeError('trap'); }, getPrototypeOf: () => { throw new TypeError('trap'); } }),
  Object.defineProperty({}, 'registry', { get: () => { throw new Error('getter'); }, enumerable: true }),
  Object.defineProperty({}, 'region', { get: () => { throw new Error('getter'); }, enumerable: true }),
  Object.defineProperty({}, 'name', { get: () => { throw new Error('getter'); }, enumerable: true }),
  new Date(0), /re/, new Map(), Buffer.from('x'), 'x'.repeat(70000), '\ud800', '', ' ', 'ghcr.io', 'a:b',
  Duration.hours(1), SecretValue.unsafePlainText('x'), { toString: () => { throw new Error('toString'); } },
);

const anyValue = fc.oneof(
  fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
  hostile,
);
/** A slot that is usually wrong, sometimes right (from `valid`). */
const slot = (...valid: unknown[]) => fc.oneof({ weight: 3, arbitrary: anyValue }, { weight: 2, arbitrary: fc.constantFrom(...valid) });

const secret = () => [SecretValue.unsafePlainText('pw'), SecretValue.fromExternalSecret('k'), 'pw'];
const serviceAccount = { name: 'sa', audiences: ['aud'] };
const secretKey = { name: 's', key: 'k' };
const struct = (fields: { [key: string]: fc.Arbitrary<unknown> }) =>
  fc.oneof(anyValue, fc.record(fields, { requiredKeys: [] }));

type EntryPoint = [string, fc.Arbitrary<unknown[]>, (...args: any[]) => unknown];

const ENTRY_POINTS: EntryPoint[] = [
  ['SecretValue.unsafePlainText', fc.tuple(slot('pw')), (a) => SecretValue.unsafePlainText(a)],
  ['SecretValue.sealed', fc.tuple(slot('AAAA'), struct({ scope: slot(SealingScope.STRICT), namespace: slot('ns'), name: slot('n') })), (a, b) => SecretValue.sealed(a, b)],
  ['SecretValue.fromExternalSecret', fc.tuple(slot('k'), struct({ property: slot('p'), version: slot('v') })), (a, b) => SecretValue.fromExternalSecret(a, b)],
  ['RegistryCredentials.anonymous', fc.tuple(slot('ghcr.io')), (a) => RegistryCredentials.anonymous(a)],
  ['RegistryCredentials.basic', fc.tuple(slot('ghcr.io'), slot('octo'), slot(...secret()), struct({ email: slot('a@b.c') })), (a, b, c, d) => RegistryCredentials.basic(a, b, c, d)],
  ['RegistryCredentials.dockerConfigJson', fc.tuple(slot(SecretValue.unsafePlainText('{"auths":{"a.io":{"auth":"dTpw"}}}'), SecretValue.fromExternalSecret('k')), struct({ registry: slot('a.io') })), (a, b) => RegistryCredentials.dockerConfigJson(a, b)],
  ['RegistryCredentials.vendorManaged', fc.tuple(slot('acme.azurecr.io'), slot(CloudVendor.AZURE, CloudVendor.AWS)), (a, b) => RegistryCredentials.vendorManaged(a, b)],
  ['RegistryCredentials.googleServiceAccountKey', fc.tuple(slot('europe-docker.pkg.dev'), slot(...secret()), struct({ base64: slot(true) })), (a, b, c) => RegistryCredentials.googleServiceAccountKey(a, b, c)],
  ['RegistryCredentials.azureServicePrincipal', fc.tuple(slot('acme.azurecr.io'), slot('00000000-0000-0000-0000-000000000000'), slot(...secret())), (a, b, c) => RegistryCredentials.azureServicePrincipal(a, b, c)],
  ['RegistryCredentials.githubToken', fc.tuple(slot('octo'), slot(...secret()), struct({ registry: slot('ghcr.io') })), (a, b, c) => RegistryCredentials.githubToken(a, b, c)],
  ['RegistryCredentials.dockerHubToken', fc.tuple(slot('octo'), slot(...secret())), (a, b) => RegistryCredentials.dockerHubToken(a, b)],
  ['RegistryCredentials.quayRobot', fc.tuple(slot('acme+bot'), slot(...secret()), struct({ registry: slot('quay.io') })), (a, b, c) => RegistryCredentials.quayRobot(a, b, c)],
  ['RegistryCredentials.fromTokenGenerator', fc.tuple(slot('quay.io', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'),
    slot(TokenGenerator.quay('quay.io', { robotAccount: 'a+b', serviceAccount }), TokenGenerator.ecr({ region: 'eu-west-1' })),
    struct({ refreshInterval: slot(Duration.minutes(10)) })), (a, b, c) => RegistryCredentials.fromTokenGenerator(a, b, c)],
  ['TokenGenerator.ecr', fc.tuple(struct({ region: slot('eu-west-1'), role: slot('r'), serviceAccount: slot(serviceAccount), accessKeys: slot({ accessKeyId: secretKey, secretAccessKey: secretKey }) })), (a) => TokenGenerator.ecr(a)],
  ['TokenGenerator.gcr', fc.tuple(struct({ projectId: slot('p'), serviceAccountKey: slot(secretKey), workloadIdentity: slot({ serviceAccount, clusterLocation: 'l', clusterName: 'c' }) })), (a) => TokenGenerator.gcr(a)],
  ['TokenGenerator.acr', fc.tuple(slot('acme.azurecr.io'), struct({ managedIdentityId: slot('id'), workloadIdentity: slot(serviceAccount), servicePrincipal: slot({ clientId: secretKey, clientSecret: secretKey }) })), (a, b) => TokenGenerator.acr(a, b)],
  ['TokenGenerator.quay', fc.tuple(slot('quay.io'), struct({ robotAccount: slot('a+b'), serviceAccount: slot(serviceAccount) })), (a, b) => TokenGenerator.quay(a, b)],
  ['SealingSeed.fromString', fc.tuple(slot(SEED)), (a) => SealingSeed.fromString(a)],
  ['SealingSeed.fromEnvironment', fc.tuple(slot('UNTYPED_CALLERS_UNSET')), (a) => SealingSeed.fromEnvironment(a)],
  ['SealingSeed.fromFile', fc.tuple(slot('/nonexistent/seed')), (a) => SealingSeed.fromFile(a)],
  ['SealingSeed.estimateEntropyBits', fc.tuple(slot(SEED)), (a) => SealingSeed.estimateEntropyBits(a)],
  ['SealingKey.fromCertificate', fc.tuple(slot(CERT_PEM), struct({ deterministicSeed: slot(SealingSeed.fromString(SEED)) })), (a, b) => SealingKey.fromCertificate(a, b)],
  ['SealingKey.fromPublicKey', fc.tuple(slot(CERT_PEM), struct({ deterministicSeed: slot(SealingSeed.fromString(SEED)) })), (a, b) => SealingKey.fromPublicKey(a, b)],
  ['SealingKey.seal', fc.tuple(slot('plaintext'), struct({ scope: slot(...Object.values(SealingScope)), namespace: slot('ns'), name: slot('n') })), (a, b) => SealingKey.fromCertificate(CERT_PEM).seal(a, b)],
  ['DockerConfig.fromJson', fc.tuple(slot('{"auths":{}}', '{"auths":{"a.io":{"auth":"dTpw"}}}'), struct({ strict: slot(true, false) })), (a, b) => DockerConfig.fromJson(a, b)],
  ['DockerConfig.warningsForKey', fc.tuple(slot('ghcr.io')), (a) => DockerConfig.warningsForKey(a)],
  ['DockerConfig.withBasicAuth', fc.tuple(slot('ghcr.io'), slot('octo'), slot('pw'), slot('a@b.c')), (a, b, c, d) => DockerConfig.empty().withBasicAuth(a, b, c, d)],
  ['ImageReference.parse', fc.tuple(slot('nginx')), (a) => ImageReference.parse(a)],
  ['ImageReference.parseExact', fc.tuple(slot('ghcr.io/a/b')), (a) => ImageReference.parseExact(a)],
  ['SecretDelivery.sealedSecret', fc.tuple(struct({ sealingKey: slot(SealingKey.fromCertificate(CERT_PEM)), scope: slot(SealingScope.STRICT) })), (a) => SecretDelivery.sealedSecret(a)],
  ['SecretDelivery.externalSecret', fc.tuple(struct({ store: slot({ name: 'vault' }, { name: 'v', kind: SecretStoreKind.SECRET_STORE }), refreshInterval: slot(Duration.hours(1)) })), (a) => SecretDelivery.externalSecret(a)],
];

const RUNS_PER_ENTRY_POINT = 300;
const counts = { inputs: 0, validationErrors: 0, accepted: 0 };

afterAll(() => {
  // The figure quoted in the report: how many random inputs were tried and how they ended.
  // eslint-disable-next-line no-console
  console.log(`untyped callers: ${counts.inputs} inputs over ${ENTRY_POINTS.length} entry points: `
    + `${counts.validationErrors} ValidationError, ${counts.accepted} accepted, 0 other errors`);
});

describe('only ValidationError escapes the public entry points, whatever JavaScript passes', () => {
  test.each(ENTRY_POINTS)('%s', (_name, args, call) => {
    fc.assert(fc.property(args, values => {
      counts.inputs++;
      try {
        call(...values);
        counts.accepted++;
      } catch (err) {
        if (!(err instanceof ValidationError)) {
          throw new Error(`escaped ${(err as Error)?.name}: ${(err as Error)?.message}`);
        }
        expect(err.message).not.toMatch(/holds a undefined value|undefined is not|Cannot read prop/);
        counts.validationErrors++;
      }
    }), { numRuns: RUNS_PER_ENTRY_POINT });
  });
});
