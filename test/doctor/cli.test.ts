import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';
import { FIXTURES, ROOT, secretMaterial } from './helpers';
import { CliIo, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, main } from '../../src/cli/main';
import { RULES } from '../../src/doctor/findings';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output; a fake clock advances 1 ms per reading. */
function run(argv: string[], options: { stdoutTty?: boolean; stderrTty?: boolean; env?: { [name: string]: string } } = {}): Run {
  let stdout = '';
  let stderr = '';
  let clock = 0;
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.stdoutTty ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: options.stderrTty ?? false },
    env: options.env ?? {},
    cwd: ROOT,
    now: () => (clock += 1),
  };
  const code = main(argv, io);
  return { code, stdout, stderr };
}

const FIXTURE_DIR = 'test/fixtures/doctor';
const ESC = '\u001b[';

describe('doctor lint', () => {
  test('exit 1 with errors; text output names file, line, object, rule, severity and fix', () => {
    const result = run(['doctor', 'lint', `${FIXTURE_DIR}/kubectl/regcred-ghcr.yaml`]);
    expect(result.code).toBe(EXIT_FINDINGS);
    expect(result.stdout).toBe([
      'test/fixtures/doctor/kubectl/regcred-ghcr.yaml:1  Secret team-a/regcred',
      '  error    plaintext-credentials: the Secret holds registry credentials for "ghcr.io" in plain text (data is base64, an encoding, not encryption), in a file meant for Git',
      '           fix: deliver the credentials as a SealedSecret or an ExternalSecret (cdk8s-registries: SecretDelivery.sealedSecret() or SecretDelivery.externalSecret()), or keep this file out of Git (.gitignore)',
      '',
      '1 error, 0 warnings (1 file, 1 object)',
      '',
    ].join('\n'));
  });

  test('warnings alone exit 0, or 1 with --strict', () => {
    const file = `${FIXTURE_DIR}/openchoreo/dataplane-image-pull-secret-refs.yaml`;
    expect(run(['doctor', 'lint', file]).code).toBe(EXIT_OK);
    expect(run(['doctor', 'lint', '--strict', file]).code).toBe(EXIT_FINDINGS);
  });

  test('clean files exit 0 and say so', () => {
    const result = run(['doctor', 'lint', `${FIXTURE_DIR}/clean`]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toBe('no problems found (8 files, 8 objects)\n');
  });

  test('--format json has the documented, stable shape', () => {
    const result = run(['doctor', 'lint', '--format', 'json', `${FIXTURE_DIR}/broken`, `${FIXTURE_DIR}/kubectl/regcred-ghcr.yaml`]);
    expect(result.code).toBe(EXIT_FINDINGS);
    expect(JSON.parse(result.stdout)).toEqual({
      version: 1,
      command: 'lint',
      files: 2,
      objects: 2,
      skippedTemplates: [],
      summary: { errors: 2, warnings: 0, suppressed: 0 },
      findings: [
        {
          rule: 'yaml-invalid',
          severity: 'error',
          file: 'test/fixtures/doctor/broken/broken.yaml',
          line: 17,
          object: null,
          message: 'the YAML does not parse (missing char at line 17, column 1); kubectl and Argo CD reject the file, and the doctor skipped this document',
          fix: 'fix the YAML syntax (indentation, quoting, unique keys), e.g. check it with "kubectl apply --dry-run=client -f <file>"',
        },
        {
          rule: 'plaintext-credentials',
          severity: 'error',
          file: 'test/fixtures/doctor/kubectl/regcred-ghcr.yaml',
          line: 1,
          object: { apiVersion: 'v1', kind: 'Secret', namespace: 'team-a', name: 'regcred' },
          message: expect.stringContaining('in plain text'),
          fix: expect.stringContaining('SealedSecret'),
        },
      ],
    });
  });

  test('the same input gives byte-identical output', () => {
    expect(run(['doctor', 'lint', '--format', 'json', FIXTURE_DIR]).stdout).toBe(run(['doctor', 'lint', '--format', 'json', FIXTURE_DIR]).stdout);
  });

  test('--ignore skips rules and is checked against the rule ids', () => {
    const result = run(['doctor', 'lint', '--ignore', 'plaintext-credentials', `${FIXTURE_DIR}/kubectl/regcred-ghcr.yaml`]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toBe('no problems found (1 file, 1 object; 1 finding ignored)\n');
    const bad = run(['doctor', 'lint', '--ignore', 'plaintext', FIXTURE_DIR]);
    expect(bad.code).toBe(EXIT_USAGE);
    expect(bad.stderr).toContain('--ignore: is not a rule id (got "plaintext"). Fix: run "cdk8s-registries doctor rules" to list them');
  });

  test('--default-namespace places objects whose manifest names no namespace', () => {
    const result = run(['doctor', 'explain', '--format', 'json', '--default-namespace', 'tools', '--image', 'registry.gitlab.com/acme/tools/cli:1',
      '--namespace', 'tools', '--service-account', 'registry-creds', `${FIXTURE_DIR}/helm/rendered`]);
    const report = JSON.parse(result.stdout);
    expect(report.pullSecretsFrom).toBe('service-account');
    expect(report.pullSecrets[0].sources[0].assumedNamespace).toBe('tools');
    expect(report.verdict).toBe('covered');
  });
});

describe('doctor explain', () => {
  test('exit 0 and a readable answer when a credential matches', () => {
    const result = run(['doctor', 'explain', '--image', 'ghcr.io/acme/web:3.2.0', '--namespace', 'dp-acme-web-development-4f1c2a9b',
      '--pod-pull-secret', 'dataplane-pull', `${FIXTURE_DIR}/argocd-app`]);
    expect(result.code).toBe(EXIT_OK);
    expect(result.stdout).toBe([
      'Image         ghcr.io/acme/web:3.2.0 (the kubelet looks up "ghcr.io/acme/web")',
      'Namespace     dp-acme-web-development-4f1c2a9b',
      'Pull secrets  the pod\'s own imagePullSecrets (service account "default" adds none when the pod lists some)',
      '  1. "dataplane-pull": keys "ghcr.io" (from the auths keys of the .dockerconfigjson template)',
      '       from ClusterExternalSecret dataplane-pull (test/fixtures/doctor/argocd-app/manifests/cluster-external-secret.yaml:1), by ClusterExternalSecret namespace selectors',
      '       External Secrets Operator fetches the data from the secret store',
      'Kubelet order',
      '  1. "dataplane-pull" key "ghcr.io" (pattern "ghcr.io", key known, credential not in the manifests)',
      'Verdict       covered: the kubelet first tries the credential of "dataplane-pull" for key "ghcr.io" (the key is known, the credential itself is not in the manifests)',
      '',
    ].join('\n'));
  });

  test('exit 1 with the nearest miss and the key that would match', () => {
    const result = run(['doctor', 'explain', '--image', 'acme/private-api:1.0', '--namespace', 'team-d', '--pod-pull-secret', 'hub-creds', `${FIXTURE_DIR}/workloads`]);
    expect(result.code).toBe(EXIT_FINDINGS);
    expect(result.stdout).toContain('Verdict       not-covered: no pull secret key matches "docker.io/acme/private-api"');
    expect(result.stdout).toContain('"registry-1.docker.io" serves Docker Hub, but the kubelet matches Docker Hub images only with "docker.io" keys or the "index.docker.io" fallback');
    expect(result.stdout).toContain('Fix           write the key "https://index.docker.io/v1/"');
  });

  test('--pod-pull-secret is repeatable and takes comma lists, in order', () => {
    const report = JSON.parse(run(['doctor', 'explain', '--format', 'json', '--image', 'quay.io/acme/report:1.0', '--namespace', 'team-x',
      '--pod-pull-secret', 'untyped-pull,source-pull', '--pod-pull-secret', 'nowhere', `${FIXTURE_DIR}/argocd-app`]).stdout);
    expect(report.pullSecrets.map((secret: any) => [secret.name, secret.status])).toEqual([
      ['untyped-pull', 'not-pull-secret'], ['source-pull', 'registries'], ['nowhere', 'missing'],
    ]);
  });

  test('--format json: version 1, every documented field present', () => {
    const report = JSON.parse(run(['doctor', 'explain', '--format', 'json', '--image', 'nginx', '--namespace', 'team-i', FIXTURE_DIR]).stdout);
    expect(Object.keys(report)).toEqual(['version', 'command', 'image', 'repository', 'namespace', 'serviceAccount', 'serviceAccountFound',
      'pullSecretsFrom', 'pullSecrets', 'credentials', 'verdict', 'summary', 'nearestMiss', 'unattachedMatches']);
    expect(report).toMatchObject({ version: 1, command: 'explain', repository: 'docker.io/library/nginx', pullSecretsFrom: 'service-account', verdict: 'not-covered' });
    expect(Object.keys(report.nearestMiss)).toEqual(['key', 'pattern', 'reason', 'sameRegistry', 'explanation', 'fix']);
    expect(Object.keys(report.pullSecrets[0])).toEqual(['name', 'status', 'registries', 'basis', 'problem', 'sources', 'dataFrom', 'notes']);
  });

  test.each([
    [['doctor', 'explain', '--namespace', 'a', FIXTURE_DIR], '--image: is required. Fix: pass the image the pod pulls'],
    [['doctor', 'explain', '--image', 'nginx', FIXTURE_DIR], '--namespace: is required.'],
    [['doctor', 'explain', '--image', 'ghcr.io/acme app', '--namespace', 'a', FIXTURE_DIR], 'image: must not contain whitespace (got "ghcr.io/acme app"). Fix: write "ghcr.io/acmeapp"'],
    [['doctor', 'explain', '--image', 'nginx', '--namespace', 'Team_A', FIXTURE_DIR], '--namespace: '],
    [['doctor', 'explain', '--image', 'nginx', '--namespace', 'a', '--pod-pull-secret', 'a,Bad_Name', FIXTURE_DIR], '--pod-pull-secret: '],
    [['doctor', 'lint', '--default-namespace', 'Default', FIXTURE_DIR], '--default-namespace: '],
    [['doctor', 'lint'], 'PATH: is missing.'],
    [['doctor', 'lint', 'no/such/dir'], 'PATH: does not exist (got "no/such/dir")'],
    [['doctor', 'lint', '--format', 'xml', FIXTURE_DIR], '--format: must be "text" or "json"'],
    [['doctor', 'lint', '--frobnicate', FIXTURE_DIR], 'Unknown option \'--frobnicate\''],
    [['doctor', 'heal', FIXTURE_DIR], 'command: is not a doctor command (got "doctor heal")'],
  ])('usage error %j: exit 2 and a message with the fix', (argv, message) => {
    const result = run(argv);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });
});

describe('help and rules', () => {
  test('--help prints the usage and exits 0; no arguments print it and exit 2', () => {
    expect(run(['--help'])).toMatchObject({ code: EXIT_OK, stdout: expect.stringContaining('Usage: cdk8s-registries doctor <command>') });
    expect(run([])).toMatchObject({ code: EXIT_USAGE, stdout: expect.stringContaining('Commands:') });
  });

  test('doctor rules lists every rule, as text or JSON', () => {
    const text = run(['doctor', 'rules']).stdout;
    expect(text.trim().split('\n').map(line => line.split(/\s+/)[0])).toEqual(RULES.map(rule => rule.id));
    expect(JSON.parse(run(['doctor', 'rules', '--format', 'json']).stdout)).toEqual(RULES);
  });
});

describe('terminal output', () => {
  const file = `${FIXTURE_DIR}/kubectl/regcred-ghcr.yaml`;

  test('colour only when stdout is a terminal', () => {
    expect(run(['doctor', 'lint', file], { stdoutTty: true }).stdout).toContain(`${ESC}31m`);
    expect(run(['doctor', 'lint', file]).stdout).not.toContain(ESC);
  });

  test('NO_COLOR turns colour off on a terminal; an empty NO_COLOR does not', () => {
    expect(run(['doctor', 'lint', file], { stdoutTty: true, env: { NO_COLOR: '1' } }).stdout).not.toContain(ESC);
    expect(run(['doctor', 'lint', file], { stdoutTty: true, env: { NO_COLOR: '' } }).stdout).toContain(ESC);
  });

  test('JSON never has colour', () => {
    expect(run(['doctor', 'lint', '--format', 'json', file], { stdoutTty: true }).stdout).not.toContain(ESC);
  });

  test('timing goes to stderr; --quiet silences it', () => {
    const result = run(['doctor', 'lint', FIXTURE_DIR]);
    expect(result.stderr).toMatch(/^cdk8s-registries doctor: read \d+ files \(\d+ objects\) in \d+\.\d\d s\ncdk8s-registries doctor: checked \d+ objects in \d+\.\d\d s\n$/);
    expect(run(['doctor', 'lint', '--quiet', FIXTURE_DIR]).stderr).toBe('');
  });

  test('progress is drawn in place on a terminal stderr, and cleared', () => {
    const stderr = run(['doctor', 'lint', FIXTURE_DIR], { stderrTty: true }).stderr;
    expect(stderr).toMatch(/^\rcdk8s-registries doctor: reading 1\/\d+ files/);
    expect(stderr).toContain(`\r${ESC}2K`);
    expect(run(['doctor', 'lint', FIXTURE_DIR]).stderr).not.toContain('\r');
  });
});

describe('no secret material in any output', () => {
  const material = secretMaterial(FIXTURES);
  const outputs: Array<[string, Run]> = [
    ['lint text', run(['doctor', 'lint', FIXTURE_DIR], { stdoutTty: true, stderrTty: true })],
    ['lint json', run(['doctor', 'lint', '--format', 'json', FIXTURE_DIR])],
    ...['ghcr.io/acme/web:1', 'quay.io/acme/app:1', 'registry.acme.example/shop/api:2.1.0', 'nginx', 'acme/private-api:1.0'].flatMap(image =>
      ['team-a', 'team-b', 'team-c', 'team-d', 'team-k', 'ci', 'shop-prod', 'default', 'team-i', 'team-l'].flatMap(namespace => {
        const secrets = ['regcred', 'hub-regcred', 'regcred-file', 'regcred-opaque', 'internal-regcred', 'quay-regcred', 'edited-regcred',
          'raw-regcred', 'hub-creds', 'ghcr-lister', 'legacy-dockercfg', 'ci-pull', 'regcred-t2k8kgg7bt', 'tools-registry-creds', 'app-config', 'half-written'];
        return ['text', 'json'].map((format): [string, Run] => [`explain ${format} ${image} in ${namespace}`,
          run(['doctor', 'explain', '--format', format, '--image', image, '--namespace', namespace, '--pod-pull-secret', secrets.join(','), FIXTURE_DIR])]);
      })),
  ];

  test('the fixtures hold credentials to look for', () => {
    expect(material.length).toBeGreaterThan(30);
    expect(material).toEqual(expect.arrayContaining(['FAKE-ghcr-pat-7f3a9c', 'FAKE-broken-yaml-secret-91c3', 'FAKE-db-password-5b9e', 'FAKE-oauth-refresh-token-e6f2']));
  });

  test.each(outputs)('%s shows none of them', (_name, output) => {
    const text = output.stdout + output.stderr;
    expect(text.length).toBeGreaterThan(0);
    expect(material.filter(secret => text.includes(secret))).toEqual([]);
  });
});

describe('the command line as a child process', () => {
  const tsNode = path.join(ROOT, 'node_modules', '.bin', 'ts-node');

  test('npx ts-node src/cli/main.ts doctor lint: exit code, stdout and stderr', () => {
    const result = spawnSync(tsNode, ['-P', 'test/tsconfig.json', 'src/cli/main.ts', 'doctor', 'lint', '--format', 'json', `${FIXTURE_DIR}/openchoreo`],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.status).toBe(EXIT_FINDINGS);
    // 6 before issue 13, plus the five DataPlanes whose kubernetesCluster.credentials.clientKey is in plain text (item 1).
    expect(JSON.parse(result.stdout).summary).toEqual({ errors: 11, warnings: 1, suppressed: 0 });
    expect(result.stderr).toMatch(/cdk8s-registries doctor: read 8 files \(9 objects\)/);
  });

  test('the entry file starts with a node shebang, so npm can link it as a bin', () => {
    const firstLine = execFileSync('head', ['-n', '1', path.join(ROOT, 'src', 'cli', 'main.ts')], { encoding: 'utf8' });
    expect(firstLine).toBe('#!/usr/bin/env node\n');
  });
});
