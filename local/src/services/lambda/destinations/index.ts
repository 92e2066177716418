import { DestinationHandler, DestinationKind, parseArn, SourceEvent } from './destination';
import { registeredSend } from './eventbridge';
import { ExecutionRole } from '../execution-role';
import { LambdaMetrics } from '../metrics';
import { DeliveryReport } from '../model';

export * from './destination';
export { eventBridgeDestination } from './eventbridge';
export { lambdaDestination } from './lambda';
export type { LambdaTarget } from './lambda';
export { s3Destination } from './s3';
export { snsDestination } from './sns';
export { sqsDestination } from './sqs';

export interface DestinationsOptions {
  readonly region: string;
  readonly accountId: string;
  readonly role: ExecutionRole;
  readonly metrics: LambdaMetrics;
  readonly log: (line: string) => void;
  readonly onDelivery?: (r: DeliveryReport) => void;
}

/**
 * The destinations of asynchronous invocation records, one kind per ARN service, and the handlers
 * other emulated services register for theirs. Every delivery, made or not, is reported.
 */
export class Destinations {
  private readonly kinds = new Map<string, DestinationKind>();
  private readonly handlers = new Map<string, DestinationHandler>();

  constructor(private readonly opts: DestinationsOptions) {}

  public add(kind: DestinationKind): void {
    this.kinds.set(kind.service, kind);
  }

  /** The kind of destination of an ARN's service, if it is one. */
  public kind(service: string): DestinationKind | undefined {
    return this.kinds.get(service);
  }

  /** The handler another service registered for its ARNs (e.g. `events`). */
  public handler(service: string): DestinationHandler | undefined {
    return this.handlers.get(service);
  }

  /**
   * Adds a destination type (by the ARN's service, e.g. `events`): another emulated service
   * receives the records sent to its ARNs. The permission check and metrics stay here.
   */
  public register(service: string, deliver: DestinationHandler): void {
    this.handlers.set(service, deliver);
  }

  public report(r: DeliveryReport): void {
    if (!r.delivered) this.opts.log(`${r.kind} delivery of ${r.requestId} (${r.functionName}) to ${r.destination} failed: ${r.reason}`);
    this.opts.onDelivery?.(r);
  }

  /**
   * Checks the execution role, then builds the record and sends it to the destination. Whatever
   * goes wrong (the record cannot be built, the role may not, the destination refuses it) counts in
   * DestinationDeliveryFailures, with the reason logged and kept in the delivery reports.
   */
  public async deliver(ev: SourceEvent, kind: 'OnSuccess' | 'OnFailure', destination: string, record: () => string): Promise<void> {
    const fn = ev.fn;
    const base = { functionName: fn.name, requestId: ev.requestId, kind, destination };
    try {
      const denied = await this.opts.role.permissionProblem(fn, destination, true);
      if (denied) throw new Error(denied);
      const arn = parseArn(destination);
      const out = { destination, arn, body: record(), kind, fn, qualifier: ev.qualifier, hops: ev.hops };
      const known = this.kinds.get(arn.service);
      if (known) await known.send(out);
      else await registeredSend(this.opts, arn.service, this.handlers.get(arn.service), out);
      this.report({ ...base, delivered: true });
    } catch (e) {
      this.opts.metrics.put(fn, ev.qualifier, 'DestinationDeliveryFailures', 1);
      this.report({ ...base, delivered: false, reason: (e as Error).message });
    }
  }
}
