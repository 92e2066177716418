import * as http from 'node:http';
import { EventsApiError, unknownOperation } from './errors';
import { EventRule, PutEventsEntry } from './model';
import { compilePattern, InvalidEventPatternError } from './pattern';
import { EventBridgeService } from './service';
import { ApiError, Request, send, sendJsonError, serializationError, serializationProblem } from '../../protocol';

const CONTENT_TYPE = { 'Content-Type': 'application/x-amz-json-1.1' };

/** Fields TestEventPattern requires in the event (AWS's docs list `resources` too; AWS does not require it). */
const REQUIRED_EVENT_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'];

function describeRule(r: EventRule): Record<string, unknown> {
  return {
    Name: r.name,
    Arn: r.arn,
    EventPattern: r.eventPattern,
    ScheduleExpression: r.scheduleExpression,
    State: r.state,
    Description: r.description,
    EventBusName: r.busName,
  };
}

/**
 * EventBridge (AWS JSON 1.1, `X-Amz-Target: AWSEvents.<Op>`): PutEvents, TestEventPattern, ListRules,
 * DescribeRule, ListTargetsByRule, DescribeEventBus, ListEventBuses.
 */
export class EventsApi {
  constructor(private readonly events: EventBridgeService) {}

  public async handle(req: Request, res: http.ServerResponse): Promise<void> {
    const op = String(req.headers['x-amz-target'] ?? '').replace(/^AWSEvents\./, '');
    let input: Record<string, any>;
    try {
      input = req.body.length ? JSON.parse(req.body.toString('utf8')) : {};
    } catch {
      return sendJsonError(res, serializationError('Start of structure or map found where not expected.'), CONTENT_TYPE);
    }
    const problem = serializationProblem(input, {
      Entries: 'array', EventBusName: 'string', Name: 'string', Rule: 'string', NamePrefix: 'string', EventPattern: 'string', Event: 'string',
    }) ?? (Array.isArray(input.Entries) && input.Entries.some((e: unknown) => !e || typeof e !== 'object' || Array.isArray(e))
      ? 'Entries: each entry must be a structure' : undefined);
    if (problem) return sendJsonError(res, serializationError(problem), CONTENT_TYPE);
    const ok = (v: unknown) => send(res, 200, JSON.stringify(v), CONTENT_TYPE);
    try {
      switch (op) {
        case 'PutEvents': {
          const entries: PutEventsEntry[] = input.Entries ?? [];
          if (entries.length < 1 || entries.length > 10) {
            throw new EventsApiError('ValidationException', `1 validation error detected: Value '[${entries.length === 0 ? '' : '...'}]' at 'entries' failed to satisfy constraint: Member must have length ${entries.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 10'}`);
          }
          const results = await this.events.putEvents(entries);
          return ok({ FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results });
        }
        case 'TestEventPattern': {
          const pattern = compilePattern(String(input.EventPattern ?? ''));
          let event: unknown;
          try {
            event = JSON.parse(String(input.Event ?? ''));
          } catch {
            throw new EventsApiError('ValidationException', 'Parameter Event is not valid.');
          }
          if (event === null || typeof event !== 'object' || Array.isArray(event) || !REQUIRED_EVENT_FIELDS.every((f) => f in event)) {
            throw new EventsApiError('ValidationException', 'Parameter Event is not valid.');
          }
          return ok({ Result: pattern.matches(event) });
        }
        case 'ListRules': {
          const bus = this.events.requireBus(input.EventBusName);
          const rules = [...bus.rules.values()].filter((r) => !input.NamePrefix || r.name.startsWith(input.NamePrefix))
            .sort((a, b) => a.name.localeCompare(b.name));
          return ok({ Rules: rules.map(describeRule) });
        }
        case 'DescribeRule':
          return ok({ ...describeRule(this.events.rule(String(input.Name), input.EventBusName)), CreatedBy: undefined });
        case 'ListTargetsByRule':
          return ok({ Targets: this.events.rule(String(input.Rule), input.EventBusName).targets });
        case 'DescribeEventBus': {
          const bus = this.events.requireBus(input.Name);
          return ok({ Name: bus.name, Arn: bus.arn });
        }
        case 'ListEventBuses':
          return ok({
            EventBuses: [...this.events.buses.values()]
              .filter((b) => !input.NamePrefix || b.name.startsWith(input.NamePrefix))
              .map((b) => ({ Name: b.name, Arn: b.arn })),
          });
        default:
          return sendJsonError(res, unknownOperation(op), CONTENT_TYPE);
      }
    } catch (e) {
      if (e instanceof InvalidEventPatternError) return sendJsonError(res, new ApiError(e.code, e.message), CONTENT_TYPE);
      if (e instanceof EventsApiError) return sendJsonError(res, e, CONTENT_TYPE);
      throw e;
    }
  }
}
