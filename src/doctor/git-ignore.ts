import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The files git ignores (`.gitignore`, `.git/info/exclude`, the global excludes file): files that are not meant for
 * Git. Tracked files are never reported as ignored, as `git check-ignore` does. Files outside a git work tree, or
 * when git is not installed, are taken as meant for Git.
 *
 * A file's work tree is the nearest directory above it holding a `.git` entry (a directory, or the file of a linked
 * work tree or submodule); each directory is looked at once, and git runs once per work tree.
 *
 * @param files absolute paths
 * @see https://git-scm.com/docs/git-check-ignore
 */
export function gitIgnoredFiles(files: string[]): Set<string> {
  const ignored = new Set<string>();
  for (const [workTree, members] of groupByWorkTree(files)) {
    for (const file of checkIgnore(workTree, members)) {
      ignored.add(file);
    }
  }
  return ignored;
}

function groupByWorkTree(files: string[]): Map<string, string[]> {
  const workTrees = new Map<string, string | undefined>();
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const workTree = workTreeOf(path.dirname(file), workTrees);
    if (workTree !== undefined) {
      const members = groups.get(workTree) ?? [];
      members.push(file);
      groups.set(workTree, members);
    }
  }
  return groups;
}

function workTreeOf(directory: string, known: Map<string, string | undefined>): string | undefined {
  if (known.has(directory)) {
    return known.get(directory);
  }
  const parent = path.dirname(directory);
  const workTree = fs.existsSync(path.join(directory, '.git')) ? directory : parent === directory ? undefined : workTreeOf(parent, known);
  known.set(directory, workTree);
  return workTree;
}

// Exit status 0: some paths are ignored; 1: none is; anything else (no git, not a repository): nothing counts as
// ignored.
function checkIgnore(workTree: string, files: string[]): string[] {
  const result = spawnSync('git', ['check-ignore', '--stdin', '-z'], {
    cwd: workTree,
    input: files.join('\0'),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    return [];
  }
  return result.stdout.split('\0').filter(line => line !== '').map(line => path.resolve(workTree, line));
}
