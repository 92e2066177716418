import { Destinations, parseArn, SourceEvent } from './destinations';
import { ExecutionRole } from './execution-role';
import { LambdaMetrics } from './metrics';

/**
 * The function's dead-letter queue (`DeadLetterConfig`, an SQS queue or SNS topic): the event
 * itself, with AWS's RequestID, ErrorCode and ErrorMessage attributes. A failure counts in DeadLetterErrors.
 */
export class DeadLetterQueue {
  constructor(private readonly destinations: Destinations, private readonly role: ExecutionRole, private readonly metrics: LambdaMetrics) {}

  public async send(ev: SourceEvent, target: string, errorMessage: string): Promise<void> {
    const fn = ev.fn;
    const base = { functionName: fn.name, requestId: ev.requestId, kind: 'DeadLetter' as const, destination: target };
    try {
      const denied = await this.role.permissionProblem(fn, target, true);
      if (denied) throw new Error(denied);
      const arn = parseArn(target);
      const attributes = {
        RequestID: { DataType: 'String', StringValue: ev.requestId },
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: { DataType: 'String', StringValue: errorMessage.slice(0, 1024) },
      };
      const kind = arn.service === 'sqs' || arn.service === 'sns' ? this.destinations.kind(arn.service) : undefined;
      if (!kind) throw new Error(`dead-letter target ${target} is not an SQS queue or SNS topic`);
      await kind.send({ destination: target, arn, body: ev.payload, kind: 'DeadLetter', fn, qualifier: ev.qualifier, hops: ev.hops, attributes });
      this.destinations.report({ ...base, delivered: true });
    } catch (e) {
      this.metrics.put(fn, ev.qualifier, 'DeadLetterErrors', 1);
      this.destinations.report({ ...base, delivered: false, reason: (e as Error).message });
    }
  }
}
