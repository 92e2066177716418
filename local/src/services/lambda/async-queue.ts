import { randomUUID } from 'node:crypto';
import { DeadLetterQueue } from './dead-letter';
import { Destinations, SourceEvent } from './destinations';
import { FunctionRegistry } from './function-registry';
import { Invoker } from './invoke';
import { LambdaMetrics } from './metrics';
import { DEFAULT_MAX_EVENT_AGE_SECONDS, DEFAULT_MAX_RETRY_ATTEMPTS, EventInvokeConfig, executedVersion, LambdaFunction, stopsAsRecursiveLoop } from './model';
import { Condition, invocationRecordJson } from './record';
import { InvocationOutcome } from './worker-pool';

interface QueuedEvent extends SourceEvent {
  /** the ARN the invoker used (unqualified, or with its version or alias): the handler's `invokedFunctionArn` */
  readonly invokedArn: string;
  readonly enqueuedAt: number;
  /** AWS-time minus wall-time spent in scaled waits: age = now - enqueuedAt + skew */
  skewMs: number;
  /** told when the event is dropped (no attempt left), with the condition and the last error */
  readonly onDropped?: (reason: string) => void;
}

export interface AsyncEventQueueOptions {
  readonly timeScale: number;
  readonly registry: FunctionRegistry;
  readonly invoker: Invoker;
  readonly destinations: Destinations;
  readonly deadLetter: DeadLetterQueue;
  readonly metrics: LambdaMetrics;
  readonly log: (line: string) => void;
}

/**
 * Lambda's asynchronous event queue: AWS's attempt loop with retries (1 then 2 minutes, scaled by
 * `timeScale`), the event's maximum age, recursive-loop detection and zero reserved concurrency,
 * and where the record of each outcome goes (destinations, dead-letter queue).
 */
export class AsyncEventQueue {
  private readonly inFlight = new Set<Promise<void>>();
  /** pending retry waits: their timers and how to end them early (on stop) */
  private readonly waits = new Map<NodeJS.Timeout, () => void>();
  private stopping = false;

  constructor(private readonly opts: AsyncEventQueueOptions) {}

  /**
   * Event invocation: queues the event and returns its request id at once. `onDropped` is called if
   * every attempt failed (the condition and the last error), as for the local cloud's own callers.
   * `qualifier` undefined: an unqualified invocation (`$LATEST`, and its async config).
   */
  public invokeAsync(fn: LambdaFunction, qualifier: string | undefined, payload: string, onDropped?: (reason: string) => void, hops = 0): string {
    const ev: QueuedEvent = {
      hops,
      fn,
      qualifier: qualifier ?? '$LATEST',
      invokedArn: this.opts.registry.invokedArn(fn, qualifier),
      requestId: randomUUID(),
      payload,
      enqueuedAt: Date.now(),
      skewMs: 0,
      onDropped,
    };
    this.opts.metrics.put(fn, ev.qualifier, 'AsyncEventsReceived', 1);
    const p = this.process(ev).catch((e) => this.opts.log(`async invocation ${ev.requestId} of ${fn.name} failed in the local cloud: ${e?.stack ?? e}`));
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return ev.requestId;
  }

  /** Resolves when no asynchronous event is being processed or waiting for a retry. */
  public async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Ends every retry wait: no event is attempted again. */
  public stop(): void {
    this.stopping = true;
    for (const [timer, end] of this.waits) {
      clearTimeout(timer);
      end();
    }
    this.waits.clear();
  }

  private ageMs(ev: QueuedEvent): number {
    return Date.now() - ev.enqueuedAt + ev.skewMs;
  }

  /** Waits `awsMs` of AWS time, which takes awsMs * timeScale of wall time. */
  private wait(ev: QueuedEvent, awsMs: number): Promise<boolean> {
    const realMs = awsMs * this.opts.timeScale;
    ev.skewMs += awsMs - realMs;
    return new Promise((resolve) => {
      if (this.stopping) return resolve(false);
      const t = setTimeout(() => {
        this.waits.delete(t);
        resolve(!this.stopping);
      }, realMs);
      this.waits.set(t, () => resolve(false));
    });
  }

  private async process(ev: QueuedEvent): Promise<void> {
    const { fn } = ev;
    const { metrics } = this.opts;
    const config = this.opts.registry.config(fn, ev.qualifier);
    const maxRetries = config?.maximumRetryAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS;
    const maxAgeSeconds = config?.maximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS;

    if (stopsAsRecursiveLoop(fn, ev.hops)) {
      metrics.put(fn, ev.qualifier, 'RecursiveInvocationsDropped', 1);
      metrics.put(fn, ev.qualifier, 'AsyncEventsDropped', 1);
      this.opts.log(`stopped a recursive loop: event ${ev.requestId} would be invocation ${ev.hops + 1} of its chain for ${fn.name}`
        + ' (RecursiveLoop: Allow turns this off)');
      ev.onDropped?.('RecursiveInvocationDropped');
      await this.fail(ev, config, 'RecursiveInvocationDropped', 0, undefined);
      return;
    }

    if (fn.reservedConcurrency === 0) {
      metrics.put(fn, ev.qualifier, 'AsyncEventsDropped', 1);
      ev.onDropped?.('ZeroReservedConcurrency');
      await this.fail(ev, config, 'ZeroReservedConcurrency', 0, undefined);
      return;
    }

    let retries = 0;
    for (;;) {
      if (this.stopping) return;
      metrics.put(fn, ev.qualifier, 'AsyncEventAge', this.ageMs(ev), 'Milliseconds');
      const outcome = await this.opts.invoker.attempt(fn, ev.qualifier, ev.requestId, ev.payload, ev.invokedArn, ev.hops);
      if (this.stopping) return;
      const count = retries + 1;
      if (outcome.ok) {
        await this.succeed(ev, config, count, outcome);
        return;
      }
      let condition: Condition | undefined;
      if (retries >= maxRetries) {
        condition = 'RetriesExhausted';
      } else if (Math.ceil(this.ageMs(ev) / 1000) + (retries + 1) * 60 > maxAgeSeconds) {
        condition = 'EventAgeExceeded';
      }
      if (condition) {
        metrics.put(fn, ev.qualifier, 'AsyncEventsDropped', 1);
        ev.onDropped?.(`${condition} after ${count} attempt${count > 1 ? 's' : ''}: ${outcome.error.errorType}: ${outcome.error.errorMessage}`);
        await this.fail(ev, config, condition, count, outcome);
        return;
      }
      retries += 1;
      if (!(await this.wait(ev, retries * 60_000))) return;
    }
  }

  private record(ev: QueuedEvent, condition: Condition, count: number, outcome: InvocationOutcome | undefined): string {
    return invocationRecordJson({
      requestId: ev.requestId,
      functionArn: this.opts.registry.qualifiedArn(ev.fn, ev.qualifier),
      condition,
      approximateInvokeCount: count,
      requestPayload: ev.payload,
      executedVersion: executedVersion(ev.fn, ev.qualifier) ?? '$LATEST',
      response: outcome,
    });
  }

  private async succeed(ev: QueuedEvent, config: EventInvokeConfig | undefined, count: number, outcome: InvocationOutcome): Promise<void> {
    if (!config?.onSuccess) return;
    await this.opts.destinations.deliver(ev, 'OnSuccess', config.onSuccess, () => this.record(ev, 'Success', count, outcome));
  }

  private async fail(ev: QueuedEvent, config: EventInvokeConfig | undefined, condition: Condition, count: number,
    outcome: InvocationOutcome | undefined): Promise<void> {
    const work: Promise<void>[] = [];
    if (config?.onFailure) work.push(this.opts.destinations.deliver(ev, 'OnFailure', config.onFailure, () => this.record(ev, condition, count, outcome)));
    if (ev.fn.deadLetterTargetArn) {
      const message = outcome && !outcome.ok ? outcome.error.errorMessage : condition;
      work.push(this.opts.deadLetter.send(ev, ev.fn.deadLetterTargetArn, message));
    }
    await Promise.all(work);
  }
}
