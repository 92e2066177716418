import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { BucketDestination } from './bucket-destination';
import { IFailureDestination } from './destination';
import { EventBusDestination } from './event-bus-destination';
import { FunctionDestination } from './function-destination';
import { FunctionDestinationOptions } from './function-options';
import { QueueDestination } from './queue-destination';
import { QueueDestinationOptions } from './queue-options';
import { TopicDestination } from './topic-destination';
import { checkFactoryArgument, checkFunctionOptions, checkQueueOptions } from '../private/input-checks';

/**
 * Where records of asynchronous invocations that failed (`RetriesExhausted`) or were dropped
 * (`EventAgeExceeded`) go.
 */
export abstract class FailureDestination {
  /**
   * A standard SQS queue. `sqs:SendMessage` is granted (plus `kms:GenerateDataKey` and
   * `kms:Decrypt` on its customer managed key).
   *
   * @param queue the queue; FIFO queues are rejected. @default - a queue is created for you
   *   (SSE-KMS with the AWS managed key, SSL only, 14 days retention)
   */
  public static queue(queue?: sqs.IQueue, options?: QueueDestinationOptions): IFailureDestination {
    checkFactoryArgument('FailureDestination.queue', 'queue', queue, 'an sqs.IQueue (or omitted)', ['queueArn'], true);
    checkQueueOptions('FailureDestination.queue', options);
    return new QueueDestination(queue, options);
  }

  /**
   * A standard SNS topic. `sns:Publish` is granted (plus KMS on its customer managed key).
   * FIFO topics are rejected; a warning notes SNS's 256 KB message limit.
   */
  public static topic(topic: sns.ITopic): IFailureDestination {
    checkFactoryArgument('FailureDestination.topic', 'topic', topic, 'an sns.ITopic', ['topicArn'], false);
    return new TopicDestination(topic);
  }

  /**
   * An EventBridge bus. `events:PutEvents` is granted.
   *
   * @param eventBus the bus. @default - the account's default event bus
   */
  public static eventBus(eventBus?: events.IEventBus): IFailureDestination {
    checkFactoryArgument('FailureDestination.eventBus', 'eventBus', eventBus, 'an events.IEventBus (or omitted)', ['eventBusArn'], true);
    return new EventBusDestination(eventBus);
  }

  /**
   * Another Lambda function (or a version or alias of one), invoked asynchronously with the
   * record. `lambda:InvokeFunction` is granted. A function cannot be its own destination.
   */
  public static function(fn: lambda.IFunction, options?: FunctionDestinationOptions): IFailureDestination {
    checkFactoryArgument('FailureDestination.function', 'fn', fn, 'a lambda.IFunction (a function, version or alias)', ['functionArn', 'functionName'], false);
    checkFunctionOptions('FailureDestination.function', options);
    return new FunctionDestination(fn, options);
  }

  /**
   * An S3 bucket: each record becomes an object under `aws/lambda/async/<function-name>/`.
   * `s3:PutObject` on that prefix (with an `s3:ResourceAccount` condition) and `s3:ListBucket`
   * are granted, plus `kms:GenerateDataKey` on the bucket's customer managed key.
   */
  public static bucket(bucket: s3.IBucket): IFailureDestination {
    checkFactoryArgument('FailureDestination.bucket', 'bucket', bucket, 'an s3.IBucket', ['bucketArn'], false);
    return new BucketDestination(bucket);
  }
}
