/**
 * The CloudFormation service's view of stacks: what the change-set API keeps (templates,
 * parameters, statuses, events, change sets) over a {@link StackEngine} that creates, updates and
 * deletes the resources.
 */

/** A CloudFormation template as the API reads it (JSON). */
export type TemplateDocument = Record<string, any>;

/** One resource of a deployed stack. */
export interface EngineResource {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
  readonly timestamp: Date;
}

/** A stack as the engine deployed it. */
export interface EngineStack {
  readonly name: string;
  readonly id: string;
  readonly createdAt: Date;
  readonly lastUpdatedAt?: Date;
  /** the engine's own status of the stack (`CREATE_COMPLETE`, `DELETE_FAILED`, …) */
  readonly status: string;
  readonly statusReason?: string;
  readonly outputs: readonly { key: string; value: string; description?: string; exportName?: string }[];
  readonly resources: readonly EngineResource[];
  /** the template it runs */
  readonly template: TemplateDocument;
}

/** A resource's progress, as a stack event reports it. */
export interface ResourceEvent {
  readonly logicalId: string;
  readonly type: string;
  readonly status: string;
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
}

/** A CloudFormation API error (awsQuery): `code` is AWS's error code. */
export class CloudFormationError extends Error {
  constructor(public readonly code: string, message: string, public readonly status = 400) {
    super(message);
    this.name = code;
  }
}

export function validationError(message: string): CloudFormationError {
  return new CloudFormationError('ValidationError', message);
}

export interface StackParameter {
  readonly key: string;
  /** as given (an SSM parameter type: the parameter's name) */
  readonly value: string;
  /** an SSM parameter type's value */
  readonly resolved?: string;
}

export interface StackEvent {
  readonly eventId: string;
  readonly stackId: string;
  readonly stackName: string;
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly timestamp: Date;
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
  status?: string;
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
