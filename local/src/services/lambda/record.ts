import { ErrorPayload } from './worker-pool';

export type Condition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency';

export interface RecordInput {
  readonly requestId: string;
  /** qualified function ARN (`…:function:name:$LATEST`) */
  readonly functionArn: string;
  readonly condition: Condition;
  readonly approximateInvokeCount: number;
  /** the event as the caller sent it (JSON text) */
  readonly requestPayload: string;
  readonly executedVersion: string;
  /** absent for ZeroReservedConcurrency */
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

/** `aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>` */
export function s3RecordKey(functionName: string, at: Date, uuid: string): string {
  const iso = at.toISOString();
  const [y, m, d] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)];
  const time = iso.slice(11, 19).replace(/:/g, '.');
  return `aws/lambda/async/${functionName}/${y}/${m}/${d}/${y}-${m}-${d}T${time}-${uuid}`;
}
