import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IDependable } from 'constructs';
import { DestinationBindOptions, DestinationConfig } from './destination';
import { OutcomeDestination } from './outcome-destination';
import { QueueDestinationOptions } from './queue-options';
import { warnAboutEnvironment } from '../private/environment-checks';
import { validationError } from '../private/errors';
import { grantKeyToFunction, grantToFunction } from '../private/grants';
import { acknowledgeNagFindings } from '../private/nag';
import { Outcome } from '../private/outcome';
import { display, endsWithLiteral, resolveValue } from '../private/resolve';

/** Sends records to a standard SQS queue, created for the user when none is given. */
export class QueueDestination extends OutcomeDestination {
  constructor(private readonly queue?: sqs.IQueue, private readonly options: QueueDestinationOptions = {}) {
    super();
  }

  protected bind(scope: Construct, options: DestinationBindOptions, outcome: Outcome): DestinationConfig {
    if (this.queue && this.options.queueProps) {
      throw validationError(scope, `on${outcome}: queueProps only apply to a queue created for you, but queue ${this.queue.node.path} was given`);
    }
    const queue = this.queue ?? createQueue(scope, `${outcome}Queue`, this.options.queueProps);
    if (isFifo(queue)) {
      throw validationError(scope, `on${outcome}: Lambda cannot send records to a FIFO queue, got ${describe(queue)}`);
    }
    warnAboutEnvironment(scope, `on${outcome}`, options.source, { construct: queue, arn: queue.queueArn, env: queue.env, resourcePolicy: 'the queue policy (sqs:SendMessage)' });
    const grants: IDependable[] = [grantToFunction(scope, options.source, ['sqs:SendMessage'], queue.queueArn)];
    const keyGrant = grantKeyToFunction(scope, `on${outcome}`, options.source, queue.encryptionMasterKey, ['kms:GenerateDataKey', 'kms:Decrypt'], 'sqs', queue);
    if (keyGrant) {
      grants.push(keyGrant);
    }
    return { destinationArn: queue.queueArn, grants, createdQueue: this.queue ? undefined : queue };
  }
}

/** A standard queue for invocation records: SSE with the AWS managed key, SSL only, 14 days retention; `props` merged over those. */
export function createQueue(scope: Construct, id: string, props: sqs.QueueProps = {}): sqs.IQueue {
  const encryption = props.encryption ?? (props.encryptionMasterKey ? sqs.QueueEncryption.KMS : sqs.QueueEncryption.KMS_MANAGED);
  const queue = new sqs.Queue(scope, id, {
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    ...props,
    encryption,
  });
  const reason = 'This queue is the terminal store of Lambda invocation records; a dead-letter queue behind it would never receive anything.';
  acknowledgeNagFindings(queue, [
    { id: 'AwsSolutions-SQS3', reason },
    { id: 'Serverless-SQSRedrivePolicy', reason },
  ]);
  return queue;
}

/** A FIFO queue: created as one, or imported by an ARN whose literal name ends in `.fifo` (also when built with formatArn). */
function isFifo(queue: sqs.IQueue): boolean {
  return queue.fifo || endsWithLiteral(resolveValue(queue, queue.queueArn), '.fifo');
}

function describe(queue: sqs.IQueue): string {
  return queue.node.defaultChild ? queue.node.path : display(queue, queue.queueArn);
}
