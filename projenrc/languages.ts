import { awscdk, JsonFile, Task } from 'projen';

/**
 * The packages of every jsii language, built as the release workflow builds them, and the example
 * apps that use them (`examples/<language>/`, compared by `examples/test/languages.test.ts`).
 *
 * - python, java: jsii-pacmak's own build (a venv it creates with pip from PyPI, `python -m build`,
 *   `twine check`; `mvn deploy` into dist/java with Maven Central).
 * - go: jsii-pacmak generates the module (`--code-only`); its own build step (`go mod tidy` against
 *   the module's minimum versions: aws-cdk-go v2.245.0, jsii-runtime-go v1.140.0) cannot run here,
 *   since the Go module proxy we reach does not serve those versions. The module is compiled by the
 *   Go example instead (`go build` with the module replaced by dist/go), against served versions.
 * - dotnet: `package:dotnet` is jsii-pacmak's full build, for the release workflow (which sets up the
 *   .NET SDK); `npm test` runs `package:dotnet-code` (code only): there is no .NET SDK on our build machines.
 */
const LANGUAGES_CLI = 'ts-node --transpile-only --project examples/tsconfig.json examples/test/languages.ts';

export function addLanguages(project: awscdk.AwsCdkConstructLibrary): Task {
  new JsonFile(project, 'examples/tsconfig.json', {
    obj: {
      extends: '../test/tsconfig.json',
      compilerOptions: {
        rootDir: '..',
        // the TypeScript example imports the library by its package name, as a user does
        paths: { 'cdk-async-lambda': ['../src/index.ts'] },
      },
      include: ['**/*.ts'],
      exclude: ['node_modules', 'java', 'go', 'python'],
    },
  });
  new JsonFile(project, 'examples/jest.config.json', {
    obj: {
      rootDir: '..',
      testMatch: ['<rootDir>/examples/test/**/*.test.ts'],
      transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/examples/tsconfig.json' }] },
      testEnvironment: 'node',
      reporters: ['default', ['jest-junit', { outputDirectory: 'test-reports', outputName: 'junit-languages.xml' }]],
    },
  });
  project.gitignore.exclude('/build/', '/examples/java/target/', '.jsii.tabl.json');
  project.eslint?.allowDevDeps('examples/**');
  // resolve `cdk-async-lambda` in the TypeScript example through examples/tsconfig.json's paths
  project.eslint?.file.addToArray('overrides', {
    files: ['examples/**/*.ts'],
    settings: { 'import/resolver': { node: {}, typescript: { project: './examples/tsconfig.json', alwaysTryTypes: true } } },
  });

  // each language's package task: skipped when the contributor asks (never on CI), failing with one
  // line when its toolchain is missing
  const packageTask = (language: 'python' | 'java' | 'go' | 'dotnet', steps: string[]) => {
    const task = project.tasks.tryFind(`package:${language}`)!;
    task.reset(`${LANGUAGES_CLI} require ${language}`);
    for (const step of steps) task.exec(step);
    task.addCondition(`${LANGUAGES_CLI} enabled ${language}`);
  };
  packageTask('python', ['jsii-pacmak -v --target python']);
  packageTask('java', ['jsii-pacmak -v --target java']);
  packageTask('go', ['jsii-pacmak -v --target go --code-only']);
  packageTask('dotnet', ['jsii-pacmak -v --target dotnet']);
  const dotnetCode = project.addTask('package:dotnet-code', {
    description: 'Generate the dotnet bindings into dist/dotnet (code only: no .NET SDK on our build machines)',
    exec: 'jsii-pacmak -v --target dotnet --code-only',
  });

  const testLanguages = project.addTask('test:languages', {
    description: 'Synthesize examples/<language>/ with the packages in dist/ and compare each template with the TypeScript one',
    exec: 'jest --ci --config examples/jest.config.json',
    receiveArgs: true,
  });

  const rosetta = project.addTask('rosetta:extract', {
    description: 'Compile every TypeScript example of README.md and the API docs (API.md) with jsii-rosetta, fixtures in rosetta/',
    exec: 'jsii-rosetta extract --strict .jsii',
  });

  const languages = project.addTask('test:packages', {
    description: 'Build every language package (dist/), compare the example apps, compile the README/API examples',
  });
  // what package-all builds, except that .NET is generated only
  for (const language of ['js', 'python', 'java', 'go']) languages.spawn(project.tasks.tryFind(`package:${language}`)!);
  languages.spawn(dotnetCode);
  languages.spawn(testLanguages);
  languages.spawn(rosetta);
  return languages;
}
