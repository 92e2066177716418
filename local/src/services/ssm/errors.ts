/** An SSM API error: `type` is AWS's error code (`__type`), `status` the HTTP status. */
export class SsmError extends Error {
  constructor(public readonly type: string, message: string, public readonly status = 400) {
    super(message);
    this.name = type;
  }
}

export function validation(message: string): SsmError {
  return new SsmError('ValidationException', message);
}

export function parameterNotFound(name: string): SsmError {
  return new SsmError('ParameterNotFound', `Parameter ${name} not found.`);
}
