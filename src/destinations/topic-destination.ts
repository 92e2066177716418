import { Annotations } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IDependable } from 'constructs';
import { DestinationBindOptions, DestinationConfig } from './destination';
import { OutcomeDestination } from './outcome-destination';
import { warnAboutEnvironment } from '../private/environment-checks';
import { validationError } from '../private/errors';
import { grantKeyToFunction, grantToFunction } from '../private/grants';
import { Outcome } from '../private/outcome';
import { display, endsWithLiteral, resolveValue } from '../private/resolve';

/** Publishes records to a standard SNS topic. */
export class TopicDestination extends OutcomeDestination {
  constructor(private readonly topic: sns.ITopic) {
    super();
  }

  protected bind(scope: Construct, options: DestinationBindOptions, outcome: Outcome): DestinationConfig {
    const topic = this.topic;
    if (topic.fifo || endsWithLiteral(resolveValue(topic, topic.topicArn), '.fifo')) {
      const name = topic.node.defaultChild ? topic.node.path : display(topic, topic.topicArn);
      throw validationError(scope, `on${outcome}: Lambda cannot publish records to a FIFO topic, got ${name}`);
    }
    warnAboutEnvironment(scope, `on${outcome}`, options.source, { construct: topic, arn: topic.topicArn, env: topic.env, resourcePolicy: 'the topic policy (sns:Publish)' });
    warnAboutPayloadLimit(topic, scope);
    const grants: IDependable[] = [grantToFunction(scope, options.source, ['sns:Publish'], topic.topicArn)];
    const keyGrant = grantKeyToFunction(scope, `on${outcome}`, options.source, topic.masterKey, ['kms:GenerateDataKey', 'kms:Decrypt'], 'sns', topic);
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
