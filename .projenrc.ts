import { awscdk, DependencyType, javascript, JsonFile } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-portable-platform',
  description:
    'Describe a backend platform once (gateway, services, cache, sharded MongoDB, observability) and synthesize it to AWS CloudFormation or to plain Kubernetes manifests.',
  author: 'cdk-portable-platform maintainers',
  authorAddress: 'maintainers@cdk-portable-platform.dev',
  repositoryUrl: 'https://github.com/cdk-portable-platform/cdk-portable-platform.git',
  keywords: ['aws-cdk', 'cdk8s', 'kubernetes', 'ecs', 'fargate', 'platform', 'portable'],
  license: 'Apache-2.0',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',

  cdkVersion: '2.257.0',
  constructsVersion: '10.5.1',
  peerDeps: ['cdk8s@^2.68.12', 'cdk8s-plus-27@^2.9.5'],
  typescriptVersion: '~5.9.0',
  devDeps: [
    'cdk-nag@^3.0.2',
    'aws-cdk@2.1148.1',
    'esbuild',
    'yaml@^2.8.0',
    'fast-check@^4',
    // Strict JSON-schema checks of what we emit against upstream schemas (CRDs, Traefik's file provider).
    'ajv@^6',
  ],

  // No hosted CI or release pipeline here: `.ci/run` is the CI entry point.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  jestOptions: {
    // `npm test` must never rewrite snapshots: a changed default has to show up as a failure.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestVersion: '^29',
    passWithNoTests: false,
    jestConfig: {
      testTimeout: 120_000,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      maxWorkers: 2,
    },
  },
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'examples', 'bench'],
  },
  gitignore: ['synth-output/', 'cdk.out/', '/.scratch/'],
});

// v4 pulls in unrs-resolver, whose other-platform binaries the package mirror lacks: `npm ci` then
// rejects the lock file. v3 resolves TypeScript imports for eslint just as well.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.deps.addDependency('eslint-import-resolver-typescript@3.6.3', DependencyType.BUILD);

// The synthesis benchmark against the hand-written peers (see bench/run.ts).
const bench = project.addTask('bench', {
  description: 'Benchmark synthesis time and memory against aws-ecs-patterns and cdk8s-plus-27; writes bench/results.{json,md}',
});
// Measures the library as published: compile lib/ first.
bench.spawn(project.compileTask);
bench.exec('ts-node --transpile-only --project bench/tsconfig.json bench/run.ts', { receiveArgs: true });

// jsii-docgen lists public members only: append the protected hooks, the subclassing API, to API.md.
project.tasks.tryFind('docgen')!.exec('ts-node --transpile-only --project projenrc/tsconfig.json projenrc/api-hooks.ts');

// Every example under examples/ synthesizes to synth-output/<example>/{aws,kubernetes}.
project.addTask('examples', {
  description: 'Synthesize every example to synth-output/<example>/aws and synth-output/<example>/kubernetes',
  exec: 'ts-node --transpile-only --project examples/tsconfig.json examples/synth.ts',
  receiveArgs: true,
});

// Examples and the benchmark are type-checked and linted like tests, against the library sources.
for (const dir of ['examples', 'bench']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { noEmit: true, rootDir: '..', stripInternal: true },
      include: ['**/*.ts'],
      exclude: ['node_modules'],
    },
  });
}

// ts-jest transpiles each test file alone (isolatedModules) and so cannot see type errors across
// files: `npm test` also type-checks the tests, examples and benchmark as whole programs.
new JsonFile(project, 'test/tsconfig.typecheck.json', {
  obj: { extends: './tsconfig.json', compilerOptions: { isolatedModules: false } },
});
project.testTask.exec('tsc --noEmit -p test/tsconfig.typecheck.json');
project.testTask.exec('tsc --noEmit -p examples/tsconfig.json');
project.testTask.exec('tsc --noEmit -p bench/tsconfig.json');

// The package holds what users need (lib/, .jsii, API.md, README, LICENSE, package.json): examples,
// the benchmark, contributor docs and CI scripts stay in the repository (test/package/npm-pack.test.ts).
for (const pattern of ['/examples/', '/bench/', '/docs/', '/.ci/', '/synth-output/', '/cdk.out/', '/.scratch/']) {
  project.addPackageIgnore(pattern);
}

// projen appends its own patterns, which would treat src/**/spec.ts as tests: keep only ours.
project.package.file.addOverride('jest.testMatch', ['<rootDir>/test/**/*.test.ts']);
project.package.file.addOverride('jest.coverageReporters', ['lcov', 'text-summary']);

project.synth();
