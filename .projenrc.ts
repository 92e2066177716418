import { awscdk, javascript, JsonFile } from 'projen';
import { addCdkLatest } from './projenrc/cdk-latest';
import { addLanguages } from './projenrc/languages';
import { addLocalCloud } from './projenrc/local-cloud';
import { copyLocalReadme } from './projenrc/local-readme';
import { writeQuickStarts } from './projenrc/quick-starts';

/** The oldest aws-cdk-lib we support; dev dependencies pin exactly this version so tests are repeatable. */
const CDK_VERSION = '2.245.0';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-async-lambda',
  description:
    'Typed AWS Lambda asynchronous invocation for the AWS CDK: validated EventInvokeConfig, typed destinations, least-privilege grants.',
  author: 'cdk-async-lambda maintainers',
  authorAddress: 'maintainers@cdk-async-lambda.dev',
  repositoryUrl: 'https://github.com/cdk-async-lambda/cdk-async-lambda.git',
  keywords: ['aws-cdk', 'awscdk', 'lambda', 'lambda-destinations', 'async', 'event-invoke-config'],
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  cdkVersion: CDK_VERSION,
  constructsVersion: '10.5.1',
  jsiiVersion: '~6.0.0',
  minNodeVersion: '20.0.0',
  stability: 'experimental',

  // jsii targets: `npm test` builds the Python, Java and Go packages and uses them (projenrc/languages.ts);
  // .NET is generated only (no .NET SDK on the build machines).
  publishToPypi: { distName: 'cdk-async-lambda', module: 'cdk_async_lambda' },
  publishToMaven: {
    javaPackage: 'io.github.cdkasynclambda',
    mavenGroupId: 'io.github.cdk-async-lambda',
    mavenArtifactId: 'cdk-async-lambda',
  },
  publishToNuget: { dotNetNamespace: 'CdkAsyncLambda', packageId: 'CdkAsyncLambda' },
  publishToGo: { moduleName: 'github.com/cdk-async-lambda/cdk-async-lambda-go' },

  devDeps: [
    `@aws-cdk/integ-tests-alpha@${CDK_VERSION}-alpha.0`,
    '@aws-cdk/integ-runner@2.197.10',
    'cdk-nag@2.38.2',
    // validates the shipped JSON Schemas of the invocation record (test/records)
    'ajv@^8.20.0',
  ],

  jestOptions: {
    // never rewrite snapshots silently: `npx jest -u` is an explicit, reviewed act
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      snapshotSerializers: ['<rootDir>/test/asset-hash-serializer.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/local/', '<rootDir>/integ/'],
      coveragePathIgnorePatterns: ['/node_modules/', '<rootDir>/test/'],
    },
  },
  gitignore: [
    'cdk.out',
    '/integ/**/*.snapshot/asset.*',
    '/integ/**/cdk-integ.out.*',
    '/integ/**/*.js',
    '/integ/**/*.d.ts',
  ],
});

// unrs-resolver (used by jest 30 and eslint-import-resolver-typescript 4) 1.13.0 is missing most
// of its per-platform bindings on the registry we install from, so npm writes a lockfile that
// `npm ci` then rejects; 1.12.2 has every binding.
project.package.addField('overrides', { 'unrs-resolver': '1.12.2' });

// jsii's end-of-life banner for node 20 (the build machines' node) repeats on every jsii tool
// run and does not affect output.
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

// ---------------------------------------------------------------------------------------------
// integ/: integ-tests-alpha scenarios with committed snapshots
// ---------------------------------------------------------------------------------------------
new JsonFile(project, 'integ/tsconfig.json', {
  obj: {
    extends: '../tsconfig.json',
    compilerOptions: { noEmit: true, rootDir: '..', isolatedModules: true },
    include: ['**/*.ts'],
    exclude: ['node_modules', '**/*.snapshot/**'],
  },
});
new JsonFile(project, 'bench/tsconfig.json', {
  obj: { extends: '../test/tsconfig.json', include: ['**/*.ts', '../src/**/*.ts'] },
});
project.eslint?.addLintPattern('integ');
project.eslint?.addLintPattern('bench');
project.eslint?.addLintPattern('examples');
project.eslint?.allowDevDeps('integ/**');
project.eslint?.allowDevDeps('bench/**');
project.eslint?.allowDevDeps('examples/**');
// the local cloud (its own workspace package and tsconfig) is linted with the same rules
for (const dir of ['local/src', 'local/test', 'local/demo', 'local/bench']) project.eslint?.addLintPattern(dir);
for (const dir of ['local/test/**', 'local/demo/**', 'local/bench/**']) project.eslint?.allowDevDeps(dir);
project.eslint?.file.addToArray('overrides', {
  files: ['local/**/*.ts'],
  parserOptions: { projectService: false, project: './local/tsconfig.dev.json' },
});
project.addPackageIgnore('/integ/');
project.addPackageIgnore('/.ci/');
project.addPackageIgnore('/bench/');
project.addPackageIgnore('/examples/');
project.addPackageIgnore('/build/');
project.addPackageIgnore('/jest.cdk-latest.json');

const integEnv = { AWS_REGION: 'us-east-1', CDK_INTEG_REGION: 'us-east-1' };
const integApp = 'ts-node --transpile-only --project integ/tsconfig.json {filePath}';
const integSnapshot = project.addTask('integ:snapshot', {
  description: 'Check every integ/ scenario against its committed snapshot (offline; fails on drift)',
  env: integEnv,
  receiveArgs: true,
  exec: `integ-runner --directory integ --language typescript --app "${integApp}" --parallel-regions us-east-1 $@`,
});
// integ-runner compares only the test stacks with the snapshot; the assertion stacks (invoke
// payloads, expected record facts, waiter timeouts) are checked by integ/check-assertions.ts.
integSnapshot.exec('ts-node --transpile-only --project integ/tsconfig.json integ/check-assertions.ts');
project.addTask('integ:update', {
  description: 'Deploy each integ/ scenario to the AWS account in your credentials, assert, destroy, and update snapshots',
  receiveArgs: true,
  exec: `integ-runner --directory integ --language typescript --app "${integApp}" --update-on-failed $@`,
});

project.addTask('bench', {
  description: 'Synth benchmark: this library vs the same wiring with plain aws-cdk-lib, in one run',
  exec: 'ts-node --transpile-only --project test/tsconfig.json bench/synth.ts',
});

// AsyncFunctionProps mirrors lambda.FunctionProps (jsii cannot narrow inherited members);
// test/async-function-props.test.ts fails when the generated file is stale.
project.addTask('generate:function-props', {
  description: 'Regenerate src/async-function-props.ts from the pinned aws-cdk-lib',
  exec: 'ts-node --project projenrc/tsconfig.json projenrc/generate-async-function-props.ts',
});

// ---------------------------------------------------------------------------------------------
// The test command newcomers and CI run (`npm test`)
// ---------------------------------------------------------------------------------------------
const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests, integ scenarios, benchmarks and examples',
  steps: [
    { exec: 'tsc --noEmit -p test/tsconfig.json' },
    { exec: 'tsc --noEmit -p integ/tsconfig.json' },
    { exec: 'tsc --noEmit -p bench/tsconfig.json' },
    { exec: 'tsc --noEmit -p examples/tsconfig.json' },
  ],
});
const testPackages = addLanguages(project);
const testCdkLatest = addCdkLatest(project);
const checkGenerated = project.addTask('check:generated', {
  description: 'In CI: fail when a generated file (projen output, API.md) differs from what is committed',
  condition: 'printenv CI | grep -qx true',
  env: { PROJEN_DISABLE_POST: 'true' },
  steps: [
    { spawn: 'default' },
    { exec: 'git diff --ignore-space-at-eol --exit-code' },
  ],
});

const test = project.testTask;
test.reset();
test.spawn(project.compileTask);
test.spawn(project.tasks.tryFind('docgen')!);
test.spawn(typecheck);
test.exec('jest --passWithNoTests --ci', { receiveArgs: true });
test.spawn(project.eslint!.eslintTask);
test.spawn(integSnapshot);
test.spawn(testCdkLatest);
test.spawn(testPackages);

addLocalCloud(project);

test.spawn(checkGenerated);

project.synth();
copyLocalReadme(__dirname);
writeQuickStarts(__dirname);
