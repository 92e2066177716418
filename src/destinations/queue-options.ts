import * as sqs from 'aws-cdk-lib/aws-sqs';

/** Options for a queue destination. */
export interface QueueDestinationOptions {
  /**
   * Properties of the queue the construct creates when no queue is given.
   *
   * Merged over the defaults: SSE with the AWS managed KMS key (`alias/aws/sqs`), an
   * SSL-only queue policy and 14 days of retention. Only valid without a queue.
   *
   * @default - the defaults above
   */
  readonly queueProps?: sqs.QueueProps;
}
