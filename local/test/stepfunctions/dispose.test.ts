import { fakeLambdas, identity, lambdaArn, SM_ARN, waiterDefinition } from './support';
import { StateMachineRunner, StepFunctionsApi, StepFunctionsService } from '../../src/services/stepfunctions';

const FN = lambdaArn('Fn');

/** Tracks the real timers created while a test runs: set on creation, removed when fired or cleared. */
const live = new Set<unknown>();
const realSet = global.setTimeout;
const realClear = global.clearTimeout;
beforeEach(() => {
  live.clear();
  jest.spyOn(global, 'setTimeout').mockImplementation(((fn: (...a: any[]) => void, ms?: number, ...args: any[]) => {
    const t = realSet((...a: any[]) => { live.delete(t); fn(...a); }, ms, ...args);
    live.add(t);
    return t;
  }) as any);
  jest.spyOn(global, 'clearTimeout').mockImplementation(((t: any) => { live.delete(t); realClear(t); }) as any);
});
afterEach(() => jest.restoreAllMocks());
const liveTimers = () => live.size;

describe('dispose', () => {
  test('dispose() aborts executions in Wait, in a retry sleep, with a pending task, and leaves no timers', async () => {
    // GIVEN (real timers) executions blocked in every kind of wait
    const before = liveTimers();
    let pending = 0;
    const fakes = fakeLambdas({
      [FN]: () => { throw new Error('not yet'); },
      [lambdaArn('Hang')]: () => { pending++; return new Promise(() => undefined); },
    });
    const runner = new StateMachineRunner({ invokeLambda: fakes.invokeLambda, timeScale: 1 });
    const inWait = runner.start(JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 3600, End: true } } }), {}, identity('a'));
    const inRetry = runner.start(waiterDefinition(FN, FN), {}, identity('b'));
    const inTask = runner.start(JSON.stringify({
      TimeoutSeconds: 3600,
      StartAt: 'T',
      States: { T: { Type: 'Task', Resource: lambdaArn('Hang'), TimeoutSeconds: 3600, End: true } },
    }), {}, identity('c'));
    await new Promise((r) => setImmediate(r));
    expect(pending).toBe(1);
    expect(liveTimers()).toBe(before + 4); // wait, retry interval, task timeout, execution timeout

    // WHEN
    runner.dispose();

    // THEN
    expect(liveTimers()).toBe(before);
    for (const e of [inWait, inRetry, inTask]) {
      expect(e.status).toBe('ABORTED');
      await expect(e.done).resolves.toMatchObject({ status: 'ABORTED' });
    }
    expect(() => runner.start(waiterDefinition(FN, FN), {}, identity('d'))).toThrow(/disposed/);
  });

  test('StepFunctionsService.dispose() clears the waiter\'s retry timers', async () => {
    const before = liveTimers();
    const fakes = fakeLambdas({ [FN]: () => { throw new Error('never complete'); } });
    const svc = new StepFunctionsService({ invokeLambda: fakes.invokeLambda, timeScale: 1 });
    svc.createStateMachine(SM_ARN, 'Waiter', waiterDefinition(FN, FN), 'arn:aws:iam::123456789012:role/R');
    const arn = ((await new StepFunctionsApi(svc).operation('StartExecution', { stateMachineArn: SM_ARN, name: 'x' })).body as any).executionArn;
    await new Promise((r) => setImmediate(r));
    expect(liveTimers()).toBe(before + 1);
    svc.dispose();
    expect(liveTimers()).toBe(before);
    expect(((await new StepFunctionsApi(svc).operation('DescribeExecution', { executionArn: arn })).body as any).status).toBe('ABORTED');
  });

  test('a finished Task leaves no timeout timer behind', async () => {
    const before = liveTimers();
    const fakes = fakeLambdas({ [FN]: () => 1 });
    const runner = new StateMachineRunner({ invokeLambda: fakes.invokeLambda, timeScale: 1 });
    const e = runner.start(JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: FN, TimeoutSeconds: 3600, Next: 'U' }, U: { Type: 'Task', Resource: FN, TimeoutSeconds: 3600, End: true } } }), {}, identity());
    await e.done;
    expect(e.status).toBe('SUCCEEDED');
    expect(liveTimers()).toBe(before);
    runner.dispose();
  });
});
