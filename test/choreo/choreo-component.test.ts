import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ArgoCdSyncOption, CloudVendor, RegistryCredentials, SecretValue, ValidationError } from '../../src';
import { ChoreoComponent, ComponentType } from '../../src/choreo/choreo-component';
import { ChoreoRegistry } from '../../src/choreo/choreo-registry';
import { ImagePullCoverage } from '../../src/workloads/pull-coverage';
import { validationErrorOf } from '../helpers/errors';
import { expectValidManifests } from '../helpers/manifest-checker';

const ECR = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

function chart(app: App = Testing.app()): Chart {
  return new Chart(app, 'shop', { namespace: 'acme-shop' });
}

function ghcr(scope: Chart): ChoreoRegistry {
  return new ChoreoRegistry(scope, 'GhcrPull', {
    credentials: RegistryCredentials.githubToken('acme-bot', SecretValue.unsafePlainText('ghp_FAKEtoken')),
  });
}

function podSpecOf(object: any): any {
  return object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.spec.template.spec;
}

const TYPES: Array<[ComponentType, string, object]> = [
  [ComponentType.SERVICE, 'Deployment', {}],
  [ComponentType.WEB_APPLICATION, 'Deployment', {}],
  [ComponentType.SCHEDULED_TASK, 'CronJob', { schedule: Cron.schedule({ minute: '0', hour: '2' }) }],
  [ComponentType.MANUAL_TASK, 'Job', {}],
];

describe('component types map to cdk8s-plus-28 workloads', () => {
  test.each(TYPES)('%s → %s with the registry\'s pull secret', (type, kind, extra) => {
    const scope = chart();
    const component = new ChoreoComponent(scope, 'OrderApi', { type, image: 'ghcr.io/acme/orders:1.4.2', registry: ghcr(scope), ...extra });
    const workload = Testing.synth(scope).find(o => o.kind === kind);
    expect(component.name).toBe('order-api');
    expect(workload.metadata).toEqual({
      name: 'order-api',
      namespace: 'acme-shop',
      labels: { 'app.kubernetes.io/name': 'order-api', 'app.kubernetes.io/component': type },
    });
    const pod = podSpecOf(workload);
    expect(pod.imagePullSecrets).toEqual([{ name: 'ghcr-pull' }]);
    expect(pod.containers.map((c: any) => [c.name, c.image])).toEqual([['main', 'ghcr.io/acme/orders:1.4.2']]);
    expect(component.pullCoverage.reports().map(r => r.coverage)).toEqual([ImagePullCoverage.PULL_SECRET]);
  });

  test('all four are valid against the Kubernetes schemas', () => {
    const scope = chart();
    const registry = ghcr(scope);
    TYPES.forEach(([type, , extra], i) => new ChoreoComponent(scope, `Component${i}`, { type, image: 'ghcr.io/acme/orders:1.4.2', registry, ...extra }));
    expectValidManifests(Testing.synth(scope));
  });

  test('a service with a port gets a ClusterIP Service named after the component', () => {
    const scope = chart();
    const component = new ChoreoComponent(scope, 'Orders', { type: ComponentType.SERVICE, image: 'ghcr.io/acme/orders:1.4.2', registry: ghcr(scope), port: 8080 });
    const objects = Testing.synth(scope);
    const service = objects.find(o => o.kind === 'Service');
    expect(component.service).toBeDefined();
    expect(service.metadata.name).toBe('orders');
    expect(service.spec.ports).toEqual([{ port: 8080 }]);
    expect(podSpecOf(objects.find(o => o.kind === 'Deployment')).containers[0].ports).toEqual([{ containerPort: 8080 }]);
  });

  test('a public Docker Hub image with library/ pulls without a secret', () => {
    const scope = chart();
    const hub = new ChoreoRegistry(scope, 'DockerHubPublic', { credentials: RegistryCredentials.anonymous('registry.hub.docker.com') });
    const component = new ChoreoComponent(scope, 'Storefront', { type: ComponentType.WEB_APPLICATION, image: 'registry.hub.docker.com/library/nginx:1.25', registry: hub });
    expect(component.imageReference.domain).toBe('registry.hub.docker.com');
    expect(component.imageReference.path).toBe('library/nginx');
    expect(podSpecOf(Testing.synth(scope)[0]).imagePullSecrets).toBeUndefined();
    expect(component.pullCoverage.validate()).toEqual([]);
  });

  test('a vendor-specific ECR registry pulls with the node identity', () => {
    const scope = chart();
    const ecr = new ChoreoRegistry(scope, 'Ecr', { credentials: RegistryCredentials.vendorManaged(ECR, CloudVendor.AWS) });
    const component = new ChoreoComponent(scope, 'Migrate', { type: ComponentType.MANUAL_TASK, image: `${ECR}/acme/db-migrate:3.2.0`, registry: ecr });
    expect(component.pullCoverage.reports()[0].coverage).toBe(ImagePullCoverage.WITHOUT_SECRET);
  });

  test('container and pod options reach the workload', () => {
    const scope = chart();
    new ChoreoComponent(scope, 'Web', {
      type: ComponentType.WEB_APPLICATION,
      image: 'ghcr.io/acme/web:2.0.0',
      registry: ghcr(scope),
      replicas: 3,
      container: { name: 'web', securityContext: { ensureNonRoot: false } },
      securityContext: { ensureNonRoot: false },
      serviceAccount: kplus.ServiceAccount.fromServiceAccountName(scope, 'Sa', 'web'),
    });
    const deployment = Testing.synth(scope).find(o => o.kind === 'Deployment');
    expect(deployment.spec.replicas).toBe(3);
    const pod = podSpecOf(deployment);
    expect(pod.serviceAccountName).toBe('web');
    expect(pod.securityContext.runAsNonRoot).toBe(false);
    expect(pod.containers[0]).toMatchObject({ name: 'web', securityContext: { runAsNonRoot: false } });
  });

  test('Argo CD options are written on the workload', () => {
    const scope = chart();
    new ChoreoComponent(scope, 'Migrate', {
      type: ComponentType.MANUAL_TASK,
      image: 'ghcr.io/acme/migrate:1.0.0',
      registry: ghcr(scope),
      argoCd: { syncOptions: [ArgoCdSyncOption.of('Replace=true'), ArgoCdSyncOption.of('Force=true')] },
    });
    const job = Testing.synth(scope).find(o => o.kind === 'Job');
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '0',
      'argocd.argoproj.io/sync-options': 'Force=true,Replace=true',
    });
  });
});

describe('pull coverage at synth', () => {
  test('an image the registry does not cover fails synth and writes nothing', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'choreo-component-'));
    try {
      const app = new App({ outdir });
      const scope = chart(app);
      new ChoreoComponent(scope, 'Orders', { type: ComponentType.SERVICE, image: 'quay.io/acme/orders:1.4.2', registry: ghcr(scope) });
      expect(() => app.synth()).toThrow(/\[shop\/Orders\/Workload\] spec\.template\.spec\.containers\[0\]\.image: container "main" pulls "quay\.io\/acme\/orders"/);
      expect(fs.readdirSync(outdir)).toEqual([]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test('a Docker Hub token registry does not cover an image written registry.hub.docker.com', () => {
    const scope = chart();
    const hub = new ChoreoRegistry(scope, 'DockerHubPrivate', {
      credentials: RegistryCredentials.dockerHubToken('acmeshop', SecretValue.unsafePlainText('dckr_pat_FAKE')),
    });
    const component = new ChoreoComponent(scope, 'Api', { type: ComponentType.SERVICE, image: 'registry.hub.docker.com/acmeshop/api:1.0.0', registry: hub });
    const [message] = component.pullCoverage.validate();
    expect(message).toContain('add a key "registry.hub.docker.com" or write the image as "docker.io/acmeshop/api"');
  });
});

describe('bad input', () => {
  test('an image without its registry', () => {
    const scope = chart();
    const error = validationErrorOf(() => new ChoreoComponent(scope, 'Web', { type: ComponentType.WEB_APPLICATION, image: 'nginx:1.25', registry: ghcr(scope) }));
    expect(error.message).toContain('[shop/Web] image:');
    expect(error.shownValue).toBe('"nginx:1.25"');
    expect(error.fix).toContain('"docker.io/library/nginx:1.25"');
    expect(error.fix).toContain('registry.hub.docker.com/library/nginx');
  });

  test('an image without a tag or digest', () => {
    const scope = chart();
    const error = validationErrorOf(() => new ChoreoComponent(scope, 'Web', { type: ComponentType.WEB_APPLICATION, image: 'ghcr.io/acme/web', registry: ghcr(scope) }));
    expect(error.property).toBe('image');
    expect(error.fix).toContain('"ghcr.io/acme/web:1.0.0"');
  });

  test('an image that is not a reference', () => {
    const scope = chart();
    expect(() => new ChoreoComponent(scope, 'Web', { type: ComponentType.SERVICE, image: 'ghcr.io/Acme/web:1', registry: ghcr(scope) })).toThrow(ValidationError);
  });

  test('a scheduled task without a schedule', () => {
    const scope = chart();
    const error = validationErrorOf(() => new ChoreoComponent(scope, 'Report', { type: ComponentType.SCHEDULED_TASK, image: 'ghcr.io/acme/report:1.0', registry: ghcr(scope) }));
    expect(error.property).toBe('schedule');
    expect(error.problem).toBe('is required for a scheduled task');
  });

  test('a schedule on a service', () => {
    const scope = chart();
    const error = validationErrorOf(() => new ChoreoComponent(scope, 'Api', { type: ComponentType.SERVICE, image: 'ghcr.io/acme/api:1.0', registry: ghcr(scope), schedule: Cron.daily() }));
    expect(error.property).toBe('schedule');
    expect(error.fix).toContain('ComponentType.SCHEDULED_TASK');
  });

  test.each([['port', 8080], ['replicas', 2]])('%s on a task', (option, value) => {
    const scope = chart();
    const error = validationErrorOf(() => new ChoreoComponent(scope, 'Migrate', { type: ComponentType.MANUAL_TASK, image: 'ghcr.io/acme/migrate:1.0', registry: ghcr(scope), [option]: value }));
    expect(error.property).toBe(option);
    expect(error.fix).toBe(`remove ${option}`);
  });

  test.each([0, 65536, 80.5])('port %s', port => {
    const scope = chart();
    const error = validationErrorOf(() => new ChoreoComponent(scope, 'Api', { type: ComponentType.SERVICE, image: 'ghcr.io/acme/api:1.0', registry: ghcr(scope), port }));
    expect(error.property).toBe('port');
  });

  test('a scheduled task name longer than 52 characters', () => {
    const scope = chart();
    const name = 'a'.repeat(53);
    const error = validationErrorOf(() => new ChoreoComponent(scope, 'Report', { type: ComponentType.SCHEDULED_TASK, image: 'ghcr.io/acme/report:1.0', registry: ghcr(scope), schedule: Cron.daily(), name }));
    expect(error.property).toBe('name');
    expect(error.problem).toContain('at most 52');
    expect(() => new ChoreoComponent(scope, 'Api', { type: ComponentType.SERVICE, image: 'ghcr.io/acme/api:1.0', registry: ghcr(chart()), name })).not.toThrow();
  });

  test('a name that is not a DNS-1123 label', () => {
    const scope = chart();
    const error = validationErrorOf(() => new ChoreoComponent(scope, 'Api', { type: ComponentType.SERVICE, image: 'ghcr.io/acme/api:1.0', registry: ghcr(scope), name: 'Order_API' }));
    expect(error.property).toBe('name');
    expect(error.shownValue).toBe('"Order_API"');
  });
});
