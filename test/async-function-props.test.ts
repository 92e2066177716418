import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration, Size } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ts from 'typescript';
import { generate, OUTPUT_FILE } from '../projenrc/generate-async-function-props';
import { AsyncFunctionProps } from '../src/async-function-props';
import { AsyncInvocationOptions } from '../src/async-invocation';

/** `true` only when A and B are identical types (optionality and readonly included), else `false`. */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
/** `true` only when T is `never`. */
type IsNever<T> = [T] extends [never] ? true : false;

/** The members AsyncFunctionProps mirrors from lambda.FunctionProps. */
type Mirrored = Exclude<keyof lambda.FunctionProps, keyof lambda.EventInvokeConfigOptions>;
/** Members of lambda.FunctionProps that AsyncFunctionProps lacks (a new aws-cdk-lib added one: regenerate). */
type Missing = Exclude<Mirrored, keyof AsyncFunctionProps>;
/** Members of AsyncFunctionProps that lambda.FunctionProps does not have (aws-cdk-lib removed one: regenerate). */
type Extra = Exclude<keyof AsyncFunctionProps, keyof lambda.FunctionProps>;
/** Mirrored members whose type, optionality or readonly modifier differs between the two. */
type Mismatched = {
  [K in Mirrored]-?: Equals<Pick<lambda.FunctionProps, K>, Pick<AsyncFunctionProps, K>> extends true ? never : K
}[Mirrored];

// Compile-time assertions: each fails to type-check (`true` is not assignable to `false`) when the mirror drifts.
const noMissingMembers: IsNever<Missing> = true;
const noExtraMembers: IsNever<Extra> = true;
const mirroredTypesIdentical: IsNever<Mismatched> = true;
const asyncMembersFromThisLibrary: Equals<Pick<AsyncFunctionProps, keyof AsyncInvocationOptions>, AsyncInvocationOptions> = true;

/** Copies the mirrored members of a lambda.FunctionProps: type-checks only if every one is assignable as is. */
function mirror(props: lambda.FunctionProps): AsyncFunctionProps {
  const { onSuccess, onFailure, maxEventAge, retryAttempts, ...mirrored } = props;
  const asyncProps: AsyncFunctionProps = mirrored;
  return asyncProps;
}

/** The reverse direction: the mirrored members of AsyncFunctionProps are valid lambda.FunctionProps. */
function unmirror(props: AsyncFunctionProps): lambda.FunctionProps {
  const { onSuccess, onFailure, maxEventAge, retryAttempts, ...mirrored } = props;
  const functionProps: lambda.FunctionProps = mirrored;
  return functionProps;
}

describe('AsyncFunctionProps', () => {
  test('mirrors every member of lambda.FunctionProps except the asynchronous invocation options (checked by the compiler)', () => {
    // GIVEN the compile-time assertions at the top of this file
    // WHEN this file type-checks
    // THEN every one of them holds
    expect([noMissingMembers, noExtraMembers, mirroredTypesIdentical, asyncMembersFromThisLibrary]).toEqual([true, true, true, true]);
  });

  test('this file type-checks, so the compile-time assertions are enforced even when ts-jest only transpiles', () => {
    // GIVEN a program made of this test file with the test tsconfig
    const configFile = path.join(__dirname, 'tsconfig.json');
    const config = ts.getParsedCommandLineOfConfigFile(configFile, {}, {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: d => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
      },
    })!;

    // WHEN it is type-checked
    const program = ts.createProgram([__filename], { ...config.options, noEmit: true });
    const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(__filename));

    // THEN there are no errors
    expect(diagnostics.map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);
  }, 120_000);

  test('a lambda.FunctionProps value is accepted member by member, in both directions', () => {
    // GIVEN a lambda.FunctionProps value, asynchronous invocation options included
    const functionProps: lambda.FunctionProps = {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
      description: 'mirrored',
      timeout: Duration.seconds(30),
      environment: { STAGE: 'test' },
      memorySize: 256,
      ephemeralStorageSize: Size.mebibytes(1024),
      tracing: lambda.Tracing.ACTIVE,
      architecture: lambda.Architecture.ARM_64,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.DEBUG,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      recursiveLoop: lambda.RecursiveLoop.TERMINATE,
      reservedConcurrentExecutions: 5,
      maxEventAge: Duration.minutes(5),
      retryAttempts: 1,
    };

    // WHEN its mirrored members are copied into AsyncFunctionProps and back
    const asyncProps = mirror(functionProps);
    const back = unmirror(asyncProps);

    // THEN every mirrored member is kept as is, and only the asynchronous invocation options are left out
    const { maxEventAge, retryAttempts, ...expected } = functionProps;
    expect(asyncProps).toEqual(expected);
    expect(back).toEqual(expected);
    expect(Object.keys(asyncProps)).not.toContain('maxEventAge');
    expect(Object.keys(asyncProps)).not.toContain('retryAttempts');
  });

  test('the committed file is what the generator produces from the installed aws-cdk-lib', () => {
    // GIVEN a temporary output path
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-function-props-'));
    const outPath = path.join(dir, 'async-function-props.ts');
    try {
      // WHEN the generator runs
      const members = generate(outPath);

      // THEN its output equals the committed file byte for byte
      expect(fs.readFileSync(outPath)).toEqual(fs.readFileSync(OUTPUT_FILE));
      // AND it mirrors FunctionProps' own members first, without the asynchronous invocation options
      expect(members.slice(0, 3)).toEqual(['runtime', 'code', 'handler']);
      expect(members).toEqual(expect.arrayContaining(['environment', 'vpc', 'role', 'logGroup', 'profilingGroup']));
      expect(members.filter(m => ['onSuccess', 'onFailure', 'maxEventAge', 'retryAttempts'].includes(m))).toEqual([]);
      expect(new Set(members).size).toBe(members.length);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
