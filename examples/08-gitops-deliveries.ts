import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  RegistryCredentials, RegistrySecret, SealingKey, SealingScope, SealingSeed, SecretDelivery, SecretValue, TokenGenerator,
} from '../src';

/**
 * S8: the same registries, delivered every GitOps-safe way. Nothing in the synthesized YAML is a credential:
 *
 * - `gitops-external-secrets`: ExternalSecrets that read each credential from a ClusterSecretStore (`vault`) and build
 *   the `.dockerconfigjson` in the cluster, `auth` included;
 * - `gitops-token-generators`: ExternalSecrets fed by External Secrets generators that mint short-lived tokens
 *   (ECR with IRSA, GCR/Artifact Registry and ACR with workload identity, Quay robot federation);
 * - `gitops-sealed-secrets`: SealedSecrets sealed at synth time for each scope, and one made of a value sealed
 *   beforehand with `kubeseal`;
 * - `gitops-existing-secret`: a workload pulling with a Secret that someone else creates.
 */
export function build(app: App): void {
  externalSecrets(new Chart(app, 'gitops-external-secrets', { namespace: 'team-vault' }));
  tokenGenerators(new Chart(app, 'gitops-token-generators', { namespace: 'team-cloud' }));
  sealedSecrets(new Chart(app, 'gitops-sealed-secrets', { namespace: 'team-a' }));
  existingSecret(new Chart(app, 'gitops-existing-secret', { namespace: 'team-byo' }));
}

/**
 * Fake plain-text values this example seals at synth time. They must never appear in the synthesized YAML (checked by
 * test/examples/08-gitops-deliveries.test.ts), and real ones never belong in source code: read them from the
 * environment or a file outside Git.
 */
export const FAKE_SECRET_VALUES = {
  ghcrToken: 'ghp_FAKEsealedExampleToken000000000000000',
  garPrivateKey: '-----FAKE EXAMPLE KEY, NOT A REAL KEY-----',
  quayRobotToken: 'FAKE0QUAY0ROBOT0TOKEN0FOR0THE0SEALED0EXAMPLE',
  dockerHubToken: 'dckr_pat_FAKE-sealed-example-token',
};

const STORE = { name: 'vault' };
const FAKE_ACR_CLIENT_ID = '00000000-0000-0000-0000-00000000a11c';

function externalSecrets(chart: Chart): void {
  const delivery = SecretDelivery.externalSecret({ store: STORE });
  const fromVault = (key: string, property?: string) => SecretValue.fromExternalSecret(key, { property });
  const pull = (id: string, credentials: RegistryCredentials) => new RegistrySecret(chart, id, { credentials: [credentials], delivery });

  pull('RegistryExamplePull', RegistryCredentials.basic('registry.example.com', 'robot', fromVault('registry/example', 'password')));
  pull('GhcrPull', RegistryCredentials.githubToken('octo-bot', fromVault('registry/ghcr', 'token')));
  pull('DockerHubPull', RegistryCredentials.dockerHubToken('acme', fromVault('registry/docker-hub', 'token')));
  pull('GarPull', RegistryCredentials.googleServiceAccountKey('europe-west1-docker.pkg.dev', fromVault('registry/gar', 'key.json')));
  pull('AcrPull', RegistryCredentials.azureServicePrincipal('acme.azurecr.io', FAKE_ACR_CLIENT_ID, fromVault('registry/acr', 'clientSecret')));
  pull('QuayPull', RegistryCredentials.quayRobot('acme+puller', fromVault('registry/quay', 'token')));
  // A whole docker config.json kept in the store (Choreo's "Docker config" type): its registry is declared here
  // because its content is only known in the cluster.
  pull('DockerConfigPull', RegistryCredentials.dockerConfigJson(fromVault('registry/docker-config'), { registry: 'registry.example.com:5000' }));
}

function tokenGenerators(chart: Chart): void {
  const pull = (id: string, registry: string, generator: TokenGenerator) =>
    new RegistrySecret(chart, id, { credentials: [RegistryCredentials.fromTokenGenerator(registry, generator)] });

  // ECR tokens live 12 hours; the ExternalSecret refreshes every 6 (half the lifetime, the default).
  pull('EcrPull', '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
    TokenGenerator.ecr({ region: 'eu-west-1', serviceAccount: { name: 'ecr-puller', audiences: ['sts.amazonaws.com'] } }));
  pull('GcrPull', 'europe-west1-docker.pkg.dev', TokenGenerator.gcr({
    projectId: 'acme-images',
    workloadIdentity: { serviceAccount: { name: 'gcr-puller' }, clusterLocation: 'europe-west1', clusterName: 'prod', clusterProjectId: 'acme-prod' },
  }));
  pull('AcrPull', 'acme.azurecr.io', TokenGenerator.acr('acme.azurecr.io', { workloadIdentity: { name: 'acr-puller' } }));
  pull('QuayPull', 'quay.io', TokenGenerator.quay('quay.io', { robotAccount: 'acme+puller', serviceAccount: { name: 'quay-federation', audiences: ['quay.io'] } }));
}

/** The public test certificate of the Sealed Secrets test vectors: its private key is published. Never use it. */
const EXAMPLE_ONLY_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIDGzCCAgOgAwIBAgIUOTC7lHTl4CM5zOwlEqR+TzFiLfcwDQYJKoZIhvcNAQEL
BQAwHTEbMBkGA1UECgwSc2VhbGVkLXNlY3JldC10ZXN0MB4XDTI2MTEyMzE3Mjcx
MloXDTM2MTEyMDE3MjcxMlowHTEbMBkGA1UECgwSc2VhbGVkLXNlY3JldC10ZXN0
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEArXZlRWqDpGStZZyR8jeA
+FI8J49tYnNRgYw/ZLfcm3jP8y8N3SsFh1vm2O9eem123Xva8JvptaT1tx5zwNb/
ZBVhUNc1jj+7Gh90gvu8Y3BHsDKdEWVtakDZs3Ww23aIHfErh/euw3M8Rj4RzlKL
pMwWGVJqG65phcRBVhhn8kfSln/Fr+2jude5UUaYh4XuEWVi7jSGryHgwNzicRsw
ZVdY180XF5wTgnrNhjO85T64wIlqYktsYc0NKvWsoHk7J52pqRVsr8vNitvvLq92
NMap4h5TOwbkRaePBYjWgww3yv6lkhxybwIAvnMD4bct1fkmFZGqrcLhj8RGmjKf
5QIDAQABo1MwUTAdBgNVHQ4EFgQUuxOsWU0BplkVFGJQedWWMGZhoA8wHwYDVR0j
BBgwFoAUuxOsWU0BplkVFGJQedWWMGZhoA8wDwYDVR0TAQH/BAUwAwEB/zANBgkq
hkiG9w0BAQsFAAOCAQEAj+myYm11LesrVW7+9GP5864fWdudFH7fejdM6ZzN4mKQ
6Q+c75vkeewnUf/i30TKOAUmzz/CIS11x1SUKYcjlFbHfnXxUewpehIJN3Lsdwto
bGSCW1vLZvp+aBoyhRUhA37/V5T1jOx41V+juLfGFBwgDEI8Hk7OgSQLuRh5Nvpk
eTLttUmVQPeEq7QJOJEf08zvc43EK7o0Kkiz0f61j2vag46ehCSnUrHjNbKIWq/K
Z3taL0oAKkr9GaAnOcRJ2vs8nyQJTdTflO7TRYOAPcf7oCw4Ba6pvZKjXGzeXFYq
PbCoQ8m69bDubT6zqoaTxNak4hUQ+/IJog4dJ7jekg==
-----END CERTIFICATE-----
`;

/** A value sealed beforehand for team-a/regcred (strict scope) with the test certificate above: `kubeseal --raw` output. */
const PRESEALED_PASSWORD = [
  'AQB3SQSR2zRORhCb/BtCHbDQSGfdM1cKyDrM8C03dNPv6wxVYbhoGLIwb7QqQ4aVgfwVp8AHEmxUmt4iDbTV3Q49mM1QGAq3BZkb',
  'MqxV1hhwa6w8Ug2h5ia2BD89Ck5DbEK4Uv/cRyCNPsPttysyzkWlN5of+7ACuTi8mzplMdn/0tIzIOaZNT81fiyhAPOCSS4IMQRQ',
  'ahvpfO3tv1Qs7W0gf7EZj1bADSYL9GJpcMnwAzjuSDt5q7bvaFo+rf0wno51yQCPK3qbopxi+mq3i3IZTOyJnYWJ/JPczJMzXH/a',
  '6eBo1LaGutylFirSbybLqDHlFJzNKM9pOL34ZVurDl9Vt8HjwW4YxAv9zL9BCt0mNf7q1rSnTw==',
].join('');

function sealedSecrets(chart: Chart): void {
  // !!! EXAMPLE ONLY !!! The certificate is a throwaway test certificate whose private key is public (the reference
  // data's Sealed Secrets test key), and the seed below is printed in this file for everyone to read. A real setup passes the controller's
  // certificate (`kubeseal --fetch-cert > cert.pem`) and a secret seed kept OUT of Git:
  //   SealingKey.fromCertificate(fs.readFileSync('cert.pem', 'utf8'), { deterministicSeed: SealingSeed.fromEnvironment('SEALED_SECRETS_SEED') })
  // A seed in source code lets anyone with the repository confirm guesses of the sealed values.
  const sealingKey = SealingKey.fromCertificate(EXAMPLE_ONLY_CERTIFICATE, {
    deterministicSeed: SealingSeed.fromString('EXAMPLE-ONLY-seed-never-use-this-in-a-real-repository'),
  });
  const sealed = (id: string, scope: SealingScope, credentials: RegistryCredentials[]) =>
    new RegistrySecret(chart, id, { credentials, delivery: SecretDelivery.sealedSecret({ sealingKey, scope }) });
  const fake = SecretValue.unsafePlainText;

  // Strict (kubeseal's default): only a SealedSecret named ghcr-and-gar-strict in team-a can decrypt it.
  sealed('GhcrAndGarStrict', SealingScope.STRICT, [
    RegistryCredentials.githubToken('octo-bot', fake(FAKE_SECRET_VALUES.ghcrToken)),
    RegistryCredentials.googleServiceAccountKey('europe-west1-docker.pkg.dev', fake(JSON.stringify({
      type: 'service_account',
      project_id: 'acme-images',
      private_key: FAKE_SECRET_VALUES.garPrivateKey,
      client_email: 'puller@acme-images.iam.gserviceaccount.com',
    }))),
  ]);
  // Namespace-wide: any SealedSecret in team-a (the annotation sits on the SealedSecret itself).
  sealed('QuayNamespaceWide', SealingScope.NAMESPACE_WIDE, [RegistryCredentials.quayRobot('acme+puller', fake(FAKE_SECRET_VALUES.quayRobotToken))]);
  // Cluster-wide: any SealedSecret in any namespace.
  sealed('DockerHubClusterWide', SealingScope.CLUSTER_WIDE, [RegistryCredentials.dockerHubToken('acme', fake(FAKE_SECRET_VALUES.dockerHubToken))]);

  // A value sealed beforehand with `kubeseal --raw --namespace team-a --name regcred`.
  // Only the password is sealed; the controller renders the .dockerconfigjson, auth included, from the template.
  new RegistrySecret(chart, 'Regcred', {
    credentials: [RegistryCredentials.basic('registry.example.com', 'robot',
      SecretValue.sealed(PRESEALED_PASSWORD, { scope: SealingScope.STRICT, namespace: 'team-a', name: 'regcred' }))],
  });
}

function existingSecret(chart: Chart): void {
  // Made by someone else (by hand, another application, an operator): referenced, never emitted.
  const existing = RegistrySecret.fromSecretName(chart, 'ByoiPull', 'byoi-pull', { registries: ['registry.example.com'] });
  new kplus.Deployment(chart, 'Web', {
    metadata: { name: 'web' },
    dockerRegistryAuth: existing,
    containers: [{ image: 'registry.example.com/acme/web:1.0', portNumber: 8080 }],
  });
}
