import { Annotations, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';
import { functionTarget } from './function-target';
import { display } from './resolve';

/** A destination resource: its ARN, account and region, and the policy that must allow another account. */
export interface DestinationResource {
  readonly construct: IConstruct;
  readonly arn: string;
  readonly env: { readonly account: string; readonly region: string };
  /** e.g. "the queue policy". */
  readonly resourcePolicy: string;
}

/**
 * Warns when a destination (or its key) is in another account or region than the function whose
 * records it receives. Unknown (token) accounts and regions are not compared.
 *
 * - Another account: the execution role's grant is not enough; the destination's resource
 *   policy (and key policy) must allow the role too, which this library cannot add.
 * - Another region: AWS documents no cross-Region destinations; CloudFormation may accept the
 *   ARN, but such a setup is very likely a mistake (a region-agnostic import, a wrong env).
 */
export function warnAboutEnvironment(scope: IConstruct, label: string, source: lambda.IFunction, destination: DestinationResource): void {
  const fn = functionTarget(source).function;
  const account = fn.env.account;
  const region = fn.env.region;
  const value = display(destination.construct, destination.arn);
  if (known(account) && known(destination.env.account) && account !== destination.env.account) {
    Annotations.of(scope).addWarningV2('cdk-async-lambda:crossAccountDestination',
      `${label}: the destination is in account ${destination.env.account} while ${source.node.path} runs in account ${account}: ` +
      `the execution role's grant alone is not enough, ${destination.resourcePolicy} must also allow that role ` +
      `(and the key policy, for a customer managed key), got ${value}`);
  }
  if (known(region) && known(destination.env.region) && region !== destination.env.region) {
    Annotations.of(scope).addWarningV2('cdk-async-lambda:crossRegionDestination',
      `${label}: the destination is in region ${destination.env.region} while ${source.node.path} runs in ${region}; AWS documents ` +
      `destinations in the function's region only, got ${value}`);
  }
}

function known(value: string | undefined): value is string {
  return value !== undefined && value !== '' && !Token.isUnresolved(value);
}
