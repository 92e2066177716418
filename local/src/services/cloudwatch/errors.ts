import { ApiError } from '../../protocol';

export { serializationError } from '../../protocol';

/** A request value CloudWatch (or the local cloud) does not take. */
export function invalidParameterValue(message: string): ApiError {
  return new ApiError('InvalidParameterValueException', message);
}

/** An operation the local cloud does not implement. */
export function unknownOperation(target: string | undefined): ApiError {
  return new ApiError('UnknownOperationException', `the local cloud does not implement CloudWatch ${target}`);
}
