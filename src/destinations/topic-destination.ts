import { Annotations, Token } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IDependable } from 'constructs';
import { DestinationBindOptions, DestinationConfig } from './destination';
import { OutcomeDestination } from './outcome-destination';
import { validationError } from '../private/errors';
import { grantKeyToFunction, grantToFunction } from '../private/grants';
import { Outcome } from '../private/outcome';

/** Publishes records to a standard SNS topic. */
export class TopicDestination extends OutcomeDestination {
  constructor(private readonly topic: sns.ITopic) {
    super();
  }

  protected bind(scope: Construct, options: DestinationBindOptions, outcome: Outcome): DestinationConfig {
    const topic = this.topic;
    if (topic.fifo || (!Token.isUnresolved(topic.topicArn) && topic.topicArn.endsWith('.fifo'))) {
      const name = Token.isUnresolved(topic.topicArn) ? topic.node.path : topic.topicArn;
      throw validationError(scope, `on${outcome}: Lambda cannot publish records to a FIFO topic, got ${name}`);
    }
    warnAboutPayloadLimit(topic, scope);
    const grants: IDependable[] = [grantToFunction(scope, options.source, ['sns:Publish'], topic.topicArn)];
    const keyGrant = grantKeyToFunction(scope, options.source, topic.masterKey, ['kms:GenerateDataKey', 'kms:Decrypt'], 'sns', topic);
    if (keyGrant) {
      grants.push(keyGrant);
    }
    return { destinationArn: topic.topicArn, grants };
  }
}

/** Topics already warned about, so a topic shared by many configs gets one warning. */
const warnedTopics = new WeakSet<sns.ITopic>();

/**
 * Warns once per topic (on the topic, where it is acknowledged) that SNS messages are limited to
 * 256 KB while asynchronous payloads can be up to 1 MB.
 */
function warnAboutPayloadLimit(topic: sns.ITopic, firstUser: Construct): void {
  if (warnedTopics.has(topic)) {
    return;
  }
  warnedTopics.add(topic);
  Annotations.of(topic).addWarningV2('cdk-async-lambda:snsPayloadLimit',
    `Lambda sends invocation records to this topic (first: ${firstUser.node.path}). SNS messages are limited to 256 KB while ` +
    'asynchronous payloads can be up to 1 MB, so records of large events may fail to be delivered (DestinationDeliveryFailures). ' +
    'Use a queue, bus or function to receive every record.');
}
