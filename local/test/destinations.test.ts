import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EventBridgeDestination, LambdaDestination, S3Destination, SnsDestination, SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DestinationDelivery, LocalCloud } from '../src';
import { Clients, expectEmpty, lambdaMetric, receive, RECORD_KEYS, REQUEST_CONTEXT_KEYS, resourceId, startStack, stopStack, SUCCEED_OR_THROW, synth } from './helpers';

const STACK = 'Destinations';
let cloud: LocalCloud;
let c: Clients;
let ids: Record<string, string>;

const ENVELOPE_KEYS = ['Type', 'MessageId', 'TopicArn', 'Message', 'Timestamp', 'SignatureVersion', 'Signature', 'SigningCertURL', 'UnsubscribeURL'];
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
    const topic = new sns.Topic(stack, 'RecordTopic');
    const enveloped = new sqs.Queue(stack, 'EnvelopeQueue');
    const raw = new sqs.Queue(stack, 'RawQueue');
    topic.addSubscription(new subs.SqsSubscription(enveloped));
    topic.addSubscription(new subs.SqsSubscription(raw, { rawMessageDelivery: true }));
    new lambda.Function(stack, 'ToTopic', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      retryAttempts: 0,
      onSuccess: new SnsDestination(topic),
      onFailure: new SnsDestination(topic),
    });
    const bucket = new s3.Bucket(stack, 'FailureBucket');
    new lambda.Function(stack, 'ToBucket', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      retryAttempts: 1,
      onFailure: new S3Destination(bucket),
    });
    const dlq = new sqs.Queue(stack, 'DeadLetterQueue');
    new lambda.Function(stack, 'WithDlq', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      retryAttempts: 0,
      deadLetterQueue: dlq,
    });
    // Lambda destination: the record becomes the payload of an async invoke of Receiver,
    // whose own success record lands in ChainQueue
    const chain = new sqs.Queue(stack, 'ChainQueue');
    const receiver = new lambda.Function(stack, 'Receiver', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (record) => ({ sawCondition: record.requestContext.condition });'),
      onSuccess: new SqsDestination(chain),
    });
    new lambda.Function(stack, 'ToFunction', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      retryAttempts: 0,
      onFailure: new LambdaDestination(receiver),
    });
    const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'records' });
    new lambda.Function(stack, 'ToBus', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      retryAttempts: 0,
      onSuccess: new EventBridgeDestination(bus),
      onFailure: new EventBridgeDestination(bus),
    });
    const zeroFailures = new sqs.Queue(stack, 'ZeroQueue');
    new lambda.Function(stack, 'NoConcurrency', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      reservedConcurrentExecutions: 0,
      onFailure: new SqsDestination(zeroFailures),
    });
  });
  ({ cloud, c, ids } = await startStack(assembly, STACK));
}, 60_000);

afterAll(() => stopStack(cloud, c));

const id = (prefix: string) => resourceId(ids, prefix);

async function invokeEvent(fnPrefix: string, payload: unknown): Promise<void> {
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: id(fnPrefix), InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
  expect(out.StatusCode).toBe(202);
}

function expectRecord(record: any, fnName: string, condition: string, count: number) {
  expect(Object.keys(record)).toEqual(RECORD_KEYS);
  expect(Object.keys(record.requestContext)).toEqual(REQUEST_CONTEXT_KEYS);
  expect(record.version).toBe('1.0');
  expect(record.requestContext).toEqual({
    requestId: expect.stringMatching(new RegExp(`^${UUID}$`)),
    functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${fnName}:$LATEST`,
    condition,
    approximateInvokeCount: count,
  });
}

describe('SNS destination', () => {
  test('a record over SNS\'s 256 KB limit (async payloads may be 1 MB) is not delivered: DestinationDeliveryFailures', async () => {
    const fn = id('ToTopic');
    const before = await lambdaMetric(c, 'DestinationDeliveryFailures', fn);
    await invokeEvent('ToTopic', { Success: true, id: 'big', pad: 'x'.repeat(300 * 1024) });
    await cloud.idle();
    expect(await lambdaMetric(c, 'DestinationDeliveryFailures', fn)).toBe(before + 1);
    await expectEmpty(c, id('EnvelopeQueue'));
    await expectEmpty(c, id('RawQueue'));
  });

  test('an SQS subscriber receives the SNS envelope whose Message is the success record', async () => {
    await invokeEvent('ToTopic', { Success: true, id: 'sns-ok' });
    const [msg] = await receive(c, id('EnvelopeQueue'), 1);
    const envelope = JSON.parse(msg.Body!);
    expect(Object.keys(envelope)).toEqual(ENVELOPE_KEYS);
    expect(envelope.Type).toBe('Notification');
    expect(envelope.TopicArn).toBe(id('RecordTopic'));
    expect(envelope.SignatureVersion).toBe('1');
    expect(envelope.MessageId).toMatch(new RegExp(`^${UUID}$`));
    const record = JSON.parse(envelope.Message);
    expectRecord(record, id('ToTopic'), 'Success', 1);
    expect(record.requestPayload).toEqual({ Success: true, id: 'sns-ok' });
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
    expect(record.responsePayload).toEqual({ ok: true, got: 'sns-ok' });
  });

  test('a raw-delivery subscriber receives the record itself', async () => {
    const [msg] = await receive(c, id('RawQueue'), 1);
    const record = JSON.parse(msg.Body!);
    expectRecord(record, id('ToTopic'), 'Success', 1);
    expect(record.requestPayload).toEqual({ Success: true, id: 'sns-ok' });
  });

  test('failure records go through the topic too', async () => {
    await invokeEvent('ToTopic', { Success: false, id: 'sns-fail' });
    const [msg] = await receive(c, id('EnvelopeQueue'), 1);
    const record = JSON.parse(JSON.parse(msg.Body!).Message);
    expectRecord(record, id('ToTopic'), 'RetriesExhausted', 1);
    expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
    expect(record.responsePayload.errorMessage).toBe('boom');
    await receive(c, id('RawQueue'), 1);
  });
});

test('S3 failure destination: one object under aws/lambda/async/<function-name>/ whose body is the record', async () => {
  const fnName = id('ToBucket');
  await invokeEvent('ToBucket', { Success: false, id: 's3' });
  await cloud.idle();
  const bucket = id('FailureBucket');
  const list = await c.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  expect(list.Contents?.length).toBe(1);
  const key = list.Contents![0].Key!;
  const d = new Date();
  const [y, m, day] = [d.getUTCFullYear(), String(d.getUTCMonth() + 1).padStart(2, '0'), String(d.getUTCDate()).padStart(2, '0')];
  expect(key).toMatch(new RegExp(`^aws/lambda/async/${fnName}/${y}/${m}/${day}/${y}-${m}-${day}T\\d{2}\\.\\d{2}\\.\\d{2}-${UUID}$`));
  const obj = await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const record = JSON.parse(await obj.Body!.transformToString());
  expectRecord(record, fnName, 'RetriesExhausted', 2);
  expect(record.requestPayload).toEqual({ Success: false, id: 's3' });
  expect(record.responsePayload).toMatchObject({ errorType: 'Error', errorMessage: 'boom' });
  // the object's timestamp in the key is the record's time, to the second
  expect(key.split('/').pop()!.slice(0, 19)).toBe(record.timestamp.slice(0, 19).replace(/:/g, '.'));
});

test('dead-letter queue receives the original event with RequestID, ErrorCode and ErrorMessage attributes', async () => {
  await invokeEvent('WithDlq', { Success: false, id: 'dlq' });
  const [msg] = await receive(c, id('DeadLetterQueue'), 1);
  expect(JSON.parse(msg.Body!)).toEqual({ Success: false, id: 'dlq' });
  const attrs = msg.MessageAttributes!;
  expect(attrs.RequestID.DataType).toBe('String');
  expect(attrs.RequestID.StringValue).toMatch(new RegExp(`^${UUID}$`));
  expect(attrs.ErrorCode).toMatchObject({ DataType: 'Number', StringValue: '200' });
  expect(attrs.ErrorMessage).toMatchObject({ DataType: 'String', StringValue: 'boom' });
  await cloud.idle();
  await expectEmpty(c, id('DeadLetterQueue'));
});

test('Lambda destination: the failure record is the event of an asynchronous invoke of the destination function', async () => {
  await invokeEvent('ToFunction', { Success: false, id: 'chain' });
  const [msg] = await receive(c, id('ChainQueue'), 1);
  const record = JSON.parse(msg.Body!);
  expectRecord(record, id('Receiver'), 'Success', 1);
  expect(record.responsePayload).toEqual({ sawCondition: 'RetriesExhausted' });
  // the receiver's event is the sender's failure record, in AWS's key order
  expect(Object.keys(record.requestPayload)).toEqual(RECORD_KEYS);
  expectRecord(record.requestPayload, id('ToFunction'), 'RetriesExhausted', 1);
  expect(record.requestPayload.requestPayload).toEqual({ Success: false, id: 'chain' });
});

test('reserved concurrency 0: ZeroReservedConcurrency at once, count 0, no response context; sync invoke is throttled', async () => {
  await invokeEvent('NoConcurrency', { Success: true, id: 'zero' });
  const [msg] = await receive(c, id('ZeroQueue'), 1);
  const record = JSON.parse(msg.Body!);
  expect(Object.keys(record)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload']);
  expect(record.requestContext).toEqual({
    requestId: expect.stringMatching(new RegExp(`^${UUID}$`)),
    functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${id('NoConcurrency')}:$LATEST`,
    condition: 'ZeroReservedConcurrency',
    approximateInvokeCount: 0,
  });
  expect(record.requestPayload).toEqual({ Success: true, id: 'zero' });
  await expect(c.lambda.send(new InvokeCommand({ FunctionName: id('NoConcurrency'), Payload: Buffer.from('{}') })))
    .rejects.toMatchObject({ name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } });
});

test('EventBridge destinations are put on the bus; a registered destination handler replaces the built-in EventBridge', async () => {
  const fn = id('ToBus');
  await invokeEvent('ToBus', { Success: true, id: 'built-in' });
  await cloud.idle();
  expect(await lambdaMetric(c, 'DestinationDeliveryFailures', fn)).toBe(0);
  expect(cloud.deliveries.filter((d) => d.functionName === fn)).toMatchObject([{ delivered: true, kind: 'OnSuccess' }]);

  const got: DestinationDelivery[] = [];
  cloud.lambda.registerDestination('events', async (d) => { got.push(d); });
  await invokeEvent('ToBus', { Success: false, id: 'registered' });
  await cloud.idle();
  expect(got).toHaveLength(1);
  expect(got[0]).toMatchObject({
    destination: 'arn:aws:events:us-east-1:000000000000:event-bus/records',
    kind: 'OnFailure',
    functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${fn}:$LATEST`,
    region: 'us-east-1',
    accountId: '000000000000',
  });
  const record = JSON.parse(got[0].record);
  expectRecord(record, fn, 'RetriesExhausted', 1);
  expect(record.requestPayload).toEqual({ Success: false, id: 'registered' });
  expect(await lambdaMetric(c, 'DestinationDeliveryFailures', fn)).toBe(0);
});
