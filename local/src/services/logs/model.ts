import { invalidParameter } from './errors';

/** One log event as stored. */
export interface LogEvent {
  /** when it happened (ms since the epoch) */
  readonly timestamp: number;
  readonly message: string;
  /** when the local cloud stored it (ms since the epoch) */
  readonly ingestionTime: number;
  /** position in its stream: increases by one per event ever put into the stream */
  readonly seq: number;
}

/** A log stream: the newest events only (see {@link MAX_EVENTS_PER_STREAM}), with a count of the rest. */
export interface LogStream {
  readonly name: string;
  readonly creationTime: number;
  /** oldest first */
  readonly events: LogEvent[];
  /** events ever put into the stream (kept or not): the next event's `seq` */
  putCount: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
}

/** A log group. */
export interface LogGroup {
  readonly name: string;
  readonly creationTime: number;
  retentionInDays?: number;
  readonly streams: Map<string, LogStream>;
  /** events no longer kept: pushed out of a full stream, or in a stream dropped from a full group */
  dropped: number;
}

/** Events kept per stream; older ones are dropped (and counted). */
export const MAX_EVENTS_PER_STREAM = 10_000;
/** Streams kept per group; the one written to least recently is dropped (its events counted). */
export const MAX_STREAMS_PER_GROUP = 1_000;
/** Log groups the local cloud holds at most (CreateLogGroup answers LimitExceededException beyond). */
export const MAX_LOG_GROUPS = 10_000;
/** AWS's largest event message (256 KB less the 26 bytes of overhead); longer messages are cut. */
export const MAX_MESSAGE_BYTES = 256 * 1024 - 26;

/** The retention periods `PutRetentionPolicy` accepts (days). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** The log group name rules (1–512 of `a-zA-Z0-9_-/.#`): throws InvalidParameterException naming the value. */
export function checkLogGroupName(name: unknown, member = 'logGroupName'): string {
  if (typeof name !== 'string' || !GROUP_NAME.test(name)) {
    throw invalidParameter(`1 validation error detected: Value '${String(name)}' at '${member}' failed to satisfy constraint: `
      + 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+ (1 to 512 characters)');
  }
  return name;
}

/** The log stream name rules (1–512 characters, no `:` or `*`). */
export function checkLogStreamName(name: unknown, member = 'logStreamName'): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 512 || /[:*]/.test(name)) {
    throw invalidParameter(`1 validation error detected: Value '${String(name)}' at '${member}' failed to satisfy constraint: `
      + 'Member must satisfy regular expression pattern: [^:*]* (1 to 512 characters)');
  }
  return name;
}

/**
 * A log group given by `logGroupName` or `logGroupIdentifier` (a name or an ARN,
 * `arn:aws:logs:<region>:<account>:log-group:<name>[:*]`), checked.
 */
export function groupNameOf(input: { logGroupName?: unknown; logGroupIdentifier?: unknown }): string {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (input.logGroupIdentifier !== undefined) {
    const id = String(input.logGroupIdentifier);
    const arn = /^arn:aws[a-z-]*:logs:[^:]*:\d*:log-group:([^:]+)(?::\*)?$/.exec(id);
    return checkLogGroupName(arn ? arn[1] : id, 'logGroupIdentifier');
  }
  if (input.logGroupName === undefined) throw invalidParameter('Either logGroupName or logGroupIdentifier must be specified');
  return checkLogGroupName(input.logGroupName);
}

/** `YYYY/MM/DD/[<version>]<32 hex>`: the name Lambda gives the stream of one execution environment. */
export function lambdaStreamName(created: Date, version: string, hex32: string): string {
  const d = created.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${d}/[${version}]${hex32}`;
}
