import { App, Chart, Testing } from 'cdk8s';
import {
  BuildServiceAccount, RegistryCredentials, RegistryPurpose, RegistrySecret, ReleasePipelineRef, ReleasePlanAdmission,
  SecretValue,
} from '../../src';
import { mappingRepositories } from '../../src/konflux/push-coverage';
import { validationErrorOf } from '../helpers/errors';

const token = () => SecretValue.unsafePlainText('fake-token');
const PIPELINE = ReleasePipelineRef.git({
  url: 'https://github.com/konflux-ci/release-service-catalog.git',
  revision: 'development',
  pathInRepo: 'pipelines/managed/push-to-external-registry/push-to-external-registry.yaml',
});

function synthErrors(app: App): string[] {
  try {
    app.synthYaml();
    return [];
  } catch (err) {
    return (err as Error).message.split('\n').slice(1).map(line => line.trim());
  }
}

interface ReleaseSetup {
  readonly pushKeys: string[];
  readonly ociStorage?: string;
  readonly data?: { [key: string]: any };
  readonly unknownSecret?: boolean;
}

function release(setup: ReleaseSetup): string[] {
  const app = Testing.app();
  const chart = new Chart(app, 'managed', { namespace: 'managed-ns' });
  const secrets = setup.pushKeys.map((key, index) => new RegistrySecret(chart, `Push${index}`, {
    purpose: RegistryPurpose.PUSH,
    credentials: [RegistryCredentials.basic(key, 'robot', token())],
  }));
  const unknown = setup.unknownSecret ? [RegistrySecret.fromSecretName(chart, 'Existing', 'operator-push', { purpose: RegistryPurpose.PUSH })] : [];
  const account = BuildServiceAccount.forRelease(chart, 'ReleasePipeline', { secrets: [...secrets, ...unknown] });
  new ReleasePlanAdmission(chart, 'Rpa', {
    name: 'app',
    origin: 'tenant',
    policy: 'default',
    applications: ['app'],
    data: setup.data,
    pipeline: { pipelineRef: PIPELINE, serviceAccount: account, ociStorage: setup.ociStorage },
  });
  return synthErrors(app);
}

const MAPPING = {
  mapping: {
    components: [
      { name: 'api', repositories: [{ url: 'quay.io/acme/api' }, { url: 'quay.io/acme-mirror/api' }] },
      { name: 'web', repository: 'registry.example.com/acme/web' },
    ],
    defaults: { tags: ['latest'] },
  },
};

describe('the release account\'s push secrets must cover what the release pipeline pushes to', () => {
  test('ociStorage uncovered: fails, naming the repository, the account and its keys', () => {
    const errors = release({ pushKeys: ['quay.io/acme'], ociStorage: 'ghcr.io/acme/trusted-artifacts' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('[managed/Rpa] pipeline.ociStorage: is pushed to by the pipeline running as ServiceAccount "release-pipeline"');
    expect(errors[0]).toContain('no push secret of that account covers "ghcr.io/acme/trusted-artifacts" (its push secrets give push0: quay.io/acme)');
    expect(errors[0]).toContain('(got "ghcr.io/acme/trusted-artifacts")');
  });

  test('ociStorage covered: passes', () => {
    expect(release({ pushKeys: ['ghcr.io'], ociStorage: 'ghcr.io/acme/trusted-artifacts' })).toEqual([]);
  });

  test('mapping repositories uncovered: one error per repository, in both mapping forms', () => {
    const errors = release({ pushKeys: ['quay.io/acme/'], data: MAPPING });
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain('data.mapping.components[0].repositories[1].url: ');
    expect(errors[0]).toContain('"quay.io/acme-mirror/api"');
    expect(errors[1]).toContain('data.mapping.components[1].repository: ');
  });

  test('mapping repositories covered: passes', () => {
    expect(release({ pushKeys: ['quay.io', 'registry.example.com/acme'], data: MAPPING })).toEqual([]);
  });

  test('a pull-only secret does not count, an existing secret of unknown registries gets the declare fix', () => {
    const errors = release({ pushKeys: [], ociStorage: 'quay.io/acme/ta', unknownSecret: true });
    expect(errors[0]).toContain('it has no push secret with known registries');
    expect(errors[0]).toContain('declare the registries of "operator-push"');
  });

  test('templated values in the free-form data are not judged', () => {
    expect(mappingRepositories({ mapping: { components: [{ repository: 'quay.io/{{ org }}/app' }] } })).toHaveLength(1);
    expect(release({ pushKeys: ['ghcr.io'], data: { mapping: { components: [{ repository: 'quay.io/{{ org }}/app' }] } } })).toEqual([]);
  });
});

describe('a build account\'s secrets must cover the component\'s output image, when given', () => {
  function build(pushKey: string, outputImage: string): string[] {
    const app = Testing.app();
    const chart = new Chart(app, 'tenant', { namespace: 'user-ns1' });
    const push = new RegistrySecret(chart, 'Push', { purpose: RegistryPurpose.PUSH, credentials: [RegistryCredentials.basic(pushKey, 'robot', token())] });
    BuildServiceAccount.forComponent(chart, 'Build', { component: 'api', secrets: [push], outputImage });
    return synthErrors(app);
  }

  test('uncovered: fails', () => {
    const errors = build('quay.io/other', 'quay.io/acme/api');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('[tenant/Build] outputImage: is pushed to by the pipeline running as ServiceAccount "build-pipeline-api"');
  });

  test('covered: passes', () => {
    expect(build('quay.io/acme', 'quay.io/acme/api')).toEqual([]);
  });

  test('not an image reference: a ValidationError at construction', () => {
    const error = validationErrorOf(() => build('quay.io', 'Quay.io/Acme/API'));
    expect(error.message).toContain('outputImage: is not an image reference');
  });
});
