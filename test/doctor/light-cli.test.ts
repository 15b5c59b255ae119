import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { ROOT } from './helpers';

/**
 * Issue 13 item 11: the doctor CLI loads the core values and src/constants.ts, never cdk8s, cdk8s-plus-28, constructs
 * or a construct module. The graph is read from the sources as TypeScript compiles them (type-only imports are erased).
 */

const SRC = path.join(ROOT, 'src');
const HEAVY_PACKAGES = ['cdk8s', 'cdk8s-plus-28', 'constructs'];

// What TypeScript keeps: the require() calls of the transpiled module (imports used only as types are erased).
function runtimeImports(file: string): string[] {
  const output = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  return [...output.matchAll(/require\("([^"]+)"\)/g)].map(match => match[1]);
}

function moduleGraph(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (modules.has(file)) {
      continue;
    }
    modules.add(file);
    for (const source of runtimeImports(file)) {
      if (source.startsWith('.')) {
        pending.push(`${path.resolve(path.dirname(file), source)}.ts`);
      } else {
        packages.add(source);
      }
    }
  }
  return { modules, packages };
}

test('the doctor CLI reaches no construct module and none of cdk8s, cdk8s-plus-28 or constructs', () => {
  const { modules, packages } = moduleGraph(path.join(SRC, 'cli', 'main.ts'));
  const relative = [...modules].map(file => path.relative(SRC, file).split(path.sep).join('/')).sort();
  expect([...packages].filter(name => HEAVY_PACKAGES.includes(name))).toEqual([]);
  expect(relative).toContain('constants.ts');
  // Core values and their checks only: no construct module (the run-time type checks are values too).
  const allowed = /^(cli|doctor|values)\/|^(constants|errors|names|runtime-checks|props-check|props-shapes\.generated)\.ts$|^replication\/(namespace-selection|pattern-lint|consumer-text|protected-namespaces|reflector-regex)\.ts$|^openchoreo\/namespace-names\.ts$/;
  expect(relative.filter(file => !allowed.test(file))).toEqual([]);
});

test('the graph reader sees a construct import (it can fail)', () => {
  const { packages } = moduleGraph(path.join(SRC, 'registry-secret.ts'));
  expect([...packages]).toEqual(expect.arrayContaining(['cdk8s']));
});
