import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { ValidationError } from '../errors';
import { Finding, compareText } from './findings';
import { gitIgnoredFiles } from './git-ignore';
import { isKubeObject, KubeObject } from './kube-object';

/** One Kubernetes object found in a manifest file. */
export interface Manifest {
  /** The file, relative to the working directory, with `/` separators. */
  readonly file: string;
  /** The 1-based line where the object starts. */
  readonly line: number;
  readonly object: KubeObject;
  /** Whether the file is meant for Git: not ignored by git (files outside a git work tree count as meant for Git). */
  readonly forGit: boolean;
  /** The cluster, when the tree is laid out by cluster (`dist/<cluster>/…`): the folder under the cluster root. */
  readonly cluster?: string;
}

/** Everything read from the given paths. */
export interface ManifestSet {
  readonly manifests: Manifest[];
  /** How many files were read. */
  readonly fileCount: number;
  /** Files that did not parse and look like unrendered templates (`{{ … }}`); they are skipped, not reported. */
  readonly skippedTemplates: string[];
  /** YAML errors, as `yaml-invalid` findings. */
  readonly problems: Finding[];
  /** The clusters found, sorted; empty when the tree is one cluster. */
  readonly clusters?: string[];
}

/**
 * How folders map to clusters:
 * - `auto` (default): a directory given as a path is a cluster root when it is named `dist` (the layout the constructs
 *   document: one cdk8s App per cluster with `outdir: 'dist/<cluster>'`), holds sub-folders and no manifest directly;
 * - `folders`: every directory given is a cluster root: each of its sub-folders is one cluster;
 * - `none`: everything is one cluster.
 */
export type ClusterLayout = 'auto' | 'folders' | 'none';

/** Called while files are read: how many are done out of how many. */
export type ProgressListener = (done: number, total: number) => void;

/** Bounds that keep a hostile tree from exhausting memory or the stack; each breach is an `input-limit` finding. */
export interface InputLimits {
  /** Files larger than this are not read. */
  readonly maxFileBytes: number;
  /** Documents of one file after this many are not read. */
  readonly maxDocuments: number;
  /** YAML aliases one document may expand (a billion-laughs bomb expands millions). */
  readonly maxAliases: number;
  /** How deeply a document may nest maps and lists (Kubernetes objects, CRDs included, stay far below). */
  readonly maxDepth: number;
}

/** 16 MiB per file (a CRD bundle is a few MiB), 10,000 documents, 100 alias expansions (the YAML parser's own default), 256 levels. */
export const DEFAULT_LIMITS: InputLimits = { maxFileBytes: 16 * 1024 * 1024, maxDocuments: 10_000, maxAliases: 100, maxDepth: 256 };

export interface LoadOptions {
  /** The directory file names are shown relative to. */
  readonly cwd: string;
  readonly onProgress?: ProgressListener;
  /** @default DEFAULT_LIMITS */
  readonly limits?: InputLimits;
  /**
   * Follow symbolic links that lead out of the directory being walked (`x -> /etc`). Links inside it are followed
   * either way; a path given explicitly is always read.
   * @default false
   */
  readonly followSymlinks?: boolean;
  /** @default 'auto' */
  readonly clusters?: ClusterLayout;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_DIRECTORIES = new Set(['node_modules']);

/**
 * Reads every manifest under the paths: files are read as given; directories are walked recursively for `.yaml`,
 * `.yml` and `.json` files, skipping hidden entries (`.git`, `.github`, …) and `node_modules`, and symbolic links
 * that leave the directory. Multi-document files and `List` kinds (`v1/List`, `SecretList`, …) are expanded;
 * documents that are not objects with `apiVersion` and `kind` (Helm values, CI configs) are ignored. A file or a
 * document that cannot be read (YAML errors, limits) becomes a finding and the rest is read on.
 *
 * @throws ValidationError naming `PATH` when a path does not exist
 */
export function loadManifests(paths: string[], options: LoadOptions): ManifestSet {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const found = findManifestTree(paths, options.cwd, options.followSymlinks === true);
  const files = found.files;
  const ignored = gitIgnoredFiles(files);
  const manifests: Manifest[] = [];
  const problems: Finding[] = [
    ...found.skippedLinks.map(link => skippedLinkProblem(displayPath(link, options.cwd))),
    ...found.unreadable.map(({ directory, code }) => unreadableProblem(displayPath(directory, options.cwd), code)),
  ];
  const skippedTemplates: string[] = [];
  const roots = clusterRoots(paths, options.cwd, options.clusters ?? 'auto');
  const clusters = new Set<string>();
  files.forEach((file, index) => {
    const shown = displayPath(file, options.cwd);
    const parsed = readManifestFile(file, shown, !ignored.has(file), limits);
    const cluster = clusterOf(file, roots);
    if (cluster !== undefined) {
      clusters.add(cluster);
    }
    // One by one: a spread of a huge array overflows the argument stack.
    parsed.manifests.forEach(manifest => manifests.push(cluster === undefined ? manifest : { ...manifest, cluster }));
    parsed.problems.forEach(problem => problems.push(problem));
    if (parsed.template) {
      skippedTemplates.push(shown);
    }
    options.onProgress?.(index + 1, files.length);
  });
  return { manifests, fileCount: files.length, skippedTemplates, problems, clusters: [...clusters].sort(compareText) };
}

// The real paths of the directories whose sub-folders are clusters.
function clusterRoots(paths: string[], cwd: string, layout: ClusterLayout): string[] {
  if (layout === 'none') {
    return [];
  }
  return paths.map(given => path.resolve(cwd, given))
    .filter(absolute => fs.statSync(absolute).isDirectory())
    .filter(directory => layout === 'folders' || looksLikeClusterOutput(directory))
    .map(directory => fs.realpathSync(directory));
}

function looksLikeClusterOutput(directory: string): boolean {
  if (path.basename(directory) !== 'dist') {
    return false;
  }
  const entries = fs.readdirSync(directory, { withFileTypes: true }).filter(entry => !entry.name.startsWith('.'));
  return entries.some(entry => entry.isDirectory())
    && !entries.some(entry => entry.isFile() && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase()));
}

// The first folder below a cluster root; files directly in a root belong to no cluster.
function clusterOf(file: string, roots: string[]): string | undefined {
  const real = realOrUndefined(file) ?? file;
  for (const root of roots) {
    if (isInside(real, root)) {
      const parts = path.relative(root, real).split(path.sep);
      return parts.length > 1 ? parts[0] : undefined;
    }
  }
  return undefined;
}

function readManifestFile(file: string, shown: string, forGit: boolean, limits: InputLimits): ParsedFile {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > limits.maxFileBytes) {
      return fileProblem(limitProblem(shown, 1, `the file is ${megabytes(size)}, over the limit of ${megabytes(limits.maxFileBytes)}; the doctor did not read it`,
        'split the file, or raise the limit with --max-file-size if it really holds manifests'));
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return fileProblem(unreadableProblem(shown, (e as NodeJS.ErrnoException).code));
  }
  return parseManifestText(text, shown, forGit, limits);
}

function unreadableProblem(shown: string, code: string | undefined): Finding {
  return {
    rule: 'input-skipped',
    severity: 'error',
    file: shown,
    line: 1,
    message: `it cannot be read (${code ?? 'read error'}); the doctor skipped it`,
    fix: 'make it readable, or leave it out of the paths given',
  };
}

function fileProblem(problem: Finding): ParsedFile {
  return { manifests: [], problems: [problem], template: false };
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** The absolute paths of the manifest files under `paths`, sorted, each once. */
export function findManifestFiles(paths: string[], cwd: string, followSymlinks = false): string[] {
  return findManifestTree(paths, cwd, followSymlinks).files;
}

interface ManifestTree {
  readonly files: string[];
  /** Symbolic links that lead out of the walked directory and were not followed. */
  readonly skippedLinks: string[];
  /** Directories that could not be listed, with the error code. */
  readonly unreadable: Unreadable[];
}

interface Unreadable {
  readonly directory: string;
  readonly code?: string;
}

function findManifestTree(paths: string[], cwd: string, followSymlinks: boolean): ManifestTree {
  const files = new Set<string>();
  const skippedLinks: string[] = [];
  const unreadable: Unreadable[] = [];
  const visitedDirectories = new Set<string>();
  for (const given of paths) {
    const absolute = path.resolve(cwd, given);
    if (!fs.existsSync(absolute)) {
      throw new ValidationError({
        property: 'PATH',
        value: given,
        problem: 'does not exist',
        fix: 'give files or directories of Kubernetes manifests, e.g. "dist/"',
      });
    }
    if (fs.statSync(absolute).isDirectory()) {
      const root = fs.realpathSync(absolute);
      walkDirectory(absolute, { root, followSymlinks, files, skippedLinks, unreadable, visited: visitedDirectories });
    } else {
      files.add(absolute);
    }
  }
  const sorted = (list: string[]) => [...new Set(list)].sort(compareText);
  const byDirectory = (a: Unreadable, b: Unreadable) => compareText(a.directory, b.directory);
  return { files: sorted([...files]), skippedLinks: sorted(skippedLinks), unreadable: unreadable.sort(byDirectory) };
}

interface Walk {
  /** The real path of the directory given. */
  readonly root: string;
  readonly followSymlinks: boolean;
  readonly files: Set<string>;
  readonly skippedLinks: string[];
  readonly unreadable: Unreadable[];
  readonly visited: Set<string>;
}

function walkDirectory(directory: string, walk: Walk): void {
  const real = fs.realpathSync(directory);
  if (walk.visited.has(real)) {
    return;
  }
  walk.visited.add(real);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(directory, { withFileTypes: true });
  } catch (e) {
    walk.unreadable.push({ directory, code: (e as NodeJS.ErrnoException).code });
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) {
      continue;
    }
    const full = path.join(directory, entry.name);
    const stat = entry.isSymbolicLink() ? statOrUndefined(full) : entry;
    const isManifest = stat?.isFile() && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase());
    if (entry.isSymbolicLink() && (stat?.isDirectory() || isManifest) && !walk.followSymlinks && !isInside(realOrUndefined(full), walk.root)) {
      walk.skippedLinks.push(full);
      continue;
    }
    if (stat?.isDirectory()) {
      walkDirectory(full, walk);
    } else if (isManifest) {
      walk.files.add(full);
    }
  }
}

function isInside(file: string | undefined, root: string): boolean {
  return file !== undefined && (file === root || file.startsWith(root.endsWith(path.sep) ? root : `${root}${path.sep}`));
}

function realOrUndefined(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

// A dangling symbolic link is skipped like any other non-manifest entry.
function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

function skippedLinkProblem(shown: string): Finding {
  return {
    rule: 'input-skipped',
    severity: 'warning',
    file: shown,
    line: 1,
    message: 'the symbolic link leads out of the directory being checked; the doctor did not follow it',
    fix: 'pass the target directory explicitly, or --follow-symlinks if the link is meant to be part of the tree',
  };
}

function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  const shown = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
  return shown.split(path.sep).join('/');
}

interface ParsedFile {
  readonly manifests: Manifest[];
  readonly problems: Finding[];
  readonly template: boolean;
}

/**
 * Parses one file's text, document by document (each document's syntax tree is dropped once its objects are taken);
 * exported for tests that feed text directly. A document that breaks a limit becomes a finding; the others are kept.
 */
export function parseManifestText(text: string, file: string, forGit: boolean, limits: InputLimits = DEFAULT_LIMITS): ParsedFile {
  const lineCounter = new YAML.LineCounter();
  const line = (offset: number | undefined) => lineCounter.linePos(offset ?? 0).line;
  const manifests: Manifest[] = [];
  const problems: Finding[] = [];
  let broken = false;
  let count = 0;
  try {
    const composer = new YAML.Composer();
    for (const document of composer.compose(new YAML.Parser(lineCounter.addNewLine).parse(text))) {
      if (++count > limits.maxDocuments) {
        problems.push(limitProblem(file, line(document.range[0]), `the file has more than ${limits.maxDocuments} documents; the doctor read the first ${limits.maxDocuments}`,
          'split the file (kubectl and Argo CD handle many files better than one huge one)'));
        break;
      }
      if (document.errors.length > 0) {
        broken = true;
        problems.push(yamlProblem(document.errors[0], file, lineCounter));
        continue;
      }
      const value = documentValue(document, limits, file, line(document.range[0]));
      if ('problem' in value) {
        problems.push(value.problem);
        continue;
      }
      for (const found of expandLists(value.value, document.contents)) {
        manifests.push({ file, line: line(found.node?.range?.[0]), object: found.object, forGit });
      }
    }
  } catch (e) {
    // The parser recurses into nested collections: a document nested tens of thousands deep overflows the stack.
    problems.push(limitProblem(file, 1, `the YAML cannot be read to the end (${describeFailure(e)}); the doctor kept the documents before it`,
      'check the file with "kubectl apply --dry-run=client -f <file>"; generated manifests never nest this deeply'));
  }
  if (broken && text.includes('{{')) {
    return { manifests: [], problems: problems.filter(problem => problem.rule !== 'yaml-invalid'), template: true };
  }
  return { manifests, problems, template: false };
}

// The document's value, or a finding when it expands too many aliases or nests too deeply for the checks after it.
function documentValue(document: YAML.Document.Parsed, limits: InputLimits, file: string, line: number): { value: unknown } | { problem: Finding } {
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: limits.maxAliases });
  } catch (e) {
    const aliases = /alias/i.test((e as Error)?.message ?? '');
    return {
      problem: limitProblem(file, line, aliases
        ? `the document expands YAML aliases more than ${limits.maxAliases} times (a "billion laughs" bomb); the doctor skipped it`
        : `the document cannot be converted (${describeFailure(e)}); the doctor skipped it`,
      aliases ? 'write the values out instead of nesting aliases; kubectl and Argo CD reject such documents too' : 'check the document with "kubectl apply --dry-run=client -f <file>"'),
    };
  }
  if (depthExceeds(value, limits.maxDepth)) {
    return {
      problem: limitProblem(file, line, `the document nests maps and lists more than ${limits.maxDepth} levels deep; the doctor skipped it`,
        'no Kubernetes object nests this deeply; check how the file was generated'),
    };
  }
  return { value };
}

/** Whether a parsed value nests deeper than `limit`, checked without recursion. */
export function depthExceeds(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') {
      continue;
    }
    if (depth >= limit) {
      return true;
    }
    for (const child of Object.values(item as object)) {
      stack.push([child, depth + 1]);
    }
  }
  return false;
}

function describeFailure(e: unknown): string {
  return e instanceof RangeError ? 'nested too deeply' : 'the parser gave up';
}

function limitProblem(file: string, line: number, message: string, fix: string): Finding {
  return { rule: 'input-limit', severity: 'error', file, line, message, fix };
}

interface FoundObject {
  readonly object: KubeObject;
  readonly node: YAML.Node | null | undefined;
}

// A List's items are the objects; a List of Lists is flattened the same way.
function expandLists(value: unknown, node: YAML.Node | null | undefined): FoundObject[] {
  if (!isKubeObject(value)) {
    return [];
  }
  const items = value.items;
  if (!value.kind.endsWith('List') || !Array.isArray(items)) {
    return [{ object: value, node }];
  }
  const itemsNode = YAML.isMap(node) ? node.get('items', true) : undefined;
  const itemNodes = YAML.isSeq(itemsNode) ? itemsNode.items : [];
  return items.flatMap((item, index) => {
    const itemNode = itemNodes[index];
    return expandLists(item, YAML.isNode(itemNode) ? itemNode : node);
  });
}

// The parser's own message quotes the offending source text, which may be a credential: only the error code and the
// position are reported.
function yamlProblem(error: YAML.YAMLError, file: string, lineCounter: YAML.LineCounter): Finding {
  const position = error.pos[0] >= 0 ? lineCounter.linePos(error.pos[0]) : undefined;
  const where = position ? ` at line ${position.line}, column ${position.col}` : '';
  return {
    rule: 'yaml-invalid',
    severity: 'error',
    file,
    line: position?.line ?? 1,
    message: `the YAML does not parse (${error.code.toLowerCase().replace(/_/g, ' ')}${where}); kubectl and Argo CD `
      + 'reject the file, and the doctor skipped this document',
    fix: 'fix the YAML syntax (indentation, quoting, unique keys), e.g. check it with "kubectl apply --dry-run=client -f <file>"',
  };
}
