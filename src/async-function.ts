import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AsyncFunctionProps } from './async-function-props';
import { AsyncInvocation } from './async-invocation';
import { AsyncInvocationAlarms, AsyncInvocationAlarmsOptions, IAsyncInvocationMetrics } from './async-invocation-alarms';
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
export class AsyncFunction extends Construct implements IAsyncInvocationMetrics {
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

  /** The longest time Lambda keeps an event queued (the configured value, or Lambda's 6 hours). */
  public readonly maxEventAge: Duration;

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
    this.maxEventAge = this.asyncInvocation.maxEventAge;
  }

  /** `AsyncEventsReceived` of `$LATEST`; see `AsyncInvocation.metricAsyncEventsReceived`. @default - Sum over 5 minutes */
  public metricAsyncEventsReceived(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.asyncInvocation.metricAsyncEventsReceived(props);
  }

  /** `AsyncEventAge` of `$LATEST`; see `AsyncInvocation.metricAsyncEventAge`. @default - Maximum over 5 minutes */
  public metricAsyncEventAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.asyncInvocation.metricAsyncEventAge(props);
  }

  /** `AsyncEventsDropped` of `$LATEST`; see `AsyncInvocation.metricAsyncEventsDropped`. @default - Sum over 5 minutes */
  public metricAsyncEventsDropped(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.asyncInvocation.metricAsyncEventsDropped(props);
  }

  /** `DestinationDeliveryFailures` of `$LATEST`; see `AsyncInvocation.metricDestinationDeliveryFailures`. @default - Sum over 5 minutes */
  public metricDestinationDeliveryFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.asyncInvocation.metricDestinationDeliveryFailures(props);
  }

  /** `DeadLetterErrors` of `$LATEST`; see `AsyncInvocation.metricDeadLetterErrors`. @default - Sum over 5 minutes */
  public metricDeadLetterErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.asyncInvocation.metricDeadLetterErrors(props);
  }

  /** `RecursiveInvocationsDropped` of `$LATEST`; see `AsyncInvocation.metricRecursiveInvocationsDropped`. @default - Sum over 5 minutes */
  public metricRecursiveInvocationsDropped(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.asyncInvocation.metricRecursiveInvocationsDropped(props);
  }

  /**
   * Creates CloudWatch alarms on the metrics of the function's asynchronous invocation config
   * and on its failure queue; see `AsyncInvocation.addAlarms`.
   */
  public addAlarms(options: AsyncInvocationAlarmsOptions = {}): AsyncInvocationAlarms {
    return this.asyncInvocation.addAlarms(options);
  }
}
