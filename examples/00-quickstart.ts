import { App, Chart } from 'cdk8s';
import { RegistryCredentials, RegistrySecret, SecretValue } from '../src';

/**
 * Quick start: two pull secrets delivered as plain Secrets.
 *
 * The values are fake and given with `SecretValue.unsafePlainText`, which puts them in the YAML: fine for a local
 * cluster, never for Git (see the GitOps-safe examples).
 */
export function build(app: App): void {
  const chart = new Chart(app, 'quickstart', { namespace: 'team-a' });

  new RegistrySecret(chart, 'DockerHubPull', {
    credentials: [
      RegistryCredentials.dockerHubToken('acme', SecretValue.unsafePlainText('dckr_pat_FAKE-example-token')),
    ],
  });

  new RegistrySecret(chart, 'GhcrPull', {
    credentials: [
      RegistryCredentials.githubToken('octo-bot', SecretValue.unsafePlainText('ghp_FAKEexampletoken0000000000000000000')),
    ],
  });
}
