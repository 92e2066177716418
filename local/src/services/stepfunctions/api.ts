import { randomUUID } from 'node:crypto';
import { parseDefinition, StateMachineDefinition } from './definition';
import { InvalidDefinitionError } from './error-handling';
import { Execution, HistoryEvent, RunnerOptions, StateMachineRunner } from './interpreter';

/** A handled AWS JSON 1.0 response: HTTP status and JSON body. */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

interface StateMachine {
  readonly arn: string;
  readonly name: string;
  readonly definitionString: string;
  readonly definition: StateMachineDefinition;
  readonly roleArn: string;
  readonly creationDate: Date;
}

interface ExecutionRecord {
  readonly arn: string;
  readonly name: string;
  readonly stateMachine: StateMachine;
  readonly inputString: string;
  readonly execution: Execution;
}

/** An AWS JSON error response. */
class ApiError extends Error {
  constructor(public readonly type: string, message: string, public readonly status = 400) {
    super(message);
  }
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:([A-Za-z0-9_-]{1,80})$/;
const EXECUTION_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:execution:[A-Za-z0-9_-]{1,80}:[^\s]{1,80}$/;
const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;
const MAX_INPUT = 256 * 1024;

/**
 * The local Step Functions service: state machines created by the deployer, executions run by
 * {@link StateMachineRunner}, and the AWS JSON 1.0 handlers for `X-Amz-Target: AWSStepFunctions.<Op>`.
 */
export class StepFunctionsService {
  private readonly runner: StateMachineRunner;
  private readonly machines = new Map<string, StateMachine>();
  private readonly executions = new Map<string, ExecutionRecord>();

  constructor(private readonly opts: RunnerOptions) {
    this.runner = new StateMachineRunner(opts);
  }

  /**
   * Creates (or updates, keeping the creation date) a STANDARD state machine.
   * Throws {@link InvalidDefinitionError} when the definition is invalid or unsupported.
   */
  public createStateMachine(arn: string, name: string, definition: string, roleArn: string): void {
    if (!STATE_MACHINE_ARN.test(arn)) throw new Error(`invalid state machine ARN '${arn}'`);
    const parsed = parseDefinition(definition);
    const previous = this.machines.get(arn);
    this.machines.set(arn, {
      arn,
      name,
      roleArn,
      definitionString: definition,
      definition: parsed,
      creationDate: previous?.creationDate ?? this.now(),
    });
  }

  /** Deletes a state machine, stopping its running executions. */
  public deleteStateMachine(arn: string): void {
    if (!this.machines.delete(arn)) return;
    for (const r of this.executions.values()) {
      if (r.stateMachine.arn === arn) r.execution.stop('States.Aborted', 'The state machine was deleted');
    }
  }

  /** The execution behind an ARN (for the local cloud's own use, e.g. waiting for it in tests). */
  public execution(executionArn: string): Execution | undefined {
    return this.executions.get(executionArn)?.execution;
  }

  /** Resolves once no execution is running. */
  public idle(): Promise<void> {
    return this.runner.idle();
  }

  /** Aborts all running executions and clears every timer. */
  public dispose(): void {
    this.runner.dispose();
  }

  /** Handles one operation (`op` is the part after `AWSStepFunctions.`); `body` is the parsed JSON (or its text). */
  public async handle(op: string, body: unknown): Promise<ApiResponse> {
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
        default:
          throw new ApiError('UnknownOperationException', `Operation ${op} is not supported by the local Step Functions service`);
      }
    } catch (e) {
      if (e instanceof ApiError) return { status: e.status, body: { __type: e.type, message: e.message } };
      if (e instanceof InvalidDefinitionError) return { status: 400, body: { __type: 'InvalidDefinition', message: e.message } };
      return { status: 500, body: { __type: 'InternalFailure', message: String((e as Error)?.message ?? e) } };
    }
  }

  private startExecution(req: Record<string, unknown>): unknown {
    const sm = this.machine(req.stateMachineArn);
    const name = req.name === undefined ? randomUUID() : req.name;
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new ApiError('InvalidName', `Invalid Name: '${String(name)}'`);
    }
    if (req.input !== undefined && typeof req.input !== 'string') {
      throw new ApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: input must be a JSON string');
    }
    const inputString = req.input ?? '{}';
    if (Buffer.byteLength(inputString) > MAX_INPUT) {
      throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: input exceeds ${MAX_INPUT} bytes`);
    }
    let input: unknown;
    try {
      input = JSON.parse(inputString);
    } catch (e: any) {
      throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${e.message}'`);
    }
    const arn = executionArnOf(sm.arn, name);
    const existing = this.executions.get(arn);
    if (existing) {
      // Step Functions: same name and input as a running execution is idempotent; anything else is a conflict
      if (existing.execution.status === 'RUNNING' && existing.inputString === inputString) {
        return { executionArn: arn, startDate: epoch(existing.execution.startDate) };
      }
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution = this.runner.start(sm.definition, input, {
      executionArn: arn, name, stateMachineArn: sm.arn, stateMachineName: sm.name, roleArn: sm.roleArn,
    });
    this.executions.set(arn, { arn, name, stateMachine: sm, inputString, execution });
    return { executionArn: arn, startDate: epoch(execution.startDate) };
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
      if (req[f] !== undefined && typeof req[f] !== 'string') throw new ApiError('ValidationException', `${f} must be a string`);
    }
    r.execution.stop(req.error as string | undefined, req.cause as string | undefined);
    return { stopDate: epoch(r.execution.stopDate ?? this.now()) };
  }

  private listExecutions(req: Record<string, unknown>): unknown {
    const sm = this.machine(req.stateMachineArn);
    const statuses = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
    if (req.statusFilter !== undefined && !statuses.includes(req.statusFilter as string)) {
      throw new ApiError('ValidationException', `1 validation error detected: Value '${String(req.statusFilter)}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${statuses.join(', ')}]`);
    }
    const all = [...this.executions.values()]
      .filter((r) => r.stateMachine.arn === sm.arn && (req.statusFilter === undefined || r.execution.status === req.statusFilter))
      .reverse(); // newest first
    const { items, nextToken } = page(all, req);
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
    const { items, nextToken } = page([...this.machines.values()], req);
    return dropUndefined({
      stateMachines: items.map((sm) => ({ stateMachineArn: sm.arn, name: sm.name, type: 'STANDARD', creationDate: epoch(sm.creationDate) })),
      nextToken,
    });
  }

  private machine(arn: unknown): StateMachine {
    if (typeof arn !== 'string' || arn === '') throw new ApiError('ValidationException', '1 validation error detected: Value null at \'stateMachineArn\' failed to satisfy constraint: Member must not be null');
    if (!STATE_MACHINE_ARN.test(arn)) throw new ApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
    const sm = this.machines.get(arn);
    if (!sm) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return sm;
  }

  private record(arn: unknown): ExecutionRecord {
    if (typeof arn !== 'string' || arn === '') throw new ApiError('ValidationException', '1 validation error detected: Value null at \'executionArn\' failed to satisfy constraint: Member must not be null');
    if (!EXECUTION_ARN.test(arn)) throw new ApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
    const r = this.executions.get(arn);
    if (!r) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return r;
  }

  private now(): Date {
    return this.opts.now ? this.opts.now() : new Date();
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

/** `arn:aws:states:R:A:stateMachine:SM` + name → `arn:aws:states:R:A:execution:SM:name` */
export function executionArnOf(stateMachineArn: string, name: string): string {
  const parts = stateMachineArn.split(':');
  return [...parts.slice(0, 5), 'execution', parts[6], name].join(':');
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
    throw new ApiError('ValidationException', 'maxResults must be an integer between 0 and 1000');
  }
  let start = 0;
  if (req.nextToken !== undefined) {
    const n = typeof req.nextToken === 'string' ? Number(Buffer.from(req.nextToken, 'base64').toString('utf8')) : NaN;
    if (!Number.isInteger(n) || n < 0) throw new ApiError('InvalidToken', `Invalid Token: '${String(req.nextToken)}'`);
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
      throw new ApiError('SerializationException', 'The request body is not valid JSON');
    }
  }
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ApiError('SerializationException', 'The request body must be a JSON object');
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
