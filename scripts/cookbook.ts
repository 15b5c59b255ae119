/**
 * Writes docs/cookbook.md from the example list in `examples/index.ts`, each example's source and its golden YAML
 * under `test/golden/`:
 *
 *   npx ts-node -P test/tsconfig.json scripts/cookbook.ts
 *
 * `test/readme.test.ts` fails when the file differs from what this script renders.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Names } from 'cdk8s';
import * as YAML from 'yaml';
import { appsOf, EXAMPLES, Example } from '../examples';

const ROOT = path.join(__dirname, '..');
/** Where the cookbook is written. */
export const COOKBOOK = path.join(ROOT, 'docs', 'cookbook.md');
const GOLDEN_DIR = path.join(ROOT, 'test', 'golden');
const PACKAGE_NAME = 'cdk8s-registries';
/** Golden files up to this many lines are shown whole; longer ones up to the last object that fits. */
export const MAX_YAML_LINES = 80;
/** The line length of the examples' code. */
const MAX_CODE_COLUMNS = 120;

/** Section titles by example number; S1–S8 are the scenarios of the product brief. */
const TITLES: { [prefix: string]: string } = {
  '00': 'Quick start: plain pull secrets',
  '01': 'S1 · OpenChoreo: public push registries',
  '02': 'S2 · OpenChoreo: private push registries',
  '03': 'S3 · OpenChoreo: an external pull registry in every data-plane namespace',
  '04': 'S4 · Choreo: bring your own image',
  '05': 'S5 · Konflux: the build pipeline\'s push secret',
  '06': 'S6 · Konflux: the release pipeline\'s push secret',
  '07': 'S7 · Konflux: the Quay image-controller',
  '08': 'S8 · The same, GitOps-safe',
  '09': 'S9 · OpenChoreo v0.4–v0.17: SecretReferences in imagePullSecretRefs',
  '10': 'S10 · OpenChoreo v1.x: the DataPlane of today and pull secrets in ComponentTypes',
  '11': 'S11 · Konflux: ImageRepository and its push secret',
  '12': 'Many clusters: one App per cluster',
};

const DELIVERY_TABLE = `## Which delivery for which situation

| situation | delivery | how |
| --- | --- | --- |
| a secrets manager (Vault, AWS/GCP/Azure secret stores) holds the credential | External Secrets \`ExternalSecret\` from a \`ClusterSecretStore\` | \`SecretValue.fromExternalSecret(key)\` + \`SecretDelivery.externalSecret({ store: { name } })\` |
| ECR, Artifact Registry/GCR, ACR or Quay can mint short-lived tokens | \`ExternalSecret\` with a token generator | \`RegistryCredentials.fromTokenGenerator(registry, TokenGenerator.ecr/gcr/acr/quay(...))\` |
| the nodes' cloud identity can pull (EKS + ECR, AKS + ACR, GKE + Artifact Registry) | no Secret | \`RegistryCredentials.vendorManaged(registry, vendor)\`, declared where pulls are checked |
| a public registry | no Secret | \`RegistryCredentials.anonymous(registry)\`, declared where pulls are checked |
| no secrets manager, a Sealed Secrets controller in the cluster | Bitnami \`SealedSecret\` | \`SecretDelivery.sealedSecret({ sealingKey })\`, or values pre-sealed with \`SecretValue.sealed\` |
| the Secret is made elsewhere (by hand, by an operator) | a reference, nothing emitted | \`RegistrySecret.fromSecretName(scope, id, name, { registries })\` |
| the same pull secret in many namespaces | one source Secret plus replication | \`ReplicatedPullSecret\` (kubernetes-replicator, reflector or \`ClusterExternalSecret\`) |
| a throwaway cluster or a test | plain \`Secret\`, credential in the YAML | \`SecretValue.unsafePlainText(value)\` |
`;

const MIGRATION_NOTE = `## Migrating from \`kubectl create secret docker-registry\`

Many clusters get their pull secrets by hand:

\`\`\`sh
kubectl create secret docker-registry regcred -n team-a \\
  --docker-server=ghcr.io --docker-username=octo-bot --docker-password="$GHCR_TOKEN"
kubectl patch serviceaccount default -n team-a -p '{"imagePullSecrets":[{"name":"regcred"}]}'
\`\`\`

The same in code, with the token in your secrets manager instead of a shell history:

\`\`\`ts
const regcred = new RegistrySecret(chart, 'Regcred', {
  name: 'regcred',
  credentials: [RegistryCredentials.githubToken('octo-bot', SecretValue.fromExternalSecret('registries/ghcr', { property: 'token' }))],
  delivery: SecretDelivery.externalSecret({ store: { name: 'vault' } }),
});
new kplus.Deployment(chart, 'Web', { containers: [{ image: 'ghcr.io/acme/web:1.0.0' }], dockerRegistryAuth: regcred });
\`\`\`

- Flags map one to one: \`--docker-server\` is the registry (\`auths\` key), \`--docker-username\`/\`--docker-password\` the
  credentials, \`--docker-email\` the \`email\` option. With \`SecretValue.unsafePlainText\` the \`.dockerconfigjson\` is byte
  for byte what kubectl writes, including kubectl's default Docker Hub key \`https://index.docker.io/v1/\`
  (\`RegistryCredentials.dockerHubToken\`); \`registry-1.docker.io\` never matches Docker Hub images.
- The \`kubectl patch serviceaccount\` line becomes \`new ServiceAccountPullSecrets(chart, 'DefaultPulls', { pullSecrets:
  [regcred] })\`: a partial ServiceAccount holding only \`imagePullSecrets\`, applied server-side, never pruned. The list
  is atomic (the last applier owns all of it), so name every secret the account needs — or attach the secret to each
  workload (\`dockerRegistryAuth\`). Pods get a ServiceAccount's \`imagePullSecrets\` only when they name none.
- Adopt before you replace: reference the hand-made Secret with \`RegistrySecret.fromSecretName(chart, 'Regcred',
  'regcred', { registries: ['ghcr.io'] })\` so pull checks already cover it, then switch the reference to a managed
  \`RegistrySecret\` and delete the hand-made Secret once the managed one exists (or give the new one another name
  and move the workloads over).
- Every app checks its workloads' images against the keys of their pull secrets at synth (\`RegistryChecks\`), so the
  \`ImagePullBackOff\` that follows a typo in \`--docker-server\`, or a secret made and never attached, is a synth error.
`;

/** The whole cookbook: one section per example, the delivery table and the migration note. */
export function renderCookbook(examples: Example[] = EXAMPLES): string {
  const sections = examples.map(renderExample);
  const contents = examples.map(e => `- [${titleOf(e)}](#${githubAnchor(titleOf(e))})`).join('\n');
  return [
    '<!-- Generated by scripts/cookbook.ts from examples/ and test/golden/. Do not edit by hand: change the example, update',
    '     its golden files, then run `npx ts-node -P test/tsconfig.json scripts/cookbook.ts`. -->',
    '',
    '# Cookbook',
    '',
    'Every scenario is an example in `examples/` whose output is checked byte for byte against `test/golden/` and',
    'against the real schemas of every kind it emits. `npx cdk8s synth` writes them all to `dist/`. The code runs as it',
    'is in your own cdk8s app (`import ... from \'cdk8s-registries\'`); every credential in it is fake.',
    '',
    contents,
    '',
    ...sections,
    DELIVERY_TABLE,
    MIGRATION_NOTE,
  ].join('\n');
}

function titleOf(example: Example): string {
  return TITLES[example.name.slice(0, 2)] ?? example.name;
}

/** GitHub's heading anchors: lowercase, punctuation other than `-` and `_` dropped, spaces to `-`. */
function githubAnchor(title: string): string {
  return title.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

function renderExample(example: Example): string {
  const file = `examples/${example.name}.ts`;
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const { summary, code } = splitSummary(source);
  const yamlBlocks = goldenFilesOf(example).map(renderGolden);
  return [
    `## ${titleOf(example)}`,
    '',
    ...(summary ? [summary, ''] : []),
    `\`${file}\`:`,
    '',
    '```ts',
    packageImports(code).trimEnd(),
    '```',
    '',
    ...yamlBlocks,
  ].join('\n');
}

/** The first JSDoc block before `export function build` (or `clusters`) as prose, and the source without it. */
function splitSummary(source: string): { summary?: string; code: string } {
  const match = /\/\*\*\n((?: \*.*\n)+?) \*\/\n(export function (?:build|clusters))/.exec(source);
  if (!match) {
    return { code: source };
  }
  const summary = match[1].split('\n')
    .map(line => line.replace(/^ \* ?/, ''))
    .flatMap(jsdocTagAsProse)
    .join('\n')
    .trim()
    .split(/\n\s*\n/)
    .map(paragraph => paragraph.replace(/\s*\n\s*/g, ' '))
    .join('\n\n');
  return { summary, code: source.slice(0, match.index) + source.slice(match.index + match[0].length - match[2].length) };
}

// `@see <link>` becomes a paragraph "See <link>"; other tags are for the API docs, not the README.
function jsdocTagAsProse(line: string): string[] {
  const see = /^@see\s+(.*)$/.exec(line);
  if (see) {
    return ['', `See ${see[1]}`, ''];
  }
  return line.startsWith('@') ? [] : [line];
}

/** Imports from `../src` and its modules, merged into one import from the package, as users write it. */
function packageImports(code: string): string {
  const pattern = /^import \{([^}]*)\} from '\.\.\/src(?:\/[^']*)?';\n/gm;
  const names = new Set<string>();
  let firstIndex: number | undefined;
  for (const match of code.matchAll(pattern)) {
    firstIndex ??= match.index;
    match[1].split(',').map(n => n.trim()).filter(n => n.length > 0).forEach(n => names.add(n));
  }
  if (firstIndex === undefined) {
    return code;
  }
  const merged = importStatement([...names].sort(compareStrings));
  const withoutImports = code.replace(pattern, '');
  return withoutImports.slice(0, firstIndex) + merged + withoutImports.slice(firstIndex);
}

/** One import statement, wrapped like the examples' own code when it does not fit on a line. */
function importStatement(names: string[]): string {
  const oneLine = `import { ${names.join(', ')} } from '${PACKAGE_NAME}';`;
  if (oneLine.length <= MAX_CODE_COLUMNS) {
    return `${oneLine}\n`;
  }
  const lines: string[] = [];
  for (const name of names) {
    const last = lines.length - 1;
    if (last >= 0 && `${lines[last]} ${name},`.length <= MAX_CODE_COLUMNS) {
      lines[last] = `${lines[last]} ${name},`;
    } else {
      lines.push(`  ${name},`);
    }
  }
  return `import {\n${lines.join('\n')}\n} from '${PACKAGE_NAME}';\n`;
}

/** The golden files an example produces, found by synthesizing it into a scratch directory. */
function goldenFilesOf(example: Example): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-registries-cookbook-'));
  try {
    const apps = appsOf(example, outdir);
    apps.forEach(app => app.synth());
    // In the order the example creates its apps and charts, which is the order it explains them in.
    const chartFiles = apps.flatMap(app => app.charts.map(chart =>
      path.relative(outdir, path.join(app.outdir, `${Names.toDnsLabel(chart)}.k8s.yaml`)).split(path.sep).join('/')));
    const position = (file: string) => chartFiles.includes(file) ? chartFiles.indexOf(file) : chartFiles.length;
    return chartFiles.filter(file => fs.existsSync(path.join(outdir, file))).sort((a, b) => position(a) - position(b) || compareStrings(a, b));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function renderGolden(file: string): string {
  const relative = `test/golden/${file}`;
  const golden = path.join(GOLDEN_DIR, file);
  if (!fs.existsSync(golden)) {
    return `\`${relative}\`: not generated yet (\`UPDATE_GOLDEN=1 npx jest test/examples.test.ts\`).\n`;
  }
  return [`\`${relative}\`:`, '', '```yaml', trimYaml(fs.readFileSync(golden, 'utf8'), relative), '```', ''].join('\n');
}

/**
 * A golden file for the README: whole when it has at most `MAX_YAML_LINES` lines, else the objects that fit (at least
 * the start of the first) and a comment naming the rest and where it is.
 */
export function trimYaml(content: string, relativePath: string): string {
  const text = content.trimEnd();
  if (text.split('\n').length <= MAX_YAML_LINES) {
    return text;
  }
  const documents = text.split(/\n---\n/);
  const shown: string[] = [];
  let lines = 0;
  for (const document of documents) {
    const cost = document.split('\n').length + (shown.length > 0 ? 1 : 0);
    if (lines + cost > MAX_YAML_LINES) {
      break;
    }
    shown.push(document);
    lines += cost;
  }
  if (shown.length === 0) {
    const first = documents[0].split('\n');
    return [...first.slice(0, MAX_YAML_LINES), `# … ${first.length - MAX_YAML_LINES} more lines of this object, and the rest, in ${relativePath}`].join('\n');
  }
  const rest = documents.slice(shown.length).map(describeObject);
  return [
    shown.join('\n---\n'),
    `# … ${rest.length} more object${rest.length === 1 ? '' : 's'} in ${relativePath}:`,
    ...rest.map(object => `#   ${object}`),
  ].join('\n');
}

function describeObject(document: string): string {
  const object = YAML.parse(document) ?? {};
  return `${object.kind ?? 'object'} ${object.metadata?.name ?? ''}`.trimEnd();
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

if (require.main === module) {
  fs.writeFileSync(COOKBOOK, renderCookbook());
  console.log(`docs/cookbook.md: rewritten from ${EXAMPLES.length} examples`);
}
