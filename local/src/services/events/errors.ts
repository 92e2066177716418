import { ApiError } from '../../protocol';

/** An EventBridge API error (awsJson 1.1): `name` and `code` are AWS's error type, `status` the HTTP status. */
export class EventsApiError extends ApiError {
  constructor(code: string, message: string, status = 400) {
    super(code, message, { status });
  }
}

/** An operation the local cloud does not implement. */
export function unknownOperation(op: string | undefined): ApiError {
  return new ApiError('UnknownOperationException', `the local cloud does not implement EventBridge ${op}`);
}
