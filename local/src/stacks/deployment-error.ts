/** What CloudFormation was doing to a resource when it failed. */
export type StackOperation = 'CREATE' | 'UPDATE' | 'DELETE';

const OPERATION_VERB: Record<StackOperation, string> = { CREATE: 'deploy', UPDATE: 'update', DELETE: 'delete' };

/**
 * A resource that failed: CloudFormation's CREATE_FAILED, UPDATE_FAILED or DELETE_FAILED, with
 * AWS's message.
 */
export class DeploymentError extends Error {
  constructor(stack: string, logicalId: string, type: string, reason: string, operation: StackOperation = 'CREATE') {
    super(`stack ${stack} failed to ${OPERATION_VERB[operation]}: ${logicalId} (${type}) ${operation}_FAILED: ${reason}`);
    this.name = 'DeploymentError';
  }
}
