import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { Inventory } from '../../src/doctor/inventory';
import { loadManifests, Manifest, ManifestSet, parseManifestText } from '../../src/doctor/manifests';

/** The repository root: file names in findings are relative to it. */
export const ROOT = path.join(__dirname, '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'doctor');
export const GOLDEN = path.join(ROOT, 'test', 'golden');

/** Reads manifests as the CLI does, with names relative to the repository root. */
export function load(...paths: string[]): ManifestSet {
  return loadManifests(paths, { cwd: ROOT });
}

export function inventoryOf(set: ManifestSet, defaultNamespace = 'default'): Inventory {
  return new Inventory(set.manifests, { defaultNamespace });
}

/** Manifests from YAML text, as if read from `file` (meant for Git). */
export function manifestsFromText(text: string, file = 'inline.yaml'): Manifest[] {
  return parseManifestText(text, file, true).manifests;
}

/** Inventory of YAML text. */
export function inventoryFromText(text: string, defaultNamespace = 'default'): Inventory {
  return new Inventory(manifestsFromText(text), { defaultNamespace });
}

/** Every `*.k8s.yaml` file in test/golden at the time the test runs. */
export function goldenFiles(): string[] {
  return fs.readdirSync(GOLDEN).filter(file => file.endsWith('.k8s.yaml')).sort().map(file => path.join(GOLDEN, file));
}

/** A `kubernetes.io/dockerconfigjson` Secret manifest with the config given as stringData. */
export function dockerConfigSecret(namespace: string, name: string, config: object, extra: object = {}): string {
  return YAML.stringify({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/dockerconfigjson',
    stringData: { '.dockerconfigjson': JSON.stringify(config) },
    ...extra,
  });
}

/**
 * Every piece of credential material in a directory of manifests: passwords, auth values, tokens, the decoded
 * docker configs and the base64 data values themselves, and every `FAKE-…` marker the fixtures use.
 */
export function secretMaterial(directory: string): string[] {
  const found = new Set<string>();
  for (const file of walk(directory)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const marker of text.match(/FAKE-[A-Za-z0-9!-]+/g) ?? []) {
      found.add(marker.replace(/[!]+$/, ''));
    }
    for (const document of YAML.parseAllDocuments(text)) {
      if (document.errors.length === 0) {
        collectSecrets(document.toJS(), found);
      }
    }
  }
  return [...found].filter(value => value.length >= 6);
}

function walk(directory: string): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(directory, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const SECRET_FIELDS = new Set(['password', 'auth', 'identitytoken', 'registrytoken']);

function collectSecrets(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) {
    value.forEach(item => collectSecrets(item, found));
    return;
  }
  if (value === null || typeof value !== 'object') {
    return;
  }
  const record = value as { [key: string]: unknown };
  if (record.kind === 'Secret') {
    for (const [key, data] of Object.entries((record.data ?? {}) as { [key: string]: string })) {
      found.add(String(data));
      collectConfig(Buffer.from(String(data), 'base64').toString('utf8'), found, key);
    }
    for (const [key, data] of Object.entries((record.stringData ?? {}) as { [key: string]: string })) {
      collectConfig(String(data), found, key);
    }
  }
  for (const [key, item] of Object.entries(record)) {
    if (SECRET_FIELDS.has(key.toLowerCase()) && typeof item === 'string') {
      found.add(item);
      if (key.toLowerCase() === 'auth') {
        found.add(Buffer.from(item, 'base64').toString('utf8').split(':').slice(1).join(':'));
      }
    }
    collectSecrets(item, found);
  }
}

function collectConfig(text: string, found: Set<string>, key: string): void {
  try {
    collectSecrets(JSON.parse(text), found);
    if (key.startsWith('.docker') || key === 'config.json') {
      found.add(text.trim());
    }
  } catch {
    // Not JSON: its FAKE- markers were collected from the raw text.
  }
}
