import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AsyncInvocation } from './async-invocation';
import { IFailureDestination, ISuccessDestination } from './destinations/destination';
import { FailureDestination } from './destinations/failure-destination';
import { createQueue } from './destinations/queue-destination';
import { SuccessDestination } from './destinations/success-destination';
import { validationError } from './private/errors';
import { functionIdentity } from './private/function-target';
import { checkFunction, checkProps, describeValue } from './private/input-checks';

/** One step of an {@link AsyncChain}. */
export interface AsyncChainStep {
  /**
   * The function, version or alias that runs this step. It receives the previous step's
   * response payload as its event (the first step: the event the chain is invoked with).
   */
  readonly function: lambda.IFunction;

  /**
   * How many times Lambda retries this step when it returns an error.
   *
   * An integer from 0 to 2.
   *
   * @default 2
   */
  readonly retryAttempts?: number;

  /**
   * The longest time Lambda keeps this step's event queued.
   *
   * From 60 seconds to 6 hours, in whole seconds.
   *
   * @default Duration.hours(6)
   */
  readonly maxEventAge?: Duration;
}

/** Properties for {@link AsyncChain}. */
export interface AsyncChainProps {
  /**
   * The steps, in order: at least 2, each a different function.
   */
  readonly steps: AsyncChainStep[];

  /**
   * Where the failure records of every step go: one sink for the whole chain.
   *
   * @default - a queue created for the chain (`failureQueue`), as `FailureDestination.queue()` creates one
   */
  readonly onFailure?: IFailureDestination;

  /**
   * Where the success record of the last step goes; its `responsePayload` is the chain's result.
   *
   * @default - none
   */
  readonly onSuccess?: ISuccessDestination;

  /**
   * The event bus that carries each step's success record to the rule that forwards its
   * response payload to the next step.
   *
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
}

/**
 * Functions invoked one after another asynchronously: A → B → C. Each step receives the previous
 * step's response payload on success, through the response-only path (an EventBridge rule that
 * matches the step's exact qualified ARN, so versions and aliases work). Every step's failure
 * records go to one sink; each step has its own retries and maximum event age.
 */
export class AsyncChain extends Construct {
  /** The asynchronous invocation config of each step, in order. */
  public readonly steps: AsyncInvocation[];

  /**
   * The queue created for the failure records of every step.
   *
   * @default - undefined when `onFailure` was given
   */
  public readonly failureQueue?: sqs.IQueue;

  constructor(scope: Construct, id: string, props: AsyncChainProps) {
    super(scope, id);
    checkProps(this, props);
    const steps = validateSteps(this, props.steps);
    if (!props.onFailure) {
      this.failureQueue = createQueue(this, 'FailureQueue');
    }
    const onFailure = props.onFailure ?? FailureDestination.queue(this.failureQueue);

    this.steps = steps.map((step, i) => {
      const next = steps[i + 1];
      return new AsyncInvocation(this, `Step${i + 1}`, {
        function: step.function,
        retryAttempts: step.retryAttempts,
        maxEventAge: step.maxEventAge,
        onSuccess: next
          ? SuccessDestination.function(next.function, { responseOnly: true, eventBus: props.eventBus })
          : props.onSuccess,
        onFailure,
      });
    });

    const created = this.steps.map((s) => s.failureQueue).filter((q) => q !== undefined);
    if (created.length > 0) {
      throw validationError(this, `onFailure must be one sink for the whole chain, but FailureDestination.queue() without a queue creates one per step (${created.length}): ` +
        'omit onFailure to get one queue for the chain, or pass an existing queue, got a queue created per step');
    }
  }
}

function validateSteps(scope: Construct, steps: AsyncChainStep[] | undefined): AsyncChainStep[] {
  if (!Array.isArray(steps)) {
    throw validationError(scope, `steps must be a list of steps, got ${describeValue(steps)}`);
  }
  if (steps.length < 2) {
    throw validationError(scope, `a chain needs at least 2 steps, got ${steps.length}`);
  }
  const seen = new Map<string, number>();
  steps.forEach((step, i) => {
    checkFunction(scope, `steps[${i}].function`, step?.function);
    const identity = functionIdentity(step.function);
    const earlier = seen.get(identity);
    if (earlier !== undefined) {
      throw validationError(scope, `steps[${i}] runs the same function as steps[${earlier}], so the chain would loop: ` +
        `each function may appear once, got ${step.function.node.path} again`);
    }
    seen.set(identity, i);
  });
  return steps;
}
