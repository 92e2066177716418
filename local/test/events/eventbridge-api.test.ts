import { EventBridgeClient, InvalidEventPatternException, TestEventPatternCommand } from '@aws-sdk/client-eventbridge';
import { LocalCloud } from '../../src';
import { Clients, clients, startMinimalCloud } from '../helpers';

let cloud: LocalCloud;
let c: Clients;
let eb: EventBridgeClient;

const EVENT = JSON.stringify({
  'id': '1',
  'source': 'app',
  'detail-type': 'thing',
  'account': '000000000000',
  'region': 'us-east-1',
  'time': '2026-01-01T00:00:00Z',
  'resources': [],
  'detail': { n: 5 },
});

beforeAll(async () => {
  cloud = await startMinimalCloud('EventsApi');
  c = clients(cloud.endpoint);
  eb = c.events;
}, 60_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
});

test('TestEventPattern: match and no match', async () => {
  expect((await eb.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":[">",4]}]}}', Event: EVENT }))).Result).toBe(true);
  expect((await eb.send(new TestEventPatternCommand({ EventPattern: '{"source":["other"]}', Event: EVENT }))).Result).toBe(false);
});

test('TestEventPattern: an invalid pattern is a 400 InvalidEventPatternException with AWS\'s message', async () => {
  const err = await eb.send(new TestEventPatternCommand({ EventPattern: '{"source":"app"}', Event: EVENT })).catch((e) => e);
  expect(err).toBeInstanceOf(InvalidEventPatternException);
  expect(err.$metadata.httpStatusCode).toBe(400);
  expect(err.message).toMatch(/^Event pattern is not valid\. Reason: /);
});

test('TestEventPattern: an event without the required fields is a ValidationException', async () => {
  const err = await eb.send(new TestEventPatternCommand({ EventPattern: '{"source":["app"]}', Event: '{"source":"app"}' })).catch((e) => e);
  expect(err.name).toBe('ValidationException');
  expect(err.message).toBe('Parameter Event is not valid.');
});
