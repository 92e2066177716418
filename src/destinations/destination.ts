import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IDependable } from 'constructs';

/** Options passed to a destination when it is bound to an asynchronous invocation config. */
export interface DestinationBindOptions {
  /**
   * The function, version or alias whose asynchronous invocations produce the records.
   *
   * Its execution role is the principal that delivers records, so grants go to it.
   */
  readonly source: lambda.IFunction;
}

/** The result of binding a destination. */
export interface DestinationConfig {
  /** The ARN written to the EventInvokeConfig's `DestinationConfig`. */
  readonly destinationArn: string;

  /**
   * The grants (or policies) that let the source function's execution role deliver records.
   *
   * Lambda checks these permissions when the EventInvokeConfig is created, so the config
   * is made to depend on them.
   */
  readonly grants: IDependable[];

  /**
   * The queue this binding created, when the destination was `queue()` without a queue.
   *
   * @default - no queue was created
   */
  readonly createdQueue?: sqs.IQueue;
}

/**
 * A destination for records of successful asynchronous invocations.
 *
 * Build one with the factories of `SuccessDestination`.
 */
export interface ISuccessDestination {
  /** Grants the source function what it needs and returns the destination ARN. */
  bindOnSuccess(scope: Construct, options: DestinationBindOptions): DestinationConfig;
}

/**
 * A destination for records of asynchronous invocations that failed or were dropped.
 *
 * Build one with the factories of `FailureDestination`.
 */
export interface IFailureDestination {
  /** Grants the source function what it needs and returns the destination ARN. */
  bindOnFailure(scope: Construct, options: DestinationBindOptions): DestinationConfig;
}
