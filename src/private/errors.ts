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
