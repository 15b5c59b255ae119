import { GENERATOR_API_VERSION, TokenGenerator } from '../../src/credentials/token-generator';
import { validationErrorOf } from '../helpers/errors';
import { checkManifests, expectValidManifests } from '../helpers/manifest-checker';
import { loadReferenceJson } from '../helpers/reference';

const ESO_FACTS = loadReferenceJson('secrets', 'eso-facts.json');

/** The generator as the custom resource the ExternalSecret delivery writes (cdk8s drops undefined fields). */
function asObject(generator: TokenGenerator): any {
  return JSON.parse(JSON.stringify({
    apiVersion: GENERATOR_API_VERSION,
    kind: generator.kind,
    metadata: { name: 'gen', namespace: 'team-a' },
    spec: generator._spec,
  }));
}

const SA = { name: 'puller', audiences: ['sts.amazonaws.com'] };

const GENERATORS: Array<[string, TokenGenerator, object]> = [
  ['ECR with IRSA', TokenGenerator.ecr({ region: 'eu-west-1', role: 'arn:aws:iam::123456789012:role/puller', serviceAccount: SA }), {
    region: 'eu-west-1',
    role: 'arn:aws:iam::123456789012:role/puller',
    auth: { jwt: { serviceAccountRef: { name: 'puller', audiences: ['sts.amazonaws.com'] } } },
  }],
  ['ECR with static keys', TokenGenerator.ecr({
    region: 'us-east-1',
    accessKeys: {
      accessKeyId: { name: 'aws', key: 'id' },
      secretAccessKey: { name: 'aws', key: 'secret' },
      sessionToken: { name: 'aws', key: 'session' },
    },
  }), {
    region: 'us-east-1',
    auth: {
      secretRef: {
        accessKeyIDSecretRef: { name: 'aws', key: 'id' },
        secretAccessKeySecretRef: { name: 'aws', key: 'secret' },
        sessionTokenSecretRef: { name: 'aws', key: 'session' },
      },
    },
  }],
  ['ECR with the controller identity', TokenGenerator.ecr({ region: 'ap-south-1' }), { region: 'ap-south-1' }],
  ['GCR with workload identity', TokenGenerator.gcr({
    projectId: 'acme-images',
    workloadIdentity: { serviceAccount: { name: 'puller' }, clusterLocation: 'europe-west1', clusterName: 'prod', clusterProjectId: 'acme-prod' },
  }), {
    projectID: 'acme-images',
    auth: { workloadIdentity: { serviceAccountRef: { name: 'puller' }, clusterLocation: 'europe-west1', clusterName: 'prod', clusterProjectID: 'acme-prod' } },
  }],
  ['GCR with a key Secret', TokenGenerator.gcr({ projectId: 'acme-images', serviceAccountKey: { name: 'gcp', key: 'key.json' } }), {
    projectID: 'acme-images',
    auth: { secretRef: { secretAccessKeySecretRef: { name: 'gcp', key: 'key.json' } } },
  }],
  ['ACR with workload identity', TokenGenerator.acr('acme.azurecr.io', { tenantId: 'tenant', scope: 'repository:team/app:pull', workloadIdentity: { name: 'puller' } }), {
    registry: 'acme.azurecr.io',
    tenantId: 'tenant',
    scope: 'repository:team/app:pull',
    auth: { workloadIdentity: { serviceAccountRef: { name: 'puller' } } },
  }],
  ['ACR with a service principal', TokenGenerator.acr('acme.azurecr.io', {
    servicePrincipal: { clientId: { name: 'sp', key: 'id' }, clientSecret: { name: 'sp', key: 'secret' } },
  }), {
    registry: 'acme.azurecr.io',
    auth: { servicePrincipal: { secretRef: { clientId: { name: 'sp', key: 'id' }, clientSecret: { name: 'sp', key: 'secret' } } } },
  }],
  ['ACR with a managed identity', TokenGenerator.acr('acme.azurecr.io', { managedIdentityId: '11111111-2222-3333-4444-555555555555' }), {
    registry: 'acme.azurecr.io', auth: { managedIdentity: { identityId: '11111111-2222-3333-4444-555555555555' } },
  }],
  ['Quay on quay.io', TokenGenerator.quay('quay.io', { robotAccount: 'acme+puller', serviceAccount: { name: 'quay-fed', audiences: ['quay.io'] } }), {
    robotAccount: 'acme+puller', serviceAccountRef: { name: 'quay-fed', audiences: ['quay.io'] },
  }],
  ['Quay self-hosted', TokenGenerator.quay('quay.example.com', { robotAccount: 'acme+puller', serviceAccount: { name: 'quay-fed' } }), {
    robotAccount: 'acme+puller', serviceAccountRef: { name: 'quay-fed' }, url: 'quay.example.com',
  }],
];

describe('TokenGenerator factories', () => {
  test.each(GENERATORS)('%s: writes the spec', (_name, generator, spec) => {
    expect(asObject(generator).spec).toEqual(spec);
  });

  test.each(GENERATORS)('%s: validates strictly against its ESO v2.9.0 CRD', (_name, generator) => {
    expectValidManifests([asObject(generator)]);
  });

  test('the CRD check would catch a misspelled field', () => {
    const object = asObject(GENERATORS[0][1]);
    object.spec.regoin = object.spec.region;
    expect(checkManifests([object]).map(p => p.message).join('\n')).toMatch(/unknown field/);
  });

  test.each([
    ['ECRAuthorizationToken', TokenGenerator.ecr({ region: 'eu-west-1' }), 12 * 3600],
    ['GCRAccessToken', TokenGenerator.gcr({ projectId: 'p', serviceAccountKey: { name: 's', key: 'k' } }), 3600],
    ['ACRAccessToken', TokenGenerator.acr('a.azurecr.io', { managedIdentityId: 'id' }), 3 * 3600],
    ['QuayAccessToken', TokenGenerator.quay('quay.io', { robotAccount: 'a+b', serviceAccount: { name: 's' } }), 3600],
  ])('%s: kind and token lifetime', (kind, generator, seconds) => {
    expect(generator.kind).toBe(kind);
    expect(generator.tokenLifetime.toSeconds()).toBe(seconds);
  });

  test('the template reads the output keys each generator documents', () => {
    const keys = ESO_FACTS.generatorOutputKeys;
    for (const [, generator] of GENERATORS) {
      const used = Object.values(generator._outputs).flatMap(expr => [...expr!.matchAll(/\.([a-z_]+)/g)].map(m => m[1]));
      const documented: string[] = keys[generator.kind].keys ?? keys[generator.kind]['private (default scope)'];
      expect(used.length).toBeGreaterThan(0);
      expect(documented).toEqual(expect.arrayContaining(used));
    }
    expect(TokenGenerator.quay('quay.io', { robotAccount: 'a+b', serviceAccount: { name: 's' } })._outputs).toEqual({ auth: '{{ .auth }}' });
  });
});

describe('TokenGenerator bad input', () => {
  const keys = { accessKeyId: { name: 'a', key: 'b' }, secretAccessKey: { name: 'a', key: 'c' } };
  test.each([
    ['ECR with two ways to authenticate', () => TokenGenerator.ecr({ region: 'eu-west-1', serviceAccount: SA, accessKeys: keys }), 'auth', /at most one of "serviceAccount", "accessKeys"/],
    ['ECR without a region', () => TokenGenerator.ecr({ region: ' ' }), 'region', /AWS region/],
    ['GCR without authentication', () => TokenGenerator.gcr({ projectId: 'p' }), 'auth', /exactly one of "workloadIdentity", "serviceAccountKey"/],
    ['GCR with two ways to authenticate', () => TokenGenerator.gcr({
      projectId: 'p',
      serviceAccountKey: { name: 's', key: 'k' },
      workloadIdentity: { serviceAccount: { name: 's' }, clusterLocation: 'l', clusterName: 'c' },
    }), 'auth', /exactly one of/],
    ['GCR without a project', () => TokenGenerator.gcr({ projectId: '', serviceAccountKey: { name: 's', key: 'k' } }), 'projectId', /project id/],
    ['ACR without authentication', () => TokenGenerator.acr('a.azurecr.io', {}), 'auth', /exactly one of "servicePrincipal", "managedIdentityId", "workloadIdentity"/],
    ['ACR with two ways to authenticate', () => TokenGenerator.acr('a.azurecr.io', { managedIdentityId: 'id', workloadIdentity: { name: 's' } }), 'auth', /exactly one of/],
    // Found by the untyped-callers fuzz test: "" counted as given but chose no branch (a TypeError before).
    ['ACR with an empty managed identity', () => TokenGenerator.acr('a.azurecr.io', { managedIdentityId: '' }), 'managedIdentityId', /managed identity/],
    ['Quay robot without "+"', () => TokenGenerator.quay('quay.io', { robotAccount: 'puller', serviceAccount: { name: 's' } }), 'robotAccount', /acme\+deployer/],
  ])('%s', (_name, thunk, property, fix) => {
    const error = validationErrorOf(thunk);
    expect(error.property).toBe(property);
    expect(error.fix).toMatch(fix);
    expect(error.message).toContain(`${property}: `);
  });
});
