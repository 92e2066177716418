import { invalidParameter, LogsError, notFound } from './errors';
import { compileFilterPattern } from './filter-pattern';
import {
  checkLogGroupName, checkLogStreamName, LogEvent, LogGroup, LogStream, MAX_EVENTS_PER_STREAM, MAX_LOG_GROUPS, MAX_MESSAGE_BYTES,
  MAX_STREAMS_PER_GROUP, RETENTION_DAYS,
} from './model';

/** An event as put: when it happened and its text. */
export interface InputLogEvent {
  readonly timestamp: number;
  readonly message: string;
}

/** An event as read, with the stream it is in. */
export interface OutputLogEvent extends LogEvent {
  readonly logStreamName: string;
}

export interface GetLogEventsInput {
  readonly startTime?: number;
  readonly endTime?: number;
  readonly startFromHead?: boolean;
  readonly limit?: number;
  readonly nextToken?: string;
}

export interface FilterLogEventsInput {
  readonly logStreamNames?: readonly string[];
  readonly logStreamNamePrefix?: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly filterPattern?: string;
  readonly limit?: number;
  readonly nextToken?: string;
}

export interface GetLogEventsOutput {
  readonly events: LogEvent[];
  readonly nextForwardToken: string;
  readonly nextBackwardToken: string;
}

/** Largest `limit` of GetLogEvents and FilterLogEvents (also their default). */
const MAX_EVENTS_READ = 10_000;

/**
 * CloudWatch Logs: log groups, their streams and events, in memory and bounded (the newest
 * {@link MAX_EVENTS_PER_STREAM} events per stream, {@link MAX_STREAMS_PER_GROUP} streams per group;
 * what is dropped is counted in {@link LogGroup.dropped}).
 */
export class LogsService {
  public readonly groups = new Map<string, LogGroup>();

  /** CreateLogGroup: ResourceAlreadyExistsException when it exists. */
  public createLogGroup(name: string, retentionInDays?: number): LogGroup {
    checkLogGroupName(name);
    if (this.groups.has(name)) throw new LogsError('ResourceAlreadyExistsException', 'The specified log group already exists');
    if (retentionInDays !== undefined) checkRetention(retentionInDays);
    if (this.groups.size >= MAX_LOG_GROUPS) throw new LogsError('LimitExceededException', `the local cloud holds at most ${MAX_LOG_GROUPS} log groups`);
    const group: LogGroup = { name, creationTime: Date.now(), retentionInDays, streams: new Map(), dropped: 0 };
    this.groups.set(name, group);
    return group;
  }

  /** The group, created if it does not exist (as Lambda and CloudFormation find or create it). */
  public ensureLogGroup(name: string): LogGroup {
    return this.groups.get(checkLogGroupName(name)) ?? this.createLogGroup(name);
  }

  public deleteLogGroup(name: string): void {
    if (!this.groups.delete(checkLogGroupName(name))) throw notFound('The specified log group does not exist.');
  }

  public putRetentionPolicy(name: string, days: unknown): void {
    this.group(name).retentionInDays = checkRetention(days);
  }

  public deleteRetentionPolicy(name: string): void {
    this.group(name).retentionInDays = undefined;
  }

  public group(name: string): LogGroup {
    const g = this.groups.get(checkLogGroupName(name));
    if (!g) throw notFound('The specified log group does not exist.');
    return g;
  }

  public createLogStream(groupName: string, streamName: string): void {
    const g = this.group(groupName);
    checkLogStreamName(streamName);
    if (g.streams.has(streamName)) throw new LogsError('ResourceAlreadyExistsException', 'The specified log stream already exists');
    this.addStream(g, streamName);
  }

  /**
   * Stores events in a stream, creating the group and the stream if needed (how Lambda writes).
   * Messages longer than AWS's limit are cut; the oldest events of a full stream are dropped.
   */
  public put(groupName: string, streamName: string, events: readonly InputLogEvent[]): void {
    const g = this.ensureLogGroup(groupName);
    const s = g.streams.get(checkLogStreamName(streamName)) ?? this.addStream(g, streamName);
    this.append(g, s, events);
  }

  /** PutLogEvents: the group and the stream must exist. */
  public putLogEvents(groupName: string, streamName: string, events: readonly InputLogEvent[]): void {
    const g = this.group(groupName);
    const s = g.streams.get(checkLogStreamName(streamName));
    if (!s) throw notFound('The specified log stream does not exist.');
    this.append(g, s, events);
  }

  /** GetLogEvents: tokens `f/<seq>` (events from seq on) and `b/<seq>` (events before seq). */
  public getLogEvents(groupName: string, streamName: string, input: GetLogEventsInput): GetLogEventsOutput {
    const g = this.group(groupName);
    const s = g.streams.get(checkLogStreamName(streamName));
    if (!s) throw notFound('The specified log stream does not exist.');
    const limit = checkLimit(input.limit, MAX_EVENTS_READ);
    const inTime = (e: LogEvent) => (input.startTime === undefined || e.timestamp >= input.startTime)
      && (input.endTime === undefined || e.timestamp < input.endTime);
    let forward = input.startFromHead === true;
    let from = -Infinity;
    let before = Infinity;
    if (input.nextToken !== undefined) {
      const t = /^([fb])\/(\d+)$/.exec(input.nextToken);
      if (!t) throw invalidParameter(`The specified nextToken is invalid: ${input.nextToken}`);
      forward = t[1] === 'f';
      if (forward) from = Number(t[2]);
      else before = Number(t[2]);
    }
    const candidates = s.events.filter((e) => e.seq >= from && e.seq < before && inTime(e));
    const events = forward ? candidates.slice(0, limit) : candidates.slice(Math.max(0, candidates.length - limit));
    const first = events[0]?.seq ?? (forward ? (Number.isFinite(from) ? from : s.putCount) : (Number.isFinite(before) ? before : s.putCount));
    const next = events.length ? events[events.length - 1].seq + 1 : first;
    return { events, nextForwardToken: `f/${next}`, nextBackwardToken: `b/${first}` };
  }

  /**
   * FilterLogEvents: matching events of the group's streams, by timestamp; `nextToken` is the
   * position of the last event returned (timestamp, stream, seq), so a page never repeats one.
   */
  public filterLogEvents(groupName: string, input: FilterLogEventsInput): { events: OutputLogEvent[]; nextToken?: string } {
    const g = this.group(groupName);
    if (input.logStreamNames && input.logStreamNamePrefix !== undefined) {
      throw invalidParameter('logStreamNames and logStreamNamePrefix are mutually exclusive parameters.');
    }
    const matches = compileFilterPattern(input.filterPattern);
    const limit = checkLimit(input.limit, MAX_EVENTS_READ);
    const after = input.nextToken === undefined ? undefined : parseCursor(input.nextToken);
    const names = input.logStreamNames ? new Set(input.logStreamNames) : undefined;
    const out: OutputLogEvent[] = [];
    for (const s of g.streams.values()) {
      if (names && !names.has(s.name)) continue;
      if (input.logStreamNamePrefix !== undefined && !s.name.startsWith(input.logStreamNamePrefix)) continue;
      for (const e of s.events) {
        if (input.startTime !== undefined && e.timestamp < input.startTime) continue;
        if (input.endTime !== undefined && e.timestamp > input.endTime) continue;
        if (after && compare(e.timestamp, s.name, e.seq, after) <= 0) continue;
        if (matches(e.message)) out.push({ ...e, logStreamName: s.name });
      }
    }
    out.sort((a, b) => compare(a.timestamp, a.logStreamName, a.seq, b));
    const page = out.slice(0, limit);
    const last = page[page.length - 1];
    return { events: page, nextToken: out.length > limit ? cursor(last) : undefined };
  }

  /** Every group, by name. */
  public listGroups(prefix?: string): LogGroup[] {
    return [...this.groups.values()].filter((g) => prefix === undefined || g.name.startsWith(prefix))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private addStream(g: LogGroup, name: string): LogStream {
    if (g.streams.size >= MAX_STREAMS_PER_GROUP) {
      let oldest: LogStream | undefined;
      for (const s of g.streams.values()) {
        if (!oldest || (s.lastIngestionTime ?? s.creationTime) < (oldest.lastIngestionTime ?? oldest.creationTime)) oldest = s;
      }
      g.dropped += oldest!.events.length;
      g.streams.delete(oldest!.name);
    }
    const s: LogStream = { name, creationTime: Date.now(), events: [], putCount: 0, storedBytes: 0 };
    g.streams.set(name, s);
    return s;
  }

  private append(g: LogGroup, s: LogStream, events: readonly InputLogEvent[]): void {
    const now = Date.now();
    for (const e of events) {
      const message = cut(String(e.message));
      s.events.push({ timestamp: e.timestamp, message, ingestionTime: now, seq: s.putCount++ });
      s.storedBytes += Buffer.byteLength(message);
      s.firstEventTimestamp = Math.min(s.firstEventTimestamp ?? e.timestamp, e.timestamp);
      s.lastEventTimestamp = Math.max(s.lastEventTimestamp ?? e.timestamp, e.timestamp);
      if (s.events.length > MAX_EVENTS_PER_STREAM) {
        const old = s.events.shift()!;
        s.storedBytes -= Buffer.byteLength(old.message);
        g.dropped++;
      }
    }
    s.lastIngestionTime = now;
  }
}

function checkRetention(days: unknown): number {
  if (typeof days !== 'number' || !RETENTION_DAYS.includes(days)) {
    throw invalidParameter(`1 validation error detected: Value '${String(days)}' at 'retentionInDays' failed to satisfy constraint: `
      + `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
  }
  return days;
}

function checkLimit(limit: unknown, max: number): number {
  if (limit === undefined) return max;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > max) {
    throw invalidParameter(`1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must be from 1 to ${max}`);
  }
  return limit;
}

function cut(message: string): string {
  if (message.length * 3 <= MAX_MESSAGE_BYTES) return message;
  const b = Buffer.from(message);
  return b.length <= MAX_MESSAGE_BYTES ? message : b.subarray(0, MAX_MESSAGE_BYTES).toString('utf8');
}

interface Cursor {
  readonly timestamp: number;
  readonly logStreamName: string;
  readonly seq: number;
}

function compare(timestamp: number, stream: string, seq: number, b: Cursor): number {
  return timestamp - b.timestamp || (stream < b.logStreamName ? -1 : stream > b.logStreamName ? 1 : 0) || seq - b.seq;
}

function cursor(e: Cursor): string {
  return Buffer.from(JSON.stringify([e.timestamp, e.logStreamName, e.seq])).toString('base64url');
}

function parseCursor(token: string): Cursor {
  try {
    const [timestamp, logStreamName, seq] = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof timestamp === 'number' && typeof logStreamName === 'string' && typeof seq === 'number') return { timestamp, logStreamName, seq };
  } catch { /* below */ }
  throw invalidParameter(`The specified nextToken is invalid: ${token}`);
}
