import { IConstruct } from 'constructs';

/**
 * An error for a configuration that can never deploy or work. The message starts with the
 * construct path, so a user with many functions sees at once which one is wrong.
 */
export function validationError(scope: IConstruct, message: string): Error {
  const error = new Error(`[${scope.node.path}] ${message}`);
  error.name = 'ValidationError';
  return error;
}

/**
 * The same for a static factory, which has no construct yet: the message starts with the
 * factory's name, e.g. `[FailureDestination.bucket]`.
 */
export function factoryError(factory: string, message: string): Error {
  const error = new Error(`[${factory}] ${message}`);
  error.name = 'ValidationError';
  return error;
}
