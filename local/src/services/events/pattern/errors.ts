/**
 * Thrown when an event pattern is not valid. Mirrors the AWS error: the `name` is the AWS error code
 * (`InvalidEventPatternException`) and the message has the AWS shape
 * `Event pattern is not valid. Reason: <reason>`.
 */
export class InvalidEventPatternError extends Error {
  /** The AWS error code, for an API layer that renders `__type`. */
  public readonly code = 'InvalidEventPatternException';

  /** The bare reason, without the `Event pattern is not valid.` preamble. */
  public readonly reason: string;

  constructor(reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.name = 'InvalidEventPatternException';
    this.reason = reason;
  }
}

/** Throws an {@link InvalidEventPatternError}; typed `never` so callers can use it in expressions. */
export function invalid(reason: string): never {
  throw new InvalidEventPatternError(reason);
}
