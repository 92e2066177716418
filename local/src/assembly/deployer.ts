import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssemblyError, CloudAssembly, StackArtifact, TemplateResource, resourceOrder } from './cloud-assembly';
import { CustomResourceRequestOptions, sendCustomResourceRequest } from './custom-resource-requests';
import { ResolvedResource, Resolver } from './intrinsics';
import { createLogGroup, logsFailure, updateLogGroup } from './log-group-provider';
import { DeletionContext, deleteResource, isCustomResourceType, ResourceState, retained } from './resource-deletion';
import { IamStore } from '../iam/iam-store';
import { CustomResourceResponses } from '../services/cloudformation/custom-resources';
import { EventBridgeService, RuleTarget } from '../services/events/event-bridge';
import { InvalidEventPatternError } from '../services/events/pattern';
import { EventSourceMappings } from '../services/lambda/event-source-mapping';
import { LambdaApiError, LambdaService } from '../services/lambda/lambda-service';
import { executedVersion, LambdaFunction } from '../services/lambda/model';
import { checkHandler, functionNameOf } from '../services/lambda/names';
import { WorkerPool } from '../services/lambda/worker-pool';
import { checkLogGroupName } from '../services/logs/model';
import { LogsService } from '../services/logs/service';
import { BucketSubresources } from '../services/s3/bucket-subresources';
import { SnsLambdaSubscriptions } from '../services/sns/sns-lambda-subscriptions';
import { QUEUE_NAME_RULES, validQueueName } from '../services/sqs/queue-names';
import { InvalidDefinitionError, StepFunctionsService } from '../services/stepfunctions';

/** One resource of a deployed stack (what ListStackResources answers). */
export interface DeployedResource {
  readonly logicalId: string;
  readonly physicalId: string;
  readonly type: string;
  readonly timestamp: Date;
  /** false for resource types the local cloud accepts without emulating */
  readonly emulated: boolean;
}

/** CloudFormation's stack states the local cloud reaches (the `*_IN_PROGRESS` ones pass unseen). */
export type StackStatus = 'CREATE_COMPLETE' | 'UPDATE_COMPLETE' | 'UPDATE_ROLLBACK_COMPLETE' | 'DELETE_IN_PROGRESS' | 'DELETE_FAILED';

export interface DeployedStack {
  readonly name: string;
  readonly id: string;
  readonly createdAt: Date;
  readonly lastUpdatedAt?: Date;
  readonly status: StackStatus;
  /** why the last operation failed */
  readonly statusReason?: string;
  readonly outputs: { key: string; value: string; description?: string; exportName?: string }[];
  readonly resources: DeployedResource[];
}

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

/** One resource change of a stack operation, for rollback. */
interface Change {
  /** the resource before (none: created) */
  readonly before?: ResourceState;
  readonly after: ResourceState;
  /** a new physical resource took the old one's place */
  readonly replaced?: boolean;
}

/** A stack as the deployer keeps it: the template it came from and each resource's state. */
interface StackState {
  readonly name: string;
  readonly id: string;
  readonly createdAt: Date;
  artifact: StackArtifact;
  /** in creation order */
  resources: Map<string, ResourceState>;
  exportNames: string[];
}

export interface DeployerOptions {
  readonly accountId: string;
  readonly region: string;
  /** the front endpoint, used by deploy-time clients (queue URLs name it) and handler env */
  readonly endpoint: string;
  readonly iam: IamStore;
  readonly lambda: LambdaService;
  /** scratch directory for inline function code */
  readonly workDir: string;
  /** handler processes per function */
  readonly maxWorkersPerFunction: number;
  readonly handlerOutput: 'inherit' | 'ignore';
  readonly log: (line: string) => void;
  /** `lambda` protocol SNS subscriptions; without it they are not delivered (a warning) */
  readonly snsLambda?: SnsLambdaSubscriptions;
  /** EventBridge: buses and rules (`AWS::Events::EventBus`, `AWS::Events::Rule`) */
  readonly events?: EventBridgeService;
  /** state machines (`AWS::StepFunctions::StateMachine`) */
  readonly stepFunctions?: StepFunctionsService;
  /** response URLs of custom resources; without it custom resources are placeholders */
  readonly customResources?: CustomResourceResponses;
  /** how long a custom resource provider may take to answer, in ms (real time) @default 300_000 */
  readonly customResourceTimeoutMs?: number;
  /** bucket tags and policies (S3 sub-resources the backend lacks) */
  readonly bucketSubresources?: BucketSubresources;
  /** SQS event source mappings (`AWS::Lambda::EventSourceMapping`); without it they are placeholders */
  readonly eventSourceMappings?: EventSourceMappings;
  /** CloudWatch Logs (`AWS::Logs::LogGroup`); without it log groups are accepted only */
  readonly logs?: LogsService;
}

/** Resource types accepted as-is: they have no behaviour the local cloud models. */
const ACCEPTED_ONLY = new Set([
  'AWS::CDK::Metadata', 'AWS::KMS::Key', 'AWS::KMS::Alias',
]);

/** Resource types that are deployed and emulated. */
export const SUPPORTED_TYPES = [
  'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy', 'AWS::SNS::Topic', 'AWS::SNS::TopicPolicy', 'AWS::SNS::Subscription',
  'AWS::S3::Bucket', 'AWS::S3::BucketPolicy', 'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy',
  'AWS::Events::EventBus', 'AWS::Events::Rule', 'AWS::StepFunctions::StateMachine', 'AWS::CloudFormation::CustomResource', 'AWS::Lambda::Function', 'AWS::Lambda::Version', 'AWS::Lambda::Alias', 'AWS::Lambda::EventInvokeConfig', 'AWS::Lambda::Permission', 'AWS::Lambda::EventSourceMapping', 'AWS::Logs::LogGroup', ...ACCEPTED_ONLY,
];

/** The name an event source mapping of a non-SQS source is listed under (deployed as a placeholder). */
export const NON_SQS_EVENT_SOURCE_MAPPING = 'AWS::Lambda::EventSourceMapping (non-SQS source)';

/**
 * Whether a mapping's template `EventSourceArn` is an SQS queue: a `Fn::GetAtt` of an
 * `AWS::SQS::Queue` of the template, or a value naming the `sqs` service (an imported queue's ARN).
 */
function sqsEventSource(arn: unknown, resources: Record<string, TemplateResource>): boolean {
  const getAtt = (arn as any)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return resources[getAtt[0]]?.Type === 'AWS::SQS::Queue';
  if (typeof getAtt === 'string') return resources[getAtt.split('.')[0]]?.Type === 'AWS::SQS::Queue';
  return JSON.stringify(arn ?? '').includes(':sqs:');
}

const NODE_RUNTIME = /^nodejs(\d+)\.x$/;
/** An SQS queue ARN (the event sources the local cloud polls). */
const SQS_ARN_TEXT = /^arn:aws[a-z-]*:sqs:/;

/** Deployed and emulated: a listed type or a custom resource (`Custom::*`). */
export function isSupportedType(type: string): boolean {
  return SUPPORTED_TYPES.includes(type) || type.startsWith('Custom::');
}

function suffix(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** A CloudFormation-style generated physical name: `<stack>-<logicalId>-<random>`, cut to `max`. */
function generatedName(stack: string, logicalId: string, max: number, lower = false): string {
  const rand = suffix();
  const room = max - rand.length - 2;
  const stackPart = stack.slice(0, Math.floor(room / 2));
  const idPart = logicalId.slice(0, room - stackPart.length);
  const name = `${stackPart}-${idPart}-${rand}`;
  return lower ? name.toLowerCase().replace(/[^a-z0-9.-]/g, '') : name;
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true';
}

/** `Name: message` of a service error. */
function describe(e: unknown): string {
  const err = e as Error;
  return err?.name && err.message !== undefined ? `${err.name}: ${err.message}` : String(e);
}

/** The SQS attributes of an AWS::SQS::Queue's properties. */
function queueAttributes(p: Record<string, any>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const k of ['DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds',
    'VisibilityTimeout', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'FifoQueue', 'ContentBasedDeduplication',
    'SqsManagedSseEnabled']) {
    if (p[k] !== undefined) attributes[k] = String(p[k]);
  }
  if (p.RedrivePolicy) attributes.RedrivePolicy = JSON.stringify(p.RedrivePolicy);
  return attributes;
}

/** What an attribute goes back to when an update removes it from the template. */
const QUEUE_ATTRIBUTE_DEFAULTS: Record<string, string> = {
  DelaySeconds: '0',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  KmsMasterKeyId: '',
  RedrivePolicy: '',
};

/** Where the AWS SDK lives, so inline handlers can require it as on AWS's Node.js runtimes. */
/**
 * NODE_PATH of handler processes: the `node_modules` folders of the project (every ancestor of the
 * assembly directory and of the working directory, nearest first, as Node resolves), then the
 * folder of the AWS SDK v3 clients the local cloud itself depends on. So a handler can require any
 * `@aws-sdk/client-*` installed in the project, as Lambda's Node.js runtimes offer every client.
 */
export function handlerNodePath(assemblyDir: string, cwd = process.cwd()): string {
  const dirs: string[] = [];
  for (const start of [path.resolve(assemblyDir), path.resolve(cwd)]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules');
      if (!dirs.includes(candidate) && fs.existsSync(candidate)) dirs.push(candidate);
      if (path.dirname(dir) === dir) break;
    }
  }
  const entry = require.resolve('@aws-sdk/client-sqs');
  const own = entry.slice(0, entry.lastIndexOf(`${path.sep}node_modules${path.sep}`) + '/node_modules'.length);
  if (!dirs.includes(own)) dirs.push(own);
  return dirs.join(path.delimiter);
}

/**
 * Deploys every stack of a cloud assembly into the local cloud, in dependency order, creating
 * resources in the backend (fauxqs), the IAM store and the Lambda service.
 */
export class Deployer {
  /** Resource types in the assembly the local cloud does not emulate (warned about once). */
  public static unsupportedTypes(assembly: CloudAssembly): string[] {
    const types = new Set<string>();
    for (const s of assembly.stacks) {
      const resources = s.template.Resources ?? {};
      for (const r of Object.values(resources)) {
        if (!isSupportedType(r.Type)) types.add(r.Type);
        else if (r.Type === 'AWS::Lambda::EventSourceMapping' && !sqsEventSource(r.Properties?.EventSourceArn, resources)) types.add(NON_SQS_EVENT_SOURCE_MAPPING);
      }
    }
    return [...types].sort();
  }

  public readonly stacks: DeployedStack[] = [];
  private readonly exports = new Map<string, unknown>();
  private readonly state = new Map<string, StackState>();
  /** functions deployed whose code cannot run here, with the reason */
  private readonly unrunnable: string[] = [];
  /** names of those functions */
  private readonly unrunnableFunctions = new Set<string>();
  private readonly sqs: SQSClient;
  private readonly sns: SNSClient;
  private readonly s3: S3Client;
  /** the id of the stack being deployed (custom resource events carry it) */
  private stackId = '';

  constructor(private readonly o: DeployerOptions) {
    const config = { endpoint: o.endpoint, region: o.region, credentials: { accessKeyId: 'deploy', secretAccessKey: 'deploy' }, maxAttempts: 1 };
    this.sqs = new SQSClient(config);
    this.sns = new SNSClient(config);
    this.s3 = new S3Client({ ...config, forcePathStyle: true });
  }

  /**
   * Deploys every stack of the assembly in dependency order, as `cdk deploy --all` does: a stack
   * not deployed yet is created, one already deployed is updated to the new template.
   */
  public async deploy(assembly: CloudAssembly): Promise<DeployedStack[]> {
    const unsupported = Deployer.unsupportedTypes(assembly);
    if (unsupported.length > 0) this.o.log(`warning: resource types not emulated (deployed as placeholders): ${unsupported.join(', ')}`);
    const before = this.unrunnable.length;
    for (const stack of assembly.stacks) {
      const deployed = this.state.has(stack.stackName) ? await this.updateStack(stack) : await this.createStack(stack);
      const at = this.stacks.findIndex((x) => x.name === deployed.name);
      if (at >= 0) this.stacks[at] = deployed;
      else this.stacks.push(deployed);
    }
    if (this.unrunnable.length > before) {
      this.o.log(`warning: functions deployed whose code cannot run here (invoking them fails at init): ${this.unrunnable.slice(before).join('; ')}`);
    }
    return this.stacks;
  }

  /**
   * Deletes stacks as `cdk destroy` does, dependents first (the reverse of deployment order); each
   * stack's resources in the reverse of their creation order. Custom resources get their Delete
   * event; `DeletionPolicy: Retain` keeps a resource. A resource that fails to delete (a bucket
   * still holding objects, a provider answering FAILED) fails its stack: the stack stays with the
   * resources left and the error names them; stacks it depends on are not deleted.
   * @param names stack names; @default every deployed stack
   */
  public async destroy(names?: string[]): Promise<void> {
    const order = [...this.stacks].reverse().filter((s) => !names || names.includes(s.name));
    for (const stack of order) await this.deleteStack(stack.name);
  }

  /** Closes the deploy-time SDK clients. */
  public dispose(): void {
    this.sqs.destroy();
    this.sns.destroy();
    this.s3.destroy();
  }

  /** The parameter values a stack deploys with (defaults only). */
  private parameters(stack: StackArtifact): Record<string, unknown> {
    const parameters: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(stack.template.Parameters ?? {})) {
      if (p.Default === undefined) {
        throw new AssemblyError(`stack ${stack.stackName}: parameter ${name} has no default (the local cloud deploys with defaults only)`);
      }
      parameters[name] = p.Type.startsWith('List<') || p.Type === 'CommaDelimitedList' ? String(p.Default).split(',') : p.Default;
    }
    return parameters;
  }

  private resolver(stack: StackArtifact, id: string, resources: Map<string, ResolvedResource>): Resolver {
    return new Resolver({
      stackName: stack.stackName,
      stackId: id,
      accountId: this.o.accountId,
      region: this.o.region,
      parameters: this.parameters(stack),
      conditions: stack.template.Conditions ?? {},
      resources,
      exports: this.exports,
    });
  }

  private resourceState(logicalId: string, res: TemplateResource, properties: Record<string, any>, resolved: ResolvedResource): ResourceState {
    return {
      logicalId,
      type: res.Type,
      properties,
      resolved,
      timestamp: new Date(),
      deletionPolicy: res.DeletionPolicy,
      updateReplacePolicy: res.UpdateReplacePolicy,
    };
  }

  private async createStack(stack: StackArtifact): Promise<DeployedStack> {
    const t = stack.template;
    const resources = new Map<string, ResolvedResource>();
    const id = `arn:aws:cloudformation:${this.o.region}:${this.o.accountId}:stack/${stack.stackName}/${randomUUID()}`;
    this.stackId = id;
    const resolver = this.resolver(stack, id, resources);
    const st: StackState = { name: stack.stackName, id, createdAt: new Date(), artifact: stack, resources: new Map(), exportNames: [] };
    try {
      for (const logicalId of resourceOrder(stack.stackName, t)) {
        const res = t.Resources![logicalId];
        if (res.Condition && !resolver.condition(res.Condition)) continue;
        const props = resolver.resolve(res.Properties ?? {}, `Resources.${logicalId}.Properties`);
        const created = await this.create(stack, logicalId, res, props);
        resources.set(logicalId, created);
        st.resources.set(logicalId, this.resourceState(logicalId, res, props, created));
      }
    } catch (e) {
      // ROLLBACK: what was created goes again (RetainExceptOnCreate resources too)
      await this.rollback(st, [...st.resources.values()].map((after) => ({ after })));
      throw e;
    }
    this.state.set(stack.stackName, st);
    const deployed = this.deployedStack(st, resolver, 'CREATE_COMPLETE');
    this.o.log(`deployed stack ${stack.stackName} (${deployed.resources.length} resources)`);
    return deployed;
  }

  /** Outputs (exports registered) and the resource list of a stack just created or updated. */
  private deployedStack(st: StackState, resolver: Resolver, status: StackStatus): DeployedStack {
    for (const name of st.exportNames) this.exports.delete(name);
    st.exportNames = [];
    const outputs: DeployedStack['outputs'] = [];
    for (const [key, o] of Object.entries(st.artifact.template.Outputs ?? {})) {
      if (o.Condition && !resolver.condition(o.Condition)) continue;
      const value = resolver.resolve(o.Value, `Outputs.${key}`);
      const text = Array.isArray(value) ? value.join(',') : String(value);
      const exportName = o.Export ? String(resolver.resolve(o.Export.Name, `Outputs.${key}.Export`)) : undefined;
      if (exportName) {
        if (this.exports.has(exportName)) {
          throw new DeploymentError(st.name, key, 'Output', `Export with name ${exportName} is already exported by another stack`);
        }
        this.exports.set(exportName, text);
        st.exportNames.push(exportName);
      }
      outputs.push({ key, value: text, description: o.Description, exportName });
    }
    const lastUpdatedAt = status === 'CREATE_COMPLETE' ? undefined : new Date();
    return { name: st.name, id: st.id, createdAt: st.createdAt, lastUpdatedAt, status, outputs, resources: this.resourceList(st) };
  }

  private resourceList(st: StackState): DeployedResource[] {
    return [...st.resources.values()].map((r) => ({
      logicalId: r.logicalId, physicalId: r.resolved.ref, type: r.type, timestamp: r.timestamp, emulated: isSupportedType(r.type),
    }));
  }

  /** Replaces what the APIs show of a deployed stack. */
  private show(name: string, patch: Partial<DeployedStack>): void {
    const at = this.stacks.findIndex((x) => x.name === name);
    if (at >= 0) this.stacks[at] = { ...this.stacks[at], ...patch };
  }

  /**
   * A stack update, the way CloudFormation runs one: resources in the new template's creation
   * order, each one new (created), unchanged (kept), or changed: a custom resource gets an Update
   * event; functions, roles, policies and queues are updated in place; other types are replaced
   * (a new physical resource). Then the cleanup phase deletes resources gone from the template and
   * the old physical resources of replacements, in reverse order.
   */
  private async updateStack(stack: StackArtifact): Promise<DeployedStack> {
    const st = this.state.get(stack.stackName)!;
    const t = stack.template;
    this.stackId = st.id;
    const resources = new Map<string, ResolvedResource>();
    const resolver = this.resolver(stack, st.id, resources);
    const next = new Map<string, ResourceState>();
    const superseded: ResourceState[] = [];
    const applied: Change[] = [];
    try {
      for (const logicalId of resourceOrder(stack.stackName, t)) {
        const res = t.Resources![logicalId];
        if (res.Condition && !resolver.condition(res.Condition)) continue;
        const props = resolver.resolve(res.Properties ?? {}, `Resources.${logicalId}.Properties`);
        const old = st.resources.get(logicalId);
        if (old && old.type === res.Type && isDeepStrictEqual(old.properties, props)) {
          resources.set(logicalId, old.resolved);
          next.set(logicalId, { ...old, deletionPolicy: res.DeletionPolicy, updateReplacePolicy: res.UpdateReplacePolicy });
          continue;
        }
        const inPlace = old && old.type === res.Type;
        const resolved = inPlace ? await this.update(stack, logicalId, res, props, old) : await this.create(stack, logicalId, res, props, 'UPDATE');
        const after = this.resourceState(logicalId, res, props, resolved);
        applied.push({ before: old, after, replaced: !inPlace || resolved.ref !== old!.resolved.ref });
        if (old && applied[applied.length - 1].replaced) superseded.push(old);
        resources.set(logicalId, resolved);
        next.set(logicalId, after);
      }
    } catch (e) {
      await this.rollback(st, applied);
      this.show(st.name, { status: 'UPDATE_ROLLBACK_COMPLETE', statusReason: (e as Error).message, lastUpdatedAt: new Date() });
      throw e;
    }
    let changed = applied.length;
    // cleanup: removed resources and replaced physical resources, dependents first
    const removed = [...st.resources.values()].filter((r) => !next.has(r.logicalId) || superseded.includes(r)).reverse();
    st.artifact = stack;
    st.resources = next;
    for (const r of removed) {
      const keep = superseded.includes(r) ? retained(r.updateReplacePolicy) : retained(r.deletionPolicy);
      if (keep) continue;
      changed++;
      try {
        await deleteResource(this.deletionContext(st), r);
      } catch (e) {
        // CloudFormation reports cleanup failures and still completes the update
        this.o.log(`warning: stack ${st.name}: ${r.logicalId} (${r.type}) DELETE_FAILED during update cleanup: ${describe(e)}`);
      }
    }
    const previous = this.stacks.find((x) => x.name === st.name)!;
    const updated = this.deployedStack(st, resolver, 'UPDATE_COMPLETE');
    // "No updates are to be performed": the stack keeps its status
    const deployed = changed || !isDeepStrictEqual(updated.outputs, previous.outputs) ? updated : previous;
    this.o.log(changed ? `updated stack ${stack.stackName} (${changed} resource changes)` : `stack ${stack.stackName}: no changes`);
    return deployed;
  }

  /**
   * UPDATE_ROLLBACK / ROLLBACK: undoes the changes made so far, last first. A new or replacing
   * physical resource is deleted (the old one was never touched); an in-place change is updated
   * back to the old properties (a custom resource gets an Update event with them). Failures are
   * logged, as CloudFormation's *_ROLLBACK_FAILED, and the rest goes on.
   */
  private async rollback(st: StackState, applied: Change[]): Promise<void> {
    if (!applied.length) return;
    this.o.log(`stack ${st.name}: rolling back ${applied.length} resource change${applied.length > 1 ? 's' : ''}`);
    const ctx = this.deletionContext(st);
    for (const { before, after, replaced } of [...applied].reverse()) {
      try {
        if (!before || replaced) await deleteResource(ctx, after);
        else await this.update(st.artifact, before.logicalId, { Type: before.type }, before.properties, after);
      } catch (e) {
        this.o.log(`warning: stack ${st.name}: rollback of ${after.logicalId} (${after.type}) failed: ${describe(e)}`);
      }
    }
  }

  /** Deletes one stack: DELETE_FAILED (a DeploymentError) on the first resource that cannot go. */
  private async deleteStack(name: string): Promise<void> {
    const st = this.state.get(name);
    if (!st) return;
    const importers = this.stacks.filter((s) => s.name !== name && this.state.get(s.name)
      && st.exportNames.some((e) => this.importsExport(s.name, e)));
    if (importers.length) {
      throw new DeploymentError(name, name, 'AWS::CloudFormation::Stack',
        `Export ${st.exportNames.find((e) => this.importsExport(importers[0].name, e))} cannot be deleted as it is in use by ${importers[0].name}`, 'DELETE');
    }
    this.stackId = st.id;
    this.show(name, { status: 'DELETE_IN_PROGRESS', statusReason: undefined, lastUpdatedAt: new Date() });
    const ctx = this.deletionContext(st);
    for (const r of [...st.resources.values()].reverse()) {
      if (!retained(r.deletionPolicy)) {
        try {
          await deleteResource(ctx, r);
        } catch (e) {
          const err = e instanceof DeploymentError ? e : new DeploymentError(name, r.logicalId, r.type, describe(e), 'DELETE');
          this.show(name, { status: 'DELETE_FAILED', statusReason: err.message, resources: this.resourceList(st), lastUpdatedAt: new Date() });
          throw err;
        }
      }
      st.resources.delete(r.logicalId);
    }
    for (const e of st.exportNames) this.exports.delete(e);
    this.state.delete(name);
    const at = this.stacks.findIndex((s) => s.name === name);
    if (at >= 0) this.stacks.splice(at, 1);
    this.o.log(`deleted stack ${name}`);
  }

  private importsExport(stackName: string, exportName: string): boolean {
    const t = this.state.get(stackName)?.artifact.template;
    return JSON.stringify(t?.Resources ?? {}).includes(JSON.stringify({ 'Fn::ImportValue': exportName }).slice(1, -1))
      || JSON.stringify(t?.Outputs ?? {}).includes(JSON.stringify({ 'Fn::ImportValue': exportName }).slice(1, -1));
  }

  private deletionContext(st: StackState): DeletionContext {
    return {
      region: this.o.region,
      accountId: this.o.accountId,
      iam: this.o.iam,
      lambda: this.o.lambda,
      events: this.o.events,
      stepFunctions: this.o.stepFunctions,
      eventSourceMappings: this.o.eventSourceMappings,
      bucketSubresources: this.o.bucketSubresources,
      logs: this.o.logs,
      sqs: this.sqs,
      sns: this.sns,
      s3: this.s3,
      deleteCustomResource: async (r) => {
        const fail = (reason: string) => new DeploymentError(st.name, r.logicalId, r.type, reason, 'DELETE');
        await sendCustomResourceRequest(this.customResourceOptions(), { requestType: 'Delete', stackId: st.id, logicalId: r.logicalId, type: r.type, properties: r.properties, old: r }, fail);
      },
    };
  }

  /**
   * An in-place update of a changed resource, or its replacement (a new physical resource; the
   * caller deletes the old one in the cleanup phase when the physical id changed).
   */
  private async update(stack: StackArtifact, logicalId: string, res: TemplateResource, p: Record<string, any>,
    old: ResourceState): Promise<ResolvedResource> {
    const fail = (reason: string) => new DeploymentError(stack.stackName, logicalId, res.Type, reason, 'UPDATE');
    const o = old.properties;
    const same = (k: string) => p[k] === undefined || p[k] === o[k];
    try {
      if (isCustomResourceType(res.Type) && this.o.customResources) {
        return await sendCustomResourceRequest(this.customResourceOptions(), { requestType: 'Update', stackId: this.stackId, logicalId, type: res.Type, properties: p, old }, fail);
      }
      switch (res.Type) {
        case 'AWS::Lambda::Function':
          if (!same('FunctionName')) break;
          return await this.replaceFunctionCode(stack, logicalId, p, old, fail);
        case 'AWS::Logs::LogGroup':
          if (this.o.logs && updateLogGroup(this.o.logs, p, old.resolved)) return old.resolved;
          break;
        case 'AWS::IAM::Role': {
          if (!same('RoleName') || (p.Path ?? '/') !== (o.Path ?? '/')) break;
          const role = this.o.iam.role(old.resolved.ref);
          if (!role) break;
          for (const pol of o.Policies ?? []) role.inlinePolicies.delete(pol.PolicyName);
          for (const pol of p.Policies ?? []) role.inlinePolicies.set(pol.PolicyName, pol.PolicyDocument);
          for (const m of o.ManagedPolicyArns ?? []) role.managedPolicyArns.delete(m);
          for (const m of p.ManagedPolicyArns ?? []) role.managedPolicyArns.add(m);
          this.o.iam.changed();
          return old.resolved;
        }
        case 'AWS::IAM::Policy':
        case 'AWS::SQS::QueuePolicy':
        case 'AWS::SNS::TopicPolicy':
        case 'AWS::S3::BucketPolicy':
        case 'AWS::Lambda::EventInvokeConfig':
        case 'AWS::Lambda::Alias': {
          // attachments: take the old one off, put the new one on, same physical id
          await deleteResource(this.deletionContext(this.state.get(stack.stackName)!), old);
          const created = await this.create(stack, logicalId, res, p, 'UPDATE');
          return { ...created, ref: old.resolved.ref };
        }
        case 'AWS::Lambda::EventSourceMapping':
          // Lambda updates a mapping in place; a new event source replaces it
          if (!same('EventSourceArn') || !this.o.eventSourceMappings || old.resolved.ref.startsWith('local-unsupported-') || !SQS_ARN_TEXT.test(String(p.EventSourceArn))) break;
          await this.o.eventSourceMappings.update(old.resolved.ref, p);
          return old.resolved;
        case 'AWS::IAM::ManagedPolicy':
          if (!same('ManagedPolicyName') || (p.Path ?? '/') !== (o.Path ?? '/')) break;
          await deleteResource(this.deletionContext(this.state.get(stack.stackName)!), old);
          return await this.create(stack, logicalId, res, { ...p, ManagedPolicyName: old.resolved.ref.split('/').pop() }, 'UPDATE');
        case 'AWS::SQS::Queue': {
          if (!same('QueueName') || truthy(p.FifoQueue) !== truthy(o.FifoQueue)) break;
          const attributes = queueAttributes(p);
          for (const k of Object.keys(queueAttributes(o))) {
            if (!(k in attributes) && k in QUEUE_ATTRIBUTE_DEFAULTS) attributes[k] = QUEUE_ATTRIBUTE_DEFAULTS[k];
          }
          await this.sqs.send(new SetQueueAttributesCommand({ QueueUrl: old.resolved.ref, Attributes: attributes }));
          this.recordKey(String(old.resolved.attributes.Arn), p.KmsMasterKeyId);
          return old.resolved;
        }
        case 'AWS::Events::EventBus':
          if (p.Name === o.Name) return old.resolved; // Description, policy: nothing modelled
          break;
      }
      return await this.create(stack, logicalId, res, p, 'UPDATE');
    } catch (e) {
      if (e instanceof DeploymentError || e instanceof AssemblyError) throw e;
      throw fail(describe(e));
    }
  }

  /** UpdateFunctionCode/Configuration: same name and ARN, new handler processes; versions, aliases and configs stay. */
  private async replaceFunctionCode(stack: StackArtifact, logicalId: string, p: Record<string, any>, old: ResourceState,
    fail: (r: string) => Error): Promise<ResolvedResource> {
    const before = this.o.lambda.lookup(old.resolved.ref).fn;
    const resolved = this.createFunction(stack, logicalId, { ...p, FunctionName: old.resolved.ref }, fail);
    const fn = this.o.lambda.lookup(old.resolved.ref).fn!;
    if (before) {
      for (const [k, v] of before.eventInvokeConfigs) fn.eventInvokeConfigs.set(k, v);
      for (const v of before.versions) fn.versions.add(v);
      for (const [k, v] of before.aliases) fn.aliases.set(k, v);
      await before.pool.stop();
    }
    return resolved;
  }

  private async create(stack: StackArtifact, logicalId: string, res: TemplateResource, p: Record<string, any>,
    operation: StackOperation = 'CREATE'): Promise<ResolvedResource> {
    const { accountId: account, region } = this.o;
    const fail = (reason: string) => new DeploymentError(stack.stackName, logicalId, res.Type, reason, operation);
    try {
      switch (res.Type) {
        case 'AWS::SQS::Queue': {
          const fifo = truthy(p.FifoQueue);
          let name = p.QueueName === undefined ? generatedName(stack.stackName, logicalId, fifo ? 75 : 80) : String(p.QueueName);
          if (fifo && !name.endsWith('.fifo')) name += '.fifo';
          if (!validQueueName(name)) throw fail(`InvalidParameterValue: ${QUEUE_NAME_RULES}, got '${name}'`);
          const attributes = queueAttributes(p);
          const out = await this.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
          const arn = `arn:aws:sqs:${region}:${account}:${name}`;
          this.recordKey(arn, p.KmsMasterKeyId);
          return { ref: out.QueueUrl!, attributes: { Arn: arn, QueueName: name, QueueUrl: out.QueueUrl! } };
        }
        case 'AWS::SQS::QueuePolicy': {
          for (const url of p.Queues ?? []) {
            const name = String(url).split('/').pop();
            this.o.iam.putResourcePolicy(`arn:aws:sqs:${region}:${account}:${name}`, p.PolicyDocument);
          }
          return { ref: generatedName(stack.stackName, logicalId, 64), attributes: {} };
        }
        case 'AWS::SNS::Topic': {
          const fifo = truthy(p.FifoTopic);
          let name: string = p.TopicName ?? generatedName(stack.stackName, logicalId, fifo ? 251 : 256);
          if (fifo && !name.endsWith('.fifo')) name += '.fifo';
          const attributes: Record<string, string> = {};
          if (fifo) attributes.FifoTopic = 'true';
          if (p.ContentBasedDeduplication !== undefined) attributes.ContentBasedDeduplication = String(p.ContentBasedDeduplication);
          if (p.KmsMasterKeyId) attributes.KmsMasterKeyId = String(p.KmsMasterKeyId);
          await this.sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }));
          const arn = `arn:aws:sns:${region}:${account}:${name}`;
          this.recordKey(arn, p.KmsMasterKeyId);
          for (const s of p.Subscription ?? []) await this.subscribe(arn, s.Protocol, s.Endpoint, {}, fail);
          return { ref: arn, attributes: { TopicArn: arn, TopicName: name } };
        }
        case 'AWS::SNS::TopicPolicy': {
          for (const arn of p.Topics ?? []) this.o.iam.putResourcePolicy(String(arn), p.PolicyDocument);
          return { ref: generatedName(stack.stackName, logicalId, 64), attributes: {} };
        }
        case 'AWS::SNS::Subscription': {
          const attributes: Record<string, string> = {};
          if (p.RawMessageDelivery !== undefined) attributes.RawMessageDelivery = String(truthy(p.RawMessageDelivery));
          if (p.FilterPolicy) attributes.FilterPolicy = JSON.stringify(p.FilterPolicy);
          if (p.FilterPolicyScope) attributes.FilterPolicyScope = String(p.FilterPolicyScope);
          const arn = await this.subscribe(p.TopicArn, p.Protocol, p.Endpoint, attributes, fail);
          return { ref: arn, attributes: { Arn: arn } };
        }
        case 'AWS::S3::Bucket': {
          const name: string = p.BucketName ?? generatedName(stack.stackName, logicalId, 63, true);
          await this.s3.send(new CreateBucketCommand({ Bucket: name }));
          if (Array.isArray(p.Tags)) this.o.bucketSubresources?.putTags(name, p.Tags);
          const sse = p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault;
          if (sse?.SSEAlgorithm === 'aws:kms') this.recordKey(`arn:aws:s3:::${name}`, sse.KMSMasterKeyID);
          return {
            ref: name,
            attributes: {
              Arn: `arn:aws:s3:::${name}`,
              DomainName: `${name}.s3.amazonaws.com`,
              RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
              WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
              DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
            },
          };
        }
        case 'AWS::S3::BucketPolicy': {
          this.o.iam.putResourcePolicy(`arn:aws:s3:::${p.Bucket}`, p.PolicyDocument);
          return { ref: generatedName(stack.stackName, logicalId, 64), attributes: {} };
        }
        case 'AWS::IAM::Role': {
          const name: string = p.RoleName ?? generatedName(stack.stackName, logicalId, 64);
          const arn = `arn:aws:iam::${account}:role${p.Path ?? '/'}${name}`;
          const role = this.o.iam.putRole(name, arn);
          for (const pol of p.Policies ?? []) role.inlinePolicies.set(pol.PolicyName, pol.PolicyDocument);
          for (const m of p.ManagedPolicyArns ?? []) role.managedPolicyArns.add(m);
          this.o.iam.changed();
          return { ref: name, attributes: { Arn: arn, RoleId: `AROA${suffix()}` } };
        }
        case 'AWS::IAM::Policy': {
          for (const roleName of p.Roles ?? []) {
            const role = this.o.iam.role(roleName);
            if (!role) throw fail(`The role with name ${roleName} cannot be found.`);
            role.inlinePolicies.set(p.PolicyName, p.PolicyDocument);
          }
          this.o.iam.changed();
          return { ref: generatedName(stack.stackName, logicalId, 64), attributes: { Id: suffix() } };
        }
        case 'AWS::IAM::ManagedPolicy': {
          const name: string = p.ManagedPolicyName ?? generatedName(stack.stackName, logicalId, 128);
          const arn = `arn:aws:iam::${account}:policy${p.Path ?? '/'}${name}`;
          this.o.iam.putManagedPolicy(arn, p.PolicyDocument);
          for (const roleName of p.Roles ?? []) {
            const role = this.o.iam.role(roleName);
            if (!role) throw fail(`The role with name ${roleName} cannot be found.`);
            role.managedPolicyArns.add(arn);
          }
          this.o.iam.changed();
          return { ref: arn, attributes: { PolicyArn: arn } };
        }
        case 'AWS::KMS::Key': {
          const keyId = randomUUID();
          const arn = `arn:aws:kms:${region}:${account}:key/${keyId}`;
          // KMS evaluates the key policy first: identity policies count only where it delegates to the account
          if (p.KeyPolicy) this.o.iam.putResourcePolicy(arn, p.KeyPolicy);
          return { ref: keyId, attributes: { Arn: arn, KeyId: keyId } };
        }
        case 'AWS::Events::EventBus': {
          const name = String(p.Name);
          if (this.o.events) this.o.events.createBus(name);
          const arn = `arn:aws:events:${region}:${account}:event-bus/${name}`;
          return { ref: name, attributes: { Arn: arn, Name: name } };
        }
        case 'AWS::Events::Rule':
          return this.createRule(stack, logicalId, p, fail);
        case 'AWS::StepFunctions::StateMachine':
          return this.createStateMachine(stack, logicalId, p, fail);
        case 'AWS::Lambda::Function':
          return this.createFunction(stack, logicalId, p, fail);
        case 'AWS::Logs::LogGroup': {
          const name = p.LogGroupName === undefined ? generatedName(stack.stackName, logicalId, 512) : String(p.LogGroupName);
          if (!this.o.logs) return { ref: name, attributes: { Arn: `arn:aws:logs:${region}:${account}:log-group:${name}:*` } };
          try {
            return createLogGroup(this.o.logs, name, p, region, account);
          } catch (e) {
            throw fail(logsFailure(e) ?? describe(e));
          }
        }
        case 'AWS::Lambda::Version': {
          const { fn } = this.o.lambda.lookup(String(p.FunctionName));
          if (!fn) throw fail(`ResourceNotFoundException: Function not found: ${p.FunctionName}`);
          const version = String(fn.versions.size + 1);
          fn.versions.add(version);
          return { ref: `${fn.arn}:${version}`, attributes: { Version: version, FunctionArn: fn.arn } };
        }
        case 'AWS::Lambda::Alias': {
          const { fn } = this.o.lambda.lookup(String(p.FunctionName));
          if (!fn) throw fail(`ResourceNotFoundException: Function not found: ${p.FunctionName}`);
          const version = String(p.FunctionVersion);
          if (!executedVersion(fn, version)) throw fail(`ResourceNotFoundException: Function not found: ${fn.arn}:${version}`);
          fn.aliases.set(String(p.Name), version);
          const arn = `${fn.arn}:${p.Name}`;
          return { ref: arn, attributes: { AliasArn: arn } };
        }
        case 'AWS::Lambda::EventInvokeConfig':
          return await this.createEventInvokeConfig(p, fail);
        case 'AWS::Lambda::EventSourceMapping': {
          if (!this.o.eventSourceMappings || !SQS_ARN_TEXT.test(String(p.EventSourceArn))) {
            this.o.log(`warning: event source mapping ${stack.stackName}/${logicalId} from ${p.EventSourceArn} is not polled: only SQS sources are emulated`);
            return { ref: `local-unsupported-${logicalId}`, attributes: { EventSourceMappingArn: `local-unsupported-${logicalId}.EventSourceMappingArn` } };
          }
          const m = await this.o.eventSourceMappings.create(p);
          const arn = `arn:aws:lambda:${region}:${account}:event-source-mapping:${m.UUID}`;
          return { ref: m.UUID, attributes: { Id: m.UUID, EventSourceMappingArn: arn } };
        }
        case 'AWS::Lambda::Permission': {
          const { fn, qualifier } = this.o.lambda.lookup(String(p.FunctionName));
          if (!fn) throw fail(`ResourceNotFoundException: Function not found: ${p.FunctionName}`);
          const statementId = `${logicalId}-${suffix()}`;
          this.o.lambda.permissions.add({
            functionName: fn.name,
            qualifier,
            action: String(p.Action),
            principal: String(p.Principal),
            sourceArn: p.SourceArn === undefined ? undefined : String(p.SourceArn),
            sourceAccount: p.SourceAccount === undefined ? undefined : String(p.SourceAccount),
            statementId,
          });
          return { ref: statementId, attributes: {} };
        }
        default: {
          if ((res.Type === 'AWS::CloudFormation::CustomResource' || res.Type.startsWith('Custom::')) && this.o.customResources) {
            return await sendCustomResourceRequest(this.customResourceOptions(), { requestType: 'Create', stackId: this.stackId, logicalId, type: res.Type, properties: p }, fail);
          }
          const ref = ACCEPTED_ONLY.has(res.Type) ? `${logicalId}-${suffix()}` : `local-unsupported-${logicalId}`;
          return { ref, attributes: new Proxy({}, { get: (_t, k) => `local-unsupported-${logicalId}.${String(k)}`, has: () => true }) };
        }
      }
    } catch (e) {
      if (e instanceof DeploymentError || e instanceof AssemblyError) throw e;
      throw fail(describe(e));
    }
  }

  private createStateMachine(stack: StackArtifact, logicalId: string, p: Record<string, any>, fail: (r: string) => Error): ResolvedResource {
    const { accountId: account, region } = this.o;
    if (!this.o.stepFunctions) throw fail('Step Functions is not available in this local cloud');
    if ((p.StateMachineType ?? 'STANDARD') !== 'STANDARD') throw fail(`StateMachineType ${p.StateMachineType}: only STANDARD state machines run here`);
    const name: string = p.StateMachineName ?? generatedName(stack.stackName, logicalId, 80);
    const arn = `arn:aws:states:${region}:${account}:stateMachine:${name}`;
    let definition: string | undefined = typeof p.DefinitionString === 'string' ? p.DefinitionString
      : p.Definition !== undefined ? JSON.stringify(p.Definition) : undefined;
    if (definition === undefined) throw fail('DefinitionString or Definition is required (DefinitionS3Location is not supported here)');
    for (const [k, v] of Object.entries<unknown>(p.DefinitionSubstitutions ?? {})) {
      definition = definition.split('${' + k + '}').join(String(v));
    }
    try {
      this.o.stepFunctions.createStateMachine(arn, name, definition, String(p.RoleArn ?? ''));
    } catch (e) {
      if (e instanceof InvalidDefinitionError) throw fail(`InvalidDefinition: ${e.message}`);
      throw e;
    }
    return { ref: arn, attributes: { Arn: arn, Name: name, StateMachineRevisionId: 'INITIAL' } };
  }

  private customResourceOptions(): CustomResourceRequestOptions {
    return {
      lambda: this.o.lambda,
      responses: this.o.customResources!,
      timeoutMs: this.o.customResourceTimeoutMs ?? 300_000,
      log: this.o.log,
      unrunnable: (name) => this.unrunnableFunctions.has(name),
    };
  }

  private createRule(stack: StackArtifact, logicalId: string, p: Record<string, any>, fail: (r: string) => Error): ResolvedResource {
    if (!this.o.events) throw fail('EventBridge is not available in this local cloud');
    const name: string = p.Name ?? generatedName(stack.stackName, logicalId, 64);
    if (p.ScheduleExpression) this.o.log(`warning: rule ${name}: ScheduleExpression ${p.ScheduleExpression} never fires in the local cloud`);
    try {
      const rule = this.o.events.putRule({
        name,
        busName: p.EventBusName,
        eventPattern: p.EventPattern,
        scheduleExpression: p.ScheduleExpression,
        state: p.State,
        description: p.Description,
        targets: (p.Targets ?? []) as RuleTarget[],
      });
      // Ref: the name on the default bus, `<bus>|<name>` on another
      return { ref: rule.busName === 'default' ? name : `${rule.busName}|${name}`, attributes: { Arn: rule.arn } };
    } catch (e) {
      if (e instanceof InvalidEventPatternError) throw fail(`${e.name}: ${e.message}`);
      throw e;
    }
  }

  /** Remembers a destination's customer managed key (AWS managed keys, `alias/aws/*`, need no grant). */
  private recordKey(destinationArn: string, keyId: unknown): void {
    if (typeof keyId !== 'string' || !keyId || keyId.startsWith('alias/aws/')) return;
    const keyArn = keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${this.o.region}:${this.o.accountId}:key/${keyId}`;
    this.o.lambda.destinationKeys.set(destinationArn, keyArn);
  }

  private async subscribe(topicArn: string, protocol: string, endpoint: string, attributes: Record<string, string>,
    fail: (r: string) => Error): Promise<string> {
    if (protocol === 'lambda' && this.o.snsLambda) {
      try {
        return this.o.snsLambda.subscribe(topicArn, endpoint, attributes);
      } catch (e) {
        throw fail(`${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    if (protocol !== 'sqs') {
      this.o.log(`warning: SNS subscription protocol ${protocol} to ${endpoint} is not delivered by the local cloud`);
      return `${topicArn}:${randomUUID()}`;
    }
    const out = await this.sns.send(new SubscribeCommand({
      TopicArn: topicArn, Protocol: 'sqs', Endpoint: endpoint, Attributes: attributes, ReturnSubscriptionArn: true,
    })).catch((e) => { throw fail(`${e.name}: ${e.message}`); });
    return out.SubscriptionArn!;
  }

  /** Where the function's code is, or why it cannot run here. */
  private codeDir(stack: StackArtifact, name: string, code: Record<string, any>): { dir?: string; problem?: string } {
    if (code.ZipFile !== undefined) {
      const dir = path.join(this.o.workDir, 'functions', name);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'index.js'), String(code.ZipFile));
      return { dir };
    }
    if (code.S3Key) {
      const key = String(code.S3Key);
      const asset = stack.assets.get(key) ?? stack.assets.get(key.replace(/\.zip$/, ''));
      if (!asset) return { problem: `code asset ${key} is not in the assembly's asset manifest` };
      if (!fs.existsSync(asset.path)) return { problem: `code asset directory ${asset.path} does not exist` };
      if (!fs.statSync(asset.path).isDirectory()) return { problem: `code asset ${asset.path} is a file; only directory assets run here` };
      return { dir: asset.path };
    }
    return { problem: 'no inline code or asset directory (container images do not run here)' };
  }

  /**
   * Code that fails at init with the reason the real code cannot run, so a stack whose other
   * functions run is still deployed (custom resource providers, say, whose assets were not kept).
   */
  private stubCode(name: string, handler: string, problem: string): string {
    const dir = path.join(this.o.workDir, 'unrunnable', name);
    fs.mkdirSync(dir, { recursive: true });
    const moduleName = handler.slice(0, handler.lastIndexOf('.')) || 'index';
    fs.mkdirSync(path.dirname(path.join(dir, moduleName)), { recursive: true });
    fs.writeFileSync(path.join(dir, `${moduleName}.js`), `throw new Error(${JSON.stringify(`the local cloud cannot run function ${name}: ${problem}`)});\n`);
    return dir;
  }

  private createFunction(stack: StackArtifact, logicalId: string, p: Record<string, any>, fail: (r: string) => Error): ResolvedResource {
    const { accountId: account, region } = this.o;
    const runtime = String(p.Runtime ?? '');
    const handler = String(p.Handler ?? 'index.handler');
    let name: string;
    try {
      // both name directories and module paths on this machine: AWS's rules first
      name = functionNameOf(p.FunctionName === undefined ? generatedName(stack.stackName, logicalId, 64) : String(p.FunctionName));
      checkHandler(handler);
      if (p.LoggingConfig?.LogGroup !== undefined) checkLogGroupName(p.LoggingConfig.LogGroup, 'LoggingConfig.LogGroup');
    } catch (e) {
      throw fail(describe(e));
    }
    if (!p.Role) throw fail('Role is required');
    const logFormat = p.LoggingConfig?.LogFormat ?? 'Text';
    if (logFormat !== 'Text' && logFormat !== 'JSON') {
      throw fail(`ValidationException: 1 validation error detected: Value '${logFormat}' at 'loggingConfig.logFormat' failed to satisfy constraint: Member must satisfy enum value set: [Text, JSON]`);
    }
    const logGroup: string = p.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`;
    if (p.RecursiveLoop !== undefined && p.RecursiveLoop !== 'Allow' && p.RecursiveLoop !== 'Terminate') {
      throw fail(`ValidationException: 1 validation error detected: Value '${p.RecursiveLoop}' at 'recursiveLoop' failed to satisfy constraint: Member must satisfy enum value set: [Allow, Terminate]`);
    }
    const recursiveLoop: 'Allow' | 'Terminate' = p.RecursiveLoop ?? 'Terminate';
    const arn = `arn:aws:lambda:${region}:${account}:function:${name}`;
    let { dir: codeDir, problem } = NODE_RUNTIME.test(runtime)
      ? this.codeDir(stack, name, p.Code ?? {})
      : { dir: undefined, problem: `runtime ${runtime || '(none)'}: only Node.js runtimes run here` };
    if (problem) {
      this.unrunnable.push(`${stack.stackName}/${logicalId} (${problem})`);
      this.unrunnableFunctions.add(name);
      codeDir = this.stubCode(name, handler, problem);
    }
    const timeoutSeconds = Number(p.Timeout ?? 3);
    const memorySize = Number(p.MemorySize ?? 128);
    // what a Lambda environment has: the runtime's variables and the function's own, nothing of the host's
    const env: Record<string, string> = {
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ENDPOINT_URL: this.o.endpoint,
      AWS_ACCESS_KEY_ID: 'ASIALOCALCLOUD',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: 'local',
      AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}`,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...Object.fromEntries(Object.entries(p.Environment?.Variables ?? {}).map(([k, v]) => [k, String(v)])),
    };
    const fn: LambdaFunction = {
      name,
      arn,
      roleArn: String(p.Role),
      runtime,
      handler,
      timeoutSeconds,
      memorySize,
      deadLetterTargetArn: p.DeadLetterConfig?.TargetArn,
      recursiveLoop,
      logGroup,
      logFormat,
      reservedConcurrency: p.ReservedConcurrentExecutions === undefined ? undefined : Number(p.ReservedConcurrentExecutions),
      eventInvokeConfigs: new Map(),
      versions: new Set(),
      aliases: new Map(),
      pool: new WorkerPool({
        functionName: name,
        codeDir: codeDir!,
        handler,
        timeoutSeconds,
        memorySize,
        env,
        sandboxDir: path.join(this.o.workDir, 'sandbox', name),
        nodePath: handlerNodePath(path.dirname(stack.templateFile)),
        maxWorkers: Math.max(1, Math.min(this.o.maxWorkersPerFunction, p.ReservedConcurrentExecutions ?? Infinity)),
        output: this.o.handlerOutput,
        logGroup,
      }),
    };
    this.o.lambda.add(fn);
    return { ref: name, attributes: { Arn: arn } };
  }

  private async createEventInvokeConfig(p: Record<string, any>, fail: (r: string) => Error): Promise<ResolvedResource> {
    const { fn } = this.o.lambda.lookup(String(p.FunctionName));
    if (!fn) throw fail(`ResourceNotFoundException: Function not found: ${p.FunctionName}`);
    const qualifier = String(p.Qualifier ?? '$LATEST');
    try {
      await this.o.lambda.putEventInvokeConfig(fn, qualifier, {
        MaximumRetryAttempts: p.MaximumRetryAttempts, MaximumEventAgeInSeconds: p.MaximumEventAgeInSeconds, DestinationConfig: p.DestinationConfig,
      }, 'create');
    } catch (e) {
      if (e instanceof LambdaApiError) throw fail(`${e.name}: ${e.message}`);
      throw e;
    }
    return { ref: `${fn.name}|${qualifier}`, attributes: {} };
  }
}
