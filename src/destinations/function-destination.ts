import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DestinationBindOptions, DestinationConfig } from './destination';
import { defaultEventBus } from './event-bus-destination';
import { FunctionDestinationOptions } from './function-options';
import { OutcomeDestination } from './outcome-destination';
import { validationError } from '../private/errors';
import { functionTarget, isSameFunction } from '../private/function-target';
import { grantToFunction } from '../private/grants';
import { acknowledgeNagFindings } from '../private/nag';
import { Outcome } from '../private/outcome';

/** Invokes another function asynchronously with each record (or only its response payload). */
export class FunctionDestination extends OutcomeDestination {
  constructor(private readonly fn: lambda.IFunction, private readonly options: FunctionDestinationOptions = {}) {
    super();
  }

  protected bind(scope: Construct, options: DestinationBindOptions, outcome: Outcome): DestinationConfig {
    if (isSameFunction(this.fn, options.source)) {
      throw validationError(scope, `on${outcome}: a function cannot be its own destination, got ${this.fn.node.path}`);
    }
    if (this.options.eventBus && !this.options.responseOnly) {
      throw validationError(scope, `on${outcome}: eventBus is only used with responseOnly: true, got eventBus ${this.options.eventBus.node.path} without it`);
    }
    if (!this.options.responseOnly) {
      return {
        destinationArn: this.fn.functionArn,
        grants: [grantToFunction(scope, options.source, ['lambda:InvokeFunction'], this.fn.functionArn)],
      };
    }

    const bus = this.options.eventBus ?? defaultEventBus(scope, outcome);
    const rule = new events.Rule(scope, `${outcome}ResponseRule`, {
      description: `Forwards the response payload of ${outcome.toLowerCase()} records to the destination function`,
      eventBus: bus,
      eventPattern: {
        source: ['lambda'],
        detailType: [`Lambda Function Invocation Result - ${outcome}`],
        resources: [functionTarget(options.source).qualifiedArn],
      },
      targets: [new targets.LambdaFunction(this.fn, { event: events.RuleTargetInput.fromEventPath('$.detail.responsePayload') })],
    });
    acknowledgeNagFindings(rule, [{
      id: 'Serverless-EventBusDLQ',
      reason: 'EventBridge hands the payload to Lambda\'s asynchronous queue of the destination function; failures after that are covered by that function\'s own asynchronous invocation config.',
    }]);
    return { destinationArn: bus.eventBusArn, grants: [grantToFunction(scope, options.source, ['events:PutEvents'], bus.eventBusArn)] };
  }
}
