import { awscdk, JsonFile, Task } from 'projen';

/**
 * The newest aws-cdk-lib 2.x the npm registry serves, for the second jest job: the assertion suite
 * (whatever is in test/) runs once with the pinned, oldest supported aws-cdk-lib and once with this.
 * Installed under an npm alias, so `npm ci` installs both from the lockfile.
 */
export const CDK_LATEST_VERSION = '2.276.0';
export const CDK_LATEST_PACKAGE = 'aws-cdk-lib-latest';

export function addCdkLatest(project: awscdk.AwsCdkConstructLibrary): Task {
  project.addDevDeps(`${CDK_LATEST_PACKAGE}@npm:aws-cdk-lib@${CDK_LATEST_VERSION}`);

  const jest = project.jest!;
  new JsonFile(project, 'jest.cdk-latest.json', {
    obj: {
      // the main job's configuration (test/, serializers, transform), resolved when written
      ...jest.config,
      // every `aws-cdk-lib` and `aws-cdk-lib/<module>` that jest loads, from our sources, the tests
      // and node_modules alike (cdk-nag, integ-tests-alpha), is the aliased package
      moduleNameMapper: {
        '^aws-cdk-lib$': `<rootDir>/node_modules/${CDK_LATEST_PACKAGE}`,
        '^aws-cdk-lib/(.*)$': `<rootDir>/node_modules/${CDK_LATEST_PACKAGE}/$1`,
      },
      // fails every test file unless aws-cdk-lib really is CDK_LATEST_VERSION
      setupFilesAfterEnv: ['<rootDir>/test/cdk-latest.setup.ts'],
      globals: { CDK_LATEST_VERSION },
      collectCoverage: false,
      reporters: ['default', ['jest-junit', { outputDirectory: 'test-reports', outputName: 'junit-cdk-latest.xml' }]],
    },
  });

  return project.addTask('test:cdk-latest', {
    description: `Run the jest assertion suite (test/) against aws-cdk-lib ${CDK_LATEST_VERSION}`,
    exec: 'jest --ci --config jest.cdk-latest.json',
    receiveArgs: true,
  });
}
