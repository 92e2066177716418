import * as fs from 'fs';
import { EventBridgeClient, InvalidEventPatternException, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { LocalCloud } from '../../src';
import { Clients, clients, startMinimalCloud } from '../helpers';
import { CASES_DIR, ConformanceCase, Expected, loadCases } from './conformance-cases';

// The AWS conformance cases (see conformance-cases.ts), through TestEventPattern with the SDK client.
let cloud: LocalCloud;
let sdk: Clients;
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
    cloud = await startMinimalCloud('EventsConformance');
    sdk = clients(cloud.endpoint);
    eb = sdk.events;
  }, 60_000);

  afterAll(async () => {
    sdk?.destroy();
    await cloud?.stop();
  });

  describe('EventBridge TestEventPattern conformance (SDK client, local cloud)', () => {
    test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      expect(await evaluate(c)).toBe(c.expected);
    });
  });
}
