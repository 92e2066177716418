import { randomUUID } from 'node:crypto';
import { CloudFormationError, validationError } from './errors';
import {
  ChangeSet, EngineStack, ResourceChange, ResourceEvent, StackEngine, StackEvent, StackParameter,
  StackRecord, TemplateDocument,
} from './model';
import { parseTemplate } from './template';

/** Largest `TemplateBody` (AWS's limit; larger templates go through S3 and `TemplateURL`). */
export const MAX_TEMPLATE_BODY = 51_200;
/** Largest template read from `TemplateURL` (AWS's limit). */
export const MAX_TEMPLATE_URL_SIZE = 1_000_000;
/** Events kept per stack (the oldest go first). */
const MAX_EVENTS = 2_000;
/** Change sets kept per stack (the oldest, executed or not, go first). */
const MAX_CHANGE_SETS = 50;
/** Deleted stacks kept, found by id (the oldest go first). */
export const MAX_DELETED_STACKS = 100;

export const NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set.";

const SSM_PARAMETER_TYPE = /^AWS::SSM::Parameter::Value<(.+)>$/;
const IAM_TYPES = /^AWS::IAM::/;

/** What CreateChangeSet (and CreateStack / UpdateStack) read. */
export interface ChangeSetInput {
  readonly stackName: string;
  readonly changeSetName: string;
  readonly changeSetType: string;
  readonly templateBody?: string;
  readonly templateUrl?: string;
  readonly usePreviousTemplate?: boolean;
  readonly parameters: readonly { key: string; value?: string; usePreviousValue?: boolean }[];
  readonly capabilities: readonly string[];
  readonly tags: readonly { key: string; value: string }[];
  readonly description?: string;
}

/** What GetTemplateSummary answers about a template. */
export interface TemplateSummary {
  readonly parameters: { key: string; type: string; default?: string; noEcho: boolean; description?: string }[];
  readonly capabilities: string[];
  readonly resourceTypes: string[];
  readonly description?: string;
  readonly metadata?: unknown;
}

/** A stack as DescribeStacks shows it. */
export interface StackView {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly createdAt: Date;
  readonly lastUpdatedAt?: Date;
  readonly deletedAt?: Date;
  readonly description?: string;
  readonly parameters: readonly StackParameter[];
  readonly outputs: EngineStack['outputs'];
  readonly capabilities: readonly string[];
  readonly tags: readonly { key: string; value: string }[];
}

export interface CloudFormationServiceOptions {
  readonly engine: StackEngine;
  readonly region: string;
  readonly accountId: string;
  /** an S3 object's content (`TemplateURL`), or a rejection with the S3 error */
  readonly readObject: (bucket: string, key: string) => Promise<Buffer>;
  /** an SSM parameter's value, undefined if there is none (`AWS::SSM::Parameter::Value<…>` parameters) */
  readonly ssmParameter: (name: string) => string | undefined;
  /** told of every stack operation started (so `idle()` can wait for it) */
  readonly track: (operation: Promise<void>) => void;
  readonly log: (line: string) => void;
}

/**
 * CloudFormation stacks driven by change sets, as the CDK CLI drives them: CreateChangeSet (a
 * CREATE change set puts a new stack in REVIEW_IN_PROGRESS), DescribeChangeSet, ExecuteChangeSet
 * (the engine deploys; a failure rolls the stack back to ROLLBACK_COMPLETE or
 * UPDATE_ROLLBACK_COMPLETE with the reason), DeleteStack, stack events, templates and parameters.
 */
export class CloudFormationService {
  private readonly records: StackRecord[] = [];
  private lastEventTime = 0;

  constructor(private readonly o: CloudFormationServiceOptions) {}

  /** Live stacks (deleted ones by id only), engine stacks not created through the API included. */
  public stacks(): StackView[] {
    const live = this.records.filter((r) => this.view(r).status !== 'DELETE_COMPLETE').map((r) => this.view(r));
    const others = this.o.engine.stacks().filter((s) => !this.records.some((r) => r.name === s.name && this.live(r)));
    return [...live, ...others.map((s) => this.engineView(s))];
  }

  /** A stack by name (live ones) or id (deleted ones too), or the ValidationError AWS answers. */
  public stack(nameOrId: string): StackView {
    const r = this.record(nameOrId);
    if (r) return this.view(r);
    const s = this.o.engine.stacks().find((x) => x.name === nameOrId || x.id === nameOrId);
    if (!s) throw validationError(`Stack with id ${nameOrId} does not exist`);
    return this.engineView(s);
  }

  /** A stack's events, newest first (a deleted stack's by its id only, as on AWS). */
  public events(nameOrId: string): StackEvent[] {
    const known = this.record(nameOrId) ?? this.o.engine.stacks().some((s) => s.name === nameOrId || s.id === nameOrId);
    if (!known) throw validationError(`Stack [${nameOrId}] does not exist`);
    const record = this.adopt(nameOrId);
    // a stack deployed from the assembly: the engine's events until the API has its own
    if (record.events.length === 0) return [...this.o.engine.events?.(nameOrId) ?? []];
    return [...record.events].reverse();
  }

  /** The template of a stack (or of one of its change sets), as JSON text. */
  public template(nameOrId: string, changeSetName?: string): string {
    if (changeSetName) return this.changeSet(changeSetName, nameOrId).templateBody;
    const r = this.adopt(nameOrId);
    if (r.templateBody === undefined) throw validationError(`Stack with id ${nameOrId} does not have a template yet (REVIEW_IN_PROGRESS)`);
    return r.templateBody;
  }

  /** The template a request names: `TemplateBody`, `TemplateURL` (the local S3) or a stack's. */
  public async readTemplate(input: { templateBody?: string; templateUrl?: string; stackName?: string }):
  Promise<{ template: TemplateDocument; body: string }> {
    let body: string;
    if (input.templateBody !== undefined) {
      if (Buffer.byteLength(input.templateBody) > MAX_TEMPLATE_BODY) {
        throw validationError(`1 validation error detected: Value at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TEMPLATE_BODY}`);
      }
      body = input.templateBody;
    } else if (input.templateUrl !== undefined) {
      body = await this.fetchTemplate(input.templateUrl);
    } else if (input.stackName) {
      body = this.template(input.stackName);
    } else {
      throw validationError('Either Template URL or Template Body must be specified.');
    }
    return { template: parseTemplate(body), body };
  }

  public async createChangeSet(input: ChangeSetInput): Promise<ChangeSet> {
    if (!/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(input.changeSetName)) {
      throw validationError(`1 validation error detected: Value '${input.changeSetName}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
    }
    const type = input.changeSetType || 'UPDATE';
    if (type !== 'CREATE' && type !== 'UPDATE') {
      throw validationError(`ChangeSetType ${type} is not supported by the local cloud (CREATE or UPDATE)`);
    }
    checkStackName(input.stackName);
    let record = this.existing(input.stackName);
    const status = record && this.view(record).status;
    if (type === 'CREATE' && record && status !== 'REVIEW_IN_PROGRESS') {
      throw new CloudFormationError('AlreadyExistsException', `Stack [${input.stackName}] already exists and cannot be created again with the changeSet [${input.changeSetName}].`);
    }
    if (type === 'UPDATE') {
      if (!record) throw validationError(`Stack [${input.stackName}] does not exist`);
      if (status === 'REVIEW_IN_PROGRESS' || status === 'ROLLBACK_COMPLETE' || status?.endsWith('_IN_PROGRESS') || status === 'DELETE_FAILED') {
        throw validationError(`Stack:${record.id} is in ${status} state and can not be updated.`);
      }
    }
    const { template, body } = input.usePreviousTemplate
      ? { template: record?.template ?? {}, body: record?.templateBody ?? '' }
      : await this.readTemplate(input);
    if (input.usePreviousTemplate && !record?.template) throw validationError('UsePreviousTemplate is set but the stack has no template');
    const parameters = this.parameters(template, input.parameters, record?.parameters ?? []);
    const capabilities = requiredCapabilities(template).filter((c) => !input.capabilities.includes(c));
    if (capabilities.length > 0) {
      throw new CloudFormationError('InsufficientCapabilitiesException', `Requires capabilities : [${capabilities[0]}]`);
    }
    if (!record) {
      record = {
        id: `arn:aws:cloudformation:${this.o.region}:${this.o.accountId}:stack/${input.stackName}/${randomUUID()}`,
        name: input.stackName,
        createdAt: new Date(),
        status: 'REVIEW_IN_PROGRESS',
        parameters: [],
        capabilities: [],
        tags: input.tags,
        events: [],
        changeSets: [],
      };
      this.records.push(record);
      this.event(record, { logicalId: record.name, type: 'AWS::CloudFormation::Stack', status: 'REVIEW_IN_PROGRESS', reason: 'User Initiated' });
    }
    const existing = record.changeSets.find((c) => c.name === input.changeSetName && c.status !== 'DELETE_COMPLETE');
    if (existing) {
      throw new CloudFormationError('AlreadyExistsException', `ChangeSet ${input.changeSetName} already exists for stack ${record.name}`);
    }
    const changes = type === 'CREATE' ? resourceChanges({}, template) : resourceChanges(record.template ?? {}, template, this.physicalIds(record.name));
    const unchanged = type === 'UPDATE' && changes.length === 0
      && canonical(template) === canonical(record.template ?? {})
      && JSON.stringify(parameters) === JSON.stringify(record.parameters)
      && JSON.stringify(input.tags) === JSON.stringify(record.tags);
    const changeSet: ChangeSet = {
      id: `arn:aws:cloudformation:${this.o.region}:${this.o.accountId}:changeSet/${input.changeSetName}/${randomUUID()}`,
      name: input.changeSetName,
      stackId: record.id,
      stackName: record.name,
      type,
      status: unchanged ? 'FAILED' : 'CREATE_COMPLETE',
      statusReason: unchanged ? NO_CHANGES : undefined,
      executionStatus: unchanged ? 'UNAVAILABLE' : 'AVAILABLE',
      template,
      templateBody: body,
      parameters,
      changes,
      capabilities: input.capabilities,
      tags: input.tags,
      description: input.description,
      createdAt: new Date(),
    };
    record.changeSets.push(changeSet);
    if (record.changeSets.length > MAX_CHANGE_SETS) record.changeSets.shift();
    return changeSet;
  }

  public changeSet(nameOrId: string, stackName?: string): ChangeSet {
    const byId = nameOrId.startsWith('arn:');
    if (!byId && !stackName) throw validationError('StackName must be specified if ChangeSetName is not specified as an ARN.');
    const candidates = byId ? this.records : this.records.filter((r) => r.name === stackName || r.id === stackName);
    const cs = candidates.flatMap((r) => r.changeSets)
      .filter((c) => (byId ? c.id === nameOrId : c.name === nameOrId) && c.status !== 'DELETE_COMPLETE').pop();
    if (!cs) throw new CloudFormationError('ChangeSetNotFound', `ChangeSet [${nameOrId}] does not exist`, 404);
    return cs;
  }

  public changeSets(stackName: string): ChangeSet[] {
    return this.adopt(stackName).changeSets.filter((c) => c.status !== 'DELETE_COMPLETE');
  }

  public deleteChangeSet(nameOrId: string, stackName?: string): void {
    const cs = this.changeSet(nameOrId, stackName);
    if (cs.executionStatus === 'EXECUTE_IN_PROGRESS') {
      throw new CloudFormationError('InvalidChangeSetStatus', `ChangeSet [${cs.id}] cannot be deleted while it is being executed`);
    }
    cs.status = 'DELETE_COMPLETE';
  }

  /**
   * Starts the change set's execution; the stack's status and events tell how it goes. Resolves
   * when the execution has ended (successfully or rolled back).
   */
  public executeChangeSet(nameOrId: string, stackName?: string): Promise<void> {
    const cs = this.changeSet(nameOrId, stackName);
    const record = this.records.find((r) => r.id === cs.stackId)!;
    if (cs.executionStatus !== 'AVAILABLE') {
      throw new CloudFormationError('InvalidChangeSetStatus', `ChangeSet [${cs.id}] cannot be executed in its current execution status of [${cs.executionStatus}]`);
    }
    const status = this.view(record).status;
    if (status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS') {
      throw validationError(`Stack:${record.id} is in ${status} state and can not be updated.`);
    }
    for (const other of record.changeSets) if (other !== cs && other.executionStatus === 'AVAILABLE') other.executionStatus = 'OBSOLETE';
    cs.executionStatus = 'EXECUTE_IN_PROGRESS';
    const creating = cs.type === 'CREATE';
    record.status = creating ? 'CREATE_IN_PROGRESS' : 'UPDATE_IN_PROGRESS';
    record.statusReason = 'User Initiated';
    this.event(record, { logicalId: record.name, type: 'AWS::CloudFormation::Stack', status: record.status, reason: 'User Initiated' });
    const values = Object.fromEntries(cs.parameters.map((p) => [p.key, p.resolved ?? p.value]));
    const operation = this.o.engine.deploy({
      stackName: record.name,
      stackId: record.id,
      template: cs.template,
      parameters: values,
      onResourceEvent: (e) => this.event(record, e),
    }).then(() => {
      record.template = cs.template;
      record.templateBody = cs.templateBody;
      record.parameters = cs.parameters;
      record.capabilities = cs.capabilities;
      record.tags = cs.tags;
      record.lastUpdatedAt = creating ? undefined : new Date();
      record.status = undefined;
      record.statusReason = undefined;
      cs.executionStatus = 'EXECUTE_COMPLETE';
      if (!creating) this.event(record, { logicalId: record.name, type: 'AWS::CloudFormation::Stack', status: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS' });
      this.event(record, { logicalId: record.name, type: 'AWS::CloudFormation::Stack', status: creating ? 'CREATE_COMPLETE' : 'UPDATE_COMPLETE' });
    }, (e: Error) => {
      cs.executionStatus = 'EXECUTE_FAILED';
      const reason = e.message;
      this.o.log(`stack ${record.name}: ${creating ? 'create' : 'update'} failed, rolled back: ${reason}`);
      const progress = creating ? 'ROLLBACK_IN_PROGRESS' : 'UPDATE_ROLLBACK_IN_PROGRESS';
      this.event(record, { logicalId: record.name, type: 'AWS::CloudFormation::Stack', status: progress, reason });
      record.status = creating ? 'ROLLBACK_COMPLETE' : 'UPDATE_ROLLBACK_COMPLETE';
      record.statusReason = reason;
      if (!creating) record.lastUpdatedAt = new Date();
      this.event(record, { logicalId: record.name, type: 'AWS::CloudFormation::Stack', status: record.status });
    });
    this.o.track(operation);
    return operation;
  }

  /**
   * Starts deleting a stack (a stack that does not exist: nothing, as on AWS). Resolves when the
   * deletion has ended (deleted or DELETE_FAILED).
   */
  public deleteStack(nameOrId: string): Promise<void> {
    const record = this.existing(nameOrId);
    if (!record || record.deletedAt) return Promise.resolve();
    const status = this.view(record).status;
    if (status === 'DELETE_IN_PROGRESS') return Promise.resolve();
    if (status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS') {
      throw validationError(`Stack [${record.name}] cannot be deleted while in status ${status}`);
    }
    record.status = 'DELETE_IN_PROGRESS';
    record.statusReason = 'User Initiated';
    this.event(record, { logicalId: record.name, type: 'AWS::CloudFormation::Stack', status: 'DELETE_IN_PROGRESS', reason: 'User Initiated' });
    const inEngine = this.o.engine.stacks().some((s) => s.name === record.name);
    const operation = (inEngine ? this.o.engine.delete(record.name, (e) => this.event(record, e)) : Promise.resolve()).then(() => {
      record.status = 'DELETE_COMPLETE';
      record.statusReason = undefined;
      record.deletedAt = new Date();
      for (const cs of record.changeSets) cs.status = 'DELETE_COMPLETE';
      this.event(record, { logicalId: record.name, type: 'AWS::CloudFormation::Stack', status: 'DELETE_COMPLETE' });
      const deleted = this.records.filter((r) => r.deletedAt);
      for (const r of deleted.slice(0, Math.max(0, deleted.length - MAX_DELETED_STACKS))) this.records.splice(this.records.indexOf(r), 1);
    }, (e: Error) => {
      record.status = 'DELETE_FAILED';
      record.statusReason = e.message;
      this.event(record, { logicalId: record.name, type: 'AWS::CloudFormation::Stack', status: 'DELETE_FAILED', reason: e.message });
    });
    this.o.track(operation);
    return operation;
  }

  /** What GetTemplateSummary answers about a template. */
  public summary(template: TemplateDocument): TemplateSummary {
    return {
      parameters: Object.entries(template.Parameters ?? {}).map(([key, p]: [string, any]) => ({
        key,
        type: String(p?.Type ?? 'String'),
        default: p?.Default === undefined ? undefined : String(p.Default),
        noEcho: p?.NoEcho === true || p?.NoEcho === 'true',
        description: p?.Description,
      })),
      capabilities: requiredCapabilities(template),
      resourceTypes: [...new Set(Object.values(template.Resources ?? {}).map((r: any) => String(r?.Type)))],
      description: typeof template.Description === 'string' ? template.Description : undefined,
      metadata: template.Metadata,
    };
  }

  /** The record of a live stack (made for one deployed from the assembly), or undefined. */
  private existing(nameOrId: string): StackRecord | undefined {
    if (this.record(nameOrId)) return this.record(nameOrId);
    return this.o.engine.stacks().some((s) => s.name === nameOrId || s.id === nameOrId) ? this.adopt(nameOrId) : undefined;
  }

  private live(r: StackRecord): boolean {
    return this.view(r).status !== 'DELETE_COMPLETE';
  }

  private record(nameOrId: string): StackRecord | undefined {
    return this.records.find((r) => r.id === nameOrId) ?? this.records.find((r) => r.name === nameOrId && this.live(r));
  }

  /** The record of a stack, made for one deployed from the assembly the first time the API touches it. */
  private adopt(nameOrId: string): StackRecord {
    const r = this.record(nameOrId);
    if (r) return r;
    const s = this.o.engine.stacks().find((x) => x.name === nameOrId || x.id === nameOrId);
    if (!s) throw validationError(`Stack with id ${nameOrId} does not exist`);
    const parameters = Object.entries(s.template.Parameters ?? {})
      .map(([key, p]: [string, any]) => ({ key, value: String(p?.Default ?? '') }));
    const record: StackRecord = {
      id: s.id,
      name: s.name,
      createdAt: s.createdAt,
      lastUpdatedAt: s.lastUpdatedAt,
      template: s.template,
      templateBody: JSON.stringify(s.template),
      parameters,
      capabilities: [],
      tags: [],
      events: [],
      changeSets: [],
    };
    this.records.push(record);
    return record;
  }

  private view(r: StackRecord): StackView {
    const engine = this.o.engine.stacks().find((s) => s.name === r.name);
    // no status of its own: the engine's; gone from the engine (destroyed by other means): deleted
    const status = r.status ?? engine?.status ?? 'DELETE_COMPLETE';
    return {
      id: r.id,
      name: r.name,
      status,
      statusReason: r.status ? r.statusReason : engine?.statusReason,
      createdAt: r.createdAt,
      lastUpdatedAt: r.lastUpdatedAt,
      deletedAt: r.deletedAt,
      description: typeof r.template?.Description === 'string' ? r.template.Description : undefined,
      parameters: r.parameters,
      outputs: status === 'DELETE_COMPLETE' || status === 'REVIEW_IN_PROGRESS' ? [] : engine?.outputs ?? [],
      capabilities: r.capabilities,
      tags: r.tags,
    };
  }

  private engineView(s: EngineStack): StackView {
    return {
      id: s.id,
      name: s.name,
      status: s.status,
      statusReason: s.statusReason,
      createdAt: s.createdAt,
      lastUpdatedAt: s.lastUpdatedAt,
      description: typeof s.template.Description === 'string' ? s.template.Description : undefined,
      parameters: [],
      outputs: s.outputs,
      capabilities: [],
      tags: [],
    };
  }

  private physicalIds(stackName: string): Map<string, string> {
    const s = this.o.engine.stacks().find((x) => x.name === stackName);
    return new Map((s?.resources ?? []).map((r) => [r.logicalId, r.physicalId]));
  }

  /** Now, or 1 ms after the last event's time: events in order of their timestamps, as the CLI sorts them. */
  private eventTime(): Date {
    this.lastEventTime = Math.max(Date.now(), this.lastEventTime + 1);
    return new Date(this.lastEventTime);
  }

  private event(r: StackRecord, e: ResourceEvent): void {
    const stackEvent = e.type === 'AWS::CloudFormation::Stack' && e.logicalId === r.name;
    r.events.push({
      eventId: stackEvent ? randomUUID() : `${e.logicalId}-${e.status}-${new Date().toISOString()}`,
      stackId: r.id,
      stackName: r.name,
      logicalId: e.logicalId,
      physicalId: stackEvent ? r.id : e.physicalId ?? '',
      type: e.type,
      status: e.status,
      reason: e.reason,
      timestamp: this.eventTime(),
    });
    if (r.events.length > MAX_EVENTS) r.events.shift();
  }

  /**
   * The parameter values a change set deploys with: given, previous (`UsePreviousValue`) or the
   * default; SSM parameter types resolved from the local Parameter Store.
   */
  private parameters(template: TemplateDocument, given: ChangeSetInput['parameters'], previous: readonly StackParameter[]): StackParameter[] {
    const declared: Record<string, any> = template.Parameters ?? {};
    const unknown = given.filter((g) => !(g.key in declared)).map((g) => g.key);
    if (unknown.length > 0) throw validationError(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
    const missing: string[] = [];
    const unresolved: string[] = [];
    const out: StackParameter[] = [];
    for (const [key, p] of Object.entries(declared)) {
      const g = given.find((x) => x.key === key);
      let value: string | undefined;
      if (g?.usePreviousValue) {
        value = previous.find((x) => x.key === key)?.value;
        if (value === undefined) throw validationError(`Invalid input for parameter key ${key}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`);
      } else {
        value = g?.value ?? (p?.Default === undefined ? undefined : String(p.Default));
      }
      if (value === undefined) {
        missing.push(key);
        continue;
      }
      if (p?.AllowedValues && Array.isArray(p.AllowedValues) && !p.AllowedValues.map(String).includes(value)) {
        throw validationError(`Parameter '${key}' must be one of AllowedValues`);
      }
      const ssm = SSM_PARAMETER_TYPE.exec(String(p?.Type ?? ''));
      if (ssm) {
        const resolved = this.o.ssmParameter(value);
        if (resolved === undefined) unresolved.push(value);
        else out.push({ key, value, resolved });
      } else {
        out.push({ key, value });
      }
    }
    if (missing.length > 0) throw validationError(`Parameters: [${missing.join(', ')}] must have values`);
    if (unresolved.length > 0) throw validationError(`Unable to fetch parameters [${unresolved.join(',')}] from parameter store for this account.`);
    return out;
  }

  /** The object a `TemplateURL` names in the local S3 (only S3 URLs: nothing else is ever fetched). */
  private async fetchTemplate(url: string): Promise<string> {
    const location = s3Location(url);
    if (!location) throw validationError(`TemplateURL must be an Amazon S3 URL of the local cloud's S3, got ${url}`);
    let body: Buffer;
    try {
      body = await this.o.readObject(location.bucket, location.key);
    } catch (e) {
      throw validationError(`S3 error: Unable to get object ${location.key} from bucket ${location.bucket} (TemplateURL ${url}): ${(e as Error).name}`);
    }
    if (body.length > MAX_TEMPLATE_URL_SIZE) throw validationError(`Template may not exceed ${MAX_TEMPLATE_URL_SIZE} bytes in size.`);
    return body.toString('utf8');
  }
}

/** A stack name as AWS allows it: a letter, then letters, digits and hyphens, 128 at most. */
function checkStackName(name: string): void {
  if (!/^[a-zA-Z][-a-zA-Z0-9]{0,127}$/.test(name)) {
    throw validationError(`1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`);
  }
}

/** `{bucket, key}` of an S3 object URL in any of AWS's forms (path or virtual-hosted, any region). */
export function s3Location(text: string): { bucket: string; key: string } | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const path = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const host = url.hostname.toLowerCase();
  const virtual = /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/.exec(host);
  if (virtual && path) return { bucket: virtual[1], key: path };
  const pathStyle = /^s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$/.test(host) || host === '127.0.0.1' || host === 'localhost';
  const slash = path.indexOf('/');
  if (pathStyle && slash > 0 && slash < path.length - 1) return { bucket: path.slice(0, slash), key: path.slice(slash + 1) };
  return undefined;
}

/** CAPABILITY_IAM when the template has IAM resources, CAPABILITY_NAMED_IAM when they are named. */
function requiredCapabilities(template: TemplateDocument): string[] {
  const iam = Object.values(template.Resources ?? {}).filter((r: any) => IAM_TYPES.test(String(r?.Type)));
  if (iam.length === 0) return [];
  const named = iam.some((r: any) => r?.Properties?.RoleName !== undefined || r?.Properties?.ManagedPolicyName !== undefined
    || r?.Properties?.UserName !== undefined || r?.Properties?.GroupName !== undefined || r?.Properties?.InstanceProfileName !== undefined);
  return named ? ['CAPABILITY_NAMED_IAM'] : ['CAPABILITY_IAM'];
}

/** What a change set would do to each resource. */
function resourceChanges(before: TemplateDocument, after: TemplateDocument, physicalIds = new Map<string, string>()): ResourceChange[] {
  const old: Record<string, any> = before.Resources ?? {};
  const now: Record<string, any> = after.Resources ?? {};
  const changes: ResourceChange[] = [];
  for (const [id, r] of Object.entries(now)) {
    if (!(id in old)) changes.push({ action: 'Add', logicalId: id, type: r.Type });
    else if (old[id].Type !== r.Type) changes.push({ action: 'Modify', logicalId: id, type: r.Type, physicalId: physicalIds.get(id), replacement: 'True' });
    else if (canonical(old[id]) !== canonical(r)) changes.push({ action: 'Modify', logicalId: id, type: r.Type, physicalId: physicalIds.get(id), replacement: 'Conditional' });
  }
  for (const [id, r] of Object.entries(old)) {
    if (!(id in now)) changes.push({ action: 'Remove', logicalId: id, type: r.Type, physicalId: physicalIds.get(id) });
  }
  return changes;
}

/** JSON with object keys sorted, so equal templates compare equal. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x)
    ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x));
}
