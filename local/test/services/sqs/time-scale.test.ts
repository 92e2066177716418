/**
 * SQS delays and visibility timeouts at the local cloud's time scale (runtime/fauxqs-host.mjs):
 * queue and per-message `DelaySeconds`, queue and `ReceiveMessage` `VisibilityTimeout`,
 * `ChangeMessageVisibility(Batch)` last `timeScale` times as long as they say (600 s → 600 ms at
 * 0.001), while `GetQueueAttributes` answers the configured values; and an app that waits through
 * a delay, a visibility timeout and a redrive to the dead-letter queue sees the same at 0.001 and at 1.
 */
import {
  ChangeMessageVisibilityBatchCommand, ChangeMessageVisibilityCommand, CreateQueueCommand, GetQueueAttributesCommand, Message,
  ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SetQueueAttributesCommand,
} from '@aws-sdk/client-sqs';
import { Duration, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../../../src';
import { Clients, clients, physicalIds, resourceId, startStack, stopStack, synth } from '../../helpers';

const STACK = 'SqsTimeScale';
const assembly = synth((app) => {
  const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
  new sqs.Queue(stack, 'Plain');
  new sqs.Queue(stack, 'Delayed', { deliveryDelay: Duration.seconds(600) });
  new sqs.Queue(stack, 'Slow', { visibilityTimeout: Duration.seconds(300) });
  const dlq = new sqs.Queue(stack, 'Dead');
  new sqs.Queue(stack, 'Redriven', { visibilityTimeout: Duration.seconds(2), deadLetterQueue: { queue: dlq, maxReceiveCount: 2 } });
});

/** One immediate receive (WaitTimeSeconds 0), with the receive count. */
async function receiveNow(c: Clients, queueUrl: string, extra: { VisibilityTimeout?: number } = {}): Promise<Message[]> {
  const out = await c.sqs.send(new ReceiveMessageCommand({
    QueueUrl: queueUrl, WaitTimeSeconds: 0, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['ApproximateReceiveCount'], ...extra,
  }));
  return out.Messages ?? [];
}

/** Receives until a message comes, and how many ms after `since` it came; throws after `limitMs`. */
async function firstMessage(c: Clients, queueUrl: string, since: number, extra: { VisibilityTimeout?: number } = {},
  limitMs = 5000): Promise<{ ms: number; message: Message }> {
  for (;;) {
    const [message] = await receiveNow(c, queueUrl, extra);
    if (message) return { ms: Date.now() - since, message };
    if (Date.now() - since > limitMs) throw new Error(`no message on ${queueUrl} within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('at time scale 0.001', () => {
  let cloud: LocalCloud | undefined;
  let c: Clients | undefined;
  let q: Record<'Plain' | 'Delayed' | 'Slow' | 'Redriven', string>;
  beforeAll(async () => {
    const s = await startStack(assembly, STACK);
    ({ cloud, c } = s);
    q = { Plain: resourceId(s.ids, 'Plain'), Delayed: resourceId(s.ids, 'Delayed'), Slow: resourceId(s.ids, 'Slow'), Redriven: resourceId(s.ids, 'Redriven') };
  }, 60_000);
  afterAll(() => stopStack(cloud, c));
  /** A new empty queue for one test, made with CreateQueue (attributes as strings, as SQS takes them). */
  let queuesMade = 0;
  const freshQueue = async (attributes?: Record<string, string>) =>
    (await c!.sqs.send(new CreateQueueCommand({ QueueName: `fresh-${++queuesMade}`, Attributes: attributes }))).QueueUrl!;

  test('GetQueueAttributes answers the configured seconds, from the template and from SetQueueAttributes', async () => {
    const attributes = async (queueUrl: string) => (await c!.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }))).Attributes!;
    expect(await attributes(q.Delayed)).toMatchObject({ DelaySeconds: '600', VisibilityTimeout: '30' });
    expect(await attributes(q.Slow)).toMatchObject({ DelaySeconds: '0', VisibilityTimeout: '300' });
    expect(JSON.parse((await attributes(q.Redriven)).RedrivePolicy!)).toMatchObject({ maxReceiveCount: 2 });
    const made = await freshQueue({ DelaySeconds: '5' });
    expect(await attributes(made)).toMatchObject({ DelaySeconds: '5', VisibilityTimeout: '30' });
    await c!.sqs.send(new SetQueueAttributesCommand({ QueueUrl: made, Attributes: { VisibilityTimeout: '45' } }));
    expect(await attributes(made)).toMatchObject({ DelaySeconds: '5', VisibilityTimeout: '45' });
  });

  test("a message's DelaySeconds 900 hides it for 900 ms", async () => {
    const queue = await freshQueue();
    const sent = Date.now();
    await c!.sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'delayed', DelaySeconds: 900 }));
    expect(await receiveNow(c!, queue)).toEqual([]);
    const { ms, message } = await firstMessage(c!, queue, sent);
    expect(message.Body).toBe('delayed');
    expect(ms).toBeGreaterThanOrEqual(880);
    expect(ms).toBeLessThan(3000);
  });

  test("the queue's DelaySeconds 600 (from the template) hides a message for 600 ms", async () => {
    const sent = Date.now();
    await c!.sqs.send(new SendMessageCommand({ QueueUrl: q.Delayed, MessageBody: 'queue delay' }));
    expect(await receiveNow(c!, q.Delayed)).toEqual([]);
    const { ms } = await firstMessage(c!, q.Delayed, sent);
    expect(ms).toBeGreaterThanOrEqual(580);
    expect(ms).toBeLessThan(3000);
  });

  test('SendMessageBatch delays each entry by its own DelaySeconds', async () => {
    const queue = await freshQueue();
    await c!.sqs.send(new SendMessageBatchCommand({
      QueueUrl: queue,
      Entries: [{ Id: 'now', MessageBody: 'now', DelaySeconds: 0 }, { Id: 'later', MessageBody: 'later', DelaySeconds: 900 }],
    }));
    const sent = Date.now();
    expect((await receiveNow(c!, queue, { VisibilityTimeout: 43200 })).map((m) => m.Body)).toEqual(['now']);
    const { message } = await firstMessage(c!, queue, sent);
    expect(message.Body).toBe('later');
  });

  test("the queue's VisibilityTimeout 300 (from the template) hides a received message for 300 ms", async () => {
    await c!.sqs.send(new SendMessageCommand({ QueueUrl: q.Slow, MessageBody: 'in flight' }));
    const [first] = await receiveNow(c!, q.Slow);
    const received = Date.now();
    expect(first.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(await receiveNow(c!, q.Slow)).toEqual([]);
    const { ms, message } = await firstMessage(c!, q.Slow, received);
    expect(message.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(3000);
  });

  test("the default VisibilityTimeout 30 lasts about 30 ms; ReceiveMessage's VisibilityTimeout 600 lasts 600 ms", async () => {
    const queue = await freshQueue();
    await c!.sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'default' }));
    await receiveNow(c!, queue);
    // it shows again after 30 ms; this receive takes it for 600 s (600 ms)
    const { ms: defaultMs, message: again } = await firstMessage(c!, queue, Date.now(), { VisibilityTimeout: 600 });
    const received = Date.now();
    expect(defaultMs).toBeLessThan(1000); // 30 s in real time before
    expect(again.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(await receiveNow(c!, queue)).toEqual([]);
    const { ms } = await firstMessage(c!, queue, received);
    expect(ms).toBeGreaterThanOrEqual(580);
    expect(ms).toBeLessThan(3000);
  });

  test('ChangeMessageVisibility 0 shows a message at once; ChangeMessageVisibilityBatch 300 hides it for 300 ms', async () => {
    const queue = await freshQueue();
    await c!.sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'changed' }));
    const [m] = await receiveNow(c!, queue, { VisibilityTimeout: 900 });
    await c!.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queue, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
    const [m2] = await receiveNow(c!, queue, { VisibilityTimeout: 900 });
    expect(m2.Body).toBe('changed');
    const out = await c!.sqs.send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl: queue, Entries: [{ Id: 'm', ReceiptHandle: m2.ReceiptHandle, VisibilityTimeout: 300 }],
    }));
    const changed = Date.now();
    expect(out.Failed ?? []).toEqual([]);
    const { ms, message } = await firstMessage(c!, queue, changed);
    expect(message.Body).toBe('changed');
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(3000);
  });

  test('out-of-range seconds get SQS errors with the values as given', async () => {
    const queue = await freshQueue();
    await expect(c!.sqs.send(new CreateQueueCommand({ QueueName: 'too-slow', Attributes: { VisibilityTimeout: '43201' } })))
      .rejects.toThrow(/VisibilityTimeout/);
    await expect(c!.sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, VisibilityTimeout: 43201 })))
      .rejects.toThrow(/Value 43201 for parameter VisibilityTimeout is invalid/);
    await c!.sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'x' }));
    const [m] = await receiveNow(c!, queue);
    await expect(c!.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queue, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 43201 })))
      .rejects.toThrow(/Value 43201 for parameter VisibilityTimeout is invalid/);
  });
});

/**
 * What an app observes, in AWS time: a message sent with a 2 s delay, received by long polls
 * (WaitTimeSeconds 20) twice through the queue's 2 s visibility timeout, then redriven to the
 * dead-letter queue by maxReceiveCount 2. At time scale 1 each long poll ends when the message
 * shows, after 2 s.
 */
async function redriveStory(c: Clients, ids: Record<string, string>): Promise<string[]> {
  const queue = resourceId(ids, 'Redriven');
  const dlq = resourceId(ids, 'Dead');
  const seen: string[] = [];
  const longPoll = async (queueUrl: string, label: string) => {
    const out = await c.sqs.send(new ReceiveMessageCommand({
      QueueUrl: queueUrl, WaitTimeSeconds: 20, MessageSystemAttributeNames: ['ApproximateReceiveCount'],
    }));
    const m = out.Messages?.[0];
    seen.push(m ? `${label}: ${m.Body}${label === 'queue' ? ` (receive ${m.Attributes?.ApproximateReceiveCount})` : ''}` : `${label}: nothing`);
  };
  await c.sqs.send(new SendMessageCommand({ QueueUrl: queue, MessageBody: 'story', DelaySeconds: 2 }));
  await longPoll(queue, 'queue');
  await longPoll(queue, 'queue');
  // when it shows again, the third receive moves it to the dead-letter queue instead of returning it
  await longPoll(queue, 'queue');
  await longPoll(dlq, 'dlq');
  return seen;
}

test.each([0.001, 1])('the same app sees the same delays, visibility timeouts and redrive at time scale %p', async (timeScale) => {
  const cloud = await LocalCloud.start({ assembly, port: 0, timeScale, log: () => undefined, handlerOutput: 'ignore' });
  const c = clients(cloud.endpoint);
  try {
    const started = Date.now();
    expect(await redriveStory(c, await physicalIds(c, STACK))).toEqual([
      'queue: story (receive 1)',
      'queue: story (receive 2)',
      'queue: nothing',
      'dlq: story',
    ]);
    // three 2 s waits in AWS time
    const ms = Date.now() - started;
    expect(ms).toBeGreaterThanOrEqual(6000 * timeScale * 0.9);
    expect(ms).toBeLessThan(6000 * timeScale + 3000);
  } finally {
    await stopStack(cloud, c);
  }
}, 60_000);
