import { fakeLambdas, identity, lambdaArn } from './support';
import { Execution, StateMachineRunner } from '../../src/services/stepfunctions';

const FN = lambdaArn('Fn');

describe('states and data flow', () => {
  let runner: StateMachineRunner | undefined;
  afterEach(() => {
    runner?.dispose();
    runner = undefined;
    jest.useRealTimers();
  });

  async function run(def: object, input: unknown, handlers: Record<string, (p: any, n: number) => unknown> = {}) {
    const fakes = fakeLambdas(handlers);
    runner = new StateMachineRunner({ invokeLambda: fakes.invokeLambda, timeScale: 0 });
    const exec = runner.start(JSON.stringify(def), input, identity());
    await exec.done;
    return { exec, fakes };
  }

  describe('Pass', () => {
    test('Result placed at ResultPath, then OutputPath', async () => {
      const { exec } = await run({
        StartAt: 'P',
        States: { P: { Type: 'Pass', Result: { x: [10, 20] }, ResultPath: '$.res.inner', OutputPath: '$.res', End: true } },
      }, { keep: true });
      expect(exec.status).toBe('SUCCEEDED');
      expect(exec.output).toEqual({ inner: { x: [10, 20] } });
    });

    test('Parameters with .$ references to the input (after InputPath) and the context object', async () => {
      const { exec } = await run({
        StartAt: 'P',
        States: {
          P: {
            Type: 'Pass',
            InputPath: '$.detail',
            Parameters: {
              'first.$': '$.items[0]',
              'name.$': '$.who.name',
              'all.$': '$',
              'exec.$': '$$.Execution.Name',
              'state.$': '$$.State.Name',
              'static': 'v',
              'nested': { 'n.$': '$.items[1]' },
            },
            End: true,
          },
        },
      }, { detail: { items: ['a', 'b'], who: { name: 'x' } } });
      expect(exec.output).toEqual({
        first: 'a',
        name: 'x',
        all: { items: ['a', 'b'], who: { name: 'x' } },
        exec: 'exec-1',
        state: 'P',
        static: 'v',
        nested: { n: 'b' },
      });
    });

    test('ResultPath null keeps the input; InputPath/OutputPath null give {}', async () => {
      const a = await run({ StartAt: 'P', States: { P: { Type: 'Pass', Result: 1, ResultPath: null, End: true } } }, { a: 1 });
      expect(a.exec.output).toEqual({ a: 1 });
      const b = await run({ StartAt: 'P', States: { P: { Type: 'Pass', OutputPath: null, End: true } } }, { a: 1 });
      expect(b.exec.output).toEqual({});
      const c = await run({ StartAt: 'P', States: { P: { Type: 'Pass', InputPath: null, End: true } } }, { a: 1 });
      expect(c.exec.output).toEqual({});
    });

    test('a Parameters path that matches nothing fails the execution with States.Runtime', async () => {
      const { exec } = await run({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'x.$': '$.missing' }, End: true } } }, {});
      expect(exec.status).toBe('FAILED');
      expect(exec.error).toBe('States.Runtime');
      expect(exec.cause).toContain('$.missing');
    });
  });

  describe('Task', () => {
    test('Lambda ARN resource: the effective input is the payload and the result goes to ResultPath', async () => {
      const { exec, fakes } = await run({
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: FN, Parameters: { 'id.$': '$.id' }, ResultSelector: { 'v.$': '$.value' }, ResultPath: '$.r', End: true } },
      }, { id: 7 }, { [FN]: (p) => ({ value: p.id * 6, extra: 1 }) });
      expect(fakes.calls.map((c) => [c.arn, c.payload])).toEqual([[FN, { id: 7 }]]);
      expect(exec.output).toEqual({ id: 7, r: { v: 42 } });
    });

    test('arn:aws:states:::lambda:invoke: FunctionName + Payload, result wraps Payload', async () => {
      const { exec, fakes } = await run({
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { 'FunctionName': FN, 'Payload.$': '$.body' },
            OutputPath: '$.Payload',
            End: true,
          },
        },
      }, { body: { q: 1 } }, { [FN]: (p) => ({ echoed: p }) });
      expect(fakes.calls[0].payload).toEqual({ q: 1 });
      expect(exec.output).toEqual({ echoed: { q: 1 } });
    });

    test('an unknown function fails with the invoker\'s error', async () => {
      const { exec } = await run({ StartAt: 'T', States: { T: { Type: 'Task', Resource: lambdaArn('Nope'), End: true } } }, {});
      expect(exec.status).toBe('FAILED');
      expect(exec.error).toBe('Lambda.ResourceNotFoundException');
    });

    test('a rejected invoker promise becomes a Lambda service error', async () => {
      runner = new StateMachineRunner({ invokeLambda: () => Promise.reject(Object.assign(new Error('down'), { code: 'ServiceException' })), timeScale: 0 });
      const exec = runner.start(JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, End: true } } }), {}, identity());
      await exec.done;
      expect([exec.status, exec.error, exec.cause]).toEqual(['FAILED', 'Lambda.ServiceException', 'down']);
    });
  });

  describe('Catch', () => {
    const failingFn = () => {
      const e = new Error('bad thing');
      e.name = 'CustomError';
      throw e;
    };

    test('default ResultPath $: the next state gets {Error, Cause} only', async () => {
      const { exec } = await run({
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['CustomError'], Next: 'H' }], End: true },
          H: { Type: 'Pass', End: true },
        },
      }, { orig: 1 }, { [FN]: failingFn });
      expect(exec.status).toBe('SUCCEEDED');
      const out = exec.output as any;
      expect(Object.keys(out).sort()).toEqual(['Cause', 'Error']);
      expect(out.Error).toBe('CustomError');
      expect(JSON.parse(out.Cause)).toMatchObject({ errorType: 'CustomError', errorMessage: 'bad thing' });
    });

    test('ResultPath $.error keeps the state\'s raw input (before InputPath); catchers are tried in order', async () => {
      const { exec } = await run({
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: FN,
            InputPath: '$.sub',
            End: true,
            Catch: [
              { ErrorEquals: ['Other'], Next: 'Wrong' },
              { ErrorEquals: ['States.TaskFailed'], Next: 'H', ResultPath: '$.error' },
              { ErrorEquals: ['States.ALL'], Next: 'Wrong' },
            ],
          },
          H: { Type: 'Pass', End: true },
          Wrong: { Type: 'Fail', Error: 'WrongCatcher' },
        },
      }, { sub: { a: 1 }, top: true }, { [FN]: failingFn });
      expect(exec.output).toEqual({ sub: { a: 1 }, top: true, error: { Error: 'CustomError', Cause: expect.any(String) } });
    });

    test('ResultPath null discards the error', async () => {
      const { exec } = await run({
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: FN, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H', ResultPath: null }], End: true },
          H: { Type: 'Pass', End: true },
        },
      }, { orig: 1 }, { [FN]: failingFn });
      expect(exec.output).toEqual({ orig: 1 });
    });

    test('States.Runtime is not caught by States.ALL', async () => {
      const { exec } = await run({
        StartAt: 'T',
        States: {
          T: { Type: 'Task', Resource: FN, InputPath: '$.nope', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true },
          H: { Type: 'Pass', End: true },
        },
      }, {}, { [FN]: () => 1 });
      expect([exec.status, exec.error]).toEqual(['FAILED', 'States.Runtime']);
    });
  });

  describe('Choice', () => {
    const def = {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.kind', StringEquals: 'str', Next: 'IsStr' },
            { And: [{ Variable: '$.n', NumericGreaterThanEquals: 10 }, { Variable: '$.n', NumericLessThan: 20 }], Next: 'Teen' },
            { Or: [{ Variable: '$.n', NumericEquals: 0 }, { Variable: '$.flag', BooleanEquals: true }], Next: 'ZeroOrFlag' },
            { Not: { Variable: '$.opt', IsPresent: true }, Next: 'NoOpt' },
            { Variable: '$.n', NumericGreaterThanPath: '$.limit', Next: 'OverLimit' },
            { Variable: '$.s', StringMatches: 'log-*.txt', Next: 'Log' },
          ],
          Default: 'Dflt',
        },
        IsStr: { Type: 'Pass', Result: 'IsStr', End: true },
        Teen: { Type: 'Pass', Result: 'Teen', End: true },
        ZeroOrFlag: { Type: 'Pass', Result: 'ZeroOrFlag', End: true },
        NoOpt: { Type: 'Pass', Result: 'NoOpt', End: true },
        OverLimit: { Type: 'Pass', Result: 'OverLimit', End: true },
        Log: { Type: 'Pass', Result: 'Log', End: true },
        Dflt: { Type: 'Pass', Result: 'Dflt', End: true },
      },
    };
    // every rule's Variable must exist (a missing one is a States.Runtime error, tested below): base has them all
    const base = { kind: 'x', n: 5, flag: false, opt: 1, limit: 100, s: 'a' };
    test.each([
      [{ kind: 'str' }, 'IsStr'],
      [{ n: 15 }, 'Teen'],
      [{ n: 20 }, 'Dflt'],
      [{ n: 0 }, 'ZeroOrFlag'],
      [{ flag: true }, 'ZeroOrFlag'],
      [{ opt: undefined }, 'NoOpt'],
      [{ n: 50, limit: 40 }, 'OverLimit'],
      [{ s: 'log-1.txt' }, 'Log'],
      [{ s: 'log-1.txt.bak' }, 'Dflt'],
      [{ n: '15', flag: 'true' }, 'Dflt'], // type mismatch is false, not an error
    ])('%j → %s', async (input, expected) => {
      const { exec } = await run(def, { ...base, ...input });
      expect(exec.status).toBe('SUCCEEDED');
      expect(exec.output).toBe(expected);
    });

    test('no match and no Default → States.NoChoiceMatched', async () => {
      const { exec } = await run({
        StartAt: 'C',
        States: { C: { Type: 'Choice', Choices: [{ Variable: '$.a', StringEquals: 'x', Next: 'S' }] }, S: { Type: 'Succeed' } },
      }, { a: 'y' });
      expect([exec.status, exec.error]).toEqual(['FAILED', 'States.NoChoiceMatched']);
    });

    test('a missing Variable is a States.Runtime error', async () => {
      const { exec } = await run({
        StartAt: 'C',
        States: { C: { Type: 'Choice', Choices: [{ Variable: '$.a', StringEquals: 'x', Next: 'S' }], Default: 'S' }, S: { Type: 'Succeed' } },
      }, {});
      expect([exec.status, exec.error]).toEqual(['FAILED', 'States.Runtime']);
    });
  });

  describe('Fail, Succeed, Wait', () => {
    test('Fail gives the execution its Error and Cause', async () => {
      const { exec } = await run({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'MyError', Cause: 'because' } } }, {});
      expect([exec.status, exec.error, exec.cause]).toEqual(['FAILED', 'MyError', 'because']);
    });

    test('Fail ErrorPath/CausePath', async () => {
      const { exec } = await run({ StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' } } }, { e: 'E1', c: 'C1' });
      expect([exec.error, exec.cause]).toEqual(['E1', 'C1']);
    });

    test('Succeed applies InputPath/OutputPath', async () => {
      const { exec } = await run({ StartAt: 'S', States: { S: { Type: 'Succeed', InputPath: '$.a', OutputPath: '$.b' } } }, { a: { b: 3 } });
      expect(exec.output).toBe(3);
    });

    test('Wait Seconds and SecondsPath sleep scaled seconds (fake clock)', async () => {
      jest.useFakeTimers({ now: 0 });
      const fakes = fakeLambdas({ [FN]: () => 'done' });
      runner = new StateMachineRunner({ invokeLambda: fakes.invokeLambda, timeScale: 0.5 });
      const exec: Execution = runner.start(JSON.stringify({
        StartAt: 'W1',
        States: {
          W1: { Type: 'Wait', Seconds: 10, Next: 'W2' },
          W2: { Type: 'Wait', SecondsPath: '$.delay', Next: 'T' },
          T: { Type: 'Task', Resource: FN, End: true },
        },
      }), { delay: 4 }, identity());
      await jest.advanceTimersByTimeAsync(6_999);
      expect(fakes.calls).toHaveLength(0);
      await jest.advanceTimersByTimeAsync(1);
      expect(fakes.calls.map((c) => c.at)).toEqual([7_000]);
      await exec.done;
      expect(exec.output).toBe('done');
    });

    test('Wait SecondsPath that is not a non-negative integer fails with States.Runtime', async () => {
      const { exec } = await run({ StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.d', End: true } } }, { d: 'soon' });
      expect([exec.status, exec.error]).toEqual(['FAILED', 'States.Runtime']);
    });
  });

  test('execution history records state transitions and Lambda events', async () => {
    const { exec } = await run({
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: FN, Retry: [{ ErrorEquals: ['States.ALL'] }], Next: 'S' }, S: { Type: 'Succeed' } },
    }, {}, { [FN]: (_p, n) => { if (n === 1) throw new Error('x'); return 1; } });
    expect(exec.history.map((h) => h.type)).toEqual([
      'ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionFailed',
      'LambdaFunctionScheduled', 'LambdaFunctionSucceeded', 'TaskStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded',
    ]);
  });
});
