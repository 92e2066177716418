import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { IFailureDestination, ISuccessDestination } from './destinations/destination';
import { effectiveAttempts, maxEventAgeForRetries } from './private/attempts';
import { validationError } from './private/errors';
import { functionIdentity, functionTarget, FunctionTarget } from './private/function-target';
import { checkDestination, checkFunction, checkMaxEventAgeType, checkProps, checkRetryAttemptsType } from './private/input-checks';

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
const NATIVE_CONFIG_ID = 'EventInvokeConfig';

/** Configurations created in each app, by function identity and qualifier, to reject a second one. */
const configured = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Configures asynchronous invocation of an existing function, version or alias: retries,
 * maximum event age and typed destinations, with least-privilege grants on the function's
 * execution role that are in place before the configuration is created.
 *
 * @resource AWS::Lambda::EventInvokeConfig
 */
export class AsyncInvocation extends Construct {
  /** The configured function, version or alias. */
  public readonly function: lambda.IFunction;

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

  constructor(scope: Construct, id: string, props: AsyncInvocationProps) {
    super(scope, id);
    checkProps(this, props);
    checkFunction(this, 'function', props.function);
    checkRetryAttemptsType(this, props.retryAttempts);
    checkMaxEventAgeType(this, props.maxEventAge);
    checkDestination(this, 'Success', props.onSuccess);
    checkDestination(this, 'Failure', props.onFailure);
    validateRetryAttempts(this, props.retryAttempts);
    const maxEventAgeSeconds = validateMaxEventAge(this, props.maxEventAge);

    const target = functionTarget(props.function);
    this.function = props.function;
    this.qualifier = target.qualifier;
    this.claimQualifier(props.function, target);

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

    // Lambda checks the execution role's permissions when the configuration is created.
    resource.node.addDependency(...onSuccess?.grants ?? [], ...onFailure?.grants ?? []);
    if (target.function !== props.function) {
      // the qualifier is a plain name in the template: make sure the alias or version exists first
      resource.node.addDependency(props.function);
    }

    if (!props.onFailure) {
      Annotations.of(this).addWarningV2('cdk-async-lambda:noFailureDestination',
        'no onFailure destination: events that fail every attempt or exceed maxEventAge are dropped without a trace. ' +
        'Set onFailure (for example FailureDestination.queue()) to keep them.');
    }
    warnIfRetriesCannotHappen(this, props.retryAttempts, maxEventAgeSeconds);
  }

  /** Rejects a second configuration of the same function and qualifier (CloudFormation would fail to deploy it). */
  private claimQualifier(fn: lambda.IFunction, target: FunctionTarget): void {
    const root = this.node.root;
    const byKey = configured.get(root) ?? new Map<string, string>();
    configured.set(root, byKey);
    const key = `${functionIdentity(fn)}|${this.qualifier}`;
    const existing = byKey.get(key);
    if (existing) {
      throw validationError(this, `qualifier ${this.qualifier} of ${target.function.node.path} already has an asynchronous invocation config: ${existing}`);
    }
    byKey.set(key, this.node.path);

    // aws-cdk-lib's own configureAsyncInvoke() (or onSuccess/onFailure/retryAttempts/maxEventAge on
    // lambda.Function) may also be used, before or after this construct.
    const owner = this.qualifier === '$LATEST' ? target.function : fn;
    this.node.addValidation({
      validate: () => {
        const native = owner.node.tryFindChild(NATIVE_CONFIG_ID);
        return native
          ? [`qualifier ${this.qualifier} of ${owner.node.path} is also configured by ${native.node.path} (configureAsyncInvoke or the function's onSuccess/onFailure/retryAttempts/maxEventAge); keep one`]
          : [];
      },
    });
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
