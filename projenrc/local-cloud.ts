import { awscdk, JsonFile } from 'projen';

/**
 * The Node-only local cloud lives in `local/` as its own npm workspace package (`cdk-async-local`)
 * with its own package.json, tsconfig, jest config and build, so nothing of it reaches the jsii
 * assembly of `cdk-async-lambda`. Everything about it is declared here; the files are generated.
 */

/** Runtime dependencies of the local cloud (pinned: tests must be repeatable). */
const LOCAL_DEPS: Record<string, string> = {
  // the SDK clients handlers require at run time, as Lambda's Node.js runtimes provide them
  // (integ-tests-alpha's assertion handler calls `@aws-sdk/client-<service>`)
  '@aws-sdk/client-lambda': '3.1164.0',
  '@aws-sdk/client-s3': '3.1164.0',
  // no 3.1164.0 release of client-sfn exists; 3.1163.0 shares the same @aws-sdk/core and @smithy ranges
  '@aws-sdk/client-sfn': '3.1163.0',
  '@aws-sdk/client-sns': '3.1164.0',
  '@aws-sdk/client-sqs': '3.1164.0',
  '@cloud-copilot/iam-simulate': '0.1.173',
  // reads the zip file assets `cdk deploy` uploads to the local S3 as Lambda code (Code.S3Key)
  'adm-zip': '0.6.1',
  'fauxqs': '2.4.1',
  // CloudFormation templates in YAML (the CDK CLI sends the bootstrap template as YAML)
  'yaml': '2.9.1',
};

/** Development dependencies of the local cloud. */
const LOCAL_DEV_DEPS: Record<string, string> = {
  '@aws-sdk/client-cloudformation': '3.1164.0',
  '@aws-sdk/client-cloudwatch': '3.1164.0',
  // tests read handler output through the CloudWatch Logs API (and integ-tests-alpha's
  // assertion handler requires it for awsApiCall('CloudWatchLogs', …))
  '@aws-sdk/client-cloudwatch-logs': '3.1164.0',
  '@aws-sdk/client-eventbridge': '3.1164.0',
  '@aws-sdk/client-iam': '3.1164.0',
  // tests call the Parameter Store and STS as the CDK CLI does
  '@aws-sdk/client-ssm': '3.1164.0',
  '@aws-sdk/client-sts': '3.1164.0',
  // tests deploy integ-tests-alpha assertion stacks and run its handler bundle
  '@aws-cdk/integ-tests-alpha': '2.245.0-alpha.0',
  'aws-cdk-lib': '2.245.0',
  // the real CDK CLI the end-to-end test runs against the local cloud (the version integ-runner
  // 2.197.10 bundles; the registry's aws-cdk 3.0.0 is an old, incompatible build)
  'aws-cdk': '2.1115.1',
  // the real integ-runner the end-to-end test runs against the local cloud (as the repository root pins it)
  '@aws-cdk/integ-runner': '2.197.10',
  '@types/adm-zip': '0.5.8',
  'constructs': '10.5.1',
  // the EventBridge conformance cases are JSON5
  'json5': '2.2.3',
  // the delivered records are validated against the JSON Schemas the library ships
  'ajv': '8.20.0',
  // JUnit reports, summed into the one summary line .ci/run prints
  'jest-junit': '17.0.0',
};

export function addLocalCloud(project: awscdk.AwsCdkConstructLibrary): void {
  project.package.addField('workspaces', ['local']);
  project.addPackageIgnore('/local/');

  new JsonFile(project, 'local/package.json', {
    obj: {
      name: 'cdk-async-local',
      version: '0.0.0',
      description: 'Run synthesized CDK stacks with AWS Lambda asynchronous invocation semantics on one machine, no AWS account, no Docker.',
      license: 'Apache-2.0',
      main: 'lib/index.js',
      types: 'lib/index.d.ts',
      bin: { 'cdk-async-local': 'bin/cdk-async-local.js' },
      files: ['lib/**', 'bin/**', 'runtime/**'],
      engines: { node: '>= 20.0.0' },
      scripts: {
        build: 'tsc -p tsconfig.json',
        // type-check everything once, then run jest with transpile-only ts-jest (isolatedModules)
        test: 'tsc -p tsconfig.dev.json && jest',
        demo: 'ts-node --transpile-only --project tsconfig.dev.json demo/run.ts',
        bench: 'ts-node --transpile-only --project tsconfig.dev.json bench/local-bench.ts',
        // npm runs workspace scripts in local/: the integ apps are the repository root's
        integ: 'node bin/cdk-async-local.js integ --dir ..',
      },
      dependencies: LOCAL_DEPS,
      devDependencies: LOCAL_DEV_DEPS,
      jest: {
        testMatch: ['<rootDir>/test/**/*.test.ts'],
        transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.dev.json' }] },
        testEnvironment: 'node',
        testTimeout: 60_000,
        reporters: ['default', ['jest-junit', { outputDirectory: 'test-reports' }]],
      },
    },
  });

  new JsonFile(project, 'local/tsconfig.json', {
    obj: {
      compilerOptions: {
        rootDir: 'src',
        outDir: 'lib',
        target: 'ES2022',
        module: 'node16',
        lib: ['es2022'],
        declaration: true,
        strict: true,
        noImplicitReturns: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        esModuleInterop: true,
        resolveJsonModule: true,
        skipLibCheck: true,
        sourceMap: true,
        types: ['node'],
      },
      include: ['src/**/*.ts'],
    },
  });
  new JsonFile(project, 'local/tsconfig.dev.json', {
    obj: {
      extends: './tsconfig.json',
      // rootDir '..': tests and the demo use the construct library from ../src
      compilerOptions: { rootDir: '..', noEmit: true, isolatedModules: true, types: ['node', 'jest'] },
      include: ['src/**/*.ts', 'test/**/*.ts', 'demo/**/*.ts', 'bench/**/*.ts'],
    },
  });
  project.gitignore.exclude('/local/lib/');
  project.gitignore.exclude('/local/test-reports/');
  // projen ignores every `logs` folder (npm debug logs); the CloudWatch Logs service and its tests are sources
  project.gitignore.include('/local/src/services/logs/', '/local/test/logs/');

  // root tasks: `npm test` runs the local cloud's suite too; `npm run demo`, `npm run bench:local`
  const testLocal = project.addTask('test:local', {
    description: 'Type-check and run the local cloud test suite (jest e2e through AWS SDK v3 clients)',
    exec: 'npm test --workspace local',
  });
  project.testTask.spawn(testLocal);
  // every integ/integ.*.ts on a fresh local cloud (the jest suite runs two of them)
  const integLocal = project.addTask('integ:local', {
    description: 'Synthesize every integ/integ.*.ts app, deploy it to a fresh local cloud, report each assertion',
    exec: 'npm run integ --workspace local',
  });
  project.testTask.spawn(integLocal);
  project.addTask('demo', {
    description: 'Synthesize the example app, run it in the local cloud, invoke one succeeding and one failing event, print the records',
    exec: 'npm run demo --workspace local',
  });
  project.addTask('bench:local', {
    description: '5,000 Event invokes end-to-end into SQS vs a same-run baseline of 5,000 direct SQS sends',
    exec: 'npm run bench --workspace local',
  });
}
