import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';

/** The copy of the shared reference data (real CRDs and vectors) that the tests run against. */
export const REFERENCE_DIR = path.join(__dirname, '..', 'fixtures', 'reference');

/** Absolute path of a file under the reference data, e.g. `referencePath('image-reference', 'vectors.json')`. */
export function referencePath(...parts: string[]): string {
  return path.join(REFERENCE_DIR, ...parts);
}

/** Parses a JSON file under the reference data. */
export function loadReferenceJson(...parts: string[]): any {
  return JSON.parse(fs.readFileSync(referencePath(...parts), 'utf8'));
}

/** Parses every YAML document of a file under the reference data. */
export function loadReferenceYaml(...parts: string[]): any[] {
  return YAML.parseAllDocuments(fs.readFileSync(referencePath(...parts), 'utf8')).map(d => d.toJS());
}
