import { FieldProblemKind, findFieldProblem, hasField } from '../src/crd-fields';
import { checkManifests } from './helpers/manifest-checker';
import {
  KONFLUX_RELEASEPLANADMISSION_SPEC, OPENCHOREO_DATAPLANE_V0_2_PUSH_SPEC, OPENCHOREO_DATAPLANE_V1_SPEC,
} from '../src/imports/crd-fields.generated';

/** A ReleasePlanAdmission whose pipeline has one task-run spec `taskRunSpec`. */
function admission(taskRunSpec: object, extra: object = {}): any {
  return {
    apiVersion: 'appstudio.redhat.com/v1alpha1',
    kind: 'ReleasePlanAdmission',
    metadata: { name: 'rpa', namespace: 'managed' },
    spec: {
      origin: 'user-ns1',
      policy: 'strict',
      applications: ['app'],
      pipeline: {
        pipelineRef: { resolver: 'bundles', params: [{ name: 'bundle', value: 'quay.io/acme/p:1' }] },
        taskRunSpecs: [{ pipelineTaskName: 'push', ...taskRunSpec }],
      },
      ...extra,
    },
  };
}

/** The first problem of the generated tree's walk, as a JSON pointer, and the strict checker's problem paths. */
function bothCheckers(object: any): { walker: string | undefined; strict: string[] } {
  const problem = findFieldProblem(object.spec, KONFLUX_RELEASEPLANADMISSION_SPEC, 'spec', { checkRequired: true });
  const walker = problem && `/${problem.path.replace(/\[(\d+)\]/g, '.$1').split('.').join('/')}`;
  return { walker, strict: checkManifests([object]).map(p => p.path) };
}

describe('the generated field trees agree with the strict CRD checker (real release-service CRD)', () => {
  test.each<[string, object, object | undefined]>([
    ['quantities as numbers and strings, labels with dots and slashes', {
      computeResources: { limits: { cpu: 2, memory: '1Gi' }, requests: { cpu: '500m' } },
      metadata: { labels: { 'app.kubernetes.io/name': 'push' }, annotations: { 'example.com/note': 'x' } },
    }, undefined],
    ['anything below a preserve-unknown-fields field', {}, { data: { mapping: { components: [{ name: 'a', deep: { any: [1, 'two'] } }] } } }],
    ['an empty object and an empty list', { computeResources: {}, stepSpecs: [] }, undefined],
  ])('accepted by both: %s', (_title, taskRunSpec, extra) => {
    expect(bothCheckers(admission(taskRunSpec, extra))).toEqual({ walker: undefined, strict: [] });
  });

  test.each<[string, object, object, string, FieldProblemKind]>([
    ['an unknown field inside a list item', { computeResource: { limits: { cpu: 1 } } }, {}, '/spec/pipeline/taskRunSpecs/0/computeResource', FieldProblemKind.UNKNOWN],
    ['a quantity that breaks the pattern', { computeResources: { limits: { memory: 'lots' } } }, {}, '/spec/pipeline/taskRunSpecs/0/computeResources/limits/memory', FieldProblemKind.FORMAT],
    ['a number where a map wants strings', { metadata: { labels: { team: 5 } } }, {}, '/spec/pipeline/taskRunSpecs/0/metadata/labels/team', FieldProblemKind.TYPE],
    ['a required field missing in a list item', {}, { collectors: { items: [{ name: 'jira', params: [] }] } }, '/spec/collectors/items/0/type', FieldProblemKind.REQUIRED],
  ])('refused by both at the same place: %s', (_title, taskRunSpec, extra, pointer, kind) => {
    const object = admission(taskRunSpec, extra);
    const { walker, strict } = bothCheckers(object);
    expect(walker).toBe(pointer);
    expect(strict.some(path => path === pointer || pointer.startsWith(`${path}/`) || path.startsWith(`${pointer}/`))).toBe(true);
    expect(findFieldProblem(object.spec, KONFLUX_RELEASEPLANADMISSION_SPEC, 'spec', { checkRequired: true })!.kind).toBe(kind);
  });

  test('required fields are only reported when asked (a raw spec is merged into a typed one)', () => {
    expect(findFieldProblem({ applications: ['app'] }, KONFLUX_RELEASEPLANADMISSION_SPEC, 'rawSpec', { checkRequired: false })).toBeUndefined();
    expect(findFieldProblem({ applications: ['app'] }, KONFLUX_RELEASEPLANADMISSION_SPEC, 'spec', { checkRequired: true }))
      .toEqual({ kind: FieldProblemKind.REQUIRED, path: 'spec.origin', name: 'origin', known: Object.keys(KONFLUX_RELEASEPLANADMISSION_SPEC.properties!) });
  });
});

describe('hasField', () => {
  test('walks through list items; each DataPlane release has its own fields', () => {
    expect(hasField(OPENCHOREO_DATAPLANE_V0_2_PUSH_SPEC, ['registry', 'imagePushSecrets', 'prefix'])).toBe(true);
    expect(hasField(OPENCHOREO_DATAPLANE_V0_2_PUSH_SPEC, ['registry', 'prefix'])).toBe(false);
    expect(hasField(OPENCHOREO_DATAPLANE_V1_SPEC, ['clusterAgent', 'clientCA', 'secretKeyRef', 'key'])).toBe(true);
    expect(hasField(OPENCHOREO_DATAPLANE_V1_SPEC, ['registry'])).toBe(false);
  });
});

describe('string formats are checked as the API server checks them (Go)', () => {
  const field = (format: object) => ({ type: 'object', properties: { value: { type: 'string', ...format } } });
  const problemOf = (format: object, value: string) => findFieldProblem({ value }, field(format), 'spec', { checkRequired: false });

  test('maxLength counts Unicode code points (utf8.RuneCountInString), not UTF-16 units', () => {
    // "🐳" is one code point and two UTF-16 units.
    expect(problemOf({ maxLength: 3 }, 'ab🐳')).toBeUndefined();
    expect(problemOf({ maxLength: 3 }, 'abc🐳')?.kind).toBe(FieldProblemKind.FORMAT);
  });

  test('pattern is RE2 syntax with an unanchored match, as Go\'s regexp.MatchString', () => {
    expect(problemOf({ pattern: 'b' }, 'abc')).toBeUndefined();
    expect(problemOf({ pattern: '^b' }, 'abc')?.kind).toBe(FieldProblemKind.FORMAT);
    // \z is end of text in RE2; JavaScript reads it as a literal "z".
    expect(problemOf({ pattern: '^abc\\z' }, 'abc')).toBeUndefined();
    expect(problemOf({ pattern: '^abc\\z' }, 'abcz')?.kind).toBe(FieldProblemKind.FORMAT);
  });
});
