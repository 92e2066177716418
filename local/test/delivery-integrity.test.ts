import * as http from 'node:http';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../src';
import { Clients, lambdaMetric, receive, resourceId, startStack, stopStack, synth } from './helpers';

// Every record is delivered, or counted in DestinationDeliveryFailures with its reason in a log
// line and in /_local/deliveries: characters outside the BMP, payloads nested thousands of levels
// deep, and a destination that refuses the record; no other invocation's record is lost or doubled.

const STACK = 'DeliveryIntegrity';
let cloud: LocalCloud;
let c: Clients;
let ids: Record<string, string>;
const logLines: string[] = [];

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
    const ok = new sqs.Queue(stack, 'SuccessQueue');
    const small = new sqs.Queue(stack, 'SmallQueue', { maxMessageSizeBytes: 1024 });
    new lambda.Function(stack, 'Echo', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (event) => ({ type: typeof event });'),
      retryAttempts: 0,
      onSuccess: new SqsDestination(ok),
    });
    new lambda.Function(stack, 'ToSmall', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => 1;'),
      retryAttempts: 0,
      onSuccess: new SqsDestination(small),
    });
  });
  ({ cloud, c, ids } = await startStack(assembly, STACK, { log: (l) => logLines.push(l) }));
}, 60_000);

afterAll(() => stopStack(cloud, c));

const id = (prefix: string) => resourceId(ids, prefix);

async function invokeEvent(fn: string, payload: string): Promise<string> {
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from(payload) }));
  expect(out.StatusCode).toBe(202);
  return out.$metadata.requestId!;
}

/** How deep a value is nested, counted without recursion. */
function depth(value: unknown): number {
  let d = 0;
  let v: any = value;
  while (Array.isArray(v)) {
    d++;
    v = v[0];
  }
  return d;
}

test('a record with characters outside the BMP (emoji) reaches the SQS destination intact', async () => {
  const text = 'emoji 😀, clef 𝄞, CJK ext B 𠀀';
  const requestId = await invokeEvent(id('Echo'), JSON.stringify({ text }));
  const [msg] = await receive(c, id('SuccessQueue'), 1);
  const record = JSON.parse(msg.Body!);
  expect(record.requestContext.requestId).toBe(requestId);
  expect(record.requestPayload).toEqual({ text });
  expect(msg.Body).toContain('😀');
});

describe('SQS message characters, as SQS allows them', () => {
  test('SendMessage accepts non-BMP characters', async () => {
    await c.sqs.send(new SendMessageCommand({ QueueUrl: id('SuccessQueue'), MessageBody: 'hi 😀' }));
    const [msg] = await receive(c, id('SuccessQueue'), 1);
    expect(msg.Body).toBe('hi 😀');
  });

  test.each([
    ['a control character', 'a\u0001b'],
    ['a lone surrogate', 'a\uD800b'],
    ['U+FFFE', 'a\uFFFEb'],
  ])('SendMessage still rejects %s with InvalidMessageContents', async (_name, body) => {
    await expect(c.sqs.send(new SendMessageCommand({ QueueUrl: id('SuccessQueue'), MessageBody: body }))).rejects.toMatchObject({ name: expect.stringMatching(/InvalidMessageContents$/) });
  });
});

test('a payload nested 5,000 levels deep is delivered, and records of concurrent invocations arrive once each', async () => {
  const levels = 5000;
  const deep = `{"deep":${'['.repeat(levels)}${']'.repeat(levels)}}`;
  const normal = Array.from({ length: 20 }, (_, i) => JSON.stringify({ i }));
  const requestIds = await Promise.all([invokeEvent(id('Echo'), deep), ...normal.map((p) => invokeEvent(id('Echo'), p))]);
  const msgs = await receive(c, id('SuccessQueue'), 21, 20_000);
  await cloud.idle();
  const records = msgs.map((m) => JSON.parse(m.Body!));
  expect(records.map((r) => r.requestContext.requestId).sort()).toEqual([...requestIds].sort());
  const deepRecord = records.find((r) => r.requestContext.requestId === requestIds[0]);
  expect(depth(deepRecord.requestPayload.deep)).toBe(levels);
  expect(deepRecord.responsePayload).toEqual({ type: 'object' });
  expect(await lambdaMetric(c, 'DestinationDeliveryFailures', id('Echo'))).toBe(0);
});

test('a record the destination refuses is counted in DestinationDeliveryFailures, with its reason logged and in /_local/deliveries', async () => {
  const fn = id('ToSmall');
  const requestId = await invokeEvent(fn, JSON.stringify({ pad: 'x'.repeat(2000) }));
  await cloud.idle();
  expect(await lambdaMetric(c, 'DestinationDeliveryFailures', fn)).toBe(1);
  const deliveries = JSON.parse(await get('/_local/deliveries'));
  const report = deliveries.items.find((d: any) => d.requestId === requestId);
  expect(report).toMatchObject({ functionName: fn, kind: 'OnSuccess', delivered: false });
  expect(report.reason).toMatch(/Message must be shorter than 1024 bytes/);
  expect(logLines.some((l) => l.includes(requestId) && l.includes('Message must be shorter than 1024 bytes'))).toBe(true);
});

function get(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http.get(`${cloud.endpoint}${path}`, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
}
