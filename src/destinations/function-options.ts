import * as events from 'aws-cdk-lib/aws-events';

/** Options for a function destination. */
export interface FunctionDestinationOptions {
  /**
   * Deliver only the invocation's response payload instead of the whole record.
   *
   * Lambda destinations always send the whole record, so the record goes to an EventBridge bus
   * and a rule forwards `detail.responsePayload` to the function. The rule matches the exact
   * qualified ARN that is invoked (`$LATEST`, the version or the alias), so invocations through
   * an alias or version are delivered too. On failure the response payload is the error
   * (`errorType`, `errorMessage`, `trace`).
   *
   * @default false
   */
  readonly responseOnly?: boolean;

  /**
   * The bus that carries records to the rule when `responseOnly` is true.
   *
   * Only valid with `responseOnly`.
   *
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
}
