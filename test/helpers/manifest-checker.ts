/**
 * Manifest checker for tests: validates synthesized Kubernetes objects against their real schemas, with unknown
 * fields treated as errors (the API server would prune them silently).
 *
 * - Core kinds: the `kubernetes-types` TypeScript definitions (generated from the Kubernetes OpenAPI), read through
 *   the TypeScript compiler API, give the fields, required fields and primitive types of every kind; a walker
 *   reports every unknown field, missing required field and wrong type (tsc itself reports only the first excess
 *   property of each object literal, and would reject the free-form `RawExtension`/`JSON` types). The
 *   `kubernetes-models` validators (run in a worker thread, they are ES modules) add formats such as base64 Secret
 *   `data`, enums and integer checks.
 * - Custom resources: the CRDs under `test/fixtures/reference/`, validated with ajv against the version's
 *   `openAPIV3Schema` after closing every object schema (kubeconform-style strict mode, see `closeSchema`).
 *   `metadata` is checked like a core `ObjectMeta`. CEL rules (`x-kubernetes-validations`) are not evaluated,
 *   except the rule shapes our product depends on (see `EVALUATED_CEL_RULES`); `celRulesNotEvaluated` lists the
 *   others.
 * - Across objects: no `metadata.namespace` on cluster-scoped kinds, no duplicate group/kind/namespace/name.
 *
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning
 */
import * as fs from 'fs';
import * as path from 'path';
import { MessageChannel, MessagePort, Worker, receiveMessageOnPort } from 'worker_threads';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import * as ts from 'typescript';
import * as YAML from 'yaml';
import { REFERENCE_DIR } from './reference';

/** One thing wrong with one object. */
export interface ManifestProblem {
  /** Position of the object in the checked array. */
  readonly index: number;
  /** `apiVersion/kind [namespace/]name`, e.g. `v1/Secret team-a/regcred`. */
  readonly object: string;
  /** JSON pointer into the object (RFC 6901), e.g. `/spec/template/spec/containers/0/name`; `''` is the object. */
  readonly path: string;
  /** What is wrong. Unknown fields start with `unknown field`, missing ones with `missing required field`. */
  readonly message: string;
}

/** Options of `checkManifests`. */
export interface ManifestCheckOptions {
  /**
   * The CRD file to validate a custom resource kind against, by `group/version/Kind`, as a path relative to
   * `test/fixtures/reference/` (or absolute), e.g.
   * `{ 'core.choreo.dev/v1/DataPlane': 'openchoreo/dataplanes.core.choreo.dev_v1_2025-06-02_push-registry.yaml' }`.
   *
   * @default - the only file that defines the kind, or the entry of `DEFAULT_CRD_FILES`
   */
  readonly crdFiles?: { readonly [groupVersionKind: string]: string };
}

/**
 * The CRD file used for a `group/Kind` that several reference files define: the newest released one.
 * - core.choreo.dev DataPlane: 2025-06-02 (push registry), released in OpenChoreo v0.2.0; the 2025-07-03 file is
 *   PR #249, never merged.
 * - openchoreo.dev DataPlane: 2026-05-26 (latest, no registry fields), released in v1.x; the 2025-07-11 (v0.3) and
 *   2026-03-03 (v0.17.0) files are older releases.
 * - external-secrets.io ExternalSecret: ESO v2.9.0 rather than v2.8.0.
 */
export const DEFAULT_CRD_FILES: { readonly [groupKind: string]: string } = {
  'core.choreo.dev/DataPlane': 'openchoreo/dataplanes.core.choreo.dev_v1_2025-06-02_push-registry.yaml',
  'openchoreo.dev/DataPlane': 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2026-05-26_latest.yaml',
  'external-secrets.io/ExternalSecret': 'secrets/eso-v2.9.0_external-secrets.io_externalsecrets.yaml',
};

/**
 * Core kinds that are cluster-scoped (`kubectl api-resources --namespaced=false`, Kubernetes 1.30–1.32), by
 * `group/Kind` (`''` is the core group).
 *
 * @see https://kubernetes.io/docs/reference/generated/kubernetes-api/v1.32/
 */
const CLUSTER_SCOPED_CORE_KINDS: ReadonlySet<string> = new Set([
  '/ComponentStatus', '/Namespace', '/Node', '/PersistentVolume',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/MutatingAdmissionPolicy',
  'admissionregistration.k8s.io/MutatingAdmissionPolicyBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'authentication.k8s.io/SelfSubjectReview', 'authentication.k8s.io/TokenReview',
  'authorization.k8s.io/SelfSubjectAccessReview', 'authorization.k8s.io/SelfSubjectRulesReview',
  'authorization.k8s.io/SubjectAccessReview',
  'certificates.k8s.io/CertificateSigningRequest', 'certificates.k8s.io/ClusterTrustBundle',
  'flowcontrol.apiserver.k8s.io/FlowSchema', 'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  'internal.apiserver.k8s.io/StorageVersion',
  'networking.k8s.io/IngressClass', 'networking.k8s.io/IPAddress', 'networking.k8s.io/ServiceCIDR',
  'node.k8s.io/RuntimeClass',
  'rbac.authorization.k8s.io/ClusterRole', 'rbac.authorization.k8s.io/ClusterRoleBinding',
  'resource.k8s.io/DeviceClass', 'resource.k8s.io/ResourceClass', 'resource.k8s.io/ResourceSlice',
  'scheduling.k8s.io/PriorityClass',
  'storage.k8s.io/CSIDriver', 'storage.k8s.io/CSINode', 'storage.k8s.io/StorageClass',
  'storage.k8s.io/VolumeAttachment', 'storage.k8s.io/VolumeAttributesClass',
  'storagemigration.k8s.io/StorageVersionMigration',
]);

/** All problems of `objects`, sorted by object index, path and message. */
export function checkManifests(objects: any[], options: ManifestCheckOptions = {}): ManifestProblem[] {
  modelsWorker(); // boots in parallel with the planning below
  const checks = objects.map((object, index) => planObjectCheck(object, index, options));
  runModelValidations(checks);
  const problems = [...checks.flatMap(check => check.problems()), ...crossObjectProblems(checks)];
  return problems.sort(compareProblems);
}

/** Jest assertion: throws an error listing every problem of `objects`. */
export function expectValidManifests(objects: any[], options: ManifestCheckOptions = {}): void {
  const problems = checkManifests(objects, options);
  if (problems.length > 0) {
    throw new Error(`${problems.length} manifest problem(s):\n${problems.map(formatProblem).join('\n')}`);
  }
}

/**
 * The closed `openAPIV3Schema` that custom resources of `apiVersion`/`kind` are checked against, or `undefined`
 * when no reference CRD defines that served version.
 *
 * @param crdFile the CRD file (see `ManifestCheckOptions.crdFiles`)
 */
export function crdSchemaFor(apiVersion: string, kind: string, crdFile?: string): object | undefined {
  const version = crdIndex().find(groupOf(apiVersion), versionOf(apiVersion), kind, crdFile);
  return version?.closedSchema;
}

/**
 * The CEL rules (`x-kubernetes-validations`) that apply to `objects` but were not evaluated, one entry per rule
 * and place, with the rule in the message. Rules of the shapes in `EVALUATED_CEL_RULES` are checked by
 * `checkManifests` and are not listed.
 */
export function celRulesNotEvaluated(objects: any[], options: ManifestCheckOptions = {}): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  objects.forEach((object, index) => {
    const identity = identify(object);
    const version = identity && findCrdVersion(identity, options);
    if (identity && version) {
      visitCelRules(version.schema, object, '', (rule, _value, pointer) => {
        if (!findCelEvaluator(rule.rule)) {
          problems.push({ index, object: identity.label, path: pointer, message: `CEL rule not evaluated: ${rule.rule}` });
        }
      });
    }
  });
  return problems.sort(compareProblems);
}

function formatProblem(problem: ManifestProblem): string {
  return `  [${problem.index}] ${problem.object} ${problem.path || '(object)'}: ${problem.message}`;
}

function compareProblems(a: ManifestProblem, b: ManifestProblem): number {
  return a.index - b.index || compareStrings(a.path, b.path) || compareStrings(a.message, b.message);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Object identity

interface ObjectIdentity {
  readonly apiVersion: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly label: string;
}

function identify(object: unknown): ObjectIdentity | undefined {
  if (!isPlainObject(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
    return undefined;
  }
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === 'string' ? metadata.name : undefined;
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const where = namespace === undefined ? name ?? '<unnamed>' : `${namespace}/${name ?? '<unnamed>'}`;
  return {
    apiVersion: object.apiVersion,
    group: groupOf(object.apiVersion),
    version: versionOf(object.apiVersion),
    kind: object.kind,
    name,
    namespace,
    label: `${object.apiVersion}/${object.kind} ${where}`,
  };
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

function versionOf(apiVersion: string): string {
  return apiVersion.slice(apiVersion.indexOf('/') + 1);
}

function isPlainObject(value: unknown): value is { [key: string]: any } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonTypeOf(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'array' : typeof value;
}

function pointerTo(parent: string, key: string | number): string {
  return `${parent}/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Per-object checks. Each object is planned first (local checks run at once), then all kubernetes-models
// validations run in one worker round trip, then the results are merged. Results are cached by object content.

interface ModelRequest {
  readonly module: string;
  readonly exportName: string;
  readonly value: unknown;
  /** Pointer of `value` inside the object. */
  readonly at: string;
}

interface ModelError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: { [key: string]: any };
  readonly message: string;
}

interface ModelReply {
  readonly errors: ModelError[];
}

interface RelativeProblem {
  readonly path: string;
  readonly message: string;
}

/** The check of one object: local problems now, kubernetes-models problems once the worker has answered. */
class ObjectCheck {
  public modelReplies: ModelReply[] = [];

  constructor(
    public readonly index: number,
    public readonly identity: ObjectIdentity | undefined,
    public readonly clusterScoped: boolean,
    public readonly cacheKey: string,
    public readonly localProblems: RelativeProblem[],
    public readonly modelRequests: ModelRequest[],
    private readonly cached?: RelativeProblem[],
  ) {}

  /** Whether the kubernetes-models worker still has to validate parts of this object. */
  public get needsModels(): boolean {
    return this.cached === undefined && this.modelRequests.length > 0;
  }

  public problems(): ManifestProblem[] {
    const relative = this.cached ?? this.mergeModelProblems();
    if (this.identity) {
      RESULT_CACHE.set(this.cacheKey, relative);
    }
    const object = this.identity?.label ?? '<not a Kubernetes object>';
    return relative.map(p => ({ index: this.index, object, path: p.path, message: p.message }));
  }

  private mergeModelProblems(): RelativeProblem[] {
    const flagged = this.localProblems.map(p => p.path);
    const extra = this.modelRequests.flatMap((request, i) =>
      this.modelReplies[i].errors.map(error => modelProblem(request.at, error)));
    const seen = new Set<string>();
    const kept = extra.filter(p => {
      const key = `${p.path}\n${p.message}`;
      const covered = flagged.some(f => p.path === f || p.path.startsWith(`${f}/`));
      const keep = !covered && !seen.has(key);
      seen.add(key);
      return keep;
    });
    return [...this.localProblems, ...kept];
  }
}

const RESULT_CACHE = new Map<string, RelativeProblem[]>();

function planObjectCheck(object: unknown, index: number, options: ManifestCheckOptions): ObjectCheck {
  const identity = identify(object);
  if (!identity) {
    const problem = { path: '', message: 'not a Kubernetes object: needs string apiVersion and kind' };
    return new ObjectCheck(index, undefined, false, '', [problem], []);
  }
  const crd = coreTypes().hasKind(identity.apiVersion, identity.kind) ? undefined : findCrdVersion(identity, options);
  const clusterScoped = crd ? crd.clusterScoped : CLUSTER_SCOPED_CORE_KINDS.has(`${identity.group}/${identity.kind}`);
  const cacheKey = `${crd?.source ?? 'core'}\n${JSON.stringify(object)}`;
  const cached = RESULT_CACHE.get(cacheKey);
  if (cached) {
    return new ObjectCheck(index, identity, clusterScoped, cacheKey, [], [], cached);
  }
  const plan = crd ? planCustomResource(object as any, crd) : planCoreOrUnknown(object as any, identity, options);
  return new ObjectCheck(index, identity, clusterScoped, cacheKey, [...plan.problems, ...nameProblems(object as any)], plan.requests);
}

interface CheckPlan {
  readonly problems: RelativeProblem[];
  readonly requests: ModelRequest[];
}

function nameProblems(object: { [key: string]: any }): RelativeProblem[] {
  if (isPlainObject(object.metadata) && object.metadata.name !== undefined) {
    return [];
  }
  return [{ path: '/metadata/name', message: 'missing required field "name": kubectl apply and Argo CD need a name' }];
}

function planCoreOrUnknown(object: { [key: string]: any }, identity: ObjectIdentity, options: ManifestCheckOptions): CheckPlan {
  const shape = coreTypes().kindShape(identity.apiVersion, identity.kind);
  if (!shape) {
    return { problems: [{ path: '', message: noSchemaMessage(identity, options) }], requests: [] };
  }
  const problems: RelativeProblem[] = [];
  checkShape(shape, object, '', problems);
  const request = {
    module: `kubernetes-models/${identity.apiVersion}/${identity.kind}`,
    exportName: identity.kind,
    value: object,
    at: '',
  };
  return { problems, requests: [request] };
}

function noSchemaMessage(identity: ObjectIdentity, options: ManifestCheckOptions): string {
  const crds = crdIndex().versionsOf(identity.group, identity.kind);
  if (crds.length === 0) {
    return `no schema for ${identity.apiVersion} ${identity.kind}: not a kind in kubernetes-types and no reference CRD defines it`;
  }
  const requested = options.crdFiles?.[`${identity.apiVersion}/${identity.kind}`];
  const known = crds.map(v => `${v.name}${v.served ? '' : ' (not served)'} in ${v.source}`).join('; ');
  const file = requested ? ` in ${requested}` : '';
  return `no schema for ${identity.apiVersion} ${identity.kind}${file}: version ${identity.version} is not served (CRD versions: ${known})`;
}

function modelProblem(at: string, error: ModelError): RelativeProblem {
  const pathOf = at + error.instancePath;
  if (error.keyword === 'required') {
    return { path: pointerTo(pathOf, error.params.missingProperty), message: `missing required field "${error.params.missingProperty}"` };
  }
  const allowed = Array.isArray(error.params.allowedValues) ? `: ${error.params.allowedValues.join(', ')}` : '';
  return { path: pathOf, message: `${error.message}${allowed} (kubernetes-models)` };
}

// ---------------------------------------------------------------------------------------------------------------
// Core kinds: shapes read from kubernetes-types through the TypeScript checker.

type Shape =
  | { readonly type: 'string' | 'number' | 'boolean' | 'quantity' | 'any' }
  | { readonly type: 'literal'; readonly value: string }
  | { readonly type: 'array'; readonly items: Shape }
  | { readonly type: 'map'; readonly values: Shape }
  | StructShape
  | { readonly type: 'union'; readonly members: readonly Shape[] };

interface StructShape {
  readonly type: 'struct';
  readonly name: string;
  readonly fields: Map<string, FieldShape>;
}

interface FieldShape {
  readonly shape: Shape;
  readonly required: boolean;
}

const KUBERNETES_TYPES_DIR = path.dirname(require.resolve('kubernetes-types/package.json'));

/** API groups whose kubernetes-types folder is not the group's first DNS label. */
const KUBERNETES_TYPES_FOLDERS: { readonly [group: string]: string } = {
  '': 'core',
  'internal.apiserver.k8s.io': 'apiserverinternal',
};

class KubernetesTypes {
  private readonly program: ts.Program;
  private readonly checker: ts.TypeChecker;
  private readonly shapes = new Map<ts.Type, Shape>();
  private readonly kinds = new Map<string, StructShape | undefined>();

  constructor() {
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es5.d.ts'],
      types: [],
    };
    this.program = ts.createProgram({ rootNames: declarationFiles(KUBERNETES_TYPES_DIR), options });
    this.checker = this.program.getTypeChecker();
  }

  public hasKind(apiVersion: string, kind: string): boolean {
    return this.kindShape(apiVersion, kind) !== undefined;
  }

  /** The shape of a top-level kind, or `undefined` when kubernetes-types has no such kind at that apiVersion. */
  public kindShape(apiVersion: string, kind: string): StructShape | undefined {
    const key = `${apiVersion}/${kind}`;
    if (!this.kinds.has(key)) {
      this.kinds.set(key, this.findKind(apiVersion, kind));
    }
    return this.kinds.get(key);
  }

  /** The shape of the ObjectMeta of every kind. */
  public objectMetaShape(): StructShape {
    return this.interfaceShape('meta', 'v1', 'ObjectMeta')!;
  }

  private findKind(apiVersion: string, kind: string): StructShape | undefined {
    const group = groupOf(apiVersion);
    if (group.includes('.') && !group.endsWith('.k8s.io')) {
      return undefined;
    }
    const folder = KUBERNETES_TYPES_FOLDERS[group] ?? group.split('.')[0];
    const shape = this.interfaceShape(folder, versionOf(apiVersion), kind);
    const isKind = shape && isLiteralField(shape, 'apiVersion', apiVersion) && isLiteralField(shape, 'kind', kind);
    return isKind ? shape : undefined;
  }

  /** The shape of an interface exported by `kubernetes-types/<folder>/<version>`. */
  private interfaceShape(folder: string, version: string, name: string): StructShape | undefined {
    const source = this.program.getSourceFile(path.join(KUBERNETES_TYPES_DIR, folder, `${version}.d.ts`));
    const moduleSymbol = source && this.checker.getSymbolAtLocation(source);
    const symbol = moduleSymbol && this.checker.getExportsOfModule(moduleSymbol).find(s => s.name === name);
    if (!symbol || !hasFlag(symbol.flags, ts.SymbolFlags.Interface)) {
      return undefined;
    }
    const shape = this.shapeOf(this.checker.getDeclaredTypeOfSymbol(symbol));
    return shape.type === 'struct' ? shape : undefined;
  }

  private shapeOf(type: ts.Type, declared?: ts.TypeNode): Shape {
    // `type Quantity = string` in kubernetes-types, but the API accepts numbers too (`cpu: 1`).
    if (declared && ts.isTypeReferenceNode(declared) && ts.isIdentifier(declared.typeName) && declared.typeName.text === 'Quantity') {
      return { type: 'quantity' };
    }
    const nonNull = this.checker.getNonNullableType(type);
    let shape = this.shapes.get(nonNull);
    if (!shape) {
      shape = this.newShape(nonNull);
      this.shapes.set(nonNull, shape);
    }
    return shape;
  }

  private newShape(type: ts.Type): Shape {
    if (hasFlag(type.flags, ts.TypeFlags.Boolean) || hasFlag(type.flags, ts.TypeFlags.BooleanLiteral)) {
      return { type: 'boolean' };
    }
    if (hasFlag(type.flags, ts.TypeFlags.String)) {
      return { type: 'string' };
    }
    if (hasFlag(type.flags, ts.TypeFlags.Number)) {
      return { type: 'number' };
    }
    if (type.isStringLiteral()) {
      return { type: 'literal', value: type.value };
    }
    if (type.isUnion()) {
      return { type: 'union', members: type.types.map(member => this.shapeOf(member)) };
    }
    if (this.checker.isArrayType(type)) {
      return { type: 'array', items: this.shapeOf(this.checker.getTypeArguments(type as ts.TypeReference)[0]) };
    }
    if (hasFlag(type.flags, ts.TypeFlags.Object)) {
      return this.objectShape(type);
    }
    throw new Error(`manifest-checker: unsupported kubernetes-types type ${this.checker.typeToString(type)}`);
  }

  private objectShape(type: ts.Type): Shape {
    const properties = this.checker.getPropertiesOfType(type);
    const indexInfos = this.checker.getIndexInfosOfType(type);
    if (properties.length === 0 && indexInfos.length === 0) {
      // RawExtension, JSON, FieldsV1: any JSON value.
      return { type: 'any' };
    }
    if (properties.length === 0 && indexInfos.length === 1) {
      return { type: 'map', values: this.shapeOf(indexInfos[0].type, indexInfos[0].declaration?.type) };
    }
    if (indexInfos.length > 0) {
      throw new Error(`manifest-checker: unsupported kubernetes-types type ${this.checker.typeToString(type)}`);
    }
    // Registered before the fields are filled in: kinds such as JSONSchemaProps are recursive.
    const shape: StructShape = { type: 'struct', name: this.checker.typeToString(type), fields: new Map() };
    this.shapes.set(type, shape);
    for (const property of properties) {
      const declaration = property.valueDeclaration;
      const declared = declaration && ts.isPropertySignature(declaration) ? declaration.type : undefined;
      shape.fields.set(property.name, {
        shape: this.shapeOf(this.checker.getTypeOfSymbol(property), declared),
        required: !hasFlag(property.flags, ts.SymbolFlags.Optional),
      });
    }
    return shape;
  }
}

/** Whether a TypeScript flags bit mask has `flag` set. */
function hasFlag(flags: number, flag: number): boolean {
  // eslint-disable-next-line no-bitwise
  return (flags & flag) !== 0;
}

function isLiteralField(shape: StructShape, field: string, value: string): boolean {
  const fieldShape = shape.fields.get(field)?.shape;
  return fieldShape?.type === 'literal' && fieldShape.value === value;
}

function declarationFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return declarationFiles(full);
    }
    return entry.name.endsWith('.d.ts') ? [full] : [];
  }).sort();
}

let coreTypesInstance: KubernetesTypes | undefined;

function coreTypes(): KubernetesTypes {
  coreTypesInstance ??= new KubernetesTypes();
  return coreTypesInstance;
}

function checkShape(shape: Shape, value: unknown, pointer: string, out: RelativeProblem[]): void {
  switch (shape.type) {
    case 'any':
      return;
    case 'string':
    case 'number':
    case 'boolean':
      return expectJsonType(shape.type, value, pointer, out);
    case 'quantity':
      if (typeof value !== 'string' && typeof value !== 'number') {
        out.push({ path: pointer, message: `expected a quantity (string or number), got ${jsonTypeOf(value)}` });
      }
      return;
    case 'literal':
      if (value !== shape.value) {
        out.push({ path: pointer, message: `expected "${shape.value}"` });
      }
      return;
    case 'array':
      return checkArray(shape.items, value, pointer, out);
    case 'map':
      return checkMap(shape.values, value, pointer, out);
    case 'struct':
      return checkStruct(shape, value, pointer, out);
    case 'union':
      return checkUnion(shape.members, value, pointer, out);
  }
}

function expectJsonType(expected: string, value: unknown, pointer: string, out: RelativeProblem[]): void {
  const actual = jsonTypeOf(value);
  if (actual !== expected) {
    out.push({ path: pointer, message: `expected ${expected}, got ${actual}` });
  }
}

function checkArray(items: Shape, value: unknown, pointer: string, out: RelativeProblem[]): void {
  if (!Array.isArray(value)) {
    return expectJsonType('array', value, pointer, out);
  }
  value.forEach((item, i) => checkShape(items, item, pointerTo(pointer, i), out));
}

function checkMap(values: Shape, value: unknown, pointer: string, out: RelativeProblem[]): void {
  if (!isPlainObject(value)) {
    return expectJsonType('object', value, pointer, out);
  }
  for (const [key, item] of Object.entries(value)) {
    checkShape(values, item, pointerTo(pointer, key), out);
  }
}

function checkStruct(shape: StructShape, value: unknown, pointer: string, out: RelativeProblem[]): void {
  if (!isPlainObject(value)) {
    return expectJsonType('object', value, pointer, out);
  }
  for (const [key, item] of Object.entries(value)) {
    const field = shape.fields.get(key);
    if (field) {
      checkShape(field.shape, item, pointerTo(pointer, key), out);
    } else {
      out.push({ path: pointerTo(pointer, key), message: `unknown field "${key}": ${shape.name} has no such field (the API server would prune it)` });
    }
  }
  for (const [key, field] of shape.fields) {
    if (field.required && value[key] === undefined) {
      out.push({ path: pointerTo(pointer, key), message: `missing required field "${key}" of ${shape.name}` });
    }
  }
}

function checkUnion(members: readonly Shape[], value: unknown, pointer: string, out: RelativeProblem[]): void {
  const attempts = members.map(member => {
    const problems: RelativeProblem[] = [];
    checkShape(member, value, pointer, problems);
    return { member, problems };
  });
  if (attempts.some(a => a.problems.length === 0)) {
    return;
  }
  const sameJsonType = attempts.filter(a => acceptsJsonType(a.member, jsonTypeOf(value)));
  if (sameJsonType.length === 1) {
    out.push(...sameJsonType[0].problems);
    return;
  }
  const expected = [...new Set(members.map(describeShape))].join(' or ');
  out.push({ path: pointer, message: `expected ${expected}, got ${jsonTypeOf(value)}` });
}

/** Whether a member of a union (never itself a union: TypeScript flattens them) can hold a JSON value of the type. */
function acceptsJsonType(shape: Shape, jsonType: string): boolean {
  switch (shape.type) {
    case 'struct':
    case 'map':
      return jsonType === 'object';
    case 'literal':
      return jsonType === 'string';
    default:
      return shape.type === jsonType;
  }
}

function describeShape(shape: Shape): string {
  switch (shape.type) {
    case 'struct':
      return shape.name;
    case 'literal':
      return `"${shape.value}"`;
    case 'map':
      return 'object';
    default:
      return shape.type;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// kubernetes-models, in a worker thread: the caller blocks on a SharedArrayBuffer until the worker answers, so the
// checker stays synchronous.

const MODELS_WORKER_SCRIPT = path.join(__dirname, 'kubernetes-models-validate.mjs');
const MODELS_TIMEOUT_MS = 30_000;

class KubernetesModelsWorker {
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: MessagePort;

  constructor() {
    const channel = new MessageChannel();
    const worker = new Worker(MODELS_WORKER_SCRIPT, {
      workerData: { port: channel.port2, signal: this.signal },
      transferList: [channel.port2],
    });
    worker.unref();
    channel.port1.unref();
    this.port = channel.port1;
  }

  public validate(requests: ModelRequest[]): ModelReply[] {
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage({ requests: requests.map(({ module, exportName, value }) => ({ module, exportName, value })) });
    if (Atomics.wait(this.signal, 0, 0, MODELS_TIMEOUT_MS) === 'timed-out') {
      throw new Error(`manifest-checker: ${MODELS_WORKER_SCRIPT} did not answer within ${MODELS_TIMEOUT_MS} ms`);
    }
    const reply = receiveMessageOnPort(this.port)?.message;
    if (!reply || reply.failure) {
      throw new Error(`manifest-checker: kubernetes-models worker failed: ${reply?.failure ?? 'no reply'}`);
    }
    return reply.replies;
  }
}

let modelsWorkerInstance: KubernetesModelsWorker | undefined;

function modelsWorker(): KubernetesModelsWorker {
  modelsWorkerInstance ??= new KubernetesModelsWorker();
  return modelsWorkerInstance;
}

function runModelValidations(checks: ObjectCheck[]): void {
  const pending = checks.filter(check => check.needsModels);
  if (pending.length === 0) {
    return;
  }
  const replies = modelsWorker().validate(pending.flatMap(check => check.modelRequests));
  let next = 0;
  for (const check of pending) {
    check.modelReplies = replies.slice(next, next + check.modelRequests.length);
    next += check.modelRequests.length;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Custom resources: the reference CRDs.

interface CrdVersion {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
  readonly served: boolean;
  readonly clusterScoped: boolean;
  /** Path of the CRD file relative to the reference folder (absolute when outside it). */
  readonly source: string;
  /** The version's `openAPIV3Schema` as written. */
  readonly schema: any;
  /** The schema with every object closed (see `closeSchema`). */
  readonly closedSchema: object;
}

class CrdIndex {
  private readonly versions: CrdVersion[] = [];
  private readonly validators = new Map<CrdVersion, ValidateFunction>();
  private readonly ajv = newAjv();
  private readonly loaded = new Set<string>();
  /** Files not parsed yet, by the `group/Kind` their text names: parsing all the YAML up front takes about 1 s. */
  private readonly unparsed = new Map<string, string>();

  constructor() {
    for (const file of yamlFiles(REFERENCE_DIR)) {
      const groupKind = peekCrdGroupKind(fs.readFileSync(path.join(REFERENCE_DIR, file), 'utf8'));
      if (groupKind) {
        this.unparsed.set(file, groupKind);
      } else {
        this.load(file);
      }
    }
  }

  public versionsOf(group: string, kind: string): CrdVersion[] {
    for (const [file, groupKind] of this.unparsed) {
      if (groupKind === `${group}/${kind}`) {
        this.load(file);
        if (!this.versions.some(v => v.source === file && `${v.group}/${v.kind}` === groupKind)) {
          throw new Error(`manifest-checker: ${file} does not define ${groupKind} although its text says so`);
        }
      }
    }
    return this.versions.filter(v => v.group === group && v.kind === kind);
  }

  /** The served version of a kind, from `crdFile` or from the default file for the kind. */
  public find(group: string, version: string, kind: string, crdFile?: string): CrdVersion | undefined {
    const source = crdFile ? this.load(crdFile) : this.defaultSource(group, kind, version);
    if (crdFile && !this.versionsOf(group, kind).some(v => v.source === source)) {
      throw new Error(`manifest-checker: ${crdFile} does not define ${group} ${kind}`);
    }
    return this.versionsOf(group, kind).find(v => v.name === version && v.source === source && v.served);
  }

  public validate(version: CrdVersion, value: unknown): ErrorObject[] {
    let validator = this.validators.get(version);
    if (!validator) {
      validator = this.ajv.compile(version.closedSchema);
      this.validators.set(version, validator);
    }
    return validator(value) ? [] : validator.errors ?? [];
  }

  private defaultSource(group: string, kind: string, version: string): string | undefined {
    const sources = [...new Set(this.versionsOf(group, kind).filter(v => v.name === version).map(v => v.source))];
    if (sources.length <= 1) {
      return sources[0];
    }
    const preferred = DEFAULT_CRD_FILES[`${group}/${kind}`];
    if (!preferred || !sources.includes(preferred)) {
      throw new Error(`manifest-checker: several CRD files define ${group} ${kind} (${sources.join(', ')}); add one to DEFAULT_CRD_FILES`);
    }
    return preferred;
  }

  /** Indexes the CRDs of a file once; returns the file's key. */
  private load(file: string): string {
    const absolute = path.isAbsolute(file) ? file : path.join(REFERENCE_DIR, file);
    const source = path.relative(REFERENCE_DIR, absolute).startsWith('..') ? absolute : path.relative(REFERENCE_DIR, absolute);
    if (!this.loaded.has(source)) {
      this.loaded.add(source);
      this.unparsed.delete(source);
      const documents = YAML.parseAllDocuments(fs.readFileSync(absolute, 'utf8')).map(d => d.toJS());
      for (const crd of documents.filter(d => d?.kind === 'CustomResourceDefinition')) {
        this.versions.push(...crdVersions(crd, source));
      }
    }
    return source;
  }
}

/**
 * The `group/Kind` of a file holding exactly one CRD as controller-gen writes it (`spec.group`, `spec.names.kind`),
 * read from the text; `undefined` for any other file, which is then parsed at once.
 */
function peekCrdGroupKind(text: string): string | undefined {
  if ((text.match(/^kind: CustomResourceDefinition$/gm) ?? []).length !== 1) {
    return undefined;
  }
  const group = text.match(/^ {2}group: (\S+)$/m)?.[1];
  const kind = text.match(/^ {2}names:\n(?: {4}.*\n)*? {4}kind: (\S+)$/m)?.[1];
  return group && kind ? `${group}/${kind}` : undefined;
}

function crdVersions(crd: any, source: string): CrdVersion[] {
  return crd.spec.versions.map((version: any) => {
    const schema = version.schema?.openAPIV3Schema ?? { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true };
    return {
      group: crd.spec.group,
      kind: crd.spec.names.kind,
      name: version.name,
      served: version.served === true,
      clusterScoped: crd.spec.scope === 'Cluster',
      source,
      schema,
      closedSchema: closeSchema(schema, true),
    };
  });
}

/**
 * Adds `additionalProperties: false` to every object schema that neither keeps unknown fields
 * (`x-kubernetes-preserve-unknown-fields: true`) nor declares `additionalProperties`, reached through
 * `properties`, `items` and `additionalProperties`: the API server prunes every field such a schema does not list
 * (all of them for a bare `type: object`, e.g. ImageUpdater `pullRequest.github`). Branches of
 * `allOf`/`anyOf`/`oneOf`/`not` stay open: in a structural schema they only restrict fields declared outside them.
 * The root `metadata` stays open: the API server handles it, and it is checked as a core ObjectMeta.
 */
function closeSchema(schema: any, isRoot: boolean): any {
  if (!isPlainObject(schema)) {
    return schema;
  }
  const closed: { [key: string]: any } = { ...schema };
  if (isPlainObject(schema.properties)) {
    closed.properties = Object.fromEntries(Object.entries(schema.properties).map(([key, property]) =>
      [key, isRoot && key === 'metadata' ? property : closeSchema(property, false)]));
  }
  if (isPlainObject(schema.items)) {
    closed.items = closeSchema(schema.items, false);
  }
  if (isPlainObject(schema.additionalProperties)) {
    closed.additionalProperties = closeSchema(schema.additionalProperties, false);
  }
  const isObject = schema.type === 'object' || isPlainObject(schema.properties);
  if (isObject && schema.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
    closed.additionalProperties = false;
  }
  return closed;
}

function newAjv(): Ajv {
  // Formats the API server does not know (such as `https`) are ignored there and, with strict: false, here too.
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  addFormats(ajv, ['date-time', 'byte', 'int32', 'int64']);
  return ajv;
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return yamlFiles(full);
    }
    return /\.ya?ml$/.test(entry.name) ? [path.relative(REFERENCE_DIR, full)] : [];
  }).sort();
}

let crdIndexInstance: CrdIndex | undefined;

function crdIndex(): CrdIndex {
  crdIndexInstance ??= new CrdIndex();
  return crdIndexInstance;
}

function findCrdVersion(identity: ObjectIdentity, options: ManifestCheckOptions): CrdVersion | undefined {
  const crdFile = options.crdFiles?.[`${identity.apiVersion}/${identity.kind}`];
  return crdIndex().find(identity.group, identity.version, identity.kind, crdFile);
}

function planCustomResource(object: { [key: string]: any }, crd: CrdVersion): CheckPlan {
  const problems = crdIndex().validate(crd, object).filter(notInsideFailedBranch).map(ajvProblem);
  problems.push(...celProblems(crd, object));
  const requests: ModelRequest[] = [];
  if (object.metadata !== undefined) {
    checkShape(coreTypes().objectMetaShape(), object.metadata, '/metadata', problems);
    requests.push({ module: '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta', exportName: 'ObjectMeta', value: object.metadata, at: '/metadata' });
  }
  return { problems, requests };
}

/** ajv reports the failures of each `anyOf`/`oneOf` branch as well as the combined failure; keep the latter. */
function notInsideFailedBranch(error: ErrorObject, _i: number, errors: ErrorObject[]): boolean {
  return !errors.some(other =>
    (other.keyword === 'anyOf' || other.keyword === 'oneOf') && error.schemaPath.startsWith(`${other.schemaPath}/`));
}

function ajvProblem(error: ErrorObject): RelativeProblem {
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        path: pointerTo(error.instancePath, error.params.additionalProperty),
        message: `unknown field "${error.params.additionalProperty}": not in the CRD schema (the API server would prune it)`,
      };
    case 'required':
      return { path: pointerTo(error.instancePath, error.params.missingProperty), message: `missing required field "${error.params.missingProperty}"` };
    case 'enum':
      return { path: error.instancePath, message: `${error.message}: ${error.params.allowedValues.join(', ')}` };
    default:
      return { path: error.instancePath, message: error.message ?? error.keyword };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CEL rules (x-kubernetes-validations).

interface CelRule {
  readonly rule: string;
  readonly message?: string;
}

type CelEvaluator = (self: any) => boolean;

/**
 * The CEL rule shapes evaluated here, with their CEL meaning:
 * - `self.metadata.name == '<name>'`: singleton CRs such as the Konflux CR, which must be named `konflux`;
 * - `has(self.<a>) != has(self.<b>)`: exactly one of two fields, such as ReleasePlanAdmission
 *   `applications`/`componentGroups`.
 */
const EVALUATED_CEL_RULES: ReadonlyArray<{ readonly pattern: RegExp; readonly evaluator: (match: RegExpMatchArray) => CelEvaluator }> = [
  {
    pattern: /^self\.metadata\.name == '([^']*)'$/,
    evaluator: ([, name]) => self => self?.metadata?.name === name,
  },
  {
    pattern: /^has\(self\.(\w+)\) != has\(self\.(\w+)\)$/,
    evaluator: ([, a, b]) => self => (self?.[a] !== undefined) !== (self?.[b] !== undefined),
  },
];

function findCelEvaluator(rule: string): CelEvaluator | undefined {
  for (const { pattern, evaluator } of EVALUATED_CEL_RULES) {
    const match = rule.trim().match(pattern);
    if (match) {
      return evaluator(match);
    }
  }
  return undefined;
}

function celProblems(crd: CrdVersion, object: unknown): RelativeProblem[] {
  const problems: RelativeProblem[] = [];
  visitCelRules(crd.schema, object, '', (rule, value, pointer) => {
    const evaluate = findCelEvaluator(rule.rule);
    if (evaluate && !evaluate(value)) {
      problems.push({ path: pointer, message: `${rule.message ?? 'CEL rule failed'} (x-kubernetes-validations: ${rule.rule})` });
    }
  });
  return problems;
}

/** Calls `visit` for every CEL rule of `schema` at a place that `value` has. */
function visitCelRules(schema: any, value: unknown, pointer: string, visit: (rule: CelRule, value: unknown, pointer: string) => void): void {
  if (!isPlainObject(schema) || value === undefined) {
    return;
  }
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    visit(rule, value, pointer);
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => visitCelRules(schema.items, item, pointerTo(pointer, i), visit));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const property = schema.properties?.[key] ?? schema.additionalProperties;
      visitCelRules(property, item, pointerTo(pointer, key), visit);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rules across objects.

function crossObjectProblems(checks: ObjectCheck[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const firstIndex = new Map<string, number>();
  for (const check of checks) {
    const identity = check.identity;
    if (!identity) {
      continue;
    }
    if (check.clusterScoped && identity.namespace !== undefined) {
      problems.push({
        index: check.index,
        object: identity.label,
        path: '/metadata/namespace',
        message: `${identity.kind} is cluster-scoped: metadata.namespace must not be set`,
      });
    }
    const namespace = check.clusterScoped ? '' : identity.namespace ?? '';
    const key = [identity.group, identity.kind, namespace, identity.name ?? ''].join('\n');
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, check.index);
    } else {
      problems.push({
        index: check.index,
        object: identity.label,
        path: '/metadata/name',
        message: `duplicate of object [${first}]: same group, kind, namespace and name`,
      });
    }
  }
  return problems;
}
