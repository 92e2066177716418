import { fakeLambdas, lambdaArn, SM_ARN } from './support';
import { InvalidDefinitionError, StepFunctionsApi, StepFunctionsService } from '../../src/services/stepfunctions';

const FN = lambdaArn('Fn');
const ROLE = 'arn:aws:iam::123456789012:role/R';
const EXEC_PREFIX = 'arn:aws:states:us-east-1:123456789012:execution:Waiter:';

function wait(seconds: number) {
  return JSON.stringify({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: seconds, Next: 'T' }, T: { Type: 'Task', Resource: FN, End: true } } });
}

describe('StepFunctionsService API', () => {
  let svc: StepFunctionsService;
  let fakes: ReturnType<typeof fakeLambdas>;
  const T0 = new Date('2026-03-01T12:00:00.250Z');
  let clock = T0.getTime();

  beforeEach(() => {
    clock = T0.getTime();
    fakes = fakeLambdas({ [FN]: (p: any) => ({ got: p }) });
    svc = new StepFunctionsService({ invokeLambda: fakes.invokeLambda, timeScale: 0, now: () => new Date(clock) });
    svc.createStateMachine(SM_ARN, 'Waiter', wait(0), ROLE);
  });
  afterEach(() => svc.dispose());

  test('StartExecution → executionArn and epoch-seconds startDate; DescribeExecution reports the run', async () => {
    // WHEN
    const start = await new StepFunctionsApi(svc).operation('StartExecution', { stateMachineArn: SM_ARN, name: 'run-1', input: '{"a":1}' });
    // THEN
    expect(start).toEqual({ status: 200, body: { executionArn: `${EXEC_PREFIX}run-1`, startDate: T0.getTime() / 1000 } });
    clock += 1500;
    await svc.idle();
    const d = await new StepFunctionsApi(svc).operation('DescribeExecution', { executionArn: `${EXEC_PREFIX}run-1` });
    expect(d).toEqual({
      status: 200,
      body: {
        executionArn: `${EXEC_PREFIX}run-1`,
        stateMachineArn: SM_ARN,
        name: 'run-1',
        status: 'SUCCEEDED',
        startDate: T0.getTime() / 1000,
        stopDate: T0.getTime() / 1000 + 1.5,
        input: '{"a":1}',
        inputDetails: { included: true },
        output: '{"got":{"a":1}}',
        outputDetails: { included: true },
      },
    });
  });

  test('the body may be the raw JSON text; a missing name gets a UUID; missing input is {}', async () => {
    const start = await new StepFunctionsApi(svc).operation('StartExecution', Buffer.from(JSON.stringify({ stateMachineArn: SM_ARN })));
    const arn = (start.body as any).executionArn as string;
    expect(arn).toMatch(new RegExp(`^${EXEC_PREFIX}[0-9a-f-]{36}$`));
    await svc.idle();
    expect(((await new StepFunctionsApi(svc).operation('DescribeExecution', JSON.stringify({ executionArn: arn }))).body as any).input).toBe('{}');
    expect(fakes.calls[0].payload).toEqual({});
  });

  test.each<[string, string, unknown, number, string]>([
    ['unknown state machine', 'StartExecution', { stateMachineArn: SM_ARN.replace('Waiter', 'Nope') }, 400, 'StateMachineDoesNotExist'],
    ['malformed state machine ARN', 'StartExecution', { stateMachineArn: 'arn:aws:lambda:x' }, 400, 'InvalidArn'],
    ['no state machine ARN', 'StartExecution', {}, 400, 'ValidationException'],
    ['input that is not JSON', 'StartExecution', { stateMachineArn: SM_ARN, input: '{nope' }, 400, 'InvalidExecutionInput'],
    ['bad name', 'StartExecution', { stateMachineArn: SM_ARN, name: 'has space' }, 400, 'InvalidName'],
    ['unknown execution', 'DescribeExecution', { executionArn: `${EXEC_PREFIX}nope` }, 400, 'ExecutionDoesNotExist'],
    ['malformed execution ARN', 'DescribeExecution', { executionArn: SM_ARN }, 400, 'InvalidArn'],
    ['stop unknown execution', 'StopExecution', { executionArn: `${EXEC_PREFIX}nope` }, 400, 'ExecutionDoesNotExist'],
    ['describe unknown state machine', 'DescribeStateMachine', { stateMachineArn: SM_ARN.replace('Waiter', 'Nope') }, 400, 'StateMachineDoesNotExist'],
    ['bad status filter', 'ListExecutions', { stateMachineArn: SM_ARN, statusFilter: 'DONE' }, 400, 'ValidationException'],
    ['unknown operation', 'CreateActivity', {}, 400, 'UnknownOperationException'],
    ['body that is not JSON', 'DescribeExecution', '{', 400, 'SerializationException'],
  ])('%s → %s error %s', async (_name, op, body, status, type) => {
    const r = await new StepFunctionsApi(svc).operation(op, body);
    expect(r.status).toBe(status);
    expect(r.body).toEqual({ __type: type, message: expect.any(String) });
    expect((r.body as any).message.length).toBeGreaterThan(0);
  });

  test('same name: idempotent while running with the same input, ExecutionAlreadyExists otherwise', async () => {
    svc.createStateMachine(SM_ARN, 'Waiter', wait(1000), ROLE);
    const a = await new StepFunctionsApi(svc).operation('StartExecution', { stateMachineArn: SM_ARN, name: 'n', input: '{"x":1}' });
    const b = await new StepFunctionsApi(svc).operation('StartExecution', { stateMachineArn: SM_ARN, name: 'n', input: '{"x":1}' });
    expect(b).toEqual(a);
    const c = await new StepFunctionsApi(svc).operation('StartExecution', { stateMachineArn: SM_ARN, name: 'n', input: '{"x":2}' });
    expect(c.body).toMatchObject({ __type: 'ExecutionAlreadyExists' });
  });

  test('createStateMachine rejects an invalid definition with InvalidDefinitionError', () => {
    expect(() => svc.createStateMachine(SM_ARN.replace('Waiter', 'Bad'), 'Bad', '{"StartAt":"A","States":{}}', ROLE))
      .toThrow(InvalidDefinitionError);
    expect(() => svc.createStateMachine(SM_ARN.replace('Waiter', 'Bad'), 'Bad', '{"StartAt":"A","States":{}}', ROLE))
      .toThrow(/Invalid State Machine Definition/);
  });

  test('StopExecution aborts a running execution with the given error and cause', async () => {
    svc.createStateMachine(SM_ARN, 'Waiter', wait(1000), ROLE);
    const arn = ((await new StepFunctionsApi(svc).operation('StartExecution', { stateMachineArn: SM_ARN, name: 's' })).body as any).executionArn;
    clock += 2000;
    const stop = await new StepFunctionsApi(svc).operation('StopExecution', { executionArn: arn, error: 'Manual', cause: 'test over' });
    expect(stop).toEqual({ status: 200, body: { stopDate: T0.getTime() / 1000 + 2 } });
    const d = (await new StepFunctionsApi(svc).operation('DescribeExecution', { executionArn: arn })).body as any;
    expect(d).toMatchObject({ status: 'ABORTED', error: 'Manual', cause: 'test over', stopDate: T0.getTime() / 1000 + 2 });
    expect(d.output).toBeUndefined();
    expect(fakes.calls).toHaveLength(0);
  });

  test('ListExecutions: newest first, statusFilter, pagination', async () => {
    svc.createStateMachine(SM_ARN, 'Waiter', wait(1000), ROLE);
    for (const n of ['e1', 'e2', 'e3']) await new StepFunctionsApi(svc).operation('StartExecution', { stateMachineArn: SM_ARN, name: n });
    await new StepFunctionsApi(svc).operation('StopExecution', { executionArn: `${EXEC_PREFIX}e2` });
    const all = (await new StepFunctionsApi(svc).operation('ListExecutions', { stateMachineArn: SM_ARN })).body as any;
    expect(all.executions.map((e: any) => [e.name, e.status])).toEqual([['e3', 'RUNNING'], ['e2', 'ABORTED'], ['e1', 'RUNNING']]);
    expect(all.nextToken).toBeUndefined();
    const running = (await new StepFunctionsApi(svc).operation('ListExecutions', { stateMachineArn: SM_ARN, statusFilter: 'RUNNING' })).body as any;
    expect(running.executions.map((e: any) => e.name)).toEqual(['e3', 'e1']);
    const p1 = (await new StepFunctionsApi(svc).operation('ListExecutions', { stateMachineArn: SM_ARN, maxResults: 2 })).body as any;
    expect(p1.executions.map((e: any) => e.name)).toEqual(['e3', 'e2']);
    const p2 = (await new StepFunctionsApi(svc).operation('ListExecutions', { stateMachineArn: SM_ARN, maxResults: 2, nextToken: p1.nextToken })).body as any;
    expect(p2.executions.map((e: any) => e.name)).toEqual(['e1']);
    expect(p2.nextToken).toBeUndefined();
  });

  test('DescribeStateMachine returns the definition and role', async () => {
    const r = await new StepFunctionsApi(svc).operation('DescribeStateMachine', { stateMachineArn: SM_ARN });
    expect(r).toEqual({
      status: 200,
      body: expect.objectContaining({
        stateMachineArn: SM_ARN,
        name: 'Waiter',
        status: 'ACTIVE',
        definition: wait(0),
        roleArn: ROLE,
        type: 'STANDARD',
        creationDate: T0.getTime() / 1000,
      }),
    });
  });

  test('GetExecutionHistory returns AWS-shaped events; a failed execution reports error and cause', async () => {
    svc.createStateMachine(SM_ARN, 'Waiter', JSON.stringify({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E', Cause: 'C' } } }), ROLE);
    const arn = ((await new StepFunctionsApi(svc).operation('StartExecution', { stateMachineArn: SM_ARN, name: 'f' })).body as any).executionArn;
    await svc.idle();
    const d = (await new StepFunctionsApi(svc).operation('DescribeExecution', { executionArn: arn })).body as any;
    expect(d).toMatchObject({ status: 'FAILED', error: 'E', cause: 'C' });
    const h = (await new StepFunctionsApi(svc).operation('GetExecutionHistory', { executionArn: arn })).body as any;
    expect(h.events.map((e: any) => e.type)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
    expect(h.events[2]).toMatchObject({ id: 3, previousEventId: 2, executionFailedEventDetails: { error: 'E', cause: 'C' } });
  });

  test('deleteStateMachine stops its executions and makes it unknown', async () => {
    svc.createStateMachine(SM_ARN, 'Waiter', wait(1000), ROLE);
    const arn = ((await new StepFunctionsApi(svc).operation('StartExecution', { stateMachineArn: SM_ARN, name: 'd' })).body as any).executionArn;
    svc.deleteStateMachine(SM_ARN);
    expect(((await new StepFunctionsApi(svc).operation('DescribeExecution', { executionArn: arn })).body as any).status).toBe('ABORTED');
    expect(((await new StepFunctionsApi(svc).operation('DescribeStateMachine', { stateMachineArn: SM_ARN })).body as any).__type).toBe('StateMachineDoesNotExist');
  });
});
