import { randomUUID } from 'node:crypto';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { invocationLogEvents, InvocationLogEvent } from './log-events';
import { DEFAULT_MAX_EVENT_AGE_SECONDS, DEFAULT_MAX_RETRY_ATTEMPTS, EventInvokeConfig, executedVersion, LambdaFunction, MAX_RECURSIVE_INVOCATIONS } from './model';
import { LambdaPermissions } from './permissions';
import { Condition, invocationRecordJson, s3RecordKey } from './record';
import { InvocationOutcome } from './worker-pool';
import { IamStore } from '../../iam/iam-store';
import { FauxqsBackend, fauxqsQueueUrl } from '../backend/fauxqs';
import { MetricStore } from '../cloudwatch/metrics';

/** Why a delivery did or did not happen (observable through LocalCloud.deliveries). */
export interface DeliveryReport {
  readonly functionName: string;
  readonly requestId: string;
  readonly kind: 'OnSuccess' | 'OnFailure' | 'DeadLetter';
  readonly destination: string;
  readonly delivered: boolean;
  readonly reason?: string;
}

/** One invocation attempt of a function (sync, async, by a Step Functions task), once it ended. */
export interface InvocationReport {
  readonly functionName: string;
  /** `$LATEST`, a version or an alias */
  readonly qualifier: string;
  readonly requestId: string;
  /** the event, as JSON text */
  readonly payload: string;
  readonly ok: boolean;
  /** the invocation's log lines (console output as AWS formats it) */
  readonly log: string;
}

/** What a registered destination type receives for one record. */
export interface DestinationDelivery {
  /** the destination ARN from the EventInvokeConfig */
  readonly destination: string;
  /** the invocation record (JSON text, AWS key order) */
  readonly record: string;
  readonly kind: 'OnSuccess' | 'OnFailure';
  /** qualified ARN of the function invoked */
  readonly functionArn: string;
  readonly region: string;
  readonly accountId: string;
}

export type DestinationHandler = (delivery: DestinationDelivery) => Promise<void>;

/** Publishes to an SNS topic (by the topic's ARN) so that every subscriber gets it; returns the MessageId. */
export type TopicPublisher = (topicArn: string, message: string,
  attributes?: Record<string, { DataType: string; StringValue: string }>, hops?: number) => Promise<string>;

export interface LambdaServiceOptions {
  readonly accountId: string;
  readonly region: string;
  readonly timeScale: number;
  readonly backend: FauxqsBackend;
  readonly iam: IamStore;
  readonly metrics: MetricStore;
  readonly log: (line: string) => void;
  readonly onDelivery?: (r: DeliveryReport) => void;
  /** told of every invocation attempt, with its log */
  readonly onInvocation?: (r: InvocationReport) => void;
  /** how SNS destinations and dead-letter topics are published to (every subscriber gets them, lambda ones too) */
  readonly publishToTopic: TopicPublisher;
  /** where each invocation's log events go (CloudWatch Logs: the function's group, the handler process's stream) */
  readonly writeLogs?: (logGroup: string, logStream: string, events: readonly InvocationLogEvent[]) => void;
}

interface QueuedEvent {
  readonly fn: LambdaFunction;
  /** `$LATEST` for an unqualified invocation */
  readonly qualifier: string;
  /** the ARN the invoker used (unqualified, or with its version or alias): the handler's `invokedFunctionArn` */
  readonly invokedArn: string;
  readonly requestId: string;
  readonly payload: string;
  readonly enqueuedAt: number;
  /** invocations of this event's chain before it (Lambda destinations, SNS, SDK calls from handlers) */
  readonly hops: number;
  /** AWS-time minus wall-time spent in scaled waits: age = now - enqueuedAt + skew */
  skewMs: number;
  /** told when the event is dropped (no attempt left), with the condition and the last error */
  readonly onDropped?: (reason: string) => void;
}

/** A Lambda API error: `name` is AWS's error type, `status` the HTTP status. */
export class LambdaApiError extends Error {
  constructor(name: string, message: string, public readonly status: number) {
    super(message);
    this.name = name;
  }
}

/** The settable fields of a FunctionEventInvokeConfig, as in the API and the template. */
export interface EventInvokeConfigInput {
  readonly MaximumRetryAttempts?: unknown;
  readonly MaximumEventAgeInSeconds?: unknown;
  readonly DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
}

/** Parsed ARN of an async destination. */
function parseArn(arn: string): { service: string; region: string; account: string; resource: string } {
  const [, , service, region, account, ...rest] = arn.split(':');
  return { service, region, account, resource: rest.join(':') };
}

/**
 * Lambda: the functions deployed, synchronous invocation, and the asynchronous event queue with
 * AWS's attempt loop, event age, destinations, dead-letter queue and metrics.
 */
export class LambdaService {
  public readonly functions = new Map<string, LambdaFunction>();
  /** Customer managed KMS keys of encrypted destinations (queue/topic/bucket ARN → key ARN). */
  public readonly destinationKeys = new Map<string, string>();
  /** resource-based policies (`AWS::Lambda::Permission`) */
  public readonly permissions = new LambdaPermissions();
  private readonly destinationHandlers = new Map<string, DestinationHandler>();
  private readonly inFlight = new Set<Promise<void>>();
  /** pending retry waits: their timers and how to end them early (on stop) */
  private readonly waits = new Map<NodeJS.Timeout, () => void>();
  private stopping = false;

  constructor(private readonly opts: LambdaServiceOptions) {}

  public add(fn: LambdaFunction): void {
    this.functions.set(fn.name, fn);
  }

  /** DeleteFunction: the function is gone at once; its handler processes are stopped. */
  public async remove(name: string): Promise<void> {
    const fn = this.functions.get(name);
    if (!fn) return;
    this.functions.delete(name);
    this.permissions.removeFunction(name);
    await fn.pool.stop();
  }

  /** Finds a function by name, ARN or partial ARN, with an optional qualifier suffix. */
  public lookup(nameOrArn: string): { fn?: LambdaFunction; qualifier?: string } {
    let name = nameOrArn;
    let qualifier: string | undefined;
    const m = /^(?:arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:|\d{12}:function:)?([^:]+)(?::(.+))?$/.exec(nameOrArn);
    if (m) {
      name = m[1];
      qualifier = m[2];
    }
    return { fn: this.functions.get(name), qualifier };
  }

  public qualifiedArn(fn: LambdaFunction, qualifier: string): string {
    return `${fn.arn}:${qualifier}`;
  }

  public config(fn: LambdaFunction, qualifier: string): EventInvokeConfig | undefined {
    return fn.eventInvokeConfigs.get(qualifier);
  }

  /** The ARN an invoker used: a qualified one names its version or alias, an unqualified one runs `$LATEST`. */
  public invokedArn(fn: LambdaFunction, qualifier: string | undefined): string {
    return qualifier === undefined ? fn.arn : this.qualifiedArn(fn, qualifier);
  }

  /**
   * RequestResponse invocation: runs the handler once, no retries. `qualifier` undefined: unqualified.
   * `hops`: invocations of the caller's chain so far; a recursive loop is refused with AWS's
   * RecursiveInvocationException.
   */
  public invokeSync(fn: LambdaFunction, qualifier: string | undefined, payload: string,
    hops = 0): Promise<InvocationOutcome & { requestId: string }> {
    if (this.loops(fn, hops)) {
      this.metric(fn, qualifier ?? '$LATEST', 'RecursiveInvocationsDropped', 1);
      return Promise.reject(new LambdaApiError('RecursiveInvocationException',
        'Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped your function\'s invocation.', 400));
    }
    const requestId = randomUUID();
    return this.attempt(fn, qualifier ?? '$LATEST', requestId, payload, this.invokedArn(fn, qualifier), hops).then((o) => ({ ...o, requestId }));
  }

  /** Whether an invocation after `hops` others of its chain is one Lambda stops as a recursive loop. */
  private loops(fn: LambdaFunction, hops: number): boolean {
    return hops >= MAX_RECURSIVE_INVOCATIONS && fn.recursiveLoop !== 'Allow';
  }

  /** One run of the handler, reported to `onInvocation`. */
  private async attempt(fn: LambdaFunction, qualifier: string, requestId: string, payload: string, invokedArn: string,
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
      invokedArn: this.invokedArn(fn, qualifier),
      requestId: randomUUID(),
      payload,
      enqueuedAt: Date.now(),
      skewMs: 0,
      onDropped,
    };
    this.metric(fn, ev.qualifier, 'AsyncEventsReceived', 1);
    const p = this.process(ev).catch((e) => this.opts.log(`async invocation ${ev.requestId} of ${fn.name} failed in the local cloud: ${e?.stack ?? e}`));
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
    return ev.requestId;
  }

  /** Puts a Lambda metric by FunctionName, and by FunctionName + Resource for a version or alias. */
  private metric(fn: LambdaFunction, qualifier: string, name: string, value: number, unit = 'Count'): void {
    this.opts.metrics.put('AWS/Lambda', name, { FunctionName: fn.name }, value, unit);
    if (qualifier !== '$LATEST') this.opts.metrics.put('AWS/Lambda', name, { FunctionName: fn.name, Resource: `${fn.name}:${qualifier}` }, value, unit);
  }

  /**
   * Validates and stores an EventInvokeConfig as Lambda does on Put/Update (and CloudFormation on
   * create): value ranges, destination kinds, and the execution role's permission to deliver.
   * `create` fails if one exists; `update` merges into the existing one (which must exist).
   */
  public async putEventInvokeConfig(fn: LambdaFunction, qualifier: string, input: EventInvokeConfigInput,
    mode: 'create' | 'put' | 'update'): Promise<EventInvokeConfig> {
    if (!executedVersion(fn, qualifier)) throw new LambdaApiError('ResourceNotFoundException', `Function not found: ${fn.arn}:${qualifier}`, 404);
    const existing = fn.eventInvokeConfigs.get(qualifier);
    if (mode === 'create' && existing) {
      throw new LambdaApiError('ResourceConflictException', `An event invoke config for ${fn.arn}:${qualifier} already exists`, 409);
    }
    if (mode === 'update' && !existing) {
      throw new LambdaApiError('ResourceNotFoundException', `The function ${fn.arn}:${qualifier} doesn't have an EventInvokeConfig`, 404);
    }
    const num = (v: unknown) => (v === undefined || v === null ? undefined : Number(v));
    const retries = num(input.MaximumRetryAttempts) ?? (mode === 'update' ? existing?.maximumRetryAttempts : undefined);
    const age = num(input.MaximumEventAgeInSeconds) ?? (mode === 'update' ? existing?.maximumEventAgeInSeconds : undefined);
    const violations: string[] = [];
    if (retries !== undefined && !(Number.isInteger(retries) && retries >= 0 && retries <= 2)) {
      violations.push(`Value '${retries}' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value ${retries < 0 ? 'greater than or equal to 0' : 'less than or equal to 2'}`);
    }
    if (age !== undefined && !(Number.isInteger(age) && age >= 60 && age <= 21600)) {
      violations.push(`Value '${age}' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value ${age < 60 ? 'greater than or equal to 60' : 'less than or equal to 21600'}`);
    }
    if (violations.length) {
      throw new LambdaApiError('ValidationException', `${violations.length} validation error${violations.length > 1 ? 's' : ''} detected: ${violations.join('; ')}`, 400);
    }
    const onSuccess = input.DestinationConfig?.OnSuccess?.Destination ?? (mode === 'update' ? existing?.onSuccess : undefined);
    const onFailure = input.DestinationConfig?.OnFailure?.Destination ?? (mode === 'update' ? existing?.onFailure : undefined);
    const invalid = (message: string) => new LambdaApiError('InvalidParameterValueException', message, 400);
    // AWS's wording for a destination it does not take: the whole config, rendered as its Java toString
    const invalidConfig = () => invalid('The provided destination config DestinationConfig(' +
      `onSuccess=${onSuccess ? `OnSuccess(destination=${onSuccess})` : 'null'}, ` +
      `onFailure=${onFailure ? `OnFailure(destination=${onFailure})` : 'null'}) is invalid.`);
    for (const [kind, dest] of [['OnSuccess', onSuccess], ['OnFailure', onFailure]] as const) {
      if (!dest) continue;
      const service = dest.split(':')[2];
      const supported = ['sqs', 'sns', 'lambda', 'events', ...(kind === 'OnFailure' ? ['s3'] : [])];
      // S3 only on failure; FIFO queues and topics never
      if (!supported.includes(service) || ((service === 'sqs' || service === 'sns') && dest.endsWith('.fifo'))) {
        throw invalidConfig();
      }
      if (service === 'lambda') {
        const target = this.lookup(dest.split(':').slice(6).join(':')).fn;
        // a function of another account or region is not this cloud's to know
        const local = dest.split(':').slice(3, 5).join(':') === fn.arn.split(':').slice(3, 5).join(':');
        if (!target && local) throw invalid(`The destination ARN ${dest} is invalid.`);
        if (target === fn) throw invalid("You can't specify the function as a destination for itself.");
      }
      const problem = await this.permissionProblem(fn, dest, false);
      if (problem) throw invalid(problem);
    }
    const config: EventInvokeConfig = {
      qualifier, maximumRetryAttempts: retries, maximumEventAgeInSeconds: age, onSuccess, onFailure, lastModified: new Date(),
    };
    fn.eventInvokeConfigs.set(qualifier, config);
    return config;
  }

  /** Resolves when no asynchronous event is being processed or waiting for a retry. */
  public async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  public async stop(): Promise<void> {
    this.stopping = true;
    for (const [timer, end] of this.waits) {
      clearTimeout(timer);
      end();
    }
    this.waits.clear();
    await Promise.all([...this.functions.values()].map((fn) => fn.pool.stop()));
  }

  /** Live handler process ids, across all functions. */
  public pids(): number[] {
    return [...this.functions.values()].flatMap((fn) => fn.pool.pids());
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
    const config = this.config(fn, ev.qualifier);
    const maxRetries = config?.maximumRetryAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS;
    const maxAgeSeconds = config?.maximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS;

    if (this.loops(fn, ev.hops)) {
      this.metric(fn, ev.qualifier, 'RecursiveInvocationsDropped', 1);
      this.metric(fn, ev.qualifier, 'AsyncEventsDropped', 1);
      this.opts.log(`stopped a recursive loop: event ${ev.requestId} would be invocation ${ev.hops + 1} of its chain for ${fn.name}`
        + ' (RecursiveLoop: Allow turns this off)');
      ev.onDropped?.('RecursiveInvocationDropped');
      await this.fail(ev, config, 'RecursiveInvocationDropped', 0, undefined);
      return;
    }

    if (fn.reservedConcurrency === 0) {
      this.metric(fn, ev.qualifier, 'AsyncEventsDropped', 1);
      ev.onDropped?.('ZeroReservedConcurrency');
      await this.fail(ev, config, 'ZeroReservedConcurrency', 0, undefined);
      return;
    }

    let retries = 0;
    for (;;) {
      if (this.stopping) return;
      this.metric(fn, ev.qualifier, 'AsyncEventAge', this.ageMs(ev), 'Milliseconds');
      const outcome = await this.attempt(fn, ev.qualifier, ev.requestId, ev.payload, ev.invokedArn, ev.hops);
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
        this.metric(fn, ev.qualifier, 'AsyncEventsDropped', 1);
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
      functionArn: this.qualifiedArn(ev.fn, ev.qualifier),
      condition,
      approximateInvokeCount: count,
      requestPayload: ev.payload,
      executedVersion: executedVersion(ev.fn, ev.qualifier) ?? '$LATEST',
      response: outcome,
    });
  }

  private async succeed(ev: QueuedEvent, config: EventInvokeConfig | undefined, count: number, outcome: InvocationOutcome): Promise<void> {
    if (!config?.onSuccess) return;
    await this.deliver(ev, 'OnSuccess', config.onSuccess, () => this.record(ev, 'Success', count, outcome));
  }

  private async fail(ev: QueuedEvent, config: EventInvokeConfig | undefined, condition: Condition, count: number,
    outcome: InvocationOutcome | undefined): Promise<void> {
    const work: Promise<void>[] = [];
    if (config?.onFailure) work.push(this.deliver(ev, 'OnFailure', config.onFailure, () => this.record(ev, condition, count, outcome)));
    if (ev.fn.deadLetterTargetArn) {
      const message = outcome && !outcome.ok ? outcome.error.errorMessage : condition;
      work.push(this.deadLetter(ev, ev.fn.deadLetterTargetArn, message));
    }
    await Promise.all(work);
  }

  private report(r: DeliveryReport): void {
    if (!r.delivered) this.opts.log(`${r.kind} delivery of ${r.requestId} (${r.functionName}) to ${r.destination} failed: ${r.reason}`);
    this.opts.onDelivery?.(r);
  }

  /**
   * Checks the execution role, then builds the record and sends it to the destination. Whatever
   * goes wrong (the record cannot be built, the role may not, the destination refuses it) counts in
   * DestinationDeliveryFailures, with the reason logged and kept in the delivery reports.
   */
  private async deliver(ev: QueuedEvent, kind: 'OnSuccess' | 'OnFailure', destination: string, record: () => string): Promise<void> {
    const fn = ev.fn;
    const base = { functionName: fn.name, requestId: ev.requestId, kind, destination };
    try {
      const denied = await this.permissionProblem(fn, destination, true);
      if (denied) throw new Error(denied);
      await this.send(ev, kind, destination, record());
      this.report({ ...base, delivered: true });
    } catch (e) {
      this.metric(fn, ev.qualifier, 'DestinationDeliveryFailures', 1);
      this.report({ ...base, delivered: false, reason: (e as Error).message });
    }
  }

  private async deadLetter(ev: QueuedEvent, target: string, errorMessage: string): Promise<void> {
    const fn = ev.fn;
    const base = { functionName: fn.name, requestId: ev.requestId, kind: 'DeadLetter' as const, destination: target };
    try {
      const denied = await this.permissionProblem(fn, target, true);
      if (denied) throw new Error(denied);
      const arn = parseArn(target);
      const attributes = {
        RequestID: { DataType: 'String', StringValue: ev.requestId },
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: { DataType: 'String', StringValue: errorMessage.slice(0, 1024) },
      };
      if (arn.service === 'sqs') {
        await this.opts.backend.sqsSendMessage(fauxqsQueueUrl(arn.region, arn.resource), ev.payload, attributes);
      } else if (arn.service === 'sns') {
        await this.opts.publishToTopic(target, ev.payload, attributes, ev.hops + 1);
      } else {
        throw new Error(`dead-letter target ${target} is not an SQS queue or SNS topic`);
      }
      this.report({ ...base, delivered: true });
    } catch (e) {
      this.metric(fn, ev.qualifier, 'DeadLetterErrors', 1);
      this.report({ ...base, delivered: false, reason: (e as Error).message });
    }
  }

  /**
   * The IAM actions a destination needs, as (action, resource ARN, ARN whose resource policy applies).
   * `atDelivery` adds the KMS actions for a destination encrypted with a customer managed key, which
   * Lambda needs when it sends, not when the config is created.
   */
  public requiredPermissions(destination: string, atDelivery: boolean, objectKey = '*'): { action: string; resource: string; policyResource: string }[] {
    const arn = parseArn(destination);
    const key = atDelivery ? this.destinationKeys.get(destination) : undefined;
    const kms = (actions: string[]) => (key ? actions.map((action) => ({ action, resource: key, policyResource: key })) : []);
    switch (arn.service) {
      case 'sqs': return [{ action: 'sqs:SendMessage', resource: destination, policyResource: destination }, ...kms(['kms:GenerateDataKey', 'kms:Decrypt'])];
      case 'sns': return [{ action: 'sns:Publish', resource: destination, policyResource: destination }, ...kms(['kms:GenerateDataKey', 'kms:Decrypt'])];
      case 'lambda': return [{ action: 'lambda:InvokeFunction', resource: destination, policyResource: destination }];
      case 'events': return [{ action: 'events:PutEvents', resource: destination, policyResource: destination }];
      case 's3': return [
        { action: 's3:PutObject', resource: `${destination}/${objectKey}`, policyResource: destination },
        { action: 's3:ListBucket', resource: destination, policyResource: destination },
        ...kms(['kms:GenerateDataKey']),
      ];
      default: return [];
    }
  }

  /** undefined when the function's role may deliver to the destination, else AWS-style text. */
  public async permissionProblem(fn: LambdaFunction, destination: string, atDelivery: boolean, objectKey = `aws/lambda/async/${fn.name}/x`): Promise<string | undefined> {
    for (const p of this.requiredPermissions(destination, atDelivery, objectKey)) {
      const d = await this.opts.iam.check(fn.roleArn, fn.name, p.action, p.resource, p.policyResource);
      if (!d.allowed) {
        const verb = p.action.split(':')[1];
        return `The function's execution role does not have permissions to call ${verb} on ${p.action.startsWith('kms:') ? p.resource : destination}`;
      }
    }
    return undefined;
  }

  private async send(ev: QueuedEvent, kind: 'OnSuccess' | 'OnFailure', destination: string, body: string): Promise<void> {
    const arn = parseArn(destination);
    switch (arn.service) {
      case 'sqs':
        await this.opts.backend.sqsSendMessage(fauxqsQueueUrl(arn.region, arn.resource), body);
        return;
      case 'sns':
        await this.opts.publishToTopic(destination, body, undefined, ev.hops + 1);
        return;
      case 's3': {
        const key = s3RecordKey(ev.fn.name, new Date(), randomUUID());
        await this.opts.backend.s3.send(new PutObjectCommand({ Bucket: arn.resource, Key: key, Body: body, ContentType: 'application/json' }));
        return;
      }
      case 'lambda': {
        const target = this.lookup(arn.resource.replace(/^function:/, ''));
        if (!target.fn || !executedVersion(target.fn, target.qualifier ?? '$LATEST')) throw new Error(`destination function ${destination} does not exist`);
        this.invokeAsync(target.fn, target.qualifier, body, undefined, ev.hops + 1);
        return;
      }
      default: {
        const deliver = this.destinationHandlers.get(arn.service);
        if (!deliver) throw new Error(`destination ${destination}: ${arn.service} destinations are not supported by the local cloud`);
        await deliver({
          destination,
          record: body,
          kind,
          functionArn: this.qualifiedArn(ev.fn, ev.qualifier),
          region: this.opts.region,
          accountId: this.opts.accountId,
        });
      }
    }
  }

  /**
   * Adds a destination type (by the ARN's service, e.g. `events`): another emulated service
   * receives the records sent to its ARNs. The permission check and metrics stay here.
   */
  public registerDestination(service: string, deliver: DestinationHandler): void {
    this.destinationHandlers.set(service, deliver);
  }
}
