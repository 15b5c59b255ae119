// Module-internal: the checks on the raw-spec escape hatch of ReleasePlanAdmission, against the field tree generated
// from release-service's CRD (src/imports/crd-fields.generated.ts). Not exported from the package root.
import { IConstruct } from 'constructs';
import { findFieldProblem, FieldProblem, FieldProblemKind } from '../crd-fields';
import { ValidationError } from '../errors';
import { KONFLUX_RELEASEPLANADMISSION_SPEC } from '../imports/crd-fields.generated';

/** Spec paths the typed props write: a raw spec setting them would make two sources for one field. */
const TYPED_PATHS: { readonly [path: string]: string } = {
  'applications': 'applications',
  'componentGroups': 'componentGroups',
  'data': 'data',
  'environment': 'environment',
  'origin': 'origin',
  'policy': 'policy',
  'pipeline.pipelineRef.ociStorage': 'pipeline.ociStorage',
  'pipeline.pipelineRef.params': 'pipeline.pipelineRef',
  'pipeline.pipelineRef.resolver': 'pipeline.pipelineRef',
  'pipeline.serviceAccountName': 'pipeline.serviceAccount',
};

/** Where the fields people misplace most belong, by field name. */
const MISPLACEMENT_FIXES: { readonly [field: string]: string } = {
  ociStorage: 'set pipeline.ociStorage in the props: it is written to spec.pipeline.pipelineRef.ociStorage, the only place release-service reads it',
  serviceAccountName: 'pass pipeline.serviceAccount in the props: it is written to spec.pipeline.serviceAccountName',
};

/**
 * Throws unless every field of `rawSpec` exists in the CRD at that place, has the CRD's type, and is not one the typed
 * props write.
 *
 * @param hasTypedPipeline whether the props gave `pipeline` (its required `pipelineRef` comes only from there)
 */
export function checkRawSpec(scope: IConstruct, rawSpec: { [key: string]: any }, hasTypedPipeline: boolean): void {
  checkTypedPaths(scope, rawSpec, []);
  const problem = findFieldProblem(rawSpec, KONFLUX_RELEASEPLANADMISSION_SPEC, 'rawSpec', { checkRequired: false });
  if (problem !== undefined) {
    throw rawSpecError(scope, problem);
  }
  if (rawSpec.pipeline !== undefined && !hasTypedPipeline) {
    throw new ValidationError({
      scope,
      property: 'rawSpec.pipeline',
      problem: 'needs spec.pipeline.pipelineRef, which the CRD requires and only the typed props write',
      fix: 'pass pipeline: { pipelineRef: ReleasePipelineRef.git({ ... }) } as well',
    });
  }
}

function rawSpecError(scope: IConstruct, problem: FieldProblem): ValidationError {
  const parent = problem.path.slice('rawSpec'.length, problem.path.length - problem.name.length - 1);
  if (problem.kind === FieldProblemKind.UNKNOWN) {
    return new ValidationError({
      scope,
      property: problem.path,
      problem: `is not a field of ReleasePlanAdmission spec${parent}: the API server would drop it without an error`,
      fix: MISPLACEMENT_FIXES[problem.name] ?? `use one of ${problem.known.join(', ')}`,
    });
  }
  return new ValidationError({
    scope,
    property: problem.path,
    value: problem.value,
    problem: problem.kind === FieldProblemKind.TYPE ? `must be ${problem.expected === 'object' || problem.expected === 'array' || problem.expected === 'integer' ? `an ${problem.expected}` : `a ${problem.expected}`}` : problem.expected!,
    fix: 'give the value the type and format the ReleasePlanAdmission CRD defines for this field',
  });
}

/** A raw spec that sets a field the typed props write would make two sources for one field. */
function checkTypedPaths(scope: IConstruct, value: { [key: string]: any }, path: string[]): void {
  for (const [field, child] of Object.entries(value)) {
    const fieldPath = [...path, field];
    const typed = TYPED_PATHS[fieldPath.join('.')];
    if (typed !== undefined) {
      throw new ValidationError({
        scope,
        property: `rawSpec.${fieldPath.join('.')}`,
        problem: 'is written by a typed prop; setting it in rawSpec too would make two sources for one field',
        fix: `use the prop ${typed} instead`,
      });
    }
    if (isPlainObject(child)) {
      checkTypedPaths(scope, child, fieldPath);
    }
  }
}

/**
 * `target` with `extra` merged in, objects merged field by field (the raw spec never overlaps typed leaves). The raw
 * spec is in the CRD's spelling, which the typed class reads as its own: this CRD renames no field (see
 * test/konflux/release-plan-admission.test.ts), so nothing of the raw spec is lost in the class's conversion.
 */
export function mergeSpec<T extends object>(target: T, extra: { [key: string]: any }): T {
  return { ...target, ...mergedFields(target, extra) };
}

function mergedFields(target: { [key: string]: any }, extra: { [key: string]: any }): { [key: string]: any } {
  return Object.fromEntries(Object.entries(extra).map(([key, value]) =>
    [key, isPlainObject(target[key]) && isPlainObject(value) ? { ...target[key], ...mergedFields(target[key], value) } : value]));
}

function isPlainObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
