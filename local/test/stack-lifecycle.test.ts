/**
 * Stack updates and teardown: custom resources receive Create, Update and Delete events (with the
 * old properties and physical id), a changed physical id replaces the resource, functions are
 * updated in place, and `destroy()` deletes stacks as `cdk destroy` does — `autoDeleteObjects`
 * empties its bucket through aws-cdk-lib's own handler, a non-empty bucket fails the teardown,
 * `RemovalPolicy.RETAIN` keeps a resource.
 */
import { DeleteStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetFunctionCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { DeleteObjectCommand, HeadBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { App, CfnOutput, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../src';
import { Clients, clients, expectEmpty, physicalIds, receive, synth } from './helpers';

jest.setTimeout(120_000);

/**
 * A provider that reports every event it gets to a queue, then answers through the ResponseURL:
 * physical id `thing-<Generation>`, `Data.Echo` = the `Value` property.
 */
const PROVIDER = `
const https = require('https');
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
function put(responseUrl, body) {
  const u = new URL(responseUrl);
  return new Promise((resolve, reject) => {
    const req = https.request({ hostname: u.hostname, port: 443, path: u.pathname + u.search, method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.end(body);
  });
}
exports.handler = async (event) => {
  const { RequestType, PhysicalResourceId, ResourceProperties, OldResourceProperties } = event;
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.EVENTS_URL,
    MessageBody: JSON.stringify({ RequestType, PhysicalResourceId, ResourceProperties, OldResourceProperties }) }));
  const p = ResourceProperties;
  await put(event.ResponseURL, JSON.stringify({ Status: p.Fail === RequestType ? 'FAILED' : 'SUCCESS', Reason: 'asked to fail ' + RequestType,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
    PhysicalResourceId: RequestType === 'Delete' ? PhysicalResourceId : 'thing-' + p.Generation, Data: { Echo: p.Value } }));
};`;

interface Version {
  readonly value: string;
  readonly generation: number;
  readonly fail?: 'Update' | 'Delete';
  /** what the plain function answers */
  readonly answer: string;
  /** of the provider-events queue @default 30 */
  readonly visibilitySeconds?: number;
}

function app(v: Version): (a: App) => void {
  return (a) => {
    const stack = new Stack(a, 'Lifecycle');
    // retained: it outlives the stack, so the test can read the Delete event after teardown
    const events = new sqs.Queue(stack, 'ProviderEvents', {
      queueName: 'provider-events',
      removalPolicy: RemovalPolicy.RETAIN,
      visibilityTimeout: v.visibilitySeconds ? Duration.seconds(v.visibilitySeconds) : undefined,
    });
    const provider = new lambda.Function(stack, 'Provider', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(PROVIDER),
      environment: { EVENTS_URL: events.queueUrl },
    });
    events.grantSendMessages(provider);
    const thing = new CustomResource(stack, 'Thing', {
      serviceToken: provider.functionArn,
      resourceType: 'Custom::Thing',
      properties: { Value: v.value, Generation: v.generation, ...(v.fail ? { Fail: v.fail } : {}) },
    });
    const plain = new lambda.Function(stack, 'Plain', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`exports.handler = async () => ${JSON.stringify(v.answer)};`),
    });
    plain.configureAsyncInvoke({ retryAttempts: 1 });
    new CfnOutput(stack, 'Echo', { value: thing.getAttString('Echo') });
    new CfnOutput(stack, 'ThingId', { value: thing.ref });
    new CfnOutput(stack, 'PlainName', { value: plain.functionName });
  };
}

const outputs = (cloud: LocalCloud) => Object.fromEntries(cloud.stacks.find((s) => s.name === 'Lifecycle')!.outputs.map((o) => [o.key, o.value]));

describe('stack update and teardown', () => {
  let cloud: LocalCloud;
  let c: Clients;
  let eventsUrl: string;
  const events = async (n: number) => (await receive(c, eventsUrl, n)).map((m) => JSON.parse(m.Body!));

  beforeAll(async () => {
    cloud = await LocalCloud.start({ assembly: synth(app({ value: 'one', generation: 1, answer: 'v1' })), port: 0, timeScale: 0.001, log: () => undefined, handlerOutput: 'ignore' });
    c = clients(cloud.endpoint);
    eventsUrl = (await c.sqs.send(new GetQueueUrlCommand({ QueueName: 'provider-events' }))).QueueUrl!;
  });
  afterAll(async () => {
    c?.destroy();
    await cloud?.stop();
  });

  test('create: one Create event, Data exposed to GetAtt', async () => {
    // GIVEN / WHEN the stack deployed in beforeAll
    // THEN
    const [ev] = await events(1);
    expect(ev).toEqual({ RequestType: 'Create', ResourceProperties: expect.objectContaining({ Value: 'one', Generation: '1' }) });
    expect(ev.ResourceProperties.ServiceToken).toMatch(/^arn:aws:lambda:us-east-1:000000000000:function:/);
    expect(outputs(cloud)).toMatchObject({ Echo: 'one', ThingId: 'thing-1' });
  });

  test('update of a changed property: an Update event with the old properties and physical id', async () => {
    // GIVEN
    const plainArn = cloud.lambda.lookup(outputs(cloud).PlainName).fn!.arn;
    // WHEN
    await cloud.update(synth(app({ value: 'two', generation: 1, answer: 'v2' })));
    // THEN the custom resource got exactly one Update, and kept its physical id
    const [ev] = await events(1);
    expect(ev).toMatchObject({
      RequestType: 'Update',
      PhysicalResourceId: 'thing-1',
      ResourceProperties: { Value: 'two', Generation: '1' },
      OldResourceProperties: { Value: 'one', Generation: '1' },
    });
    expect(outputs(cloud)).toMatchObject({ Echo: 'two', ThingId: 'thing-1' });
    const [described] = (await c.cfn.send(new DescribeStacksCommand({ StackName: 'Lifecycle' }))).Stacks!;
    expect(described).toMatchObject({ StackStatus: 'UPDATE_COMPLETE', LastUpdatedTime: expect.any(Date) });
    // and the plain function runs its new code under the same name and ARN, its async config kept
    const fn = cloud.lambda.lookup(outputs(cloud).PlainName).fn!;
    expect(fn.arn).toBe(plainArn);
    expect(fn.eventInvokeConfigs.get('$LATEST')).toMatchObject({ maximumRetryAttempts: 1 });
    const out = await c.lambda.send(new InvokeCommand({ FunctionName: fn.name }));
    expect(JSON.parse(Buffer.from(out.Payload!).toString())).toBe('v2');
  });

  test('an unchanged template sends no event', async () => {
    // WHEN the same template is deployed again
    await cloud.update(synth(app({ value: 'two', generation: 1, answer: 'v2' })));
    // THEN
    await expectEmpty(c, eventsUrl);
  });

  test('a new physical id replaces the resource: the old one gets a Delete in the cleanup phase', async () => {
    // WHEN the provider answers physical id thing-2 for generation 2
    await cloud.update(synth(app({ value: 'two', generation: 2, answer: 'v2' })));
    // THEN an Update, then (cleanup) a Delete for thing-1 with the old properties
    const [update, del] = await events(2);
    expect(update).toMatchObject({ RequestType: 'Update', PhysicalResourceId: 'thing-1', OldResourceProperties: { Generation: '1' } });
    expect(del).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: 'thing-1', ResourceProperties: { Value: 'two', Generation: '1' } });
    expect(outputs(cloud)).toMatchObject({ ThingId: 'thing-2' });
  });

  test('a provider answering FAILED to an Update fails the update with its reason; the update is rolled back', async () => {
    // WHEN an update changes the events queue (before Thing) and Thing, whose provider refuses
    const update = cloud.update(synth(app({ value: 'three', generation: 2, fail: 'Update', answer: 'v2', visibilitySeconds: 45 })));
    // THEN
    await expect(update).rejects.toThrow(/stack Lifecycle failed to update: Thing \(Custom::Thing\) UPDATE_FAILED: .*asked to fail Update/);
    expect((await events(1))[0]).toMatchObject({ RequestType: 'Update', ResourceProperties: { Value: 'three' } });
    const attrs = await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: eventsUrl, AttributeNames: ['VisibilityTimeout'] }));
    expect(attrs.Attributes?.VisibilityTimeout).toBe('30');
    expect(outputs(cloud)).toMatchObject({ Echo: 'two', ThingId: 'thing-2' });
    const [described] = (await c.cfn.send(new DescribeStacksCommand({ StackName: 'Lifecycle' }))).Stacks!;
    expect(described.StackStatus).toBe('UPDATE_ROLLBACK_COMPLETE');
    expect(described.StackStatusReason).toMatch(/Thing \(Custom::Thing\) UPDATE_FAILED: .*asked to fail Update/);
  });

  test('destroy: a Delete event, functions gone, the stack gone, the retained queue kept', async () => {
    // GIVEN
    const provider = cloud.stacks[0].resources.find((r) => r.logicalId.startsWith('Provider') && r.type === 'AWS::Lambda::Function')!.physicalId;
    // WHEN
    await cloud.destroy();
    // THEN
    const [ev] = await events(1);
    expect(ev).toMatchObject({ RequestType: 'Delete', PhysicalResourceId: 'thing-2' });
    await expect(c.lambda.send(new GetFunctionCommand({ FunctionName: provider }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(c.cfn.send(new DescribeStacksCommand({ StackName: 'Lifecycle' }))).rejects.toThrow(/does not exist/);
    expect(cloud.stacks).toEqual([]);
    expect((await c.sqs.send(new GetQueueUrlCommand({ QueueName: 'provider-events' }))).QueueUrl).toBe(eventsUrl);
  });
});

describe('teardown of buckets', () => {
  function buckets(a: App): void {
    const stack = new Stack(a, 'Buckets');
    const auto = new s3.Bucket(stack, 'AutoDelete', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
    const kept = new s3.Bucket(stack, 'Kept'); // RemovalPolicy.RETAIN is the default
    new CfnOutput(stack, 'AutoName', { value: auto.bucketName });
    new CfnOutput(stack, 'KeptName', { value: kept.bucketName });
  }

  test('autoDeleteObjects empties its bucket through aws-cdk-lib\'s handler; a retained bucket stays', async () => {
    // GIVEN objects in both buckets
    const cloud = await LocalCloud.start({ assembly: synth(buckets), port: 0, timeScale: 0.001, log: () => undefined, handlerOutput: 'ignore' });
    const c = clients(cloud.endpoint);
    try {
      const out = Object.fromEntries(cloud.stacks[0].outputs.map((o) => [o.key, o.value]));
      for (const Bucket of [out.AutoName, out.KeptName]) {
        for (const Key of ['a.json', 'b/c.json']) await c.s3.send(new PutObjectCommand({ Bucket, Key, Body: '{}' }));
      }
      // WHEN
      await cloud.destroy();
      // THEN
      await expect(c.s3.send(new HeadBucketCommand({ Bucket: out.AutoName }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
      const kept = await c.s3.send(new ListObjectsV2Command({ Bucket: out.KeptName }));
      expect(kept.Contents?.map((o) => o.Key)).toEqual(['a.json', 'b/c.json']);
    } finally {
      c.destroy();
      await cloud.stop();
    }
  });

  /** A cloud with one stack holding one destroyable bucket (no autoDeleteObjects) with an object in it. */
  async function withFullBucket(stackName: string, bucketName: string, run: (cloud: LocalCloud, c: Clients) => Promise<void>): Promise<void> {
    const cloud = await LocalCloud.start({
      assembly: synth((a) => {
        const stack = new Stack(a, stackName);
        new s3.Bucket(stack, 'Records', { removalPolicy: RemovalPolicy.DESTROY, bucketName });
      }),
      port: 0,
      timeScale: 0.001,
      log: () => undefined,
      handlerOutput: 'ignore',
    });
    const c = clients(cloud.endpoint);
    try {
      await c.s3.send(new PutObjectCommand({ Bucket: bucketName, Key: 'x', Body: '1' }));
      await run(cloud, c);
    } finally {
      c.destroy();
      await cloud.stop();
    }
  }

  test('CloudFormation DeleteStack through the SDK: DELETE_FAILED on a bucket holding objects, then deleted once it is empty', async () => {
    // GIVEN a destroyable bucket holding an object
    await withFullBucket('ViaApi', 'via-api-records-bucket', async (cloud, c) => {
      const describeStack = async () => (await c.cfn.send(new DescribeStacksCommand({ StackName: 'ViaApi' }))).Stacks![0];
      // WHEN
      await c.cfn.send(new DeleteStackCommand({ StackName: 'ViaApi' }));
      await cloud.idle();
      // THEN
      const failed = await describeStack();
      expect(failed.StackStatus).toBe('DELETE_FAILED');
      expect(failed.StackStatusReason).toMatch(/Records[0-9A-F]+ \(AWS::S3::Bucket\) DELETE_FAILED: BucketNotEmpty/);
      expect(Object.values(await physicalIds(c, 'ViaApi'))).toEqual(['via-api-records-bucket']);
      // WHEN the bucket is emptied and the stack deleted again
      await c.s3.send(new DeleteObjectCommand({ Bucket: 'via-api-records-bucket', Key: 'x' }));
      await c.cfn.send(new DeleteStackCommand({ StackName: 'ViaApi' }));
      await cloud.idle();
      // THEN
      await expect(describeStack()).rejects.toThrow('Stack with id ViaApi does not exist');
      await expect(c.s3.send(new HeadBucketCommand({ Bucket: 'via-api-records-bucket' }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 } });
      // and deleting a stack that does not exist succeeds, as on AWS
      await expect(c.cfn.send(new DeleteStackCommand({ StackName: 'ViaApi' }))).resolves.toBeDefined();
    });
  });

  test('a bucket that still holds objects fails the teardown: DELETE_FAILED names it', async () => {
    // GIVEN a destroyable bucket without autoDeleteObjects, holding an object
    await withFullBucket('Full', 'full-records-bucket', async (cloud) => {
      // WHEN / THEN
      await expect(cloud.destroy()).rejects.toThrow(
        /stack Full failed to delete: Records[0-9A-F]+ \(AWS::S3::Bucket\) DELETE_FAILED: BucketNotEmpty: The bucket you tried to delete is not empty/);
      expect(cloud.stacks.map((s) => s.name)).toEqual(['Full']);
    });
  });
});
