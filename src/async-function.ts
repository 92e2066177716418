import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AsyncFunctionProps } from './async-function-props';
import { AsyncInvocation } from './async-invocation';
import { checkProps } from './private/input-checks';

/**
 * A Lambda function together with its asynchronous invocation config: retries, maximum event
 * age and typed destinations, validated at synth, with least-privilege grants in place before
 * the config is created.
 *
 * Takes every property of `lambda.Function`. To configure an existing function, a version or
 * an alias, use `AsyncInvocation`.
 *
 * @resource AWS::Lambda::Function
 */
export class AsyncFunction extends Construct {
  /** The function. */
  public readonly function: lambda.Function;

  /** The asynchronous invocation config of the function's `$LATEST`. */
  public readonly asyncInvocation: AsyncInvocation;

  /**
   * The queue created for success records by `SuccessDestination.queue()`.
   *
   * @default - undefined when no queue was created
   */
  public readonly successQueue?: sqs.IQueue;

  /**
   * The queue created for failure records by `FailureDestination.queue()`.
   *
   * @default - undefined when no queue was created
   */
  public readonly failureQueue?: sqs.IQueue;

  constructor(scope: Construct, id: string, props: AsyncFunctionProps) {
    super(scope, id);
    checkProps(this, props);
    const { retryAttempts, maxEventAge, onSuccess, onFailure, ...functionProps } = props;
    this.function = new lambda.Function(this, 'Resource', functionProps);
    this.asyncInvocation = new AsyncInvocation(this, 'AsyncInvocation', {
      function: this.function,
      retryAttempts,
      maxEventAge,
      onSuccess,
      onFailure,
    });
    this.successQueue = this.asyncInvocation.successQueue;
    this.failureQueue = this.asyncInvocation.failureQueue;
  }
}
