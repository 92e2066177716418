import { ApiError } from '../../protocol';

/** An SSM API error (awsJson1_1): `code` is AWS's error code (`__type`). */
export class SsmError extends ApiError {
  constructor(code: string, message: string, status = 400) {
    super(code, message, { status });
  }
}

export function validation(message: string): SsmError {
  return new SsmError('ValidationException', message);
}

export function parameterNotFound(name: string): SsmError {
  return new SsmError('ParameterNotFound', `Parameter ${name} not found.`);
}
