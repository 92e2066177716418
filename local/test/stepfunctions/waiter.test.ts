import { fakeLambdas, lambdaArn, SM_ARN, snapshotDefinitions, waiterDefinition } from './support';
import { StepFunctionsApi, StepFunctionsService, parseDefinition } from '../../src/services/stepfunctions';

const IS_COMPLETE = lambdaArn('IsComplete');
const ON_TIMEOUT = lambdaArn('OnTimeout');

/** What integ-tests-alpha's custom resource handler passes as the execution input: the CloudFormation event. */
const CFN_EVENT = {
  RequestType: 'Create',
  RequestId: 'b0a2c3d4-0000-4000-8000-000000000001',
  ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/x',
  ResourceType: 'Custom::DeployAssert@SdkCallSQSreceiveMessage',
  LogicalResourceId: 'AwsApiCallSQSreceiveMessage',
  StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/DeployAssert/1',
  ResourceProperties: { service: 'SQS', api: 'receiveMessage', stateMachineArn: SM_ARN },
};

/** isComplete as integ-tests-alpha writes it: throws `new Error(JSON.stringify(event))` while not complete. */
function isCompleteFailing(times: number) {
  return (event: any, n: number) => {
    if (n <= times) throw new Error(JSON.stringify(event));
    return { complete: true, attempt: n };
  };
}

/** onTimeout as integ-tests-alpha writes it: recovers the original request from the Catch's Cause. */
function onTimeoutRecording(seen: unknown[]) {
  return (timeoutEvent: any) => {
    seen.push(JSON.parse(JSON.parse(timeoutEvent.Cause).errorMessage));
    // the real handler responds FAILED to CloudFormation and returns nothing
  };
}

async function startWaiter(svc: StepFunctionsService) {
  const start = await new StepFunctionsApi(svc).operation('StartExecution', {
    stateMachineArn: SM_ARN,
    name: CFN_EVENT.RequestId,
    input: JSON.stringify(CFN_EVENT),
  });
  expect(start.status).toBe(200);
  return (start.body as any).executionArn as string;
}

describe('integ-tests-alpha waitForAssertions waiter', () => {
  let svc: StepFunctionsService | undefined;
  afterEach(() => {
    svc?.dispose();
    svc = undefined;
    jest.useRealTimers();
  });

  test('every committed waiter definition in integ snapshots is accepted', () => {
    // GIVEN the DefinitionStrings from our integ snapshots
    const defs = snapshotDefinitions();
    expect(defs.length).toBeGreaterThan(0);
    for (const d of defs) {
      // WHEN parsed THEN it is valid and is the waiter shape
      const def = parseDefinition(d.definition);
      expect(def.StartAt).toBe('framework-isComplete-task');
      expect(def.States['framework-isComplete-task'].Retry?.[0].ErrorEquals).toEqual(['States.ALL']);
    }
  });

  test.each([0, 1, 3])('isComplete failing %i times then succeeding → SUCCEEDED after N+1 invocations, 30 s apart (fake clock)', async (n) => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    // GIVEN the waiter state machine with IntervalSeconds 30 and an isComplete that fails n times
    const seen: unknown[] = [];
    const fakes = fakeLambdas({ [IS_COMPLETE]: isCompleteFailing(n), [ON_TIMEOUT]: onTimeoutRecording(seen) });
    svc = new StepFunctionsService({ invokeLambda: fakes.invokeLambda, timeScale: 1 });
    svc.createStateMachine(SM_ARN, 'Waiter', waiterDefinition(IS_COMPLETE, ON_TIMEOUT), 'arn:aws:iam::123456789012:role/R');

    // WHEN the custom resource handler starts it and polls DescribeExecution
    const arn = await startWaiter(svc);
    const running = await new StepFunctionsApi(svc).operation('DescribeExecution', { executionArn: arn });
    if (n > 0) expect((running.body as any).status).toBe('RUNNING');
    await jest.advanceTimersByTimeAsync(30_000 * n);

    // THEN
    const d = (await new StepFunctionsApi(svc).operation('DescribeExecution', { executionArn: arn })).body as any;
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output)).toEqual({ complete: true, attempt: n + 1 });
    expect(d.error).toBeUndefined();
    const calls = fakes.callsTo(IS_COMPLETE);
    expect(calls).toHaveLength(n + 1);
    calls.forEach((c) => expect(c.payload).toEqual(CFN_EVENT));
    expect(calls.slice(1).map((c, i) => c.at - calls[i].at)).toEqual(Array(n).fill(30_000));
    expect(fakes.callsTo(ON_TIMEOUT)).toHaveLength(0);
    expect(d.stopDate - d.startDate).toBeCloseTo(30 * n, 3);
  });

  test('isComplete always failing → 21 attempts, then the Catch runs onTimeout with {Error, Cause} it can parse', async () => {
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
    // GIVEN an isComplete that never completes
    const seen: unknown[] = [];
    const fakes = fakeLambdas({ [IS_COMPLETE]: isCompleteFailing(Infinity), [ON_TIMEOUT]: onTimeoutRecording(seen) });
    svc = new StepFunctionsService({ invokeLambda: fakes.invokeLambda, timeScale: 1 });
    svc.createStateMachine(SM_ARN, 'Waiter', waiterDefinition(IS_COMPLETE, ON_TIMEOUT), 'arn:aws:iam::123456789012:role/R');

    // WHEN it runs for the 20 retry intervals (minus a bit: onTimeout must not have run yet)
    const arn = await startWaiter(svc);
    await jest.advanceTimersByTimeAsync(20 * 30_000 - 1);
    expect(fakes.callsTo(IS_COMPLETE)).toHaveLength(20);
    expect(fakes.callsTo(ON_TIMEOUT)).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);

    // THEN 21 invocations, then onTimeout gets the error output of the failed task
    expect(fakes.callsTo(IS_COMPLETE)).toHaveLength(21);
    const [timeout] = fakes.callsTo(ON_TIMEOUT);
    expect(Object.keys(timeout.payload as object).sort()).toEqual(['Cause', 'Error']);
    expect((timeout.payload as any).Error).toBe('Error');
    const cause = JSON.parse((timeout.payload as any).Cause);
    expect(cause).toMatchObject({ errorType: 'Error', errorMessage: JSON.stringify(CFN_EVENT) });
    expect(Array.isArray(cause.trace)).toBe(true);
    expect(seen).toEqual([CFN_EVENT]);

    // AND the execution succeeded with onTimeout's (empty) result, as AWS reports it
    const d = (await new StepFunctionsApi(svc).operation('DescribeExecution', { executionArn: arn })).body as any;
    expect(d.status).toBe('SUCCEEDED');
    expect(d.output).toBe('null');
    expect(d.stopDate - d.startDate).toBeCloseTo(600, 3);
  });

  test('onTimeout itself failing → FAILED with its error and cause', async () => {
    // GIVEN a waiter whose onTimeout throws
    const fakes = fakeLambdas({
      [IS_COMPLETE]: isCompleteFailing(Infinity),
      [ON_TIMEOUT]: () => {
        const e = new Error('cannot respond');
        e.name = 'ResponseError';
        throw e;
      },
    });
    svc = new StepFunctionsService({ invokeLambda: fakes.invokeLambda, timeScale: 0 });
    svc.createStateMachine(SM_ARN, 'Waiter', waiterDefinition(IS_COMPLETE, ON_TIMEOUT, 30, 2), 'arn:aws:iam::123456789012:role/R');

    // WHEN
    const arn = await startWaiter(svc);
    await svc.idle();

    // THEN
    const d = (await new StepFunctionsApi(svc).operation('DescribeExecution', { executionArn: arn })).body as any;
    expect(fakes.callsTo(IS_COMPLETE)).toHaveLength(3);
    expect(d.status).toBe('FAILED');
    expect(d.error).toBe('ResponseError');
    expect(JSON.parse(d.cause)).toMatchObject({ errorType: 'ResponseError', errorMessage: 'cannot respond' });
    expect(d.output).toBeUndefined();
  });

  test('waits are scaled by timeScale in real time', async () => {
    // GIVEN timeScale 0.002: a 30 s interval is 60 ms
    const fakes = fakeLambdas({ [IS_COMPLETE]: isCompleteFailing(2), [ON_TIMEOUT]: () => undefined });
    svc = new StepFunctionsService({ invokeLambda: fakes.invokeLambda, timeScale: 0.002 });
    svc.createStateMachine(SM_ARN, 'Waiter', waiterDefinition(IS_COMPLETE, ON_TIMEOUT), 'arn:aws:iam::123456789012:role/R');

    // WHEN
    const t0 = Date.now();
    const arn = await startWaiter(svc);
    await svc.execution(arn)!.done;
    const elapsed = Date.now() - t0;

    // THEN two scaled intervals passed, not two real ones
    const calls = fakes.callsTo(IS_COMPLETE);
    expect(calls).toHaveLength(3);
    for (let i = 1; i < calls.length; i++) expect(calls[i].at - calls[i - 1].at).toBeGreaterThanOrEqual(55);
    expect(elapsed).toBeGreaterThanOrEqual(115);
    expect(elapsed).toBeLessThan(5_000);
  });
});
