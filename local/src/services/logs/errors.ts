import { ApiError } from '../../protocol';

/** A CloudWatch Logs API error (awsJson 1.1): `type` is AWS's error code (`__type`), `status` the HTTP status. */
export class LogsError extends ApiError {
  constructor(type: string, message: string, status = 400) {
    super(type, message, { status });
  }

  /** AWS's error code (the same as `code`). */
  public get type(): string {
    return this.code;
  }
}

export function invalidParameter(message: string): LogsError {
  return new LogsError('InvalidParameterException', message);
}

export function notFound(message: string): LogsError {
  return new LogsError('ResourceNotFoundException', message);
}
