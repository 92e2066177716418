import { AsyncEventQueue } from './async-queue';
import { DeadLetterQueue } from './dead-letter';
import {
  DestinationHandler, Destinations, eventBridgeDestination, lambdaDestination, RequiredPermission, s3Destination, snsDestination,
  sqsDestination, TopicPublisher,
} from './destinations';
import { EventInvokeConfigInput, putEventInvokeConfig } from './event-invoke-config';
import { ExecutionRole } from './execution-role';
import { FunctionRegistry } from './function-registry';
import { Invoker } from './invoke';
import { InvocationLogEvent } from './log-events';
import { LambdaMetrics } from './metrics';
import { DeliveryReport, EventInvokeConfig, InvocationReport, LambdaFunction } from './model';
import { LambdaPermissions } from './permissions';
import { InvocationOutcome } from './worker-pool';
import { IamStore } from '../../iam/iam-store';
import { FauxqsBackend } from '../backend/fauxqs';
import { MetricStore } from '../cloudwatch/service';

export interface LambdaServiceOptions {
  readonly accountId: string;
  readonly region: string;
  readonly timeScale: number;
  readonly backend: FauxqsBackend;
  readonly iam: IamStore;
  readonly metrics: MetricStore;
  readonly log: (line: string) => void;
  readonly onDelivery?: (r: DeliveryReport) => void;
  /** told of every invocation attempt, with its log */
  readonly onInvocation?: (r: InvocationReport) => void;
  /** how SNS destinations and dead-letter topics are published to (every subscriber gets them, lambda ones too) */
  readonly publishToTopic: TopicPublisher;
  /** where each invocation's log events go (CloudWatch Logs: the function's group, the handler process's stream) */
  readonly writeLogs?: (logGroup: string, logStream: string, events: readonly InvocationLogEvent[]) => void;
}

/**
 * Lambda: the functions deployed (function-registry.ts), synchronous invocation (invoke.ts), the
 * asynchronous event queue with AWS's attempt loop and event age (async-queue.ts), destinations
 * (destinations/, one file per kind), the dead-letter queue (dead-letter.ts), the execution
 * role's checks (execution-role.ts) and metrics (metrics.ts). This class only wires them.
 */
export class LambdaService {
  private readonly registry = new FunctionRegistry();
  private readonly role: ExecutionRole;
  private readonly invoker: Invoker;
  private readonly destinations: Destinations;
  private readonly queue: AsyncEventQueue;

  constructor(opts: LambdaServiceOptions) {
    const metrics = new LambdaMetrics(opts.metrics);
    this.role = new ExecutionRole(opts.iam, (service) => this.destinations.kind(service));
    this.destinations = new Destinations({
      region: opts.region, accountId: opts.accountId, role: this.role, metrics, log: opts.log, onDelivery: opts.onDelivery,
    });
    this.destinations.add(sqsDestination(opts.backend));
    this.destinations.add(snsDestination(opts.publishToTopic));
    this.destinations.add(s3Destination(opts.backend.s3));
    this.destinations.add(lambdaDestination(this));
    this.destinations.add(eventBridgeDestination(opts, () => this.destinations.handler('events')));
    this.invoker = new Invoker({ registry: this.registry, metrics, log: opts.log, onInvocation: opts.onInvocation, writeLogs: opts.writeLogs });
    this.queue = new AsyncEventQueue({
      timeScale: opts.timeScale,
      registry: this.registry,
      invoker: this.invoker,
      destinations: this.destinations,
      deadLetter: new DeadLetterQueue(this.destinations, this.role, metrics),
      metrics,
      log: opts.log,
    });
  }

  public get functions(): Map<string, LambdaFunction> {
    return this.registry.functions;
  }

  /** Customer managed KMS keys of encrypted destinations (queue/topic/bucket ARN → key ARN). */
  public get destinationKeys(): Map<string, string> {
    return this.role.destinationKeys;
  }

  /** resource-based policies (`AWS::Lambda::Permission`) */
  public get permissions(): LambdaPermissions {
    return this.registry.permissions;
  }

  public add(fn: LambdaFunction): void {
    this.registry.add(fn);
  }

  /** DeleteFunction: the function is gone at once; its handler processes are stopped. */
  public remove(name: string): Promise<void> {
    return this.registry.remove(name);
  }

  /** Finds a function by name, ARN or partial ARN, with an optional qualifier suffix. */
  public lookup(nameOrArn: string): { fn?: LambdaFunction; qualifier?: string } {
    return this.registry.lookup(nameOrArn);
  }

  public qualifiedArn(fn: LambdaFunction, qualifier: string): string {
    return this.registry.qualifiedArn(fn, qualifier);
  }

  public config(fn: LambdaFunction, qualifier: string): EventInvokeConfig | undefined {
    return this.registry.config(fn, qualifier);
  }

  /** The ARN an invoker used: a qualified one names its version or alias, an unqualified one runs `$LATEST`. */
  public invokedArn(fn: LambdaFunction, qualifier: string | undefined): string {
    return this.registry.invokedArn(fn, qualifier);
  }

  /** RequestResponse invocation (see Invoker.invokeSync). */
  public invokeSync(fn: LambdaFunction, qualifier: string | undefined, payload: string,
    hops = 0): Promise<InvocationOutcome & { requestId: string }> {
    return this.invoker.invokeSync(fn, qualifier, payload, hops);
  }

  /** Event invocation: queued, its request id returned at once (see AsyncEventQueue.invokeAsync). */
  public invokeAsync(fn: LambdaFunction, qualifier: string | undefined, payload: string, onDropped?: (reason: string) => void, hops = 0): string {
    return this.queue.invokeAsync(fn, qualifier, payload, onDropped, hops);
  }

  /** Validates and stores an EventInvokeConfig (see event-invoke-config.ts). */
  public putEventInvokeConfig(fn: LambdaFunction, qualifier: string, input: EventInvokeConfigInput,
    mode: 'create' | 'put' | 'update'): Promise<EventInvokeConfig> {
    return putEventInvokeConfig(this, fn, qualifier, input, mode);
  }

  /** Resolves when no asynchronous event is being processed or waiting for a retry. */
  public idle(): Promise<void> {
    return this.queue.idle();
  }

  public async stop(): Promise<void> {
    this.queue.stop();
    await this.registry.stopAll();
  }

  /** Live handler process ids, across all functions. */
  public pids(): number[] {
    return this.registry.pids();
  }

  /** The IAM actions a destination needs (see ExecutionRole.requiredPermissions). */
  public requiredPermissions(destination: string, atDelivery: boolean, objectKey = '*'): RequiredPermission[] {
    return this.role.requiredPermissions(destination, atDelivery, objectKey);
  }

  /** undefined when the function's role may deliver to the destination, else AWS-style text. */
  public permissionProblem(fn: LambdaFunction, destination: string, atDelivery: boolean, objectKey?: string): Promise<string | undefined> {
    return this.role.permissionProblem(fn, destination, atDelivery, objectKey);
  }

  /**
   * Adds a destination type (by the ARN's service, e.g. `events`): another emulated service
   * receives the records sent to its ARNs. The permission check and metrics stay here.
   */
  public registerDestination(service: string, deliver: DestinationHandler): void {
    this.destinations.register(service, deliver);
  }
}
