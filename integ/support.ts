// Shared pieces of the integ/ scenarios: handler code, queues, and the invoke/receive calls.
// Not named integ.* so integ-runner does not take it for a scenario. The record facts each
// scenario asserts are spelled out in the scenario file itself.
import { ExpectedResult, IApiCall, IntegTest, InvocationType, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicies, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Handlers are inline CommonJS (`index.js` in a ZipFile): no asset to build or upload, so the
 * committed snapshot is complete without asset folders and a fresh clone can check it.
 */
export const handlers = {
  /** Returns `{ ok: true, echo: <event> }`: the record's `responsePayload`. */
  succeed: lambda.Code.fromInline('exports.handler = async (event) => ({ ok: true, echo: event });'),

  /** Throws `Error('boom: ' + event.id)`: the record's `responsePayload.errorMessage` is exact. */
  fail: lambda.Code.fromInline("exports.handler = async (event) => { throw new Error('boom: ' + event.id); };"),

  /** Fails until the object `fixed` exists in the bucket named in `FLAGS`; then returns `{ processed: event.id }`. */
  failUntilFixed: lambda.Code.fromInline([
    "const { S3Client, HeadObjectCommand } = require('@aws-sdk/client-s3');",
    'const s3 = new S3Client({ forcePathStyle: true });',
    'exports.handler = async (event) => {',
    "  try { await s3.send(new HeadObjectCommand({ Bucket: process.env.FLAGS, Key: 'fixed' })); }",
    "  catch { throw new Error('not fixed yet: ' + event.id); }",
    '  return { processed: event.id };',
    '};',
  ].join('\n')),

  /** A chain step: returns the event with `name` appended to its `path`. */
  appendStep: (name: string) => lambda.Code.fromInline(
    `exports.handler = async (event) => ({ id: event.id, path: [...(event.path || []), '${name}'] });`),

  /** Sends the event it receives, as JSON, to the queue whose URL is in `QUEUE_URL`. */
  forward: lambda.Code.fromInline([
    "const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');",
    'const sqs = new SQSClient({});',
    'exports.handler = async (event) => {',
    '  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(event) }));',
    '};',
  ].join('\n')),
};

/**
 * The stack of one scenario. Everything in it is deleted with it: `RemovalPolicy.DESTROY` on every
 * resource, including the `/aws/lambda/<name>` log group aws-cdk-lib creates (retained by default)
 * for each function. No `env`: the stack deploys to whatever account and region run the test.
 */
export function scenarioStack(app: App, id: string): Stack {
  const stack = new Stack(app, id);
  RemovalPolicies.of(stack).destroy();
  return stack;
}

/** The function properties every scenario shares: Node.js 22, `index.handler`, a 10 s timeout. */
export function nodeFunction(code: lambda.Code): { runtime: lambda.Runtime; handler: string; code: lambda.Code; timeout: Duration } {
  return { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, timeout: Duration.seconds(10) };
}

/** A standard queue the assertions read records from; deleted with the stack. */
export function recordQueue(scope: Construct, id: string): sqs.Queue {
  return new sqs.Queue(scope, id, { removalPolicy: RemovalPolicy.DESTROY });
}

/**
 * Invokes `functionName` (a name, or `name:qualifier`) asynchronously with `payload` and
 * asserts Lambda accepted the event (`Invoke` with `InvocationType: Event` answers 202).
 */
export function invokeEvent(integ: IntegTest, functionName: string, payload: Record<string, unknown>): IApiCall {
  return integ.assertions
    .invokeFunction({ functionName, invocationType: InvocationType.EVENT, payload: JSON.stringify(payload) })
    .expect(ExpectedResult.objectLike({ StatusCode: 202 }));
}

/**
 * Long-polls `queue` (20 s, up to 10 messages). Chain `.expect(messageWithBody(…))` and
 * `.waitForAssertions(…)`: the call is repeated until one received message matches. Each
 * payload is unique to its scenario, so a stale or duplicate message cannot satisfy it.
 */
export function receiveFromQueue(integ: IntegTest, queue: sqs.IQueue): IApiCall {
  return integ.assertions.awsApiCall('SQS', 'receiveMessage', {
    QueueUrl: queue.queueUrl,
    WaitTimeSeconds: 20,
    MaxNumberOfMessages: 10,
  });
}

/** Expects a `ReceiveMessage` response with a message whose `Body` (a string) matches `body`. */
export function messageWithBody(body: Record<string, unknown>): ExpectedResult {
  return ExpectedResult.objectLike({ Messages: Match.arrayWith([Match.objectLike({ Body: body })]) });
}
