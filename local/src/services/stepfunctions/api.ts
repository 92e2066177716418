import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { InvalidDefinitionError } from './error-handling';
import { internalFailure, invalidDefinition, invalidExecutionInput, invalidName, invalidToken, missingMember, unknownOperation, validationException } from './errors';
import { HistoryEvent } from './interpreter';
import { EXECUTION_STATUSES, ExecutionRecord, StateMachine, validExecutionName } from './model';
import { StepFunctionsService } from './service';
import { ApiError, Request, send, serializationError } from '../../protocol';

/** `X-Amz-Target` prefix of the Step Functions API (awsJson 1.0). */
export const STATES_TARGET_PREFIX = 'AWSStepFunctions.';

/** A handled AWS JSON 1.0 response: HTTP status and JSON body. */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The Step Functions API (awsJson 1.0, `X-Amz-Target: AWSStepFunctions.<Op>`) over
 * {@link StepFunctionsService}: executions and state machines. It checks every member's type and
 * answers errors as `{ __type, message }`; a bad request never throws.
 */
export class StepFunctionsApi {
  constructor(private readonly sfn: StepFunctionsService) {}

  /** Answers one HTTP request. */
  public async handle(req: Request, res: http.ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.startsWith(STATES_TARGET_PREFIX) ? target.slice(STATES_TARGET_PREFIX.length) : target;
    const out = await this.operation(op, req.body);
    send(res, out.status, JSON.stringify(out.body), { 'Content-Type': 'application/x-amz-json-1.0' });
  }

  /** Handles one operation (`op` is the part after `AWSStepFunctions.`); `body` is the parsed JSON (or its text). */
  public async operation(op: string, body: unknown): Promise<ApiResponse> {
    try {
      const req = parseBody(body);
      switch (op) {
        case 'StartExecution': return ok(this.startExecution(req));
        case 'DescribeExecution': return ok(this.describeExecution(req));
        case 'StopExecution': return ok(this.stopExecution(req));
        case 'ListExecutions': return ok(this.listExecutions(req));
        case 'GetExecutionHistory': return ok(this.getExecutionHistory(req));
        case 'DescribeStateMachine': return ok(this.describeStateMachine(req));
        case 'DescribeStateMachineForExecution': return ok(this.describeStateMachineForExecution(req));
        case 'ListStateMachines': return ok(this.listStateMachines(req));
        default: throw unknownOperation(op);
      }
    } catch (e) {
      const error = e instanceof ApiError ? e
        : e instanceof InvalidDefinitionError ? invalidDefinition(e)
          : internalFailure(String((e as Error)?.message ?? e));
      return { status: error.status, body: { __type: error.code, message: error.message } };
    }
  }

  private startExecution(req: Record<string, unknown>): unknown {
    const sm = this.machine(req.stateMachineArn);
    const name = req.name === undefined ? randomUUID() : req.name;
    if (typeof name !== 'string' || !validExecutionName(name)) throw invalidName(String(name));
    if (req.input !== undefined && typeof req.input !== 'string') throw invalidExecutionInput('input must be a JSON string');
    const r = this.sfn.startExecution(sm, name, req.input ?? '{}');
    return { executionArn: r.arn, startDate: epoch(r.execution.startDate) };
  }

  private describeExecution(req: Record<string, unknown>): unknown {
    const r = this.record(req.executionArn);
    const e = r.execution;
    return dropUndefined({
      executionArn: r.arn,
      stateMachineArn: r.stateMachine.arn,
      name: r.name,
      status: e.status,
      startDate: epoch(e.startDate),
      stopDate: e.stopDate ? epoch(e.stopDate) : undefined,
      input: r.inputString,
      inputDetails: { included: true },
      output: e.status === 'SUCCEEDED' ? JSON.stringify(e.output ?? null) : undefined,
      outputDetails: e.status === 'SUCCEEDED' ? { included: true } : undefined,
      error: e.status === 'SUCCEEDED' ? undefined : e.error,
      cause: e.status === 'SUCCEEDED' ? undefined : e.cause,
    });
  }

  private stopExecution(req: Record<string, unknown>): unknown {
    const r = this.record(req.executionArn);
    for (const f of ['error', 'cause'] as const) {
      if (req[f] !== undefined && typeof req[f] !== 'string') throw validationException(`${f} must be a string`);
    }
    return { stopDate: epoch(this.sfn.stopExecution(r, req.error as string | undefined, req.cause as string | undefined)) };
  }

  private listExecutions(req: Record<string, unknown>): unknown {
    const sm = this.machine(req.stateMachineArn);
    if (req.statusFilter !== undefined && !(EXECUTION_STATUSES as readonly unknown[]).includes(req.statusFilter)) {
      throw validationException(`1 validation error detected: Value '${String(req.statusFilter)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${EXECUTION_STATUSES.join(', ')}]`);
    }
    const { items, nextToken } = page(this.sfn.executionsOf(sm, req.statusFilter as string | undefined), req);
    return dropUndefined({
      executions: items.map((r) => dropUndefined({
        executionArn: r.arn,
        stateMachineArn: sm.arn,
        name: r.name,
        status: r.execution.status,
        startDate: epoch(r.execution.startDate),
        stopDate: r.execution.stopDate ? epoch(r.execution.stopDate) : undefined,
      })),
      nextToken,
    });
  }

  private getExecutionHistory(req: Record<string, unknown>): unknown {
    const r = this.record(req.executionArn);
    const includeData = req.includeExecutionData !== false;
    let events = r.execution.history.map((h) => historyEvent(h, includeData));
    if (req.reverseOrder === true) events = events.reverse();
    const { items, nextToken } = page(events, req);
    return dropUndefined({ events: items, nextToken });
  }

  private describeStateMachine(req: Record<string, unknown>): unknown {
    return describeMachine(this.machine(req.stateMachineArn));
  }

  private describeStateMachineForExecution(req: Record<string, unknown>): unknown {
    const sm = this.record(req.executionArn).stateMachine;
    return { ...describeMachine(sm), updateDate: epoch(sm.creationDate) };
  }

  private listStateMachines(req: Record<string, unknown>): unknown {
    const { items, nextToken } = page(this.sfn.stateMachines(), req);
    return dropUndefined({
      stateMachines: items.map((sm) => ({ stateMachineArn: sm.arn, name: sm.name, type: 'STANDARD', creationDate: epoch(sm.creationDate) })),
      nextToken,
    });
  }

  private machine(arn: unknown): StateMachine {
    if (typeof arn !== 'string' || arn === '') throw missingMember('stateMachineArn');
    return this.sfn.stateMachine(arn);
  }

  private record(arn: unknown): ExecutionRecord {
    if (typeof arn !== 'string' || arn === '') throw missingMember('executionArn');
    return this.sfn.executionRecord(arn);
  }
}

function describeMachine(sm: StateMachine): Record<string, unknown> {
  return {
    stateMachineArn: sm.arn,
    name: sm.name,
    status: 'ACTIVE',
    definition: sm.definitionString,
    roleArn: sm.roleArn,
    type: 'STANDARD',
    creationDate: epoch(sm.creationDate),
    loggingConfiguration: { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: { enabled: false },
  };
}

function historyEvent(h: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const key = h.type.endsWith('StateEntered') ? 'stateEnteredEventDetails'
    : h.type.endsWith('StateExited') ? 'stateExitedEventDetails'
      : `${h.type[0].toLowerCase()}${h.type.slice(1)}EventDetails`;
  let details = h.details;
  if (details && !includeData) {
    details = Object.fromEntries(Object.entries(details).filter(([k]) => !['input', 'output'].includes(k)));
  }
  return dropUndefined({
    timestamp: epoch(h.timestamp),
    type: h.type,
    id: h.id,
    previousEventId: h.previousEventId,
    [key]: details ? dropUndefined(details) : undefined,
  });
}

function page<T>(all: readonly T[], req: Record<string, unknown>): { items: T[]; nextToken?: string } {
  const max = req.maxResults === undefined || req.maxResults === 0 ? 100 : req.maxResults;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0 || max > 1000) {
    throw validationException('maxResults must be an integer between 0 and 1000');
  }
  let start = 0;
  if (req.nextToken !== undefined) {
    const n = typeof req.nextToken === 'string' ? Number(Buffer.from(req.nextToken, 'base64').toString('utf8')) : NaN;
    if (!Number.isInteger(n) || n < 0) throw invalidToken(req.nextToken);
    start = n;
  }
  const items = all.slice(start, start + max);
  const end = start + items.length;
  return { items, nextToken: end < all.length ? Buffer.from(String(end)).toString('base64') : undefined };
}

function parseBody(body: unknown): Record<string, unknown> {
  let v = body;
  if (Buffer.isBuffer(v)) v = v.toString('utf8');
  if (typeof v === 'string') {
    if (v.trim() === '') return {};
    try {
      v = JSON.parse(v);
    } catch {
      throw serializationError('The request body is not valid JSON');
    }
  }
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw serializationError('The request body must be a JSON object');
  return v as Record<string, unknown>;
}

function ok(body: unknown): ApiResponse {
  return { status: 200, body };
}

/** AWS JSON protocol timestamp: epoch seconds (with milliseconds as the fraction). */
function epoch(d: Date): number {
  return d.getTime() / 1000;
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
