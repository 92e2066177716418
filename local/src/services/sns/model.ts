import { CompiledFilterPolicy } from './filter-policy';

/** Message attributes as Publish takes them (`BinaryValue` base64, as the query protocol sends it). */
export type SnsMessageAttributes = Record<string, { readonly DataType: string; readonly StringValue?: string; readonly BinaryValue?: string }>;

/** One message accepted by a topic: what its subscribers are sent. */
export interface PublishedMessage {
  /** the id Publish returned */
  readonly messageId: string;
  readonly message: string;
  readonly subject?: string;
  /** `json`: `message` holds one message per protocol (`lambda`, else `default`) */
  readonly messageStructure?: string;
  readonly attributes: SnsMessageAttributes;
  /** invocations of the chain that published it (recursive loop detection) @default 0 */
  readonly hops?: number;
}

/** A `lambda` protocol subscription. */
export interface LambdaSubscription {
  readonly arn: string;
  readonly topicArn: string;
  /** the function ARN, possibly qualified with a version or alias */
  readonly endpoint: string;
  readonly filterPolicy?: CompiledFilterPolicy;
}
