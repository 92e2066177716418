/**
 * SQS long polling at the local cloud's time scale (src/services/sqs/long-poll.ts): a 20 s
 * `WaitTimeSeconds`, or queue `ReceiveMessageWaitTimeSeconds`, waits 20 ms at 0.001, and a
 * message sent during the wait is returned; at time scale 1 the wait is real.
 */
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Duration, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../../../src';
import { Clients, clients, physicalIds, startQuietCloud, synth } from '../../helpers';

const STACK = 'LongPoll';
const assembly = synth((app) => {
  const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
  new sqs.Queue(stack, 'Plain');
  new sqs.Queue(stack, 'Waits', { receiveMessageWaitTime: Duration.seconds(20) });
});

/** The queue URLs by construct id (the logical ids carry a hash). */
async function queues(c: Clients): Promise<{ Plain: string; Waits: string }> {
  const ids = Object.entries(await physicalIds(c, STACK));
  const url = (prefix: string) => ids.find(([k]) => k.startsWith(prefix))![1];
  return { Plain: url('Plain'), Waits: url('Waits') };
}

async function timed<T>(f: () => Promise<T>): Promise<{ ms: number; out: T }> {
  const started = Date.now();
  const out = await f();
  return { ms: Date.now() - started, out };
}

describe('at time scale 0.001', () => {
  let cloud: LocalCloud;
  let c: Clients;
  let ids: { Plain: string; Waits: string };
  beforeAll(async () => {
    cloud = await startQuietCloud(assembly);
    c = clients(cloud.endpoint);
    ids = await queues(c);
  }, 60_000);
  afterAll(async () => {
    c?.destroy();
    await cloud?.stop();
  });

  test('WaitTimeSeconds 20 on an empty queue answers within the scaled wait', async () => {
    const { ms, out } = await timed(() => c.sqs.send(new ReceiveMessageCommand({ QueueUrl: ids.Plain, WaitTimeSeconds: 20 })));
    expect(out.Messages ?? []).toEqual([]);
    expect(ms).toBeGreaterThanOrEqual(15);
    expect(ms).toBeLessThan(1000);
  });

  test("the queue's ReceiveMessageWaitTimeSeconds 20 is scaled too", async () => {
    const { ms, out } = await timed(() => c.sqs.send(new ReceiveMessageCommand({ QueueUrl: ids.Waits })));
    expect(out.Messages ?? []).toEqual([]);
    expect(ms).toBeLessThan(1000);
  });

  test('a message sent during the wait is returned', async () => {
    // 20 s at 0.001 is too short to send into reliably: 20 s · 0.001 · 50 = a 1 s window with 20 s at 0.05
    const slower = await LocalCloud.start({ assembly, port: 0, timeScale: 0.05, log: () => undefined, handlerOutput: 'ignore' });
    const s = clients(slower.endpoint);
    try {
      const queueUrl = (await queues(s)).Plain;
      const receiving = timed(() => s.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 20 })));
      await new Promise((r) => setTimeout(r, 200));
      await s.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'during the wait' }));
      const { ms, out } = await receiving;
      expect(out.Messages?.map((m) => m.Body)).toEqual(['during the wait']);
      expect(ms).toBeGreaterThanOrEqual(150);
      expect(ms).toBeLessThan(900);
    } finally {
      s.destroy();
      await slower.stop();
    }
  }, 60_000);

  test('a message already there is returned at once', async () => {
    await c.sqs.send(new SendMessageCommand({ QueueUrl: ids.Plain, MessageBody: 'waiting' }));
    const { out } = await timed(() => c.sqs.send(new ReceiveMessageCommand({ QueueUrl: ids.Plain, WaitTimeSeconds: 20 })));
    expect(out.Messages?.map((m) => m.Body)).toEqual(['waiting']);
  });
});

describe('at time scale 1', () => {
  test('the long poll waits in real time', async () => {
    const cloud = await LocalCloud.start({ assembly, port: 0, timeScale: 1, log: () => undefined, handlerOutput: 'ignore' });
    const c = clients(cloud.endpoint);
    try {
      const queueUrl = (await queues(c)).Plain;
      const { ms, out } = await timed(() => c.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 })));
      expect(out.Messages ?? []).toEqual([]);
      expect(ms).toBeGreaterThanOrEqual(900);
    } finally {
      c.destroy();
      await cloud.stop();
    }
  }, 60_000);
});
