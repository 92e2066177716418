import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { Outcome } from './outcome';

/**
 * What destinations tell the config they are bound to, beyond the public DestinationConfig:
 * kept private so the jsii API stays small.
 */
export interface BindingNotes {
  /** Function destinations reached through a bus (responseOnly): not visible in the config. */
  readonly indirectDestinations: Array<{ readonly outcome: Outcome; readonly destination: lambda.IFunction }>;
  /** Outcomes whose function grant lives in a policy of its own. */
  readonly ownPolicyOutcomes: Set<Outcome>;
}

const notes = new WeakMap<IConstruct, BindingNotes>();

/** The notes of the config `scope` (the construct passed to bind). */
export function bindingNotes(scope: IConstruct): BindingNotes {
  let found = notes.get(scope);
  if (!found) {
    found = { indirectDestinations: [], ownPolicyOutcomes: new Set() };
    notes.set(scope, found);
  }
  return found;
}
