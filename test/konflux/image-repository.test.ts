import { Chart, JsonPatch, Testing } from 'cdk8s';
import { BuildServiceAccount } from '../../src/konflux/build-service-account';
import { ImageControllerNames, ImageRepositoryApiGroup } from '../../src/konflux/image-controller-names';
import { ImageRepository, ImageRepositoryProps, ImageRepositoryVisibility } from '../../src/konflux/image-repository';
import { RegistryPurpose } from '../../src/registry-secret';
import { DockerConfig } from '../../src/values/docker-config';
import { KubeletKeyring } from '../../src/values/kubelet-keyring';
import { validationErrorOf } from '../helpers/errors';
import { checkManifests, expectValidManifests } from '../helpers/manifest-checker';
import { loadReferenceJson } from '../helpers/reference';

const VECTORS = loadReferenceJson('konflux', 'konflux-test-vectors.json');
const CRD_FILES = {
  'appstudio.redhat.com/v1alpha1/ImageRepository': 'konflux/appstudio.redhat.com_imagerepositories.yaml',
  'konflux-ci.dev/v1alpha1/ImageRepository': 'konflux/konflux-ci.dev_imagerepositories.yaml',
};

function tenantChart(namespace: string | undefined = 'test-ns'): Chart {
  return new Chart(Testing.app(), 'tenant', { namespace });
}

function imageRepositories(chart: Chart): any[] {
  return Testing.synth(chart).filter(o => o.kind === 'ImageRepository');
}

const BASE: ImageRepositoryProps = { name: 'web', quayOrganization: 'acme' };

describe.each([ImageRepositoryApiGroup.APPSTUDIO, ImageRepositoryApiGroup.KONFLUX])('group %s', group => {
  test('always writes spec.image.name and spec.image.visibility, with the component labels, valid against the CRD', () => {
    const chart = tenantChart();
    new ImageRepository(chart, 'Repo', { ...BASE, apiGroup: group, component: { name: 'web', application: 'shop' } });
    const [object] = imageRepositories(chart);
    expect(object).toEqual({
      apiVersion: `${group}/v1alpha1`,
      kind: 'ImageRepository',
      metadata: {
        name: 'web',
        namespace: 'test-ns',
        labels: { 'appstudio.redhat.com/application': 'shop', 'appstudio.redhat.com/component': 'web' },
        annotations: { 'argocd.argoproj.io/sync-wave': '0', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
      },
      spec: { image: { name: 'test-ns/web', visibility: 'public' } },
    });
    expectValidManifests([object], { crdFiles: CRD_FILES });
  });

  test('the push secret names come from the upstream vectors (names.imageRepositoryPushSecret)', () => {
    const cases = (VECTORS.names.imageRepositoryPushSecret.cases as any[]).filter(c => c.group === group);
    expect(cases).toHaveLength(1);
    const chart = tenantChart();
    const repo = new ImageRepository(chart, 'Repo', { ...BASE, apiGroup: group, name: cases[0].imageRepository });
    expect(repo.pushSecretName).toBe(cases[0].push);
    expect(repo.pushSecret.name).toBe(cases[0].push);
  });

  test('a 250-character name: the push secret name is cut to 220 characters before the suffix', () => {
    const chart = tenantChart();
    const repo = new ImageRepository(chart, 'Repo', { ...BASE, apiGroup: group, name: 'r'.repeat(250), imageName: 'r' });
    const suffix = group === ImageRepositoryApiGroup.APPSTUDIO ? '-image-push' : '-img-push';
    expect(repo.pushSecretName).toBe(`${'r'.repeat(220)}${suffix}`);
    expectValidManifests(imageRepositories(chart), { crdFiles: CRD_FILES });
  });

  test('the CRD accepts an object without visibility (which is why the construct always writes it)', () => {
    // The CRD makes every field optional, so the checker accepts it: this is exactly why the construct always writes it.
    const chart = tenantChart();
    const repo = new ImageRepository(chart, 'Repo', { ...BASE, apiGroup: group });
    repo.apiObject.addJsonPatch(JsonPatch.remove('/spec/image/visibility'));
    expect(checkManifests(imageRepositories(chart), { crdFiles: CRD_FILES })).toEqual([]);
  });
});

describe('repository path (names.defaultImageRepositoryPath)', () => {
  test.each((VECTORS.names.defaultImageRepositoryPath.cases as any[]))('$expectedUrl', c => {
    const chart = tenantChart(c.namespace);
    const repo = new ImageRepository(chart, 'Repo', {
      name: c.metadataName,
      quayOrganization: c.org,
      quayHost: c.quayHost,
      imageName: c.specImageName ?? undefined,
      component: c.componentLabel ? { name: c.componentLabel, application: 'app' } : undefined,
    });
    expect(repo.repositoryUrl).toBe(c.expectedUrl);
    // spec.image.name is always written, as image-controller writes it when it fills it in: the path in the organization.
    expect(imageRepositories(chart)[0].spec.image.name).toBe(c.expectedUrl.slice(`${c.quayHost}/${c.org}/`.length));
  });
});

test('the push secret is an IRegistrySecret for push, keyed by the repository as image-controller writes its auths', () => {
  const chart = tenantChart();
  const repo = new ImageRepository(chart, 'Repo', { ...BASE, visibility: ImageRepositoryVisibility.PRIVATE, component: { name: 'web', application: 'shop' } });
  expect(repo.pushSecret.purpose).toBe(RegistryPurpose.PUSH);
  expect(repo.pushSecret.namespace).toBe('test-ns');
  expect(repo.pushSecret.registries).toEqual(['quay.io/acme/test-ns/web']);
  // image-controller's generated config (imageControllerGeneratedDockerconfig) is keyed the same way: the kubelet
  // keyring matches our declared registry exactly where it matches the real secret.
  const generated = DockerConfig.fromJson(VECTORS.imageControllerGeneratedDockerconfig.case.expected);
  const declared = new KubeletKeyring([DockerConfig.empty().withBasicAuth(repo.pushSecret.registries[0], 'robot', 'token')]);
  expect(new KubeletKeyring([generated]).lookup('quay.io/my-org/test-ns/comp:v1')).toHaveLength(1);
  expect(declared.lookup('quay.io/acme/test-ns/web:v1')).toHaveLength(1);
  expect(declared.lookup('quay.io/acme/test-ns/other:v1')).toHaveLength(0);
  expect(imageRepositories(chart)[0].spec.image).toEqual({ name: 'test-ns/web', visibility: 'private' });
});

test('BuildServiceAccount links the push secret by its derived name, with no hand-written name', () => {
  const chart = tenantChart();
  const repo = new ImageRepository(chart, 'Repo', { ...BASE, apiGroup: ImageRepositoryApiGroup.KONFLUX, component: { name: 'web', application: 'shop' } });
  BuildServiceAccount.forComponent(chart, 'Build', { component: 'web', secrets: [repo.pushSecret] });
  const account = Testing.synth(chart).find(o => o.kind === 'ServiceAccount');
  expect(account.metadata.name).toBe('build-pipeline-web');
  expect(account.secrets).toEqual([{ name: ImageControllerNames.pushSecretName('web', ImageRepositoryApiGroup.KONFLUX) }]);
  expect(account.secrets).toEqual([{ name: 'web-img-push' }]);
});

test('same input, same bytes', () => {
  const build = () => {
    const chart = tenantChart();
    new ImageRepository(chart, 'Repo', { ...BASE, component: { name: 'web', application: 'shop' } });
    return JSON.stringify(Testing.synth(chart));
  };
  expect(build()).toBe(build());
});

describe('bad input', () => {
  const cases: Array<[string, () => Partial<ImageRepositoryProps> & { [key: string]: any }, string, RegExp]> = [
    ['name not a string', () => ({ name: 42 as any }), 'name', /must be a string/],
    ['name empty', () => ({ name: '' }), 'name', /must not be empty/],
    ['name uppercase', () => ({ name: 'Web' }), 'name', /DNS-1123/],
    ['name whose first 220 characters end in "."', () => ({ name: `${'a'.repeat(219)}.b`, imageName: 'a' }), 'name', /push Secret/],
    ['quayOrganization missing', () => ({ quayOrganization: undefined }), 'quayOrganization', /is required/],
    ['quayOrganization with a slash', () => ({ quayOrganization: 'acme/team' }), 'quayOrganization', /Quay organization/],
    ['quayHost with a scheme', () => ({ quayHost: 'https://quay.io' }), 'quayHost', /registry host/],
    ['apiGroup unknown', () => ({ apiGroup: 'example.com' as any }), 'apiGroup', /must be an ImageRepositoryApiGroup value/],
    ['visibility not in the enum', () => ({ visibility: 'internal' as any }), 'visibility', /must be an ImageRepositoryVisibility value/],
    ['imageName uppercase', () => ({ imageName: 'Web' }), 'imageName', /must match/],
    ['imageName with a leading slash', () => ({ imageName: '/web' }), 'imageName', /must match/],
    ['imageName with a tag', () => ({ imageName: 'web:latest' }), 'imageName', /must match/],
    ['name with two dots in a row', () => ({ name: 'a..b' }), 'name', /DNS-1123/],
    ['component without application', () => ({ component: { name: 'web' } as any }), 'component.application', /is required/],
    ['component name too long for a label', () => ({ component: { name: 'c'.repeat(64), application: 'shop' } }), 'component.name', /63/],
  ];

  test.each(cases)('%s', (_title, override, property, problem) => {
    const chart = tenantChart();
    const error = validationErrorOf(() => new ImageRepository(chart, 'Repo', { ...BASE, ...override() } as ImageRepositoryProps));
    expect(error.property).toBe(property);
    expect(error.problem).toMatch(problem);
    expect(error.fix.length).toBeGreaterThan(0);
    expect(error.message).toContain('tenant/Repo');
  });

  test('no namespace in the props or the chart', () => {
    const error = validationErrorOf(() => new ImageRepository(new Chart(Testing.app(), 'tenant'), 'Repo', BASE));
    expect(error.property).toBe('namespace');
    expect(error.fix).toMatch(/namespace/);
  });

  test('the CRD itself refuses what the construct refuses (differential)', () => {
    const chart = tenantChart();
    const repo = new ImageRepository(chart, 'Repo', BASE);
    repo.apiObject.addJsonPatch(JsonPatch.replace('/spec/image/name', 'Web'), JsonPatch.replace('/spec/image/visibility', 'internal'));
    const problems = checkManifests(imageRepositories(chart), { crdFiles: CRD_FILES }).map(p => p.path).sort();
    expect(problems).toEqual(['/spec/image/name', '/spec/image/visibility']);
  });
});
