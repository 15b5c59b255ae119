import { Chart, Testing } from 'cdk8s';
import { BuildServiceAccount } from '../../src/konflux/build-service-account';
import { ImageControllerNames, ImageRepositoryApiGroup } from '../../src/konflux/image-controller-names';
import { RegistryPurpose, RegistrySecret } from '../../src/registry-secret';
import { DockerConfig } from '../../src/values/docker-config';
import { KubeletKeyring } from '../../src/values/kubelet-keyring';
import { loadReferenceJson } from '../helpers/reference';

const VECTORS = loadReferenceJson('konflux', 'konflux-test-vectors.json');
const NAMES = VECTORS.names;

describe('ImageRepository secrets (names.imageRepositoryPushSecret)', () => {
  test.each(NAMES.imageRepositoryPushSecret.cases as any[])('$group: $push, $pull', ({ group, imageRepository, push, pull }) => {
    const apiGroup = Object.values(ImageRepositoryApiGroup).find(g => g === group)!;
    expect(ImageControllerNames.pushSecretName(imageRepository, apiGroup)).toBe(push);
    expect(ImageControllerNames.pullSecretName(imageRepository, apiGroup)).toBe(pull);
  });

  test('the ImageRepository name is cut to 220 characters before the suffix', () => {
    const name = 'r'.repeat(250);
    expect(ImageControllerNames.pushSecretName(name, ImageRepositoryApiGroup.KONFLUX)).toBe(`${'r'.repeat(220)}-img-push`);
  });
});

test('fixed names (names.namespacePullSecret, names.integrationServiceAccount, names.applicationPullSecret)', () => {
  expect(ImageControllerNames.NAMESPACE_PULL_SECRET).toBe(NAMES.namespacePullSecret);
  expect(ImageControllerNames.INTEGRATION_SERVICE_ACCOUNT).toBe(NAMES.integrationServiceAccount);
  const { application, expected } = NAMES.applicationPullSecret.case;
  expect(ImageControllerNames.applicationPullSecretName(application)).toBe(expected);
});

describe('repository URL (names.defaultImageRepositoryPath)', () => {
  test.each(NAMES.defaultImageRepositoryPath.cases as any[])('$expectedUrl', c => {
    expect(ImageControllerNames.repositoryUrl({
      namespace: c.namespace,
      name: c.metadataName,
      organization: c.org,
      quayHost: c.quayHost,
      component: c.componentLabel ?? undefined,
      imageName: c.specImageName ?? undefined,
    })).toBe(c.expectedUrl);
  });

  test('a leading "/" of spec.image.name is dropped', () => {
    expect(ImageControllerNames.repositoryUrl({ namespace: 'test-ns', name: 'ir1', organization: 'my-org', imageName: '/custom/name' }))
      .toBe('quay.io/my-org/test-ns/custom/name');
  });
});

test('image-controller\'s push secret is keyed by repository path, and the kubelet matches it (imageControllerGeneratedDockerconfig)', () => {
  const { imageURL, expected } = VECTORS.imageControllerGeneratedDockerconfig.case;
  const config = DockerConfig.fromJson(expected);
  expect(config.servers).toEqual([imageURL]);
  expect(new KubeletKeyring([config]).lookup(`${imageURL}:latest`)).toEqual([imageURL]);
  expect(new KubeletKeyring([config]).lookup('quay.io/my-org/test-ns/other:latest')).toEqual([]);
});

test('an image-controller secret can be linked to a build account by its derived name', () => {
  const chart = new Chart(Testing.app(), 'tenant', { namespace: 'test-ns' });
  const push = RegistrySecret.fromSecretName(chart, 'Push',
    ImageControllerNames.pushSecretName('comp1', ImageRepositoryApiGroup.APPSTUDIO), { purpose: RegistryPurpose.PUSH });
  const pull = RegistrySecret.fromSecretName(chart, 'NamespacePull', ImageControllerNames.NAMESPACE_PULL_SECRET);
  BuildServiceAccount.forComponent(chart, 'Build', { component: 'comp1', secrets: [push, pull] });
  expect(Testing.synth(chart)[0].secrets).toEqual([{ name: 'comp1-image-push' }, { name: 'components-namespace-pull' }]);
});
