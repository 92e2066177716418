import { InvokeCommand } from '@aws-sdk/client-lambda';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AsyncChain, SuccessDestination } from '../../src';
import { unwrapRecord } from '../../src/records';
import { LocalCloud } from '../src';
import { Clients, expectEmpty, receive, resourceId, startStack, stopStack, synth } from './helpers';

// A → B (through its alias `live`) → C: each step gets the previous step's response payload; the
// last step's success record lands in Results; a failing step's record lands in the chain's queue.
const STACK = 'Chain';
let cloud: LocalCloud;
let c: Clients;
let ids: Record<string, string>;

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
    const step = (id: string, code: string) => new lambda.Function(stack, id, {
      functionName: `chain-${id.toLowerCase()}`,
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(code),
    });
    const a = step('A', "exports.handler = async (e) => { if (e.fail) throw new Error('a refuses ' + e.order); return { order: e.order, path: ['a'] }; };");
    const b = step('B', "exports.handler = async (e) => ({ ...e, path: [...e.path, 'b'] });");
    const cFn = step('C', "exports.handler = async (e) => ({ ...e, path: [...e.path, 'c'], done: true });");
    new AsyncChain(stack, 'Pipeline', {
      steps: [{ function: a, retryAttempts: 0 }, { function: b.addAlias('live') }, { function: cFn }],
      onSuccess: SuccessDestination.queue(new sqs.Queue(stack, 'Results')),
    });
  });
  ({ cloud, c, ids } = await startStack(assembly, STACK));
}, 60_000);

afterAll(() => stopStack(cloud, c));

const queue = (prefix: string) => resourceId(ids, prefix);

test('GIVEN a chain of three functions WHEN the first is invoked asynchronously THEN the last one\'s response arrives, built by every step', async () => {
  await c.lambda.send(new InvokeCommand({ FunctionName: 'chain-a', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ order: 'o-7' })) }));

  const [message] = await receive(c, queue('Results'), 1);
  const record = unwrapRecord(message);

  expect(record.requestContext).toMatchObject({ functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:chain-c:$LATEST', condition: 'Success' });
  expect(record.requestPayload).toEqual({ order: 'o-7', path: ['a', 'b'] });
  expect(record.responsePayload).toEqual({ order: 'o-7', path: ['a', 'b', 'c'], done: true });
});

test('GIVEN a chain WHEN a step fails THEN its record goes to the chain\'s failure queue and the chain stops', async () => {
  await c.lambda.send(new InvokeCommand({ FunctionName: 'chain-a', InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ order: 'o-8', fail: true })) }));

  const [message] = await receive(c, queue('PipelineFailureQueue'), 1);
  const record = unwrapRecord(message);

  expect(record.requestContext).toMatchObject({ functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:chain-a:$LATEST', condition: 'RetriesExhausted' });
  expect(record.responsePayload.errorMessage).toBe('a refuses o-8');
  await cloud.idle();
  await expectEmpty(c, queue('Results'));
});
