import * as http from 'node:http';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { PublishCommand } from '@aws-sdk/client-sns';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { InvocationReport, LocalCloud } from '../src';
import { Clients, lambdaMetric, receive, resourceId, startStack, stopStack, synth } from './helpers';

// Recursive loop detection: a chain of invocations that loops — through Lambda destinations, or a
// handler invoking itself with the SDK — is stopped after 16 invocations, counted in
// RecursiveInvocationsDropped, and sent to the failure destination as AWS does; RecursiveLoop: Allow
// turns it off.

const STACK = 'Recursion';
let cloud: LocalCloud;
let c: Clients;
let ids: Record<string, string>;
const invocations: InvocationReport[] = [];

/** A handler that invokes its own function asynchronously with the SDK, configured by the environment only, until `n` reaches `stop`. */
const SELF_INVOKE = `const { LambdaClient, InvokeCommand } = require('@aws-sdk/client-lambda');
const client = new LambdaClient({});
exports.handler = async (event) => {
  const n = (event.n || 0) + 1;
  if (event.stop && n >= event.stop) return { n };
  await client.send(new InvokeCommand({ FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME, InvocationType: 'Event', Payload: JSON.stringify({ ...event, n }) }));
  return { n };
};`;

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
    const failures = new sqs.Queue(stack, 'Failures');
    // Ping's success destination is Pong, Pong's is Ping (raw configs: the L2 onSuccess would make a template cycle)
    const code = lambda.Code.fromInline('exports.handler = async () => ({ ok: 1 });'); // small results: each record nests the last
    const ping = new lambda.Function(stack, 'Ping', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code });
    const pong = new lambda.Function(stack, 'Pong', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code });
    const grant = new iam.Policy(stack, 'LoopGrant', {
      statements: [
        new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [ping.functionArn, pong.functionArn] }),
        new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [failures.queueArn] }),
      ],
      roles: [ping.role!, pong.role!],
    });
    for (const [id, from, to] of [['PingConfig', ping, pong], ['PongConfig', pong, ping]] as const) {
      const config = new lambda.CfnEventInvokeConfig(stack, id, {
        functionName: from.functionName,
        qualifier: '$LATEST',
        destinationConfig: { onSuccess: { destination: to.functionArn }, onFailure: { destination: failures.queueArn } },
      });
      config.node.addDependency(grant);
    }
    new lambda.Function(stack, 'Self', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(SELF_INVOKE), onFailure: new SqsDestination(failures),
    });
    // subscribed to the topic it publishes to
    const topic = new sns.Topic(stack, 'Topic');
    const echo = new lambda.Function(stack, 'Echo', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`const { SNSClient, PublishCommand } = require('@aws-sdk/client-sns');
const client = new SNSClient({});
exports.handler = async (event) => { await client.send(new PublishCommand({ TopicArn: process.env.TOPIC_ARN, Message: 'again' })); };`),
      environment: { TOPIC_ARN: topic.topicArn },
      onFailure: new SqsDestination(failures),
    });
    topic.addSubscription(new LambdaSubscription(echo));
    new lambda.Function(stack, 'Allowed', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(SELF_INVOKE), recursiveLoop: lambda.RecursiveLoop.ALLOW,
    });
  });
  ({ cloud, c, ids } = await startStack(assembly, STACK, { onInvocation: (r) => invocations.push(r) }));
}, 60_000);

afterAll(() => stopStack(cloud, c));

const fn = (prefix: string) => resourceId(ids, prefix);
const invocationsOf = (name: string) => invocations.filter((r) => r.functionName === name).length;

async function invokeEvent(name: string, payload: unknown): Promise<string> {
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
  return out.$metadata.requestId!;
}

test('a loop through Lambda destinations stops after 16 invocations; the 17th event goes to the failure destination', async () => {
  const before = invocations.length;
  await invokeEvent(fn('Ping'), { hello: 'loop' });
  await cloud.idle();
  expect(invocationsOf(fn('Ping')) + invocationsOf(fn('Pong'))).toBe(16);
  expect(invocations.length - before).toBe(16);
  // invocations 1, 3, … 15 are Ping, 2 … 16 Pong: the 17th, Ping's, is dropped
  const [msg] = await receive(c, fn('Failures'), 1);
  const record = JSON.parse(msg.Body!);
  expect(record.requestContext).toMatchObject({ functionArn: expect.stringContaining(`:function:${fn('Ping')}:$LATEST`), condition: 'RecursiveInvocationDropped', approximateInvokeCount: 0 });
  expect(record.responseContext).toBeUndefined();
  expect(await lambdaMetric(c, 'RecursiveInvocationsDropped', fn('Ping'))).toBe(1);
  expect(await lambdaMetric(c, 'RecursiveInvocationsDropped', fn('Pong'))).toBe(0);
});

test('a handler that invokes itself through the SDK stops after 16 invocations', async () => {
  await invokeEvent(fn('Self'), {});
  await cloud.idle();
  expect(invocationsOf(fn('Self'))).toBe(16);
  const [msg] = await receive(c, fn('Failures'), 1);
  expect(JSON.parse(msg.Body!).requestContext).toMatchObject({ condition: 'RecursiveInvocationDropped', approximateInvokeCount: 0 });
  expect(JSON.parse(msg.Body!).requestPayload).toEqual({ n: 16 });
  expect(await lambdaMetric(c, 'RecursiveInvocationsDropped', fn('Self'))).toBe(1);
});

test('a handler that publishes to the SNS topic it is subscribed to stops after 16 invocations', async () => {
  await c.sns.send(new PublishCommand({ TopicArn: ids[Object.keys(ids).find((k) => k.startsWith('Topic') && !k.includes('Echo'))!], Message: 'start' }));
  await cloud.idle();
  expect(invocationsOf(fn('Echo'))).toBe(16);
  const [msg] = await receive(c, fn('Failures'), 1);
  expect(JSON.parse(msg.Body!).requestContext).toMatchObject({ condition: 'RecursiveInvocationDropped', approximateInvokeCount: 0 });
  expect(await lambdaMetric(c, 'RecursiveInvocationsDropped', fn('Echo'))).toBe(1);
});

test('RecursiveLoop: Allow lets the chain go on', async () => {
  await invokeEvent(fn('Allowed'), { stop: 25 });
  await cloud.idle();
  expect(invocationsOf(fn('Allowed'))).toBe(25);
  expect(await lambdaMetric(c, 'RecursiveInvocationsDropped', fn('Allowed'))).toBe(0);
});

test('a synchronous invocation that would be the 17th of its chain: RecursiveInvocationException', async () => {
  const call = (lineage: string) => new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = http.request(`${cloud.endpoint}/2015-03-31/functions/${fn('Ping')}/invocations`, {
      method: 'POST', headers: { 'x-amzn-trace-id': `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0;Lineage=${lineage}` },
    }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end('{"x":1}');
  });
  const stopped = await call('a87bd80c:16');
  expect(stopped.status).toBe(400);
  expect(stopped.body.__type).toBe('RecursiveInvocationException');
  const fine = await call('a87bd80c:15');
  expect(fine).toEqual({ status: 200, body: { ok: 1 } });
});
