import { fakeLambdas, identity, lambdaArn } from './support';
import { Execution, StateMachineRunner } from '../../src/services/stepfunctions';

const FN = lambdaArn('Flaky');

function taskMachine(task: Record<string, unknown>, extraStates: Record<string, unknown> = {}) {
  return JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, End: true, ...task }, ...extraStates } });
}

function failing(errorName: string, times = Infinity) {
  return (_: unknown, n: number) => {
    if (n <= times) {
      const e = new Error(`attempt ${n} failed`);
      e.name = errorName;
      throw e;
    }
    return { ok: n };
  };
}

/** Gaps between consecutive invocations, in ms. */
const gaps = (at: number[]) => at.slice(1).map((t, i) => t - at[i]);

describe('Retry', () => {
  let runner: StateMachineRunner | undefined;
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => {
    runner?.dispose();
    runner = undefined;
    jest.useRealTimers();
  });

  async function run(definition: string, handler: (p: unknown, n: number) => unknown, opts: { timeScale?: number; random?: () => number } = {}) {
    const fakes = fakeLambdas({ [FN]: handler });
    runner = new StateMachineRunner({ invokeLambda: fakes.invokeLambda, timeScale: opts.timeScale ?? 1, random: opts.random });
    const exec = runner.start(definition, { in: 1 }, identity());
    await jest.runAllTimersAsync();
    return { exec, fakes, at: fakes.calls.map((c) => c.at) };
  }

  test('defaults: IntervalSeconds 1, BackoffRate 2, MaxAttempts 3 → 4 attempts 1 s, 2 s, 4 s apart', async () => {
    // GIVEN / WHEN a retrier with only ErrorEquals and a task that always fails
    const { exec, at } = await run(taskMachine({ Retry: [{ ErrorEquals: ['States.ALL'] }] }), failing('Boom'));
    // THEN
    expect(gaps(at)).toEqual([1000, 2000, 4000]);
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('Boom');
    expect(JSON.parse(exec.cause!)).toMatchObject({ errorType: 'Boom', errorMessage: 'attempt 4 failed' });
  });

  test('IntervalSeconds 2, BackoffRate 3, MaxDelaySeconds 10 → delays 2, 6, 10, 10 s', async () => {
    const { at } = await run(taskMachine({
      Retry: [{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 4, MaxDelaySeconds: 10 }],
    }), failing('Boom'));
    expect(gaps(at)).toEqual([2000, 6000, 10000, 10000]);
  });

  test('timeScale scales every retry interval', async () => {
    const { at } = await run(taskMachine({ Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10, MaxAttempts: 2, BackoffRate: 1.5 }] }),
      failing('Boom'), { timeScale: 0.01 });
    expect(gaps(at)).toEqual([100, 150]);
  });

  test('JitterStrategy FULL randomizes the delay within [0, delay]', async () => {
    const { at } = await run(taskMachine({ Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 4, MaxAttempts: 2, JitterStrategy: 'FULL' }] }),
      failing('Boom'), { random: () => 0.25 });
    expect(gaps(at)).toEqual([1000, 2000]);
  });

  test('MaxAttempts 0 means no retry', async () => {
    const { at, exec } = await run(taskMachine({ Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }] }), failing('Boom'));
    expect(at).toHaveLength(1);
    expect(exec.status).toBe('FAILED');
  });

  test('succeeds on a retry: the output is the successful attempt', async () => {
    const { at, exec } = await run(taskMachine({ Retry: [{ ErrorEquals: ['Boom'], MaxAttempts: 5 }] }), failing('Boom', 2));
    expect(at).toHaveLength(3);
    expect(exec.status).toBe('SUCCEEDED');
    expect(exec.output).toEqual({ ok: 3 });
  });

  test('the first retrier whose ErrorEquals matches is used, with its own counter; exhausted → no fall-through', async () => {
    // GIVEN a specific retrier (1 retry, 5 s) before a catch-all one (3 retries, 1 s)
    const { at, exec } = await run(taskMachine({
      Retry: [
        { ErrorEquals: ['Specific'], IntervalSeconds: 5, MaxAttempts: 1 },
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 1 },
      ],
    }), failing('Specific'));
    // THEN only the first retrier applied
    expect(gaps(at)).toEqual([5000]);
    expect(exec.error).toBe('Specific');
  });

  test('an error not named in ErrorEquals is not retried', async () => {
    const { at, exec } = await run(taskMachine({ Retry: [{ ErrorEquals: ['Other'] }] }), failing('Boom'));
    expect(at).toHaveLength(1);
    expect(exec.error).toBe('Boom');
  });

  test('TimeoutSeconds: a hanging task fails with States.Timeout, which States.TaskFailed does not match but States.ALL does', async () => {
    // GIVEN a task that never answers, with a TaskFailed retrier and a States.ALL catcher
    const fakes = fakeLambdas({ [FN]: () => new Promise(() => undefined) });
    runner = new StateMachineRunner({ invokeLambda: fakes.invokeLambda, timeScale: 1 });
    const exec = runner.start(taskMachine({
      TimeoutSeconds: 5,
      Retry: [{ ErrorEquals: ['States.TaskFailed'] }],
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught', ResultPath: '$.err' }],
    }, { Caught: { Type: 'Pass', End: true } }), { in: 1 }, identity());
    // WHEN
    await jest.advanceTimersByTimeAsync(4_999);
    expect(exec.status).toBe('RUNNING');
    await jest.advanceTimersByTimeAsync(1);
    // THEN
    expect(fakes.calls).toHaveLength(1);
    expect(exec.status).toBe('SUCCEEDED');
    expect(exec.output).toEqual({ in: 1, err: { Error: 'States.Timeout', Cause: expect.stringContaining('5 seconds') } });
  });

  test('retry sleeps are cancelled by stop(): no further attempts, ABORTED', async () => {
    const fakes = fakeLambdas({ [FN]: failing('Boom') });
    runner = new StateMachineRunner({ invokeLambda: fakes.invokeLambda, timeScale: 1 });
    const exec: Execution = runner.start(taskMachine({ Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 10 }] }), {}, identity());
    await jest.advanceTimersByTimeAsync(5_000);
    exec.stop('User', 'enough');
    await jest.advanceTimersByTimeAsync(100_000);
    expect(fakes.calls).toHaveLength(1);
    expect(exec.status).toBe('ABORTED');
    expect([exec.error, exec.cause]).toEqual(['User', 'enough']);
    expect(jest.getTimerCount()).toBe(0);
  });
});
