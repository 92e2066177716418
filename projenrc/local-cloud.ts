import { awscdk, JsonFile } from 'projen';

/**
 * The Node-only local cloud lives in `local/` as its own npm workspace package (`cdk-async-local`)
 * with its own package.json, tsconfig, jest config and build, so nothing of it reaches the jsii
 * assembly of `cdk-async-lambda`. Everything about it is declared here; the files are generated.
 */

/** Runtime dependencies of the local cloud (pinned: tests must be repeatable). */
const LOCAL_DEPS: Record<string, string> = {
  // filled in with the local cloud (issue 4)
};

/** Development dependencies of the local cloud. */
const LOCAL_DEV_DEPS: Record<string, string> = {};

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
        test: 'jest',
      },
      dependencies: LOCAL_DEPS,
      devDependencies: LOCAL_DEV_DEPS,
      jest: {
        testMatch: ['<rootDir>/test/**/*.test.ts'],
        transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.dev.json' }] },
        testEnvironment: 'node',
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
      compilerOptions: { rootDir: '.', noEmit: true, types: ['node', 'jest'] },
      include: ['src/**/*.ts', 'test/**/*.ts'],
    },
  });
  project.gitignore.exclude('/local/lib/');
}
