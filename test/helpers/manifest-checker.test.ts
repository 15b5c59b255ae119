import { Chart, Cron, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ManifestProblem,
  celRulesNotEvaluated,
  checkManifests,
  crdSchemaFor,
  expectValidManifests,
} from './manifest-checker';
import { loadReferenceJson } from './reference';

// ---------------------------------------------------------------------------------------------------------------
// Hand-written manifests

const DOCKER_CONFIG = Buffer.from(JSON.stringify({ auths: { 'registry.example.com': { auth: Buffer.from('robot:not-a-real-token').toString('base64') } } })).toString('base64');

function pullSecret(): any {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'regcred', namespace: 'team-a', labels: { 'app.kubernetes.io/name': 'regcred' } },
    type: 'kubernetes.io/dockerconfigjson',
    immutable: false,
    data: { '.dockerconfigjson': DOCKER_CONFIG },
  };
}

function serviceAccount(): any {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'builder', namespace: 'team-a' },
    imagePullSecrets: [{ name: 'regcred' }],
  };
}

function podSpec(): any {
  return {
    serviceAccountName: 'builder',
    imagePullSecrets: [{ name: 'regcred' }],
    restartPolicy: 'Never',
    containers: [{
      name: 'app',
      image: 'registry.example.com/team-a/app:1.0.0',
      imagePullPolicy: 'IfNotPresent',
      ports: [{ containerPort: 8080, name: 'http' }],
      resources: { limits: { cpu: 1, memory: '256Mi' }, requests: { cpu: '100m' } },
    }],
  };
}

function deployment(): any {
  const spec = { ...podSpec(), restartPolicy: 'Always' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'team-a' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec } },
  };
}

function job(): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'refresh', namespace: 'team-a' },
    spec: { backoffLimit: 2, template: { spec: podSpec() } },
  };
}

function cronJob(): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'refresh', namespace: 'team-a' },
    spec: { schedule: '*/30 * * * *', jobTemplate: { spec: { template: { spec: podSpec() } } } },
  };
}

function rbac(): any[] {
  const rules = [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }];
  const subjects = [{ kind: 'ServiceAccount', name: 'builder', namespace: 'team-a' }];
  return [
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'read-secrets', namespace: 'team-a' }, rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'read-secrets', namespace: 'team-a' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-secrets' },
      subjects,
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'read-secrets' }, rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'read-secrets' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'read-secrets' },
      subjects,
    },
  ];
}

function namespace(): any {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels: { 'konflux-ci.dev/type': 'tenant' } } };
}

function configMap(): any {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'registries', namespace: 'team-a' }, data: { 'registries.conf': '[]' } };
}

/** The docker-config ExternalSecret from research/gitops-secrets.md §1.2. */
function externalSecret(): any {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: 'regcred', namespace: 'team-a', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } },
    spec: {
      refreshInterval: '1h0m0s',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'vault' },
      target: {
        name: 'regcred',
        template: {
          type: 'kubernetes.io/dockerconfigjson',
          engineVersion: 'v2',
          data: { '.dockerconfigjson': '{"auths":{"registry.example.com":{"auth":"{{ printf "%s:%s" .user .pass | b64enc }}"}}}' },
        },
      },
      data: [
        { secretKey: 'user', remoteRef: { key: 'registry/robot', property: 'username' } },
        { secretKey: 'pass', remoteRef: { key: 'registry/robot', property: 'password' } },
      ],
    },
  };
}

function releasePlanAdmission(): any {
  return {
    apiVersion: 'appstudio.redhat.com/v1alpha1',
    kind: 'ReleasePlanAdmission',
    metadata: { name: 'team-a-to-prod', namespace: 'managed' },
    spec: {
      origin: 'team-a',
      policy: 'registry-standard',
      applications: ['app'],
      data: { mapping: { components: [{ name: 'app', repositories: [{ url: 'quay.io/org/app' }] }] } },
      pipeline: {
        serviceAccountName: 'release-pipeline',
        pipelineRef: {
          resolver: 'git',
          params: [{ name: 'url', value: 'https://github.com/konflux-ci/release-service-catalog' }],
          ociStorage: 'quay.io/org/trusted-artifacts',
        },
      },
    },
  };
}

function konflux(): any {
  return {
    apiVersion: 'konflux.konflux-ci.dev/v1alpha1',
    kind: 'Konflux',
    metadata: { name: 'konflux' },
    spec: { imageController: { enabled: true }, internalRegistry: { enabled: false } },
  };
}

function sealedSecret(): any {
  return {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata: { name: 'regcred', namespace: 'team-a' },
    spec: {
      encryptedData: { password: 'AgBy3i4OJSWK+PiTySYZZA==' },
      template: {
        type: 'kubernetes.io/dockerconfigjson',
        metadata: { labels: { app: 'regcred' } },
        data: { '.dockerconfigjson': '{"auths":{"registry.example.com":{"auth":"{{ printf "robot:%s" .password | b64enc }}"}}}' },
      },
    },
  };
}

function argoApplication(): any {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'registries', namespace: 'argocd' },
    spec: {
      project: 'default',
      destination: { server: 'https://kubernetes.default.svc', namespace: 'team-a' },
      source: { repoURL: 'https://github.com/example/platform', path: 'dist', targetRevision: 'main' },
      syncPolicy: { automated: { prune: true }, syncOptions: ['ServerSideApply=true'] },
    },
  };
}

function imageUpdater(): any {
  return {
    apiVersion: 'argocd-image-updater.argoproj.io/v1alpha1',
    kind: 'ImageUpdater',
    metadata: { name: 'app', namespace: 'argocd' },
    spec: {
      applicationRefs: [{
        namePattern: 'app-*',
        images: [{
          alias: 'app',
          imageName: 'registry.example.com/team-a/app:1.x',
          commonUpdateSettings: { updateStrategy: 'semver', pullSecret: 'pullsecret:argocd/regcred' },
        }],
      }],
    },
  };
}

/** Applies `change` to a fresh copy of a manifest. */
function changed(manifest: any, change: (m: any) => void): any {
  const copy = structuredClone(manifest);
  change(copy);
  return copy;
}

function pathsAndMessages(problems: ManifestProblem[]): Array<{ path: string; message: string }> {
  return problems.map(({ path, message }) => ({ path, message }));
}

// ---------------------------------------------------------------------------------------------------------------

describe('core kinds (kubernetes-types + kubernetes-models)', () => {
  test('valid Secret, ServiceAccount, Deployment, Job, CronJob, Namespace, ConfigMap and RBAC pass', () => {
    const objects = [pullSecret(), serviceAccount(), deployment(), job(), cronJob(), namespace(), configMap(), ...rbac()];
    expect(checkManifests(objects)).toEqual([]);
    expect(() => expectValidManifests(objects)).not.toThrow();
  });

  test.each([
    ['unknown field at the top level', pullSecret(), (m: any) => { m.foo = 'bar'; },
      '/foo', 'unknown field "foo": Secret has no such field (the API server would prune it)'],
    ['unknown field deep in a pod template', deployment(), (m: any) => { m.spec.template.spec.containers[0].imagePullSecret = 'regcred'; },
      '/spec/template/spec/containers/0/imagePullSecret', 'unknown field "imagePullSecret": Container has no such field (the API server would prune it)'],
    ['unknown field in metadata', serviceAccount(), (m: any) => { m.metadata.label = { a: 'b' }; },
      '/metadata/label', 'unknown field "label": ObjectMeta has no such field (the API server would prune it)'],
    ['wrong type', pullSecret(), (m: any) => { m.immutable = 'false'; },
      '/immutable', 'expected boolean, got string'],
    ['wrong type in a list item', serviceAccount(), (m: any) => { m.imagePullSecrets = ['regcred']; },
      '/imagePullSecrets/0', 'expected object, got string'],
    ['missing required field in a Job', job(), (m: any) => { delete m.spec.template.spec.containers[0].name; },
      '/spec/template/spec/containers/0/name', 'missing required field "name" of Container'],
    ['missing required field in a CronJob', cronJob(), (m: any) => { delete m.spec.schedule; },
      '/spec/schedule', 'missing required field "schedule" of CronJobSpec'],
    ['missing required field in a RoleBinding', rbac()[1], (m: any) => { delete m.roleRef.kind; },
      '/roleRef/kind', 'missing required field "kind" of RoleRef'],
    ['Secret data that is not base64', pullSecret(), (m: any) => { m.data['.dockerconfigjson'] = '{"auths":{}}'; },
      '/data/.dockerconfigjson', 'must match format "byte" (kubernetes-models)'],
    ['a value outside an enum', deployment(), (m: any) => { m.spec.template.spec.containers[0].imagePullPolicy = 'Sometimes'; },
      '/spec/template/spec/containers/0/imagePullPolicy', 'must be equal to one of the allowed values: Always, IfNotPresent, Never (kubernetes-models)'],
    ['null for a string', configMap(), (m: any) => { m.data['registries.conf'] = null; },
      '/data/registries.conf', 'expected string, got null'],
    ['a quantity that is neither string nor number', deployment(), (m: any) => { m.spec.template.spec.containers[0].resources.limits.cpu = true; },
      '/spec/template/spec/containers/0/resources/limits/cpu', 'expected a quantity (string or number), got boolean'],
    ['a missing name', configMap(), (m: any) => { delete m.metadata.name; },
      '/metadata/name', 'missing required field "name": kubectl apply and Argo CD need a name'],
  ])('%s is reported with its path', (_title, manifest, change, path, message) => {
    const problems = checkManifests([changed(manifest, change)]);
    expect(pathsAndMessages(problems)).toEqual([{ path, message }]);
    expect(problems[0].index).toBe(0);
  });

  test('the object is named apiVersion/kind namespace/name', () => {
    const [problem] = checkManifests([changed(pullSecret(), m => { m.foo = 1; })]);
    expect(problem.object).toBe('v1/Secret team-a/regcred');
    const [clusterProblem] = checkManifests([changed(rbac()[2], m => { m.foo = 1; })]);
    expect(clusterProblem.object).toBe('rbac.authorization.k8s.io/v1/ClusterRole read-secrets');
  });

  test('every problem of an object is reported, sorted by path', () => {
    const secret = changed(pullSecret(), m => {
      m.foo = 1;
      m.bar = 2;
      m.immutable = 'false';
      m.metadata.label = {};
      m.data.bad = '%%%';
    });
    expect(pathsAndMessages(checkManifests([secret]))).toEqual([
      { path: '/bar', message: 'unknown field "bar": Secret has no such field (the API server would prune it)' },
      { path: '/data/bad', message: 'must match format "byte" (kubernetes-models)' },
      { path: '/foo', message: 'unknown field "foo": Secret has no such field (the API server would prune it)' },
      { path: '/immutable', message: 'expected boolean, got string' },
      { path: '/metadata/label', message: 'unknown field "label": ObjectMeta has no such field (the API server would prune it)' },
    ]);
  });

  test('a fraction where an int32 is needed is reported by kubernetes-models', () => {
    expect(pathsAndMessages(checkManifests([changed(deployment(), m => { m.spec.replicas = 1.5; })]))).toEqual([
      { path: '/spec/replicas', message: 'must be integer (kubernetes-models)' },
      { path: '/spec/replicas', message: 'must match format "int32" (kubernetes-models)' },
    ]);
  });

  test('a kubernetes-models problem already covered by kubernetes-types is not reported twice', () => {
    const problems = checkManifests([changed(job(), m => { m.spec.backoffLimit = 'two'; })]);
    expect(pathsAndMessages(problems)).toEqual([{ path: '/spec/backoffLimit', message: 'expected number, got string' }]);
  });

  test('an int-or-string field takes either, and nothing else', () => {
    const rollout = (maxSurge: unknown) => changed(deployment(), m => { m.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge, maxUnavailable: 0 } }; });
    expect(checkManifests([rollout('25%')])).toEqual([]);
    expect(pathsAndMessages(checkManifests([rollout(true)]))).toEqual([
      { path: '/spec/strategy/rollingUpdate/maxSurge', message: 'expected string or number, got boolean' },
    ]);
  });

  test('a union of an object and a boolean reports the object problems of an object', () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets' },
        versions: [{
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', additionalProperties: { type: 'string', colour: 'red' } } },
        }],
      },
    };
    expect(pathsAndMessages(checkManifests([crd]))).toEqual([{
      path: '/spec/versions/0/schema/openAPIV3Schema/additionalProperties/colour',
      message: 'unknown field "colour": JSONSchemaProps has no such field (the API server would prune it)',
    }]);
    const fixed = changed(crd, m => { delete m.spec.versions[0].schema.openAPIV3Schema.additionalProperties.colour; });
    expect(checkManifests([fixed])).toEqual([]);
  });

  test('free-form fields (RawExtension) accept any JSON', () => {
    const revision = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r1', namespace: 'team-a' }, revision: 1, data: { any: { thing: [1] } } };
    expect(checkManifests([revision])).toEqual([]);
  });

  test('any kind of kubernetes-types is known by its group and version', () => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny', namespace: 'team-a' },
      spec: { podSelector: {}, policyTypes: ['Ingress'], bogus: true },
    };
    expect(pathsAndMessages(checkManifests([policy]))).toEqual([
      { path: '/spec/bogus', message: 'unknown field "bogus": NetworkPolicySpec has no such field (the API server would prune it)' },
    ]);
  });

  test('problems come out in the same order every time', () => {
    const objects = [changed(deployment(), m => { m.z = 1; m.a = 2; }), changed(pullSecret(), m => { m.immutable = 1; })];
    const first = checkManifests(objects);
    expect(checkManifests(objects)).toEqual(first);
    expect(first.map(p => `${p.index}${p.path}`)).toEqual(['0/a', '0/z', '1/immutable']);
  });
});

describe('output of a real producer: cdk8s-plus-28', () => {
  function synth(chartNamespace?: string): any[] {
    const chart = new Chart(Testing.app(), 'platform', { namespace: chartNamespace });
    const account = new kplus.ServiceAccount(chart, 'builder');
    const secret = new kplus.Secret(chart, 'token', { stringData: { token: 'not-a-real-token' } });
    new kplus.Deployment(chart, 'app', {
      serviceAccount: account,
      containers: [{ image: 'nginx', portNumber: 80, envVariables: { TOKEN: kplus.EnvValue.fromSecretValue({ secret, key: 'token' }) } }],
    });
    new kplus.CronJob(chart, 'refresh', {
      schedule: Cron.daily(),
      containers: [{ image: 'busybox', resources: { cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.units(1) } } }],
    });
    const role = new kplus.ClusterRole(chart, 'reader');
    role.allowRead(kplus.ApiResource.SECRETS);
    new kplus.ClusterRoleBinding(chart, 'reader-binding', { role }).addSubjects(account);
    new kplus.Namespace(chart, 'tenant');
    return Testing.synth(chart);
  }

  test('passes', () => {
    expect(checkManifests(synth())).toEqual([]);
  });

  test('a chart namespace lands on cluster-scoped kinds, which is a problem', () => {
    const problems = checkManifests(synth('team-a'));
    expect(problems.map(p => [p.object.split(' ')[0], p.path, p.message])).toEqual([
      ['rbac.authorization.k8s.io/v1/ClusterRole', '/metadata/namespace', 'ClusterRole is cluster-scoped: metadata.namespace must not be set'],
      ['rbac.authorization.k8s.io/v1/ClusterRoleBinding', '/metadata/namespace', 'ClusterRoleBinding is cluster-scoped: metadata.namespace must not be set'],
      ['v1/Namespace', '/metadata/namespace', 'Namespace is cluster-scoped: metadata.namespace must not be set'],
    ]);
  });
});

describe('objects without a schema', () => {
  test.each([
    [{ apiVersion: 'apps/v1', kind: 'Foo', metadata: { name: 'x' } }, 'no schema for apps/v1 Foo: not a kind in kubernetes-types and no reference CRD defines it'],
    [{ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } }, 'no schema for example.com/v1 Widget: not a kind in kubernetes-types and no reference CRD defines it'],
    [{ apiVersion: 'v1', kind: 'Container', metadata: { name: 'x' } }, 'no schema for v1 Container: not a kind in kubernetes-types and no reference CRD defines it'],
  ])('%j is a problem', (object, message) => {
    expect(pathsAndMessages(checkManifests([object]))).toEqual([{ path: '', message }]);
  });

  test('an unserved CRD version is a problem', () => {
    const [problem] = checkManifests([changed(externalSecret(), m => { m.apiVersion = 'external-secrets.io/v1beta1'; })]);
    expect(problem.path).toBe('');
    expect(problem.message).toMatch(/^no schema for external-secrets.io\/v1beta1 ExternalSecret: version v1beta1 is not served/);
  });

  test('something that is not a Kubernetes object is a problem', () => {
    expect(checkManifests(['kind: Secret', { kind: 'Secret' }])).toEqual([
      { index: 0, object: '<not a Kubernetes object>', path: '', message: 'not a Kubernetes object: needs string apiVersion and kind' },
      { index: 1, object: '<not a Kubernetes object>', path: '', message: 'not a Kubernetes object: needs string apiVersion and kind' },
    ]);
  });
});

describe('rules across objects', () => {
  test.each([
    ['Namespace', namespace()],
    ['ClusterRole', rbac()[2]],
    ['ClusterRoleBinding', rbac()[3]],
    ['Konflux', konflux()],
    ['ClusterSecretStore', { apiVersion: 'external-secrets.io/v1', kind: 'ClusterSecretStore', metadata: { name: 'vault' }, spec: { provider: { fake: { data: [] } } } }],
  ])('a cluster-scoped %s with metadata.namespace is a problem', (kind, manifest) => {
    expect(checkManifests([manifest])).toEqual([]);
    const problems = checkManifests([changed(manifest, m => { m.metadata.namespace = 'team-a'; })]);
    expect(pathsAndMessages(problems)).toEqual([
      { path: '/metadata/namespace', message: `${kind} is cluster-scoped: metadata.namespace must not be set` },
    ]);
  });

  test('two objects with the same group, kind, namespace and name are a problem', () => {
    const problems = checkManifests([pullSecret(), serviceAccount(), pullSecret()]);
    expect(problems).toEqual([{
      index: 2,
      object: 'v1/Secret team-a/regcred',
      path: '/metadata/name',
      message: 'duplicate of object [0]: same group, kind, namespace and name',
    }]);
  });

  test('the same name in another namespace, kind or group is fine', () => {
    const otherNamespace = changed(pullSecret(), m => { m.metadata.namespace = 'team-b'; });
    const otherKind = changed(configMap(), m => { m.metadata.name = 'regcred'; });
    expect(checkManifests([pullSecret(), otherNamespace, otherKind, externalSecret(), sealedSecret()])).toEqual([]);
  });
});

describe('custom resources (reference CRDs, closed schemas)', () => {
  test('valid ExternalSecret, SealedSecret, ReleasePlanAdmission, Konflux, Application and ImageUpdater pass', () => {
    expectValidManifests([externalSecret(), sealedSecret(), releasePlanAdmission(), konflux(), argoApplication(), imageUpdater()]);
  });

  test('the ExternalSecret also passes the ESO v2.8.0 CRD', () => {
    const crdFiles = { 'external-secrets.io/v1/ExternalSecret': 'secrets/eso-v2.8.0_external-secrets.io_externalsecrets.yaml' };
    expect(checkManifests([externalSecret()], { crdFiles })).toEqual([]);
  });

  test.each([
    ['engineVersion v1 (only v2 exists)', externalSecret(), (m: any) => { m.spec.target.template.engineVersion = 'v1'; },
      '/spec/target/template/engineVersion', 'must be equal to one of the allowed values: v2'],
    ['a v1beta1-style dataFrom key', externalSecret(), (m: any) => { m.spec.dataFrom = [{ key: 'registry/robot' }]; },
      '/spec/dataFrom/0/key', 'unknown field "key": not in the CRD schema (the API server would prune it)'],
    ['a secretKey outside its pattern', externalSecret(), (m: any) => { m.spec.data[0].secretKey = 'user name'; },
      '/spec/data/0/secretKey', 'must match pattern "^[-._a-zA-Z0-9]+$"'],
    ['ociStorage at spec level', releasePlanAdmission(), (m: any) => { m.spec.ociStorage = 'quay.io/org/ta'; },
      '/spec/ociStorage', 'unknown field "ociStorage": not in the CRD schema (the API server would prune it)'],
    ['a string for a boolean in the Konflux CR', konflux(), (m: any) => { m.spec.imageController.enabled = 'true'; },
      '/spec/imageController/enabled', 'must be boolean'],
    ['a missing required field', sealedSecret(), (m: any) => { delete m.spec.encryptedData; },
      '/spec/encryptedData', 'missing required field "encryptedData"'],
    ['a field under a bare `type: object` (pruned entirely)', imageUpdater(), (m: any) => {
      m.spec.writeBackConfig = { method: 'git', gitConfig: { pullRequest: { github: { draft: true } } } };
    }, '/spec/writeBackConfig/gitConfig/pullRequest/github/draft', 'unknown field "draft": not in the CRD schema (the API server would prune it)'],
    ['an unknown field in metadata', externalSecret(), (m: any) => { m.metadata.label = { a: 'b' }; },
      '/metadata/label', 'unknown field "label": ObjectMeta has no such field (the API server would prune it)'],
    ['a wrong type in metadata', sealedSecret(), (m: any) => { m.metadata.annotations = { replicas: 2 }; },
      '/metadata/annotations/replicas', 'expected string, got number'],
  ])('%s is reported with its path', (_title, manifest, change, path, message) => {
    expect(pathsAndMessages(checkManifests([changed(manifest, change)]))).toEqual([{ path, message }]);
  });

  test('an int-or-string field reports one problem, not one per branch', () => {
    const rpa = changed(releasePlanAdmission(), m => { m.spec.pipeline.taskRunSpecs = [{ pipelineTaskName: 'push', computeResources: { limits: { cpu: true } } }]; });
    expect(pathsAndMessages(checkManifests([rpa]))).toEqual([
      { path: '/spec/pipeline/taskRunSpecs/0/computeResources/limits/cpu', message: 'must match a schema in anyOf' },
    ]);
  });

  test('free-form fields (x-kubernetes-preserve-unknown-fields) stay open', () => {
    const rpa = changed(releasePlanAdmission(), m => { m.spec.data = { anything: { goes: [1, 'two'] } }; });
    const sealed = changed(sealedSecret(), m => { m.spec.encryptedData = { '.dockerconfigjson': 'AgA=', 'other': 'AgB=' }; });
    expect(checkManifests([rpa, sealed])).toEqual([]);
  });

  test('a crdFiles entry that does not define the kind throws', () => {
    const crdFiles = { 'external-secrets.io/v1/ExternalSecret': 'secrets/sealed-secrets-v0.36.6_bitnami.com_sealedsecrets.yaml' };
    expect(() => checkManifests([externalSecret()], { crdFiles })).toThrow(/does not define external-secrets.io ExternalSecret/);
  });

  test('expectValidManifests lists every problem', () => {
    const objects = [changed(externalSecret(), m => { m.spec.foo = 1; }), changed(pullSecret(), m => { m.immutable = 'no'; })];
    expect(() => expectValidManifests(objects)).toThrow([
      '2 manifest problem(s):',
      '  [0] external-secrets.io/v1/ExternalSecret team-a/regcred /spec/foo: unknown field "foo": not in the CRD schema (the API server would prune it)',
      '  [1] v1/Secret team-a/regcred /immutable: expected boolean, got string',
    ].join('\n'));
  });
});

describe('CEL rules', () => {
  test('the Konflux CR must be named konflux', () => {
    const problems = checkManifests([changed(konflux(), m => { m.metadata.name = 'my-konflux'; })]);
    expect(pathsAndMessages(problems)).toEqual([{
      path: '',
      message: "Konflux CR must be named 'konflux'. Only one instance is allowed per cluster. (x-kubernetes-validations: self.metadata.name == 'konflux')",
    }]);
  });

  test.each([
    ['both applications and componentGroups', (m: any) => { m.spec.componentGroups = ['group']; }],
    ['neither applications nor componentGroups', (m: any) => { delete m.spec.applications; }],
  ])('a ReleasePlanAdmission with %s is a problem', (_title, change) => {
    expect(pathsAndMessages(checkManifests([changed(releasePlanAdmission(), change)]))).toEqual([{
      path: '/spec',
      message: 'exactly one of applications or componentGroups must be specified (x-kubernetes-validations: has(self.applications) != has(self.componentGroups))',
    }]);
  });

  test('a ReleasePlanAdmission with only componentGroups passes', () => {
    const rpa = changed(releasePlanAdmission(), m => { delete m.spec.applications; m.spec.componentGroups = ['group']; });
    expect(checkManifests([rpa])).toEqual([]);
  });

  test('rules that are not evaluated are listed, the evaluated ones are not', () => {
    expect(celRulesNotEvaluated([konflux(), releasePlanAdmission(), externalSecret()])).toEqual([]);
    expect(celRulesNotEvaluated([imageUpdater()])).toEqual([{
      index: 0,
      object: 'argocd-image-updater.argoproj.io/v1alpha1/ImageUpdater argocd/app',
      path: '/spec/applicationRefs/0',
      message: 'CEL rule not evaluated: !(has(self.useAnnotations) && self.useAnnotations == true) ? (has(self.images) && size(self.images) > 0) : true',
    }]);
  });
});

describe('crdSchemaFor', () => {
  test('returns the closed schema of the default CRD file', () => {
    const schema: any = crdSchemaFor('external-secrets.io/v1', 'ExternalSecret');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.spec.additionalProperties).toBe(false);
    expect(schema.properties.spec.properties.target.properties.template.additionalProperties).toBe(false);
    expect(schema.properties.metadata).toEqual({ type: 'object' });
    // v2.9.0 dropped the strategy defaults inside remoteRef (research/gitops-secrets.md §1.7); v2.8.0 has them.
    expect(schema.properties.spec.properties.data.items.properties.remoteRef.properties.conversionStrategy.default).toBeUndefined();
    const older: any = crdSchemaFor('external-secrets.io/v1', 'ExternalSecret', 'secrets/eso-v2.8.0_external-secrets.io_externalsecrets.yaml');
    expect(older.properties.spec.properties.data.items.properties.remoteRef.properties.conversionStrategy.default).toBe('Default');
  });

  test('leaves free-form objects open', () => {
    const schema: any = crdSchemaFor('appstudio.redhat.com/v1alpha1', 'ReleasePlanAdmission');
    expect(schema.properties.spec.properties.data.additionalProperties).toBeUndefined();
    expect(schema.properties.spec.properties.pipeline.properties.pipelineRef.additionalProperties).toBe(false);
  });

  test('is undefined for an unknown or unserved version', () => {
    expect(crdSchemaFor('external-secrets.io/v1beta1', 'ExternalSecret')).toBeUndefined();
    expect(crdSchemaFor('example.com/v1', 'Widget')).toBeUndefined();
  });
});

describe('OpenChoreo DataPlane vectors (dataplane-spec-validation-vectors.json)', () => {
  /** The vector file's `crd` keys, named after the CRD files in reference/openchoreo/ (see its SOURCES.md). */
  const DATAPLANE_CRD_FILES: { [crd: string]: string } = {
    'push_2025-06-02': 'openchoreo/dataplanes.core.choreo.dev_v1_2025-06-02_push-registry.yaml',
    'pull_pr249_2025-07-03': 'openchoreo/dataplanes.core.choreo.dev_v1_2025-07-03_pull-registry_pr249-unmerged.yaml',
    'pull_main_2025-07-11': 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2025-07-11_pull-registry.yaml',
    'eso_v0.17.0_2026-03-03': 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2026-03-03_imagePullSecretRefs-v0.17.0.yaml',
    'latest_2026-05-26': 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2026-05-26_latest.yaml',
  };
  const vectors: any[] = loadReferenceJson('openchoreo', 'dataplane-spec-validation-vectors.json').vectors;

  /** `spec.registry.imagePushSecrets[0]` → `/spec/registry/imagePushSecrets/0`. */
  function pointer(dotted: string): string {
    return `/${dotted.replace(/\[(\d+)\]/g, '.$1').split('.').join('/')}`;
  }

  /** The problem a Python jsonschema message of the vector file stands for. */
  function expectedProblem(error: string): { path: string; message: string } {
    const [, at, what] = error.match(/^(\S+): (.*)$/)!;
    const required = what.match(/^'(\w+)' is a required property$/);
    if (required) {
      return { path: `${pointer(at)}/${required[1]}`, message: `missing required field "${required[1]}"` };
    }
    const pattern = what.match(/^pattern (.*)$/);
    if (pattern) {
      return { path: pointer(at), message: `must match pattern "${pattern[1]}"` };
    }
    const maxLength = what.match(/^maxLength (\d+)$/);
    if (maxLength) {
      return { path: pointer(at), message: `must NOT have more than ${maxLength[1]} characters` };
    }
    throw new Error(`unexpected vector error: ${error}`);
  }

  function byPath(a: { path: string }, b: { path: string }): number {
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  }

  test('cover every case against every CRD file', () => {
    expect(vectors).toHaveLength(60);
    expect(new Set(vectors.map(v => v.crd))).toEqual(new Set(Object.keys(DATAPLANE_CRD_FILES)));
  });

  test.each(vectors.map(v => [v.case, v.crd, v]))('%s against %s', (_case, crd, vector) => {
    const object = { apiVersion: vector.apiVersion, kind: 'DataPlane', metadata: { name: 'default', namespace: 'default-org' }, spec: vector.spec };
    const crdFiles = { [`${vector.apiVersion}/DataPlane`]: DATAPLANE_CRD_FILES[crd] };
    const problems = pathsAndMessages(checkManifests([object], { crdFiles }));

    const unknown = problems.filter(p => p.message.startsWith('unknown field'));
    expect(unknown.map(p => p.path).sort()).toEqual(vector.unknownFields.map(pointer).sort());
    const schemaErrors = problems.filter(p => !p.message.startsWith('unknown field'));
    expect(schemaErrors.sort(byPath)).toEqual(vector.schemaErrors.map(expectedProblem).sort(byPath));
    expect(problems.length === 0).toBe(vector.schemaValid && vector.unknownFields.length === 0);
  });

  test('the default DataPlane files are the newest released ones', () => {
    const v017 = vectors.find(v => v.case === 'eso-imagePullSecretRefs' && v.crd === 'latest_2026-05-26');
    const dataPlane = { apiVersion: 'openchoreo.dev/v1alpha1', kind: 'DataPlane', metadata: { name: 'default', namespace: 'default-org' }, spec: v017.spec };
    expect(checkManifests([dataPlane]).map(p => p.path)).toEqual(v017.unknownFields.map(pointer).sort());
    const push = vectors.find(v => v.case === 'push-doc-example' && v.crd === 'push_2025-06-02');
    expect(checkManifests([{ ...dataPlane, apiVersion: 'core.choreo.dev/v1', spec: push.spec }])).toEqual([]);
  });
});

describe('speed', () => {
  /** 50 objects: 5 of each of 10 kinds, one of them broken. */
  function fiftyObjects(seed: string): any[] {
    const makers = [
      pullSecret, serviceAccount, deployment, job, cronJob, configMap, externalSecret, sealedSecret, releasePlanAdmission, imageUpdater,
    ];
    const objects = makers.flatMap(make => [1, 2, 3, 4, 5].map(i => changed(make(), m => { m.metadata.name = `${m.metadata.name}-${seed}-${i}`; })));
    objects[12].spec.template.spec.containers[0].imagePullSecret = 'regcred';
    return objects;
  }

  test('checking ~50 objects: first call, repeated call, new objects', () => {
    let fresh: typeof import('./manifest-checker') | undefined;
    // A fresh copy of the module, so that the first call pays for loading the schemas and starting the worker.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    jest.isolateModules(() => { fresh = require('./manifest-checker'); });
    const objects = fiftyObjects('a');
    const timed = (run: () => ManifestProblem[]) => {
      const start = process.hrtime.bigint();
      const problems = run();
      return { problems, ms: Number(process.hrtime.bigint() - start) / 1e6 };
    };
    const first = timed(() => fresh!.checkManifests(objects));
    const repeated = timed(() => fresh!.checkManifests(objects));
    const other = timed(() => fresh!.checkManifests(fiftyObjects('b')));
    console.log(`manifest-checker, 50 objects: first call ${first.ms.toFixed(0)} ms, repeated ${repeated.ms.toFixed(1)} ms, 50 new objects ${other.ms.toFixed(0)} ms`);
    expect(pathsAndMessages(first.problems)).toEqual([{
      path: '/spec/template/spec/containers/0/imagePullSecret',
      message: 'unknown field "imagePullSecret": Container has no such field (the API server would prune it)',
    }]);
    expect(repeated.problems).toEqual(first.problems);
    expect(pathsAndMessages(other.problems)).toEqual(pathsAndMessages(first.problems));
  });
});
