// Scenario 5: an SNS success destination. A (non-raw) SQS subscription receives the SNS
// envelope, whose `Message` is the invocation record as a JSON string.
import { IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { handlers, invokeEvent, messageWithBody, nodeFunction, receiveFromQueue, recordQueue, scenarioStack } from './support';
import { AsyncFunction, FailureDestination, SuccessDestination } from '../src';

const app = new App();
const stack = scenarioStack(app, 'AsyncLambdaSnsDestination');

const records = new sns.Topic(stack, 'Records');
records.applyRemovalPolicy(RemovalPolicy.DESTROY);
const subscriber = recordQueue(stack, 'Subscriber');
records.addSubscription(new subscriptions.SqsSubscription(subscriber, { rawMessageDelivery: false }));

const fn = new AsyncFunction(stack, 'Succeeds', {
  ...nodeFunction(handlers.succeed),
  onSuccess: SuccessDestination.topic(records),
  onFailure: FailureDestination.topic(records),
});

const integ = new IntegTest(app, 'SnsDestination', {
  testCases: [stack],
  // deploy only the current app: the committed snapshot has no asset folders to deploy from
  stackUpdateWorkflow: false,
});

invokeEvent(integ, fn.function.functionName, { id: 'integ-sns-1' })
  .next(receiveFromQueue(integ, subscriber)
    .expect(messageWithBody(Match.serializedJson(Match.objectLike({
      Type: 'Notification',
      TopicArn: records.topicArn,
      Message: Match.serializedJson(Match.objectLike({
        version: '1.0',
        requestContext: Match.objectLike({
          functionArn: Match.stringLikeRegexp(':function:[^:]+:\\$LATEST$'),
          condition: 'Success',
          approximateInvokeCount: 1,
        }),
        requestPayload: { id: 'integ-sns-1' },
        responseContext: Match.objectLike({ statusCode: 200, executedVersion: '$LATEST' }),
        responsePayload: { ok: true, echo: { id: 'integ-sns-1' } },
      })),
    }))))
    // one attempt, then SNS fan-out to SQS: seconds
    .waitForAssertions({ totalTimeout: Duration.minutes(2), interval: Duration.seconds(10) }));
