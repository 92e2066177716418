/**
 * The S3 bucket sub-resources the local cloud serves in front of fauxqs (tagging, policy,
 * ListObjectVersions), through the S3 SDK client; and a bucket policy put at run time is enforced
 * on Lambda's deliveries to an S3 failure destination.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import {
  DeleteBucketPolicyCommand, DeleteBucketTaggingCommand, GetBucketPolicyCommand, GetBucketTaggingCommand, ListObjectsV2Command,
  ListObjectVersionsCommand, PutBucketPolicyCommand, PutBucketTaggingCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { CfnOutput, Stack, Tags } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { S3Destination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LocalCloud } from '../../../src';
import { Clients, clients, startQuietCloud, SUCCEED_OR_THROW, synth } from '../../helpers';

jest.setTimeout(60_000);

let cloud: LocalCloud;
let c: Clients;
let out: Record<string, string>;

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, 'BucketSubresources', { env: { account: '000000000000', region: 'us-east-1' } });
    const tagged = new s3.Bucket(stack, 'Tagged');
    Tags.of(tagged).add('team', 'async');
    const records = new s3.Bucket(stack, 'Records');
    const fn = new lambda.Function(stack, 'Failing', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      retryAttempts: 0,
      onFailure: new S3Destination(records),
    });
    new CfnOutput(stack, 'TaggedName', { value: tagged.bucketName });
    new CfnOutput(stack, 'RecordsName', { value: records.bucketName });
    new CfnOutput(stack, 'FunctionName', { value: fn.functionName });
  });
  cloud = await startQuietCloud(assembly);
  c = clients(cloud.endpoint);
  out = Object.fromEntries(cloud.stacks[0].outputs.map((o) => [o.key, o.value]));
}, 60_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
});

describe('tagging', () => {
  test('the bucket\'s Tags from the template; Put replaces them; Delete removes them', async () => {
    // GIVEN the template's tag
    const Bucket = out.TaggedName;
    expect((await c.s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([{ Key: 'team', Value: 'async' }]);
    // WHEN
    await c.s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'a&b', Value: '<1>' }, { Key: 'x', Value: 'y' }] } }));
    // THEN
    expect((await c.s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([{ Key: 'a&b', Value: '<1>' }, { Key: 'x', Value: 'y' }]);
    // WHEN
    await c.s3.send(new DeleteBucketTaggingCommand({ Bucket }));
    // THEN
    await expect(c.s3.send(new GetBucketTaggingCommand({ Bucket }))).rejects.toMatchObject({ name: 'NoSuchTagSet' });
  });

  test('a bucket that does not exist: NoSuchBucket', async () => {
    await expect(c.s3.send(new GetBucketTaggingCommand({ Bucket: 'no-such-bucket-here' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });
});

describe('ListObjectVersions', () => {
  test('every object is its one null version; Prefix filters', async () => {
    // GIVEN
    const Bucket = out.TaggedName;
    for (const Key of ['a/1.json', 'a/2.json', 'b/3.json']) await c.s3.send(new PutObjectCommand({ Bucket, Key, Body: '{}' }));
    // WHEN
    const all = await c.s3.send(new ListObjectVersionsCommand({ Bucket }));
    const a = await c.s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'a/' }));
    // THEN
    expect(all.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest, v.Size])).toEqual([
      ['a/1.json', 'null', true, 2], ['a/2.json', 'null', true, 2], ['b/3.json', 'null', true, 2],
    ]);
    expect(all.IsTruncated).toBe(false);
    expect(a.Versions?.map((v) => v.Key)).toEqual(['a/1.json', 'a/2.json']);
  });
});

describe('bucket policy', () => {
  const failOnce = async () => {
    const before = cloud.deliveries.length;
    await c.lambda.send(new InvokeCommand({ FunctionName: out.FunctionName, InvocationType: 'Event', Payload: Buffer.from('{"Success":false}') }));
    await cloud.idle();
    return cloud.deliveries.slice(before);
  };

  test('none: NoSuchBucketPolicy; a Deny put at run time stops deliveries; deleting it lets them through again', async () => {
    // GIVEN
    const Bucket = out.RecordsName;
    await expect(c.s3.send(new GetBucketPolicyCommand({ Bucket }))).rejects.toMatchObject({ name: 'NoSuchBucketPolicy' });
    expect(await failOnce()).toEqual([expect.objectContaining({ kind: 'OnFailure', delivered: true })]);
    // WHEN a policy denies every PutObject (what aws-cdk-lib's auto-delete handler puts before emptying a bucket)
    const policy = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Deny', Principal: '*', Action: ['s3:PutObject'], Resource: [`arn:aws:s3:::${Bucket}/*`] }],
    };
    await c.s3.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(policy) }));
    // THEN
    expect(JSON.parse((await c.s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy!)).toEqual(policy);
    const denied = await failOnce();
    expect(denied).toEqual([expect.objectContaining({ kind: 'OnFailure', delivered: false })]);
    expect(denied[0].reason).toMatch(/does not have permissions to call PutObject/);
    // WHEN
    await c.s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    // THEN
    expect(await failOnce()).toEqual([expect.objectContaining({ kind: 'OnFailure', delivered: true })]);
    expect((await c.s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(2);
  });

  test('a policy that is not JSON: MalformedPolicy', async () => {
    await expect(c.s3.send(new PutBucketPolicyCommand({ Bucket: out.RecordsName, Policy: '{not json' }))).rejects.toMatchObject({ name: 'MalformedPolicy' });
  });
});
