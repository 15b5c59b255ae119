// Conformance (issue 12, 13a): every credential kind x delivery authenticates against a real registry.
//
// A real CNCF distribution registry (Debian's docker-registry) runs on 127.0.0.1 at a free port with htpasswd auth
// (bcrypt, from apache2-utils' htpasswd). A tiny image is pushed with skopeo from an OCI layout built here. For each
// credential kind and delivery, the final `.dockerconfigjson` is produced the way the cluster would produce it (plain
// Secret: decoded data; SealedSecret: decrypted with the Sealed Secrets test key, then its template rendered by real
// Go text/template + sprig; ExternalSecret: a fake store or generator output, template rendered by real Go), and
// `skopeo inspect --authfile` must read the image with it. Then the passwords are changed (registry restarted with a
// new htpasswd): every old config must be refused, and the new password accepted.
//
// Kinds bound to a vendor host (Docker Hub, Google, Azure, ECR, GCR, ACR) keep their entry bytes, and only their
// `auths` key is replaced by the local registry's host:port (byte-exact string replacement), since those hosts
// cannot be served locally.
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { Chart, Testing } from 'cdk8s';
import { buildGoHelper, describeWithTools, GoRenderCase, renderWithGo } from './tools';
import { RegistryCredentials } from '../../src/credentials/registry-credentials';
import { SecretValue } from '../../src/credentials/secret-value';
import { TokenGenerator } from '../../src/credentials/token-generator';
import { SealingKey, SealingScope } from '../../src/delivery/sealing';
import { SecretDelivery } from '../../src/delivery/secret-delivery';
import { RegistrySecret } from '../../src/registry-secret';
import { sealedSecretLabel } from '../helpers/secret-controllers';
import { loadSealedSecretVectors, unseal, vectorPrivateKey } from '../helpers/unseal';

const VECTORS = loadSealedSecretVectors();
const SEALING_KEY = SealingKey.fromCertificate(VECTORS.testKey.certificatePem);
const PRIVATE_KEY = vectorPrivateKey();
// At most 72 bytes (bcrypt's limit), with the characters that break naive JSON or templates.
const PASSWORD = 'p@ss:w"rd\\/<&>é🐳 {{ .x }}%s';
const NEW_PASSWORD = 'rotated-Pa55word-2';
// A Google key is the password of user _json_key; kept short for bcrypt, and changed with the password.
const saKey = (password: string) => JSON.stringify({ type: 'service_account', private_key: password === PASSWORD ? 'k1' : 'k2', client_email: 'e' });
const SP_CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const ACR_USER = '00000000-0000-0000-0000-000000000000';
const IMAGE_PATH = 'acme/app:1.0';

interface Server {
  readonly host: string;
  process: ChildProcess;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function status(url: string): Promise<number> {
  return new Promise(resolve => {
    http.get(url, response => {
      response.resume();
      resolve(response.statusCode ?? 0);
    }).on('error', () => resolve(0));
  });
}

async function startRegistry(dir: string, host: string): Promise<ChildProcess> {
  const child = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', chunk => stderr += chunk);
  for (let attempt = 0; attempt < 100; attempt++) {
    if (await status(`http://${host}/v2/`) === 401) {
      return child;
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`docker-registry did not start: ${stderr}`);
}

function stopRegistry(child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    if (child.exitCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const USERS = ['octo', 'acme+bot', '_json_key', SP_CLIENT_ID, 'AWS', 'oauth2accesstoken', ACR_USER];

function writeHtpasswd(dir: string, password: string): void {
  const lines = USERS.map(user => execFileSync('htpasswd', ['-Bbn', user, user === '_json_key' ? saKey(password) : password], { encoding: 'utf8' }).trim());
  fs.writeFileSync(path.join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
}

function writeConfig(dir: string, host: string): void {
  fs.writeFileSync(path.join(dir, 'config.yml'), [
    'version: 0.1',
    'log:',
    '  level: error',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    'http:',
    `  addr: ${host}`,
    'auth:',
    '  htpasswd:',
    '    realm: conformance',
    `    path: ${path.join(dir, 'htpasswd')}`,
    '',
  ].join('\n'));
}

/** A one-layer OCI image layout (an empty tar), enough for a registry to store and serve a manifest. */
function writeOciLayout(dir: string): string {
  const layout = path.join(dir, 'oci');
  fs.mkdirSync(path.join(layout, 'blobs', 'sha256'), { recursive: true });
  const put = (bytes: Buffer) => {
    const hex = crypto.createHash('sha256').update(bytes).digest('hex');
    fs.writeFileSync(path.join(layout, 'blobs', 'sha256', hex), bytes);
    return { digest: `sha256:${hex}`, size: bytes.length };
  };
  const tar = Buffer.alloc(1024);
  const layer = put(zlib.gzipSync(tar));
  const config = put(Buffer.from(JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    config: {},
    rootfs: { type: 'layers', diff_ids: [`sha256:${crypto.createHash('sha256').update(tar).digest('hex')}`] },
  })));
  const manifest = put(Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
  })));
  fs.writeFileSync(path.join(layout, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': '1.0' } }],
  }));
  fs.writeFileSync(path.join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  return layout;
}

/** Whether skopeo reads the image's manifest with this authfile. */
function inspectWith(dir: string, host: string, dockerConfigJson: string, name: string): boolean {
  const authfile = path.join(dir, `${name}.json`);
  fs.writeFileSync(authfile, dockerConfigJson);
  try {
    execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', '--authfile', authfile, `docker://${host}/${IMAGE_PATH}`],
      { stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

type Delivery = 'plain' | 'sealed' | 'presealed' | 'external';
const DELIVERIES: Delivery[] = ['plain', 'sealed', 'presealed', 'external'];

interface Kind {
  readonly name: string;
  /** Builds the credentials with the given secret value, for a registry served at `host`. */
  readonly build: (host: string, value: SecretValue) => RegistryCredentials;
  /** The secret material (password, token, key or whole config). */
  readonly secret: (host: string, password: string) => string;
  /** The `auths` key to replace by the local host (vendor-bound kinds). */
  readonly vendorKey?: string;
}

const wholeConfig = (host: string, password: string) =>
  JSON.stringify({ auths: { [host]: { auth: Buffer.from(`octo:${password}`).toString('base64') } } });

const KINDS: Kind[] = [
  { name: 'basic', build: (host, v) => RegistryCredentials.basic(host, 'octo', v, { email: 'octo@example.com' }), secret: (_h, p) => p },
  { name: 'githubToken', build: (host, v) => RegistryCredentials.githubToken('octo', v, { registry: host }), secret: (_h, p) => p },
  { name: 'quayRobot', build: (host, v) => RegistryCredentials.quayRobot('acme+bot', v, { registry: host }), secret: (_h, p) => p },
  { name: 'dockerConfigJson', build: (host, v) => RegistryCredentials.dockerConfigJson(v, { registry: host }), secret: wholeConfig },
  { name: 'dockerHubToken', build: (_host, v) => RegistryCredentials.dockerHubToken('octo', v), secret: (_h, p) => p, vendorKey: 'https://index.docker.io/v1/' },
  { name: 'googleServiceAccountKey', build: (_host, v) => RegistryCredentials.googleServiceAccountKey('europe-docker.pkg.dev', v), secret: (_h, p) => saKey(p), vendorKey: 'europe-docker.pkg.dev' },
  { name: 'azureServicePrincipal', build: (_host, v) => RegistryCredentials.azureServicePrincipal('acme.azurecr.io', SP_CLIENT_ID, v), secret: (_h, p) => p, vendorKey: 'acme.azurecr.io' },
];

interface Generated {
  readonly name: string;
  readonly registry: (host: string) => string;
  readonly generator: (host: string) => TokenGenerator;
  readonly output: (host: string, password: string) => { [key: string]: string };
  readonly vendorKey?: string;
}

const GENERATORS: Generated[] = [
  { name: 'ECR', registry: () => '123456789012.dkr.ecr.eu-west-1.amazonaws.com', generator: () => TokenGenerator.ecr({ region: 'eu-west-1' }), output: (_h, p) => ({ username: 'AWS', password: p }), vendorKey: '123456789012.dkr.ecr.eu-west-1.amazonaws.com' },
  { name: 'GCR', registry: () => 'europe-docker.pkg.dev', generator: () => TokenGenerator.gcr({ projectId: 'p', serviceAccountKey: { name: 's', key: 'k' } }), output: (_h, p) => ({ username: 'oauth2accesstoken', password: p }), vendorKey: 'europe-docker.pkg.dev' },
  { name: 'ACR', registry: () => 'acme.azurecr.io', generator: () => TokenGenerator.acr('acme.azurecr.io', { managedIdentityId: 'id' }), output: (_h, p) => ({ username: ACR_USER, password: p }), vendorKey: 'acme.azurecr.io' },
  { name: 'Quay', registry: host => host, generator: host => TokenGenerator.quay(host, { robotAccount: 'acme+bot', serviceAccount: { name: 'sa' } }), output: (host, p) => ({ auth: Buffer.from(`acme+bot:${p}`).toString('base64'), registry: host }) },
];

/** The final `.dockerconfigjson`, or a Go template and its data to render it with. */
type Produced = { readonly json: string } | { readonly render: GoRenderCase };

interface Scenario {
  readonly title: string;
  readonly produced: Produced;
  readonly vendorKey?: string;
}

function synth(credentials: RegistryCredentials, delivery: SecretDelivery): any {
  const chart = new Chart(Testing.app(), 'conformance', { namespace: 'team-a' });
  new RegistrySecret(chart, 'regcred', { name: 'regcred', credentials: [credentials], delivery });
  return Testing.synth(chart).find(o => ['Secret', 'SealedSecret', 'ExternalSecret'].includes(o.kind));
}

function produce(kind: Kind, delivery: Delivery, host: string, password: string): Produced {
  const secret = kind.secret(host, password);
  switch (delivery) {
    case 'plain': {
      const object = synth(kind.build(host, SecretValue.unsafePlainText(secret)), SecretDelivery.plainSecret());
      return { json: Buffer.from(object.data['.dockerconfigjson'], 'base64').toString('utf8') };
    }
    case 'sealed': {
      const object = synth(kind.build(host, SecretValue.unsafePlainText(secret)), SecretDelivery.sealedSecret({ sealingKey: SEALING_KEY }));
      return { json: unseal(object.spec.encryptedData['.dockerconfigjson'], PRIVATE_KEY, sealedSecretLabel(object)) };
    }
    case 'presealed': {
      const ciphertext = SEALING_KEY.seal(secret, { scope: SealingScope.STRICT, namespace: 'team-a', name: 'regcred' });
      const object = synth(kind.build(host, SecretValue.sealed(ciphertext)), SecretDelivery.sealedSecret());
      const label = sealedSecretLabel(object);
      const data: { [key: string]: string } = {};
      for (const [key, value] of Object.entries<string>(object.spec.encryptedData)) {
        data[key] = unseal(value, PRIVATE_KEY, label);
      }
      const template = object.spec.template.data?.['.dockerconfigjson'];
      return template === undefined ? { json: data['.dockerconfigjson'] } : { render: { engine: 'sealed-secrets', template, data } };
    }
    case 'external': {
      const object = synth(kind.build(host, SecretValue.fromExternalSecret('remote')), SecretDelivery.externalSecret({ store: { name: 'vault' } }));
      const data: { [key: string]: string } = {};
      for (const item of object.spec.data) {
        data[item.secretKey] = secret;
      }
      const template = object.spec.target.template.data?.['.dockerconfigjson'];
      return template === undefined ? { json: data['.dockerconfigjson'] } : { render: { engine: 'external-secrets', template, data } };
    }
  }
}

function scenarios(host: string, password: string): Scenario[] {
  const all: Scenario[] = [];
  for (const kind of KINDS) {
    for (const delivery of DELIVERIES) {
      all.push({ title: `${kind.name} x ${delivery}`, produced: produce(kind, delivery, host, password), vendorKey: kind.vendorKey });
    }
  }
  for (const generated of GENERATORS) {
    const credentials = RegistryCredentials.fromTokenGenerator(generated.registry(host), generated.generator(host));
    const object = synth(credentials, SecretDelivery.externalSecret());
    all.push({
      title: `${generated.name} token generator x external`,
      produced: { render: { engine: 'external-secrets', template: object.spec.target.template.data['.dockerconfigjson'], data: generated.output(host, password) } },
      vendorKey: generated.vendorKey,
    });
  }
  return all;
}

/** Final configs, with Go rendering done in one batch and vendor keys pointed at the local registry. */
function finalConfigs(binary: string, list: Scenario[], host: string): string[] {
  const renders = list.filter(s => 'render' in s.produced).map(s => (s.produced as { render: GoRenderCase }).render);
  const rendered = renderWithGo(binary, renders);
  let next = 0;
  return list.map(s => {
    let json: string;
    if ('render' in s.produced) {
      const result = rendered[next++];
      if (result.error !== undefined) {
        throw new Error(`${s.title}: Go template failed: ${result.error}`);
      }
      json = result.output;
    } else {
      json = s.produced.json;
    }
    if (s.vendorKey !== undefined) {
      const key = JSON.stringify(s.vendorKey);
      expect(json).toContain(key);
      json = json.split(key).join(JSON.stringify(host));
    }
    return json;
  });
}

describeWithTools('every credential kind x delivery authenticates against a real registry', ['docker-registry', 'skopeo', 'htpasswd', 'go'], () => {
  let dir: string;
  let server: Server;
  let binary: string;
  const started = Date.now();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'registry-conformance-'));
    const host = `127.0.0.1:${await freePort()}`;
    writeHtpasswd(dir, PASSWORD);
    writeConfig(dir, host);
    server = { host, process: await startRegistry(dir, host) };
    const pushAuth = path.join(dir, 'push.json');
    fs.writeFileSync(pushAuth, wholeConfig(host, PASSWORD));
    execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', '--dest-authfile', pushAuth,
      `oci:${writeOciLayout(dir)}:1.0`, `docker://${host}/${IMAGE_PATH}`], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    binary = buildGoHelper('render');
  }, 120_000);

  afterAll(async () => {
    if (server) {
      await stopRegistry(server.process);
    }
    if (dir) {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('each config reads the image; after a password change each is refused and the new password works', async () => {
    const list = scenarios(server.host, PASSWORD);
    const configs = finalConfigs(binary, list, server.host);
    const accepted = list.filter((_s, i) => inspectWith(dir, server.host, configs[i], `ok-${i}`)).map(s => s.title);
    expect(accepted).toEqual(list.map(s => s.title));

    // A wrong password is refused by the same registry (the check is not vacuous).
    expect(inspectWith(dir, server.host, wholeConfig(server.host, `${PASSWORD}x`), 'wrong')).toBe(false);

    // Change the passwords: the registry reads htpasswd at start, so restart it on the same address.
    await stopRegistry(server.process);
    writeHtpasswd(dir, NEW_PASSWORD);
    server.process = await startRegistry(dir, server.host);
    const stillAccepted = list.filter((_s, i) => inspectWith(dir, server.host, configs[i], `old-${i}`));
    expect(stillAccepted.map(s => s.title)).toEqual([]);
    const rotated = scenarios(server.host, NEW_PASSWORD);
    const rotatedConfigs = finalConfigs(binary, rotated, server.host);
    const rotatedAccepted = rotated.filter((_s, i) => inspectWith(dir, server.host, rotatedConfigs[i], `new-${i}`));
    expect(rotatedAccepted.length).toBe(rotated.length);
    // eslint-disable-next-line no-console
    console.log(`conformance registry: ${list.length} kind x delivery configs accepted by docker-registry (distribution `
      + `${execFileSync('docker-registry', ['--version'], { encoding: 'utf8' }).trim().split(' ').pop()}) via skopeo, `
      + `${list.length} refused after the password change, `
      + `${rotated.length} accepted with the new password, in ${Date.now() - started} ms`);
  }, 180_000);
});
