/** A Lambda API error: `name` is AWS's error type, `status` the HTTP status. */
export class LambdaApiError extends Error {
  constructor(name: string, message: string, public readonly status: number) {
    super(message);
    this.name = name;
  }
}

/** AWS's RecursiveInvocationException, for a synchronous invocation that would continue a loop. */
export function recursiveInvocation(): LambdaApiError {
  return new LambdaApiError('RecursiveInvocationException',
    'Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped your function\'s invocation.', 400);
}
