// The redrive function's handler (see FailureRedrive). It runs on Lambda's Node.js runtime, whose
// AWS SDK v3 clients it loads; nothing of aws-cdk-lib or constructs.
import { redrive, RedriveReport, RedriveSource, StoredRecord } from './redrive';

/** What an operator may send: `{"dryRun": true, "maxCount": 5, "ratePerSecond": 2}` (all optional). */
interface RedriveRequest {
  readonly dryRun?: unknown;
  readonly maxCount?: unknown;
  readonly ratePerSecond?: unknown;
}

/* eslint-disable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */
// The Lambda Node.js runtime provides the AWS SDK v3; this package does not depend on it.
const sdk = {
  sqs: () => require('@aws-sdk/client-sqs'),
  s3: () => require('@aws-sdk/client-s3'),
  lambda: () => require('@aws-sdk/client-lambda'),
};
/* eslint-enable @typescript-eslint/no-require-imports, import/no-extraneous-dependencies */

export async function handler(request: RedriveRequest | null): Promise<RedriveReport> {
  const env = process.env;
  const options = {
    functionArn: required(env.TARGET_FUNCTION_ARN, 'TARGET_FUNCTION_ARN'),
    dryRun: flag(request?.dryRun, 'dryRun'),
    maxCount: whole(request?.maxCount ?? Number(env.MAX_COUNT), 'maxCount', 1, 10_000),
    ratePerSecond: whole(request?.ratePerSecond ?? Number(env.RATE_PER_SECOND), 'ratePerSecond', 1, 1_000),
  };
  const { LambdaClient, InvokeCommand } = sdk.lambda();
  const lambda = new LambdaClient({});
  const invoke = async (functionArn: string, payload: string) => {
    const out = await lambda.send(new InvokeCommand({ FunctionName: functionArn, InvocationType: 'Event', Payload: Buffer.from(payload) }));
    return out.StatusCode as number;
  };
  const source = env.QUEUE_URL ? queueSource(env.QUEUE_URL) : bucketSource(required(env.BUCKET_NAME, 'BUCKET_NAME'), required(env.RECORD_PREFIX, 'RECORD_PREFIX'));
  const report = await redrive(source, invoke, options);
  console.log(JSON.stringify({
    dryRun: report.dryRun, replayed: report.replayed.length, skipped: report.skipped.length, failed: report.failed.length,
  }));
  return report;
}

/** Messages are held invisible while the run lasts, deleted once replayed, and made visible again otherwise. */
function queueSource(queueUrl: string): RedriveSource {
  const { SQSClient, ReceiveMessageCommand, DeleteMessageCommand, ChangeMessageVisibilityCommand } = sdk.sqs();
  const sqs = new SQSClient({});
  const receipts = new Map<string, string>();
  return {
    async next(max: number): Promise<StoredRecord[]> {
      // a 1-second long poll asks every SQS server, so an empty answer means an empty queue
      const out = await named(`cannot read failure records from queue ${queueUrl}`, () => sqs.send(new ReceiveMessageCommand({
        QueueUrl: queueUrl, MaxNumberOfMessages: max, VisibilityTimeout: 900, WaitTimeSeconds: 1,
      })));
      return (out.Messages ?? []).map((m: { MessageId: string; ReceiptHandle: string; Body: string }) => {
        receipts.set(m.MessageId, m.ReceiptHandle);
        return { id: m.MessageId, body: m.Body };
      });
    },
    async remove(record: StoredRecord): Promise<void> {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receipts.get(record.id) }));
    },
    async release(record: StoredRecord): Promise<void> {
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: receipts.get(record.id), VisibilityTimeout: 0 }));
    },
  };
}

/** Objects under the function's record prefix, oldest key first; deleted once replayed. */
function bucketSource(bucket: string, prefix: string): RedriveSource {
  const { S3Client, ListObjectsV2Command, GetObjectCommand, DeleteObjectCommand } = sdk.s3();
  const s3 = new S3Client({});
  let keys: string[] = [];
  let token: string | undefined;
  let listed = false;
  return {
    async next(max: number): Promise<StoredRecord[]> {
      while (keys.length < max && (!listed || token)) {
        const out = await named(`cannot list failure records in s3://${bucket}/${prefix}`,
          () => s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token })));
        keys.push(...(out.Contents ?? []).map((o: { Key: string }) => o.Key));
        token = out.NextContinuationToken;
        listed = true;
      }
      const batch = keys.slice(0, max);
      keys = keys.slice(max);
      return Promise.all(batch.map(async (key) => {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return { id: key, body: await object.Body.transformToString() };
      }));
    },
    async remove(record: StoredRecord): Promise<void> {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: record.id }));
    },
    async release(): Promise<void> {
      // an object stays where it is
    },
  };
}

/** Runs an SDK call; its error says what could not be done, with the resource. */
async function named(what: string, call: () => Promise<any>): Promise<any> {
  try {
    return await call();
  } catch (error) {
    const e = error as Error;
    throw new Error(`${what}: ${e.name}: ${e.message}`);
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`the redrive function has no ${name} in its environment`);
  return value;
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new Error(`${name} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function whole(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}
