/**
 * What the attempts of integ-tests-alpha `waitForAssertions` waiters saw. A waiter is a state
 * machine that calls the `isComplete` handler until the assertion holds (Retry on every error);
 * when the retries run out, `onTimeout` answers CloudFormation FAILED with `Operation timed out:
 * <the request>`, which carries no actual value (on AWS neither). Each failed attempt logs
 * `Assertion Failed: {"failed":true,"assertion":"{\"status\":\"fail\",\"message\":…}"}`: this
 * collects those mismatches, by the custom resource's RequestId, from the invocation logs.
 */
import { InvocationReport } from '../services/lambda/model';

const MARKER = 'Assertion Failed: ';

/** One mismatch and the attempts (1-based) that ended with it. */
export interface WaiterMismatch {
  readonly message: string;
  readonly attempts: number[];
}

/** The failed attempts of every waiter of one deployment. */
export class WaiterAttempts {
  private readonly byRequest = new Map<string, { count: number; mismatches: Map<string, number[]> }>();

  /** Reads one invocation: an `isComplete` attempt of a waiter, or anything else (ignored). */
  public record(r: InvocationReport): void {
    let event: { RequestId?: unknown; ResourceProperties?: { stateMachineArn?: unknown } };
    try {
      event = JSON.parse(r.payload);
    } catch {
      return;
    }
    if (!event || typeof event.RequestId !== 'string' || !event.ResourceProperties?.stateMachineArn) return;
    // the provider's first call (which starts the state machine) has the same event: only attempts log the marker,
    // or `No result` when the API call itself failed
    const lines = r.log.split('\n');
    const failed = lines.find((l) => l.includes(MARKER));
    const noResult = lines.find((l) => /\tNo result$/.test(l));
    if (!failed && !noResult) return;
    let message = noResult ? apiCallError(lines, lines.indexOf(noResult)) : '';
    if (failed) {
      try {
        const out = JSON.parse(failed.slice(failed.indexOf(MARKER) + MARKER.length)) as { assertion?: string };
        message = (JSON.parse(out.assertion ?? '{}') as { message?: string }).message ?? failed;
      } catch {
        message = failed.slice(failed.indexOf(MARKER) + MARKER.length);
      }
    }
    const waiter = this.byRequest.get(event.RequestId) ?? { count: 0, mismatches: new Map<string, number[]>() };
    this.byRequest.set(event.RequestId, waiter);
    waiter.count++;
    const attempts = waiter.mismatches.get(message) ?? [];
    attempts.push(waiter.count);
    waiter.mismatches.set(message, attempts);
  }

  /** How many attempts of the waiter of this custom resource request failed. */
  public attempts(requestId: string): number {
    return this.byRequest.get(requestId)?.count ?? 0;
  }

  /** The distinct mismatches of the waiter of this custom resource request, first seen first. */
  public mismatches(requestId: string): WaiterMismatch[] {
    const waiter = this.byRequest.get(requestId);
    return waiter ? [...waiter.mismatches].map(([message, attempts]) => ({ message, attempts })) : [];
  }
}

/**
 * What an attempt's API call failed with. The handler logs `SDK request to <Service>.<action> …`,
 * then the SDK error (`console.log(e)`: its first line is `<ErrorName>: <message>`), then `No result`.
 */
function apiCallError(lines: string[], noResultAt: number): string {
  let call: string | undefined;
  let error: string | undefined;
  for (let i = noResultAt - 1; i >= 0; i--) {
    const text = lines[i].split('\t').pop() ?? '';
    const request = /^SDK request to (\S+) with parameters/.exec(text);
    if (request) {
      call = request[1];
      break;
    }
    const header = /^([A-Za-z][\w.]*(?:Error|Exception|Fault|DoesNotExist|NotFound|Denied|Invalid[\w]*)[\w.]*): (.+)$/.exec(text);
    if (header) error = `${header[1]}: ${header[2]}`;
  }
  const what = call ? `the API call ${call} failed` : 'the API call failed';
  return error ? `no result: ${what}: ${error}` : `no result: ${what} (--verbose shows the handler output)`;
}
