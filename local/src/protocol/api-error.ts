/** Whom AWS blames for an error: the caller (`Sender`, a 4xx) or the service (`Receiver`, a 5xx). */
export type Fault = 'Sender' | 'Receiver';

export interface ApiErrorOptions {
  /** the HTTP status, 400 to 599 @default 400 */
  readonly status?: number;
  /** @default - `Receiver` for a 5xx status, else `Sender` */
  readonly fault?: Fault;
}

/**
 * An error an emulated service answers with, in any protocol: AWS's error code (`__type`,
 * `x-amzn-ErrorType`, `<Code>`), its message, the HTTP status and whose fault it is. Each service's
 * `errors.ts` builds its errors on it; `error-responses.ts` writes it in the service's protocol.
 * `name` is the code too, so `${e.name}: ${e.message}` reads as AWS prints it.
 */
export class ApiError extends Error {
  public readonly code: string;
  public readonly status: number;
  public readonly fault: Fault;

  constructor(code: string, message: string, options: ApiErrorOptions = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = options.status ?? 400;
    this.fault = options.fault ?? (this.status >= 500 ? 'Receiver' : 'Sender');
  }
}

/** AWS's JSON protocols' answer to a body or member of the wrong shape. */
export function serializationError(message: string): ApiError {
  return new ApiError('SerializationException', message);
}
