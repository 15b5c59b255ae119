/**
 * Writes src/imports/: the typed classes `cdk8s import` generates for every custom resource this library writes, one
 * module per CRD file (each release of the DataPlane CRD in its own module), and `crd-fields.generated.ts`, the field
 * trees of the CRD schemas that the synth-time escape-hatch checks walk (DataPlane, ReleasePlanAdmission).
 *
 *   npx projen import-crds
 *
 * The CRD files are the pinned copies in test/fixtures/reference (see the SOURCES.md next to them). Core Kubernetes
 * objects come from cdk8s-plus-28's generated classes (`import { k8s } from 'cdk8s-plus-28'`), not from here.
 * `test/imports.test.ts` fails when the committed files differ from what this script writes.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

const ROOT = path.join(__dirname, '..');
const REFERENCE = path.join(ROOT, 'test', 'fixtures', 'reference');
export const IMPORTS_DIR = path.join(ROOT, 'src', 'imports');
export const FIELDS_FILE = 'crd-fields.generated.ts';

/** One generated module: its name (the file under src/imports/), the CRD file, and whether its spec tree is written. */
interface ImportedCrd {
  readonly module: string;
  readonly file: string;
  /** Write the `spec` field tree of this CRD to crd-fields.generated.ts, for the synth-time checks. */
  readonly fields?: boolean;
}

/** Every CRD the library writes objects of. Module names are `<project>-<kind>[-<release>]`. */
export const IMPORTED_CRDS: readonly ImportedCrd[] = [
  // OpenChoreo DataPlane, one module per API shape (DataPlaneApi).
  { module: 'openchoreo-dataplane-v0-2-push', file: 'openchoreo/dataplanes.core.choreo.dev_v1_2025-06-02_push-registry.yaml', fields: true },
  { module: 'openchoreo-dataplane-pull-proposal', file: 'openchoreo/dataplanes.core.choreo.dev_v1_2025-07-03_pull-registry_pr249-unmerged.yaml', fields: true },
  { module: 'openchoreo-dataplane-v0-3-pull', file: 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2025-07-11_pull-registry.yaml', fields: true },
  { module: 'openchoreo-dataplane-v0-17', file: 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2026-03-03_imagePullSecretRefs-v0.17.0.yaml', fields: true },
  { module: 'openchoreo-dataplane-v1', file: 'openchoreo/dataplanes.openchoreo.dev_v1alpha1_2026-05-26_latest.yaml', fields: true },
  { module: 'openchoreo-secretreference', file: 'openchoreo/secretreferences.openchoreo.dev_v1alpha1_2026-05-26_latest.yaml' },
  // Konflux
  { module: 'konflux-releaseplanadmission', file: 'konflux/appstudio.redhat.com_releaseplanadmissions.yaml', fields: true },
  { module: 'konflux-imagerepository-appstudio', file: 'konflux/appstudio.redhat.com_imagerepositories.yaml' },
  { module: 'konflux-imagerepository', file: 'konflux/konflux-ci.dev_imagerepositories.yaml' },
  { module: 'konflux-konflux', file: 'konflux/konflux.konflux-ci.dev_konfluxes.yaml' },
  // Secret delivery
  { module: 'sealedsecrets', file: 'secrets/sealed-secrets-v0.36.6_bitnami.com_sealedsecrets.yaml' },
  { module: 'eso-externalsecret', file: 'secrets/eso-v2.9.0_external-secrets.io_externalsecrets.yaml' },
  { module: 'eso-clusterexternalsecret', file: 'secrets/eso-v2.9.0_external-secrets.io_clusterexternalsecrets.yaml' },
  { module: 'eso-generator-ecr', file: 'secrets/eso-v2.9.0_generators.external-secrets.io_ecrauthorizationtokens.yaml' },
  { module: 'eso-generator-gcr', file: 'secrets/eso-v2.9.0_generators.external-secrets.io_gcraccesstokens.yaml' },
  { module: 'eso-generator-acr', file: 'secrets/eso-v2.9.0_generators.external-secrets.io_acraccesstokens.yaml' },
  { module: 'eso-generator-quay', file: 'secrets/eso-v2.9.0_generators.external-secrets.io_quayaccesstokens.yaml' },
  // Argo CD
  { module: 'argocd-imageupdater', file: 'argocd/argocd-image-updater-v1.3.0_imageupdaters-crd.yaml' },
  { module: 'argocd-application', file: 'argocd/argo-cd-v3.5.1_application-crd.yaml' },
];

/** Writes every generated file into `outdir` and returns their names. */
export function renderImports(outdir: string): string[] {
  fs.mkdirSync(outdir, { recursive: true });
  const modules = runCdk8sImport();
  const fields = renderFieldTrees();
  fs.writeFileSync(path.join(outdir, FIELDS_FILE), fields);
  for (const [module, text] of modules) {
    fs.writeFileSync(path.join(outdir, `${module}.ts`), text);
  }
  return [...modules.keys()].map(module => `${module}.ts`).concat(FIELDS_FILE).sort();
}

/**
 * One `cdk8s import` run for all CRDs (the CLI takes one spec on the command line, but every import of a cdk8s.yaml),
 * in a scratch directory so that the repository's cdk8s.yaml is neither read nor changed. Offline: the specs are files.
 */
function runCdk8sImport(): Map<string, string> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-registries-import-'));
  try {
    const config = { language: 'typescript', imports: IMPORTED_CRDS.map(crd => `${crd.module}:=${path.join(REFERENCE, crd.file)}`) };
    fs.writeFileSync(path.join(work, 'cdk8s.yaml'), YAML.stringify(config));
    const cli = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s');
    execFileSync(process.execPath, [cli, 'import', '--no-check-upgrade', '--no-save', '--output', 'out'], {
      cwd: work, stdio: ['ignore', 'ignore', 'pipe'],
    });
    // The CLI names each module `<module>-<API group>.ts`; the group is dropped (each CRD file has one group).
    const written = fs.readdirSync(path.join(work, 'out'));
    return new Map(IMPORTED_CRDS.map(crd => {
      const files = written.filter(file => file.startsWith(`${crd.module}-`) && !IMPORTED_CRDS.some(other =>
        other.module.length > crd.module.length && other.module.startsWith(crd.module) && file.startsWith(`${other.module}-`)));
      if (files.length !== 1) {
        throw new Error(`cdk8s import wrote ${files.length} modules for ${crd.file}: ${files.join(', ')}`);
      }
      return [crd.module, fs.readFileSync(path.join(work, 'out', files[0]), 'utf8')];
    }));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Field trees: the parts of a CRD's openAPIV3Schema that say which fields exist where.

function renderFieldTrees(): string {
  const lines = [
    '// Generated by scripts/import-crds.ts (`npx projen import-crds`) from the CRD files in test/fixtures/reference. Do not edit.',
    '// The `spec` schema of each CRD, reduced to what the synth-time escape-hatch checks walk (src/crd-fields.ts).',
    "import type { CrdField } from '../crd-fields';",
    '',
  ];
  for (const crd of IMPORTED_CRDS.filter(c => c.fields)) {
    const spec = servedSchema(crd).properties.spec;
    lines.push(`/** \`spec\` of ${crd.file} */`);
    lines.push(`export const ${constantName(crd.module)}: CrdField = ${JSON.stringify(fieldOf(spec), null, 2)};`, '');
  }
  return lines.join('\n');
}

/** The schema of the storage version (each of these CRD files serves one version). */
function servedSchema(crd: ImportedCrd): any {
  const documents = YAML.parseAllDocuments(fs.readFileSync(path.join(REFERENCE, crd.file), 'utf8')).map(d => d.toJS());
  const definition = documents.find(d => d?.kind === 'CustomResourceDefinition');
  const versions: any[] = definition.spec.versions;
  const version = versions.find(v => v.storage) ?? versions[0];
  return version.schema.openAPIV3Schema;
}

function constantName(module: string): string {
  return `${module.toUpperCase().replace(/-/g, '_')}_SPEC`;
}

/** Keeps type, required, properties, items, "anything below", pattern, maxLength and enum, in the CRD's order. */
function fieldOf(schema: any): any {
  const field: any = {};
  if (schema.type !== undefined) {
    field.type = schema.type;
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true
    || (schema.type === 'object' && schema.properties === undefined && schema.additionalProperties === undefined)) {
    field.anything = true;
  }
  if (Array.isArray(schema.required) && schema.required.length > 0) {
    field.required = schema.required;
  }
  if (schema.properties !== undefined) {
    field.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, child]) => [name, fieldOf(child)]));
  }
  if (typeof schema.additionalProperties === 'object') {
    field.additionalProperties = fieldOf(schema.additionalProperties);
  }
  if (schema.items !== undefined) {
    field.items = fieldOf(schema.items);
  }
  for (const key of ['pattern', 'maxLength', 'enum']) {
    if (schema[key] !== undefined) {
      field[key] = schema[key];
    }
  }
  return field;
}

if (require.main === module) {
  const written = renderImports(IMPORTS_DIR);
  const stale = fs.readdirSync(IMPORTS_DIR).filter(file => !written.includes(file));
  stale.forEach(file => fs.rmSync(path.join(IMPORTS_DIR, file)));
  console.log(`src/imports: ${written.length} files written${stale.length > 0 ? `, removed ${stale.join(', ')}` : ''}`);
}
