import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { validatePeriod } from './private/async-metrics';
import { validationError } from './private/errors';
import { describeValue } from './private/input-checks';

/** Thresholds and actions of {@link AsyncInvocationAlarms}. */
export interface AsyncInvocationAlarmsOptions {
  /**
   * What every alarm does when it fires (and nothing when it recovers), e.g. an `SnsAction`.
   *
   * @default - no action: the alarms only change state
   */
  readonly alarmAction?: cloudwatch.IAlarmAction;

  /**
   * The period each alarm evaluates, over one datapoint.
   *
   * 1, 5, 10 or 30 seconds, or a multiple of 60 seconds.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * Alarm when this many events are dropped in a period (`AsyncEventsDropped`, Sum): events that
   * failed every attempt, expired, or met reserved concurrency 0 — with an on-failure destination
   * they reach it, without one they are lost.
   *
   * A whole number, 1 or more.
   *
   * @default 1
   */
  readonly eventsDroppedThreshold?: number;

  /**
   * Alarm when this many records fail to reach a destination in a period
   * (`DestinationDeliveryFailures`, Sum): those records are lost.
   *
   * A whole number, 1 or more.
   *
   * @default 1
   */
  readonly deliveryFailuresThreshold?: number;

  /**
   * Alarm when this many events fail to reach the function's dead-letter queue in a period
   * (`DeadLetterErrors`, Sum): those events are lost.
   *
   * A whole number, 1 or more.
   *
   * @default 1
   */
  readonly deadLetterErrorsThreshold?: number;

  /**
   * Alarm when Lambda stops this many invocations as part of a recursive loop in a period
   * (`RecursiveInvocationsDropped`, Sum).
   *
   * A whole number, 1 or more.
   *
   * @default 1
   */
  readonly recursiveInvocationsDroppedThreshold?: number;

  /**
   * Alarm when an event waited this long in Lambda's queue before it ran (`AsyncEventAge`,
   * Maximum): the function falls behind, and events older than `maxEventAge` are dropped.
   *
   * At least 1 second and below the configuration's `maxEventAge`.
   *
   * @default - half the configuration's maxEventAge (3 hours for the default 6 hours)
   */
  readonly eventAgeThreshold?: Duration;

  /**
   * The queue that receives failure records, to alarm on its depth and oldest message.
   *
   * @default - the queue created by `FailureDestination.queue()`; without one, no queue alarms
   */
  readonly failureQueue?: sqs.IQueue;

  /**
   * Alarm when this many failure records wait in the failure queue
   * (`ApproximateNumberOfMessagesVisible`, Maximum).
   *
   * A whole number, 1 or more. Requires a failure queue.
   *
   * @default 1
   */
  readonly failureQueueDepthThreshold?: number;

  /**
   * Alarm when the oldest failure record has waited this long in the failure queue
   * (`ApproximateAgeOfOldestMessage`, Maximum), before the queue's retention deletes it.
   *
   * At least 1 second. Requires a failure queue.
   *
   * @default Duration.days(7) (half the 14-day retention of a queue created for you)
   */
  readonly failureQueueOldestMessageAgeThreshold?: Duration;
}

/** Properties for {@link AsyncInvocationAlarms}. */
export interface AsyncInvocationAlarmsProps extends AsyncInvocationAlarmsOptions {
  /** The asynchronous invocation config to watch, from `AsyncInvocation` or `AsyncFunction`. */
  readonly asyncInvocation: IAsyncInvocationMetrics;
}

/** The metrics of an asynchronous invocation config (implemented by `AsyncInvocation` and `AsyncFunction`). */
export interface IAsyncInvocationMetrics extends IConstruct {
  /** The longest time Lambda keeps an event queued. */
  readonly maxEventAge: Duration;

  /**
   * The queue created for failure records by `FailureDestination.queue()`.
   *
   * @default - undefined when no queue was created
   */
  readonly failureQueue?: sqs.IQueue;

  /** Events Lambda queued for the function (`AsyncEventsReceived`, Sum). */
  metricAsyncEventsReceived(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Time from queueing to invocation (`AsyncEventAge`, Maximum, milliseconds). */
  metricAsyncEventAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Events dropped without a successful run (`AsyncEventsDropped`, Sum). */
  metricAsyncEventsDropped(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Records that could not be delivered to a destination (`DestinationDeliveryFailures`, Sum). */
  metricDestinationDeliveryFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Events that could not be sent to the dead-letter queue (`DeadLetterErrors`, Sum). */
  metricDeadLetterErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric;

  /** Invocations stopped as part of a recursive loop (`RecursiveInvocationsDropped`, Sum). */
  metricRecursiveInvocationsDropped(props?: cloudwatch.MetricOptions): cloudwatch.Metric;
}

/**
 * CloudWatch alarms for an asynchronous invocation config: dropped events, lost records
 * (destination and dead-letter delivery failures), recursive loops, events waiting too long,
 * and failure records piling up in the failure queue.
 *
 * Every alarm evaluates one period, fires at or above its threshold and treats missing data as
 * not breaching (Lambda publishes these metrics only when something happens).
 */
export class AsyncInvocationAlarms extends Construct {
  /** `AsyncEventsDropped` at or above `eventsDroppedThreshold`. */
  public readonly eventsDropped: cloudwatch.Alarm;

  /** `DestinationDeliveryFailures` at or above `deliveryFailuresThreshold`. */
  public readonly deliveryFailures: cloudwatch.Alarm;

  /** `DeadLetterErrors` at or above `deadLetterErrorsThreshold`. */
  public readonly deadLetterErrors: cloudwatch.Alarm;

  /** `RecursiveInvocationsDropped` at or above `recursiveInvocationsDroppedThreshold`. */
  public readonly recursiveInvocationsDropped: cloudwatch.Alarm;

  /** `AsyncEventAge` (Maximum) at or above `eventAgeThreshold`. */
  public readonly eventAge: cloudwatch.Alarm;

  /**
   * The failure queue's visible messages at or above `failureQueueDepthThreshold`.
   *
   * @default - undefined without a failure queue
   */
  public readonly failureQueueDepth?: cloudwatch.Alarm;

  /**
   * The failure queue's oldest message at or above `failureQueueOldestMessageAgeThreshold`.
   *
   * @default - undefined without a failure queue
   */
  public readonly failureQueueOldestMessageAge?: cloudwatch.Alarm;

  /** Every alarm created, to add actions or build a composite alarm. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AsyncInvocationAlarmsProps) {
    super(scope, id);
    const source = props.asyncInvocation;
    validatePeriod(this, 'period', props.period);
    const period = props.period ?? Duration.minutes(5);
    const metricOptions = { period };
    const count = (name: string, value: number | undefined) => validateCount(this, name, value);

    this.eventsDropped = this.alarm('EventsDropped', props, source.metricAsyncEventsDropped(metricOptions),
      count('eventsDroppedThreshold', props.eventsDroppedThreshold), 'events were dropped without a successful run');
    this.deliveryFailures = this.alarm('DeliveryFailures', props, source.metricDestinationDeliveryFailures(metricOptions),
      count('deliveryFailuresThreshold', props.deliveryFailuresThreshold), 'invocation records could not be delivered to their destination and are lost');
    this.deadLetterErrors = this.alarm('DeadLetterErrors', props, source.metricDeadLetterErrors(metricOptions),
      count('deadLetterErrorsThreshold', props.deadLetterErrorsThreshold), 'events could not be sent to the dead-letter queue and are lost');
    this.recursiveInvocationsDropped = this.alarm('RecursiveInvocationsDropped', props, source.metricRecursiveInvocationsDropped(metricOptions),
      count('recursiveInvocationsDroppedThreshold', props.recursiveInvocationsDroppedThreshold), 'invocations were stopped as part of a recursive loop');

    const eventAge = this.eventAgeThreshold(source.maxEventAge, props.eventAgeThreshold);
    this.eventAge = this.alarm('EventAge', props, source.metricAsyncEventAge(metricOptions), eventAge.toMilliseconds(),
      `an event waited ${eventAge.toHumanString()} or more before it ran; events older than ${source.maxEventAge.toHumanString()} are dropped`);

    const queue = props.failureQueue ?? source.failureQueue;
    if (!queue) {
      const given = props.failureQueueDepthThreshold !== undefined ? 'failureQueueDepthThreshold' :
        props.failureQueueOldestMessageAgeThreshold !== undefined ? 'failureQueueOldestMessageAgeThreshold' : undefined;
      if (given) {
        throw validationError(this, `${given} needs a failure queue, but ${source.node.path} created none: pass failureQueue, got no failure queue`);
      }
      return;
    }
    this.failureQueueDepth = this.alarm('FailureQueueDepth', props, queue.metricApproximateNumberOfMessagesVisible({ period, statistic: cloudwatch.Stats.MAXIMUM }),
      count('failureQueueDepthThreshold', props.failureQueueDepthThreshold), 'failure records are waiting in the failure queue');
    const oldest = validateDuration(this, 'failureQueueOldestMessageAgeThreshold', props.failureQueueOldestMessageAgeThreshold) ?? Duration.days(7);
    this.failureQueueOldestMessageAge = this.alarm('FailureQueueOldestMessageAge', props,
      queue.metricApproximateAgeOfOldestMessage({ period, statistic: cloudwatch.Stats.MAXIMUM }), oldest.toSeconds(),
      `a failure record has waited ${oldest.toHumanString()} or more in the failure queue; the queue's retention deletes it eventually`);
  }

  private eventAgeThreshold(maxEventAge: Duration, given: Duration | undefined): Duration {
    const threshold = validateDuration(this, 'eventAgeThreshold', given);
    if (maxEventAge.isUnresolved()) {
      return threshold ?? Duration.hours(3);
    }
    if (threshold === undefined) {
      return Duration.seconds(Math.floor(maxEventAge.toSeconds() / 2));
    }
    if (!threshold.isUnresolved() && threshold.toMilliseconds() >= maxEventAge.toMilliseconds()) {
      throw validationError(this, `eventAgeThreshold must be below maxEventAge (${maxEventAge.toHumanString()}): Lambda drops events at that age, got ${threshold.toHumanString()}`);
    }
    return threshold;
  }

  private alarm(id: string, props: AsyncInvocationAlarmsProps, metric: cloudwatch.Metric, threshold: number, what: string): cloudwatch.Alarm {
    const alarm = metric.createAlarm(this, id, {
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: `${props.asyncInvocation.node.path}: ${what}`,
    });
    if (props.alarmAction) {
      alarm.addAlarmAction(props.alarmAction);
    }
    this.alarms.push(alarm);
    return alarm;
  }
}

function validateCount(scope: IConstruct, name: string, value: number | undefined): number {
  if (value === undefined) {
    return 1;
  }
  if (!Token.isUnresolved(value) && (typeof value !== 'number' || !Number.isInteger(value) || value < 1)) {
    throw validationError(scope, `${name} must be a whole number of 1 or more, got ${describeValue(value)}`);
  }
  return value;
}

function validateDuration(scope: IConstruct, name: string, value: Duration | undefined): Duration | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!(value instanceof Duration)) {
    throw validationError(scope, `${name} must be a Duration (e.g. Duration.minutes(30)), got ${describeValue(value)}`);
  }
  if (!value.isUnresolved() && value.toMilliseconds() < 1000) {
    throw validationError(scope, `${name} must be at least 1 second, got ${value.toHumanString()}`);
  }
  return value;
}
