// TEST-ONLY: shared plumbing of the conformance suite (test/conformance): finding the real tools, skipping or failing
// when they are missing, and building the small Go helper once.
//
// Tools come from Debian packages installed by scripts/conformance-setup.sh. Without them a developer's run SKIPS
// the suite with a message; with CI=true a missing tool FAILS the suite, so CI can never pass without running it.
import { execFileSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SETUP = 'run `sudo bash scripts/conformance-setup.sh` (or `npx projen conformance`) to install them';

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter)
    .some(dir => dir !== '' && fs.existsSync(path.join(dir, tool)));
}

/** `describe`, `describe.skip` with a message, or a failing `describe` under CI, depending on the tools present. */
export function describeWithTools(title: string, tools: string[], body: () => void): void {
  const missing = tools.filter(tool => !onPath(tool));
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const message = `conformance "${title}" needs ${missing.join(', ')}; ${SETUP}`;
  if (process.env.CI === 'true') {
    describe(title, () => {
      test('has its tools (CI=true: a missing tool is a failure, not a skip)', () => {
        throw new Error(message);
      });
    });
    return;
  }
  // Straight to stderr: jest does not show console output of a suite whose tests are all skipped.
  process.stderr.write(`SKIPPED: ${message}\n`);
  describe.skip(title, body);
}

/** A cache directory for built helpers and Go's build cache, outside the repository. */
export function conformanceCacheDir(): string {
  const dir = path.join(os.tmpdir(), 'cdk8s-registries-conformance');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

const GO_SOURCES = path.join(__dirname, 'go');
const DEBIAN_GOPATH = '/usr/share/gocode';

/**
 * Builds `test/conformance/go/<name>` with Debian's Go and Debian's Go library packages, offline, and returns the
 * binary's path (reused while the source is unchanged).
 *
 * Debian installs Go libraries as GOPATH sources under /usr/share/gocode (no module proxy needed). Their import paths
 * with a major version suffix (`github.com/Masterminds/sprig/v3`, `.../semver/v3`) are not directories there, so a
 * private GOPATH entry maps each `/v3` path onto the Debian directory with a symlink.
 */
export function buildGoHelper(name: string): string {
  const source = path.join(GO_SOURCES, name);
  const hash = crypto.createHash('sha256');
  for (const file of fs.readdirSync(source).sort()) {
    hash.update(file).update(fs.readFileSync(path.join(source, file)));
  }
  const cache = conformanceCacheDir();
  const binary = path.join(cache, `${name}-${hash.digest('hex').slice(0, 16)}`);
  if (fs.existsSync(binary)) {
    return binary;
  }
  const gopath = path.join(cache, 'gopath');
  for (const module of ['github.com/Masterminds/sprig', 'github.com/Masterminds/semver']) {
    const link = path.join(gopath, 'src', module, 'v3');
    fs.mkdirSync(path.dirname(link), { recursive: true });
    try {
      fs.symlinkSync(path.join(DEBIAN_GOPATH, 'src', module), link);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') { // another jest worker made it first
        throw err;
      }
    }
  }
  const env = {
    ...process.env,
    GO111MODULE: 'off',
    GOPATH: `${gopath}${path.delimiter}${DEBIAN_GOPATH}`,
    GOCACHE: path.join(cache, 'gocache'),
    GOFLAGS: '',
    GOPROXY: 'off',
  };
  const temporary = `${binary}.${process.pid}.tmp`;
  execFileSync('go', ['build', '-o', temporary, '.'], { cwd: source, env, stdio: ['ignore', 'pipe', 'pipe'] });
  fs.renameSync(temporary, binary);
  return binary;
}

/** The Go `text/template` + sprig engines of the two controllers. */
export type GoEngine = 'external-secrets' | 'sealed-secrets';

/** One template to render with real Go. */
export interface GoRenderCase {
  readonly engine: GoEngine;
  readonly template: string;
  readonly data: { [key: string]: string };
}

/** Renders every case with the real Go helper in one process; each result is the output or Go's error. */
export function renderWithGo(binary: string, cases: GoRenderCase[]): Array<{ output: string; error?: string }> {
  const out = execFileSync(binary, [], { input: JSON.stringify(cases), maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(out.toString('utf8'));
}
