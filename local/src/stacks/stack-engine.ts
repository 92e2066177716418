import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DeploymentError, StackOperation } from './deployment-error';
import { isSupportedType, providerOf } from './providers';
import {
  describe, FunctionSettings, ProviderContext, ProviderServices, REPLACE, ResourceState, retained, StackAssets, suffix,
} from './providers/resource-provider';
import { AssemblyError, resourceOrder, Template, TemplateResource } from '../assembly/cloud-assembly';
import { ResolvedResource, Resolver } from '../assembly/intrinsics';
import {
  DeployedResource, DeployedStack, ResourceStatus, STACK_RESOURCE_TYPE, StackEvent, StackOutput, StackStatus,
} from '../services/cloudformation/model';

/** What the engine deploys into: the services and settings providers are given. */
export interface StackEngineOptions {
  readonly accountId: string;
  readonly region: string;
  /** the front endpoint, used by deploy-time clients (queue URLs name it) and handler env */
  readonly endpoint: string;
  /** the services; the deploy-time SQS, SNS and S3 clients are the engine's own */
  readonly services: Omit<ProviderServices, 'sqs' | 'sns' | 's3' | 'customResources'>;
  /** the custom resource protocol, less `unrunnable` (the engine knows those) */
  readonly customResources?: {
    readonly responses: NonNullable<ProviderServices['customResources']>['responses'];
    /** how long a provider may take to answer, in ms (real time) */
    readonly timeoutMs: number;
  };
  readonly functions: Omit<FunctionSettings, 'unrunnable'>;
  readonly log: (line: string) => void;
}

/** One stack deployment: a template with everything it needs from the caller. */
export interface DeployStackInput {
  readonly stackName: string;
  readonly template: Template;
  /**
   * Parameter values given by the caller (lists as arrays or comma-separated text); a parameter
   * not given takes its `Default`, and one without a default fails the deployment.
   */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** where the file assets the template names are */
  readonly assets: StackAssets;
  /** the id of a stack created (the CloudFormation API made it at CreateChangeSet) @default - a new one */
  readonly stackId?: string;
}

/** What the engine keeps of a stack: its template and each resource's state. */
interface StackState {
  readonly name: string;
  readonly id: string;
  readonly createdAt: Date;
  template: Template;
  assets: StackAssets;
  /** in creation order */
  resources: Map<string, ResourceState>;
  exportNames: string[];
}

/** One resource change of a stack operation, for rollback. */
interface Change {
  /** the resource before (none: created) */
  readonly before?: ResourceState;
  readonly after: ResourceState;
  /** a new physical resource took the old one's place */
  readonly replaced?: boolean;
}

/** How many events are kept per stack (the oldest go first). */
const MAX_EVENTS_PER_STACK = 1000;
/** How many ended stacks' events are kept (DescribeStackEvents by stack id after a delete or failed create). */
const MAX_ENDED_STACKS = 50;

/**
 * The CloudFormation stack engine: creates, updates and deletes one stack from its template,
 * resources in dependency order, intrinsics resolved, and rolls a failed operation back. It has no
 * per-type code: each resource type's provider (`./providers`) does the work. Every resource and
 * stack status change is recorded as a stack event.
 */
export class StackEngine {
  /** the stacks deployed, in deployment order (what DescribeStacks answers) */
  public readonly stacks: DeployedStack[] = [];
  /** functions deployed whose code cannot run here, as `<stack>/<logicalId> (<reason>)` */
  public readonly unrunnable: string[] = [];
  private readonly unrunnableFunctions = new Set<string>();
  private readonly exports = new Map<string, unknown>();
  private readonly state = new Map<string, StackState>();
  /** events by stack id, oldest first */
  private readonly events = new Map<string, StackEvent[]>();
  /** the id of the last stack of each name (a failed creation's too) */
  private readonly lastIds = new Map<string, string>();
  private readonly sqs: SQSClient;
  private readonly sns: SNSClient;
  private readonly s3: S3Client;

  constructor(private readonly o: StackEngineOptions) {
    const config = { endpoint: o.endpoint, region: o.region, credentials: { accessKeyId: 'deploy', secretAccessKey: 'deploy' }, maxAttempts: 1 };
    this.sqs = new SQSClient(config);
    this.sns = new SNSClient(config);
    this.s3 = new S3Client({ ...config, forcePathStyle: true });
  }

  /** Whether a stack of that name is deployed. */
  public has(stackName: string): boolean {
    return this.state.has(stackName);
  }

  /**
   * Creates the stack, or updates it to the template when it is deployed already. Rejects with a
   * `DeploymentError` (the stack rolled back) or an `AssemblyError` (a template that cannot be
   * resolved).
   */
  public async deployStack(input: DeployStackInput): Promise<DeployedStack> {
    const deployed = this.state.has(input.stackName) ? await this.updateStack(input) : await this.createStack(input);
    const at = this.stacks.findIndex((x) => x.name === deployed.name);
    if (at >= 0) this.stacks[at] = deployed;
    else this.stacks.push(deployed);
    return deployed;
  }

  /**
   * Deletes one stack, its resources in the reverse of their creation order; `DeletionPolicy:
   * Retain` keeps a resource. The first resource that cannot go fails the stack (DELETE_FAILED,
   * rejected with a `DeploymentError`); the stack stays with the resources left. A stack whose
   * exports another stack imports is not deleted. A stack not deployed: nothing to do.
   */
  public async deleteStack(stackName: string): Promise<void> {
    const st = this.state.get(stackName);
    if (!st) return;
    const importers = this.stacks.filter((s) => s.name !== stackName && this.state.get(s.name)
      && st.exportNames.some((e) => this.importsExport(s.name, e)));
    if (importers.length) {
      throw new DeploymentError(stackName, stackName, STACK_RESOURCE_TYPE,
        `Export ${st.exportNames.find((e) => this.importsExport(importers[0].name, e))} cannot be deleted as it is in use by ${importers[0].name}`, 'DELETE');
    }
    this.stackStatus(st, 'DELETE_IN_PROGRESS');
    this.show(stackName, { status: 'DELETE_IN_PROGRESS', statusReason: undefined, lastUpdatedAt: new Date() });
    for (const r of [...st.resources.values()].reverse()) {
      if (retained(r.deletionPolicy)) {
        this.resourceEvent(st, r.logicalId, r.resolved.ref, r.type, 'DELETE_SKIPPED');
      } else {
        this.resourceEvent(st, r.logicalId, r.resolved.ref, r.type, 'DELETE_IN_PROGRESS');
        try {
          await providerOf(r.type).delete?.(this.context(st, r.logicalId, r.type, 'DELETE'), r);
        } catch (e) {
          const err = e instanceof DeploymentError ? e : new DeploymentError(stackName, r.logicalId, r.type, describe(e), 'DELETE');
          this.resourceEvent(st, r.logicalId, r.resolved.ref, r.type, 'DELETE_FAILED', err.message);
          this.stackStatus(st, 'DELETE_FAILED', err.message);
          this.show(stackName, { status: 'DELETE_FAILED', statusReason: err.message, resources: this.resourceList(st), lastUpdatedAt: new Date() });
          throw err;
        }
        this.resourceEvent(st, r.logicalId, r.resolved.ref, r.type, 'DELETE_COMPLETE');
      }
      st.resources.delete(r.logicalId);
    }
    for (const e of st.exportNames) this.exports.delete(e);
    this.state.delete(stackName);
    const at = this.stacks.findIndex((s) => s.name === stackName);
    if (at >= 0) this.stacks.splice(at, 1);
    this.stackStatus(st, 'DELETE_COMPLETE');
    this.ended(st.id);
    this.o.log(`deleted stack ${stackName}`);
  }

  /**
   * The events of a stack, newest first (as DescribeStackEvents answers): by name for a stack
   * deployed, by id also for one deleted or whose creation rolled back.
   */
  public stackEvents(nameOrId: string): StackEvent[] | undefined {
    const id = this.state.get(nameOrId)?.id ?? this.lastIds.get(nameOrId) ?? nameOrId;
    const events = this.events.get(id);
    return events ? [...events].reverse() : undefined;
  }

  /** Closes the deploy-time SDK clients. */
  public dispose(): void {
    this.sqs.destroy();
    this.sns.destroy();
    this.s3.destroy();
  }

  private async createStack(input: DeployStackInput): Promise<DeployedStack> {
    const { stackName, template: t } = input;
    const resources = new Map<string, ResolvedResource>();
    const id = input.stackId ?? `arn:aws:cloudformation:${this.o.region}:${this.o.accountId}:stack/${stackName}/${randomUUID()}`;
    const st: StackState = { name: stackName, id, createdAt: new Date(), template: t, assets: input.assets, resources: new Map(), exportNames: [] };
    // a template that cannot be resolved (a parameter without a value) fails before the stack exists
    const resolver = this.resolver(input, id, resources);
    this.stackStatus(st, 'CREATE_IN_PROGRESS');
    try {
      for (const logicalId of resourceOrder(stackName, t)) {
        const res = t.Resources![logicalId];
        if (res.Condition && !resolver.condition(res.Condition)) continue;
        const props = resolver.resolve(res.Properties ?? {}, `Resources.${logicalId}.Properties`);
        const created = await this.create(st, logicalId, res.Type, props, 'CREATE');
        resources.set(logicalId, created);
        st.resources.set(logicalId, this.resourceState(logicalId, res, props, created));
      }
    } catch (e) {
      // ROLLBACK: what was created goes again (RetainExceptOnCreate resources too)
      this.stackStatus(st, 'ROLLBACK_IN_PROGRESS', (e as Error).message);
      await this.rollback(st, [...st.resources.values()].map((after) => ({ after })));
      this.stackStatus(st, 'ROLLBACK_COMPLETE');
      this.ended(st.id);
      throw e;
    }
    this.state.set(stackName, st);
    const deployed = this.deployedStack(st, resolver, 'CREATE_COMPLETE');
    this.stackStatus(st, 'CREATE_COMPLETE');
    this.o.log(`deployed stack ${stackName} (${deployed.resources.length} resources)`);
    return deployed;
  }

  /**
   * A stack update, the way CloudFormation runs one: resources in the new template's creation
   * order, each one new (created), unchanged (kept), or changed: its provider updates it in place
   * or replaces it (a new physical resource). Then the cleanup phase deletes resources gone from
   * the template and the old physical resources of replacements, in reverse order.
   */
  private async updateStack(input: DeployStackInput): Promise<DeployedStack> {
    const { stackName, template: t } = input;
    const st = this.state.get(stackName)!;
    const resources = new Map<string, ResolvedResource>();
    const next = new Map<string, ResourceState>();
    const superseded: ResourceState[] = [];
    const applied: Change[] = [];
    // UPDATE_IN_PROGRESS from the first change on ("No updates are to be performed" has no events)
    let started = false;
    const start = () => {
      if (started) return;
      started = true;
      this.stackStatus(st, 'UPDATE_IN_PROGRESS');
      this.show(st.name, { status: 'UPDATE_IN_PROGRESS', statusReason: undefined });
    };
    // a template that cannot be resolved (a parameter without a value) leaves the stack as it is
    const resolver = this.resolver(input, st.id, resources);
    // resources are created and updated with the new template's assets (a function's new code);
    // a rollback puts the old resources back with the old ones
    const previousAssets = st.assets;
    st.assets = input.assets;
    try {
      for (const logicalId of resourceOrder(stackName, t)) {
        const res = t.Resources![logicalId];
        if (res.Condition && !resolver.condition(res.Condition)) continue;
        const props = resolver.resolve(res.Properties ?? {}, `Resources.${logicalId}.Properties`);
        const old = st.resources.get(logicalId);
        if (old && old.type === res.Type && isDeepStrictEqual(old.properties, props)) {
          resources.set(logicalId, old.resolved);
          next.set(logicalId, { ...old, deletionPolicy: res.DeletionPolicy, updateReplacePolicy: res.UpdateReplacePolicy });
          continue;
        }
        start();
        const inPlace = old && old.type === res.Type;
        const resolved = inPlace ? await this.update(st, logicalId, res.Type, props, old) : await this.create(st, logicalId, res.Type, props, 'UPDATE');
        const after = this.resourceState(logicalId, res, props, resolved);
        applied.push({ before: old, after, replaced: !inPlace || resolved.ref !== old!.resolved.ref });
        if (old && applied[applied.length - 1].replaced) superseded.push(old);
        resources.set(logicalId, resolved);
        next.set(logicalId, after);
      }
    } catch (e) {
      start();
      st.assets = previousAssets;
      this.stackStatus(st, 'UPDATE_ROLLBACK_IN_PROGRESS', (e as Error).message);
      await this.rollback(st, applied);
      this.stackStatus(st, 'UPDATE_ROLLBACK_COMPLETE');
      this.show(st.name, { status: 'UPDATE_ROLLBACK_COMPLETE', statusReason: (e as Error).message, lastUpdatedAt: new Date() });
      throw e;
    }
    let changed = applied.length;
    // cleanup: removed resources and replaced physical resources, dependents first
    const removed = [...st.resources.values()].filter((r) => !next.has(r.logicalId) || superseded.includes(r)).reverse();
    if (removed.some((r) => !(superseded.includes(r) ? retained(r.updateReplacePolicy) : retained(r.deletionPolicy)))) start();
    if (started) this.stackStatus(st, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
    st.template = t;
    st.resources = next;
    for (const r of removed) {
      const keep = superseded.includes(r) ? retained(r.updateReplacePolicy) : retained(r.deletionPolicy);
      if (keep) {
        this.resourceEvent(st, r.logicalId, r.resolved.ref, r.type, 'DELETE_SKIPPED');
        continue;
      }
      changed++;
      this.resourceEvent(st, r.logicalId, r.resolved.ref, r.type, 'DELETE_IN_PROGRESS');
      try {
        await providerOf(r.type).delete?.(this.context(st, r.logicalId, r.type, 'DELETE'), r);
        this.resourceEvent(st, r.logicalId, r.resolved.ref, r.type, 'DELETE_COMPLETE');
      } catch (e) {
        // CloudFormation reports cleanup failures and still completes the update
        this.resourceEvent(st, r.logicalId, r.resolved.ref, r.type, 'DELETE_FAILED', describe(e));
        this.o.log(`warning: stack ${st.name}: ${r.logicalId} (${r.type}) DELETE_FAILED during update cleanup: ${describe(e)}`);
      }
    }
    const previous = this.stacks.find((x) => x.name === st.name)!;
    const updated = this.deployedStack(st, resolver, 'UPDATE_COMPLETE');
    // "No updates are to be performed": the stack keeps its status
    const unchanged = !changed && isDeepStrictEqual(updated.outputs, previous.outputs);
    if (started || !unchanged) this.stackStatus(st, 'UPDATE_COMPLETE');
    this.o.log(changed ? `updated stack ${stackName} (${changed} resource changes)` : `stack ${stackName}: no changes`);
    return unchanged ? previous : updated;
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
    for (const { before, after, replaced } of [...applied].reverse()) {
      try {
        if (!before || replaced) {
          this.resourceEvent(st, after.logicalId, after.resolved.ref, after.type, 'DELETE_IN_PROGRESS');
          await providerOf(after.type).delete?.(this.context(st, after.logicalId, after.type, 'DELETE'), after);
          this.resourceEvent(st, after.logicalId, after.resolved.ref, after.type, 'DELETE_COMPLETE');
        } else {
          await this.update(st, before.logicalId, before.type, before.properties, after);
        }
      } catch (e) {
        this.resourceEvent(st, after.logicalId, after.resolved.ref, after.type, !before || replaced ? 'DELETE_FAILED' : 'UPDATE_FAILED', describe(e));
        this.o.log(`warning: stack ${st.name}: rollback of ${after.logicalId} (${after.type}) failed: ${describe(e)}`);
      }
    }
  }

  /** Creates one resource through its provider (CREATE events; UPDATE_FAILED wording for a replacement). */
  private async create(st: StackState, logicalId: string, type: string, p: Record<string, any>,
    operation: StackOperation): Promise<ResolvedResource> {
    const ctx = this.context(st, logicalId, type, operation);
    this.resourceEvent(st, logicalId, '', type, 'CREATE_IN_PROGRESS');
    try {
      const created = await providerOf(type).create(ctx, p);
      this.resourceEvent(st, logicalId, created.ref, type, 'CREATE_COMPLETE');
      return created;
    } catch (e) {
      const err = e instanceof DeploymentError || e instanceof AssemblyError ? e : ctx.fail(describe(e));
      this.resourceEvent(st, logicalId, '', type, 'CREATE_FAILED', err.message);
      throw err;
    }
  }

  /**
   * An in-place update of a changed resource, or its replacement when the provider says so (a new
   * physical resource; the caller deletes the old one in the cleanup phase when the id changed).
   */
  private async update(st: StackState, logicalId: string, type: string, p: Record<string, any>,
    old: ResourceState): Promise<ResolvedResource> {
    const provider = providerOf(type);
    const ctx = this.context(st, logicalId, type, 'UPDATE');
    let updated: ResolvedResource | typeof REPLACE;
    this.resourceEvent(st, logicalId, old.resolved.ref, type, 'UPDATE_IN_PROGRESS');
    try {
      updated = provider.update ? await provider.update(ctx, p, old) : REPLACE;
    } catch (e) {
      const err = e instanceof DeploymentError || e instanceof AssemblyError ? e : ctx.fail(describe(e));
      this.resourceEvent(st, logicalId, old.resolved.ref, type, 'UPDATE_FAILED', err.message);
      throw err;
    }
    if (updated !== REPLACE) {
      this.resourceEvent(st, logicalId, updated.ref, type, 'UPDATE_COMPLETE');
      return updated;
    }
    // requires replacement: the new physical resource first
    const created = await this.create(st, logicalId, type, p, 'UPDATE');
    this.resourceEvent(st, logicalId, created.ref, type, 'UPDATE_COMPLETE');
    return created;
  }

  /** What a provider gets for one resource operation. */
  private context(st: StackState, logicalId: string, type: string, operation: StackOperation): ProviderContext {
    const { customResources } = this.o;
    return {
      accountId: this.o.accountId,
      region: this.o.region,
      endpoint: this.o.endpoint,
      stackName: st.name,
      stackId: st.id,
      logicalId,
      type,
      operation,
      services: {
        ...this.o.services,
        sqs: this.sqs,
        sns: this.sns,
        s3: this.s3,
        customResources: customResources && {
          lambda: this.o.services.lambda,
          responses: customResources.responses,
          timeoutMs: customResources.timeoutMs,
          log: this.o.log,
          unrunnable: (name) => this.unrunnableFunctions.has(name),
        },
      },
      functions: {
        ...this.o.functions,
        unrunnable: (name, id, problem) => {
          this.unrunnable.push(`${st.name}/${id} (${problem})`);
          this.unrunnableFunctions.add(name);
        },
      },
      assets: st.assets,
      log: this.o.log,
      fail: (reason) => new DeploymentError(st.name, logicalId, type, reason, operation),
      generatedName: (max, lower) => generatedName(st.name, logicalId, max, lower),
    };
  }

  /** The parameter values a stack deploys with: the caller's, else the defaults. */
  private parameters(input: DeployStackInput): Record<string, unknown> {
    const parameters: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(input.template.Parameters ?? {})) {
      const value = input.parameters?.[name] ?? p.Default;
      if (value === undefined) {
        throw new AssemblyError(`stack ${input.stackName}: parameter ${name} has no default (the local cloud deploys with defaults only)`);
      }
      parameters[name] = (p.Type.startsWith('List<') || p.Type === 'CommaDelimitedList') && !Array.isArray(value) ? String(value).split(',') : value;
    }
    return parameters;
  }

  private resolver(input: DeployStackInput, id: string, resources: Map<string, ResolvedResource>): Resolver {
    return new Resolver({
      stackName: input.stackName,
      stackId: id,
      accountId: this.o.accountId,
      region: this.o.region,
      parameters: this.parameters(input),
      conditions: input.template.Conditions ?? {},
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

  /** Outputs (exports registered) and the resource list of a stack just created or updated. */
  private deployedStack(st: StackState, resolver: Resolver, status: StackStatus): DeployedStack {
    for (const name of st.exportNames) this.exports.delete(name);
    st.exportNames = [];
    const outputs: StackOutput[] = [];
    for (const [key, o] of Object.entries(st.template.Outputs ?? {})) {
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

  private importsExport(stackName: string, exportName: string): boolean {
    const t = this.state.get(stackName)?.template;
    const text = JSON.stringify({ 'Fn::ImportValue': exportName }).slice(1, -1);
    return JSON.stringify(t?.Resources ?? {}).includes(text) || JSON.stringify(t?.Outputs ?? {}).includes(text);
  }

  private record(st: StackState, event: Omit<StackEvent, 'eventId' | 'stackId' | 'stackName' | 'timestamp'>): void {
    let events = this.events.get(st.id);
    if (!events) this.events.set(st.id, events = []);
    this.lastIds.set(st.name, st.id);
    events.push({ eventId: randomUUID(), stackId: st.id, stackName: st.name, timestamp: new Date(), ...event });
    if (events.length > MAX_EVENTS_PER_STACK) events.splice(0, events.length - MAX_EVENTS_PER_STACK);
  }

  private resourceEvent(st: StackState, logicalId: string, physicalId: string, type: string, status: ResourceStatus, reason?: string): void {
    this.record(st, { logicalId, physicalId, type, status, reason });
  }

  private stackStatus(st: StackState, status: StackStatus, reason?: string): void {
    this.record(st, { logicalId: st.name, physicalId: st.id, type: STACK_RESOURCE_TYPE, status, reason });
  }

  /** A stack deleted or rolled back: its events stay findable by id, the oldest such stacks' go. */
  private ended(id: string): void {
    const live = new Set([...this.state.values()].map((s) => s.id));
    const ended = [...this.events.keys()].filter((k) => !live.has(k) && k !== id);
    for (const k of ended.slice(0, Math.max(0, ended.length + 1 - MAX_ENDED_STACKS))) {
      this.events.delete(k);
      for (const [name, last] of this.lastIds) if (last === k) this.lastIds.delete(name);
    }
  }
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
