/**
 * The stack model the CloudFormation API answers from: stacks, their resources and their events
 * (the stack engine, `stacks/`, writes them); and what the change-set API keeps over a
 * {@link StackEngine} (templates, parameters, statuses, events, change sets).
 */

/** CloudFormation's stack statuses the local stack engine passes through. */
export type StackStatus =
  | 'REVIEW_IN_PROGRESS' | 'CREATE_IN_PROGRESS' | 'CREATE_COMPLETE'
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

/** A CloudFormation template as the API reads it (JSON). */
export type TemplateDocument = Record<string, any>;

/** A stack as the engine deployed it, with its template. */
export interface EngineStack extends DeployedStack {
  /** the template it runs */
  readonly template: TemplateDocument;
}

/** A resource's progress (or the stack's own), as a stack event reports it. */
export interface ResourceEvent {
  readonly logicalId: string;
  readonly type: string;
  readonly status: StackStatus | ResourceStatus;
  readonly physicalId?: string;
  readonly reason?: string;
}

/** What the change-set API asks the engine to deploy. */
export interface StackDeployment {
  readonly stackName: string;
  readonly stackId: string;
  readonly template: TemplateDocument;
  /** every template parameter's value (SSM parameter types already resolved) */
  readonly parameters: Readonly<Record<string, string>>;
  /** told of each resource's progress */
  readonly onResourceEvent: (e: ResourceEvent) => void;
}

/**
 * Creates, updates and deletes stacks' resources. `deploy` creates the stack or updates it to the
 * template; it rejects (with CloudFormation's reason) after rolling back, so nothing deployed
 * before is lost. `delete` rejects with the DELETE_FAILED reason, the stack keeping what is left.
 */
export interface StackEngine {
  stacks(): readonly EngineStack[];
  deploy(deployment: StackDeployment): Promise<EngineStack>;
  delete(stackName: string, onResourceEvent: (e: ResourceEvent) => void): Promise<void>;
  /** the engine's own events of a stack, newest first (stacks deployed without the API) */
  events?(nameOrId: string): readonly StackEvent[];
}

export interface StackParameter {
  readonly key: string;
  /** as given (an SSM parameter type: the parameter's name) */
  readonly value: string;
  /** an SSM parameter type's value */
  readonly resolved?: string;
}

export interface ResourceChange {
  readonly action: 'Add' | 'Modify' | 'Remove';
  readonly logicalId: string;
  readonly type: string;
  readonly physicalId?: string;
  readonly replacement?: 'True' | 'False' | 'Conditional';
}

export interface ChangeSet {
  readonly id: string;
  readonly name: string;
  readonly stackId: string;
  readonly stackName: string;
  readonly type: 'CREATE' | 'UPDATE';
  status: 'CREATE_COMPLETE' | 'FAILED' | 'DELETE_COMPLETE';
  statusReason?: string;
  executionStatus: 'AVAILABLE' | 'UNAVAILABLE' | 'EXECUTE_IN_PROGRESS' | 'EXECUTE_COMPLETE' | 'EXECUTE_FAILED' | 'OBSOLETE';
  readonly template: TemplateDocument;
  readonly templateBody: string;
  readonly parameters: readonly StackParameter[];
  readonly changes: readonly ResourceChange[];
  readonly capabilities: readonly string[];
  readonly tags: readonly { key: string; value: string }[];
  readonly description?: string;
  readonly createdAt: Date;
}

/** A stack as the API keeps it. */
export interface StackRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Date;
  /** the API's status; undefined: the engine's */
  status?: StackStatus;
  statusReason?: string;
  lastUpdatedAt?: Date;
  deletedAt?: Date;
  /** the template and parameters deployed (none while REVIEW_IN_PROGRESS) */
  template?: TemplateDocument;
  templateBody?: string;
  parameters: readonly StackParameter[];
  capabilities: readonly string[];
  tags: readonly { key: string; value: string }[];
  /** oldest first */
  readonly events: StackEvent[];
  readonly changeSets: ChangeSet[];
}
