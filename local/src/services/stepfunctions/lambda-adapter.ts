import { LambdaInvokeResult } from './interpreter';

/** A Lambda function error as the runtime reports it. */
export interface LambdaErrorPayload {
  readonly errorType?: string;
  readonly errorMessage?: string;
  readonly trace?: readonly string[];
  readonly [k: string]: unknown;
}

/**
 * Turns a synchronous Lambda invocation outcome into what a Step Functions Lambda task sees:
 * success → the parsed JSON payload (`null` for an empty payload; the raw string if it is not JSON);
 * function error → `Error` = the `errorType` (`Lambda.Unknown` when absent), `Cause` = the JSON of the error payload.
 */
export function lambdaTaskResult(outcome: { ok: true; payload: string } | { ok: false; error: LambdaErrorPayload }): LambdaInvokeResult {
  if (outcome.ok) {
    if (outcome.payload === '' || outcome.payload === undefined) return { payload: null };
    try {
      return { payload: JSON.parse(outcome.payload) };
    } catch {
      return { payload: outcome.payload };
    }
  }
  return lambdaFailure(outcome.error);
}

/** `{ error: errorType, cause: JSON.stringify({ errorType, errorMessage, trace }) }` for a failed Lambda function. */
export function lambdaFailure(err: LambdaErrorPayload): { error: string; cause: string } {
  return { error: typeof err.errorType === 'string' && err.errorType ? err.errorType : 'Lambda.Unknown', cause: JSON.stringify(err) };
}
