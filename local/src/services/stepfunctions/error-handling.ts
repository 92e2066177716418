/**
 * The errors of the Amazon States Language: those raised at run time (`States.Timeout`, a task's
 * own error) and how Retry and Catch match them, and a definition that is not valid ASL. A state
 * machine sees these; an API caller never does (the API's errors are in errors.ts, on ApiError).
 */

/** An error raised while running a state: carries the Step Functions error name and cause. */
export class StatesError extends Error {
  constructor(public readonly error: string, public readonly cause: string) {
    super(`${error}: ${cause}`);
    this.name = 'StatesError';
  }
}

/** The definition is not valid Amazon States Language (or uses something this interpreter does not support). */
export class InvalidDefinitionError extends Error {
  public readonly code = 'InvalidDefinition';
  constructor(public readonly problems: readonly string[]) {
    super(`Invalid State Machine Definition: ${problems.join('; ')}`);
    this.name = 'InvalidDefinitionError';
  }
}

/** Predefined error names (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html). */
export const StatesErrors = {
  ALL: 'States.ALL',
  TaskFailed: 'States.TaskFailed',
  Timeout: 'States.Timeout',
  Runtime: 'States.Runtime',
  DataLimitExceeded: 'States.DataLimitExceeded',
  NoChoiceMatched: 'States.NoChoiceMatched',
  ParameterPathFailure: 'States.ParameterPathFailure',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  IntrinsicFailure: 'States.IntrinsicFailure',
  Permissions: 'States.Permissions',
} as const;

/** Errors that neither `States.ALL` nor any Retry/Catch can handle: the execution fails. */
const TERMINAL = new Set<string>([StatesErrors.Runtime, StatesErrors.DataLimitExceeded]);

/**
 * Does a Retry/Catch `ErrorEquals` list match `error`?
 * `States.ALL` matches every error but the terminal ones; `States.TaskFailed` matches every error
 * but `States.Timeout` (and the terminal ones); other names match exactly.
 */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  if (TERMINAL.has(error)) return false;
  return errorEquals.some((e) => e === error
    || e === StatesErrors.ALL
    || (e === StatesErrors.TaskFailed && error !== StatesErrors.Timeout));
}
