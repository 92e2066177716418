import { randomUUID } from 'node:crypto';
import { ErrorPayload } from './worker-pool';

export type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency' | 'RecursiveInvocationDropped';

export interface RecordInput {
  readonly requestId: string;
  /** qualified function ARN (`…:function:name:$LATEST`) */
  readonly functionArn: string;
  readonly condition: Condition;
  readonly approximateInvokeCount: number;
  /** the event as the caller sent it (JSON text) */
  readonly requestPayload: string;
  readonly executedVersion: string;
  /** absent for ZeroReservedConcurrency and RecursiveInvocationDropped */
  readonly response?: { readonly ok: true; readonly payload: string } | { readonly ok: false; readonly error: ErrorPayload };
  readonly timestamp?: Date;
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The invocation record Lambda sends to a destination, with AWS's key order:
 * version, timestamp, requestContext{requestId, functionArn, condition, approximateInvokeCount},
 * requestPayload, responseContext{statusCode, executedVersion, functionError?}, responsePayload.
 */
export function invocationRecord(input: RecordInput): Record<string, unknown> {
  const record: Record<string, unknown> = {
    version: '1.0',
    timestamp: (input.timestamp ?? new Date()).toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    requestPayload: parseOrKeep(input.requestPayload),
  };
  if (input.response) {
    const responseContext: Record<string, unknown> = { statusCode: 200, executedVersion: input.executedVersion };
    if (!input.response.ok) responseContext.functionError = 'Unhandled';
    record.responseContext = responseContext;
    record.responsePayload = input.response.ok ? parseOrKeep(input.response.payload) : input.response.error;
  }
  return record;
}

/**
 * The invocation record as JSON text. A payload nested too deep for `JSON.stringify` (thousands of
 * levels: valid JSON that Lambda accepts) is spliced in as its own text, whitespace removed, so the
 * record still reaches its destination.
 */
export function invocationRecordJson(input: RecordInput): string {
  try {
    return JSON.stringify(invocationRecord(input));
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
  }
  const texts = new Map<string, string>();
  const placeholder = (text: string): string => {
    const key = `local-cloud-payload-${randomUUID()}`;
    texts.set(JSON.stringify(key), compactJson(text));
    return key;
  };
  const response = input.response?.ok && isJson(input.response.payload)
    ? { ...input.response, payload: JSON.stringify(placeholder(input.response.payload)) }
    : input.response;
  const requestPayload = isJson(input.requestPayload) ? JSON.stringify(placeholder(input.requestPayload)) : input.requestPayload;
  let text = JSON.stringify(invocationRecord({ ...input, requestPayload, response }));
  for (const [quoted, json] of texts) {
    const at = text.indexOf(quoted);
    text = text.slice(0, at) + json + text.slice(at + quoted.length);
  }
  return text;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** JSON text without the whitespace between tokens (iterative: any depth). */
export function compactJson(text: string): string {
  const parts: string[] = [];
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) {
      if (i > from) parts.push(text.slice(from, i));
      from = i + 1;
    }
  }
  parts.push(text.slice(from));
  return parts.join('');
}

/** `aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>` */
export function s3RecordKey(functionName: string, at: Date, uuid: string): string {
  const iso = at.toISOString();
  const [y, m, d] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const time = iso.slice(11, 19).replace(/:/g, '.');
  return `aws/lambda/async/${functionName}/${y}/${m}/${d}/${y}-${m}-${d}T${time}-${uuid}`;
}
