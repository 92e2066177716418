// Scenario 6: an EventBridge destination on a custom bus. A rule on `detail-type` and
// `detail.requestContext.condition` sends the event, whose `detail` is the record, to SQS.
import { IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { handlers, invokeEvent, messageWithBody, nodeFunction, receiveFromQueue, recordQueue, scenarioStack } from './support';
import { AsyncFunction, FailureDestination, SuccessDestination } from '../src';

const app = new App();
const stack = scenarioStack(app, 'AsyncLambdaEventBridgeDestination');

const bus = new events.EventBus(stack, 'Records');
bus.applyRemovalPolicy(RemovalPolicy.DESTROY);
const successEvents = recordQueue(stack, 'SuccessEvents');
new events.Rule(stack, 'SuccessRecordsToQueue', {
  eventBus: bus,
  eventPattern: {
    detailType: ['Lambda Function Invocation Result - Success'],
    detail: { requestContext: { condition: ['Success'] } },
  },
  targets: [new targets.SqsQueue(successEvents)],
});

const fn = new AsyncFunction(stack, 'Succeeds', {
  ...nodeFunction(handlers.succeed),
  onSuccess: SuccessDestination.eventBus(bus),
  onFailure: FailureDestination.eventBus(bus),
});

const integ = new IntegTest(app, 'EventBridgeDestination', {
  testCases: [stack],
  // deploy only the current app: the committed snapshot has no asset folders to deploy from
  stackUpdateWorkflow: false,
});

invokeEvent(integ, fn.function.functionName, { id: 'integ-eventbridge-1' })
  .next(receiveFromQueue(integ, successEvents)
    .expect(messageWithBody(Match.serializedJson(Match.objectLike({
      'version': '0',
      'detail-type': 'Lambda Function Invocation Result - Success',
      'source': 'lambda',
      'resources': [bus.eventBusArn, `${fn.function.functionArn}:$LATEST`],
      'detail': Match.objectLike({
        version: '1.0',
        requestContext: Match.objectLike({
          functionArn: `${fn.function.functionArn}:$LATEST`,
          condition: 'Success',
          approximateInvokeCount: 1,
        }),
        requestPayload: { id: 'integ-eventbridge-1' },
        responseContext: Match.objectLike({ statusCode: 200, executedVersion: '$LATEST' }),
        responsePayload: { ok: true, echo: { id: 'integ-eventbridge-1' } },
      }),
    }))))
    // one attempt, then the rule's SQS target: seconds
    .waitForAssertions({ totalTimeout: Duration.minutes(2), interval: Duration.seconds(10) }));
