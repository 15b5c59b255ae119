#!/usr/bin/env node
import { parseArgs } from 'util';
import { explainPull } from '../doctor/explain';
import { isRuleId, RULES } from '../doctor/findings';
import { Inventory } from '../doctor/inventory';
import { lintManifests } from '../doctor/lint';
import { DEFAULT_LIMITS, loadManifests, ManifestSet } from '../doctor/manifests';
import { printable, renderExplainJson, renderExplainText, renderLintJson, renderLintText, renderRules, styleFor } from '../doctor/render';
import { ValidationError } from '../errors';
import { KubernetesNames } from '../names';

/** Where the command line writes and what it reads from its environment; tests pass their own. */
export interface CliIo {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: { readonly [name: string]: string | undefined };
  readonly cwd: string;
  /** Milliseconds, for timing. */
  readonly now: () => number;
}

export interface Output {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/** Exit codes: 0 fine, 1 findings (lint) or no covering credential (explain), 2 bad usage or unreadable input. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const USAGE = `Usage: cdk8s-registries doctor <command> [options] PATH...

Reads Kubernetes manifests (files or directories: .yaml, .yml, .json; multi-document files and List kinds;
hidden entries and node_modules skipped) and explains or checks image pull credentials.

Commands:
  lint PATH...        Report pull-credential problems: file, object, rule, severity and fix.
                      Exit 1 on errors (and on warnings with --strict).
  explain PATH...     Which credential the kubelet tries for an image in a namespace, and where it comes
                      from, or why none matches. Exit 0 when a credential matches, 1 otherwise.
      --image IMAGE               the image, e.g. nginx:1.25 or ghcr.io/acme/app:1.0 (required)
      --namespace NS              the pod's namespace (required)
      --service-account SA        the pod's service account (default: default)
      --pod-pull-secret NAME      the pod's own imagePullSecrets, in order (repeatable)
      --cluster NAME              with a dist/<cluster>/ layout: the cluster of the pod (required when there are several)
  rules               List the lint rules.

Options:
  --format text|json          output format (default: text); json is documented in the doctor README
  --default-namespace NS      namespace of objects whose manifest names none (default: default)
  --ignore RULE[,RULE]        lint: skip these rules (repeatable); objects can also carry the annotation
                              cdk8s-registries/doctor-ignore: "RULE,RULE"
  --strict                    lint: warnings fail too
  --max-file-size MIB         files larger than this are reported (input-limit), not read (default: 16)
  --follow-symlinks           follow symbolic links that lead out of the directories given (default: stay inside)
  --clusters auto|folders|none
                              folders as clusters: "folders" makes each sub-folder of a directory given one cluster,
                              "auto" (default) does so for a directory named dist/ that holds only folders, "none" never;
                              lint and explain then reason within one cluster
  --quiet                     no progress or timing on stderr
  -h, --help                  this help

Colour is used only when stdout is a terminal and NO_COLOR is unset. Secret values are never printed.
`;

const OPTIONS = {
  'format': { type: 'string' },
  'default-namespace': { type: 'string' },
  'ignore': { type: 'string', multiple: true },
  'strict': { type: 'boolean' },
  'max-file-size': { type: 'string' },
  'follow-symlinks': { type: 'boolean' },
  'clusters': { type: 'string' },
  'cluster': { type: 'string' },
  'quiet': { type: 'boolean' },
  'image': { type: 'string' },
  'namespace': { type: 'string' },
  'service-account': { type: 'string' },
  'pod-pull-secret': { type: 'string', multiple: true },
  'help': { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArguments>['values'];

function parseArguments(args: string[]) {
  return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
}

const PROCESS_IO: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  now: () => performance.now(),
};

/**
 * Runs `cdk8s-registries doctor …` and returns the exit code.
 *
 * @param argv the arguments after the program name, e.g. `['doctor', 'lint', 'dist/']`
 */
export function main(argv: string[], io: CliIo = PROCESS_IO): number {
  try {
    return run(argv, io);
  } catch (e) {
    const message = e instanceof ValidationError || isArgumentError(e) ? (e as Error).message : `unexpected failure: ${(e as Error).message}`;
    io.stderr.write(`cdk8s-registries doctor: ${printable(message)}\n`);
    return EXIT_USAGE;
  }
}

function isArgumentError(e: unknown): boolean {
  return typeof (e as { code?: unknown })?.code === 'string' && (e as { code: string }).code.startsWith('ERR_PARSE_ARGS');
}

function run(argv: string[], io: CliIo): number {
  const { values, positionals } = parseArguments(argv);
  const [program, command, ...paths] = positionals;
  if (values.help || program === undefined) {
    io.stdout.write(USAGE);
    return values.help ? EXIT_OK : EXIT_USAGE;
  }
  if (program !== 'doctor' || !['lint', 'explain', 'rules'].includes(command ?? '')) {
    throw usageError('command', [program, command].filter(Boolean).join(' '), 'is not a doctor command', 'run "cdk8s-registries doctor lint PATH...", "doctor explain ..." or "doctor rules"');
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw usageError('--format', format, 'must be "text" or "json"', 'pass --format text or --format json');
  }
  if (command === 'rules') {
    io.stdout.write(format === 'json' ? `${JSON.stringify(RULES, undefined, 2)}\n` : renderRules(RULES));
    return EXIT_OK;
  }
  if (paths.length === 0) {
    throw usageError('PATH', undefined, 'is missing', `give the manifests to read, e.g. "cdk8s-registries doctor ${command} dist/"`);
  }
  return command === 'lint' ? lint(paths, values, format, io) : explain(paths, values, format, io);
}

function lint(paths: string[], values: Values, format: string, io: CliIo): number {
  const ignore = (values.ignore ?? []).flatMap(value => value.split(',')).map(rule => rule.trim()).filter(rule => rule !== '');
  const unknown = ignore.find(rule => !isRuleId(rule));
  if (unknown !== undefined) {
    throw usageError('--ignore', unknown, 'is not a rule id', 'run "cdk8s-registries doctor rules" to list them');
  }
  const { set, inventory } = read(paths, values, io);
  const started = io.now();
  const result = lintManifests(set, inventory, { ignore });
  reportTiming(io, values, `checked ${set.manifests.length} objects in ${seconds(io.now() - started)}`);
  const scan = { files: set.fileCount, objects: set.manifests.length, skippedTemplates: set.skippedTemplates, clusters: set.clusters };
  io.stdout.write(format === 'json' ? renderLintJson(result, scan) : renderLintText(result, scan, styleFor(useColor(io))));
  const failed = result.errors > 0 || (values.strict === true && result.warnings > 0);
  return failed ? EXIT_FINDINGS : EXIT_OK;
}

function explain(paths: string[], values: Values, format: string, io: CliIo): number {
  const image = required(values.image, '--image', 'the image the pod pulls, e.g. --image ghcr.io/acme/app:1.0');
  const namespace = required(values.namespace, '--namespace', 'the pod\'s namespace, e.g. --namespace team-a');
  const serviceAccount = values['service-account'] || 'default';
  const podPullSecrets = (values['pod-pull-secret'] ?? []).flatMap(value => value.split(',')).map(name => name.trim()).filter(name => name !== '');
  KubernetesNames.validateDns1123Label(namespace, '--namespace');
  KubernetesNames.validateDns1123Subdomain(serviceAccount, '--service-account');
  podPullSecrets.forEach(name => KubernetesNames.validateDns1123Subdomain(name, '--pod-pull-secret'));
  const { set, inventory } = read(paths, values, io);
  const cluster = chosenCluster(set, values.cluster);
  const clusterInventory = cluster === undefined ? inventory
    : new Inventory(set.manifests.filter(manifest => (manifest.cluster ?? '') === cluster), { defaultNamespace: inventory.defaultNamespace });
  const report = explainPull(clusterInventory, image, { namespace, serviceAccount, podPullSecrets }, cluster);
  io.stdout.write(format === 'json' ? renderExplainJson(report) : renderExplainText(report, styleFor(useColor(io))));
  return report.verdict === 'covered' ? EXIT_OK : EXIT_FINDINGS;
}

// With a cluster layout the pod's cluster must be named (candidates and copies are per cluster), unless there is one.
function chosenCluster(set: ManifestSet, given: string | undefined): string | undefined {
  const clusters = set.clusters ?? [];
  if (clusters.length === 0) {
    if (given !== undefined) {
      throw usageError('--cluster', given, 'was given, but the manifests are not laid out by cluster', 'leave out --cluster, or pass --clusters folders to read sub-folders as clusters');
    }
    return undefined;
  }
  if (given === undefined && clusters.length === 1) {
    return clusters[0];
  }
  if (given === undefined || !clusters.includes(given)) {
    throw usageError('--cluster', given, given === undefined ? 'is required: the manifests hold several clusters' : 'is not one of the clusters found',
      `pass one of ${clusters.map(cluster => `--cluster ${cluster}`).join(', ')}`);
  }
  return given;
}

function required(value: string | undefined, option: string, fix: string): string {
  if (value === undefined || value === '') {
    throw usageError(option, undefined, 'is required', `pass ${fix}`);
  }
  return value;
}

function read(paths: string[], values: Values, io: CliIo): { set: ManifestSet; inventory: Inventory } {
  const started = io.now();
  const progress = progressReporter(io, values);
  const defaultNamespace = values['default-namespace'] || 'default';
  KubernetesNames.validateDns1123Label(defaultNamespace, '--default-namespace');
  const limits = { ...DEFAULT_LIMITS, maxFileBytes: maxFileBytes(values['max-file-size']) };
  const clusters = values.clusters ?? 'auto';
  if (clusters !== 'auto' && clusters !== 'folders' && clusters !== 'none') {
    throw usageError('--clusters', clusters, 'must be "auto", "folders" or "none"', 'pass e.g. --clusters folders for a dist/<cluster>/ layout');
  }
  const set = loadManifests(paths, { cwd: io.cwd, onProgress: progress.update, limits, followSymlinks: values['follow-symlinks'] === true, clusters });
  progress.done();
  const inventory = new Inventory(set.manifests, { defaultNamespace });
  reportTiming(io, values, `read ${set.fileCount} files (${set.manifests.length} objects) in ${seconds(io.now() - started)}`);
  return { set, inventory };
}

function maxFileBytes(value: string | undefined): number {
  if (value === undefined) {
    return DEFAULT_LIMITS.maxFileBytes;
  }
  const mebibytes = Number(value);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(value) || !(mebibytes > 0) || mebibytes > 4096) {
    throw usageError('--max-file-size', value, 'must be a size in MiB between 0 and 4096', 'pass e.g. --max-file-size 64');
  }
  return Math.floor(mebibytes * 1024 * 1024);
}

const PROGRESS_INTERVAL_MS = 200;

// Progress is redrawn in place on a terminal, at most every 200 ms; logs (no terminal) get only the timing lines.
function progressReporter(io: CliIo, values: Values): { update: (done: number, total: number) => void; done: () => void } {
  if (values.quiet || io.stderr.isTTY !== true) {
    return { update: () => undefined, done: () => undefined };
  }
  let last = -Infinity;
  let shown = false;
  return {
    update: (done, total) => {
      const now = io.now();
      if (now - last >= PROGRESS_INTERVAL_MS) {
        io.stderr.write(`\rcdk8s-registries doctor: reading ${done}/${total} files`);
        last = now;
        shown = true;
      }
    },
    done: () => {
      if (shown) {
        io.stderr.write('\r\u001b[2K');
      }
    },
  };
}

function reportTiming(io: CliIo, values: Values, text: string): void {
  if (!values.quiet) {
    io.stderr.write(`cdk8s-registries doctor: ${text}\n`);
  }
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(2)} s`;
}

// https://no-color.org: any non-empty NO_COLOR turns colour off.
function useColor(io: CliIo): boolean {
  return io.stdout.isTTY === true && !io.env.NO_COLOR;
}

function usageError(property: string, value: string | undefined, problem: string, fix: string): ValidationError {
  return new ValidationError({ property, value, problem, fix });
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
