import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import Ajv from 'ajv';
import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AsyncFunction, FailureDestination, InvocationRecord, SuccessDestination } from '../../src';
import { unwrapRecord } from '../../src/records';
import { LocalCloud } from '../src';
import { Clients, receive, resourceId, startStack, stopStack, SUCCEED_OR_THROW, synth } from './helpers';

// The records this local cloud delivers, in every delivery shape, unwrapped by the library's
// handler helper and validated against the JSON Schemas the npm package ships.
const STACK = 'InvocationRecords';
const SCHEMA_DIR = path.join(__dirname, '..', '..', 'schema');
const ajv = new Ajv({ allErrors: true, strictTypes: false, strictTuples: false, strictRequired: false });
ajv.addSchema(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'invocation-record.schema.json'), 'utf-8')), 'invocation-record.schema.json');
const validateRecord = ajv.getSchema('invocation-record.schema.json')!;
const validateEvent = ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'invocation-result-event.schema.json'), 'utf-8')));

/** Writes the event it receives to QUEUE_URL, so the test sees exactly what a handler gets. */
const FORWARDER = `
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(event) }));
};`;

let cloud: LocalCloud;
let c: Clients;
let ids: Record<string, string>;

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
    const inline = (code: string, environment?: Record<string, string>) => ({
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline(code), environment,
    });
    const forwarded = new sqs.Queue(stack, 'Forwarded');
    const forwarder = (name: string) => new lambda.Function(stack, name, inline(FORWARDER, { QUEUE_URL: forwarded.queueUrl }));
    const topicForwarder = forwarder('TopicSubscriber');
    const functionForwarder = forwarder('DestinationFunction');
    forwarded.grantSendMessages(topicForwarder);
    forwarded.grantSendMessages(functionForwarder);

    const topic = new sns.Topic(stack, 'Topic');
    topic.addSubscription(new subs.SqsSubscription(new sqs.Queue(stack, 'Enveloped')));
    topic.addSubscription(new subs.SqsSubscription(new sqs.Queue(stack, 'Raw'), { rawMessageDelivery: true }));
    topic.addSubscription(new subs.LambdaSubscription(topicForwarder));
    const bus = new events.EventBus(stack, 'Bus');
    new events.Rule(stack, 'AllResults', {
      eventBus: bus,
      eventPattern: { source: ['lambda'] },
      targets: [new targets.SqsQueue(new sqs.Queue(stack, 'Events'))],
    });
    new AsyncFunction(stack, 'Worker', {
      ...inline(SUCCEED_OR_THROW),
      retryAttempts: 0,
      onSuccess: SuccessDestination.topic(topic),
      onFailure: FailureDestination.eventBus(bus),
    });
    new AsyncFunction(stack, 'ToBucket', {
      ...inline(SUCCEED_OR_THROW),
      retryAttempts: 0,
      onFailure: FailureDestination.bucket(new s3.Bucket(stack, 'Archive')),
    });
    new AsyncFunction(stack, 'ToFunction', {
      ...inline(SUCCEED_OR_THROW),
      retryAttempts: 1,
      onFailure: FailureDestination.function(functionForwarder),
    });
    new AsyncFunction(stack, 'Stopped', {
      ...inline(SUCCEED_OR_THROW),
      reservedConcurrentExecutions: 0,
      onFailure: FailureDestination.queue(new sqs.Queue(stack, 'NeverRanRecords')),
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

function expectValid(record: InvocationRecord, condition: string, payload: unknown): void {
  expect(validateRecord(record) ? [] : validateRecord.errors).toEqual([]);
  expect(record.requestContext.condition).toBe(condition);
  expect(record.requestPayload).toEqual(payload);
}

test('GIVEN an SNS destination WHEN a success record is delivered THEN every subscriber\'s delivery unwraps to a valid record', async () => {
  const payload = { Success: true, id: 'sns', note: 'ünïcode' };
  await invokeEvent('Worker', payload);
  const [enveloped] = await receive(c, id('Enveloped'), 1);
  const [raw] = await receive(c, id('Raw'), 1);
  expect(JSON.parse(enveloped.Body!).Type).toBe('Notification');
  expectValid(unwrapRecord(enveloped), 'Success', payload);
  expectValid(unwrapRecord(raw), 'Success', payload);
  const [lambdaEvent] = await receive(c, id('Forwarded'), 1);
  expect(JSON.parse(lambdaEvent.Body!).Records[0].EventSource).toBe('aws:sns');
  expectValid(unwrapRecord(JSON.parse(lambdaEvent.Body!)), 'Success', payload);
});

test('GIVEN an event bus destination WHEN a failure record is delivered THEN the rule\'s SQS message is a valid result event around a valid record', async () => {
  const payload = { Success: false, id: 'bus' };
  await invokeEvent('Worker', payload);
  const [message] = await receive(c, id('Events'), 1);
  const event = JSON.parse(message.Body!);
  expect(validateEvent(event) ? [] : validateEvent.errors).toEqual([]);
  expectValid(unwrapRecord(message), 'RetriesExhausted', payload);
});

test('GIVEN an S3 failure destination WHEN a record is written THEN the object body unwraps to a valid record', async () => {
  const payload = { Success: false, id: 's3' };
  await invokeEvent('ToBucket', payload);
  await cloud.idle();
  const bucket = id('Archive');
  const list = await c.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  expect(list.Contents?.length).toBe(1);
  const object = await c.s3.send(new GetObjectCommand({ Bucket: bucket, Key: list.Contents![0].Key! }));
  expectValid(unwrapRecord(await object.Body!.transformToByteArray()), 'RetriesExhausted', payload);
});

test('GIVEN a function destination WHEN a failure record is delivered THEN the destination\'s event is a valid record', async () => {
  const payload = { Success: false, id: 'function' };
  await invokeEvent('ToFunction', payload);
  const [message] = await receive(c, id('Forwarded'), 1);
  const record = unwrapRecord(JSON.parse(message.Body!));
  expectValid(record, 'RetriesExhausted', payload);
  expect(record.requestContext.approximateInvokeCount).toBe(2);
});

test('GIVEN reserved concurrency 0 WHEN an event is dropped THEN its record is valid without a response', async () => {
  await invokeEvent('Stopped', { Success: true, id: 'stopped' });
  const [message] = await receive(c, id('NeverRanRecords'), 1);
  const record = unwrapRecord(message);
  expectValid(record, 'ZeroReservedConcurrency', { Success: true, id: 'stopped' });
  expect(record.responseContext).toBeUndefined();
});
