import { RequiredPermission, parseArn, DestinationKind } from './destinations/destination';
import { LambdaFunction } from './model';
import { IamStore } from '../../iam/iam-store';

/** The checks of a function's execution role before Lambda sends to a destination or dead-letter queue. */
export class ExecutionRole {
  /** Customer managed KMS keys of encrypted destinations (queue/topic/bucket ARN → key ARN). */
  public readonly destinationKeys = new Map<string, string>();

  constructor(private readonly iam: IamStore, private readonly kind: (service: string) => DestinationKind | undefined) {}

  /**
   * The IAM actions a destination needs, as (action, resource ARN, ARN whose resource policy applies).
   * `atDelivery` adds the KMS actions for a destination encrypted with a customer managed key, which
   * Lambda needs when it sends, not when the config is created.
   */
  public requiredPermissions(destination: string, atDelivery: boolean, objectKey = '*'): RequiredPermission[] {
    const key = atDelivery ? this.destinationKeys.get(destination) : undefined;
    return this.kind(parseArn(destination).service)?.requiredPermissions(destination, key, objectKey) ?? [];
  }

  /** undefined when the function's role may deliver to the destination, else AWS-style text. */
  public async permissionProblem(fn: LambdaFunction, destination: string, atDelivery: boolean,
    objectKey = `aws/lambda/async/${fn.name}/x`): Promise<string | undefined> {
    for (const p of this.requiredPermissions(destination, atDelivery, objectKey)) {
      const d = await this.iam.check(fn.roleArn, fn.name, p.action, p.resource, p.policyResource);
      if (!d.allowed) {
        const verb = p.action.split(':')[1];
        return `The function's execution role does not have permissions to call ${verb} on ${p.action.startsWith('kms:') ? p.resource : destination}`;
      }
    }
    return undefined;
  }
}
