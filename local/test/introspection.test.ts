import * as http from 'node:http';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../src';
import { clients, physicalIds, synth } from './helpers';

// The introspection lists are bounded: the latest `deliveriesKept` reports, with totals of all.

function get(endpoint: string, path: string): Promise<any> {
  return new Promise((resolve, reject) => {
    http.get(`${endpoint}${path}`, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve(JSON.parse(text)));
    }).on('error', reject);
  });
}

test('cloud.deliveries and /_local/deliveries keep the latest reports and count them all', async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, 'Introspection', { env: { account: '000000000000', region: 'us-east-1' } });
    new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (e) => e;'),
      onSuccess: new SqsDestination(new sqs.Queue(stack, 'Q')),
    });
  });
  const cloud = await LocalCloud.start({ assembly, port: 0, timeScale: 0.001, log: () => undefined, handlerOutput: 'ignore', deliveriesKept: 3 });
  const c = clients(cloud.endpoint);
  try {
    const fn = Object.entries(await physicalIds(c, 'Introspection')).find(([k]) => k.startsWith('Fn') && !k.includes('ServiceRole') && !k.includes('EventInvokeConfig'))![1];
    const requestIds: string[] = [];
    for (let i = 0; i < 8; i++) {
      const out = await c.lambda.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ i })) }));
      requestIds.push(out.$metadata.requestId!);
      await cloud.idle();
    }
    expect(cloud.deliveriesTotal).toBe(8);
    expect(cloud.deliveries.map((d) => d.requestId)).toEqual(requestIds.slice(5));
    const all = await get(cloud.endpoint, '/_local/deliveries');
    expect(all).toMatchObject({ total: 8, dropped: 5 });
    expect(all.items.map((d: any) => d.requestId)).toEqual(requestIds.slice(5));
    const last = await get(cloud.endpoint, '/_local/deliveries?limit=1');
    expect(last.items.map((d: any) => d.requestId)).toEqual(requestIds.slice(7));
    const health = await get(cloud.endpoint, '/_local/health');
    expect(health.memory.rss).toBeGreaterThan(0);
  } finally {
    c.destroy();
    await cloud.stop();
  }
});
