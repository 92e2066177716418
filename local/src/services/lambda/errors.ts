import { ApiError } from '../../protocol';

/** A Lambda API error (restJson1): `name` and `code` are AWS's error type, `status` the HTTP status. */
export class LambdaApiError extends ApiError {
  constructor(code: string, message: string, status: number) {
    super(code, message, { status });
  }
}

/** AWS's RecursiveInvocationException, for a synchronous invocation that would continue a loop. */
export function recursiveInvocation(): LambdaApiError {
  return new LambdaApiError('RecursiveInvocationException',
    'Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped your function\'s invocation.', 400);
}

export function invalidParameterValue(message: string): LambdaApiError {
  return new LambdaApiError('InvalidParameterValueException', message, 400);
}

export function invalidRequestContent(message: string): LambdaApiError {
  return new LambdaApiError('InvalidRequestContentException', message, 400);
}

export function resourceNotFound(message: string): LambdaApiError {
  return new LambdaApiError('ResourceNotFoundException', message, 404);
}
