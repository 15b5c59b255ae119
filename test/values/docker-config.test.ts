import { execFileSync } from 'child_process';
import * as util from 'util';
import * as fc from 'fast-check';
import { ValidationError } from '../../src/errors';
import { credentialShapeProblem } from '../../src/values/credential-shape';
import { DockerConfig, DockerConfigParseOptions } from '../../src/values/docker-config';
import { KubeletKeyring } from '../../src/values/kubelet-keyring';
import { validationErrorOf } from '../helpers/errors';
import { loadReferenceJson } from '../helpers/reference';

const KUBECTL = loadReferenceJson('image-reference', 'kubectl-docker-registry.json');
const KUBECTL_CASES: any[] = KUBECTL.cases;
const INPUT_FILES: { [file: string]: string } = KUBECTL.inputFiles;
const ECOSYSTEM_VECTORS: any[] = loadReferenceJson('cdk8s-ecosystem', 'kubectl-dockerconfig-vectors.json');
const KEYRING = loadReferenceJson('kubelet-keyring', 'vectors.json');

const KUBECTL_DEFAULT_SERVER = 'https://index.docker.io/v1/';

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** The inputs of one `kubectl create secret` command line. */
interface KubectlRun {
  readonly server: string;
  readonly username: string;
  readonly password: string;
  readonly email?: string;
  /** `--from-file=[key=]file`: the Secret data key and the file. */
  readonly fromFile?: { readonly dataKey: string; readonly file: string };
}

function readCommand(command: string[]): KubectlRun {
  const flags = new Map<string, string>();
  for (const arg of command) {
    const match = /^--([a-z-]+)=(.*)$/s.exec(arg);
    if (match) {
      flags.set(match[1], match[2]);
    }
  }
  const fromFile = flags.get('from-file');
  const [dataKey, file] = fromFile?.includes('=') ? fromFile.split('=') : ['.dockerconfigjson', fromFile];
  return {
    server: flags.get('docker-server') ?? KUBECTL_DEFAULT_SERVER,
    username: flags.get('docker-username') ?? '',
    password: flags.get('docker-password') ?? '',
    email: flags.get('docker-email'),
    fromFile: file === undefined ? undefined : { dataKey, file },
  };
}

function kubectlPayload(run: KubectlRun): Buffer {
  const output = execFileSync('kubectl', [
    'create', 'secret', 'docker-registry', 'regcred',
    `--docker-server=${run.server}`, `--docker-username=${run.username}`, `--docker-password=${run.password}`,
    ...(run.email === undefined ? [] : [`--docker-email=${run.email}`]),
    '--dry-run=client', '-o', 'json',
  ], { encoding: 'utf8' });
  return Buffer.from(JSON.parse(output).data['.dockerconfigjson'], 'base64');
}

// Inputs kubectl accepts (it validates nothing but emptiness) that we reject on purpose.
const DELIBERATELY_REJECTED: { [id: string]: RegExp } = {
  // The kubelet splits auth at the first ':' and would send username "us", password "er:pw".
  'username-with-colon': /^username: contains ":"/,
  // kubectl copies --from-file bytes unchecked; the kubelet then fails every pull of the pod.
  'from-file-invalid-json': /^dockerconfigjson: is not valid JSON/,
  'generic-dockerconfigjson-invalid': /^dockerconfigjson: is not valid JSON/,
  // A legacy .dockercfg has no "auths" wrapper; it is not a .dockerconfigjson.
  'generic-dockercfg-legacy': /^dockerconfigjson\.auths: is missing.*legacy \.dockercfg layout/,
};

describe('DockerConfig against kubectl create secret (kubectl-docker-registry.json)', () => {
  test('covers all 31 recorded runs', () => {
    expect(KUBECTL_CASES).toHaveLength(31);
  });

  const refused = KUBECTL_CASES.filter(c => c.rc !== 0);
  const built = KUBECTL_CASES.filter(c => c.rc === 0 && !readCommand(c.command).fromFile && !DELIBERATELY_REJECTED[c.id]);
  const copied = KUBECTL_CASES.filter(c => c.rc === 0 && readCommand(c.command).fromFile && !DELIBERATELY_REJECTED[c.id]);
  const rejected = KUBECTL_CASES.filter(c => DELIBERATELY_REJECTED[c.id]);

  test('every run is in exactly one group', () => {
    expect(refused.length + built.length + copied.length + rejected.length).toBe(KUBECTL_CASES.length);
    expect(rejected.map(c => c.id).sort()).toEqual(Object.keys(DELIBERATELY_REJECTED).sort());
  });

  test.each(built.map(c => [c.id, c]))('%s: withBasicAuth writes the same bytes', (_id, c) => {
    const run = readCommand(c.command);
    const config = DockerConfig.empty().withBasicAuth(run.server, run.username, run.password, run.email);
    expect(config.toJson()).toBe(c.decodedData['.dockerconfigjson']);
    expect(config.servers).toEqual(Object.keys(c.fieldOrder));
    expect(`${config._credentials(run.server)!.username}:${config._credentials(run.server)!.password}`)
      .toBe(c.authDecoded[run.server]);
  });

  test.each(refused.map(c => [c.id, c]))('%s: refused by kubectl, a ValidationError here', (_id, c) => {
    const run = readCommand(c.command);
    const error = validationErrorOf(() => DockerConfig.empty().withBasicAuth(run.server, run.username, run.password, run.email));
    const emptyFlag = (['server', 'username', 'password'] as const).find(flag => run[flag] === '');
    expect(error.property).toBe(emptyFlag);
    expect(error.message).toMatch(/must not be empty.*Fix: give /);
    expect(c.stderr).toMatch(/--docker-username, --docker-password and --docker-server is required/);
  });

  test.each(copied.map(c => [c.id, c]))('%s: fromJson keeps the file bytes as kubectl copies them', (_id, c) => {
    const run = readCommand(c.command);
    const config = DockerConfig.fromJson(INPUT_FILES[run.fromFile!.file]);
    expect(config.toJson()).toBe(c.decodedData[run.fromFile!.dataKey]);
  });

  test.each(rejected.map(c => [c.id, c]))('%s: accepted by kubectl, rejected here on purpose', (_id, c) => {
    const run = readCommand(c.command);
    const error = validationErrorOf(() => run.fromFile
      ? DockerConfig.fromJson(INPUT_FILES[run.fromFile.file])
      : DockerConfig.empty().withBasicAuth(run.server, run.username, run.password, run.email));
    expect(error.message).toMatch(DELIBERATELY_REJECTED[c.id]);
  });
});

describe('DockerConfig against kubectl-dockerconfig-vectors.json (cdk8s ecosystem)', () => {
  test.each(ECOSYSTEM_VECTORS.map(v => [v.case, v]))('%s', (_name, vector) => {
    const run = readCommand(vector.kubectl_args);
    const config = DockerConfig.empty().withBasicAuth(run.server, run.username, run.password, run.email);
    expect(config.toJson()).toBe(vector.decoded_dockerconfigjson);
    expect(JSON.parse(config.toJson())).toEqual(vector.decoded_parsed);
  });
});

// eslint-disable-next-line no-control-regex -- the characters refused in usernames, emails and hosts
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

describe('DockerConfig against the real kubectl', () => {
  const SPECIAL = ['&', '<', '>', '"', '\\', ':', '/', "'", '`', '$', '=', '@', '+', '%', ' ', '\t', '\n', '\u2028', 'é', '✓', '🐳'];
  const unit = fc.oneof(fc.constantFrom(...SPECIAL), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }));
  const text = (maxLength: number) => fc.string({ unit, minLength: 1, maxLength })
    .filter(value => !value.includes('\u0000'));
  // Usernames, emails and hosts with control characters or credential shapes are refused (issue 12 items 8, 10).
  const plainText = (maxLength: number) => text(maxLength)
    .filter(value => !INVISIBLE.test(value) && credentialShapeProblem(value) === undefined);
  const run = fc.record({
    server: fc.oneof(fc.constantFrom('ghcr.io', KUBECTL_DEFAULT_SERVER, 'registry.example.com:5000/team'), plainText(40)),
    username: plainText(30).filter(value => !value.includes(':')),
    password: fc.oneof(text(20), text(400)),
    email: fc.option(plainText(30), { nil: undefined }),
  });

  test('writes the bytes kubectl writes for 20 generated inputs', () => {
    fc.assert(fc.property(run, input => {
      const ours = DockerConfig.empty().withBasicAuth(input.server, input.username, input.password, input.email);
      expect(Buffer.from(ours.toJson(), 'utf8').equals(kubectlPayload(input))).toBe(true);
    }), { numRuns: 20 });
  });
});

describe('DockerConfig.empty and withBasicAuth', () => {
  test('an empty config has no registries', () => {
    expect(DockerConfig.empty().toJson()).toBe('{"auths":{}}');
    expect(DockerConfig.empty().servers).toEqual([]);
  });

  test('returns a new value and leaves the original unchanged', () => {
    const empty = DockerConfig.empty();
    const one = empty.withBasicAuth('ghcr.io', 'octo', 's3cr3t');
    const two = one.withBasicAuth('quay.io', 'org+bot', 'tok');
    expect(empty.toJson()).toBe('{"auths":{}}');
    expect(one.servers).toEqual(['ghcr.io']);
    expect(two.servers).toEqual(['ghcr.io', 'quay.io']);
  });

  test('writes auths keys in byte order whatever the call order, as Go sorts map keys', () => {
    const servers = ['quay.io', 'ghcr.io', 'registry.example.com:5000', 'r\u{10000}.example', 'r\uffff.example'];
    const forward = servers.reduce((config, server) => config.withBasicAuth(server, 'u', 'p'), DockerConfig.empty());
    const backward = [...servers].reverse()
      .reduce((config, server) => config.withBasicAuth(server, 'u', 'p'), DockerConfig.empty());
    expect(forward.toJson()).toBe(backward.toJson());
    const byteOrder = ['ghcr.io', 'quay.io', 'registry.example.com:5000', 'r\uffff.example', 'r\u{10000}.example'];
    expect(forward.servers).toEqual(byteOrder);
    expect(forward.toJson()).toBe('{"auths":{'
      + byteOrder
        .map(server => `"${server}":{"username":"u","password":"p","auth":"dTpw"}`).join(',')
      + '}}');
  });

  test('replaces the entry of an existing key', () => {
    const config = DockerConfig.empty().withBasicAuth('ghcr.io', 'old', 'old-pass').withBasicAuth('ghcr.io', 'new', 'p');
    expect(config.toJson()).toBe('{"auths":{"ghcr.io":{"username":"new","password":"p","auth":"bmV3OnA="}}}');
  });

  test('writes an entry as the kubelet\'s own marshaller does (entryEncode)', () => {
    for (const vector of KEYRING.entryEncode) {
      const entry = vector.entry;
      const config = DockerConfig.empty().withBasicAuth('r', entry.Username, entry.Password, entry.Email);
      expect(config.toJson()).toBe(`{"auths":{"r":${vector.json}}}`);
    }
  });

  test('lists entries without secret material', () => {
    const config = DockerConfig.empty()
      .withBasicAuth('ghcr.io', 'octo', 's3cr3t', 'octo@example.com')
      .withBasicAuth('quay.io', 'org+bot', 'tok');
    expect(config.entries()).toEqual([
      { server: 'ghcr.io', username: 'octo', email: 'octo@example.com', hasPassword: true },
      { server: 'quay.io', username: 'org+bot', email: undefined, hasPassword: true },
    ]);
    expect(JSON.stringify(config.entries())).not.toMatch(/s3cr3t|tok"/);
    expect(config._credentials('quay.io')).toEqual({ username: 'org+bot', password: 'tok' });
    expect(config._credentials('docker.io')).toBeUndefined();
  });
});

const SAMPLE = INPUT_FILES['sample-config.json'];

describe('DockerConfig.fromJson', () => {
  test('keeps the original bytes, servers in document order', () => {
    const config = DockerConfig.fromJson(SAMPLE);
    expect(config.toJson()).toBe(SAMPLE);
    expect(config.servers).toEqual(['https://index.docker.io/v1/', 'ghcr.io']);
    expect(config.entries()).toEqual([
      { server: 'https://index.docker.io/v1/', username: 'dockeruser', email: undefined, hasPassword: true },
      { server: 'ghcr.io', username: 'octo', email: undefined, hasPassword: true },
    ]);
  });

  test('rewrites a changed config compactly: other fields kept, auths in byte order', () => {
    const config = DockerConfig.fromJson(SAMPLE).withBasicAuth('quay.io', 'org+bot', 'tok');
    expect(config.toJson()).toBe('{"auths":{'
      + '"ghcr.io":{"username":"octo","password":"ghp_exampletoken","auth":"b2N0bzpnaHBfZXhhbXBsZXRva2Vu"},'
      + '"https://index.docker.io/v1/":{"auth":"ZG9ja2VydXNlcjpkY2tyX3BhdF9leGFtcGxl"},'
      + '"quay.io":{"username":"org+bot","password":"tok","auth":"b3JnK2JvdDp0b2s="}},'
      + '"credHelpers":{"123456789012.dkr.ecr.us-east-1.amazonaws.com":"ecr-login"}}');
    expect(config.servers).toEqual(['ghcr.io', 'https://index.docker.io/v1/', 'quay.io']);
  });

  test('reads field names case-insensitively, as Go does', () => {
    const config = DockerConfig.fromJson('{"Auths":{"r.example.com":{"USERNAME":"a","Password":"b","Email":"e@x"}}}');
    expect(config.entries()).toEqual([{ server: 'r.example.com', username: 'a', email: 'e@x', hasPassword: true }]);
    expect(config.withBasicAuth('s', 'u', 'p').toJson()).toBe('{"Auths":{'
      + '"r.example.com":{"USERNAME":"a","Password":"b","Email":"e@x"},'
      + '"s":{"username":"u","password":"p","auth":"dTpw"}}}');
  });

  test('accepts an auth that agrees with username and password', () => {
    const config = DockerConfig.fromJson(`{"auths":{"r":{"username":"u","password":"p:q","auth":"${base64('u:p:q')}"}}}`);
    expect(config._credentials('r')).toEqual({ username: 'u', password: 'p:q' });
  });

  test('reports an empty username decoded from auth as no username', () => {
    const config = DockerConfig.fromJson(`{"auths":{"r":{"auth":"${base64(':onlypass')}"}}}`);
    expect(config.entries()).toEqual([{ server: 'r', username: undefined, email: undefined, hasPassword: true }]);
  });

  test('accepts HttpHeaders of strings, which the kubelet decodes too', () => {
    const json = '{"auths":{"r":{"auth":"dTpw"}},"HttpHeaders":{"User-Agent":"x","X-Null":null}}';
    expect(DockerConfig.fromJson(json).toJson()).toBe(json);
  });

  test('names every ignored token and each differing field', () => {
    expect(validationErrorOf(() => DockerConfig.fromJson('{"auths":{"r":{"identitytoken":"a","registrytoken":"b"}}}')).problem)
      .toMatch(/identitytoken and registrytoken are ignored by the kubelet/);
    expect(validationErrorOf(() => DockerConfig.fromJson(`{"auths":{"r":{"username":"v","auth":"${base64('u:p')}"}}}`)).problem)
      .toMatch(/^decodes to a different username than the entry's "username" field/);
  });

  test('shows a non-secret value that is not well-formed Unicode', () => {
    const error = validationErrorOf(() => DockerConfig.empty().withBasicAuth('ghcr.io\udc00', 'u', 'p'));
    expect(error.property).toBe('server');
    expect(error.shownValue).toBe(JSON.stringify('ghcr.io\udc00'));
  });

  test('round-trips what withBasicAuth writes', () => {
    const built = DockerConfig.empty().withBasicAuth('ghcr.io', 'usér', 'p&<>"\\✓🐳', 'a@b').withBasicAuth('quay.io', 'x', 'y');
    const parsed = DockerConfig.fromJson(built.toJson());
    expect(parsed.toJson()).toBe(built.toJson());
    expect(parsed.entries()).toEqual(built.entries());
    expect(parsed._credentials('ghcr.io')).toEqual({ username: 'usér', password: 'p&<>"\\✓🐳' });
  });

  // config_test.go TestDecodeDockerConfigFieldAuth and extra cases: the kubelet's base64 rules for "auth".
  test.each((KEYRING.authFieldDecode as any[]).map(v => [JSON.stringify(v.auth), v]))(
    'decodes auth %s as the kubelet does', (_auth, vector) => {
      const json = JSON.stringify({ auths: { 'r.example.com': { auth: vector.auth } } });
      if (vector.fail) {
        const error = validationErrorOf(() => DockerConfig.fromJson(json));
        expect(error.property).toBe('dockerconfigjson.auths["r.example.com"].auth');
        expect(error.message).toMatch(/the kubelet then rejects the whole secret/);
      } else {
        expect(DockerConfig.fromJson(json)._credentials('r.example.com'))
          .toEqual({ username: vector.username, password: vector.password });
      }
    });

  // config_test.go TestDockerConfigEntryJSONDecode and extra cases. Two entries the kubelet accepts are rejected on
  // purpose: an auth that contradicts username/password, and an entry whose only credential is a token the kubelet
  // ignores (it would pull anonymously).
  const STRICTER: { [index: number]: RegExp } = {
    2: /auth: decodes to a different username and password than the entry's/,
    6: /has no credentials.*identitytoken is ignored by the kubelet/,
  };
  test.each((KEYRING.entryDecode as any[]).map((v, i) => [i, JSON.stringify(v.entry), v]))(
    'entryDecode #%d %s', (index, _entry, vector) => {
      const json = JSON.stringify({ auths: { r: vector.entry } });
      if (STRICTER[index as number]) {
        expect(vector.fail).toBeUndefined();
        expect(validationErrorOf(() => DockerConfig.fromJson(json)).message).toMatch(STRICTER[index as number]);
      } else if (vector.fail) {
        expect(validationErrorOf(() => DockerConfig.fromJson(json)).property).toMatch(/^dockerconfigjson\.auths\["r"\]\.(auth|email)$/);
      } else {
        const config = DockerConfig.fromJson(json);
        expect(config._credentials('r')).toEqual({ username: vector.result.username, password: vector.result.password });
        expect(config.entries()[0].email ?? '').toBe(vector.result.email);
      }
    });

  describe('strict (Choreo "Docker config" auth type)', () => {
    test('accepts one registry with inline credentials', () => {
      const json = INPUT_FILES['compact-config.json'];
      expect(DockerConfig.fromJson(json, { strict: true }).toJson()).toBe(json);
    });

    test('credential helpers are only warnings without strict', () => {
      const config = DockerConfig.fromJson('{"auths":{"r":{"auth":"dTpw"}},"credsStore":"desktop",'
        + '"credHelpers":{"gcr.io":"gcloud","x.dkr.ecr.us-east-1.amazonaws.com":"ecr-login"}}');
      expect(config.fieldWarnings().map(w => w.property)).toEqual([
        'dockerconfigjson.credsStore',
        'dockerconfigjson.credHelpers["gcr.io"]',
        'dockerconfigjson.credHelpers["x.dkr.ecr.us-east-1.amazonaws.com"]',
      ]);
      expect(config.fieldWarnings()[0].problem).toMatch(/the kubelet never runs helpers/);
    });

    test('empty helper fields left by docker logout are no warning', () => {
      expect(DockerConfig.fromJson('{"auths":{"r":{"auth":"dTpw"}},"credsStore":"","credHelpers":{}}',
        { strict: true }).fieldWarnings()).toEqual([]);
    });
  });

  test('warns about token fields the kubelet ignores', () => {
    const config = DockerConfig.fromJson('{"auths":{"r":{"auth":"dTpw","identitytoken":"t","RegistryToken":"x"}}}');
    expect(config.fieldWarnings()).toEqual([
      expect.objectContaining({ property: 'dockerconfigjson.auths["r"].identitytoken' }),
      expect.objectContaining({ property: 'dockerconfigjson.auths["r"].RegistryToken' }),
    ]);
  });
});

const PASSWORD = 'Pa55w0rd-s3cret';
const USER_PASSWORD_B64 = base64(`user:${PASSWORD}`);

interface BadInput {
  readonly name: string;
  readonly act: () => unknown;
  readonly property: string;
  readonly problem: RegExp;
}

function badJson(name: string, json: string, property: string, problem: RegExp, options?: DockerConfigParseOptions): BadInput {
  return { name, act: () => DockerConfig.fromJson(json, options), property, problem };
}

const ONE_ENTRY = `"ghcr.io":{"username":"user","password":"${PASSWORD}"}`;
const BAD_INPUTS: BadInput[] = [
  badJson('not JSON', 'this is not json', 'dockerconfigjson', /is not valid JSON/),
  badJson('truncated JSON holding a password', `{"auths":{${ONE_ENTRY}`, 'dockerconfigjson', /is not valid JSON \(syntax error/),
  badJson('JSON array', `[{"auths":{${ONE_ENTRY}}}]`, 'dockerconfigjson', /must be a JSON object, not an array/),
  badJson('JSON string', `"${PASSWORD}"`, 'dockerconfigjson', /must be a JSON object, not a string/),
  badJson('no auths', '{"credHelpers":{"gcr.io":"gcloud"}}', 'dockerconfigjson.auths', /is missing/),
  badJson('legacy .dockercfg', `{${ONE_ENTRY}}`, 'dockerconfigjson.auths', /is missing/),
  badJson('auths is an array', `{"auths":[{${ONE_ENTRY}}]}`, 'dockerconfigjson.auths', /not an array/),
  badJson('auths is null', '{"auths":null}', 'dockerconfigjson.auths', /not null/),
  badJson('entry is a string', `{"auths":{"ghcr.io":"${PASSWORD}"}}`, 'dockerconfigjson.auths["ghcr.io"]', /not a string/),
  badJson('entry without credentials', '{"auths":{"ghcr.io":{"email":"a@b"}}}', 'dockerconfigjson.auths["ghcr.io"]', /has no credentials/),
  badJson('entry with a password only', `{"auths":{"ghcr.io":{"password":"${PASSWORD}"}}}`, 'dockerconfigjson.auths["ghcr.io"]', /has no credentials/),
  badJson('entry with an identity token only', `{"auths":{"ghcr.io":{"identitytoken":"${PASSWORD}"}}}`, 'dockerconfigjson.auths["ghcr.io"]', /identitytoken is ignored/),
  badJson('auth not base64', `{"auths":{"ghcr.io":{"auth":"${PASSWORD}!"}}}`, 'dockerconfigjson.auths["ghcr.io"].auth', /is not valid base64/),
  badJson('auth with wrong padding', `{"auths":{"ghcr.io":{"auth":"${USER_PASSWORD_B64}="}}}`, 'dockerconfigjson.auths["ghcr.io"].auth', /is not valid base64/),
  badJson('auth without ":"', `{"auths":{"ghcr.io":{"auth":"${base64(PASSWORD)}"}}}`, 'dockerconfigjson.auths["ghcr.io"].auth', /there is no ":"/),
  badJson('auth disagrees with password', `{"auths":{"ghcr.io":{"username":"user","password":"other","auth":"${USER_PASSWORD_B64}"}}}`,
    'dockerconfigjson.auths["ghcr.io"].auth', /different password/),
  badJson('username is a number', `{"auths":{"ghcr.io":{"username":7,"password":"${PASSWORD}"}}}`, 'dockerconfigjson.auths["ghcr.io"].username', /must be a string, not a number/),
  badJson('email is false', `{"auths":{"ghcr.io":{"auth":"${USER_PASSWORD_B64}","email":false}}}`, 'dockerconfigjson.auths["ghcr.io"].email', /must be a string, not a boolean/),
  badJson('empty server key', `{"auths":{"":{"auth":"${USER_PASSWORD_B64}"}}}`, 'dockerconfigjson.auths[""]', /empty registry key/),
  badJson('HttpHeaders not an object', `{"auths":{${ONE_ENTRY}},"HttpHeaders":["x"]}`, 'dockerconfigjson.HttpHeaders', /must be an object of strings/),
  badJson('strict: two registries', `{"auths":{${ONE_ENTRY},"quay.io":{"auth":"${USER_PASSWORD_B64}"}}}`, 'dockerconfigjson.auths', /holds 2 registries/, { strict: true }),
  badJson('strict: no registry', '{"auths":{}}', 'dockerconfigjson.auths', /holds 0 registries/, { strict: true }),
  badJson('strict: credHelpers', `{"auths":{${ONE_ENTRY}},"credHelpers":{"gcr.io":"gcloud"}}`, 'dockerconfigjson.credHelpers', /credential helpers/, { strict: true }),
  badJson('strict: credsStore', `{"auths":{${ONE_ENTRY}},"credsStore":"desktop"}`, 'dockerconfigjson.credsStore', /credential helpers/, { strict: true }),
  { name: 'empty server', act: () => DockerConfig.empty().withBasicAuth('', 'user', PASSWORD), property: 'server', problem: /must not be empty/ },
  { name: 'empty username', act: () => DockerConfig.empty().withBasicAuth('ghcr.io', '', PASSWORD), property: 'username', problem: /must not be empty/ },
  { name: 'empty password', act: () => DockerConfig.empty().withBasicAuth('ghcr.io', 'user', ''), property: 'password', problem: /must not be empty/ },
  { name: 'username with ":"', act: () => DockerConfig.empty().withBasicAuth('ghcr.io', 'us:er', PASSWORD), property: 'username', problem: /contains ":"/ },
  { name: 'password with an unpaired surrogate', act: () => DockerConfig.empty().withBasicAuth('ghcr.io', 'user', `${PASSWORD}\ud800`), property: 'password', problem: /unpaired UTF-16 surrogate/ },
];

describe('DockerConfig bad input', () => {
  test('the table has at least 15 malformed configs', () => {
    expect(BAD_INPUTS.filter(bad => bad.property.startsWith('dockerconfigjson')).length).toBeGreaterThanOrEqual(15);
  });

  test.each(BAD_INPUTS.map(bad => [bad.name, bad]))('%s', (_name, bad) => {
    expect(bad.act).toThrow(ValidationError);
    const error = validationErrorOf(bad.act);
    expect(error.property).toBe(bad.property);
    expect(error.problem).toMatch(bad.problem);
    expect(error.message).toContain(`${bad.property}: `);
    expect(error.fix.length).toBeGreaterThan(10);
    expect(error.message).toContain(`Fix: ${error.fix}`);
    for (const secret of [PASSWORD, base64(PASSWORD), USER_PASSWORD_B64]) {
      expect(error.message).not.toContain(secret);
    }
  });

  test('the legacy .dockercfg layout gets its own fix', () => {
    expect(validationErrorOf(() => DockerConfig.fromJson(INPUT_FILES['legacy.dockercfg'])).fix).toMatch(/wrap it as \{"auths"/);
  });

  test('no error message ever holds the password, its base64 or the auth value', () => {
    const password = fc.string({ unit: 'grapheme', minLength: 4, maxLength: 40 }).map(value => `Zq${value}`);
    const username = fc.string({ unit: fc.constantFrom('a', 'b', 'é', '+', '_', '1'), minLength: 1, maxLength: 12 });
    fc.assert(fc.property(username, password, (user, pass) => {
      const auth = base64(`${user}:${pass}`);
      const entry = (fields: string) => `{"auths":{"ghcr.io":{${fields}}}}`;
      const quoted = JSON.stringify(pass);
      const attempts = [
        () => DockerConfig.fromJson(entry(`"auth":"${auth}","email":false`)),
        () => DockerConfig.fromJson(entry(`"auth":"${base64(pass.replace(/:/g, ''))}"`)),
        () => DockerConfig.fromJson(entry(`"auth":"${auth}","password":${JSON.stringify(`${pass}x`)}`)),
        () => DockerConfig.fromJson(entry(`"auth":"${auth}!"`)),
        () => DockerConfig.fromJson(entry(`"auth":${JSON.stringify(`${pass}#`)}`)),
        () => DockerConfig.fromJson(entry(`"password":${quoted}`)),
        () => DockerConfig.fromJson(`{"auths":{"ghcr.io":{"password":${quoted},"username":"${user}"`),
        () => DockerConfig.fromJson(`{"ghcr.io":{"auth":"${auth}"}}`),
        () => DockerConfig.fromJson(`{"auths":{"a":{"auth":"${auth}"},"b":{"auth":"${auth}"}}}`, { strict: true }),
        () => DockerConfig.empty().withBasicAuth('', user, pass),
        () => DockerConfig.empty().withBasicAuth('ghcr.io', `${user}:`, pass),
        () => DockerConfig.empty().withBasicAuth('ghcr.io', user, `${pass}\udc00`),
      ];
      for (const attempt of attempts) {
        const { message } = validationErrorOf(attempt);
        for (const secret of [pass, base64(pass), auth]) {
          expect(message).not.toContain(secret);
        }
      }
    }));
  });
});

// Each warning is checked against the keyring: the key as written misses (or over-matches) the image its author
// means, and the key the fix names behaves as intended.
interface KeyCase {
  readonly key: string;
  readonly problem: RegExp;
  readonly image: string;
  readonly keyMatchesImage: boolean;
  readonly fixedKey?: string;
  readonly fixedMatchesImage?: boolean;
}

const KEY_CASES: KeyCase[] = [
  { key: 'registry.example.com:443', problem: /compares ports literally/, image: 'registry.example.com/app', keyMatchesImage: false, fixedKey: 'registry.example.com', fixedMatchesImage: true },
  { key: 'https://registry.example.com:443/v2/', problem: /compares ports literally/, image: 'registry.example.com/app', keyMatchesImage: false, fixedKey: 'https://registry.example.com/v2/', fixedMatchesImage: true },
  { key: 'registry-1.docker.io', problem: /Docker Hub images .* are matched only by/, image: 'nginx', keyMatchesImage: false, fixedKey: 'https://index.docker.io/v1/', fixedMatchesImage: true },
  { key: 'registry.hub.docker.com', problem: /Docker Hub images .* are matched only by/, image: 'myorg/app', keyMatchesImage: false, fixedKey: 'https://index.docker.io/v1/', fixedMatchesImage: true },
  { key: 'registry.docker.com', problem: /Docker Hub images .* are matched only by/, image: 'docker.io/library/nginx', keyMatchesImage: false, fixedKey: 'https://index.docker.io/v1/', fixedMatchesImage: true },
  { key: 'https://index.docker.io/v1/access-token', problem: /reduces it to "index.docker.io\/access-token", which matches nothing/, image: 'nginx', keyMatchesImage: false, fixedKey: 'https://index.docker.io/v1/', fixedMatchesImage: true },
  { key: 'GHCR.IO', problem: /compares hosts case-sensitively/, image: 'ghcr.io/org/app', keyMatchesImage: false, fixedKey: 'ghcr.io', fixedMatchesImage: true },
  { key: 'quay.io/org/app/', problem: /keeps the trailing "\/"/, image: 'quay.io/org/app', keyMatchesImage: false, fixedKey: 'quay.io/org/app', fixedMatchesImage: true },
  { key: 'quay.io/org', problem: /plain string prefixes/, image: 'quay.io/organization/app', keyMatchesImage: true, fixedKey: 'quay.io/org/', fixedMatchesImage: false },
  { key: 'ghcr.io/v1', problem: /keeps the path "\/v1"/, image: 'ghcr.io/org/app', keyMatchesImage: false, fixedKey: 'ghcr.io', fixedMatchesImage: true },
  { key: 'ghcr.io/org/app:v1', problem: /without tag or digest/, image: 'ghcr.io/org/app:v1', keyMatchesImage: false, fixedKey: 'ghcr.io/org/app', fixedMatchesImage: true },
  { key: 'quay.io/org/*', problem: /globs work only in the host/, image: 'quay.io/org/app', keyMatchesImage: false, fixedKey: 'quay.io/org/', fixedMatchesImage: true },
  { key: 'http://ghcr.io', problem: /does not make pulls use plain HTTP/, image: 'ghcr.io/org/app', keyMatchesImage: true, fixedKey: 'ghcr.io', fixedMatchesImage: true },
  { key: 'https://exa mple.com', problem: /cannot parse this key/, image: 'example.com/app', keyMatchesImage: false },
];

function keyringFor(key: string): KubeletKeyring {
  return new KubeletKeyring([DockerConfig.empty().withBasicAuth(key, 'u', 'p')]);
}

describe('DockerConfig.keyWarnings', () => {
  test.each(['ghcr.io', 'https://index.docker.io/v1/', 'index.docker.io', 'docker.io', '*.azurecr.io',
    'registry.example.com:5000', 'https://quay.io/v2/', 'quay.io/org/', '123456789012.dkr.ecr.us-east-1.amazonaws.com', '[::1]:5000'])(
    '%s: no warning', key => {
      expect(DockerConfig.empty().withBasicAuth(key, 'u', 'p').keyWarnings()).toEqual([]);
    });

  test.each(KEY_CASES.map(c => [c.key, c]))('%s', (_key, keyCase) => {
    const warnings = DockerConfig.empty().withBasicAuth(keyCase.key, 'u', 'p').keyWarnings();
    const warning = warnings.find(w => keyCase.problem.test(w.problem));
    expect(warning).toBeDefined();
    expect(warning!.server).toBe(keyCase.key);
    expect(keyringFor(keyCase.key).lookup(keyCase.image).length > 0).toBe(keyCase.keyMatchesImage);
    if (keyCase.fixedKey !== undefined) {
      expect(warning!.fix).toContain(`write "${keyCase.fixedKey}"`);
      expect(keyringFor(keyCase.fixedKey).lookup(keyCase.image).length > 0).toBe(keyCase.fixedMatchesImage);
    }
  });

  test('the fixed key of the string-prefix warning still covers the organization', () => {
    expect(keyringFor('quay.io/org/').lookup('quay.io/org/app')).toEqual(['quay.io/org/']);
  });

  test('reports every problem of a key, in servers order', () => {
    const config = DockerConfig.empty().withBasicAuth('http://REGISTRY-1.docker.io:443', 'u', 'p').withBasicAuth('ghcr.io', 'u', 'p');
    expect(config.keyWarnings().map(w => w.fix)).toEqual([
      'write "REGISTRY-1.docker.io:443"',
      'write "http://registry-1.docker.io:443"',
      'write "http://REGISTRY-1.docker.io"',
      'for Docker Hub images write "https://index.docker.io/v1/"; keep this key only for images written "REGISTRY-1.docker.io/…"',
    ]);
  });
});

describe('passwords stay out of util.inspect, JSON.stringify and template literals (issue 12 item 9)', () => {
  const HIDDEN_PASSWORD = 'pw-Do-Not-Print-7f3a9c';
  const AUTH = Buffer.from(`octo:${HIDDEN_PASSWORD}`).toString('base64');
  const built = DockerConfig.empty().withBasicAuth('ghcr.io', 'octo', HIDDEN_PASSWORD, 'octo@example.com');
  const parsed = DockerConfig.fromJson(`{"auths":{"quay.io":{"auth":"${AUTH}"}},"credsStore":"desktop"}`);

  test.each([['built with withBasicAuth', built], ['parsed with fromJson', parsed]])('%s', (_title, config) => {
    const shown = [
      util.inspect(config, { showHidden: true, depth: 10, getters: true }),
      util.inspect({ holder: config }, { showHidden: true, depth: 10 }),
      JSON.stringify(config),
      JSON.stringify({ config }),
      `${config}`,
      String(config),
    ].join('\n');
    expect(shown).not.toContain(HIDDEN_PASSWORD);
    expect(shown).not.toContain(AUTH);
    expect(`${config}`).toBe(`<docker config for ${config.servers.join(', ')}>`);
    expect(JSON.stringify({ config })).toBe(`{"config":${JSON.stringify(`${config}`)}}`);
  });

  test('toJson() is still the one way to the bytes', () => {
    expect(built.toJson()).toContain(HIDDEN_PASSWORD);
    expect(Buffer.from(JSON.parse(parsed.toJson()).auths['quay.io'].auth, 'base64').toString()).toBe(`octo:${HIDDEN_PASSWORD}`);
    expect(`${DockerConfig.empty()}`).toBe('<docker config for no registry>');
  });
});
