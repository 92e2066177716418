import { ApiError } from '../../protocol';

/** STS's `ValidationError` (awsQuery, 400) with AWS's message. */
export function validationError(message: string): ApiError {
  return new ApiError('ValidationError', message);
}

/** An action the local cloud does not implement, named. */
export function invalidAction(action: string): ApiError {
  return new ApiError('InvalidAction', `the local cloud does not implement STS ${action || '(no Action)'}`);
}
