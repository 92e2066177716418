// Runs inside Lambda handlers: imports nothing at run time (no aws-cdk-lib, no constructs), so a
// handler bundle that uses it stays small. Load it with `require('cdk-async-lambda/lib/records')`.
import { InvocationCondition } from './invocation-condition';
import { InvocationRecord } from './invocation-record';
import { InvocationResultEvent } from './invocation-result-event';

/** A delivery that does not hold an invocation record, or a record that is malformed. */
export class InvocationRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvocationRecordError';
  }
}

/**
 * Each envelope, list and JSON text is a layer. The deepest real delivery is a ReceiveMessage output
 * → message → body text → SNS notification → message text → EventBridge event → record (6 layers);
 * anything deeper is not a delivery.
 */
const MAX_LAYERS = 8;
const RESULT_DETAIL_TYPES = [InvocationResultEvent.SUCCESS_DETAIL_TYPE, InvocationResultEvent.FAILURE_DETAIL_TYPE];
/** `lambda` is what AWS sends (recorded); one AWS docs page says `aws.lambda`. */
const RESULT_SOURCES = [InvocationResultEvent.SOURCE, 'aws.lambda'];

/**
 * Gets the invocation records out of any delivery of them:
 * - a record itself (a Lambda destination's payload), or its JSON text or bytes (an S3 object body,
 *   a raw SQS message body);
 * - an SQS message (`ReceiveMessage`'s `Messages[i]` or a Lambda SQS event's `Records[i]`), a
 *   `ReceiveMessage` output, or a Lambda SQS event (`Records[]`);
 * - an SNS notification (`{"Type":"Notification","Message":…}`, as an SQS subscriber without raw
 *   delivery receives it) or an SNS → Lambda event (`Records[].Sns`);
 * - an EventBridge event from an event bus destination (`detail-type`
 *   `Lambda Function Invocation Result - Success|Failure`), directly or inside an SQS message.
 *
 * @returns the records, in delivery order (an empty batch gives an empty array)
 * @throws InvocationRecordError on anything else, naming what was found
 */
export function unwrapRecords(delivery: unknown): InvocationRecord[] {
  return unwrap(delivery, 'delivery', 0);
}

/**
 * Gets the one invocation record out of a delivery (see {@link unwrapRecords}).
 *
 * @throws InvocationRecordError when the delivery holds no record, several, or a malformed one
 */
export function unwrapRecord(delivery: unknown): InvocationRecord {
  const records = unwrapRecords(delivery);
  if (records.length !== 1) {
    throw new InvocationRecordError(`expected one invocation record, got ${records.length}: use unwrapRecords() for batches`);
  }
  return records[0];
}

function unwrap(value: unknown, where: string, layer: number): InvocationRecord[] {
  if (layer > MAX_LAYERS) {
    throw new InvocationRecordError(`${where}: envelopes nested more than ${MAX_LAYERS} deep, not a delivery of invocation records`);
  }
  if (value instanceof Uint8Array) {
    return unwrap(decodeUtf8(value, where), where, layer);
  }
  if (typeof value === 'string') {
    return unwrap(parseJson(value, where), `${where} (JSON)`, layer + 1);
  }
  if (!isObject(value)) {
    throw new InvocationRecordError(`${where}: not an invocation record or a delivery of one, got ${describe(value)}`);
  }
  if ('requestContext' in value || 'requestPayload' in value) {
    return [checkRecord(value, where)];
  }
  if (Array.isArray(value.Records)) {
    return value.Records.flatMap((r, i) => unwrap(r, `${where}.Records[${i}]`, layer + 1));
  }
  if (value.eventSource === 'aws:sqs' && typeof value.body === 'string') {
    return unwrap(value.body, `SQS message ${String(value.messageId)}`, layer + 1);
  }
  if (value.EventSource === 'aws:sns' && isObject(value.Sns) && typeof value.Sns.Message === 'string') {
    return unwrap(value.Sns.Message, `SNS message ${String(value.Sns.MessageId)}`, layer + 1);
  }
  if (value.eventSource === 'aws:s3' && isObject(value.s3)) {
    const s3 = value.s3 as { bucket?: { name?: unknown }; object?: { key?: unknown } };
    throw new InvocationRecordError(`${where}: an S3 event notification names the object but carries no record: ` +
      `read s3://${String(s3.bucket?.name)}/${String(s3.object?.key)} and pass its body`);
  }
  if (Array.isArray(value.Messages)) {
    return value.Messages.flatMap((m, i) => unwrap(m, `${where}.Messages[${i}]`, layer + 1));
  }
  if (typeof value.Body === 'string' && typeof value.MessageId === 'string') {
    return unwrap(value.Body, `SQS message ${value.MessageId}`, layer + 1);
  }
  if (value.Type === 'Notification' && typeof value.Message === 'string') {
    return unwrap(value.Message, `SNS message ${String(value.MessageId)}`, layer + 1);
  }
  if ('detail-type' in value) {
    return [unwrapEvent(value, where)];
  }
  throw new InvocationRecordError(`${where}: not an invocation record or a delivery of one, got an object with keys ${keys(value)}`);
}

function unwrapEvent(value: Record<string, unknown>, where: string): InvocationRecord {
  const detailType = value['detail-type'];
  if (!RESULT_DETAIL_TYPES.includes(detailType as string)) {
    throw new InvocationRecordError(`${where}: an EventBridge event that is not an invocation result, got detail-type ${JSON.stringify(detailType)}`);
  }
  if (!RESULT_SOURCES.includes(value.source as string)) {
    throw new InvocationRecordError(`${where}: an invocation result event must have source "lambda", got ${JSON.stringify(value.source)}`);
  }
  return checkRecord(value.detail, `${where}.detail`);
}

function checkRecord(value: unknown, where: string): InvocationRecord {
  if (!isObject(value)) {
    throw new InvocationRecordError(`${where}: not an invocation record, got ${describe(value)}`);
  }
  const problems: string[] = [];
  const expect = (ok: boolean, path: string, what: string, got: unknown) => {
    if (!ok) problems.push(`${path} must be ${what}, got ${describe(got)}`);
  };
  expect(value.version === '1.0', 'version', '"1.0"', value.version);
  expect(typeof value.timestamp === 'string', 'timestamp', 'a string', value.timestamp);
  expect('requestPayload' in value, 'requestPayload', 'present', undefined);
  const context = value.requestContext;
  if (isObject(context)) {
    expect(typeof context.requestId === 'string', 'requestContext.requestId', 'a string', context.requestId);
    expect(typeof context.functionArn === 'string', 'requestContext.functionArn', 'a string', context.functionArn);
    expect(InvocationCondition.ALL.includes(context.condition as string), 'requestContext.condition',
      `one of ${InvocationCondition.ALL.join(', ')}`, context.condition);
    expect(Number.isInteger(context.approximateInvokeCount) && (context.approximateInvokeCount as number) >= 0,
      'requestContext.approximateInvokeCount', 'a whole number', context.approximateInvokeCount);
  } else {
    expect(false, 'requestContext', 'an object', context);
  }
  if ('responseContext' in value) {
    const response = value.responseContext;
    expect(isObject(response) && Number.isInteger(response.statusCode) && typeof response.executedVersion === 'string',
      'responseContext', 'an object with statusCode and executedVersion', response);
  }
  if (problems.length > 0) {
    throw new InvocationRecordError(`${where}: malformed invocation record: ${problems.join('; ')}`);
  }
  return value as unknown as InvocationRecord;
}

function decodeUtf8(bytes: Uint8Array, where: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InvocationRecordError(`${where}: not UTF-8 text, got ${bytes.length} bytes`);
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvocationRecordError(`${where}: not JSON, got ${describe(text)}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keys(value: Record<string, unknown>): string {
  const names = Object.keys(value);
  return names.length === 0 ? '(none)' : names.slice(0, 8).join(', ') + (names.length > 8 ? ', …' : '');
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = typeof value === 'string' ? JSON.stringify(value) : safeJson(value);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
