import { evaluateRule } from './choice';
import { Catcher, LAMBDA_INVOKE_RESOURCES, parseDefinition, Retrier, State, StateMachineDefinition } from './definition';
import { errorMatches, StatesError, StatesErrors } from './error-handling';
import { applyResultPath, clone, readPath, resolveTemplate } from './jsonpath';

/** What invoking a Lambda function synchronously produced: its (parsed JSON) result, or its error. */
export type LambdaInvokeResult = { readonly payload: unknown } | { readonly error: string; readonly cause: string };

/**
 * Invokes a Lambda function synchronously (RequestResponse). `functionArn` is the Task's `Resource`, or, for
 * `arn:aws:states:::lambda:invoke`, `Parameters.FunctionName` (name, partial or full ARN; `:Qualifier` appended
 * when `Parameters.Qualifier` is given). `payload` is the JSON value to send.
 *
 * A function error must come back as `{ error: errorType, cause: JSON.stringify({ errorType, errorMessage, trace }) }`
 * (see `lambdaFailure`); a rejected promise is treated as a Lambda service error.
 */
export type LambdaInvoker = (functionArn: string, payload: unknown) => Promise<LambdaInvokeResult>;

export interface RunnerOptions {
  readonly invokeLambda: LambdaInvoker;
  /** Every wait (Retry interval, Wait state) sleeps `seconds * 1000 * timeScale` ms. */
  readonly timeScale: number;
  /** Clock for dates (startDate, stopDate, `$$.State.EnteredTime`, Wait `Timestamp`). Default: `new Date()`. */
  readonly now?: () => Date;
  /**
   * Scale for deadlines on real work: Task `TimeoutSeconds` and the machine's top-level `TimeoutSeconds`
   * (they bound Lambda run time, which is not scaled). Default 1.
   */
  readonly timeoutScale?: number;
  /** Random source for `JitterStrategy: FULL` (default Math.random). */
  readonly random?: () => number;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionIdentity {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly roleArn?: string;
}

export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: Date;
  /** AWS history event type, e.g. `TaskStateEntered`, `LambdaFunctionFailed`, `ExecutionSucceeded` */
  readonly type: string;
  readonly details?: Record<string, unknown>;
}

/** How an execution ended. */
export interface ExecutionOutcome {
  readonly status: Exclude<ExecutionStatus, 'RUNNING'>;
  /** the execution's output (SUCCEEDED only) */
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly stopDate: Date;
}

const ABORTED = Symbol('aborted');

interface StepResult {
  readonly output: unknown;
  /** next state, or undefined when the execution ends here */
  readonly next?: string;
}

/** One running (or finished) execution of a state machine. */
export class Execution {
  public status: ExecutionStatus = 'RUNNING';
  public readonly startDate: Date;
  public stopDate?: Date;
  public output?: unknown;
  public error?: string;
  public cause?: string;
  public readonly history: HistoryEvent[] = [];
  /** Resolves (never rejects) when the execution has ended, however it ended. */
  public readonly done: Promise<ExecutionOutcome>;

  private resolveDone!: (o: ExecutionOutcome) => void;
  private readonly timers = new Set<{ timer: NodeJS.Timeout; reject: (e: unknown) => void }>();
  private readonly abortWaiters = new Set<(e: unknown) => void>();
  private aborted = false;
  private executionTimer?: NodeJS.Timeout;
  private readonly context: Record<string, any>;

  constructor(
    private readonly definition: StateMachineDefinition,
    public readonly input: unknown,
    public readonly identity: ExecutionIdentity,
    private readonly opts: RunnerOptions,
  ) {
    this.startDate = this.now();
    this.done = new Promise((resolve) => { this.resolveDone = resolve; });
    this.context = {
      Execution: {
        Id: identity.executionArn,
        Input: clone(input),
        Name: identity.name,
        RoleArn: identity.roleArn,
        StartTime: this.startDate.toISOString(),
      },
      StateMachine: { Id: identity.stateMachineArn, Name: identity.stateMachineName },
      State: {},
    };
  }

  /** Stops a running execution: ABORTED, timers cleared, in-flight task results ignored. No-op once ended. */
  public stop(error?: string, cause?: string): void {
    if (this.status !== 'RUNNING') return;
    this.settle({ status: 'ABORTED', error, cause, stopDate: this.now() }, 'ExecutionAborted');
  }

  /** @internal starts the execution's loop (called by the runner). */
  public begin(): void {
    this.event('ExecutionStarted', { input: JSON.stringify(this.input), roleArn: this.identity.roleArn });
    const timeout = this.definition.TimeoutSeconds;
    if (timeout !== undefined) {
      // not a sleep of the execution: it is what ends the execution
      this.executionTimer = setTimeout(() => {
        this.executionTimer = undefined;
        this.settle({
          status: 'TIMED_OUT',
          error: StatesErrors.Timeout,
          cause: `The execution timed out after ${timeout} seconds`,
          stopDate: this.now(),
        }, 'ExecutionTimedOut');
      }, timeout * 1000 * (this.opts.timeoutScale ?? 1));
    }
    this.loop().then(
      (output) => this.settle({ status: 'SUCCEEDED', output, stopDate: this.now() }, 'ExecutionSucceeded'),
      (e) => {
        if (e === ABORTED) return;
        const err = e instanceof StatesError ? e : new StatesError(StatesErrors.Runtime, String(e?.message ?? e));
        this.settle({ status: 'FAILED', error: err.error || undefined, cause: err.cause || undefined, stopDate: this.now() }, 'ExecutionFailed');
      },
    );
  }

  private settle(outcome: ExecutionOutcome, eventType: string): void {
    if (this.status !== 'RUNNING') return;
    this.status = outcome.status;
    this.stopDate = outcome.stopDate;
    this.output = outcome.output;
    this.error = outcome.error;
    this.cause = outcome.cause;
    this.event(eventType, outcome.status === 'SUCCEEDED'
      ? { output: JSON.stringify(outcome.output ?? null) }
      : { error: outcome.error, cause: outcome.cause });
    this.abortAll();
    this.resolveDone(outcome);
  }

  private abortAll(): void {
    this.aborted = true;
    if (this.executionTimer) clearTimeout(this.executionTimer);
    this.executionTimer = undefined;
    for (const t of this.timers) {
      clearTimeout(t.timer);
      t.reject(ABORTED);
    }
    this.timers.clear();
    for (const w of this.abortWaiters) w(ABORTED);
    this.abortWaiters.clear();
  }

  private now(): Date {
    return this.opts.now ? this.opts.now() : new Date();
  }

  private event(type: string, details?: Record<string, unknown>): void {
    const id = this.history.length + 1;
    this.history.push({ id, previousEventId: id - 1, timestamp: this.now(), type, details });
  }

  /** Sleeps `seconds` of state-machine time (scaled by timeScale); rejects with ABORTED when the execution ends. */
  private sleep(seconds: number): Promise<void> {
    return this.timer(seconds * 1000 * this.opts.timeScale).promise;
  }

  /** A timer that resolves after `ms` (or rejects with `rejectWith`); `cancel()` clears it (the promise then rejects with ABORTED). */
  private timer(ms: number, rejectWith?: unknown): { promise: Promise<any>; cancel: () => void } {
    if (this.aborted) return { promise: Promise.reject(ABORTED), cancel: () => undefined };
    let entry!: { timer: NodeJS.Timeout; reject: (e: unknown) => void };
    const promise = new Promise((resolve, reject) => {
      entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          if (rejectWith !== undefined) reject(rejectWith);
          else resolve(undefined);
        }, Math.max(0, ms)),
        reject,
      };
      this.timers.add(entry);
    });
    return {
      promise,
      cancel: () => {
        if (!this.timers.delete(entry)) return;
        clearTimeout(entry.timer);
        entry.reject(ABORTED);
      },
    };
  }

  /** A promise that rejects with ABORTED when the execution ends (to race against work that cannot be cancelled). */
  private abortSignal(): { promise: Promise<never>; release: () => void } {
    let rej!: (e: unknown) => void;
    const promise = new Promise<never>((_, reject) => { rej = reject; });
    promise.catch(() => undefined);
    if (this.aborted) rej(ABORTED);
    else this.abortWaiters.add(rej);
    return { promise, release: () => this.abortWaiters.delete(rej) };
  }

  private async loop(): Promise<unknown> {
    let name = this.definition.StartAt;
    let input: unknown = clone(this.input);
    for (;;) {
      if (this.aborted) throw ABORTED;
      const state = this.definition.States[name];
      this.context.State = { Name: name, EnteredTime: this.now().toISOString(), RetryCount: 0 };
      this.event(`${state.Type}StateEntered`, { name, input: JSON.stringify(input) });
      const r = await this.step(name, state, input);
      if (this.aborted) throw ABORTED;
      this.event(`${state.Type}StateExited`, { name, output: JSON.stringify(r.output ?? null) });
      if (r.next === undefined) return r.output;
      name = r.next;
      input = r.output;
    }
  }

  private async step(name: string, s: State, rawInput: unknown): Promise<StepResult> {
    const ctx = this.context;
    switch (s.Type) {
      case 'Pass': {
        const input = this.inputPath(s, rawInput);
        const effective = s.Parameters !== undefined ? resolveTemplate(s.Parameters, input, ctx) : input;
        const result = s.Result !== undefined ? clone(s.Result) : effective;
        return { output: this.outputPath(s, applyResultPath(rawInput, s.ResultPath, result)), next: s.Next };
      }
      case 'Succeed':
        return { output: this.outputPath(s, this.inputPath(s, rawInput)) };
      case 'Fail': {
        const error = s.ErrorPath !== undefined ? readPath(s.ErrorPath, rawInput, ctx) : s.Error;
        const cause = s.CausePath !== undefined ? readPath(s.CausePath, rawInput, ctx) : s.Cause;
        if ((error !== undefined && typeof error !== 'string') || (cause !== undefined && typeof cause !== 'string')) {
          throw new StatesError(StatesErrors.Runtime, `The ErrorPath/CausePath of state '${name}' must reference a string`);
        }
        throw new StatesError(error ?? '', cause ?? '');
      }
      case 'Wait': {
        const input = this.inputPath(s, rawInput);
        let seconds: number;
        if (s.Seconds !== undefined) {
          seconds = s.Seconds;
        } else if (s.SecondsPath !== undefined) {
          const v = readPath(s.SecondsPath, input, ctx);
          if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
            throw new StatesError(StatesErrors.Runtime, `The SecondsPath parameter of state '${name}' does not reference a non-negative integer: ${JSON.stringify(v)}`);
          }
          seconds = v;
        } else {
          const ts = s.Timestamp ?? readPath(s.TimestampPath!, input, ctx);
          if (typeof ts !== 'string' || isNaN(Date.parse(ts))) {
            throw new StatesError(StatesErrors.Runtime, `The TimestampPath parameter of state '${name}' does not reference a valid ISO-8601 timestamp: ${JSON.stringify(ts)}`);
          }
          seconds = Math.max(0, (Date.parse(ts) - this.now().getTime()) / 1000);
        }
        await this.sleep(seconds);
        return { output: this.outputPath(s, input), next: s.Next };
      }
      case 'Choice': {
        const input = this.inputPath(s, rawInput);
        const rule = s.Choices!.find((r) => evaluateRule(r, input, ctx));
        const next = rule?.Next ?? s.Default;
        if (next === undefined) {
          throw new StatesError(StatesErrors.NoChoiceMatched, `No Matches! (state '${name}')`);
        }
        return { output: this.outputPath(s, input), next };
      }
      case 'Task':
        return this.task(name, s, rawInput);
      default:
        throw new StatesError(StatesErrors.Runtime, `unsupported state type ${(s as State).Type}`);
    }
  }

  private async task(name: string, s: State, rawInput: unknown): Promise<StepResult> {
    const retryCounts = new Map<Retrier, number>();
    let result: unknown;
    let failure: StatesError | undefined;
    const input = this.inputPath(s, rawInput);
    const effective = s.Parameters !== undefined ? resolveTemplate(s.Parameters, input, this.context) : input;
    for (;;) {
      try {
        result = await this.invoke(name, s, effective);
        if (s.ResultSelector !== undefined) result = resolveTemplate(s.ResultSelector, result, this.context);
        break;
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        const retrier = (s.Retry ?? []).find((r) => errorMatches(r.ErrorEquals, e.error));
        if (retrier) {
          const done = retryCounts.get(retrier) ?? 0;
          if (done < (retrier.MaxAttempts ?? 3)) {
            retryCounts.set(retrier, done + 1);
            this.context.State.RetryCount = (this.context.State.RetryCount ?? 0) + 1;
            await this.sleep(this.retryDelay(retrier, done));
            continue;
          }
        }
        failure = e;
        break;
      }
    }
    if (failure === undefined) {
      try {
        return { output: this.outputPath(s, applyResultPath(rawInput, s.ResultPath, result)), next: s.Next };
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        failure = e;
      }
    }
    const catcher: Catcher | undefined = (s.Catch ?? []).find((c) => errorMatches(c.ErrorEquals, failure!.error));
    if (!catcher) throw failure;
    const errorOutput = { Error: failure.error, Cause: failure.cause };
    return { output: applyResultPath(rawInput, catcher.ResultPath, errorOutput), next: catcher.Next };
  }

  /** Seconds to wait before retry number `done + 1`. */
  private retryDelay(r: Retrier, done: number): number {
    let delay = (r.IntervalSeconds ?? 1) * Math.pow(r.BackoffRate ?? 2, done);
    if (r.MaxDelaySeconds !== undefined) delay = Math.min(delay, r.MaxDelaySeconds);
    if (r.JitterStrategy === 'FULL') delay = delay * (this.opts.random ?? Math.random)();
    return delay;
  }

  /** One attempt of a Lambda task, bounded by TimeoutSeconds and by the execution's end. */
  private async invoke(name: string, s: State, effective: unknown): Promise<unknown> {
    let functionArn = s.Resource!;
    let payload = effective;
    const integration = LAMBDA_INVOKE_RESOURCES.includes(functionArn);
    if (integration) {
      const p = (effective ?? {}) as Record<string, unknown>;
      if (typeof p.FunctionName !== 'string') {
        throw new StatesError(StatesErrors.Runtime, `state '${name}': Parameters.FunctionName must be a string`);
      }
      functionArn = typeof p.Qualifier === 'string' ? `${p.FunctionName}:${p.Qualifier}` : p.FunctionName;
      payload = p.Payload === undefined ? {} : p.Payload;
    }
    let timeoutSeconds = s.TimeoutSeconds;
    if (s.TimeoutSecondsPath !== undefined) {
      const v = readPath(s.TimeoutSecondsPath, effective, this.context);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
        throw new StatesError(StatesErrors.Runtime, `The TimeoutSecondsPath of state '${name}' does not reference a positive integer`);
      }
      timeoutSeconds = v;
    }

    this.event('LambdaFunctionScheduled', { resource: functionArn, input: JSON.stringify(payload ?? null), timeoutInSeconds: timeoutSeconds });
    const abort = this.abortSignal();
    const racers: Promise<LambdaInvokeResult>[] = [
      Promise.resolve().then(() => this.opts.invokeLambda(functionArn, clone(payload))).catch((e: any): LambdaInvokeResult => ({
        error: typeof e?.code === 'string' ? (e.code.startsWith('Lambda.') ? e.code : `Lambda.${e.code}`) : 'Lambda.ServiceException',
        cause: String(e?.message ?? e),
      })),
      abort.promise,
    ];
    const deadline = timeoutSeconds === undefined ? undefined : this.timer(timeoutSeconds * 1000 * (this.opts.timeoutScale ?? 1),
      new StatesError(StatesErrors.Timeout, `Task timed out after ${timeoutSeconds} seconds`));
    if (deadline) {
      deadline.promise.catch(() => undefined);
      racers.push(deadline.promise);
    }
    let r: LambdaInvokeResult;
    try {
      r = await Promise.race(racers);
    } catch (e) {
      if (e instanceof StatesError) this.event('LambdaFunctionTimedOut', { error: e.error, cause: e.cause });
      throw e;
    } finally {
      abort.release();
      deadline?.cancel();
    }
    if ('error' in r) {
      this.event('LambdaFunctionFailed', { error: r.error, cause: r.cause });
      throw new StatesError(r.error, r.cause);
    }
    this.event('LambdaFunctionSucceeded', { output: JSON.stringify(r.payload ?? null) });
    const value = r.payload === undefined ? null : r.payload;
    if (!integration) return value;
    return {
      ExecutedVersion: '$LATEST',
      Payload: value,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: {},
      StatusCode: 200,
    };
  }

  private inputPath(s: State, rawInput: unknown): unknown {
    if (s.InputPath === null) return {};
    if (s.InputPath === undefined || s.InputPath === '$') return rawInput;
    return readPath(s.InputPath, rawInput, this.context, StatesErrors.Runtime, 'InputPath');
  }

  private outputPath(s: State, output: unknown): unknown {
    if (s.OutputPath === null) return {};
    if (s.OutputPath === undefined || s.OutputPath === '$') return output;
    return readPath(s.OutputPath, output, this.context, StatesErrors.Runtime, 'OutputPath');
  }
}

/**
 * Runs state machine executions in-process. Waits are scaled by `timeScale`; `dispose()` aborts every running
 * execution and clears every timer.
 */
export class StateMachineRunner {
  private readonly running = new Set<Execution>();
  private disposed = false;

  constructor(private readonly opts: RunnerOptions) {
    if (!(typeof opts.timeScale === 'number' && opts.timeScale >= 0 && isFinite(opts.timeScale))) {
      throw new Error(`timeScale must be a finite number >= 0, got ${opts.timeScale}`);
    }
  }

  /** Starts an execution (the definition may be a JSON string, validated here, or an already-parsed definition). */
  public start(definition: string | StateMachineDefinition, input: unknown, identity: ExecutionIdentity): Execution {
    if (this.disposed) throw new Error('StateMachineRunner has been disposed');
    const def = typeof definition === 'string' ? parseDefinition(definition) : definition;
    const exec = new Execution(def, input, identity, this.opts);
    this.running.add(exec);
    void exec.done.then(() => this.running.delete(exec));
    exec.begin();
    return exec;
  }

  /** Executions still running. */
  public get active(): readonly Execution[] {
    return [...this.running];
  }

  /** Resolves once no execution is running. */
  public async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running].map((e) => e.done));
  }

  /** Aborts every running execution (ABORTED, cause "disposed") and clears all their timers. */
  public dispose(): void {
    this.disposed = true;
    for (const e of [...this.running]) e.stop('States.Aborted', 'The local Step Functions service was disposed');
    this.running.clear();
  }
}
