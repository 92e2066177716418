import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';
import { DestinationBindOptions, DestinationConfig, IFailureDestination, ISuccessDestination } from './destination';
import { grantToFunction } from '../private/grants';
import { Outcome } from '../private/outcome';

/**
 * Puts each record on an EventBridge bus as an event with source `lambda` and detail-type
 * `Lambda Function Invocation Result - Success` (or `- Failure`); `detail` is the record.
 */
export class EventBusDestination implements ISuccessDestination, IFailureDestination {
  constructor(private readonly eventBus?: events.IEventBus) {}

  public bindOnSuccess(scope: Construct, options: DestinationBindOptions): DestinationConfig {
    return this.bind(scope, options, 'Success');
  }

  public bindOnFailure(scope: Construct, options: DestinationBindOptions): DestinationConfig {
    return this.bind(scope, options, 'Failure');
  }

  private bind(scope: Construct, options: DestinationBindOptions, outcome: Outcome): DestinationConfig {
    const bus = this.eventBus ?? defaultEventBus(scope, outcome);
    return { destinationArn: bus.eventBusArn, grants: [grantToFunction(scope, options.source, ['events:PutEvents'], bus.eventBusArn)] };
  }
}

/** The account's default event bus, referenced (not created) in `scope`. */
export function defaultEventBus(scope: Construct, outcome: Outcome): events.IEventBus {
  return events.EventBus.fromEventBusName(scope, `${outcome}DefaultEventBus`, 'default');
}
