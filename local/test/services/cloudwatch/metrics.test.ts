import { aggregate, MetricStore, SECONDS_KEPT_PER_METRIC } from '../../../src/services/cloudwatch/service';

afterEach(() => jest.useRealTimers());

test('data points of one second are kept as one statistic set; statistics come out as over the raw points', () => {
  jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00.100Z') });
  const store = new MetricStore();
  for (const v of [5, 1, 9]) store.put('AWS/Lambda', 'AsyncEventAge', { FunctionName: 'f' }, v, 'Milliseconds');
  jest.setSystemTime(new Date('2026-01-01T00:00:01.500Z'));
  store.put('AWS/Lambda', 'AsyncEventAge', { FunctionName: 'f' }, 3, 'Milliseconds');
  const sets = store.query('AWS/Lambda', 'AsyncEventAge', { FunctionName: 'f' });
  expect(sets.map((s) => [s.timestamp, s.sampleCount, s.sum, s.minimum, s.maximum])).toEqual([
    [Date.parse('2026-01-01T00:00:00Z'), 3, 15, 1, 9],
    [Date.parse('2026-01-01T00:00:01Z'), 1, 3, 3, 3],
  ]);
  expect(['Sum', 'SampleCount', 'Average', 'Maximum', 'Minimum'].map((s) => aggregate(sets, s as any))).toEqual([18, 4, 4.5, 9, 1]);
  // other dimensions are another metric, as CloudWatch matches them exactly
  expect(store.query('AWS/Lambda', 'AsyncEventAge', { FunctionName: 'f', Resource: 'f:1' })).toEqual([]);
});

test(`memory stays bounded: at most ${SECONDS_KEPT_PER_METRIC} seconds per metric, whatever the number of data points`, () => {
  jest.useFakeTimers({ now: 0 });
  const store = new MetricStore();
  for (let s = 0; s < SECONDS_KEPT_PER_METRIC + 5; s++) {
    jest.setSystemTime(s * 1000);
    for (let i = 0; i < 3; i++) store.put('AWS/Lambda', 'AsyncEventsReceived', { FunctionName: 'f' }, 1);
  }
  const sets = store.query('AWS/Lambda', 'AsyncEventsReceived', { FunctionName: 'f' });
  expect(sets).toHaveLength(SECONDS_KEPT_PER_METRIC);
  expect(sets[0].timestamp).toBe(5000);
  expect(aggregate(sets, 'Sum')).toBe(3 * SECONDS_KEPT_PER_METRIC);
});
