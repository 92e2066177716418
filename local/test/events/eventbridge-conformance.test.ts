import * as fs from 'fs';
import { EventBridgeClient, InvalidEventPatternException, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../../src';
import { synth } from '../helpers';
import { CASES_DIR, ConformanceCase, Expected, loadCases } from './conformance-cases';

// The AWS conformance cases (see conformance-cases.ts), through TestEventPattern with the SDK client.
let cloud: LocalCloud;
let eb: EventBridgeClient;

async function evaluate(c: ConformanceCase): Promise<Expected> {
  const pattern = typeof c.pattern === 'string' ? c.pattern : JSON.stringify(c.pattern);
  try {
    const out = await eb.send(new TestEventPatternCommand({ EventPattern: pattern, Event: JSON.stringify(c.event) }));
    return out.Result ? 'match' : 'no match';
  } catch (e) {
    if (e instanceof InvalidEventPatternException) return 'invalid';
    throw e;
  }
}

if (!fs.existsSync(CASES_DIR)) {
  describe.skip(`EventBridge TestEventPattern conformance (skipped: ${CASES_DIR} not found)`, () => {
    test('cases', () => undefined);
  });
} else {
  const { cases } = loadCases(CASES_DIR);

  beforeAll(async () => {
    const assembly = synth((app) => {
      const stack = new Stack(app, 'EventsConformance', { env: { account: '000000000000', region: 'us-east-1' } });
      new sqs.Queue(stack, 'Unused');
    });
    cloud = await LocalCloud.start({ assembly, port: 0, timeScale: 0.001, log: () => undefined, handlerOutput: 'ignore' });
    eb = new EventBridgeClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  }, 60_000);

  afterAll(async () => {
    eb?.destroy();
    await cloud?.stop();
  });

  describe('EventBridge TestEventPattern conformance (SDK client, local cloud)', () => {
    test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      expect(await evaluate(c)).toBe(c.expected);
    });
  });
}
