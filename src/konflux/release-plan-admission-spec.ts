// Module-internal: the field tree of ReleasePlanAdmission.spec and the checks on the raw-spec escape hatch. Not
// exported from the package root.
import { IConstruct } from 'constructs';
import { ValidationError } from '../errors';

/** The fields the CRD defines: `true` for a leaf (the CRD validates anything below it), else its known children. */
export interface FieldTree {
  readonly [field: string]: FieldTree | true;
}

/**
 * `ReleasePlanAdmission.spec` of release-service's CRD (appstudio.redhat.com/v1alpha1), to the depth where fields can
 * be misplaced. The API server prunes unknown fields silently, so a raw spec is checked against this tree.
 *
 * @see https://github.com/konflux-ci/release-service/blob/main/config/crd/bases/appstudio.redhat.com_releaseplanadmissions.yaml
 */
export const RELEASE_PLAN_ADMISSION_SPEC: FieldTree = {
  applications: true,
  collectors: { items: true, secrets: true, serviceAccountName: true },
  componentGroups: true,
  data: true,
  environment: true,
  origin: true,
  pipeline: {
    maxRetries: true,
    pipelineRef: { ociStorage: true, params: true, resolver: true, useEmptyDir: true },
    serviceAccountName: true,
    taskRunSpecs: true,
    timeouts: { finally: true, pipeline: true, tasks: true },
  },
  policy: true,
};

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
 * Throws unless every field of `rawSpec` exists in the CRD at that place and is not one the typed props write.
 *
 * @param hasTypedPipeline whether the props gave `pipeline` (its required `pipelineRef` comes only from there)
 */
export function checkRawSpec(scope: IConstruct, rawSpec: { [key: string]: any }, hasTypedPipeline: boolean): void {
  checkFields(scope, rawSpec, RELEASE_PLAN_ADMISSION_SPEC, []);
  if (rawSpec.pipeline !== undefined && !hasTypedPipeline) {
    throw new ValidationError({
      scope,
      property: 'rawSpec.pipeline',
      problem: 'needs spec.pipeline.pipelineRef, which the CRD requires and only the typed props write',
      fix: 'pass pipeline: { pipelineRef: ReleasePipelineRef.git({ ... }) } as well',
    });
  }
}

function checkFields(scope: IConstruct, value: { [key: string]: any }, tree: FieldTree, path: string[]): void {
  for (const [field, child] of Object.entries(value)) {
    const fieldPath = [...path, field];
    const property = `rawSpec.${fieldPath.join('.')}`;
    const known = tree[field];
    if (known === undefined) {
      throw new ValidationError({
        scope,
        property,
        problem: `is not a field of ReleasePlanAdmission spec${path.length > 0 ? `.${path.join('.')}` : ''}: the API server would drop it without an error`,
        fix: MISPLACEMENT_FIXES[field] ?? `use one of ${Object.keys(tree).join(', ')}`,
      });
    }
    const typed = TYPED_PATHS[fieldPath.join('.')];
    if (typed !== undefined) {
      throw new ValidationError({
        scope,
        property,
        problem: 'is written by a typed prop; setting it in rawSpec too would make two sources for one field',
        fix: `use the prop ${typed} instead`,
      });
    }
    if (known !== true) {
      if (!isPlainObject(child)) {
        throw new ValidationError({
          scope,
          property,
          value: JSON.stringify(child),
          problem: 'must be an object',
          fix: `give an object with some of ${Object.keys(known).join(', ')}`,
        });
      }
      checkFields(scope, child, known, fieldPath);
    }
  }
}

/** `target` with `extra` merged in, objects merged field by field (the raw spec never overlaps typed leaves). */
export function mergeSpec(target: { [key: string]: any }, extra: { [key: string]: any }): { [key: string]: any } {
  const merged: { [key: string]: any } = { ...target };
  for (const [key, value] of Object.entries(extra)) {
    merged[key] = isPlainObject(merged[key]) && isPlainObject(value) ? mergeSpec(merged[key], value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
