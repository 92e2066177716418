import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import {
  BUILD, builtPackage, DIST, EXAMPLES, isSkipped, Language, missingToolchain, ROOT, run, RunResult, runOrThrow,
} from './languages';

/**
 * The packages `npx projen package-all` built, used as a user of each language would: the example
 * app of each language is synthesized with them, and its template must equal the TypeScript one.
 */

const TIMEOUT = 20 * 60_000;
const STACK = 'AsyncLambdaExample';
const BAD_STACK = 'BadConfig';
/** What every language's bad app must print: the construct path, the property and the value. */
const BAD_CONFIG_MESSAGE = /\[BadConfig\/Worker(\/[^\]]*)?\] retryAttempts must be [^\n]*\b3\b/;

/** One language's example: install the package built in dist/, build the apps, synthesize. */
interface Example {
  readonly language: Language;
  /** Installs the package and builds the apps; returns the aws-cdk-lib version it resolved. */
  prepare(): string;
  synth(outdir: string): RunResult;
  synthBadConfig(outdir: string): RunResult;
}

const timings: string[] = [];
function timed<T>(step: string, f: () => T): T {
  const started = Date.now();
  try {
    return f();
  } finally {
    timings.push(`${step}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

function synthEnv(outdir: string): NodeJS.ProcessEnv {
  fs.rmSync(outdir, { recursive: true, force: true });
  return { ...process.env, CDK_OUTDIR: outdir };
}

function readTemplate(outdir: string, stack: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(outdir, `${stack}.template.json`), 'utf8'));
}

/** The TypeScript app with the npm tarball (dist/js) and the repository's pinned aws-cdk-lib. */
function synthTypeScript(): { template: unknown; version: string } {
  const dir = path.join(BUILD, 'typescript');
  fs.rmSync(dir, { recursive: true, force: true });
  const pkg = path.join(dir, 'node_modules', 'cdk-async-lambda');
  fs.mkdirSync(pkg, { recursive: true });
  const tarball = builtPackage(path.join(DIST, 'js'), /\.jsii\.tgz$/, 'package:js');
  runOrThrow('tar', ['-xzf', tarball, '-C', pkg, '--strip-components=1']);
  for (const dep of ['aws-cdk-lib', 'constructs']) {
    fs.symlinkSync(path.join(ROOT, 'node_modules', dep), path.join(dir, 'node_modules', dep), 'dir');
  }
  const source = fs.readFileSync(path.join(EXAMPLES, 'typescript', 'app.ts'), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  fs.writeFileSync(path.join(dir, 'app.js'), js.outputText);
  const outdir = path.join(dir, 'cdk.out');
  const result = run('node', ['app.js'], { cwd: dir, env: synthEnv(outdir) });
  timings.push(`typescript synth: ${result.seconds.toFixed(1)} s`);
  if (result.status !== 0) throw new Error(`node app.js exited with ${result.status}:\n${result.output}`);
  const version = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', 'aws-cdk-lib', 'package.json'), 'utf8')).version;
  return { template: readTemplate(outdir, STACK), version };
}

const python: Example = (() => {
  const dir = path.join(BUILD, 'python');
  const py = path.join(dir, 'venv', 'bin', 'python');
  return {
    language: 'python',
    prepare() {
      fs.rmSync(path.join(dir, 'venv'), { recursive: true, force: true });
      const wheel = builtPackage(path.join(DIST, 'python'), /\.whl$/, 'package:python');
      runOrThrow('python3', ['-m', 'venv', path.join(dir, 'venv')]);
      runOrThrow(py, ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input',
        '-r', path.join(EXAMPLES, 'python', 'requirements.txt'), wheel]);
      return runOrThrow(py, ['-c', 'import importlib.metadata as m; print(m.version("aws-cdk-lib"))']).output.trim();
    },
    synth: outdir => run(py, [path.join(EXAMPLES, 'python', 'app.py')], { cwd: dir, env: synthEnv(outdir) }),
    synthBadConfig: outdir => run(py, [path.join(EXAMPLES, 'python', 'bad_config.py')], { cwd: dir, env: synthEnv(outdir) }),
  };
})();

const java: Example = (() => {
  const dir = path.join(BUILD, 'java');
  const repository = path.join(dir, 'm2');
  const classpathFile = path.join(dir, 'classpath.txt');
  let classpath = '';
  const runJava = (mainClass: string, outdir: string) =>
    run('java', ['-cp', classpath, `io.github.cdkasynclambda.examples.${mainClass}`], { cwd: dir, env: synthEnv(outdir) });
  return {
    language: 'java',
    prepare() {
      builtPackage(path.join(DIST, 'java', 'io', 'github', 'cdk-async-lambda', 'cdk-async-lambda', '0.0.0'), /^cdk-async-lambda-0\.0\.0\.jar$/, 'package:java');
      // the Maven repository is kept between runs (aws-cdk-lib is 100 MB), except our artifact:
      // Maven never looks again for a release it holds, so the jar just built must replace it
      fs.rmSync(path.join(repository, 'io', 'github', 'cdk-async-lambda'), { recursive: true, force: true });
      fs.rmSync(path.join(dir, 'target'), { recursive: true, force: true });
      runOrThrow('mvn', ['--batch-mode', '--quiet', '-f', path.join(EXAMPLES, 'java', 'pom.xml'),
        `-Dmaven.repo.local=${repository}`, `-DbuildDirectory=${path.join(dir, 'target')}`,
        'package', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`]);
      const jars = fs.readFileSync(classpathFile, 'utf8').trim();
      classpath = [path.join(dir, 'target', 'classes'), jars].join(path.delimiter);
      const cdk = /aws-cdk-lib-(\d+\.\d+\.\d+)\.jar/.exec(jars);
      if (!cdk) throw new Error(`no aws-cdk-lib jar on the class path: ${jars}`);
      return cdk[1];
    },
    synth: outdir => runJava('AsyncLambdaExampleApp', outdir),
    synthBadConfig: outdir => runJava('BadConfigApp', outdir),
  };
})();

const go: Example = (() => {
  const dir = path.join(BUILD, 'go');
  const source = path.join(EXAMPLES, 'go');
  // go.sum is committed and complete: -mod=readonly; GOTOOLCHAIN=local: never fetch a toolchain
  const env = { ...process.env, GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local' };
  return {
    language: 'go',
    prepare() {
      builtPackage(path.join(DIST, 'go', 'cdkasynclambda'), /^go\.mod$/, 'package:go');
      fs.rmSync(path.join(dir, 'bin'), { recursive: true, force: true });
      // go.mod replaces the module path with ../../dist/go/cdkasynclambda
      runOrThrow('go', ['build', '-o', path.join(dir, 'bin') + path.sep, './...'], { cwd: source, env });
      return runOrThrow('go', ['list', '-m', '-f', '{{.Version}}', 'github.com/aws/aws-cdk-go/awscdk/v2'], { cwd: source, env }).output.trim().replace(/^v/, '');
    },
    synth: outdir => run(path.join(dir, 'bin', 'cdk-async-lambda-example'), [], { cwd: dir, env: synthEnv(outdir) }),
    synthBadConfig: outdir => run(path.join(dir, 'bin', 'badconfig'), [], { cwd: dir, env: synthEnv(outdir) }),
  };
})();

let expected: { template: unknown; version: string };

beforeAll(() => {
  expected = synthTypeScript();
}, TIMEOUT);

afterAll(() => {
  console.log(`language steps (${new Date().toISOString()}):\n${timings.join('\n')}`);
});

test('the TypeScript template holds the quick start stack', () => {
  // GIVEN the template every language must reproduce
  const resources = Object.values((expected.template as { Resources: Record<string, { Type: string }> }).Resources);
  const count = (type: string) => resources.filter(r => r.Type === type).length;

  // THEN it is the stack the README describes, so equality below is not between empty templates
  expect(count('AWS::Lambda::EventInvokeConfig')).toBe(3);
  expect(count('AWS::Lambda::Function')).toBe(2);
  expect(count('AWS::Lambda::Alias')).toBe(1);
  expect(count('AWS::Events::Rule')).toBe(1);
  expect(count('AWS::KMS::Key')).toBe(1);
  expect(count('AWS::SNS::Topic')).toBe(1);
  expect(count('AWS::SQS::Queue')).toBe(2);
  expect(count('AWS::S3::Bucket')).toBe(1);
});

for (const example of [python, java, go]) {
  const describeLanguage = isSkipped(example.language) ? describe.skip : describe;

  describeLanguage(example.language, () => {
    const outdir = path.join(BUILD, example.language, 'cdk.out');
    let version: string;

    beforeAll(() => {
      const missing = missingToolchain(example.language);
      if (missing !== undefined) throw new Error(missing);
      version = timed(`${example.language} install + build`, () => example.prepare());
      timings.push(`${example.language} aws-cdk-lib: ${version} (TypeScript: ${expected.version})`);
    }, TIMEOUT);

    test('synthesizes the same template as TypeScript', () => {
      // WHEN
      const result = timed(`${example.language} synth`, () => example.synth(outdir));

      // THEN the whole template is equal: logical ids, EventInvokeConfigs, IAM statements, rules, DependsOn
      expect({ status: result.status, output: result.status === 0 ? '' : result.output }).toEqual({ status: 0, output: '' });
      expect(readTemplate(outdir, STACK)).toEqual(expected.template);
    }, TIMEOUT);

    test('retryAttempts 3 fails synth with the construct path and the value', () => {
      // WHEN
      const badOutdir = `${outdir}-bad`;
      const result = timed(`${example.language} bad config`, () => example.synthBadConfig(badOutdir));

      // THEN
      expect(result.status).not.toBe(0);
      expect(result.output).toMatch(BAD_CONFIG_MESSAGE);
      expect(fs.existsSync(path.join(badOutdir, `${BAD_STACK}.template.json`))).toBe(false);
    }, TIMEOUT);
  });
}
