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
}

/** Called while files are read: how many are done out of how many. */
export type ProgressListener = (done: number, total: number) => void;

export interface LoadOptions {
  /** The directory file names are shown relative to. */
  readonly cwd: string;
  readonly onProgress?: ProgressListener;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_DIRECTORIES = new Set(['node_modules']);

/**
 * Reads every manifest under the paths: files are read as given; directories are walked recursively for `.yaml`,
 * `.yml` and `.json` files, skipping hidden entries (`.git`, `.github`, …) and `node_modules`. Multi-document files
 * and `List` kinds (`v1/List`, `SecretList`, …) are expanded; documents that are not objects with `apiVersion` and
 * `kind` (Helm values, CI configs) are ignored.
 *
 * @throws ValidationError naming `PATH` when a path does not exist
 */
export function loadManifests(paths: string[], options: LoadOptions): ManifestSet {
  const files = findManifestFiles(paths, options.cwd);
  const ignored = gitIgnoredFiles(files);
  const manifests: Manifest[] = [];
  const problems: Finding[] = [];
  const skippedTemplates: string[] = [];
  files.forEach((file, index) => {
    const shown = displayPath(file, options.cwd);
    const parsed = parseManifestText(fs.readFileSync(file, 'utf8'), shown, !ignored.has(file));
    manifests.push(...parsed.manifests);
    problems.push(...parsed.problems);
    if (parsed.template) {
      skippedTemplates.push(shown);
    }
    options.onProgress?.(index + 1, files.length);
  });
  return { manifests, fileCount: files.length, skippedTemplates, problems };
}

/** The absolute paths of the manifest files under `paths`, sorted, each once. */
export function findManifestFiles(paths: string[], cwd: string): string[] {
  const files = new Set<string>();
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
      walkDirectory(absolute, files, visitedDirectories);
    } else {
      files.add(absolute);
    }
  }
  return [...files].sort(compareText);
}

function walkDirectory(directory: string, files: Set<string>, visited: Set<string>): void {
  const real = fs.realpathSync(directory);
  if (visited.has(real)) {
    return;
  }
  visited.add(real);
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) {
      continue;
    }
    const full = path.join(directory, entry.name);
    const stat = entry.isSymbolicLink() ? statOrUndefined(full) : entry;
    if (stat?.isDirectory()) {
      walkDirectory(full, files, visited);
    } else if (stat?.isFile() && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
      files.add(full);
    }
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

/** Parses one file's text; exported for tests that feed text directly. */
export function parseManifestText(text: string, file: string, forGit: boolean): ParsedFile {
  const lineCounter = new YAML.LineCounter();
  const documents = YAML.parseAllDocuments(text, { lineCounter });
  const all = Array.isArray(documents) ? documents : [];
  const broken = all.filter(document => document.errors.length > 0);
  if (broken.length > 0 && text.includes('{{')) {
    return { manifests: [], problems: [], template: true };
  }
  const manifests: Manifest[] = [];
  const problems = broken.map(document => yamlProblem(document.errors[0], file));
  for (const document of all.filter(each => each.errors.length === 0)) {
    const line = (node: YAML.Node | null | undefined) => lineCounter.linePos(node?.range?.[0] ?? 0).line;
    for (const found of expandLists(document.toJS(), document.contents)) {
      manifests.push({ file, line: line(found.node), object: found.object, forGit });
    }
  }
  return { manifests, problems, template: false };
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
function yamlProblem(error: YAML.YAMLError, file: string): Finding {
  const position = error.linePos?.[0];
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
