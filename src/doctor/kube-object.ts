/**
 * Safe access to Kubernetes objects read from arbitrary manifests. Nothing in a manifest is trusted to have the
 * shape its kind promises, so every read goes through these helpers.
 */

/** A JSON object as parsed from YAML. */
export interface JsonRecord {
  readonly [key: string]: unknown;
}

/** A parsed document that names an `apiVersion` and a `kind`: a Kubernetes object as far as the doctor cares. */
export interface KubeObject extends JsonRecord {
  readonly apiVersion: string;
  readonly kind: string;
}

/** Which object a finding or an explanation is about. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  /** `metadata.namespace` as written; absent when the manifest leaves it to `kubectl -n` or Argo CD. */
  readonly namespace?: string;
  /** `metadata.name` as written; absent when the manifest has none (e.g. `generateName`). */
  readonly name?: string;
}

export function asRecord(value: unknown): JsonRecord | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value as JsonRecord : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value at a path of object keys, or undefined as soon as a step is not an object. */
export function fieldAt(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    const record = asRecord(current);
    if (record === undefined || !Object.prototype.hasOwnProperty.call(record, key)) {
      return undefined;
    }
    current = record[key];
  }
  return current;
}

export function hasField(value: unknown, ...path: string[]): boolean {
  return fieldAt(value, ...path) !== undefined;
}

export function isKubeObject(value: unknown): value is KubeObject {
  const record = asRecord(value);
  return record !== undefined && typeof record.apiVersion === 'string' && typeof record.kind === 'string';
}

/**
 * Labels or annotations as strings. The API server rejects non-string values; reading them as text keeps the
 * analysis going (an unquoted `true` still means "true" to whoever wrote it).
 */
export function stringMap(value: unknown): { [key: string]: string } {
  const record = asRecord(value) ?? {};
  const result: { [key: string]: string } = {};
  for (const [key, item] of Object.entries(record)) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') {
      result[key] = String(item);
    }
  }
  return result;
}

export function nameOf(object: KubeObject): string | undefined {
  return asString(fieldAt(object, 'metadata', 'name'));
}

export function namespaceOf(object: KubeObject): string | undefined {
  return asString(fieldAt(object, 'metadata', 'namespace'));
}

export function labelsOf(object: KubeObject): { [key: string]: string } {
  return stringMap(fieldAt(object, 'metadata', 'labels'));
}

export function annotationsOf(object: KubeObject): { [key: string]: string } {
  return stringMap(fieldAt(object, 'metadata', 'annotations'));
}

/** The API group of an `apiVersion`: `apps/v1` → `apps`, `v1` → `` (core). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether the object is `kind` in the API group `group` (any version). */
export function isKind(object: KubeObject, group: string, kind: string): boolean {
  return object.kind === kind && groupOf(object.apiVersion) === group;
}

export function refOf(object: KubeObject): ObjectRef {
  return { apiVersion: object.apiVersion, kind: object.kind, namespace: namespaceOf(object), name: nameOf(object) };
}

/** `Secret team-a/regcred`, `Namespace dp-acme`, `Secret regcred` (no namespace written). */
export function describeRef(ref: ObjectRef): string {
  const name = ref.name ?? '<unnamed>';
  return `${ref.kind} ${ref.namespace !== undefined ? `${ref.namespace}/` : ''}${name}`;
}

/** The names listed in a `[{name: …}]` reference list such as `imagePullSecrets` or `secrets`. */
export function referencedNames(value: unknown): string[] {
  return asArray(value)
    .map(item => asString(fieldAt(item, 'name')))
    .filter((name): name is string => name !== undefined && name !== '');
}
