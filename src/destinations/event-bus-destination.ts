import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { DestinationBindOptions, DestinationConfig } from './destination';
import { OutcomeDestination } from './outcome-destination';
import { warnAboutEnvironment } from '../private/environment-checks';
import { grantToFunction } from '../private/grants';
import { Outcome } from '../private/outcome';

/**
 * Puts each record on an EventBridge bus as an event with source `lambda` and detail-type
 * `Lambda Function Invocation Result - Success` (or `- Failure`); `detail` is the record.
 */
export class EventBusDestination extends OutcomeDestination {
  constructor(private readonly eventBus?: events.IEventBus) {
    super();
  }

  protected bind(scope: Construct, options: DestinationBindOptions, outcome: Outcome): DestinationConfig {
    const bus = this.eventBus ?? defaultEventBus(scope, outcome);
    warnAboutEnvironment(scope, `on${outcome}`, options.source, { construct: bus, arn: bus.eventBusArn, env: bus.env, resourcePolicy: 'the event bus policy (events:PutEvents)' });
    return { destinationArn: bus.eventBusArn, grants: [grantToFunction(scope, options.source, ['events:PutEvents'], bus.eventBusArn)] };
  }
}

/** The account's default event bus, referenced (not created) in `scope`. */
export function defaultEventBus(scope: Construct, outcome: Outcome): events.IEventBus {
  return events.EventBus.fromEventBusName(scope, `${outcome}DefaultEventBus`, 'default');
}
