import { createHash } from 'crypto';
import { ValidationError } from '../../src/errors';
import { KubernetesNames } from '../../src/names';
import { OpenChoreoNames } from '../../src/openchoreo/namespace-names';
import { NamespaceSelection } from '../../src/replication/namespace-selection';
import { validationErrorOf } from '../helpers/errors';
import { loadReferenceJson } from '../helpers/reference';

interface NameVector {
  readonly input: string[];
  readonly expected: string;
  readonly source: string;
}

const vectors = loadReferenceJson('openchoreo', 'namespace-name-vectors.json');
const generatorPairs: NameVector[] = vectors.generateK8sName_limit253;
const upstreamNamespaces: NameVector[] = vectors.dataPlaneNamespace_limit63;
const derivedNamespaces: NameVector[] = vectors.dataPlaneNamespace_limit63_derived;

function sha8(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
}

describe('OpenChoreoNames.generate', () => {
  test('reads every vector group', () => {
    expect(generatorPairs).toHaveLength(10);
    expect(upstreamNamespaces).toHaveLength(4);
    expect(derivedNamespaces).toHaveLength(5);
  });

  test.each(generatorPairs.map(v => [v.input.map(p => p.slice(0, 20)).join(' | '), v] as const))(
    'upstream GenerateK8sName(%s)', (_label, vector) => {
      expect(OpenChoreoNames.generate(OpenChoreoNames.DEFAULT_NAME_LIMIT, vector.input)).toBe(vector.expected);
    });

  test('hashes the unsanitized parts joined by "-" (pitfall 13)', () => {
    const name = OpenChoreoNames.generate(253, ['My_Project$', 'Component@Name']);
    expect(name.endsWith(`-${sha8('My_Project$-Component@Name')}`)).toBe(true);
    expect(name.endsWith(`-${sha8('my-project-component-name')}`)).toBe(false);
  });

  test('splits the budget evenly and gives the remainder to the first parts', () => {
    // limit 20 - 8 hash - 3 separators = 9 characters for 3 parts: 3 each; limit 21 gives the first part 4.
    expect(OpenChoreoNames.generate(20, ['aaaaaa', 'bbbbbb', 'cccccc'])).toBe(`aaa-bbb-ccc-${sha8('aaaaaa-bbbbbb-cccccc')}`);
    expect(OpenChoreoNames.generate(21, ['aaaaaa', 'bbbbbb', 'cccccc'])).toBe(`aaaa-bbb-ccc-${sha8('aaaaaa-bbbbbb-cccccc')}`);
    expect(OpenChoreoNames.generate(22, ['aaaaaa', 'bbbbbb', 'cccccc'])).toBe(`aaaa-bbbb-ccc-${sha8('aaaaaa-bbbbbb-cccccc')}`);
  });

  test('keeps dots and Unicode letters and numbers, lower-cased', () => {
    expect(OpenChoreoNames.generate(253, ['Café.Öl', 'Ⅻ-x'])).toBe(`café.öl-ⅻ-x-${sha8('Café.Öl-Ⅻ-x')}`);
  });

  test('lower-cases one code point at a time like Go (İ becomes i)', () => {
    expect(OpenChoreoNames.generate(253, ['İstanbul'])).toBe(`istanbul-${sha8('İstanbul')}`);
  });

  test('cuts parts in UTF-8 bytes like Go; a split character becomes U+FFFD', () => {
    // limit 20 - 8 - 2 = 10 bytes for 2 parts: 5 bytes each; "ééé" is 6 bytes.
    expect(OpenChoreoNames.generate(20, ['ééé', 'x'])).toBe(`éé\uFFFD-x-${sha8('ééé-x')}`);
  });

  test('a limit of exactly 8 + parts leaves only the hash', () => {
    expect(OpenChoreoNames.generate(10, ['dp', 'x'])).toBe(sha8('dp-x'));
  });

  test.each([
    [7, ['a'], 'limit'],
    [9, ['a', 'b'], 'limit'],
    [63.5, ['a'], 'limit'],
    [63, [], 'parts'],
  ])('rejects limit %p with parts %j', (limit, parts, property) => {
    const error = validationErrorOf(() => OpenChoreoNames.generate(limit, parts));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.property).toBe(property);
    expect(error.message).toContain('Fix:');
  });
});

describe('OpenChoreoNames.dataPlaneNamespace', () => {
  test.each([...upstreamNamespaces, ...derivedNamespaces].map(v => [v.expected, v] as const))('%s', (_expected, vector) => {
    const [prefix, organization, project, environment] = vector.input;
    expect(prefix).toBe('dp');
    const name = OpenChoreoNames.dataPlaneNamespace(organization, project, environment);
    expect(name).toBe(vector.expected);
    expect(KubernetesNames.checkDns1123Label(name)).toBeUndefined();
    expect(name.length).toBeLessThanOrEqual(63);
  });

  test('every data-plane namespace is reached by replicate-to "dp-.*"', () => {
    const names = [...upstreamNamespaces, ...derivedNamespaces].map(v => v.expected);
    const selection = NamespaceSelection.mittwaldReplicateTo('dp-.*');
    expect(selection.preview(names.map(name => ({ name })), 'choreo-system')).toEqual(names);
  });

  test('long parts get an even share; the share "dp" leaves unused is not handed on', () => {
    // 63 - 8 - 4 separators = 51 bytes for 4 parts: 12 each, the first three get 13; "dp" uses 2 of its 13.
    const long = ['a'.repeat(60), 'b'.repeat(60), 'c'.repeat(60)];
    const name = OpenChoreoNames.dataPlaneNamespace(long[0], long[1], long[2]);
    expect(name).toBe(`dp-${'a'.repeat(13)}-${'b'.repeat(13)}-${'c'.repeat(12)}-${sha8(['dp', ...long].join('-'))}`);
    expect(name).toHaveLength(52);
  });

  test.each([
    ['organization', ['', 'web', 'dev'], 'must not be empty'],
    ['project', ['acme', 'web.app', 'dev'], '"."'],
    ['environment', ['acme', 'web', 'prüfung'], '"ü"'],
  ])('rejects a %s that OpenChoreo would turn into an invalid namespace', (property, parts, problem) => {
    const error = validationErrorOf(() => OpenChoreoNames.dataPlaneNamespace(parts[0], parts[1], parts[2]));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.property).toBe(property);
    expect(error.message).toContain(problem);
    expect(error.message).toContain('Fix: use lowercase letters, digits and "-" only');
  });
});

describe('OpenChoreoNames.buildNamespace', () => {
  test('is choreo-ci-<organization>', () => {
    expect(OpenChoreoNames.buildNamespace('default-org')).toBe('choreo-ci-default-org');
  });

  test.each(['Acme', 'a'.repeat(54), 'acme.io'])('rejects %s', organization => {
    const error = validationErrorOf(() => OpenChoreoNames.buildNamespace(organization));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.property).toBe('organization');
    expect(error.message).toContain('Fix:');
  });
});
