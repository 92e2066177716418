import { ApiError } from '../../protocol';

/** A CloudFormation API error (awsQuery): `code` is AWS's error code. */
export class CloudFormationError extends ApiError {
  constructor(code: string, message: string, status = 400) {
    super(code, message, { status });
  }
}

/** CloudFormation's most common error: `ValidationError` (400) with AWS's message. */
export function validationError(message: string): CloudFormationError {
  return new CloudFormationError('ValidationError', message);
}
