import * as http from 'node:http';
import { CloudFormationError, validationError } from './errors';
import { EngineStack } from './model';
import { ChangeSetInput, CloudFormationService, StackView } from './service';
import { ApiError, el, queryResponse, Request, sendQueryError } from '../../protocol';

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/**
 * How long ExecuteChangeSet and DeleteStack hold their answer for the operation to end (it goes on
 * after that). Clients poll DescribeStacks (the CDK CLI every 5 s): a stack that is already
 * stable at the first poll saves that wait, on every deploy and destroy.
 */
const SETTLE_MS = 10_000;

function settled(operation: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([operation, new Promise<void>((resolve) => { timer = setTimeout(resolve, SETTLE_MS); })])
    .finally(() => clearTimeout(timer));
}

/**
 * CloudFormation (awsQuery) as the CDK CLI and integ-runner call it: change sets
 * (CreateChangeSet, DescribeChangeSet, ExecuteChangeSet, DeleteChangeSet, ListChangeSets),
 * CreateStack / UpdateStack, DeleteStack, DescribeStacks, DescribeStackEvents, GetTemplate,
 * GetTemplateSummary, ValidateTemplate, ListStacks; and ListStackResources,
 * DescribeStackResource(s), ListExports so tests find physical ids by logical id. Any other action
 * is an `InvalidAction` naming it.
 */
export class CloudFormationApi {
  constructor(private readonly cfn: CloudFormationService, private readonly engineStacks: () => readonly EngineStack[]) {}

  public handle(req: Request, res: http.ServerResponse): Promise<void> {
    const params = new URLSearchParams(req.body.toString('utf8'));
    const action = params.get('Action') ?? '';
    return this.run(action, params).then((result) => queryResponse(res, action, XMLNS, result), (e) => {
      if (e instanceof ApiError) return sendQueryError(res, e, XMLNS);
      throw e;
    });
  }

  private async run(action: string, params: URLSearchParams): Promise<string> {
    const p = (name: string) => params.get(name) ?? undefined;
    switch (action) {
      case 'DescribeStacks': {
        const name = p('StackName');
        const list = name ? [this.cfn.stack(name)] : this.cfn.stacks();
        return `<Stacks>${list.map((s) => `<member>${stackXml(s)}</member>`).join('')}</Stacks>`;
      }
      case 'ListStacks': {
        const filter = members(params, 'StackStatusFilter');
        const list = this.cfn.stacks().filter((s) => filter.length === 0 || filter.includes(s.status));
        return '<StackSummaries>' + list.map((s) => '<member>' + el('StackId', s.id) + el('StackName', s.name)
          + el('CreationTime', s.createdAt.toISOString()) + el('LastUpdatedTime', s.lastUpdatedAt?.toISOString())
          + el('StackStatus', s.status) + el('StackStatusReason', s.statusReason) + '</member>').join('') + '</StackSummaries>';
      }
      case 'DescribeStackEvents': {
        const events = this.cfn.events(required(p('StackName'), 'StackName'));
        return '<StackEvents>' + events.map((e) => '<member>' + el('StackId', e.stackId) + el('EventId', e.eventId)
          + el('StackName', e.stackName) + el('LogicalResourceId', e.logicalId) + el('PhysicalResourceId', e.physicalId)
          + el('ResourceType', e.type) + el('Timestamp', e.timestamp.toISOString()) + el('ResourceStatus', e.status)
          + el('ResourceStatusReason', e.reason) + '</member>').join('') + '</StackEvents>';
      }
      case 'CreateChangeSet': {
        const cs = await this.cfn.createChangeSet(changeSetInput(params));
        return el('Id', cs.id) + el('StackId', cs.stackId);
      }
      case 'CreateStack':
      case 'UpdateStack': {
        // as AWS does: a change set made and executed at once
        const create = action === 'CreateStack';
        const cs = await this.cfn.createChangeSet({ ...changeSetInput(params), changeSetName: `${create ? 'create' : 'update'}-${Date.now()}`, changeSetType: create ? 'CREATE' : 'UPDATE' });
        if (cs.status === 'FAILED') throw validationError('No updates are to be performed.');
        await settled(this.cfn.executeChangeSet(cs.id));
        return el('StackId', cs.stackId);
      }
      case 'DescribeChangeSet': {
        const cs = this.cfn.changeSet(required(p('ChangeSetName'), 'ChangeSetName'), p('StackName'));
        return el('ChangeSetName', cs.name) + el('ChangeSetId', cs.id) + el('StackId', cs.stackId) + el('StackName', cs.stackName)
          + el('Description', cs.description) + el('CreationTime', cs.createdAt.toISOString())
          + el('ExecutionStatus', cs.executionStatus) + el('Status', cs.status) + el('StatusReason', cs.statusReason)
          + '<Parameters>' + cs.parameters.map((x) => `<member>${el('ParameterKey', x.key)}${el('ParameterValue', x.value)}${el('ResolvedValue', x.resolved)}</member>`).join('') + '</Parameters>'
          + '<Capabilities>' + cs.capabilities.map((c) => el('member', c)).join('') + '</Capabilities>'
          + '<Tags>' + cs.tags.map((t) => `<member>${el('Key', t.key)}${el('Value', t.value)}</member>`).join('') + '</Tags>'
          + '<Changes>' + cs.changes.map((c) => '<member><Type>Resource</Type><ResourceChange>' + el('Action', c.action)
            + el('LogicalResourceId', c.logicalId) + el('PhysicalResourceId', c.physicalId) + el('ResourceType', c.type)
            + el('Replacement', c.replacement) + '<Scope/><Details/></ResourceChange></member>').join('') + '</Changes>'
          + el('IncludeNestedStacks', 'false');
      }
      case 'ExecuteChangeSet':
        await settled(this.cfn.executeChangeSet(required(p('ChangeSetName'), 'ChangeSetName'), p('StackName')));
        return '';
      case 'DeleteChangeSet':
        this.cfn.deleteChangeSet(required(p('ChangeSetName'), 'ChangeSetName'), p('StackName'));
        return '';
      case 'ListChangeSets':
        return '<Summaries>' + this.cfn.changeSets(required(p('StackName'), 'StackName')).map((cs) => '<member>'
          + el('StackId', cs.stackId) + el('StackName', cs.stackName) + el('ChangeSetId', cs.id) + el('ChangeSetName', cs.name)
          + el('ExecutionStatus', cs.executionStatus) + el('Status', cs.status) + el('StatusReason', cs.statusReason)
          + el('CreationTime', cs.createdAt.toISOString()) + el('Description', cs.description) + '</member>').join('') + '</Summaries>';
      case 'DeleteStack':
        await settled(this.cfn.deleteStack(required(p('StackName'), 'StackName')));
        return '';
      case 'GetTemplate': {
        const body = this.cfn.template(required(p('StackName') ?? p('ChangeSetName'), 'StackName'), p('ChangeSetName'));
        return el('TemplateBody', body) + '<StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>';
      }
      case 'GetTemplateSummary':
      case 'ValidateTemplate': {
        const { template } = await this.cfn.readTemplate({ templateBody: p('TemplateBody'), templateUrl: p('TemplateURL'), stackName: p('StackName') });
        const s = this.cfn.summary(template);
        const parameters = '<Parameters>' + s.parameters.map((x) => '<member>' + el('ParameterKey', x.key)
          + el('ParameterType', action === 'ValidateTemplate' ? undefined : x.type)
          + el('DefaultValue', x.default) + el('NoEcho', String(x.noEcho)) + el('Description', x.description) + '</member>').join('') + '</Parameters>';
        const capabilities = `<Capabilities>${s.capabilities.map((c) => el('member', c)).join('')}</Capabilities>`;
        if (action === 'ValidateTemplate') return parameters + capabilities + el('Description', s.description);
        return parameters + capabilities + el('Description', s.description) + el('Version', '2010-09-09')
          + `<ResourceTypes>${s.resourceTypes.map((t) => el('member', t)).join('')}</ResourceTypes>`
          + el('Metadata', s.metadata === undefined ? undefined : JSON.stringify(s.metadata)) + '<DeclaredTransforms/>';
      }
      case 'ListStackResources': {
        const s = this.engineStack(required(p('StackName'), 'StackName'));
        return '<StackResourceSummaries>' + s.resources.map((r) => '<member>' + el('LogicalResourceId', r.logicalId)
          + el('PhysicalResourceId', r.physicalId) + el('ResourceType', r.type) + el('LastUpdatedTimestamp', r.timestamp.toISOString())
          + el('ResourceStatus', 'CREATE_COMPLETE') + '</member>').join('') + '</StackResourceSummaries>';
      }
      case 'DescribeStackResources':
      case 'DescribeStackResource': {
        const s = this.engineStack(required(p('StackName'), 'StackName'));
        const logicalId = p('LogicalResourceId');
        const physicalId = p('PhysicalResourceId');
        const rs = s.resources.filter((r) => (!logicalId || r.logicalId === logicalId) && (!physicalId || r.physicalId === physicalId));
        if (action === 'DescribeStackResource' && rs.length === 0) throw validationError(`Resource ${logicalId} does not exist for stack ${s.name}`);
        const body = (r: typeof rs[0]) => el('StackName', s.name) + el('StackId', s.id) + el('LogicalResourceId', r.logicalId)
          + el('PhysicalResourceId', r.physicalId) + el('ResourceType', r.type) + el('Timestamp', r.timestamp.toISOString())
          + el('LastUpdatedTimestamp', r.timestamp.toISOString()) + el('ResourceStatus', 'CREATE_COMPLETE');
        if (action === 'DescribeStackResource') return `<StackResourceDetail>${body(rs[0])}</StackResourceDetail>`;
        return `<StackResources>${rs.map((r) => `<member>${body(r)}</member>`).join('')}</StackResources>`;
      }
      case 'ListExports': {
        return '<Exports>' + this.engineStacks().flatMap((s) => s.outputs.filter((o) => o.exportName).map((o) => '<member>'
          + el('ExportingStackId', s.id) + el('Name', o.exportName) + el('Value', o.value) + '</member>')).join('') + '</Exports>';
      }
      default:
        throw new CloudFormationError('InvalidAction', `the local cloud does not implement CloudFormation ${action || '(no Action)'}`);
    }
  }

  private engineStack(nameOrId: string): EngineStack {
    const s = this.engineStacks().find((x) => x.name === nameOrId || x.id === nameOrId);
    if (!s) throw validationError(`Stack with id ${nameOrId} does not exist`);
    return s;
  }
}

function required(v: string | undefined, name: string): string {
  if (!v) throw validationError(`1 validation error detected: Value null at '${name.charAt(0).toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return v;
}

/** `Name.member.1`, `Name.member.2`, … */
function members(params: URLSearchParams, name: string): string[] {
  const out: string[] = [];
  for (let i = 1; params.has(`${name}.member.${i}`); i++) out.push(params.get(`${name}.member.${i}`)!);
  return out;
}

/** `Name.member.N.<field>` structures. */
function structures(params: URLSearchParams, name: string, fields: string[]): Record<string, string | undefined>[] {
  const out: Record<string, string | undefined>[] = [];
  for (let i = 1; fields.some((f) => params.has(`${name}.member.${i}.${f}`)); i++) {
    out.push(Object.fromEntries(fields.map((f) => [f, params.get(`${name}.member.${i}.${f}`) ?? undefined])));
  }
  return out;
}

function changeSetInput(params: URLSearchParams): ChangeSetInput {
  return {
    stackName: required(params.get('StackName') ?? undefined, 'StackName'),
    changeSetName: params.get('ChangeSetName') ?? '',
    changeSetType: params.get('ChangeSetType') ?? '',
    templateBody: params.get('TemplateBody') ?? undefined,
    templateUrl: params.get('TemplateURL') ?? undefined,
    usePreviousTemplate: params.get('UsePreviousTemplate') === 'true',
    parameters: structures(params, 'Parameters', ['ParameterKey', 'ParameterValue', 'UsePreviousValue']).map((x) => ({
      key: x.ParameterKey ?? '', value: x.ParameterValue, usePreviousValue: x.UsePreviousValue === 'true',
    })),
    capabilities: members(params, 'Capabilities'),
    tags: structures(params, 'Tags', ['Key', 'Value']).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' })),
    description: params.get('Description') ?? undefined,
  };
}

function stackXml(s: StackView): string {
  return el('StackId', s.id) + el('StackName', s.name) + el('Description', s.description)
    + '<Parameters>' + s.parameters.map((x) => `<member>${el('ParameterKey', x.key)}${el('ParameterValue', x.value)}${el('ResolvedValue', x.resolved)}</member>`).join('') + '</Parameters>'
    + el('CreationTime', s.createdAt.toISOString()) + el('LastUpdatedTime', s.lastUpdatedAt?.toISOString()) + el('DeletionTime', s.deletedAt?.toISOString())
    + el('StackStatus', s.status) + el('StackStatusReason', s.statusReason) + el('DisableRollback', 'false')
    + `<Capabilities>${s.capabilities.map((c) => el('member', c)).join('')}</Capabilities>`
    + '<Outputs>' + s.outputs.map((o) => '<member>' + el('OutputKey', o.key) + el('OutputValue', o.value)
      + el('Description', o.description) + el('ExportName', o.exportName) + '</member>').join('') + '</Outputs>'
    + '<Tags>' + s.tags.map((t) => `<member>${el('Key', t.key)}${el('Value', t.value)}</member>`).join('') + '</Tags>'
    + el('EnableTerminationProtection', 'false');
}
