import { FAILURE_RECORD, snsEnvelope, SUCCESS_RECORD } from './deliveries';
import { InvocationRecord } from '../../src';
import { redrive, RedriveOptions, RedriveSource, StoredRecord } from '../../src/records/redrive';

const FN = 'arn:aws:lambda:us-east-1:111111111111:function:my-fn';

/** A failure record of `my-fn:$LATEST` for event `{ n }`. */
function failure(n: number, functionArn = `${FN}:$LATEST`): InvocationRecord {
  return { ...FAILURE_RECORD, requestContext: { ...FAILURE_RECORD.requestContext, requestId: `req-${n}`, functionArn }, requestPayload: { n } };
}

/** A queue-like source: hands each record out once, remembers what was removed and released. */
class FakeSource implements RedriveSource {
  public readonly removed: string[] = [];
  public readonly released: string[] = [];
  private readonly pending: StoredRecord[];
  constructor(bodies: unknown[]) {
    this.pending = bodies.map((b, i) => ({ id: `m${i}`, body: typeof b === 'string' ? b : JSON.stringify(b) }));
  }
  public async next(max: number): Promise<StoredRecord[]> {
    return this.pending.splice(0, max);
  }
  public async remove(record: StoredRecord): Promise<void> {
    this.removed.push(record.id);
  }
  public async release(record: StoredRecord): Promise<void> {
    this.released.push(record.id);
  }
}

function run(source: FakeSource, answers: Array<number | Error>, options: Partial<RedriveOptions> = {}) {
  const invoked: Array<[string, unknown]> = [];
  const sleeps: number[] = [];
  const promise = redrive(source, async (arn, payload) => {
    invoked.push([arn, JSON.parse(payload)]);
    const answer = answers.shift() ?? 202;
    if (answer instanceof Error) throw answer;
    return answer;
  }, { functionArn: FN, maxCount: 10, dryRun: false, ratePerSecond: 1000, sleep: async (ms) => { sleeps.push(ms); }, ...options });
  return { promise, invoked, sleeps };
}

describe('redrive', () => {
  test('GIVEN failure records WHEN redriven THEN each requestPayload is invoked asynchronously and its record removed after a 202', async () => {
    const source = new FakeSource([failure(1), failure(2)]);
    const { promise, invoked } = run(source, []);

    const report = await promise;

    expect(invoked).toEqual([[FN, { n: 1 }], [FN, { n: 2 }]]);
    expect(source.removed).toEqual(['m0', 'm1']);
    expect(source.released).toEqual([]);
    expect(report.replayed.map((r) => [r.id, r.requestId, r.condition, r.requestPayload])).toEqual([
      ['m0', 'req-1', 'RetriesExhausted', { n: 1 }], ['m1', 'req-2', 'RetriesExhausted', { n: 2 }],
    ]);
  });

  test('GIVEN Lambda refuses or fails some replays WHEN redriven THEN only accepted ones are removed; the rest are released and reported', async () => {
    const source = new FakeSource([failure(1), failure(2), failure(3)]);
    const { promise } = run(source, [429, new Error('socket hang up'), 202]);

    const report = await promise;

    expect(source.removed).toEqual(['m2']);
    expect(source.released).toEqual(['m0', 'm1']);
    expect(report.failed).toEqual([
      { id: 'm0', reason: 'Invoke answered 429, not 202' },
      { id: 'm1', reason: 'Invoke failed: socket hang up' },
    ]);
  });

  test('GIVEN a dry run WHEN redriven THEN nothing is invoked or removed, every record is released, and the report lists what would be replayed', async () => {
    const source = new FakeSource([failure(1), failure(2), 'not json']);
    const { promise, invoked } = run(source, [], { dryRun: true });

    const report = await promise;

    expect(invoked).toEqual([]);
    expect(source.removed).toEqual([]);
    expect(source.released).toEqual(['m0', 'm1', 'm2']);
    expect(report.dryRun).toBe(true);
    expect(report.replayed.map((r) => r.requestPayload)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  test('GIVEN more records than maxCount WHEN redriven THEN maxCount are replayed and the others are not even read', async () => {
    const source = new FakeSource([failure(1), failure(2), failure(3), failure(4)]);
    const { promise, invoked } = run(source, [], { maxCount: 3 });

    const report = await promise;

    expect(invoked.map(([, p]) => p)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(report.replayed).toHaveLength(3);
    expect(source.released).toEqual([]);
  });

  test('GIVEN what is not a failure record of the function WHEN redriven THEN it is left in place with the reason', async () => {
    const source = new FakeSource([
      '{"orderId":"o-1"}',
      failure(1, 'arn:aws:lambda:us-east-1:111111111111:function:other-fn:$LATEST'),
      SUCCESS_RECORD,
      snsEnvelope(failure(2)),
    ]);
    const { promise, invoked } = run(source, []);

    const report = await promise;

    expect(invoked).toEqual([[FN, { n: 2 }]]);
    expect(source.removed).toEqual(['m3']);
    expect(source.released).toEqual(['m0', 'm1', 'm2']);
    expect(report.skipped).toEqual([
      { id: 'm0', reason: 'delivery (JSON): not an invocation record or a delivery of one, got an object with keys orderId' },
      { id: 'm1', reason: `a record of arn:aws:lambda:us-east-1:111111111111:function:other-fn:$LATEST, not of ${FN}` },
      { id: 'm2', reason: 'a Success record (request c2a6f2ae-7dbb-4d22-8782-d0485c9877e2) has nothing to replay' },
    ]);
  });

  test('GIVEN an alias target WHEN redriven THEN only the alias\'s records are replayed, to the alias', async () => {
    const source = new FakeSource([failure(1, `${FN}:live`), failure(2)]);
    const { promise, invoked } = run(source, [], { functionArn: `${FN}:live` });

    const report = await promise;

    expect(invoked).toEqual([[`${FN}:live`, { n: 1 }]]);
    expect(report.skipped.map((s) => s.id)).toEqual(['m1']);
  });

  test('GIVEN ratePerSecond 4 WHEN five records are redriven THEN it waits about 250 ms between invokes', async () => {
    const source = new FakeSource([1, 2, 3, 4, 5].map((n) => failure(n)));
    const { promise, sleeps } = run(source, [], { ratePerSecond: 4 });

    await promise;

    expect(sleeps).toHaveLength(4);
    for (const ms of sleeps) {
      expect(ms).toBeGreaterThan(200);
      expect(ms).toBeLessThanOrEqual(250);
    }
  });
});
