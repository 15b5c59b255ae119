import * as fs from 'fs';
import * as path from 'path';

// The public API as jsii compiled it (`npx projen compile` writes .jsii; `npx projen build` compiles before testing).
const ASSEMBLY_FILE = path.join(__dirname, '..', '.jsii');

interface Member {
  name: string;
  docs?: { summary?: string; default?: string; see?: string };
  optional?: boolean;
  type?: any;
  returns?: any;
  parameters?: Array<{ name: string; type: any }>;
}
interface TypeInfo {
  fqn: string;
  kind: string;
  datatype?: boolean;
  docs?: { summary?: string; see?: string };
  base?: string;
  properties?: Member[];
  methods?: Member[];
  initializer?: Member;
}

function loadTypes(): TypeInfo[] {
  if (!fs.existsSync(ASSEMBLY_FILE)) {
    throw new Error('no .jsii assembly: run `npx projen compile` first');
  }
  return Object.values(JSON.parse(fs.readFileSync(ASSEMBLY_FILE, 'utf8')).types);
}

/** Every type reference (property types, parameter types, return types) a type exposes, with where it is used. */
function typeRefs(type: TypeInfo): Array<{ where: string; ref: any }> {
  const refs: Array<{ where: string; ref: any }> = [];
  for (const p of type.properties ?? []) refs.push({ where: `${type.fqn}.${p.name}`, ref: p.type });
  for (const m of [...(type.methods ?? []), ...(type.initializer ? [type.initializer] : [])]) {
    for (const param of m.parameters ?? []) refs.push({ where: `${type.fqn}.${m.name ?? 'constructor'}(${param.name})`, ref: param.type });
    if (m.returns) refs.push({ where: `${type.fqn}.${m.name}() return`, ref: m.returns.type });
  }
  return refs;
}

function containsUnion(ref: any): boolean {
  if (ref === undefined || ref === null || typeof ref !== 'object') return false;
  if ('union' in ref) return true;
  if ('collection' in ref) return containsUnion(ref.collection.elementtype);
  return false;
}

describe('public API (jsii assembly)', () => {
  const types = loadTypes();

  test('exports the five constructs and the core values under their agreed names', () => {
    const names = types.map(t => t.fqn.replace(/^cdk8s-registries\./, ''));
    for (const name of ['RegistrySecret', 'ReplicatedPullSecret', 'DataPlane', 'BuildServiceAccount', 'QuayImageController',
      'ImageReference', 'DockerConfig', 'KubeletKeyring', 'RegistryCredentials', 'SecretValue', 'ValidationError']) {
      expect(names).toContain(name);
    }
  });

  test('every type, property and method has a doc summary', () => {
    const undocumented = types.flatMap(t => [
      ...(t.docs?.summary ? [] : [t.fqn]),
      ...[...(t.properties ?? []), ...(t.methods ?? [])].filter(m => !m.docs?.summary).map(m => `${t.fqn}.${m.name}`),
    ]);
    expect(undocumented).toEqual([]);
  });

  test('every optional prop of a props struct says its @default', () => {
    const missing = types.filter(t => t.datatype)
      .flatMap(t => (t.properties ?? []).filter(p => p.optional && p.docs?.default === undefined).map(p => `${t.fqn}.${p.name}`));
    expect(missing).toEqual([]);
  });

  test('every construct links the upstream doc it implements (@see)', () => {
    const constructs = types.filter(t => t.kind === 'class' && t.base === 'constructs.Construct');
    expect(constructs.length).toBeGreaterThanOrEqual(5);
    expect(constructs.filter(t => !t.docs?.see).map(t => t.fqn)).toEqual([]);
  });

  test('uses no union types (they degrade to Object/any in other languages)', () => {
    const unions = types.flatMap(typeRefs).filter(r => containsUnion(r.ref)).map(r => r.where);
    expect(unions).toEqual([]);
  });
});
