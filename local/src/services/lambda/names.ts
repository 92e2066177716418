import { LambdaApiError } from './errors';

/** CreateFunction's FunctionName pattern (a name, a partial ARN or a full ARN). */
const FUNCTION_NAME_PATTERN = '(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?';
const FUNCTION_NAME = /^(?:arn:(?:aws[a-zA-Z-]*)?:lambda:)?(?:[a-z]{2}(?:-gov)?-[a-z]+-\d{1}:)?(?:\d{12}:)?(?:function:)?([a-zA-Z0-9-_]+)$/;

function validation(field: string, value: string, constraint: string): LambdaApiError {
  return new LambdaApiError('ValidationException',
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`, 400);
}

/**
 * The function name of a CreateFunction `FunctionName` (a name, `<account>:function:<name>` or a
 * full ARN), checked against AWS's rules before it names anything, a directory included: letters,
 * digits, `-` and `_`, 1 to 64 characters. Throws AWS's ValidationException otherwise.
 */
export function functionNameOf(value: string): string {
  const m = FUNCTION_NAME.exec(value);
  if (!m) throw validation('functionName', value, `Member must satisfy regular expression pattern: ${FUNCTION_NAME_PATTERN}`);
  if (m[1].length > 64) throw validation('functionName', value, 'Member must have length less than or equal to 64');
  return m[1];
}

/**
 * Checks a `Handler` (`<module path>.<export>`): AWS's pattern `[^\s]+`, at most 128 characters,
 * and, here, a module path that stays inside the function's code directory (no absolute path, no
 * `..` segment), since the local cloud resolves it on the host's file system.
 */
export function checkHandler(handler: string): void {
  if (!/^[^\s]+$/.test(handler)) throw validation('handler', handler, 'Member must satisfy regular expression pattern: [^\\s]+');
  if (handler.length > 128) throw validation('handler', handler, 'Member must have length less than or equal to 128');
  const modulePath = handler.slice(0, Math.max(0, handler.lastIndexOf('.')));
  if (modulePath.startsWith('/') || modulePath.startsWith('\\') || modulePath.split(/[/\\]/).includes('..')) {
    throw new LambdaApiError('InvalidParameterValueException',
      `The handler ${handler} is outside the function's code directory: the module path must be relative, without '..'`, 400);
  }
}
