import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration } from 'cdk8s';
import { RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import { TokenGenerator } from '../../src/credentials/token-generator';
import { SecretDelivery } from '../../src/delivery/secret-delivery';
import {
  ComponentTypePullSecret, ComponentTypePullSecretOptions, ComponentWorkloadType,
} from '../../src/openchoreo/component-type-pull-secret';
import { RegistryPurpose, RegistrySecret } from '../../src/registry-secret';
import { DockerConfig } from '../../src/values/docker-config';
import { KubeletKeyring } from '../../src/values/kubelet-keyring';
import { validationErrorOf } from '../helpers/errors';
import { renderExternalSecretsTemplate } from '../helpers/go-template';
import { expectValidManifests } from '../helpers/manifest-checker';

const GHCR = RegistryCredentials.basic('ghcr.io', 'acme-bot', SecretValue.fromExternalSecret('ghcr/token', { property: 'token' }));
const DOCKER_HUB = RegistryCredentials.dockerHubToken('acme', SecretValue.fromExternalSecret('dockerhub/token'));
/** The documented recipe's store entry: a whole Docker config under key registry-credentials, property value. */
const DOC_CONFIG = RegistryCredentials.dockerConfigJson(
  SecretValue.fromExternalSecret('registry-credentials', { property: 'value' }), { registry: 'https://index.docker.io/v1/' });

/** The `deployment/service` ClusterComponentType's shape, reduced to what matters here. */
function serviceSpec(extraPodSpec: { [key: string]: any } = {}): any {
  return {
    workloadType: 'deployment',
    resources: [
      {
        id: 'deployment',
        template: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: '${metadata.name}', namespace: '${metadata.namespace}' },
          spec: {
            selector: { matchLabels: { app: '${metadata.name}' } },
            template: {
              metadata: { labels: { app: '${metadata.name}' } },
              spec: { containers: [{ name: 'main', image: '${workload.container.image}' }], ...extraPodSpec },
            },
          },
        },
      },
      { id: 'service', template: { apiVersion: 'v1', kind: 'Service', metadata: { name: '${metadata.name}' }, spec: { ports: [{ port: 80 }] } } },
    ],
  };
}

/** The template as OpenChoreo would render it for one workload (CEL expressions replaced by plain values). */
function renderedFor(template: any, values: { [expression: string]: string }): any {
  const json = JSON.stringify(template).replace(/\$\{[^}]+\}/g, expression => {
    if (!(expression in values)) {
      throw new Error(`no value for ${expression}`);
    }
    return values[expression];
  });
  return JSON.parse(json);
}

const WORKLOAD = {
  '${metadata.name}': 'web',
  '${metadata.namespace}': 'dp-default-default-development-f8e58905',
  '${dataplane.secretStore}': 'default',
  '${workload.container.image}': 'ghcr.io/acme/web:1.0',
};

function kubectlJsonPatch(object: object, patch: object[]): any {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'component-type-'));
  try {
    const file = path.join(dir, 'object.json');
    fs.writeFileSync(file, JSON.stringify(object));
    return JSON.parse(execFileSync('kubectl', ['patch', '--local', '-f', file, '--type', 'json', '-p', JSON.stringify(patch), '-o', 'json'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the resource template', () => {
  test('the documented recipe: ExternalSecret registry-pull-secret from ${dataplane.secretStore}, .dockerconfigjson read whole', () => {
    const pull = ComponentTypePullSecret.fromCredentials([DOC_CONFIG]);
    expect(pull.resource).toEqual({
      id: 'registry-pull-secret',
      template: {
        apiVersion: 'external-secrets.io/v1',
        kind: 'ExternalSecret',
        metadata: { name: 'registry-pull-secret', namespace: '${metadata.namespace}', labels: { 'cdk8s-registries/purpose': 'pull' } },
        spec: {
          refreshInterval: '1h',
          secretStoreRef: { name: '${dataplane.secretStore}', kind: 'ClusterSecretStore' },
          target: {
            name: 'registry-pull-secret',
            creationPolicy: 'Owner',
            template: {
              type: 'kubernetes.io/dockerconfigjson',
              engineVersion: 'v2',
              metadata: {
                labels: { 'cdk8s-registries/purpose': 'pull' },
                annotations: { 'cdk8s-registries/registries': 'https://index.docker.io/v1/' },
              },
            },
          },
          data: [{ secretKey: '.dockerconfigjson', remoteRef: { key: 'registry-credentials', property: 'value' } }],
        },
      },
    });
    expectValidManifests([renderedFor(pull.resource.template, WORKLOAD)]);
  });

  test('username and token in the store: the template builds .dockerconfigjson with auth for every registry', () => {
    const pull = ComponentTypePullSecret.fromCredentials([GHCR, DOCKER_HUB], { refreshInterval: Duration.minutes(15) });
    const template = renderedFor(pull.resource.template, WORKLOAD);
    expectValidManifests([template]);
    expect(template.spec.refreshInterval).toBe('15m');
    expect(template.spec.data).toEqual([
      { secretKey: 'password0', remoteRef: { key: 'ghcr/token', property: 'token' } },
      { secretKey: 'password1', remoteRef: { key: 'dockerhub/token' } },
    ]);
    const json = renderExternalSecretsTemplate(template.spec.target.template.data['.dockerconfigjson'], { password0: 'ghp_1"2', password1: 'dckr_pat' });
    const config = DockerConfig.fromJson(json);
    const parsed = JSON.parse(json);
    expect(Buffer.from(parsed.auths['ghcr.io'].auth, 'base64').toString()).toBe('acme-bot:ghp_1"2');
    expect(Object.values(parsed.auths).every((entry: any) => typeof entry.auth === 'string')).toBe(true);
    expect(new KubeletKeyring([config]).lookup('ghcr.io/acme/web:1.0')).toEqual(['ghcr.io']);
    expect(new KubeletKeyring([config]).lookup('docker.io/acme/api:1.0')).toHaveLength(1);
  });

  test('pull coverage: the secret name and registries workloads of the ComponentType get', () => {
    const pull = ComponentTypePullSecret.fromCredentials([GHCR, DOCKER_HUB], { secretName: 'acme-pull' });
    expect(pull.secretName).toBe('acme-pull');
    expect(pull.resourceId).toBe('acme-pull');
    expect(pull.registries).toEqual(['ghcr.io', DOCKER_HUB.registry]);
    expect(pull.imagePullSecrets).toEqual([{ name: 'acme-pull' }]);
  });

  test('from a pull RegistrySecret: the same credentials, rendered per workload namespace', () => {
    const chart = new Chart(new App(), 'platform', { namespace: 'default' });
    const secret = new RegistrySecret(chart, 'GhcrPull', { credentials: [GHCR], delivery: SecretDelivery.externalSecret({ store: { name: 'default' } }) });
    const pull = ComponentTypePullSecret.fromRegistrySecret(secret);
    expect(pull.registries).toEqual(secret.registries);
    expect(pull.resource.template.spec.data).toEqual([{ secretKey: 'password0', remoteRef: { key: 'ghcr/token', property: 'token' } }]);
  });

  test('same input, same output', () => {
    const one = JSON.stringify(ComponentTypePullSecret.fromCredentials([GHCR, DOCKER_HUB]).applyTo(serviceSpec()));
    expect(JSON.stringify(ComponentTypePullSecret.fromCredentials([GHCR, DOCKER_HUB]).applyTo(serviceSpec()))).toBe(one);
  });
});

describe('applyTo', () => {
  test('adds the resource and imagePullSecrets to the workload template; the rendered Deployment is a valid apps/v1 Deployment', () => {
    const pull = ComponentTypePullSecret.fromCredentials([GHCR]);
    const input = serviceSpec();
    const spec = pull.applyTo(input);
    expect(input.resources).toHaveLength(2);
    expect(spec.resources.map((r: any) => r.id)).toEqual(['deployment', 'service', 'registry-pull-secret']);
    expect(spec.resources[0].template.spec.template.spec.imagePullSecrets).toEqual([{ name: 'registry-pull-secret' }]);
    expect(spec.resources[2]).toEqual(pull.resource);
    expectValidManifests([renderedFor(spec.resources[0].template, WORKLOAD), renderedFor(spec.resources[2].template, WORKLOAD)]);
  });

  test('keeps pull secrets already there and applying twice changes nothing', () => {
    const pull = ComponentTypePullSecret.fromCredentials([GHCR]);
    const once = pull.applyTo(serviceSpec({ imagePullSecrets: [{ name: 'legacy' }] }));
    expect(once.resources[0].template.spec.template.spec.imagePullSecrets).toEqual([{ name: 'legacy' }, { name: 'registry-pull-secret' }]);
    expect(pull.applyTo(once)).toEqual(once);
  });

  test('agrees with kubectl applying imagePullSecretsPatch (RFC 6902) to the same Deployment', () => {
    const pull = ComponentTypePullSecret.fromCredentials([GHCR]);
    const deployment = renderedFor(serviceSpec().resources[0].template, WORKLOAD);
    const byKubectl = kubectlJsonPatch(deployment, pull.imagePullSecretsPatch(ComponentWorkloadType.DEPLOYMENT));
    const byApply = renderedFor(pull.applyTo(serviceSpec()).resources[0].template, WORKLOAD);
    expect(byKubectl.spec.template.spec).toEqual(byApply.spec.template.spec);
  });

  test('a CronJob gets imagePullSecrets in its job template, as kubectl puts it', () => {
    const pull = ComponentTypePullSecret.fromCredentials([GHCR]);
    const cronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'nightly' },
      spec: { schedule: '0 1 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'ghcr.io/acme/job:1' }] } } } } },
    };
    const spec = pull.applyTo({ workloadType: 'cronjob', resources: [{ id: 'cronjob', template: cronJob }] });
    const patched = spec.resources[0].template;
    expect(patched.spec.jobTemplate.spec.template.spec.imagePullSecrets).toEqual([{ name: 'registry-pull-secret' }]);
    expect(kubectlJsonPatch(cronJob, pull.imagePullSecretsPatch(ComponentWorkloadType.CRONJOB))).toEqual(patched);
    expectValidManifests([patched]);
  });
});

describe('bad input', () => {
  const plain = RegistryCredentials.basic('ghcr.io', 'bot', SecretValue.unsafePlainText('s3cret-value'));
  test.each<[string, () => ComponentTypePullSecret, string, RegExp]>([
    ['no credentials', () => ComponentTypePullSecret.fromCredentials([]), 'credentials', /non-empty/],
    ['credentials not a list', () => ComponentTypePullSecret.fromCredentials('ghcr.io' as any), 'credentials', /must be an array of a RegistryCredentials, not a string/],
    ['a plain-text value', () => ComponentTypePullSecret.fromCredentials([plain]), 'credentials[0]', /plain-text value/],
    ['an anonymous registry', () => ComponentTypePullSecret.fromCredentials([RegistryCredentials.anonymous('docker.io')]), 'credentials[0]', /needs no pull secret/],
    ['a token generator', () => ComponentTypePullSecret.fromCredentials([RegistryCredentials.fromTokenGenerator('123456789012.dkr.ecr.eu-west-1.amazonaws.com', TokenGenerator.ecr({ region: 'eu-west-1', serviceAccount: { name: 'p' } }))]), 'credentials[0]', /token generator/],
    ['the same registry twice', () => ComponentTypePullSecret.fromCredentials([GHCR, GHCR]), 'credentials', /twice/],
    ['not a RegistryCredentials', () => ComponentTypePullSecret.fromCredentials([{ registry: 'ghcr.io' } as any]), 'credentials[0]', /must be a RegistryCredentials, not a plain object/],
    ['a username with ${', () => ComponentTypePullSecret.fromCredentials([RegistryCredentials.basic('ghcr.io', '${x}', SecretValue.fromExternalSecret('k'))]), 'credentials[0].username', /CEL/],
    ['secretName uppercase', () => ComponentTypePullSecret.fromCredentials([GHCR], { secretName: 'Pull' }), 'secretName', /DNS-1123/],
    ['secretName not a string', () => ComponentTypePullSecret.fromCredentials([GHCR], { secretName: 1 } as unknown as ComponentTypePullSecretOptions), 'options.secretName', /must be a string/],
    ['secretStore empty', () => ComponentTypePullSecret.fromCredentials([GHCR], { secretStore: '' }), 'secretStore', /non-empty/],
    ['refreshInterval a string', () => ComponentTypePullSecret.fromCredentials([GHCR], { refreshInterval: '1h' as any }), 'options.refreshInterval', /must be a Duration, not a string/],
    ['a push RegistrySecret', () => {
      const chart = new Chart(new App(), 'platform', { namespace: 'default' });
      return ComponentTypePullSecret.fromRegistrySecret(new RegistrySecret(chart, 'Push', {
        credentials: [GHCR], purpose: RegistryPurpose.PUSH, delivery: SecretDelivery.externalSecret({ store: { name: 'default' } }),
      }));
    }, 'secret.purpose', /push/],
    ['not a RegistrySecret', () => ComponentTypePullSecret.fromRegistrySecret({ name: 'x' } as any), 'secret', /must be a RegistrySecret, not a plain object/],
  ])('%s', (_title, thunk, property, problem) => {
    const error = validationErrorOf(thunk);
    expect(error.property).toBe(property);
    expect(error.problem).toMatch(problem);
    expect(error.fix.length).toBeGreaterThan(0);
    expect(error.message).not.toContain('s3cret-value');
  });

  const pull = ComponentTypePullSecret.fromCredentials([GHCR]);
  test.each<[string, () => unknown, string, RegExp]>([
    ['a whole object instead of its spec', () => pull.applyTo({ apiVersion: 'openchoreo.dev/v1alpha1', spec: serviceSpec() }), 'spec.resources', /missing/],
    ['a proxy workload type', () => pull.applyTo({ workloadType: 'proxy', resources: [] }), 'workloadType', /no pods/],
    ['no resource with the workload id', () => pull.applyTo({ workloadType: 'deployment', resources: [{ id: 'main', template: {} }] }), 'spec.resources', /id "deployment"/],
    ['imagePullSecrets as a CEL expression', () => pull.applyTo(serviceSpec({ imagePullSecrets: '${parameters.pullSecrets}' })), 'spec.resources[id=deployment].template.spec.template.spec.imagePullSecrets', /not a list/],
    ['a different resource with the same id', () => pull.applyTo({ ...serviceSpec(), resources: [...serviceSpec().resources, { id: 'registry-pull-secret', template: {} }] }), 'spec.resources', /different resource/],
    ['a patch for an unknown workload type', () => pull.imagePullSecretsPatch('daemonset' as any), 'workloadType', /no pods|not a workload type/],
  ])('applyTo: %s', (_title, thunk, property, problem) => {
    const error = validationErrorOf(thunk);
    expect(error.property).toBe(property);
    expect(error.problem).toMatch(problem);
    expect(error.fix.length).toBeGreaterThan(0);
  });
});

describe('pull coverage for ComponentTypes', () => {
  const pull = ComponentTypePullSecret.fromCredentials([GHCR]);

  test('uncoveredImages matches as the kubelet does; templated images are left to render time', () => {
    expect(pull.uncoveredImages(['ghcr.io/acme/app:1', 'quay.io/acme/app:1', 'nginx', '${workload.container.image}', 'Not/Valid'])).toEqual(['quay.io/acme/app:1', 'nginx', 'Not/Valid']);
  });

  test('applyTo refuses a literal image in the workload template that the pull secret does not cover', () => {
    const withSidecar = serviceSpec({ initContainers: [{ name: 'init', image: 'quay.io/acme/init:1' }] });
    const error = validationErrorOf(() => pull.applyTo(withSidecar));
    expect(error.property).toBe('spec.resources[id=deployment].template');
    expect(error.message).toContain('(got "quay.io/acme/init:1")');
    expect(error.problem).toContain('"ghcr.io"');
    expect(() => pull.applyTo(serviceSpec({ initContainers: [{ name: 'init', image: 'ghcr.io/acme/init:1' }] }))).not.toThrow();
  });

  test('uncoveredImages with something else than a list of strings', () => {
    expect(validationErrorOf(() => pull.uncoveredImages('ghcr.io/a/b' as any)).property).toBe('images');
  });
});
