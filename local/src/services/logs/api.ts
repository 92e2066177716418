import * as http from 'node:http';
import { invalidParameter, LogsError } from './errors';
import { checkLogStreamName, groupNameOf, LogGroup, LogStream } from './model';
import { LogsService } from './service';
import { Request, send, sendJsonError, serializationError, serializationProblem } from '../../protocol';

/** `X-Amz-Target` prefix of the CloudWatch Logs API (awsJson1_1). */
export const LOGS_TARGET_PREFIX = 'Logs_20140328.';

const MEMBERS = {
  logGroupName: 'string',
  logGroupIdentifier: 'string',
  logGroupNamePrefix: 'string',
  logStreamName: 'string',
  logStreamNamePrefix: 'string',
  logStreamNames: 'array',
  filterPattern: 'string',
  nextToken: 'string',
  orderBy: 'string',
  logEvents: 'array',
  limit: 'number',
  startTime: 'number',
  endTime: 'number',
  retentionInDays: 'number',
} as const;

/** Largest `limit` of DescribeLogGroups and DescribeLogStreams (also their default). */
const MAX_DESCRIBED = 50;

/**
 * The CloudWatch Logs API (awsJson1_1, `X-Amz-Target: Logs_20140328.<Action>`): log groups,
 * streams and events over {@link LogsService}; any other action is an `UnknownOperationException`
 * naming it.
 */
export class LogsApi {
  constructor(private readonly logs: LogsService, private readonly region: string, private readonly accountId: string) {}

  public handle(req: Request, res: http.ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith(LOGS_TARGET_PREFIX) ? target.slice(LOGS_TARGET_PREFIX.length) : target;
    let input: any;
    try {
      input = JSON.parse(req.body.toString('utf8') || '{}');
    } catch {
      return sendJsonError(res, serializationError('request body is not JSON'));
    }
    const problem = serializationProblem(input, MEMBERS);
    if (problem) return sendJsonError(res, serializationError(problem));
    try {
      const out = this.run(action, input);
      send(res, 200, JSON.stringify(out ?? {}), { 'Content-Type': 'application/x-amz-json-1.1' });
    } catch (e) {
      if (e instanceof LogsError) return sendJsonError(res, e);
      throw e;
    }
  }

  private run(action: string, input: any): object | undefined {
    switch (action) {
      case 'CreateLogGroup':
        this.logs.createLogGroup(groupNameOf(input));
        return undefined;
      case 'DeleteLogGroup':
        this.logs.deleteLogGroup(groupNameOf(input));
        return undefined;
      case 'PutRetentionPolicy':
        this.logs.putRetentionPolicy(groupNameOf(input), input.retentionInDays);
        return undefined;
      case 'DeleteRetentionPolicy':
        this.logs.deleteRetentionPolicy(groupNameOf(input));
        return undefined;
      case 'CreateLogStream':
        this.logs.createLogStream(groupNameOf(input), input.logStreamName);
        return undefined;
      case 'PutLogEvents': {
        const events = (input.logEvents ?? []).map((e: any) => {
          if (!e || typeof e.timestamp !== 'number' || typeof e.message !== 'string') throw invalidParameter('each of logEvents needs a numeric timestamp and a message');
          return { timestamp: e.timestamp, message: e.message };
        });
        this.logs.putLogEvents(groupNameOf(input), checkLogStreamName(input.logStreamName), events);
        return { nextSequenceToken: undefined };
      }
      case 'DescribeLogGroups':
        return this.describeLogGroups(input);
      case 'DescribeLogStreams':
        return this.describeLogStreams(input);
      case 'GetLogEvents': {
        const out = this.logs.getLogEvents(groupNameOf(input), checkLogStreamName(input.logStreamName), input);
        return {
          events: out.events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
          nextForwardToken: out.nextForwardToken,
          nextBackwardToken: out.nextBackwardToken,
        };
      }
      case 'FilterLogEvents': {
        const streams = input.logStreamNames as unknown[] | undefined;
        if (streams && !streams.every((s) => typeof s === 'string')) throw invalidParameter('logStreamNames must be a list of strings');
        const out = this.logs.filterLogEvents(groupNameOf(input), input);
        return {
          events: out.events.map((e) => ({
            logStreamName: e.logStreamName,
            timestamp: e.timestamp,
            message: e.message,
            ingestionTime: e.ingestionTime,
            eventId: `${e.timestamp}${String(e.seq).padStart(12, '0')}`,
          })),
          searchedLogStreams: [],
          nextToken: out.nextToken,
        };
      }
      default:
        throw new LogsError('UnknownOperationException', `the local cloud does not implement CloudWatch Logs ${action || '(no X-Amz-Target)'}`);
    }
  }

  private describeLogGroups(input: any): object {
    const groups = this.logs.listGroups(input.logGroupNamePrefix);
    const { page, nextToken } = paginate(groups, (g) => g.name, input);
    return { logGroups: page.map((g) => this.groupJson(g)), nextToken };
  }

  private describeLogStreams(input: any): object {
    const group = this.logs.group(groupNameOf(input));
    const orderBy = input.orderBy ?? 'LogStreamName';
    if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
      throw invalidParameter(`1 validation error detected: Value '${orderBy}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`);
    }
    if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) {
      throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
    }
    const key = orderBy === 'LogStreamName'
      ? (s: LogStream) => s.name
      : (s: LogStream) => `${String(s.lastEventTimestamp ?? 0).padStart(16, '0')}|${s.name}`;
    let streams = [...group.streams.values()].filter((s) => input.logStreamNamePrefix === undefined || s.name.startsWith(input.logStreamNamePrefix));
    streams.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    if (input.descending === true) streams = streams.reverse();
    const { page, nextToken } = paginate(streams, key, input, input.descending === true);
    return {
      logStreams: page.map((s) => ({
        logStreamName: s.name,
        creationTime: s.creationTime,
        firstEventTimestamp: s.firstEventTimestamp,
        lastEventTimestamp: s.lastEventTimestamp,
        lastIngestionTime: s.lastIngestionTime,
        uploadSequenceToken: '0',
        arn: `${this.groupArn(group)}:log-stream:${s.name}`,
        storedBytes: s.storedBytes,
      })),
      nextToken,
    };
  }

  private groupArn(g: LogGroup): string {
    return `arn:aws:logs:${this.region}:${this.accountId}:log-group:${g.name}`;
  }

  private groupJson(g: LogGroup): object {
    let storedBytes = 0;
    for (const s of g.streams.values()) storedBytes += s.storedBytes;
    return {
      logGroupName: g.name,
      creationTime: g.creationTime,
      retentionInDays: g.retentionInDays,
      metricFilterCount: 0,
      arn: `${this.groupArn(g)}:*`,
      logGroupArn: this.groupArn(g),
      storedBytes,
      logGroupClass: 'STANDARD',
    };
  }
}

/** A page of a sorted list: `nextToken` is the key of the last item returned. */
function paginate<T>(items: T[], key: (t: T) => string, input: any, descending = false): { page: T[]; nextToken?: string } {
  const limit = input.limit ?? MAX_DESCRIBED;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_DESCRIBED) {
    throw invalidParameter(`1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must be from 1 to ${MAX_DESCRIBED}`);
  }
  let rest = items;
  if (input.nextToken !== undefined) {
    let after: string;
    try {
      after = Buffer.from(String(input.nextToken), 'base64url').toString('utf8');
    } catch {
      throw invalidParameter(`The specified nextToken is invalid: ${input.nextToken}`);
    }
    rest = items.filter((t) => (descending ? key(t) < after : key(t) > after));
  }
  const page = rest.slice(0, limit);
  return { page, nextToken: rest.length > limit ? Buffer.from(key(page[page.length - 1])).toString('base64url') : undefined };
}
