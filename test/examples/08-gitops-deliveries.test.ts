import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { build, FAKE_SECRET_VALUES } from '../../examples/08-gitops-deliveries';
import { leaks } from '../helpers/leaks';
import { externalSecretData, sealedSecretData } from '../helpers/secret-controllers';
import { vectorPrivateKey } from '../helpers/unseal';

const GOLDEN_DIR = path.join(__dirname, '..', 'golden');

/** The golden files of this example, by chart: `<chart id>.k8s.yaml`. */
function goldenFiles(): Map<string, string> {
  const app = new App({ outdir: '/nonexistent-never-written' });
  build(app);
  return new Map(app.charts.map(chart => {
    const file = `${chart.node.id}.k8s.yaml`;
    return [file, fs.readFileSync(path.join(GOLDEN_DIR, file), 'utf8')];
  }));
}

const FILES = goldenFiles();
const OBJECTS = [...FILES.values()].flatMap(text => YAML.parseAllDocuments(text).map(doc => doc.toJS()));
const byName = (kind: string, name: string) => OBJECTS.find(o => o.kind === kind && o.metadata.name === name);

// Each fake value with the username it is paired with in the example (for base64("username:value")).
const FAKES: Array<[string, string]> = [
  ['octo-bot', FAKE_SECRET_VALUES.ghcrToken],
  ['_json_key', FAKE_SECRET_VALUES.garPrivateKey],
  ['acme+puller', FAKE_SECRET_VALUES.quayRobotToken],
  ['acme', FAKE_SECRET_VALUES.dockerHubToken],
];

describe('example 08-gitops-deliveries', () => {
  test('has the four charts', () => {
    expect([...FILES.keys()]).toEqual([
      'gitops-external-secrets.k8s.yaml', 'gitops-token-generators.k8s.yaml', 'gitops-sealed-secrets.k8s.yaml', 'gitops-existing-secret.k8s.yaml',
    ]);
  });

  test.each(FAKES)('no golden file holds the fake value of %s, in any form', (username, value) => {
    for (const [file, text] of FILES) {
      expect([file, leaks(text, username, value)]).toEqual([file, []]);
    }
  });

  test('the fake values are in the SealedSecrets, encrypted: the test key decrypts them', () => {
    const privateKey = vectorPrivateKey();
    const decrypted = ['ghcr-and-gar-strict', 'quay-namespace-wide', 'docker-hub-cluster-wide']
      .map(name => sealedSecretData(byName('SealedSecret', name), privateKey)['.dockerconfigjson'])
      .join('\n');
    for (const [username, value] of FAKES) {
      expect(leaks(decrypted, username, value)).not.toEqual([]);
    }
    expect(sealedSecretData(byName('SealedSecret', 'regcred'), privateKey)).toEqual({
      'password0': 's3cr3t',
      '.dockerconfigjson': '{"auths":{"registry.example.com":{"username":"robot","password":"s3cr3t","auth":"cm9ib3Q6czNjcjN0"}}}',
    });
  });

  test('every store-backed ExternalSecret renders a config with auth from fake store values', () => {
    const store = {
      'registry/example': { password: 'fake-1' },
      'registry/ghcr': { token: 'fake-2' },
      'registry/docker-hub': { token: 'fake-3' },
      'registry/gar': { 'key.json': '{"type":"service_account"}' },
      'registry/acr': { clientSecret: 'fake-5' },
      'registry/quay': { token: 'fake-6' },
      'registry/docker-config': '{"auths":{"registry.example.com:5000":{"auth":"dTpw"}}}',
    };
    const externalSecrets = OBJECTS.filter(o => o.kind === 'ExternalSecret' && o.spec.secretStoreRef);
    expect(externalSecrets).toHaveLength(7);
    for (const es of externalSecrets) {
      const auths = JSON.parse(externalSecretData(es, store)['.dockerconfigjson']).auths;
      const [registry] = es.spec.target.template.metadata.annotations['cdk8s-registries/registries'].split(',');
      expect(auths[registry].auth).toMatch(/^[A-Za-z0-9+/]+=*$/);
    }
  });
});
