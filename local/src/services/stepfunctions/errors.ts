import { InvalidDefinitionError } from './error-handling';
import { ApiError } from '../../protocol';

/*
 * The Step Functions API's errors (awsJson 1.0), with AWS's codes and wording. What a running
 * state machine raises (`States.Timeout`, a task's error) is in error-handling.ts: those are seen by
 * Retry and Catch, never by an API caller.
 */

/** A member that is missing or of the wrong shape (`Value null at 'stateMachineArn'`). */
export function validationException(message: string): ApiError {
  return new ApiError('ValidationException', message);
}

/** A required member that is missing. */
export function missingMember(member: string): ApiError {
  return validationException(`1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`);
}

/** An ARN that is not one of the resource type the member takes. */
export function invalidArn(arn: string): ApiError {
  return new ApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${arn}'`);
}

export function stateMachineDoesNotExist(arn: string): ApiError {
  return new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
}

export function executionDoesNotExist(arn: string): ApiError {
  return new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
}

/** StartExecution with the name of an execution that ran, or runs with another input. */
export function executionAlreadyExists(arn: string): ApiError {
  return new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
}

export function invalidName(name: string): ApiError {
  return new ApiError('InvalidName', `Invalid Name: '${name}'`);
}

/** `reason`: what is wrong with the input (`input must be a JSON string`, the JSON parser's message in quotes). */
export function invalidExecutionInput(reason: string): ApiError {
  return new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: ${reason}`);
}

/** A `nextToken` this service did not give out. */
export function invalidToken(token: unknown): ApiError {
  return new ApiError('InvalidToken', `Invalid Token: '${String(token)}'`);
}

/** An operation the local Step Functions does not emulate (`CreateActivity`). */
export function unknownOperation(op: string): ApiError {
  return new ApiError('UnknownOperationException', `Operation ${op} is not supported by the local Step Functions service`);
}

/** A definition that is not valid Amazon States Language, as an API error. */
export function invalidDefinition(e: InvalidDefinitionError): ApiError {
  return new ApiError('InvalidDefinition', e.message);
}

/** Anything else that went wrong while answering: AWS's 500 InternalFailure. */
export function internalFailure(message: string): ApiError {
  return new ApiError('InternalFailure', message, { status: 500 });
}
