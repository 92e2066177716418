import * as http from 'node:http';
import { DeployedStack } from './model';
import { el, queryError, queryResponse, Request } from '../../protocol';

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/**
 * CloudFormation (awsQuery): DescribeStacks (status, outputs), ListStackResources,
 * DescribeStackResources, DescribeStackResource, ListExports, so tests find physical ids by logical
 * id; and DeleteStack, which starts the stack's teardown and answers at once, as AWS does.
 */
export class CloudFormationApi {
  /**
   * @param stacks the deployed stacks
   * @param deleteStack tears one stack down (rejects with its DELETE_FAILED error)
   */
  constructor(private readonly stacks: () => DeployedStack[], private readonly deleteStack?: (name: string) => Promise<void>) {}

  public handle(req: Request, res: http.ServerResponse): void {
    const params = new URLSearchParams(req.body.toString('utf8'));
    const action = params.get('Action') ?? '';
    const find = (nameOrId: string | null): DeployedStack | undefined => {
      const s = this.stacks().find((x) => x.name === nameOrId || x.id === nameOrId);
      if (!s) queryError(res, 400, 'ValidationError', `Stack with id ${nameOrId} does not exist`, XMLNS);
      return s;
    };
    switch (action) {
      case 'DescribeStacks': {
        const name = params.get('StackName');
        const list = name ? [find(name)] : this.stacks();
        if (list.includes(undefined)) return;
        const members = (list as DeployedStack[]).map((s) => '<member>' + el('StackId', s.id) + el('StackName', s.name)
          + el('CreationTime', s.createdAt.toISOString()) + el('LastUpdatedTime', s.lastUpdatedAt?.toISOString())
          + el('StackStatus', s.status) + el('StackStatusReason', s.statusReason)
          + '<Outputs>' + s.outputs.map((o) => '<member>' + el('OutputKey', o.key) + el('OutputValue', o.value)
            + el('Description', o.description) + el('ExportName', o.exportName) + '</member>').join('') + '</Outputs>'
          + '</member>').join('');
        return queryResponse(res, action, XMLNS, `<Stacks>${members}</Stacks>`);
      }
      case 'ListStackResources': {
        const s = find(params.get('StackName'));
        if (!s) return;
        const members = s.resources.map((r) => '<member>' + el('LogicalResourceId', r.logicalId) + el('PhysicalResourceId', r.physicalId)
          + el('ResourceType', r.type) + el('LastUpdatedTimestamp', r.timestamp.toISOString()) + el('ResourceStatus', 'CREATE_COMPLETE')
          + '</member>').join('');
        return queryResponse(res, action, XMLNS, `<StackResourceSummaries>${members}</StackResourceSummaries>`);
      }
      case 'DescribeStackResources':
      case 'DescribeStackResource': {
        const s = find(params.get('StackName'));
        if (!s) return;
        const logicalId = params.get('LogicalResourceId');
        const physicalId = params.get('PhysicalResourceId');
        const rs = s.resources.filter((r) => (!logicalId || r.logicalId === logicalId) && (!physicalId || r.physicalId === physicalId));
        if (action === 'DescribeStackResource' && rs.length === 0) {
          return queryError(res, 400, 'ValidationError', `Resource ${logicalId} does not exist for stack ${s.name}`, XMLNS);
        }
        const body = (r: typeof rs[0]) => el('StackName', s.name) + el('StackId', s.id) + el('LogicalResourceId', r.logicalId)
          + el('PhysicalResourceId', r.physicalId) + el('ResourceType', r.type) + el('Timestamp', r.timestamp.toISOString())
          + el('LastUpdatedTimestamp', r.timestamp.toISOString()) + el('ResourceStatus', 'CREATE_COMPLETE');
        if (action === 'DescribeStackResource') {
          return queryResponse(res, action, XMLNS, `<StackResourceDetail>${body(rs[0])}</StackResourceDetail>`);
        }
        return queryResponse(res, action, XMLNS, `<StackResources>${rs.map((r) => `<member>${body(r)}</member>`).join('')}</StackResources>`);
      }
      case 'DeleteStack': {
        if (!this.deleteStack) return queryError(res, 400, 'InvalidAction', 'the local cloud does not implement CloudFormation DeleteStack', XMLNS);
        const nameOrId = params.get('StackName') ?? '';
        const s = this.stacks().find((x) => x.name === nameOrId || x.id === nameOrId);
        // a failure shows as the stack's DELETE_FAILED status; a stack that does not exist: success, as on AWS
        if (s) void this.deleteStack(s.name).catch(() => undefined);
        return queryResponse(res, action, XMLNS, '');
      }
      case 'ListExports': {
        const members = this.stacks().flatMap((s) => s.outputs.filter((o) => o.exportName).map((o) => '<member>'
          + el('ExportingStackId', s.id) + el('Name', o.exportName) + el('Value', o.value) + '</member>')).join('');
        return queryResponse(res, action, XMLNS, `<Exports>${members}</Exports>`);
      }
      default:
        return queryError(res, 400, 'InvalidAction', `the local cloud does not implement CloudFormation ${action}`, XMLNS);
    }
  }
}
