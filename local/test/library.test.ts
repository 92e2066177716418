import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AsyncFunction, FailureDestination, SuccessDestination } from '../../src';
import { LocalCloud } from '../src';
import { Clients, clients, receive, RECORD_KEYS, REQUEST_CONTEXT_KEYS, startQuietCloud, SUCCEED_OR_THROW, synth } from './helpers';

// The construct library of this repository, run for real: AsyncFunction with queues it creates.
let cloud: LocalCloud;
let c: Clients;
let outputs: Record<string, string>;

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, 'Library', { env: { account: '000000000000', region: 'us-east-1' } });
    const fn = new AsyncFunction(stack, 'Worker', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      retryAttempts: 1,
      maxEventAge: Duration.minutes(10),
      onSuccess: SuccessDestination.queue(),
      onFailure: FailureDestination.queue(),
    });
    // the library's bucket grant is conditioned on s3:ResourceAccount, as AWS recommends
    const bucket = new s3.Bucket(stack, 'Records');
    const toBucket = new AsyncFunction(stack, 'ToBucket', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      retryAttempts: 0,
      onFailure: FailureDestination.bucket(bucket),
    });
    new CfnOutput(stack, 'BucketName', { value: bucket.bucketName });
    new CfnOutput(stack, 'ToBucketName', { value: toBucket.function.functionName });
    new CfnOutput(stack, 'FunctionName', { value: fn.function.functionName });
    new CfnOutput(stack, 'SuccessQueueUrl', { value: fn.successQueue!.queueUrl });
    new CfnOutput(stack, 'FailureQueueUrl', { value: fn.failureQueue!.queueUrl });
  });
  cloud = await startQuietCloud(assembly);
  c = clients(cloud.endpoint);
  const d = await c.cfn.send(new DescribeStacksCommand({ StackName: 'Library' }));
  outputs = Object.fromEntries(d.Stacks![0].Outputs!.map((o) => [o.OutputKey!, o.OutputValue!]));
}, 60_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
});

test('the created failure queue exists and receives the failure record after 2 attempts', async () => {
  const attrs = await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: outputs.FailureQueueUrl, AttributeNames: ['All'] }));
  expect(attrs.Attributes!.QueueArn).toMatch(/^arn:aws:sqs:us-east-1:000000000000:/);
  await c.lambda.send(new InvokeCommand({ FunctionName: outputs.FunctionName, InvocationType: 'Event', Payload: Buffer.from('{"Success":false,"id":"lib"}') }));
  const [msg] = await receive(c, outputs.FailureQueueUrl, 1);
  const record = JSON.parse(msg.Body!);
  expect(Object.keys(record)).toEqual(RECORD_KEYS);
  expect(Object.keys(record.requestContext)).toEqual(REQUEST_CONTEXT_KEYS);
  expect(record.requestContext).toMatchObject({
    functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${outputs.FunctionName}:$LATEST`,
    condition: 'RetriesExhausted',
    approximateInvokeCount: 2,
  });
  expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' });
  expect(record.responsePayload.errorMessage).toBe('boom');
});

test('the created success queue receives the success record', async () => {
  await c.lambda.send(new InvokeCommand({ FunctionName: outputs.FunctionName, InvocationType: 'Event', Payload: Buffer.from('{"Success":true,"id":"lib"}') }));
  const [msg] = await receive(c, outputs.SuccessQueueUrl, 1);
  const record = JSON.parse(msg.Body!);
  expect(record.requestContext.condition).toBe('Success');
  expect(record.responsePayload).toEqual({ ok: true, got: 'lib' });
});

test('FailureDestination.bucket: the record lands under aws/lambda/async/<function-name>/', async () => {
  await c.lambda.send(new InvokeCommand({ FunctionName: outputs.ToBucketName, InvocationType: 'Event', Payload: Buffer.from('{"Success":false,"id":"bucket"}') }));
  await cloud.idle();
  const list = await c.s3.send(new ListObjectsV2Command({ Bucket: outputs.BucketName }));
  expect(list.Contents).toHaveLength(1);
  const key = list.Contents![0].Key!;
  expect(key.startsWith(`aws/lambda/async/${outputs.ToBucketName}/`)).toBe(true);
  const obj = await c.s3.send(new GetObjectCommand({ Bucket: outputs.BucketName, Key: key }));
  const record = JSON.parse(await obj.Body!.transformToString());
  expect(Object.keys(record)).toEqual(RECORD_KEYS);
  expect(record.requestContext.condition).toBe('RetriesExhausted');
  expect(record.requestPayload).toEqual({ Success: false, id: 'bucket' });
});
