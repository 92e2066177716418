/** A CloudWatch Logs API error: `type` is AWS's error code (`__type`), `status` the HTTP status. */
export class LogsError extends Error {
  constructor(public readonly type: string, message: string, public readonly status = 400) {
    super(message);
    this.name = type;
  }
}

export function invalidParameter(message: string): LogsError {
  return new LogsError('InvalidParameterException', message);
}

export function notFound(message: string): LogsError {
  return new LogsError('ResourceNotFoundException', message);
}
