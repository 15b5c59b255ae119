import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MittwaldReplicateTo } from '../../src/replication/namespace-selection';
import { DEFAULT_PROTECTED_NAMESPACES } from '../../src/replication/protected-namespaces';

/**
 * Conformance: which namespaces a `replicate-to` value reaches, decided by real Go `regexp` (the engine
 * mittwald/kubernetes-replicator v2.12.4 runs, see test/conformance/go/mittwald-regexp) and by the library's
 * `MittwaldReplicateTo` (re2js), over generated values × namespaces, on the copy path and the delete path, plus which
 * entries fail to compile. Needs the Debian package golang-go; skipped with a message without it, failed under CI.
 */

const GO_SOURCE = path.join(__dirname, 'go', 'mittwald-regexp', 'main.go');
const SEED = 0x6d77;
const VALUE_COUNT = 2000;

function findGo(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'go');
    if (dir !== '' && fs.existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

/** Park–Miller: a small seeded generator, so every run compares the same values. */
function random(seed: number): () => number {
  let state = (seed % 2147483646) + 1;
  return () => {
    state = (state * 48271) % 2147483647;
    return (state - 1) / 2147483646;
  };
}

/** Pieces of patterns: what users write, what globs look like, Go-only and invalid syntax, anchors and Unicode classes. */
const ATOMS = [
  'dp', 'dp-', 'a', 'b', 'kube', 'system', '-', '0', '9', 'cert', 'x', 'default', 'argocd',
  '.', '.*', '.+', '.?', '*', '+', '?', '[a-z]', '[^a-z]', '[0-9]', '[a-z0-9-]', '[-a]', '[^]a]', '[[:alpha:]]', '[[:^digit:]]',
  '\\d', '\\D', '\\w', '\\W', '\\s', '\\pL', '\\p{Ll}', '\\PL', '\\p{Greek}', '\\x{61}', '\\x2d', '\\141', '\\Qd-\\E',
  '\\.', '\\-', '\\b', '\\B', '\\A', '\\z', '\\Z', '\\C', '\\1', '\\k<n>',
  '^', '$', '|', '(', ')', '[', ']', '{', '}', '{2}', '{1,2}', '{2,}', '{0}', '{1001}', '*?', '+?', '**', '*+',
  '(dp|kube)', '(?:a|b)', '(?i)', '(?i)DP', '(?s).', '(?U)a+', '(?m)^', '(?P<n>dp)', '(?<n>dp)', '(?<n>', '(?P<1>a)',
  '(?!x)', '(?=a)', '(?<=a)', '(?>a)', '(?#c)', ' ', '\t', '\u0085', '\u00a0', '\ufeff', '\u3000',
];

function generateValues(count: number): string[] {
  const next = random(SEED);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const entry = () => Array.from({ length: 1 + Math.floor(next() * 5) }, () => pick(ATOMS)).join('');
  const values = new Set<string>(['', ',', 'dp-.*', 'dp-*', '.*', 'foo|bar', 'dp-[a-z]{1,3}', ' dp-.* ', '\u0085.*', '\ufeffdp-a',
    // Go's limits: repeat counts up to 1000, nesting up to 1000, program size.
    'a{1000}', 'a{1001}', '(?:a{100}){100}', '((a{100}){100}){100}', '(?:(?:(?:a{30}){30}){30})', `${'('.repeat(998)}dp${')'.repeat(998)}`,
    `${'('.repeat(1001)}dp${')'.repeat(1001)}`, `dp-${'a'.repeat(50_000)}`, `(?:${'[a-z]'.repeat(2000)})*`]);
  while (values.size < count) {
    values.add(Array.from({ length: 1 + Math.floor(next() * 3) }, entry).join(','));
  }
  return [...values];
}

function generateNamespaces(): string[] {
  const next = random(SEED + 1);
  const alphabet = 'abcdkpsy0-';
  const generated = Array.from({ length: 40 }, () => {
    const length = 1 + Math.floor(next() * 12);
    return Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  });
  return [...new Set([
    ...DEFAULT_PROTECTED_NAMESPACES, 'choreo-system', 'dp', 'dp-', 'dp-a', 'dp-a1', 'dp--', 'dp-acme-dev-f8e58905', 'x-kube-system',
    'kube-system-x', 'a', 'b', 'ab', '0', '9x', 'a-b-c', 'xbar', 'foobaz', 'greek', 'd'.repeat(63), ...generated,
  ])];
}

interface GoDecision {
  readonly invalid: string[];
  readonly create: string;
  readonly delete: string;
}

function buildGoProgram(goBinary: string, workDir: string): string {
  const binary = path.join(workDir, 'mittwald-regexp');
  execFileSync(goBinary, ['build', '-o', binary, GO_SOURCE], {
    cwd: workDir,
    env: {
      ...process.env,
      GOCACHE: path.join(workDir, 'cache'),
      GOPATH: path.join(workDir, 'gopath'),
      GOPROXY: 'off',
      GOTOOLCHAIN: 'local',
      GOFLAGS: '',
      CGO_ENABLED: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return binary;
}

function libraryDecision(value: string, namespaces: string[]): GoDecision {
  const parsed = MittwaldReplicateTo.parse(value);
  const bits = (decide: (namespace: string) => boolean) => namespaces.map(namespace => (decide(namespace) ? '1' : '0')).join('');
  return {
    invalid: parsed.invalidEntries,
    create: bits(namespace => parsed.matchesOnCreate(namespace)),
    delete: bits(namespace => parsed.matchesOnDelete(namespace)),
  };
}

const goBinary = findGo();
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

if (goBinary === undefined && !inCi) {
  // eslint-disable-next-line no-console
  console.log('SKIPPED test/conformance/mittwald-regexp.test.ts: no "go" on PATH. Install the Debian package golang-go '
    + '(apt-get install -y golang-go) to compare the library with real Go regexp. Under CI=true this test fails instead.');
}

describe('mittwald replicate-to matching: the library decides like Go regexp', () => {
  if (goBinary === undefined) {
    if (inCi) {
      test('go is installed', () => {
        throw new Error('CI is set but "go" is not on PATH: install the Debian package golang-go (scripts/conformance-setup.sh)');
      });
    } else {
      test.skip('needs "go" (Debian package golang-go)', () => undefined);
    }
    return;
  }

  test(`${VALUE_COUNT} generated values × every namespace, copy and delete paths, and the entries Go refuses`, () => {
    const started = Date.now();
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mittwald-regexp-'));
    try {
      const binary = buildGoProgram(goBinary, workDir);
      const values = generateValues(VALUE_COUNT);
      const namespaces = generateNamespaces();
      const output = execFileSync(binary, [], { input: JSON.stringify({ values, namespaces }), maxBuffer: 64 * 1024 * 1024 });
      const go: GoDecision[] = JSON.parse(output.toString('utf8'));
      expect(go).toHaveLength(values.length);

      const disagreements = values
        .map((value, index) => ({ value, go: go[index], library: libraryDecision(value, namespaces) }))
        .filter(row => JSON.stringify(row.go) !== JSON.stringify(row.library));
      const decisions = values.length * namespaces.length * 2;
      const invalidEntries = go.reduce((sum, row) => sum + row.invalid.length, 0);
      // eslint-disable-next-line no-console
      console.log(`mittwald conformance: ${values.length} values × ${namespaces.length} namespaces × 2 paths = ${decisions} decisions, `
        + `${invalidEntries} entries Go refuses, ${values.length - disagreements.length}/${values.length} values agree, `
        + `${Date.now() - started} ms (go build included)`);
      expect(disagreements.slice(0, 5)).toEqual([]);
      expect(values.filter((_, index) => go[index].invalid.length > 0).length).toBeGreaterThan(VALUE_COUNT / 10);
      expect(values.filter((_, index) => go[index].create.includes('1')).length).toBeGreaterThan(VALUE_COUNT / 10);
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }, 300_000);
});
