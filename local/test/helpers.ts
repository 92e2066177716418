import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudFormationClient, ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, Message } from '@aws-sdk/client-sqs';
import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud, LocalCloudOptions } from '../src';

// node 20 is what this project supports; the SDK's notice about its future node 22 floor is noise here
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Synthesizes a CDK app into a fresh temporary directory and returns the cloud assembly path. */
export function synth(build: (app: App) => void): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-test-'));
  const app = new App({ outdir });
  build(app);
  app.synth();
  return outdir;
}

/** AWS SDK v3 clients pointed at the local cloud, as a user's test would build them. */
export function clients(endpoint: string) {
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
  return {
    lambda: new LambdaClient({ ...config, maxAttempts: 1 }),
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    cfn: new CloudFormationClient(config),
    cw: new CloudWatchClient(config),
    events: new EventBridgeClient({ ...config, maxAttempts: 1 }),
    destroy() {
      [this.lambda, this.sqs, this.sns, this.s3, this.cfn, this.cw, this.events].forEach((c) => c.destroy());
    },
  };
}
export type Clients = ReturnType<typeof clients>;

/** A local cloud for a test: port 0, time scale 0.001, no log lines or handler output, unless `options` say otherwise. */
export function startQuietCloud(assembly: string, options: Partial<LocalCloudOptions> = {}): Promise<LocalCloud> {
  return LocalCloud.start({ assembly, port: 0, timeScale: 0.001, log: () => undefined, handlerOutput: 'ignore', ...options });
}

/** A stack deployed for a test file: its local cloud, SDK clients, and physical ids by logical id. */
export interface StackUnderTest {
  readonly cloud: LocalCloud;
  readonly c: Clients;
  readonly ids: Record<string, string>;
}

/** Starts a quiet local cloud on `assembly` (`options` as for startQuietCloud), with clients, and reads the physical ids of `stackName`. */
export async function startStack(assembly: string, stackName: string, options: Partial<LocalCloudOptions> = {}): Promise<StackUnderTest> {
  const cloud = await startQuietCloud(assembly, options);
  const c = clients(cloud.endpoint);
  return { cloud, c, ids: await physicalIds(c, stackName) };
}

/** Stops what startStack started (also when it never got that far). */
export async function stopStack(cloud?: LocalCloud, c?: Clients): Promise<void> {
  c?.destroy();
  await cloud?.stop();
}

/**
 * The physical id of the resource whose logical id starts with `prefix`: not the role, policy,
 * async config, subscription or rule CDK creates next to it under a longer logical id.
 */
export function resourceId(ids: Record<string, string>, prefix: string): string {
  const k = Object.keys(ids).find((x) => x.startsWith(prefix)
    && !/ServiceRole|EventInvokeConfig|AsyncInvocation|Policy|Subscription|Rule/.test(x.slice(prefix.length)));
  if (!k) throw new Error(`no resource ${prefix}* in ${Object.keys(ids).join(', ')}`);
  return ids[k];
}

/** A quiet local cloud running one stack that holds nothing but a queue: for API tests. */
export function startMinimalCloud(stackName: string): Promise<LocalCloud> {
  return startQuietCloud(synth((app) => {
    const stack = new Stack(app, stackName, { env: { account: '000000000000', region: 'us-east-1' } });
    new sqs.Queue(stack, 'Unused');
  }));
}

/** Physical ids of a stack's resources by logical id, through CloudFormation ListStackResources. */
export async function physicalIds(c: Clients, stackName: string): Promise<Record<string, string>> {
  const out = await c.cfn.send(new ListStackResourcesCommand({ StackName: stackName }));
  return Object.fromEntries((out.StackResourceSummaries ?? []).map((r) => [r.LogicalResourceId!, r.PhysicalResourceId!]));
}

/** Receives (and deletes) messages until `count` arrived, or throws after `timeoutMs`. */
export async function receive(c: Clients, queueUrl: string, count: number, timeoutMs = 10_000): Promise<Message[]> {
  const got: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (got.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} messages on ${queueUrl}, got ${got.length}`);
    const out = await c.sqs.send(new ReceiveMessageCommand({
      QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'],
    }));
    const msgs = out.Messages ?? [];
    if (msgs.length === 0) {
      await new Promise((r) => setTimeout(r, 25));
      continue;
    }
    got.push(...msgs);
    await c.sqs.send(new DeleteMessageBatchCommand({
      QueueUrl: queueUrl, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
    }));
  }
  return got;
}

/** Asserts no message is on the queue now. */
export async function expectEmpty(c: Clients, queueUrl: string): Promise<void> {
  const out = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
  expect(out.Messages ?? []).toEqual([]);
}

/** Sum of a Lambda metric for one function, through CloudWatch GetMetricData. */
export async function lambdaMetric(c: Clients, metric: string, functionName: string, stat = 'Sum'): Promise<number> {
  const now = Date.now();
  const out = await c.cw.send(new GetMetricDataCommand({
    StartTime: new Date(now - 3600_000),
    EndTime: new Date(now + 60_000),
    MetricDataQueries: [{
      Id: 'm',
      MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: [{ Name: 'FunctionName', Value: functionName }] }, Period: 3600 * 2, Stat: stat },
    }],
  }));
  return (out.MetricDataResults?.[0]?.Values ?? []).reduce((a, b) => a + b, 0);
}

/** The key order of the invocation record AWS sends. */
export const RECORD_KEYS = ['version', 'timestamp', 'requestContext', 'requestPayload', 'responseContext', 'responsePayload'];
export const REQUEST_CONTEXT_KEYS = ['requestId', 'functionArn', 'condition', 'approximateInvokeCount'];

/** Handler used by most scenarios: succeeds when event.Success is true, else throws Error('boom'). */
export const SUCCEED_OR_THROW = `
exports.handler = async (event) => {
  if (event.Success) return { ok: true, got: event.id };
  throw new Error('boom');
};`;
