import { randomUUID } from 'node:crypto';
import { recursiveInvocation } from './errors';
import { FunctionRegistry } from './function-registry';
import { invocationLogEvents, InvocationLogEvent } from './log-events';
import { LambdaMetrics } from './metrics';
import { executedVersion, InvocationReport, LambdaFunction, stopsAsRecursiveLoop } from './model';
import { InvocationOutcome } from './worker-pool';

export interface InvokerOptions {
  readonly registry: FunctionRegistry;
  readonly metrics: LambdaMetrics;
  readonly log: (line: string) => void;
  /** told of every invocation attempt, with its log */
  readonly onInvocation?: (r: InvocationReport) => void;
  /** where each invocation's log events go (CloudWatch Logs: the function's group, the handler process's stream) */
  readonly writeLogs?: (logGroup: string, logStream: string, events: readonly InvocationLogEvent[]) => void;
}

/** Runs a function's handler: one attempt (for every kind of invocation), and synchronous invocation. */
export class Invoker {
  constructor(private readonly opts: InvokerOptions) {}

  /**
   * RequestResponse invocation: runs the handler once, no retries. `qualifier` undefined: unqualified.
   * `hops`: invocations of the caller's chain so far; a recursive loop is refused with AWS's
   * RecursiveInvocationException.
   */
  public invokeSync(fn: LambdaFunction, qualifier: string | undefined, payload: string,
    hops = 0): Promise<InvocationOutcome & { requestId: string }> {
    if (stopsAsRecursiveLoop(fn, hops)) {
      this.opts.metrics.put(fn, qualifier ?? '$LATEST', 'RecursiveInvocationsDropped', 1);
      return Promise.reject(recursiveInvocation());
    }
    const requestId = randomUUID();
    return this.attempt(fn, qualifier ?? '$LATEST', requestId, payload, this.opts.registry.invokedArn(fn, qualifier), hops)
      .then((o) => ({ ...o, requestId }));
  }

  /** One run of the handler, reported to `onInvocation`. */
  public async attempt(fn: LambdaFunction, qualifier: string, requestId: string, payload: string, invokedArn: string,
    hops = 0): Promise<InvocationOutcome> {
    const outcome = await fn.pool.invoke(requestId, payload, invokedArn, hops);
    this.writeLogs(fn, qualifier, requestId, outcome);
    try {
      this.opts.onInvocation?.({ functionName: fn.name, qualifier, requestId, payload, ok: outcome.ok, log: outcome.log ?? '' });
    } catch (e) {
      this.opts.log(`onInvocation listener failed for ${requestId} (${fn.name}): ${(e as Error)?.message ?? e}`);
    }
    return outcome;
  }

  /** The invocation's log events, to the function's log group and its handler process's stream. */
  private writeLogs(fn: LambdaFunction, qualifier: string, requestId: string, outcome: InvocationOutcome): void {
    if (!this.opts.writeLogs || !outcome.logStream) return;
    try {
      const events = invocationLogEvents(outcome, requestId, executedVersion(fn, qualifier) ?? '$LATEST', fn.memorySize, fn.logFormat);
      this.opts.writeLogs(fn.logGroup ?? `/aws/lambda/${fn.name}`, outcome.logStream, events);
    } catch (e) {
      this.opts.log(`log events of ${requestId} (${fn.name}) not stored: ${(e as Error)?.message ?? e}`);
    }
  }
}
