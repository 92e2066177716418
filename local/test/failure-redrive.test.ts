import { InvokeCommand } from '@aws-sdk/client-lambda';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { DeleteQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AsyncFunction, FailureDestination, FailureRedrive, SuccessDestination } from '../../src';
import { unwrapRecord } from '../../src/records';
import { RedriveReport } from '../../src/records/redrive';
import { LocalCloud } from '../src';
import { Clients, receive, resourceId, startStack, stopStack, synth } from './helpers';

// An operator's redrive, end to end: events fail while a bug is live, the bug is fixed (a flag
// object appears), the redrive function replays the failure records through the real SDK clients.
const STACK = 'Redrive';

/** Fails until s3://<FLAGS>/fixed exists. */
const FAILS_UNTIL_FIXED = `
const { S3Client, HeadObjectCommand } = require('@aws-sdk/client-s3');
const s3 = new S3Client({ forcePathStyle: true });
exports.handler = async (event) => {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: process.env.FLAGS, Key: 'fixed' }));
  } catch {
    throw new Error('bug still live for ' + event.order);
  }
  return { processed: event.order };
};`;

let cloud: LocalCloud;
let c: Clients;
let ids: Record<string, string>;

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
    const flags = new s3.Bucket(stack, 'Flags');
    const worker = new AsyncFunction(stack, 'Worker', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(FAILS_UNTIL_FIXED),
      environment: { FLAGS: flags.bucketName },
      retryAttempts: 0,
      onSuccess: SuccessDestination.queue(),
      onFailure: FailureDestination.queue(),
    });
    flags.grantRead(worker.function);
    new FailureRedrive(stack, 'Replay', { function: worker.function, queue: worker.failureQueue!, ratePerSecond: 50 });
    // a queue the test deletes before the run
    new FailureRedrive(stack, 'Orphan', { function: worker.function, queue: new sqs.Queue(stack, 'Gone', { queueName: 'gone-failures' }) });
  });
  ({ cloud, c, ids } = await startStack(assembly, STACK));
}, 60_000);

afterAll(() => stopStack(cloud, c));

const id = (prefix: string) => resourceId(ids, prefix);

async function runRedrive(request: unknown, redrive = 'ReplayFunction'): Promise<RedriveReport> {
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: id(redrive), Payload: Buffer.from(JSON.stringify(request)) }));
  const body = Buffer.from(out.Payload!).toString();
  if (out.FunctionError) throw new Error(`redrive failed: ${body}`);
  return JSON.parse(body);
}

async function depth(queuePrefix: string): Promise<number> {
  const out = await c.sqs.send(new GetQueueAttributesCommand({
    QueueUrl: id(queuePrefix), AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
  }));
  return Number(out.Attributes!.ApproximateNumberOfMessages) + Number(out.Attributes!.ApproximateNumberOfMessagesNotVisible);
}

test('GIVEN failed events and a fix WHEN the operator redrives THEN the records are replayed until they succeed, and only replayed messages are deleted', async () => {
  // GIVEN three events that fail while the bug is live, and a message that is not a record
  for (const order of ['o-1', 'o-2', 'o-3']) {
    await c.lambda.send(new InvokeCommand({ FunctionName: id('Worker'), InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ order })) }));
  }
  await cloud.idle();
  await c.sqs.send(new SendMessageCommand({ QueueUrl: id('WorkerAsyncInvocationFailureQueue'), MessageBody: '{"note":"left by an operator"}' }));
  expect(await depth('WorkerAsyncInvocationFailureQueue')).toBe(4);

  // WHEN a dry run THEN it lists the three and changes nothing
  const dry = await runRedrive({ dryRun: true });
  expect(dry.replayed.map((r) => r.requestPayload)).toEqual(expect.arrayContaining([{ order: 'o-1' }, { order: 'o-2' }, { order: 'o-3' }]));
  expect(dry.skipped).toEqual([expect.objectContaining({ reason: expect.stringContaining('got an object with keys note') })]);
  expect(await depth('WorkerAsyncInvocationFailureQueue')).toBe(4);

  // WHEN a redrive before the fix THEN the replays fail again: new failure records, old ones deleted
  const early = await runRedrive({ maxCount: 1 });
  expect(early.replayed).toHaveLength(1);
  await cloud.idle();
  expect(await depth('WorkerAsyncInvocationFailureQueue')).toBe(4);

  // WHEN the bug is fixed and the operator redrives in two runs
  await c.s3.send(new PutObjectCommand({ Bucket: id('Flags'), Key: 'fixed', Body: 'yes' }));
  const first = await runRedrive({ maxCount: 2 });
  const second = await runRedrive({});
  await cloud.idle();

  // THEN every order succeeded once, and only the note is left
  expect(first.replayed).toHaveLength(2);
  expect(second.replayed).toHaveLength(1);
  expect(second.failed).toEqual([]);
  const successes = await receive(c, id('WorkerAsyncInvocationSuccessQueue'), 3);
  expect(successes.map((m) => unwrapRecord(m).responsePayload.processed).sort()).toEqual(['o-1', 'o-2', 'o-3']);
  expect(await depth('WorkerAsyncInvocationFailureQueue')).toBe(1);
  const [left] = await receive(c, id('WorkerAsyncInvocationFailureQueue'), 1);
  expect(JSON.parse(left.Body!)).toEqual({ note: 'left by an operator' });
});

test('GIVEN a request with a bad option WHEN the redrive runs THEN it fails with the option and the value', async () => {
  await expect(runRedrive({ maxCount: 0 })).rejects.toThrow('maxCount must be a whole number from 1 to 10000, got 0');
  await expect(runRedrive({ dryRun: 'yes' })).rejects.toThrow('dryRun must be true or false, got \\"yes\\"');
});

test('GIVEN a failure queue that does not exist WHEN the redrive runs THEN it fails naming the queue URL', async () => {
  await c.sqs.send(new DeleteQueueCommand({ QueueUrl: id('Gone') }));
  await expect(runRedrive({}, 'OrphanFunction')).rejects.toThrow(/cannot read failure records from queue http[^ ]*\/000000000000\/gone-failures: [A-Za-z.]*QueueDoesNotExist/);
});
