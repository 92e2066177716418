import { CfnResource } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** A cdk-nag rule that does not apply to a resource this library creates, and why. */
export interface NagAcknowledgement {
  readonly id: string;
  readonly reason: string;
  /** Regular expression (cdk-nag `appliesTo` syntax) for the findings of the rule it covers. */
  readonly appliesToRegex?: string;
}

/**
 * Records, in the `cdk_nag` metadata cdk-nag reads, the findings that are by design on a
 * resource this library creates, each with its reason. No dependency on cdk-nag is needed.
 */
export function acknowledgeNagFindings(construct: IConstruct, acknowledgements: NagAcknowledgement[]): void {
  if (acknowledgements.length === 0) {
    return;
  }
  const resource = (construct.node.defaultChild ?? construct) as CfnResource;
  const existing = resource.getMetadata('cdk_nag')?.rules_to_suppress ?? [];
  resource.addMetadata('cdk_nag', {
    rules_to_suppress: [
      ...existing,
      ...acknowledgements.map(a => ({
        id: a.id,
        reason: a.reason,
        ...(a.appliesToRegex ? { applies_to: [{ regex: a.appliesToRegex }] } : {}),
      })),
    ],
  });
}
