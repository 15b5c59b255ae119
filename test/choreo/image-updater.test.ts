import { Chart, Testing } from 'cdk8s';
import { RegistryCredentials, RegistrySecret, SecretValue } from '../../src';
import {
  ImageUpdater, ImageUpdaterImage, ImageUpdaterTarget, ImageUpdaterWriteBack, ImageUpdateStrategy,
} from '../../src/choreo/image-updater';
import { validationErrorOf } from '../helpers/errors';
import { expectValidManifests } from '../helpers/manifest-checker';
import { loadReferenceJson } from '../helpers/reference';

const FACTS = loadReferenceJson('argocd', 'argocd-facts.json').imageUpdater;
const TOKEN = 'ghp_FAKEtoken0000';

function chart(namespace = 'argocd'): Chart {
  return new Chart(Testing.app(), 'updates', { namespace });
}

function ghcrSecret(scope: Chart, namespace?: string): RegistrySecret {
  return new RegistrySecret(scope, `Ghcr${namespace ?? ''}`, {
    name: 'ghcr',
    namespace,
    credentials: [RegistryCredentials.githubToken('acme-bot', SecretValue.unsafePlainText(TOKEN))],
  });
}

function updater(scope: Chart, images: ImageUpdaterImage[], writeBack?: ImageUpdaterWriteBack): any {
  new ImageUpdater(scope, 'AcmeShop', { applicationName: 'acme-shop', images, writeBack });
  const objects = Testing.synth(scope);
  expectValidManifests(objects);
  return objects.find(o => o.kind === 'ImageUpdater');
}

describe('the ImageUpdater resource', () => {
  test('an image with a pull secret in the updater\'s namespace, written to a CMP variable', () => {
    const scope = chart();
    const object = updater(scope, [{
      alias: 'orders',
      image: 'ghcr.io/acme/orders:1.4.2',
      versionConstraint: '1.x',
      pullSecret: ghcrSecret(scope),
      target: ImageUpdaterTarget.pluginImageSpec('ORDERS_IMAGE'),
    }]);
    expect(object).toEqual({
      apiVersion: 'argocd-image-updater.argoproj.io/v1alpha1',
      kind: 'ImageUpdater',
      metadata: {
        name: 'acme-shop',
        namespace: 'argocd',
        annotations: { 'argocd.argoproj.io/sync-wave': '0', 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
      },
      spec: {
        applicationRefs: [{
          namePattern: 'acme-shop',
          images: [{
            alias: 'orders',
            imageName: 'ghcr.io/acme/orders:1.x',
            commonUpdateSettings: { updateStrategy: 'semver', pullSecret: 'pullsecret:argocd/ghcr' },
            manifestTargets: { plugin: { spec: 'ORDERS_IMAGE' } },
          }],
        }],
      },
    });
  });

  test('the pull secret reference uses the pullsecret:<namespace>/<name> form Image Updater parses', () => {
    const scope = chart();
    const object = updater(scope, [{ alias: 'orders', image: 'ghcr.io/acme/orders:1.4.2', pullSecret: ghcrSecret(scope) }]);
    const reference: string = object.spec.applicationRefs[0].images[0].commonUpdateSettings.pullSecret;
    expect(Object.keys(FACTS.pullSecretRefs)).toContain('pullsecret:<namespace>/<name>');
    expect(reference).toMatch(/^pullsecret:[a-z0-9-]+\/[a-z0-9.-]+$/);
  });

  test('the image is kept as the workload writes it, without its tag', () => {
    const scope = chart();
    const object = updater(scope, [
      { alias: 'web', image: 'registry.hub.docker.com/library/nginx:1.25', versionConstraint: '1.25.x' },
      { alias: 'hub', image: 'nginx:1.25' },
      { alias: 'pinned', image: 'localhost:5000/acme/app:1.0@sha256:' + 'a'.repeat(64) },
    ]);
    expect(object.spec.applicationRefs[0].images.map((i: any) => i.imageName)).toEqual([
      'registry.hub.docker.com/library/nginx:1.25.x',
      'nginx',
      'localhost:5000/acme/app',
    ]);
  });

  test.each([
    ImageUpdateStrategy.SEMVER, ImageUpdateStrategy.NEWEST_BUILD, ImageUpdateStrategy.ALPHABETICAL, ImageUpdateStrategy.DIGEST,
  ])('strategy %s is one Image Updater knows', strategy => {
    const scope = chart();
    const object = updater(scope, [{ alias: 'web', image: 'ghcr.io/acme/web:latest', updateStrategy: strategy }]);
    expect(Object.keys(FACTS.updateStrategies)).toContain(strategy);
    expect(object.spec.applicationRefs[0].images[0].commonUpdateSettings.updateStrategy).toBe(strategy);
  });

  test('the digest strategy follows the image\'s tag', () => {
    const scope = chart();
    const object = updater(scope, [{ alias: 'web', image: 'ghcr.io/acme/web:main', updateStrategy: ImageUpdateStrategy.DIGEST }]);
    expect(object.spec.applicationRefs[0].images[0].imageName).toBe('ghcr.io/acme/web:main');
  });

  test.each<[string, ImageUpdaterTarget, object]>([
    ['plugin name and tag', ImageUpdaterTarget.pluginImageNameAndTag('WEB_NAME', 'WEB_TAG'), { plugin: { name: 'WEB_NAME', tag: 'WEB_TAG' } }],
    ['kustomize', ImageUpdaterTarget.kustomize('ghcr.io/acme/web'), { kustomize: { name: 'ghcr.io/acme/web' } }],
    ['helm', ImageUpdaterTarget.helm({ name: 'web.image.repository', tag: 'web.image.tag' }), { helm: { name: 'web.image.repository', tag: 'web.image.tag' } }],
  ])('target: %s', (_name, target, expected) => {
    const scope = chart();
    const object = updater(scope, [{ alias: 'web', image: 'ghcr.io/acme/web:1.0', target }]);
    expect(object.spec.applicationRefs[0].images[0].manifestTargets).toEqual(expected);
  });

  test('write back to Git with credentials from a Secret in the updater\'s namespace', () => {
    const scope = chart();
    const object = updater(scope, [{ alias: 'web', image: 'ghcr.io/acme/web:1.0' }],
      ImageUpdaterWriteBack.git({ branch: 'main', credentialsSecret: 'git-creds' }));
    expect(object.spec.writeBackConfig).toEqual({ method: 'git:secret:argocd/git-creds', gitConfig: { branch: 'main' } });
  });

  test('write back to the Application', () => {
    const scope = chart();
    const object = updater(scope, [{ alias: 'web', image: 'ghcr.io/acme/web:1.0' }], ImageUpdaterWriteBack.argocd());
    expect(object.spec.writeBackConfig).toEqual({ method: 'argocd' });
  });

  test('an existing secret without declared registries cannot be checked and is accepted', () => {
    const scope = chart();
    const existing = RegistrySecret.fromSecretName(scope, 'Existing', 'regcred');
    expect(() => updater(scope, [{ alias: 'web', image: 'ghcr.io/acme/web:1.0', pullSecret: existing }])).not.toThrow();
  });

  test('a Docker Hub image is read with a key for registry-1.docker.io', () => {
    const scope = chart();
    const secret = new RegistrySecret(scope, 'HubTags', {
      credentials: [RegistryCredentials.basic('registry-1.docker.io', 'acmeshop', SecretValue.unsafePlainText('dckr_pat_FAKE'))],
    });
    expect(() => updater(scope, [{ alias: 'web', image: 'acmeshop/web:1.0', pullSecret: secret }])).not.toThrow();
  });
});

describe('bad input', () => {
  test('a pull secret in another namespace (rejected by Image Updater since v1.3.0)', () => {
    const scope = chart();
    const secret = ghcrSecret(scope, 'acme-shop');
    const error = validationErrorOf(() => new ImageUpdater(scope, 'Updates', {
      applicationName: 'acme-shop', images: [{ alias: 'orders', image: 'ghcr.io/acme/orders:1.4.2', pullSecret: secret }],
    }));
    expect(FACTS.crossNamespace).toContain('v1.3.0');
    expect(error.message).toContain('[updates/Updates] images[0].pullSecret:');
    expect(error.shownValue).toBe('"acme-shop/ghcr"');
    expect(error.fix).toContain('namespace "argocd"');
  });

  test('the kubelet\'s Docker Hub key is not read by Image Updater', () => {
    const scope = chart();
    const secret = new RegistrySecret(scope, 'Hub', {
      credentials: [RegistryCredentials.dockerHubToken('acmeshop', SecretValue.unsafePlainText('dckr_pat_FAKE'))],
    });
    const error = validationErrorOf(() => new ImageUpdater(scope, 'Updates', {
      applicationName: 'acme-shop', images: [{ alias: 'web', image: 'docker.io/acmeshop/web:1.0', pullSecret: secret }],
    }));
    expect(error.problem).toContain('starting with "https://registry-1.docker.io" or "registry-1.docker.io"');
    expect(error.fix).toContain('registry-1.docker.io');
    expect(error.message).not.toContain('dckr_pat_FAKE');
  });

  test('a secret for another registry', () => {
    const scope = chart();
    const error = validationErrorOf(() => new ImageUpdater(scope, 'Updates', {
      applicationName: 'acme-shop', images: [{ alias: 'web', image: 'quay.io/acme/web:1.0', pullSecret: ghcrSecret(scope) }],
    }));
    expect(error.problem).toContain('no auths key that Image Updater reads for "quay.io/acme/web"');
  });

  test('two keys Image Updater would choose between at random', () => {
    const scope = chart();
    const secret = new RegistrySecret(scope, 'Two', {
      credentials: [
        RegistryCredentials.basic('ghcr.io', 'a', SecretValue.unsafePlainText('x')),
        RegistryCredentials.basic('ghcr.io/acme', 'b', SecretValue.unsafePlainText('y')),
      ],
    });
    const error = validationErrorOf(() => new ImageUpdater(scope, 'Updates', {
      applicationName: 'acme-shop', images: [{ alias: 'web', image: 'ghcr.io/acme/web:1.0', pullSecret: secret }],
    }));
    expect(error.problem).toContain('has 2 auths keys for "ghcr.io" (ghcr.io, ghcr.io/acme)');
  });

  test('a plain-text Docker config whose entry has no auth field', () => {
    const scope = chart();
    const config = '{"auths":{"ghcr.io":{"username":"acme-bot","password":"ghp_FAKEtoken"}}}';
    const secret = new RegistrySecret(scope, 'Config', { credentials: [RegistryCredentials.dockerConfigJson(SecretValue.unsafePlainText(config))] });
    const error = validationErrorOf(() => new ImageUpdater(scope, 'Updates', {
      applicationName: 'acme-shop', images: [{ alias: 'web', image: 'ghcr.io/acme/web:1.0', pullSecret: secret }],
    }));
    expect(error.problem).toContain('no "auth" field');
    expect(error.message).not.toContain('ghp_FAKEtoken');
  });

  test('a plain-text Docker config with an auth field is accepted', () => {
    const scope = chart();
    const config = '{"auths":{"ghcr.io":{"auth":"YWNtZS1ib3Q6Z2hwX0ZBS0V0b2tlbg=="}}}';
    const secret = new RegistrySecret(scope, 'Config', { credentials: [RegistryCredentials.dockerConfigJson(SecretValue.unsafePlainText(config))] });
    expect(() => updater(scope, [{ alias: 'web', image: 'ghcr.io/acme/web:1.0', pullSecret: secret }])).not.toThrow();
  });

  test('a semver range that is not tag-shaped on a library/ image', () => {
    const scope = chart();
    const error = validationErrorOf(() => new ImageUpdater(scope, 'Updates', {
      applicationName: 'acme-shop', images: [{ alias: 'web', image: 'registry.hub.docker.com/library/nginx:1.25', versionConstraint: '~1.25' }],
    }));
    expect(error.property).toBe('images[0].versionConstraint');
    expect(error.fix).toContain('"1.25.x"');
    expect(() => new ImageUpdater(chart(), 'Updates', {
      applicationName: 'acme-shop', images: [{ alias: 'orders', image: 'ghcr.io/acme/orders:1.4.2', versionConstraint: '^1.4' }],
    })).not.toThrow();
  });

  test('the digest strategy without a tag', () => {
    const error = validationErrorOf(() => new ImageUpdater(chart(), 'Updates', {
      applicationName: 'acme-shop', images: [{ alias: 'web', image: 'ghcr.io/acme/web', updateStrategy: ImageUpdateStrategy.DIGEST }],
    }));
    expect(error.property).toBe('images[0].versionConstraint');
  });

  test.each([['bad alias'], ['-web']])('alias %j', alias => {
    const error = validationErrorOf(() => new ImageUpdater(chart(), 'Updates', { applicationName: 'a', images: [{ alias, image: 'ghcr.io/acme/web:1' }] }));
    expect(error.property).toBe('images[0].alias');
  });

  test('a duplicate alias', () => {
    const error = validationErrorOf(() => new ImageUpdater(chart(), 'Updates', {
      applicationName: 'a', images: [{ alias: 'web', image: 'ghcr.io/acme/web:1' }, { alias: 'web', image: 'ghcr.io/acme/api:1' }],
    }));
    expect(error.property).toBe('images[1].alias');
  });

  test('no images', () => {
    expect(validationErrorOf(() => new ImageUpdater(chart(), 'Updates', { applicationName: 'a', images: [] })).property).toBe('images');
  });

  test('an empty application name', () => {
    expect(validationErrorOf(() => new ImageUpdater(chart(), 'Updates', { applicationName: ' ', images: [{ alias: 'w', image: 'ghcr.io/a/w:1' }] })).property).toBe('applicationName');
  });

  test.each([['1IMAGE'], ['WEB-IMAGE'], ['']])('plugin variable %j', variable => {
    expect(validationErrorOf(() => ImageUpdaterTarget.pluginImageSpec(variable)).property).toBe('variable');
  });

  test('an invalid image', () => {
    const error = validationErrorOf(() => new ImageUpdater(chart(), 'Updates', { applicationName: 'a', images: [{ alias: 'w', image: 'ghcr.io/Acme/w:1' }] }));
    expect(error.property).toBe('images[0].image');
  });
});
