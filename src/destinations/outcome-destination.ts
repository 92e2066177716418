import { Construct } from 'constructs';
import { DestinationBindOptions, DestinationConfig, IFailureDestination, ISuccessDestination } from './destination';
import { Outcome } from '../private/outcome';

/** A destination that takes records of either outcome, bound the same way for both. */
export abstract class OutcomeDestination implements ISuccessDestination, IFailureDestination {
  public bindOnSuccess(scope: Construct, options: DestinationBindOptions): DestinationConfig {
    return this.bind(scope, options, 'Success');
  }

  public bindOnFailure(scope: Construct, options: DestinationBindOptions): DestinationConfig {
    return this.bind(scope, options, 'Failure');
  }

  protected abstract bind(scope: Construct, options: DestinationBindOptions, outcome: Outcome): DestinationConfig;
}
