import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetFunctionCommand, GetFunctionEventInvokeConfigCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../src';
import { Clients, clients, expectEmpty, lambdaMetric, physicalIds, receive, RECORD_KEYS, REQUEST_CONTEXT_KEYS, startQuietCloud, SUCCEED_OR_THROW, synth } from './helpers';

const STACK = 'SqsDestinations';
const traceFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trace-')), 'attempts.txt');
let cloud: LocalCloud;
let c: Clients;
let ids: Record<string, string>;

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
    const ok = new sqs.Queue(stack, 'SuccessQueue');
    const failed = new sqs.Queue(stack, 'FailureQueue');
    const fn = (name: string, props: Partial<lambda.FunctionProps>) => new lambda.Function(stack, name, {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      onSuccess: new SqsDestination(ok),
      onFailure: new SqsDestination(failed),
      ...props,
    });
    fn('Retries0', { retryAttempts: 0 });
    fn('Retries2', { retryAttempts: 2 });
    fn('Age60', { retryAttempts: 2, maxEventAge: Duration.seconds(60) });
    fn('Age90', { retryAttempts: 2, maxEventAge: Duration.seconds(90) });
    // records the request id each attempt sees, then fails
    new lambda.Function(stack, 'Tracker', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`
const fs = require('fs');
exports.handler = async (event, context) => {
  fs.appendFileSync(process.env.TRACE_FILE, context.awsRequestId + '\\n');
  throw new Error('attempt failed');
};`),
      environment: { TRACE_FILE: traceFile },
      onFailure: new SqsDestination(failed),
    });
  });
  cloud = await startQuietCloud(assembly);
  c = clients(cloud.endpoint);
  ids = await physicalIds(c, STACK);
}, 60_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
});

async function invokeEvent(fnLogicalId: string, payload: unknown) {
  const out = await c.lambda.send(new InvokeCommand({
    FunctionName: id(fnLogicalId), InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)),
  }));
  return out;
}

function fnArn(name: string): string {
  return `arn:aws:lambda:us-east-1:000000000000:function:${name}:$LATEST`;
}

test('Event invoke answers 202 and the success record lands in the success queue with AWS key order', async () => {
  const out = await invokeEvent('Retries0', { Success: true, id: 'a1' });
  expect(out.StatusCode).toBe(202);

  const [msg] = await receive(c, id('SuccessQueue'), 1);
  const record = JSON.parse(msg.Body!);
  expect(Object.keys(record)).toEqual(RECORD_KEYS);
  expect(Object.keys(record.requestContext)).toEqual(REQUEST_CONTEXT_KEYS);
  expect(Object.keys(record.responseContext)).toEqual(['statusCode', 'executedVersion']);
  expect(record.version).toBe('1.0');
  expect(new Date(record.timestamp).toISOString()).toBe(record.timestamp);
  expect(Math.abs(Date.now() - Date.parse(record.timestamp))).toBeLessThan(10_000);
  expect(record.requestContext).toEqual({
    requestId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
    functionArn: fnArn(id('Retries0')),
    condition: 'Success',
    approximateInvokeCount: 1,
  });
  expect(record.requestPayload).toEqual({ Success: true, id: 'a1' });
  expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
  expect(record.responsePayload).toEqual({ ok: true, got: 'a1' });
});

function id(prefix: string): string {
  const k = Object.keys(ids).find((x) => x.startsWith(prefix) && !x.includes('ServiceRole') && !x.includes('EventInvokeConfig'));
  if (!k) throw new Error(`no resource ${prefix}* in ${Object.keys(ids).join(', ')}`);
  return ids[k];
}

describe('failure records', () => {
  async function failOnce(fnPrefix: string) {
    const fnName = id(fnPrefix);
    await c.lambda.send(new InvokeCommand({
      FunctionName: fnName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ Success: false, id: fnPrefix })),
    }));
    const [msg] = await receive(c, id('FailureQueue'), 1);
    await cloud.idle();
    await expectEmpty(c, id('FailureQueue'));
    await expectEmpty(c, id('SuccessQueue'));
    return { fnName, record: JSON.parse(msg.Body!) };
  }

  test('retries 0: one attempt, RetriesExhausted, full error payload', async () => {
    const { fnName, record } = await failOnce('Retries0');
    expect(Object.keys(record)).toEqual(RECORD_KEYS);
    expect(Object.keys(record.requestContext)).toEqual(REQUEST_CONTEXT_KEYS);
    expect(Object.keys(record.responseContext)).toEqual(['statusCode', 'executedVersion', 'functionError']);
    expect(record.requestContext).toEqual({ requestId: expect.any(String), functionArn: fnArn(fnName), condition: 'RetriesExhausted', approximateInvokeCount: 1 });
    expect(record.requestPayload).toEqual({ Success: false, id: 'Retries0' });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(Object.keys(record.responsePayload)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(record.responsePayload.errorType).toBe('Error');
    expect(record.responsePayload.errorMessage).toBe('boom');
    expect(record.responsePayload.trace[0]).toBe('Error: boom');
    expect(record.responsePayload.trace[1]).toMatch(/^ {4}at /);
  });

  test('retries 2: three attempts, RetriesExhausted, count 3, one request id for all attempts', async () => {
    const started = Date.now();
    const { fnName, record } = await failOnce('Retries2');
    // 60 s + 120 s of AWS waits at time scale 0.001
    expect(Date.now() - started).toBeGreaterThanOrEqual(180);
    expect(record.requestContext.condition).toBe('RetriesExhausted');
    expect(record.requestContext.approximateInvokeCount).toBe(3);
    expect(record.requestContext.functionArn).toBe(fnArn(fnName));
    expect(record.responsePayload.errorMessage).toBe('boom');
    expect(await lambdaMetric(c, 'AsyncEventsDropped', fnName)).toBe(1);
    expect(await lambdaMetric(c, 'AsyncEventAge', fnName, 'SampleCount')).toBe(3);
  });

  test('every attempt of one event sees the same request id, the one in the record', async () => {
    const { record } = await failOnce('Tracker');
    const attempts = fs.readFileSync(traceFile, 'utf8').trim().split('\n');
    expect(attempts).toEqual([record.requestContext.requestId, record.requestContext.requestId, record.requestContext.requestId]);
    expect(record.requestContext.approximateInvokeCount).toBe(3);
    expect(record.responsePayload.errorMessage).toBe('attempt failed');
  });

  test('retries 2 + maxEventAge 60 s: EventAgeExceeded after the first attempt', async () => {
    const { record } = await failOnce('Age60');
    expect(record.requestContext.condition).toBe('EventAgeExceeded');
    expect(record.requestContext.approximateInvokeCount).toBe(1);
  });

  test('retries 2 + maxEventAge 90 s: EventAgeExceeded after the second attempt', async () => {
    const { record } = await failOnce('Age90');
    expect(record.requestContext.condition).toBe('EventAgeExceeded');
    expect(record.requestContext.approximateInvokeCount).toBe(2);
  });
});

test('RequestResponse returns the payload, or the error with X-Amz-Function-Error', async () => {
  const ok = await c.lambda.send(new InvokeCommand({ FunctionName: id('Retries0'), Payload: Buffer.from('{"Success":true,"id":"s"}') }));
  expect(ok.StatusCode).toBe(200);
  expect(ok.FunctionError).toBeUndefined();
  expect(ok.ExecutedVersion).toBe('$LATEST');
  expect(JSON.parse(Buffer.from(ok.Payload!).toString())).toEqual({ ok: true, got: 's' });

  const bad = await c.lambda.send(new InvokeCommand({ FunctionName: id('Retries0'), Payload: Buffer.from('{"Success":false}') }));
  expect(bad.StatusCode).toBe(200);
  expect(bad.FunctionError).toBe('Unhandled');
  const err = JSON.parse(Buffer.from(bad.Payload!).toString());
  expect(err.errorType).toBe('Error');
  expect(err.errorMessage).toBe('boom');
  // a synchronous invoke never produces a destination record
  await cloud.idle();
  await expectEmpty(c, id('FailureQueue'));
});

test('DryRun answers 204 without running the handler', async () => {
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: id('Retries0'), InvocationType: 'DryRun' }));
  expect(out.StatusCode).toBe(204);
});

test('GetFunctionEventInvokeConfig reports the deployed configuration', async () => {
  const out = await c.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: id('Age90') }));
  expect(out.FunctionArn).toBe(fnArn(id('Age90')));
  expect(out.MaximumRetryAttempts).toBe(2);
  expect(out.MaximumEventAgeInSeconds).toBe(90);
  expect(out.DestinationConfig?.OnSuccess?.Destination).toBe(`arn:aws:sqs:us-east-1:000000000000:${id('SuccessQueue').split('/').pop()}`);
  expect(out.DestinationConfig?.OnFailure?.Destination).toBe(`arn:aws:sqs:us-east-1:000000000000:${id('FailureQueue').split('/').pop()}`);
  expect(out.LastModified).toBeInstanceOf(Date);
});

test('GetFunction reports the deployed configuration', async () => {
  const out = await c.lambda.send(new GetFunctionCommand({ FunctionName: id('Tracker') }));
  expect(out.Configuration).toMatchObject({
    FunctionName: id('Tracker'),
    FunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${id('Tracker')}`,
    Runtime: 'nodejs20.x',
    Handler: 'index.handler',
    Timeout: 3,
    MemorySize: 128,
    State: 'Active',
  });
  expect(out.Configuration!.Role).toMatch(/^arn:aws:iam::000000000000:role\/SqsDestinations-TrackerServiceRole/);
});
