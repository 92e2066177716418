import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../src';
import { Clients, clients, receive, startQuietCloud, synth } from './helpers';

// Handlers use the AWS SDK v3 the way they do on AWS (the runtime provides it); the environment
// the local cloud sets (AWS_ENDPOINT_URL, AWS_REGION, credentials) makes them reach the local cloud.
let cloud: LocalCloud;
let c: Clients;
let out: Record<string, string>;

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, 'HandlerSdk', { env: { account: '000000000000', region: 'us-east-1' } });
    const queue = new sqs.Queue(stack, 'Work');
    const bucket = new s3.Bucket(stack, 'Store');
    const fn = new lambda.Function(stack, 'Producer', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
const sqs = new SQSClient({});
const s3 = new S3Client({});
exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify({ from: 'handler', event }) }));
  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key: 'out/' + event.id + '.json', Body: JSON.stringify(event) }));
  return 'sent';
};`),
      environment: { QUEUE_URL: queue.queueUrl, BUCKET: bucket.bucketName },
    });
    new CfnOutput(stack, 'Fn', { value: fn.functionName });
    new CfnOutput(stack, 'QueueUrl', { value: queue.queueUrl });
    new CfnOutput(stack, 'Bucket', { value: bucket.bucketName });
  });
  cloud = await startQuietCloud(assembly);
  c = clients(cloud.endpoint);
  const d = await c.cfn.send(new DescribeStacksCommand({ StackName: 'HandlerSdk' }));
  out = Object.fromEntries(d.Stacks![0].Outputs!.map((o) => [o.OutputKey!, o.OutputValue!]));
}, 60_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
});

test('an SDK client in a handler, built with no options, reaches the local cloud', async () => {
  const res = await c.lambda.send(new InvokeCommand({ FunctionName: out.Fn, Payload: Buffer.from('{"id":"h1"}') }));
  expect(JSON.parse(Buffer.from(res.Payload!).toString())).toBe('sent');
  expect(res.FunctionError).toBeUndefined();
  const [msg] = await receive(c, out.QueueUrl, 1);
  expect(JSON.parse(msg.Body!)).toEqual({ from: 'handler', event: { id: 'h1' } });
  const obj = await c.s3.send(new GetObjectCommand({ Bucket: out.Bucket, Key: 'out/h1.json' }));
  expect(JSON.parse(await obj.Body!.transformToString())).toEqual({ id: 'h1' });
});
