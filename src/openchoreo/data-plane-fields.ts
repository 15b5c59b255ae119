// Module-internal: the synth-time check of a DataPlane's spec (escape hatches included) against the field tree of its
// DataPlaneApi's CRD, generated from the CRD files (src/imports/crd-fields.generated.ts), and messages that name the
// release that has a field the chosen one lacks.
import { IConstruct } from 'constructs';
import { CrdField, FieldProblem, FieldProblemKind, findFieldProblem, hasField } from '../crd-fields';
import { ValidationError } from '../errors';
import {
  OPENCHOREO_DATAPLANE_PULL_PROPOSAL_SPEC, OPENCHOREO_DATAPLANE_V0_17_SPEC, OPENCHOREO_DATAPLANE_V0_2_PUSH_SPEC,
  OPENCHOREO_DATAPLANE_V0_3_PULL_SPEC, OPENCHOREO_DATAPLANE_V1_SPEC,
} from '../imports/crd-fields.generated';

/** The `spec` of each DataPlaneApi (by member name) and the releases that serve it, in release order. */
const SPECS: ReadonlyArray<{ readonly api: string; readonly spec: CrdField; readonly releases: string }> = [
  { api: 'CORE_V1_PUSH', spec: OPENCHOREO_DATAPLANE_V0_2_PUSH_SPEC, releases: 'OpenChoreo v0.2' },
  { api: 'CORE_V1_PULL_PROPOSAL', spec: OPENCHOREO_DATAPLANE_PULL_PROPOSAL_SPEC, releases: 'proposal 0246, never released' },
  { api: 'V1ALPHA1_PULL', spec: OPENCHOREO_DATAPLANE_V0_3_PULL_SPEC, releases: 'OpenChoreo v0.3' },
  { api: 'V1ALPHA1_V0_17', spec: OPENCHOREO_DATAPLANE_V0_17_SPEC, releases: 'OpenChoreo v0.9 to v0.17' },
  { api: 'V1ALPHA1_V1', spec: OPENCHOREO_DATAPLANE_V1_SPEC, releases: 'OpenChoreo v1.x' },
];

/**
 * What became of fields a later release dropped: release history, which no schema holds. `after` lists the APIs that
 * lack the field because it was removed (not because it did not exist yet).
 */
const REMOVALS: ReadonlyArray<{ readonly path: string; readonly after: readonly string[]; readonly note: string }> = [
  { path: 'spec.registry', after: ['V1ALPHA1_V0_17', 'V1ALPHA1_V1'], note: 'was removed in v0.4' },
  { path: 'spec.kubernetesCluster', after: ['V1ALPHA1_V0_17', 'V1ALPHA1_V1'], note: 'was removed in v0.9 (replaced by clusterAgent)' },
  { path: 'spec.imagePullSecretRefs', after: ['V1ALPHA1_V1'], note: 'was removed in v1.0.0-rc.1: use ComponentTypePullSecret for pull secrets on v1.x' },
];

/** Throws unless `spec` fits the CRD of the DataPlaneApi named `api` (its member name, e.g. `CORE_V1_PUSH`). */
export function checkDataPlaneSpec(scope: IConstruct, api: string, spec: unknown): void {
  const problem = findFieldProblem(spec, specOf(api).spec, 'spec', { checkRequired: true });
  if (problem !== undefined) {
    throw fieldError(scope, api, problem);
  }
}

function specOf(api: string) {
  return SPECS.find(entry => entry.api === api)!;
}

function fieldError(scope: IConstruct, api: string, problem: FieldProblem): ValidationError {
  const crd = `the DataPlane CRD of DataPlaneApi.${api} (${specOf(api).releases})`;
  switch (problem.kind) {
    case FieldProblemKind.UNKNOWN:
      return unknownFieldError(scope, api, crd, problem);
    case FieldProblemKind.REQUIRED:
      return new ValidationError({
        scope,
        property: problem.path,
        problem: `is required by ${crd} but missing`,
        fix: 'do not remove it with an escape hatch; set it through the construct props',
      });
    default:
      return new ValidationError({
        scope,
        property: problem.path,
        value: problem.value,
        problem: problem.kind === FieldProblemKind.TYPE ? `must be ${article(problem.expected!)} ${problem.expected} in ${crd}` : `${problem.expected} in ${crd}`,
        fix: 'set it through the construct props rather than an escape hatch',
      });
  }
}

function unknownFieldError(scope: IConstruct, api: string, crd: string, problem: FieldProblem): ValidationError {
  const spelled = problem.known.find(known => known.toLowerCase() === problem.name.toLowerCase());
  const segments = problem.path.split('.').slice(1).map(segment => segment.replace(/\[\d+\]$/, ''));
  const elsewhere = SPECS.filter(entry => entry.api !== api && hasField(entry.spec, segments));
  const removal = REMOVALS.find(entry => entry.path === problem.path && entry.after.includes(api));
  const notes = [
    ...(removal ? [`It ${removal.note}`] : []),
    ...(elsewhere.length > 0 ? [`It exists in ${elsewhere.map(entry => `DataPlaneApi.${entry.api} (${entry.releases})`).join(', ')}`] : []),
  ];
  const otherReleases = `use ${elsewhere.map(entry => `DataPlaneApi.${entry.api}`).join(' or ')} if the cluster runs that release`;
  const renamed = renamedField(segments, elsewhere.map(entry => entry.spec), problem.known);
  return new ValidationError({
    scope,
    property: problem.path,
    problem: [`is not a field of ${crd}; the API server would prune it silently`, ...notes].join('. '),
    fix: spelled !== undefined ? `the field is spelled "${spelled}"`
      : renamed !== undefined ? `write "${renamed}", the spelling of DataPlaneApi.${api}, or ${otherReleases}`
        : elsewhere.length > 0 ? `${otherReleases}, or remove the field`
          : 'remove it',
  });
}

/** The one field next to `segments` that only this API has, where the APIs that have `segments` lack it: a rename. */
function renamedField(segments: string[], others: CrdField[], known: string[]): string | undefined {
  const parent = segments.slice(0, -1);
  const onlyHere = known.filter(field => others.length > 0 && others.every(other => !hasField(other, [...parent, field])));
  return parent.length > 0 && onlyHere.length === 1 ? onlyHere[0] : undefined;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? 'an' : 'a';
}
