/**
 * The invocation record Lambda sends to an on-success or on-failure destination.
 *
 * Keys and order as recorded on AWS:
 * `{"version":"1.0","timestamp":…,"requestContext":{…},"requestPayload":…,"responseContext":{…},"responsePayload":…}`.
 * A JSON Schema of it ships in the npm package: `schema/invocation-record.schema.json`.
 */
export interface InvocationRecord {
  /** The record format version: always `1.0`. */
  readonly version: string;

  /** When Lambda wrote the record: ISO 8601 in UTC with milliseconds, e.g. `2025-11-24T23:08:25.651Z`. */
  readonly timestamp: string;

  /** Which invocation the record is about, and why it was sent. */
  readonly requestContext: InvocationRequestContext;

  /**
   * The event as the caller sent it: parsed JSON (an object, array, string, number, boolean or null).
   */
  readonly requestPayload: any;

  /**
   * How the function answered.
   *
   * @default - absent when the function never ran (`ZeroReservedConcurrency`)
   */
  readonly responseContext?: InvocationResponseContext;

  /**
   * What the function returned (`null` when it returned nothing), or on a function error its error
   * payload: `{"errorType","errorMessage","trace"}` in Node runtimes.
   *
   * @default - absent when the function never ran (`ZeroReservedConcurrency`)
   */
  readonly responsePayload?: any;
}

/** `requestContext` of an {@link InvocationRecord}. */
export interface InvocationRequestContext {
  /** The request id of the asynchronous invocation, the same for every attempt. */
  readonly requestId: string;

  /**
   * The ARN of the function that was invoked, always qualified: `…:function:<name>:$LATEST`, or
   * the version or alias invoked.
   */
  readonly functionArn: string;

  /**
   * Why the record was sent: one of the {@link InvocationCondition} values `Success`,
   * `RetriesExhausted`, `EventAgeExceeded`, `ZeroReservedConcurrency`.
   */
  readonly condition: string;

  /**
   * How many times Lambda ran the function for this event: 1 to 3 (0 for `ZeroReservedConcurrency`).
   */
  readonly approximateInvokeCount: number;
}

/** `responseContext` of an {@link InvocationRecord}. */
export interface InvocationResponseContext {
  /** The invoke status code: `200` when the function ran, also when it failed. */
  readonly statusCode: number;

  /** The version that ran: `$LATEST` or a version number. */
  readonly executedVersion: string;

  /**
   * `Unhandled` when the function failed (a thrown error, a timeout, the runtime exiting).
   *
   * @default - absent on success
   */
  readonly functionError?: string;
}
