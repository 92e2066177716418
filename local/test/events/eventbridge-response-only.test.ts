import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AsyncInvocation, SuccessDestination } from '../../../src';
import { LocalCloud } from '../../src';
import { Clients, clients, expectEmpty, lambdaMetric, receive, startQuietCloud, SUCCEED_OR_THROW, synth } from '../helpers';

// SuccessDestination.function(next, { responseOnly: true }) on an alias: the record goes to the
// default bus, the library's rule (InputPath $.detail.responsePayload) invokes `next` asynchronously
// with the response payload only; `next` forwards what it got to a queue with the SDK.
let cloud: LocalCloud;
let c: Clients;
let out: Record<string, string>;

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, 'ResponseOnly', { env: { account: '000000000000', region: 'us-east-1' } });
    const seen = new sqs.Queue(stack, 'Seen');
    const next = new lambda.Function(stack, 'Next', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(event) }));
};`),
      environment: { QUEUE_URL: seen.queueUrl },
    });
    const source = new lambda.Function(stack, 'Source', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(SUCCEED_OR_THROW),
    });
    const live = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: source.currentVersion });
    new AsyncInvocation(stack, 'Async', {
      function: live, retryAttempts: 0, onSuccess: SuccessDestination.function(next, { responseOnly: true }),
    });
    new CfnOutput(stack, 'SourceName', { value: source.functionName });
    new CfnOutput(stack, 'NextName', { value: next.functionName });
    new CfnOutput(stack, 'SeenUrl', { value: seen.queueUrl });
  });
  cloud = await startQuietCloud(assembly);
  c = clients(cloud.endpoint);
  const d = await c.cfn.send(new DescribeStacksCommand({ StackName: 'ResponseOnly' }));
  out = Object.fromEntries(d.Stacks![0].Outputs!.map((o) => [o.OutputKey!, o.OutputValue!]));
}, 60_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
});

test('invoking <fn>:live asynchronously: next receives only the response payload', async () => {
  await c.lambda.send(new InvokeCommand({
    FunctionName: `${out.SourceName}:live`, InvocationType: 'Event', Payload: Buffer.from('{"Success":true,"id":"resp"}'),
  }));
  const [msg] = await receive(c, out.SeenUrl, 1);
  expect(JSON.parse(msg.Body!)).toEqual({ ok: true, got: 'resp' });
  await cloud.idle();
  await expectEmpty(c, out.SeenUrl);
  expect(await lambdaMetric(c, 'DestinationDeliveryFailures', out.SourceName)).toBe(0);
  expect(await lambdaMetric(c, 'AsyncEventsReceived', out.NextName)).toBe(1);
});

test('an unqualified invoke configures nothing on $LATEST: next is not invoked', async () => {
  await c.lambda.send(new InvokeCommand({ FunctionName: out.SourceName, InvocationType: 'Event', Payload: Buffer.from('{"Success":true,"id":"plain"}') }));
  await cloud.idle();
  await expectEmpty(c, out.SeenUrl);
});
