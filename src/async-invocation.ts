import { Annotations, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { AsyncInvocationAlarms, AsyncInvocationAlarmsOptions, IAsyncInvocationMetrics } from './async-invocation-alarms';
import { IFailureDestination, ISuccessDestination } from './destinations/destination';
import { addSynthChecks, ConfigRecord, registryOf } from './private/app-registry';
import { AGE_MAXIMUM, asyncMetric, COUNT_SUM } from './private/async-metrics';
import { effectiveAttempts, maxEventAgeForRetries } from './private/attempts';
import { bindingNotes } from './private/binding-notes';
import { validationError } from './private/errors';
import { functionTarget, FunctionTarget, isBrokenVersion } from './private/function-target';
import { checkDestination, checkFunction, checkMaxEventAgeType, checkProps, checkRetryAttemptsType } from './private/input-checks';
import { display } from './private/resolve';

/** How Lambda handles asynchronous invocations of a function. */
export interface AsyncInvocationOptions {
  /**
   * How many times Lambda retries when the function returns an error.
   *
   * An integer from 0 to 2. Lambda waits about 1 minute before the first retry and about
   * 2 minutes before the second.
   *
   * @default 2
   */
  readonly retryAttempts?: number;

  /**
   * The longest time Lambda keeps an event queued before it drops it (`EventAgeExceeded`).
   *
   * From 60 seconds to 6 hours, in whole seconds.
   *
   * @default Duration.hours(6)
   */
  readonly maxEventAge?: Duration;

  /**
   * Where records of successful invocations go.
   *
   * @default - none
   */
  readonly onSuccess?: ISuccessDestination;

  /**
   * Where records of failed or dropped invocations go.
   *
   * @default - none; a warning is emitted, since such events are otherwise lost silently
   */
  readonly onFailure?: IFailureDestination;
}

/** Properties for {@link AsyncInvocation}. */
export interface AsyncInvocationProps extends AsyncInvocationOptions {
  /**
   * The function, version or alias to configure.
   *
   * A function configures `$LATEST`; a version or an alias configures that qualifier.
   * A qualifier can have only one configuration.
   */
  readonly function: lambda.IFunction;
}

const MIN_EVENT_AGE_SECONDS = 60;
const MAX_EVENT_AGE_SECONDS = 6 * 60 * 60;

/**
 * Configures asynchronous invocation of an existing function, version or alias: retries,
 * maximum event age and typed destinations, with least-privilege grants on the function's
 * execution role that are in place before the configuration is created.
 *
 * @resource AWS::Lambda::EventInvokeConfig
 */
export class AsyncInvocation extends Construct implements IAsyncInvocationMetrics {
  /** The configured function, version or alias. */
  public readonly function: lambda.IFunction;

  /** The longest time Lambda keeps an event queued (the configured value, or Lambda's 6 hours). */
  public readonly maxEventAge: Duration;

  /** The qualifier the configuration applies to: `$LATEST`, a version number or an alias name. */
  public readonly qualifier: string;

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

  private readonly target: FunctionTarget;

  constructor(scope: Construct, id: string, props: AsyncInvocationProps) {
    super(scope, id);
    checkProps(this, props);
    checkFunction(this, 'function', props.function);
    if (isBrokenVersion(props.function)) {
      throw validationError(this, 'function: the version number could not be read from the ARN (Version.fromVersionArn needs ' +
        `a qualified ARN, …:function:<name>:<version>), got ${display(props.function, props.function.functionArn)}`);
    }
    checkRetryAttemptsType(this, props.retryAttempts);
    checkMaxEventAgeType(this, props.maxEventAge);
    checkDestination(this, 'Success', props.onSuccess);
    checkDestination(this, 'Failure', props.onFailure);
    validateRetryAttempts(this, props.retryAttempts);
    const maxEventAgeSeconds = validateMaxEventAge(this, props.maxEventAge);

    const target = functionTarget(props.function);
    this.target = target;
    this.function = props.function;
    this.maxEventAge = props.maxEventAge ?? Duration.hours(6);
    this.qualifier = target.qualifier;

    const onSuccess = props.onSuccess?.bindOnSuccess(this, { source: props.function });
    const onFailure = props.onFailure?.bindOnFailure(this, { source: props.function });
    this.successQueue = onSuccess?.createdQueue;
    this.failureQueue = onFailure?.createdQueue;

    const resource = new lambda.CfnEventInvokeConfig(this, 'Resource', {
      functionName: target.function.functionName,
      qualifier: target.qualifier,
      maximumRetryAttempts: props.retryAttempts,
      maximumEventAgeInSeconds: maxEventAgeSeconds,
      destinationConfig: onSuccess || onFailure ? {
        onSuccess: onSuccess ? { destination: onSuccess.destinationArn } : undefined,
        onFailure: onFailure ? { destination: onFailure.destinationArn } : undefined,
      } : undefined,
    });

    const record: ConfigRecord = {
      invocation: this,
      resource,
      functionPath: target.function.node.path,
      qualifier: target.qualifier,
      ...bindingNotes(this),
    };
    const registry = registryOf(this);
    registry.claimQualifier(record);
    registry.register(record);
    addSynthChecks(record);

    // Lambda checks the execution role's permissions when the configuration is created.
    const grants = [...onSuccess?.grants ?? [], ...onFailure?.grants ?? []];
    resource.node.addDependency(...grants);
    if (target.function !== props.function) {
      // the qualifier is a plain name in the template: make sure the alias or version exists first
      resource.node.addDependency(props.function);
    }
    registry.addStackReferences(this, resource, [resource.functionName, resource.qualifier, onSuccess?.destinationArn, onFailure?.destinationArn],
      `${this.node.path} (its EventInvokeConfig names the function and destinations)`);
    for (const grant of grants) {
      const construct = Construct.isConstruct(grant) ? grant : undefined;
      if (construct) {
        registry.addStackDependency(this, Stack.of(resource), Stack.of(construct), `${this.node.path} (its EventInvokeConfig waits for ${construct.node.path})`);
      }
    }

    if (!props.onFailure) {
      Annotations.of(this).addWarningV2('cdk-async-lambda:noFailureDestination',
        'no onFailure destination: events that fail every attempt or exceed maxEventAge are dropped without a trace. ' +
        'Set onFailure (for example FailureDestination.queue()) to keep them.');
    }
    warnIfRetriesCannotHappen(this, props.retryAttempts, maxEventAgeSeconds);
  }

  /**
   * Events Lambda queued for the configured qualifier (`AsyncEventsReceived`).
   *
   * Dimensions `FunctionName`, plus `Resource` (`<name>:<qualifier>`) for a version or an alias.
   *
   * @default - Sum over 5 minutes, unit Count
   */
  public metricAsyncEventsReceived(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return asyncMetric(this, this.target, 'AsyncEventsReceived', COUNT_SUM, props);
  }

  /**
   * Time from queueing an event to invoking the function (`AsyncEventAge`).
   *
   * @default - Maximum over 5 minutes, unit Milliseconds
   */
  public metricAsyncEventAge(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return asyncMetric(this, this.target, 'AsyncEventAge', AGE_MAXIMUM, props);
  }

  /**
   * Events dropped without a successful run: retries exhausted, expired, or reserved
   * concurrency 0, also those then sent to the on-failure destination (`AsyncEventsDropped`).
   *
   * @default - Sum over 5 minutes, unit Count
   */
  public metricAsyncEventsDropped(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return asyncMetric(this, this.target, 'AsyncEventsDropped', COUNT_SUM, props);
  }

  /**
   * Records Lambda could not deliver to a destination, e.g. a missing permission or a deleted
   * queue (`DestinationDeliveryFailures`).
   *
   * @default - Sum over 5 minutes, unit Count
   */
  public metricDestinationDeliveryFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return asyncMetric(this, this.target, 'DestinationDeliveryFailures', COUNT_SUM, props);
  }

  /**
   * Events Lambda could not send to the function's dead-letter queue (`DeadLetterErrors`).
   *
   * @default - Sum over 5 minutes, unit Count
   */
  public metricDeadLetterErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return asyncMetric(this, this.target, 'DeadLetterErrors', COUNT_SUM, props);
  }

  /**
   * Invocations Lambda stopped because the function is part of a recursive loop
   * (`RecursiveInvocationsDropped`): after about 16 hops, unless the function's `recursiveLoop`
   * is `lambda.RecursiveLoop.ALLOW`.
   *
   * @default - Sum over 5 minutes, unit Count
   */
  public metricRecursiveInvocationsDropped(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return asyncMetric(this, this.target, 'RecursiveInvocationsDropped', COUNT_SUM, props);
  }

  /**
   * Creates CloudWatch alarms on this configuration's metrics and on its failure queue.
   *
   * @param options thresholds and the alarm action
   * @returns the alarms, as the construct `Alarms` under this one
   */
  public addAlarms(options: AsyncInvocationAlarmsOptions = {}): AsyncInvocationAlarms {
    return new AsyncInvocationAlarms(this, 'Alarms', { ...options, asyncInvocation: this });
  }
}

function validateRetryAttempts(scope: IConstruct, retryAttempts: number | undefined): void {
  if (retryAttempts === undefined || Token.isUnresolved(retryAttempts)) {
    return;
  }
  if (!Number.isInteger(retryAttempts) || retryAttempts < 0 || retryAttempts > 2) {
    throw validationError(scope, `retryAttempts must be an integer from 0 to 2, got ${retryAttempts}`);
  }
}

/** Returns the maximum event age in seconds (a token when the duration is one). */
function validateMaxEventAge(scope: IConstruct, maxEventAge: Duration | undefined): number | undefined {
  if (maxEventAge === undefined) {
    return undefined;
  }
  if (maxEventAge.isUnresolved()) {
    try {
      return maxEventAge.toSeconds();
    } catch {
      throw validationError(scope, `maxEventAge from a token must be given with Duration.seconds(), got ${maxEventAge}`);
    }
  }
  const millis = maxEventAge.toMilliseconds();
  if (millis % 1000 !== 0) {
    throw validationError(scope, `maxEventAge must be a whole number of seconds, got ${millis} milliseconds`);
  }
  const seconds = millis / 1000;
  if (seconds < MIN_EVENT_AGE_SECONDS || seconds > MAX_EVENT_AGE_SECONDS) {
    throw validationError(scope, `maxEventAge must be from 60 seconds to 6 hours, got ${maxEventAge.toHumanString()}`);
  }
  return seconds;
}

/**
 * Warns when maxEventAge leaves no time for some of the retries (see effectiveAttempts: a second
 * attempt needs maxEventAge >= 61 s, a third >= 181 s).
 */
function warnIfRetriesCannotHappen(scope: IConstruct, retryAttempts: number | undefined, maxEventAgeSeconds: number | undefined): void {
  const retries = retryAttempts ?? 2;
  if (Token.isUnresolved(retries) || maxEventAgeSeconds === undefined || Token.isUnresolved(maxEventAgeSeconds)) {
    return;
  }
  const attempts = effectiveAttempts(retries, maxEventAgeSeconds);
  if (attempts < retries + 1) {
    Annotations.of(scope).addWarningV2('cdk-async-lambda:retriesNeverHappen',
      `retryAttempts is ${retries} but with maxEventAge ${maxEventAgeSeconds} seconds at most ${attempts} attempt${attempts === 1 ? '' : 's'} can happen: ` +
      'Lambda waits 60 seconds before the first retry and 120 more before the second, and drops a failed event with EventAgeExceeded ' +
      `when the next attempt would come after maxEventAge. Raise maxEventAge to at least ${maxEventAgeForRetries(retries)} seconds ` +
      `or set retryAttempts to ${attempts - 1}, got ${attempts} effective attempt${attempts === 1 ? '' : 's'}.`);
  }
}
