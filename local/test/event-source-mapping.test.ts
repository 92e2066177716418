import { GetEventSourceMappingCommand, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, Message, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../src';
import { Clients, clients, receive, synth } from './helpers';
import { readCloudAssembly } from '../src/assembly/cloud-assembly';
import { Deployer } from '../src/assembly/deployer';

const STACK = 'Esm';

/**
 * Writes what it got (with when it started and ended) to OUT, then does what MODE says: throw,
 * report the records whose body starts with "fail" as batch item failures, answer a malformed
 * partial batch response, or succeed.
 */
const CONSUMER = `
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  const start = Date.now();
  if (process.env.SLEEP_MS) await new Promise((r) => setTimeout(r, Number(process.env.SLEEP_MS)));
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.OUT, MessageBody: JSON.stringify({ start, end: Date.now(), event }) }));
  switch (process.env.MODE) {
    case 'throw': throw new Error('boom');
    case 'partial': return { batchItemFailures: event.Records.filter((r) => r.body.startsWith('fail')).map((r) => ({ itemIdentifier: r.messageId })) };
    case 'malformed': return { batchItemFailures: [{ itemIdentifier: 'not-a-message-of-the-batch' }] };
    default: return {};
  }
};`;

interface Scenario {
  readonly mode?: string;
  readonly sleepMs?: number;
  /** the queue's visibility timeout in seconds (time-scaled: 1 s lasts 1 ms at 0.001, counted from the end of a failed run) */
  readonly visibility?: number;
  /** a dead-letter queue after this many receives */
  readonly maxReceiveCount?: number;
  readonly source?: (q: sqs.IQueue) => SqsEventSource;
}

const SCENARIOS: Record<string, Scenario> = {
  Basic: { source: (q) => new SqsEventSource(q, { batchSize: 2 }) },
  Throws: { mode: 'throw', visibility: 1, maxReceiveCount: 2 },
  Partial: { mode: 'partial', visibility: 1, maxReceiveCount: 1, source: (q) => new SqsEventSource(q, { reportBatchItemFailures: true }) },
  Malformed: { mode: 'malformed', visibility: 1, maxReceiveCount: 1, source: (q) => new SqsEventSource(q, { reportBatchItemFailures: true }) },
  Limited: { sleepMs: 300, visibility: 10, source: (q) => new SqsEventSource(q, { batchSize: 1, maxConcurrency: 2 }) },
  Unlimited: { sleepMs: 300, visibility: 10, source: (q) => new SqsEventSource(q, { batchSize: 1 }) },
  Disabled: { source: (q) => new SqsEventSource(q, { enabled: false }) },
  Window: { source: (q) => new SqsEventSource(q, { batchSize: 100, maxBatchingWindow: Duration.minutes(5) }) },
  Filtered: {
    source: (q) => new SqsEventSource(q, {
      filters: [lambda.FilterCriteria.filter({ body: { kind: lambda.FilterRule.isEqual('order') } })],
    }),
  },
};

/** The test app; `v2` enables the Disabled mapping and gives Basic a batch size of 3 (a stack update). */
function app(v2 = false): string {
  return synth((a) => {
    const stack = new Stack(a, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
    for (const [id, s] of Object.entries(SCENARIOS)) {
      const dlq = s.maxReceiveCount ? new sqs.Queue(stack, `${id}Dlq`) : undefined;
      const queue = new sqs.Queue(stack, `${id}Queue`, {
        visibilityTimeout: Duration.seconds(s.visibility ?? 3),
        deadLetterQueue: dlq && { queue: dlq, maxReceiveCount: s.maxReceiveCount! },
      });
      const out = new sqs.Queue(stack, `${id}Out`);
      const fn = new lambda.Function(stack, id, {
        runtime: lambda.Runtime.NODEJS_20_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline(CONSUMER),
        timeout: Duration.seconds(1),
        environment: { OUT: out.queueUrl, MODE: s.mode ?? 'ok', ...(s.sleepMs ? { SLEEP_MS: String(s.sleepMs) } : {}) },
      });
      out.grantSendMessages(fn);
      let source = s.source?.(queue) ?? new SqsEventSource(queue);
      if (v2 && id === 'Disabled') source = new SqsEventSource(queue, { enabled: true });
      if (v2 && id === 'Basic') source = new SqsEventSource(queue, { batchSize: 3 });
      fn.addEventSource(source);
      new CfnOutput(stack, `${id}QueueUrl`, { value: queue.queueUrl });
      new CfnOutput(stack, `${id}QueueArn`, { value: queue.queueArn });
      new CfnOutput(stack, `${id}OutUrl`, { value: out.queueUrl });
      new CfnOutput(stack, `${id}Fn`, { value: fn.functionName });
      if (dlq) new CfnOutput(stack, `${id}DlqUrl`, { value: dlq.queueUrl });
    }
  });
}

interface Invocation {
  readonly start: number;
  readonly end: number;
  readonly event: { Records: Record<string, any>[] };
}

let cloud: LocalCloud;
let c: Clients;
let out: Record<string, string>;
const logLines: string[] = [];

beforeAll(async () => {
  cloud = await LocalCloud.start({ assembly: app(), port: 0, timeScale: 0.001, log: (l) => logLines.push(l), handlerOutput: 'ignore', maxWorkersPerFunction: 4 });
  c = clients(cloud.endpoint);
  out = Object.fromEntries(cloud.stacks.find((s) => s.name === STACK)!.outputs.map((o) => [o.key, o.value]));
}, 60_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
});

/** The invocations a consumer reported, in the order they wrote. */
async function invocations(id: string, count: number, timeoutMs = 10_000): Promise<Invocation[]> {
  return (await receive(c, out[`${id}OutUrl`], count, timeoutMs)).map((m) => JSON.parse(m.Body!));
}

async function sendBatch(id: string, bodies: string[]): Promise<void> {
  await c.sqs.send(new SendMessageBatchCommand({ QueueUrl: out[`${id}QueueUrl`], Entries: bodies.map((b, i) => ({ Id: String(i), MessageBody: b })) }));
}

/** Messages on a queue, visible or in flight (SQS's approximate counts). */
async function messagesOn(url: string): Promise<number> {
  const a = await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return Number(a.Attributes!.ApproximateNumberOfMessages) + Number(a.Attributes!.ApproximateNumberOfMessagesNotVisible);
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SQS event source mappings', () => {
  test('a batch arrives in the AWS shape and its messages are deleted on success', async () => {
    // WHEN
    await c.sqs.send(new SendMessageCommand({
      QueueUrl: out.BasicQueueUrl,
      MessageBody: 'hello',
      MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } },
    }));
    // THEN
    const [inv] = await invocations('Basic', 1);
    expect(inv.event.Records).toHaveLength(1);
    const r = inv.event.Records[0];
    expect(Object.keys(r)).toEqual(['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfBody',
      'md5OfMessageAttributes', 'eventSource', 'eventSourceARN', 'awsRegion']);
    expect(r).toMatchObject({
      body: 'hello',
      md5OfBody: '5d41402abc4b2a76b9719d911017c592',
      eventSource: 'aws:sqs',
      eventSourceARN: out.BasicQueueArn,
      awsRegion: 'us-east-1',
      messageAttributes: { color: { stringValue: 'red', stringListValues: [], binaryListValues: [], dataType: 'String' } },
    });
    expect(Object.keys(r.attributes)).toEqual(['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']);
    expect(r.attributes.ApproximateReceiveCount).toBe('1');
    expect(Number(r.attributes.SentTimestamp)).toBeGreaterThan(Date.now() - 60_000);
    await eventually(async () => await messagesOn(out.BasicQueueUrl) === 0);
  });

  test('BatchSize caps the records of one invocation', async () => {
    // WHEN: five messages at once, batch size 2
    await sendBatch('Basic', ['a', 'b', 'c', 'd', 'e']);
    // THEN
    const invs = await invocations('Basic', 3);
    expect(invs.map((i) => i.event.Records.length).sort()).toEqual([1, 2, 2]);
    expect(invs.flatMap((i) => i.event.Records.map((r) => r.body)).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('a throwing handler\'s messages are retried and reach the DLQ after maxReceiveCount', async () => {
    // WHEN: maxReceiveCount 2, visibility timeout 1 s
    await c.sqs.send(new SendMessageCommand({ QueueUrl: out.ThrowsQueueUrl, MessageBody: 'poison' }));
    // THEN: two invocations, then the message is on the dead-letter queue
    const invs = await invocations('Throws', 2, 10_000);
    expect(invs.map((i) => i.event.Records[0].attributes.ApproximateReceiveCount)).toEqual(['1', '2']);
    const [dead] = await receiveWithAttributes(out.ThrowsDlqUrl);
    expect(dead.Body).toBe('poison');
    expect(dead.MessageId).toBe(invs[0].event.Records[0].messageId);
    // fauxqs counts the receive that moved it (see the README's differences)
    expect(dead.Attributes!.ApproximateReceiveCount).toBe('4');
    await eventually(async () => await messagesOn(out.ThrowsQueueUrl) === 0);
    await sleep(300);
    expect(await messagesOn(out.ThrowsOutUrl)).toBe(0); // no third invocation
  });

  test('ReportBatchItemFailures keeps only the failed items', async () => {
    // WHEN
    await sendBatch('Partial', ['ok-1', 'fail-2', 'ok-3', 'fail-4']);
    // THEN: the first invocation has all four; the two failed ones come back and go to the DLQ (maxReceiveCount 1)
    const [first] = await invocations('Partial', 1);
    expect(first.event.Records.map((r) => r.body)).toEqual(['ok-1', 'fail-2', 'ok-3', 'fail-4']);
    const dead = await receive(c, out.PartialDlqUrl, 2, 10_000);
    expect(dead.map((m) => m.Body).sort()).toEqual(['fail-2', 'fail-4']);
    await eventually(async () => await messagesOn(out.PartialQueueUrl) === 0);
  });

  test('a malformed partial batch response fails the whole batch', async () => {
    // WHEN: the response names a message that is not in the batch
    await sendBatch('Malformed', ['m-1', 'm-2']);
    // THEN: every message of the batch is kept, and goes to the DLQ
    const dead = await receive(c, out.MalformedDlqUrl, 2, 10_000);
    expect(dead.map((m) => m.Body).sort()).toEqual(['m-1', 'm-2']);
  });

  test('ScalingConfig.MaximumConcurrency caps the concurrent invocations', async () => {
    // WHEN: 8 messages each, batch size 1, handlers taking 300 ms, 4 handler processes per function
    const bodies = ['1', '2', '3', '4', '5', '6', '7', '8'];
    await Promise.all([sendBatch('Limited', bodies), sendBatch('Unlimited', bodies)]);
    const [limited, unlimited] = await Promise.all([invocations('Limited', 8, 15_000), invocations('Unlimited', 8, 15_000)]);
    // THEN
    expect(maxConcurrent(limited)).toBe(2);
    expect(maxConcurrent(unlimited)).toBeGreaterThan(2);
  });

  test('a batching window collects several messages into one invocation', async () => {
    // WHEN: five messages sent one by one, within the window (5 minutes, 300 ms at time scale 0.001)
    for (const b of ['w1', 'w2', 'w3', 'w4', 'w5']) await c.sqs.send(new SendMessageCommand({ QueueUrl: out.WindowQueueUrl, MessageBody: b }));
    // THEN
    const [inv] = await invocations('Window', 1);
    expect(inv.event.Records.map((r) => r.body)).toEqual(['w1', 'w2', 'w3', 'w4', 'w5']);
    await sleep(400);
    expect(await messagesOn(out.WindowOutUrl)).toBe(0);
  });

  test('FilterCriteria: only matching messages invoke; the others are deleted', async () => {
    // WHEN
    await sendBatch('Filtered', [JSON.stringify({ kind: 'order', n: 1 }), JSON.stringify({ kind: 'refund' }), 'plain text']);
    // THEN
    const [inv] = await invocations('Filtered', 1);
    expect(inv.event.Records.map((r) => JSON.parse(r.body))).toEqual([{ kind: 'order', n: 1 }]);
    await eventually(async () => await messagesOn(out.FilteredQueueUrl) === 0);
  });

  test('ListEventSourceMappings and GetEventSourceMapping show the mappings', async () => {
    // WHEN
    const list = await c.lambda.send(new ListEventSourceMappingsCommand({ FunctionName: out.LimitedFn }));
    // THEN
    expect(list.EventSourceMappings).toHaveLength(1);
    const m = await c.lambda.send(new GetEventSourceMappingCommand({ UUID: list.EventSourceMappings![0].UUID }));
    expect(m).toMatchObject({
      EventSourceArn: out.LimitedQueueArn,
      FunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${out.LimitedFn}`,
      BatchSize: 1,
      State: 'Enabled',
      ScalingConfig: { MaximumConcurrency: 2 },
    });
    await expect(c.lambda.send(new GetEventSourceMappingCommand({ UUID: '00000000-0000-0000-0000-000000000000' })))
      .rejects.toThrow(/does not exist/);
  });

  test('Enabled false delivers nothing; a stack update enables it and changes BatchSize', async () => {
    // WHEN
    await c.sqs.send(new SendMessageCommand({ QueueUrl: out.DisabledQueueUrl, MessageBody: 'waiting' }));
    await sleep(500);
    // THEN
    expect(await messagesOn(out.DisabledOutUrl)).toBe(0);
    expect(await messagesOn(out.DisabledQueueUrl)).toBe(1);
    const [before] = (await c.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: out.DisabledQueueArn }))).EventSourceMappings!;
    expect(before.State).toBe('Disabled');

    // WHEN: the update enables it
    await cloud.update(app(true));
    // THEN
    const [inv] = await invocations('Disabled', 1);
    expect(inv.event.Records.map((r) => r.body)).toEqual(['waiting']);
    const [after] = (await c.lambda.send(new ListEventSourceMappingsCommand({ EventSourceArn: out.DisabledQueueArn }))).EventSourceMappings!;
    expect(after).toMatchObject({ UUID: before.UUID, State: 'Enabled' });
    await sendBatch('Basic', ['x1', 'x2', 'x3', 'x4', 'x5', 'x6']);
    const invs = await invocations('Basic', 2);
    expect(invs.map((i) => i.event.Records.length)).toEqual([3, 3]);
  }, 30_000);

  test('destroying the stack deletes its mappings and ends their pollers', async () => {
    // WHEN
    await cloud.destroy([STACK]);
    await sleep(300);
    // THEN: no mapping is listed, and no poller tried the deleted queues
    expect((await c.lambda.send(new ListEventSourceMappingsCommand({}))).EventSourceMappings).toEqual([]);
    expect(logLines.filter((l) => l.includes('event source mapping'))).toEqual([]);
  });
});

/** Receives one message with its system attributes, waiting for it. */
async function receiveWithAttributes(url: string): Promise<Message[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await c.sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 1, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'] }));
    if (r.Messages?.length) return r.Messages;
    if (Date.now() > deadline) throw new Error(`no message on ${url}`);
    await sleep(25);
  }
}

/** The most invocations that ran at once. */
function maxConcurrent(invs: Invocation[]): number {
  const edges = invs.flatMap((i) => [[i.start, 1], [i.end, -1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, now += d);
  return max;
}

/** A stack with one function reading one queue through a mapping with these properties. */
function badApp(props: Partial<lambda.CfnEventSourceMappingProps>, visibility = 30): string {
  return synth((a) => {
    const stack = new Stack(a, 'EsmBad', { env: { account: '000000000000', region: 'us-east-1' } });
    const queue = new sqs.Queue(stack, 'Queue', { visibilityTimeout: Duration.seconds(visibility) });
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(CONSUMER), timeout: Duration.seconds(10),
    });
    new lambda.CfnEventSourceMapping(stack, 'Mapping', { functionName: fn.functionName, eventSourceArn: queue.queueArn, ...props });
  });
}

describe('bad event source mappings fail the deployment with Lambda\'s message', () => {
  test.each([
    ['a visibility timeout shorter than the function timeout', {}, 5, /Mapping \(AWS::Lambda::EventSourceMapping\) CREATE_FAILED: InvalidParameterValueException: Queue visibility timeout: 5 seconds is less than Function timeout: 10 seconds/],
    ['a batch size over 10 without a batching window', { batchSize: 20 }, 30, /Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10/],
    ['a maximum concurrency of 1', { scalingConfig: { maximumConcurrency: 1 } }, 30, /Value '1' at 'scalingConfig.maximumConcurrency'/],
  ])('%s', async (_name, props, visibility, message) => {
    await expect(LocalCloud.start({ assembly: badApp(props, visibility), port: 0, log: () => undefined, handlerOutput: 'ignore' })).rejects.toThrow(message);
  }, 30_000);
});

test('the runner names a mapping of a non-SQS source as a placeholder, and not an SQS one', () => {
  // GIVEN
  const dir = synth((a) => {
    const stack = new Stack(a, 'EsmKinds', { env: { account: '000000000000', region: 'us-east-1' } });
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(CONSUMER) });
    fn.addEventSource(new SqsEventSource(new sqs.Queue(stack, 'Queue')));
    fn.addEventSource(new SqsEventSource(sqs.Queue.fromQueueArn(stack, 'Imported', 'arn:aws:sqs:us-east-1:000000000000:elsewhere')));
    fn.addEventSource(new KinesisEventSource(new kinesis.Stream(stack, 'Stream'), { startingPosition: lambda.StartingPosition.LATEST }));
  });
  // WHEN
  const placeholders = Deployer.unsupportedTypes(readCloudAssembly(dir));
  // THEN
  expect(placeholders).toEqual(['AWS::Kinesis::Stream', 'AWS::Lambda::EventSourceMapping (non-SQS source)']);
});
