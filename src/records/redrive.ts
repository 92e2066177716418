// Replays failed asynchronous invocations from their records. Dependency-free: the AWS calls come
// in through RedriveSource and RedriveTarget, so the same logic runs in the redrive function (AWS
// SDK v3 clients, see redrive-handler.ts) and in tests.
import { InvocationRecord } from './invocation-record';
import { unwrapRecord } from './unwrap-records';

/** One stored record: an SQS message or an S3 object. */
export interface StoredRecord {
  /** The message id or object key, for the report. */
  readonly id: string;
  /** The message body or object body. */
  readonly body: string;
}

/** Where failure records are stored. */
export interface RedriveSource {
  /** Up to `max` records not handed out before in this run; an empty list when there are no more. */
  next(max: number): Promise<StoredRecord[]>;
  /** Removes a record whose event was replayed. */
  remove(record: StoredRecord): Promise<void>;
  /** Hands a record back untouched (a message becomes visible again at once). */
  release(record: StoredRecord): Promise<void>;
}

/** Invokes the function asynchronously; returns the status code Lambda answered (202 when queued). */
export type RedriveTarget = (functionArn: string, payload: string) => Promise<number>;

/** What to replay, and how fast. */
export interface RedriveOptions {
  /** The function (or its version or alias) whose records may be replayed, as the record names it. */
  readonly functionArn: string;
  /** The most events to replay (or, in a dry run, to list). */
  readonly maxCount: number;
  /** List what would be replayed; invoke and delete nothing. */
  readonly dryRun: boolean;
  /** The most invokes per second. */
  readonly ratePerSecond: number;
  /** Waits; tests pass a fake. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** One replayed (or, in a dry run, replayable) event. */
export interface RedriveEntry {
  readonly id: string;
  readonly requestId: string;
  readonly condition: string;
  readonly functionArn: string;
  readonly requestPayload: unknown;
}

/** A record that was left where it is, and why. */
export interface RedriveSkip {
  readonly id: string;
  readonly reason: string;
}

/** What a redrive did. */
export interface RedriveReport {
  readonly dryRun: boolean;
  /** Replayed and removed (in a dry run: would be). */
  readonly replayed: RedriveEntry[];
  /** Left in place: not a record, a record of another function, a success record. */
  readonly skipped: RedriveSkip[];
  /** Left in place: Lambda did not accept the replay. */
  readonly failed: RedriveSkip[];
}

/** `…:function:name:$LATEST` is invoked as `…:function:name`; versions and aliases stay qualified. */
export function invokableArn(functionArn: string): string {
  return functionArn.endsWith(':$LATEST') ? functionArn.slice(0, -':$LATEST'.length) : functionArn;
}

/**
 * Replays the `requestPayload` of failure records to the function asynchronously, oldest first as
 * the source hands them out, and removes each record only after Lambda accepted its replay (202).
 */
export async function redrive(source: RedriveSource, invoke: RedriveTarget, options: RedriveOptions): Promise<RedriveReport> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const interval = 1000 / options.ratePerSecond;
  const target = invokableArn(options.functionArn);
  const report: RedriveReport = { dryRun: options.dryRun, replayed: [], skipped: [], failed: [] };
  const handedBack: StoredRecord[] = [];
  let lastInvoke = -Infinity;

  /** Invokes at most ratePerSecond times a second; removes the record once Lambda accepted the event. */
  async function replay(stored: StoredRecord, record: InvocationRecord): Promise<boolean> {
    const wait = lastInvoke + interval - Date.now();
    if (wait > 0) await sleep(wait);
    lastInvoke = Date.now();
    let status: number;
    try {
      status = await invoke(target, JSON.stringify(record.requestPayload));
    } catch (error) {
      report.failed.push({ id: stored.id, reason: `Invoke failed: ${(error as Error).message}` });
      return false;
    }
    if (status !== 202) {
      report.failed.push({ id: stored.id, reason: `Invoke answered ${status}, not 202` });
      return false;
    }
    await source.remove(stored);
    return true;
  }

  try {
    while (report.replayed.length < options.maxCount) {
      const batch = await source.next(Math.min(10, options.maxCount - report.replayed.length));
      if (batch.length === 0) break;
      for (const stored of batch) {
        const record = replayable(stored, target, report);
        if (!record || report.replayed.length >= options.maxCount) {
          handedBack.push(stored);
        } else if (options.dryRun) {
          report.replayed.push(entry(stored, record));
          handedBack.push(stored);
        } else if (await replay(stored, record)) {
          report.replayed.push(entry(stored, record));
        } else {
          handedBack.push(stored);
        }
      }
    }
  } finally {
    for (const stored of handedBack) await source.release(stored);
  }
  return report;
}

/** The record in `stored` when it is a failure record of the target, else why not (in the report). */
function replayable(stored: StoredRecord, target: string, report: RedriveReport): InvocationRecord | undefined {
  let record: InvocationRecord;
  try {
    record = unwrapRecord(stored.body);
  } catch (error) {
    report.skipped.push({ id: stored.id, reason: (error as Error).message });
    return undefined;
  }
  if (record.requestContext.condition === 'Success') {
    report.skipped.push({ id: stored.id, reason: `a Success record (request ${record.requestContext.requestId}) has nothing to replay` });
    return undefined;
  }
  if (invokableArn(record.requestContext.functionArn) !== target) {
    report.skipped.push({ id: stored.id, reason: `a record of ${record.requestContext.functionArn}, not of ${target}` });
    return undefined;
  }
  return record;
}

function entry(stored: StoredRecord, record: InvocationRecord): RedriveEntry {
  return {
    id: stored.id,
    requestId: record.requestContext.requestId,
    condition: record.requestContext.condition,
    functionArn: record.requestContext.functionArn,
    requestPayload: record.requestPayload,
  };
}
