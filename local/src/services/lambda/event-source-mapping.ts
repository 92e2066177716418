import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand, DeleteMessageBatchCommand, GetQueueAttributesCommand, Message, ReceiveMessageCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { LambdaApiError } from './errors';
import { LambdaService } from './service';
import { compilePattern, CompiledPattern, InvalidEventPatternError } from '../events/pattern';

/** AWS::Lambda::EventSourceMapping's properties the local cloud reads (SQS sources). */
export interface EventSourceMappingInput {
  readonly FunctionName?: unknown;
  readonly EventSourceArn?: unknown;
  readonly BatchSize?: unknown;
  readonly MaximumBatchingWindowInSeconds?: unknown;
  readonly Enabled?: unknown;
  readonly FunctionResponseTypes?: unknown;
  readonly ScalingConfig?: { readonly MaximumConcurrency?: unknown };
  readonly FilterCriteria?: { readonly Filters?: { readonly Pattern?: unknown }[] };
}

/** One mapping as Lambda's GetEventSourceMapping shows it. */
export interface EventSourceMappingView {
  readonly UUID: string;
  readonly FunctionArn: string;
  readonly EventSourceArn: string;
  readonly BatchSize: number;
  readonly MaximumBatchingWindowInSeconds: number;
  readonly State: 'Enabled' | 'Disabled';
  readonly StateTransitionReason: string;
  readonly LastModified: number;
  readonly FunctionResponseTypes: string[];
  readonly ScalingConfig?: { MaximumConcurrency: number };
  readonly FilterCriteria?: { Filters: { Pattern: string }[] };
}

export interface EventSourceMappingsOptions {
  readonly lambda: LambdaService;
  /** an SQS client straight to the backend (fauxqs) */
  readonly sqs: SQSClient;
  /** the queue URL the backend knows a queue by, from its region and name */
  readonly queueUrl: (region: string, name: string) => string;
  /** multiplier for the batching window (the backend scales the queue's visibility timeout itself) */
  readonly timeScale: number;
  readonly log: (line: string) => void;
}

/** Concurrent batches a mapping without `ScalingConfig.MaximumConcurrency` runs (AWS starts with five pollers). */
export const DEFAULT_POLLERS = 5;
/** How long the poller waits before asking an empty queue again, in ms (real time). */
const IDLE_POLL_MS = 20;
/** How long the poller waits after a failed receive, in ms (real time). */
const RETRY_MS = 500;
/**
 * The visibility timeout a batch is received with: SQS's maximum, 12 hours. Handlers run in real
 * time while the backend scales visibility timeouts (30 s lasts 30 ms at time scale 0.001), so a
 * batch is held in flight for its whole run, and its failed messages get the queue's own visibility
 * timeout when the run ends. On AWS the queue's timeout, which must be at least the function's,
 * covers the run the same way.
 */
const HOLD_SECONDS = 43_200;
const SQS_ARN = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,80}(\.fifo)?)$/;

/** Lambda's error for a bad mapping (`InvalidParameterValueException`, 400). */
function invalid(message: string): LambdaApiError {
  return new LambdaApiError('InvalidParameterValueException', message, 400);
}

function integer(v: unknown, name: string, min: number, max: number, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw invalid(`1 validation error detected: Value '${String(v)}' at '${name}' failed to satisfy constraint: Member must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** A mapping's settings, validated. */
interface Settings {
  readonly functionName: string;
  readonly eventSourceArn: string;
  readonly region: string;
  readonly queueName: string;
  readonly batchSize: number;
  readonly windowSeconds: number;
  readonly enabled: boolean;
  readonly reportBatchItemFailures: boolean;
  readonly maximumConcurrency?: number;
  readonly filters: { readonly source: string; readonly pattern: CompiledPattern }[];
}

/** One SQS event source mapping and its poller. */
class Mapping {
  public settings!: Settings;
  public lastModified = new Date();
  private running?: Promise<void>;
  private active = false;
  private readonly batches = new Set<Promise<void>>();
  private lastError?: string;

  constructor(public readonly uuid: string, private readonly o: EventSourceMappingsOptions) {}

  public start(): void {
    if (this.running || !this.settings.enabled) return;
    this.active = true;
    this.running = this.poll().catch((e) => this.o.log(`event source mapping ${this.uuid}: poller failed: ${e?.stack ?? e}`));
  }

  /** Stops receiving; resolves when the batches being processed are done. */
  public async stop(): Promise<void> {
    this.active = false;
    await this.running;
    this.running = undefined;
    await Promise.all([...this.batches]);
  }

  private get queueUrl(): string {
    return this.o.queueUrl(this.settings.region, this.settings.queueName);
  }

  private async poll(): Promise<void> {
    while (this.active) {
      const limit = this.settings.maximumConcurrency ?? DEFAULT_POLLERS;
      if (this.batches.size >= limit) {
        await Promise.race([...this.batches]);
        continue;
      }
      const batch = await this.collect();
      if (!batch.length) {
        if (this.active) await sleep(IDLE_POLL_MS);
        continue;
      }
      const p = this.process(batch).catch((e) => this.o.log(`event source mapping ${this.uuid}: batch failed in the local cloud: ${e?.stack ?? e}`));
      this.batches.add(p);
      void p.finally(() => this.batches.delete(p));
    }
  }

  /** Receives up to `BatchSize` messages, within the batching window once the first arrived. */
  private async collect(): Promise<Message[]> {
    const { batchSize, windowSeconds } = this.settings;
    const batch: Message[] = [];
    let deadline: number | undefined;
    while (this.active && batch.length < batchSize) {
      let failed = false;
      const out = await this.o.sqs.send(new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: Math.min(10, batchSize - batch.length),
        WaitTimeSeconds: 0,
        VisibilityTimeout: HOLD_SECONDS,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      })).catch(async (e) => {
        // logged once per distinct error (a deleted queue would otherwise log at every poll)
        const text = `${e?.name}: ${e?.message}`;
        if (text !== this.lastError) this.o.log(`event source mapping ${this.uuid}: ReceiveMessage from ${this.settings.eventSourceArn} failed: ${text}`);
        this.lastError = text;
        failed = true;
        await sleep(RETRY_MS);
        return { Messages: [] as Message[] };
      });
      if (!failed) this.lastError = undefined;
      const got = out.Messages ?? [];
      batch.push(...got);
      if (batch.length && deadline === undefined) deadline = Date.now() + windowSeconds * 1000 * this.o.timeScale;
      if (!batch.length) return batch;
      if (batch.length >= batchSize || Date.now() >= deadline!) break;
      if (!got.length) await sleep(Math.min(IDLE_POLL_MS, Math.max(0, deadline! - Date.now())));
    }
    return batch;
  }

  private async process(messages: Message[]): Promise<void> {
    const s = this.settings;
    const records = messages.map((m) => sqsRecord(m, s.eventSourceArn, s.region));
    // messages that match no filter are deleted without an invocation, as Lambda does
    const kept = s.filters.length ? records.filter((r) => s.filters.some((f) => f.pattern.matches(filterDocument(r)))) : records;
    const keptIds = new Set(kept.map((r) => r.messageId));
    const dropped = messages.filter((m) => !keptIds.has(m.MessageId!));
    if (dropped.length) await this.delete(dropped);
    if (!kept.length) return;
    const { fn, qualifier } = this.o.lambda.lookup(s.functionName);
    if (!fn) {
      this.o.log(`event source mapping ${this.uuid}: function ${s.functionName} not found; the batch returns to the queue`);
      return this.release(messages.filter((m) => keptIds.has(m.MessageId!)));
    }
    let failed: Set<string>;
    try {
      const out = await this.o.lambda.invokeSync(fn, qualifier, JSON.stringify({ Records: kept }));
      failed = out.ok ? this.failures(out.payload, kept.map((r) => r.messageId)) : new Set(keptIds);
    } catch (e) {
      this.o.log(`event source mapping ${this.uuid}: invoking ${fn.name} failed: ${(e as Error)?.message ?? e}`);
      failed = new Set(keptIds);
    }
    // a failed message stays: it reappears after the queue's visibility timeout (and goes to the DLQ by its redrive policy)
    await this.delete(messages.filter((m) => keptIds.has(m.MessageId!) && !failed.has(m.MessageId!)));
    await this.release(messages.filter((m) => failed.has(m.MessageId!)));
  }

  /** Gives messages held for a run the queue's visibility timeout, from now (see {@link HOLD_SECONDS}). */
  private async release(messages: Message[]): Promise<void> {
    if (!messages.length) return;
    const attributes = await this.o.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['VisibilityTimeout'] }))
      .catch(() => undefined);
    const seconds = Number(attributes?.Attributes?.VisibilityTimeout ?? 30);
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      const out = await this.o.sqs.send(new ChangeMessageVisibilityBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: seconds })),
      })).catch((e) => ({ Failed: [{ Id: '*', Message: `${e?.name}: ${e?.message}` }] }));
      for (const f of out.Failed ?? []) this.o.log(`event source mapping ${this.uuid}: a failed message keeps the ${HOLD_SECONDS} s visibility timeout it was received with (${f.Message})`);
    }
  }

  /**
   * The messages a response leaves in the queue. Without `ReportBatchItemFailures`: none. With it,
   * as Lambda reads a partial batch response: an empty or null response or `batchItemFailures`
   * means success; a response that is not JSON, or an item whose `itemIdentifier` is missing,
   * empty or not a message of the batch, fails the whole batch.
   */
  private failures(payload: string, ids: string[]): Set<string> {
    if (!this.settings.reportBatchItemFailures) return new Set();
    const all = new Set(ids);
    let response: any;
    try {
      response = payload.trim() === '' ? null : JSON.parse(payload);
    } catch {
      return all;
    }
    if (response === null || typeof response !== 'object' || Array.isArray(response)) return response === null ? new Set() : all;
    const items = response.batchItemFailures;
    if (items === undefined || items === null) return new Set();
    if (!Array.isArray(items)) return all;
    const failed = new Set<string>();
    for (const item of items) {
      const id = item && typeof item === 'object' ? item.itemIdentifier : undefined;
      if (typeof id !== 'string' || !all.has(id)) return all;
      failed.add(id);
    }
    return failed;
  }

  private async delete(messages: Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const chunk = messages.slice(i, i + 10);
      const out = await this.o.sqs.send(new DeleteMessageBatchCommand({
        QueueUrl: this.queueUrl,
        Entries: chunk.map((m, j) => ({ Id: String(j), ReceiptHandle: m.ReceiptHandle! })),
      })).catch((e) => ({ Failed: [{ Id: '*', Message: `${e?.name}: ${e?.message}` }] }));
      for (const f of out.Failed ?? []) this.o.log(`event source mapping ${this.uuid}: a processed message was not deleted (${f.Message}); it will be received again`);
    }
  }
}

/** A Lambda SQS event record, in AWS's key order. */
export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes: Record<string, string>;
  readonly messageAttributes: Record<string, unknown>;
  readonly md5OfBody: string;
  readonly md5OfMessageAttributes?: string;
  readonly eventSource: 'aws:sqs';
  readonly eventSourceARN: string;
  readonly awsRegion: string;
}

function sqsRecord(m: Message, arn: string, region: string): SqsRecord {
  const a = m.Attributes ?? {};
  const attributes: Record<string, string> = {};
  for (const k of ['ApproximateReceiveCount', 'SentTimestamp', 'SenderId', 'ApproximateFirstReceiveTimestamp']) {
    if (a[k as keyof typeof a] !== undefined) attributes[k] = String(a[k as keyof typeof a]);
  }
  for (const k of ['SequenceNumber', 'MessageGroupId', 'MessageDeduplicationId', 'AWSTraceHeader']) {
    if (a[k as keyof typeof a] !== undefined) attributes[k] = String(a[k as keyof typeof a]);
  }
  const messageAttributes: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(m.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { binaryValue: Buffer.from(v.BinaryValue).toString('base64') } : {}),
      stringListValues: v.StringListValues ?? [],
      binaryListValues: (v.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      dataType: v.DataType,
    };
  }
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes,
    messageAttributes,
    md5OfBody: m.MD5OfBody ?? '',
    ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: region,
  };
}

/** What a filter pattern sees of a record: the body parsed when it is a JSON object, as Lambda does. */
function filterDocument(r: SqsRecord): object {
  let body: unknown = r.body;
  try {
    const parsed = JSON.parse(r.body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed;
  } catch { /* a plain-text body */ }
  return { ...r, body };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * SQS event source mappings (`AWS::Lambda::EventSourceMapping` with an SQS `EventSourceArn`): a
 * poller per enabled mapping receives batches from the queue and invokes the function
 * synchronously with a Lambda SQS event; the messages of a successful batch are deleted, those of
 * a failed one (or the items a `ReportBatchItemFailures` response names) stay in the queue.
 */
export class EventSourceMappings {
  private readonly mappings = new Map<string, Mapping>();
  private stopped = false;

  constructor(private readonly o: EventSourceMappingsOptions) {}

  /** Validates and starts a mapping (CreateEventSourceMapping). */
  public async create(input: EventSourceMappingInput): Promise<EventSourceMappingView> {
    const m = new Mapping(randomUUID(), this.o);
    m.settings = await this.settings(input);
    this.mappings.set(m.uuid, m);
    if (!this.stopped) m.start();
    return this.view(m);
  }

  /** Changes a mapping in place (UpdateEventSourceMapping): its poller restarts with the new settings. */
  public async update(uuid: string, input: EventSourceMappingInput): Promise<EventSourceMappingView> {
    const m = this.mapping(uuid);
    const settings = await this.settings(input);
    if (settings.eventSourceArn !== m.settings.eventSourceArn) throw invalid('EventSourceArn cannot be changed; the mapping must be replaced');
    await m.stop();
    m.settings = settings;
    m.lastModified = new Date();
    if (!this.stopped) m.start();
    return this.view(m);
  }

  /** Deletes a mapping; resolves when its poller and the batches it was processing are done. */
  public async delete(uuid: string): Promise<void> {
    const m = this.mappings.get(uuid);
    if (!m) return;
    this.mappings.delete(uuid);
    await m.stop();
  }

  public get(uuid: string): EventSourceMappingView {
    return this.view(this.mapping(uuid));
  }

  /** Mappings, optionally of one function (name or ARN) and/or one event source. */
  public list(functionName?: string, eventSourceArn?: string): EventSourceMappingView[] {
    const fn = functionName === undefined ? undefined : this.o.lambda.lookup(functionName).fn;
    if (functionName !== undefined && !fn) return [];
    return [...this.mappings.values()]
      .filter((m) => !fn || this.o.lambda.lookup(m.settings.functionName).fn === fn)
      .filter((m) => !eventSourceArn || m.settings.eventSourceArn === eventSourceArn)
      .map((m) => this.view(m));
  }

  /** Ends every poller; resolves when the batches being processed are done. */
  public async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.mappings.values()].map((m) => m.stop()));
  }

  private mapping(uuid: string): Mapping {
    const m = this.mappings.get(uuid);
    if (!m) throw new LambdaApiError('ResourceNotFoundException', `The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: ${randomUUID()})`, 404);
    return m;
  }

  private view(m: Mapping): EventSourceMappingView {
    const s = m.settings;
    const { fn, qualifier } = this.o.lambda.lookup(s.functionName);
    return {
      UUID: m.uuid,
      FunctionArn: fn ? (qualifier ? `${fn.arn}:${qualifier}` : fn.arn) : s.functionName,
      EventSourceArn: s.eventSourceArn,
      BatchSize: s.batchSize,
      MaximumBatchingWindowInSeconds: s.windowSeconds,
      State: s.enabled ? 'Enabled' : 'Disabled',
      StateTransitionReason: 'USER_INITIATED',
      LastModified: m.lastModified.getTime() / 1000,
      FunctionResponseTypes: s.reportBatchItemFailures ? ['ReportBatchItemFailures'] : [],
      ...(s.maximumConcurrency !== undefined ? { ScalingConfig: { MaximumConcurrency: s.maximumConcurrency } } : {}),
      ...(s.filters.length ? { FilterCriteria: { Filters: s.filters.map((f) => ({ Pattern: f.source })) } } : {}),
    };
  }

  /** Lambda's checks of a mapping, with its messages. */
  private async settings(p: EventSourceMappingInput): Promise<Settings> {
    const functionName = String(p.FunctionName ?? '');
    const { fn } = this.o.lambda.lookup(functionName);
    if (!fn) throw new LambdaApiError('ResourceNotFoundException', `Function not found: ${functionName}`, 404);
    const eventSourceArn = String(p.EventSourceArn ?? '');
    const arn = SQS_ARN.exec(eventSourceArn);
    if (!arn) throw invalid(`EventSourceArn ${eventSourceArn || '(none)'}: only SQS queues are polled by the local cloud`);
    const [, region, , queueName, fifo] = arn;
    const windowSeconds = integer(p.MaximumBatchingWindowInSeconds, 'maximumBatchingWindowInSeconds', 0, 300, 0);
    const batchSize = integer(p.BatchSize, 'batchSize', 1, fifo ? 10 : 10_000, 10);
    if (batchSize > 10 && windowSeconds < 1) {
      throw invalid('Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10');
    }
    const types = p.FunctionResponseTypes ?? [];
    if (!Array.isArray(types) || types.some((t) => t !== 'ReportBatchItemFailures')) {
      throw invalid(`FunctionResponseTypes ${JSON.stringify(types)}: the only value is ReportBatchItemFailures`);
    }
    const concurrency = p.ScalingConfig?.MaximumConcurrency;
    const maximumConcurrency = concurrency === undefined ? undefined : integer(concurrency, 'scalingConfig.maximumConcurrency', 2, 1000, 2);
    const filters = (p.FilterCriteria?.Filters ?? []).map((f) => {
      const source = typeof f?.Pattern === 'string' ? f.Pattern : JSON.stringify(f?.Pattern ?? null);
      try {
        return { source, pattern: compilePattern(source) };
      } catch (e) {
        if (e instanceof InvalidEventPatternError) throw invalid(`Invalid filter pattern definition. ${e.message}`);
        throw e;
      }
    });
    if (filters.length > 5) throw invalid(`FilterCriteria: at most 5 filters, got ${filters.length}`);
    const out = await this.o.sqs.send(new GetQueueAttributesCommand({
      QueueUrl: this.o.queueUrl(region, queueName), AttributeNames: ['VisibilityTimeout'],
    })).catch(() => undefined);
    if (!out) throw invalid(`Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue ${eventSourceArn} does not exist.`);
    const visibility = Number(out.Attributes?.VisibilityTimeout ?? 30);
    if (visibility < fn.timeoutSeconds) {
      throw invalid(`Queue visibility timeout: ${visibility} seconds is less than Function timeout: ${fn.timeoutSeconds} seconds`);
    }
    return {
      functionName,
      eventSourceArn,
      region,
      queueName,
      batchSize,
      windowSeconds,
      enabled: p.Enabled === undefined || p.Enabled === true || p.Enabled === 'true',
      reportBatchItemFailures: types.length > 0,
      maximumConcurrency,
      filters,
    };
  }
}
