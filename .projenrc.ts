import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-registries',
  description: 'cdk8s constructs for container registry credentials on developer platforms (OpenChoreo, Choreo, Konflux): push and pull secrets, replication, GitOps-safe delivery.',
  author: 'cdk8s-registries maintainers',
  authorAddress: 'maintainers@users.noreply.example.com',
  repositoryUrl: 'https://github.com/cdk8s-registries/cdk8s-registries.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  // cdk8s 2 (projen defaults to the end-of-life cdk8s 1) with versions that exist on the registry here.
  cdk8sVersion: '2.70.0',
  constructsVersion: '10.4.2',
  jsiiVersion: '~6.0.0',
  peerDeps: ['cdk8s-plus-28@^2.5.6'],

  // `npx cdk8s-registries doctor …`: explain and lint pull credentials in any directory of manifests.
  bin: { 'cdk8s-registries': 'lib/cli/main.js' },

  // Runtime helpers are bundled: jsii libraries may only depend on jsii modules otherwise.
  bundledDeps: ['re2js@^2.10.0', 'yaml@^2.9.1'],
  devDeps: [
    'cdk8s-cli@^2.207.60',
    'ajv@^8.20.0',
    'ajv-formats@^3.0.1',
    'fast-check@^4.10.2',
    'kubernetes-types@^1.30.0',
    'kubernetes-models@^5.1.0',
    // Pull coverage reads workloads as JSON, so it must work for every cdk8s-plus line: tests check plus-33 too.
    'cdk8s-plus-33@^2.5.57',
  ],

  // CI is .ci/run on a clean clone; no GitHub workflows.
  github: false,
  release: false,
  // jsii-pacmak would otherwise write into dist/, which is where `cdk8s synth` puts the examples.
  artifactsDirectory: 'dist-package',
  // Golden files and snapshots are never rewritten by a test run.
  jestOptions: {
    // Jest 30 resolves modules with unrs-resolver, whose per-platform optional packages the npm registry here serves
    // only for Linux, so `npm ci` refuses the lock file; Jest 29 has no such dependency.
    jestVersion: '^29',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testTimeout: 60_000,
    },
  },
  // test/tsconfig.json type-checks the tests and the examples (ts-jest only transpiles).
  tsconfigDev: { include: ['../examples/**/*.ts', '../bench/**/*.ts', '../scripts/**/*.ts'], compilerOptions: {} },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'examples', 'scripts', 'bench', 'projenrc', '.projenrc.ts'] },
  gitignore: ['/dist/', '/dist-package/', '/test/.tmp/', '/.bench/'],
  npmignoreEnabled: true,
});

// eslint-import-resolver-typescript 4.x depends on unrs-resolver too (see jestVersion); 3.6 uses enhanced-resolve.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.addDevDeps('eslint-import-resolver-typescript@3.6.3');
// ts-jest needs jest-util, an optional peer that npm does not install for it.
project.addDevDeps('jest-util@^29');

// The examples and their cdk8s app are not part of the published package.
project.npmignore?.exclude('/examples/', '/cdk8s.yaml', '/.ci/', '/bench/', '/.bench/', '/scripts/', '/docs/');
// jsii-pacmak appends its output folder to .npmignore unless the line is already there (which would be drift in CI).
project.npmignore?.exclude('dist-package');

// `npm run bench -- [--quick] [--orgs N --projects N --envs N]`: synthesis at platform size, ours vs raw cdk8s vs kubectl.
project.addTask('bench', {
  description: 'Synthesis benchmark: our constructs vs raw cdk8s vs a kubectl loop',
  exec: 'ts-node -T -P bench/tsconfig.json bench/run.ts',
  receiveArgs: true,
});

// `npx projen import-crds`: src/imports/ from the pinned CRDs in test/fixtures/reference (`cdk8s import`, offline) and the
// CRD field trees the escape-hatch checks walk. The output is committed; test/imports.test.ts fails when it is stale.
project.addTask('import-crds', {
  description: 'Regenerate src/imports/ (typed classes and CRD field trees) from the CRD files in test/fixtures/reference',
  exec: 'ts-node -P scripts/tsconfig.json scripts/import-crds.ts',
});
// Generated code is not linted (as in cdk8s-plus).
project.eslint?.addIgnorePattern('src/imports/');

// `npx projen conformance`: install the real software (Debian packages, root only) and run the conformance suite
// against it: docker-registry + skopeo for credentials, Go text/template + sprig for templates, Go regexp for mittwald.
project.addTask('conformance', {
  description: 'Install the conformance tools (Debian, when root) and run test/conformance against real software',
  steps: [
    { exec: 'bash scripts/conformance-setup.sh' },
    { exec: 'jest --coverage=false test/conformance' },
  ],
});

// Type-check tests, examples and benchmarks before running them; ts-jest runs with isolatedModules.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

project.synth();
