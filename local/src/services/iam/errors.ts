import { ApiError } from '../../protocol';

export function noSuchEntity(message: string): ApiError {
  return new ApiError('NoSuchEntity', message, { status: 404 });
}

export function malformedPolicyDocument(message: string): ApiError {
  return new ApiError('MalformedPolicyDocument', message);
}

/** An action the local cloud does not implement. */
export function invalidAction(action: string): ApiError {
  return new ApiError('InvalidAction', `the local cloud does not implement IAM ${action}`);
}
