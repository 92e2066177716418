/**
 * The stack model the CloudFormation API answers from: stacks, their resources and their events.
 * The stack engine (`stacks/`) writes it; the API only reads it.
 */

/** CloudFormation's stack statuses the local stack engine passes through. */
export type StackStatus =
  | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE'
  | 'ROLLBACK_IN_PROGRESS' | 'ROLLBACK_COMPLETE'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' | 'UPDATE_COMPLETE'
  | 'UPDATE_ROLLBACK_IN_PROGRESS' | 'UPDATE_ROLLBACK_COMPLETE'
  | 'DELETE_IN_PROGRESS' | 'DELETE_COMPLETE' | 'DELETE_FAILED';

/** CloudFormation's resource statuses the local stack engine passes through. */
export type ResourceStatus =
  | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE' | 'CREATE_FAILED'
  | 'UPDATE_IN_PROGRESS' | 'UPDATE_COMPLETE' | 'UPDATE_FAILED'
  | 'DELETE_IN_PROGRESS' | 'DELETE_COMPLETE' | 'DELETE_FAILED' | 'DELETE_SKIPPED';

/** The type of the stack's own events (their logical id is the stack name, physical id the stack id). */
export const STACK_RESOURCE_TYPE = 'AWS::CloudFormation::Stack';

/**
 * One stack event, as DescribeStackEvents answers it: a resource's status change, or the stack's
 * own (type `AWS::CloudFormation::Stack`).
 */
export interface StackEvent {
  readonly eventId: string;
  readonly stackId: string;
  readonly stackName: string;
  readonly logicalId: string;
  /** empty while a resource is being created */
  readonly physicalId: string;
  readonly type: string;
  readonly status: StackStatus | ResourceStatus;
  /** why (a failure's message, a rollback's cause) */
  readonly reason?: string;
  readonly timestamp: Date;
}

/** One resource of a deployed stack (what ListStackResources answers). */
export interface DeployedResource {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
  readonly timestamp: Date;
  /** false for resource types the local cloud accepts without emulating */
  readonly emulated: boolean;
}

/** A stack output. */
export interface StackOutput {
  readonly key: string;
  readonly value: string;
  readonly description?: string;
  readonly exportName?: string;
}

export interface DeployedStack {
  readonly name: string;
  readonly id: string;
  readonly createdAt: Date;
  readonly lastUpdatedAt?: Date;
  readonly status: StackStatus;
  /** why the last operation failed */
  readonly statusReason?: string;
  readonly outputs: StackOutput[];
  readonly resources: DeployedResource[];
}
