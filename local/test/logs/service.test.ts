import { MAX_EVENTS_PER_STREAM, MAX_STREAMS_PER_GROUP } from '../../src/services/logs/model';
import { LogsService } from '../../src/services/logs/service';

describe('LogsService memory bounds', () => {
  test('a stream keeps its newest events; the dropped ones are counted and reads start after them', () => {
    // GIVEN
    const logs = new LogsService();
    const events = Array.from({ length: MAX_EVENTS_PER_STREAM + 50 }, (_, i) => ({ timestamp: 1_000 + i, message: `event ${i}` }));
    // WHEN
    logs.put('/aws/lambda/busy', 's', events);
    // THEN
    const group = logs.group('/aws/lambda/busy');
    expect(group.streams.get('s')!.events).toHaveLength(MAX_EVENTS_PER_STREAM);
    expect(group.dropped).toBe(50);
    const head = logs.getLogEvents('/aws/lambda/busy', 's', { startFromHead: true, limit: 1 });
    expect(head.events[0].message).toBe('event 50');
    const tail = logs.getLogEvents('/aws/lambda/busy', 's', { limit: 1 });
    expect(tail.events[0].message).toBe(`event ${MAX_EVENTS_PER_STREAM + 49}`);
  });

  test('a group keeps at most MAX_STREAMS_PER_GROUP streams: the least recently written goes, its events counted', () => {
    // GIVEN
    const logs = new LogsService();
    for (let i = 0; i < MAX_STREAMS_PER_GROUP; i++) logs.put('/g', `s${i}`, [{ timestamp: i, message: 'x' }, { timestamp: i, message: 'y' }]);
    // WHEN
    logs.put('/g', 'new', [{ timestamp: 1, message: 'z' }]);
    // THEN
    const group = logs.group('/g');
    expect(group.streams.size).toBe(MAX_STREAMS_PER_GROUP);
    expect(group.streams.has('new')).toBe(true);
    expect(group.dropped).toBe(2);
  });

  test('a message longer than 256 KB is cut to AWS\'s limit', () => {
    const logs = new LogsService();
    logs.put('/g', 's', [{ timestamp: 1, message: 'a'.repeat(300 * 1024) }]);
    expect(Buffer.byteLength(logs.group('/g').streams.get('s')!.events[0].message)).toBe(256 * 1024 - 26);
  });
});
