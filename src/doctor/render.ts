import { ExplainReport, describeSource, PullSecretReport } from './explain';
import { Finding, RuleInfo } from './findings';
import { describeRef } from './kube-object';
import { LintResult } from './lint';

/** The version of the `--format json` shapes; bumped only when a field changes meaning or disappears. */
export const JSON_FORMAT_VERSION = 1;

// C0 and C1 controls (ESC starts terminal sequences; U+009B is an 8-bit CSI), DEL, and bidirectional overrides that
// reorder what the reader sees. Line breaks inside a value are shown escaped too: each finding is one line.
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

// What JSON.stringify leaves raw inside strings (it escapes C0 itself; structural line breaks must stay).
const UNPRINTABLE_IN_JSON = /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** Text from manifests made safe for a terminal: control and bidi characters become visible `\u{…}` escapes. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, char => `\\u{${char.codePointAt(0)!.toString(16)}}`);
}

/** Every string in a value passed through `printable`, for text output. */
export function printableDeep<T>(value: T): T {
  if (typeof value === 'string') {
    return printable(value) as unknown as T;
  }
  if (Array.isArray(value)) {
    return value.map(item => printableDeep(item)) as unknown as T;
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [printable(key), printableDeep(item)])) as T;
  }
  return value;
}

/** ANSI styling, or none. */
export interface Style {
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly green: (text: string) => string;
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
}

const PLAIN = (text: string) => text;

export function styleFor(color: boolean): Style {
  const ansi = (open: number, close: number) => (color ? (text: string) => `\u001b[${open}m${text}\u001b[${close}m` : PLAIN);
  return { red: ansi(31, 39), yellow: ansi(33, 39), green: ansi(32, 39), bold: ansi(1, 22), dim: ansi(2, 22) };
}

/** What was read, for the summary lines. */
export interface ScanSummary {
  readonly files: number;
  readonly objects: number;
  readonly skippedTemplates: string[];
  /** The clusters (folders of a `dist/<cluster>/` layout); empty for one tree. */
  readonly clusters?: string[];
}

// -------------------------------------------------------------------------------------------------------------------
// lint

/** `doctor lint` as text: findings grouped by file and object, then a summary line. */
export function renderLintText(unsafe: LintResult, unsafeScan: ScanSummary, style: Style): string {
  const result = printableDeep(unsafe);
  const scan = printableDeep(unsafeScan);
  const lines: string[] = [];
  let heading = '';
  for (const finding of result.findings) {
    const next = `${finding.file}:${finding.line}${finding.object ? `  ${describeRef(finding.object)}` : ''}`;
    if (next !== heading) {
      lines.push(...(heading ? [''] : []), style.bold(next));
      heading = next;
    }
    const severity = finding.severity === 'error' ? style.red('error  ') : style.yellow('warning');
    lines.push(`  ${severity}  ${finding.rule}: ${finding.message}`, style.dim(`           fix: ${finding.fix}`));
  }
  if (lines.length > 0) {
    lines.push('');
  }
  lines.push(lintSummary(result, scan, style));
  return `${lines.join('\n')}\n`;
}

function lintSummary(result: LintResult, scan: ScanSummary, style: Style): string {
  const scanned = `${scan.files} file${plural(scan.files)}, ${scan.objects} object${plural(scan.objects)}`;
  const extras = [
    ...(scan.skippedTemplates.length > 0 ? [`${scan.skippedTemplates.length} unrendered template${plural(scan.skippedTemplates.length)} skipped`] : []),
    ...(result.suppressed > 0 ? [`${result.suppressed} finding${plural(result.suppressed)} ignored`] : []),
    ...((scan.clusters ?? []).length > 0 ? [`clusters ${scan.clusters!.map(cluster => `"${cluster}"`).join(', ')} checked one by one`] : []),
  ];
  const tail = extras.length > 0 ? `; ${extras.join(', ')}` : '';
  if (result.findings.length === 0) {
    return style.green(`no problems found (${scanned}${tail})`);
  }
  const counts = `${result.errors} error${plural(result.errors)}, ${result.warnings} warning${plural(result.warnings)}`;
  return (result.errors > 0 ? style.red : style.yellow)(`${counts} (${scanned}${tail})`);
}

function plural(count: number): string {
  return count === 1 ? '' : 's';
}

/**
 * `doctor lint --format json`, version 1:
 * `{version, command: "lint", files, objects, skippedTemplates[], summary: {errors, warnings, suppressed},
 * findings: [{rule, severity, file, line, object: {apiVersion, kind, namespace, name} | null, message, fix}], clusters[]}`
 * `clusters[]` is added for a dist/<cluster>/ layout only;
 * absent values are `null`.
 */
export function renderLintJson(result: LintResult, scan: ScanSummary): string {
  return toJson({
    version: JSON_FORMAT_VERSION,
    command: 'lint',
    files: scan.files,
    objects: scan.objects,
    skippedTemplates: scan.skippedTemplates,
    summary: { errors: result.errors, warnings: result.warnings, suppressed: result.suppressed },
    findings: result.findings.map(findingJson),
    // Added in issue 13, present only for a dist/<cluster>/ layout: the version 1 shape is otherwise unchanged.
    ...((scan.clusters ?? []).length > 0 ? { clusters: scan.clusters } : {}),
  });
}

function findingJson(finding: Finding): object {
  const object = finding.object;
  return {
    rule: finding.rule,
    severity: finding.severity,
    file: finding.file,
    line: finding.line,
    object: object ? { apiVersion: object.apiVersion, kind: object.kind, namespace: object.namespace, name: object.name } : null,
    message: finding.message,
    fix: finding.fix,
  };
}

// Absent fields become null, so every documented field is always present. JSON.stringify escapes C0 controls; C1
// controls and bidi overrides are escaped as well, so that printing the JSON on a terminal is safe too.
function toJson(value: object): string {
  const json = JSON.stringify(value, (_key, item) => (item === undefined ? null : item), 2);
  return `${json.replace(UNPRINTABLE_IN_JSON, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

// -------------------------------------------------------------------------------------------------------------------
// explain

/** `doctor explain --format json`, version 1: `{version, command: "explain", ...ExplainReport}`. */
export function renderExplainJson(report: ExplainReport): string {
  // Fields added after version 1 was published appear only when they say something, so the shape is unchanged otherwise.
  const pullSecrets = report.pullSecrets.map(({ keysFromSplit, ...secret }) => (keysFromSplit ? { ...secret, keysFromSplit } : secret));
  const { cluster, ...rest } = report;
  return toJson({ version: JSON_FORMAT_VERSION, command: 'explain', ...rest, pullSecrets, ...(cluster !== undefined ? { cluster } : {}) });
}

/** `doctor explain` as text. */
export function renderExplainText(unsafe: ExplainReport, style: Style): string {
  const report = printableDeep(unsafe);
  const lines = [
    `${style.bold('Image')}         ${report.image} (the kubelet looks up "${report.repository}")`,
    `${style.bold('Namespace')}     ${report.namespace}${report.cluster !== undefined ? ` (cluster "${report.cluster}")` : ''}`,
    `${style.bold('Pull secrets')}  ${originText(report)}`,
    ...report.pullSecrets.flatMap((secret, index) => pullSecretLines(secret, index)),
    `${style.bold('Kubelet order')}${report.credentials.length === 0 ? ' no credential matches' : ''}`,
    ...report.credentials.map((credential, index) => `  ${index + 1}. "${credential.secret}" key "${credential.key}" (pattern "${credential.pattern}"`
      + `${credential.viaDockerHubFallback ? ', Docker Hub fallback' : ''}${credential.keyOnly ? ', key known, credential not in the manifests' : ''})`),
    `${style.bold('Verdict')}       ${verdictStyle(report, style)(report.verdict)}: ${report.summary}`,
    ...(report.nearestMiss ? [`${style.bold('Fix')}           ${report.nearestMiss.fix}`] : []),
    ...unattachedLines(report, style),
  ];
  return `${lines.join('\n')}\n`;
}

/** How many matching Secrets elsewhere the text lists; the JSON lists all. */
const UNATTACHED_SHOWN = 5;

// Secrets in the pod's namespace come first: attaching one is the smallest fix.
function unattachedLines(report: ExplainReport, style: Style): string[] {
  const near = (match: ExplainReport['unattachedMatches'][number]) => match.inNamespace || match.replicatedBy !== undefined;
  const ordered = [...report.unattachedMatches.filter(near), ...report.unattachedMatches.filter(match => !near(match))];
  const lines = ordered.slice(0, UNATTACHED_SHOWN).map(match => `${style.bold('Elsewhere')}     ${describeRef(match.secret)} (${match.file}) has the matching key "${match.key}": `
    + (match.inNamespace ? 'add it to the pod\'s imagePullSecrets (or the service account\'s)'
      : match.replicatedBy !== undefined
        ? `it is already copied into "${report.namespace}" by ${match.replicatedBy}, so the pod would use that copy: add "${match.secret.name}" to the pod's imagePullSecrets (or the service account's)`
        : `replicate it into "${report.namespace}", then attach it`));
  const more = ordered.length - UNATTACHED_SHOWN;
  return more > 0 ? [...lines, `              … and ${more} more (--format json lists them all)`] : lines;
}

function originText(report: ExplainReport): string {
  const account = `service account "${report.serviceAccount}"`;
  switch (report.pullSecretsFrom) {
    case 'pod':
      return `the pod's own imagePullSecrets (${account} adds none when the pod lists some)`;
    case 'service-account':
      return `the imagePullSecrets of ${account}, since the pod lists none`;
    default:
      return report.serviceAccountFound
        ? `none: the pod lists no imagePullSecrets and ${account} has none`
        : `none found: the pod lists no imagePullSecrets and ${account} is not in the manifests`;
  }
}

function pullSecretLines(secret: PullSecretReport, index: number): string[] {
  const keys = secret.registries.length > 0 ? `keys ${secret.registries.map(key => `"${key}"`).join(', ')} (from ${secret.basis})` : '';
  const status = secret.status === 'known' || secret.status === 'registries' ? keys : `${secret.status}${keys ? `, ${keys}` : ''}`;
  return [
    `  ${index + 1}. "${secret.name}": ${status}`,
    ...secret.sources.map(source => `       from ${describeSource(source)}`),
    ...(secret.dataFrom ? [`       data from ${describeSource(secret.dataFrom)}`] : []),
    ...(secret.problem ? [`       ${secret.problem}`] : []),
    ...secret.notes.map(note => `       note: ${note}`),
  ];
}

function verdictStyle(report: ExplainReport, style: Style): (text: string) => string {
  if (report.verdict === 'covered') {
    return style.green;
  }
  return report.verdict === 'not-covered' ? style.red : style.yellow;
}

// -------------------------------------------------------------------------------------------------------------------
// rules

/** `doctor rules`: one line per rule. */
export function renderRules(rules: RuleInfo[]): string {
  const width = Math.max(...rules.map(rule => rule.id.length));
  return `${rules.map(rule => `${rule.id.padEnd(width)}  ${rule.severity.padEnd(13)}  ${rule.summary}`).join('\n')}\n`;
}
