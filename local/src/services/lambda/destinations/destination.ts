import { LambdaFunction } from '../model';

/** What a registered destination type receives for one record. */
export interface DestinationDelivery {
  /** the destination ARN from the EventInvokeConfig */
  readonly destination: string;
  /** the invocation record (JSON text, AWS key order) */
  readonly record: string;
  readonly kind: 'OnSuccess' | 'OnFailure';
  /** qualified ARN of the function invoked */
  readonly functionArn: string;
  readonly region: string;
  readonly accountId: string;
}

export type DestinationHandler = (delivery: DestinationDelivery) => Promise<void>;

/** Message attributes, as SQS and SNS take them (the dead-letter queue's RequestID, ErrorCode, ErrorMessage). */
export type MessageAttributes = Record<string, { DataType: string; StringValue: string }>;

/** Publishes to an SNS topic (by the topic's ARN) so that every subscriber gets it; returns the MessageId. */
export type TopicPublisher = (topicArn: string, message: string, attributes?: MessageAttributes, hops?: number) => Promise<string>;

/** The parts of an ARN a destination reads. */
export interface DestinationArn {
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(arn: string): DestinationArn {
  const [, , service, region, account, ...rest] = arn.split(':');
  return { service, region, account, resource: rest.join(':') };
}

/** One IAM action the function's execution role needs to send to a destination. */
export interface RequiredPermission {
  readonly action: string;
  readonly resource: string;
  /** the ARN whose resource-based policy applies */
  readonly policyResource: string;
}

/** One record on its way to a destination (an async destination or the dead-letter queue). */
export interface Outgoing {
  /** the destination's ARN */
  readonly destination: string;
  readonly arn: DestinationArn;
  readonly body: string;
  readonly kind: 'OnSuccess' | 'OnFailure' | 'DeadLetter';
  readonly fn: LambdaFunction;
  readonly qualifier: string;
  /** invocations of the record's chain so far: the destination's invocation is one more */
  readonly hops: number;
  /** message attributes (dead-letter queues only) */
  readonly attributes?: MessageAttributes;
}

/** One kind of destination (by the ARN's service): what the execution role needs, and how a record is sent. */
export interface DestinationKind {
  /** the service of the ARNs it takes (`sqs`, `sns`, `lambda`, `events`, `s3`) */
  readonly service: string;
  /**
   * The IAM actions sending to `destination` takes. `kmsKey`: the customer managed key it is
   * encrypted with, when the check is made at delivery (Lambda needs KMS actions then, not when the
   * config is created). `objectKey`: the S3 key written.
   */
  requiredPermissions(destination: string, kmsKey: string | undefined, objectKey: string): RequiredPermission[];
  send(out: Outgoing): Promise<void>;
}

/** The KMS actions on a customer managed key, none without one. */
export function kmsPermissions(key: string | undefined, actions: readonly string[]): RequiredPermission[] {
  return key ? actions.map((action) => ({ action, resource: key, policyResource: key })) : [];
}

/** The asynchronous event whose record is sent. */
export interface SourceEvent {
  readonly fn: LambdaFunction;
  /** `$LATEST` for an unqualified invocation */
  readonly qualifier: string;
  readonly requestId: string;
  /** invocations of this event's chain before it */
  readonly hops: number;
  readonly payload: string;
}
