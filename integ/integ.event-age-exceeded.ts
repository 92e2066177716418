// Scenario 4: with maxEventAge 60 s the first retry (60 s away) would come too late, so the
// failed event is dropped at once: one EventAgeExceeded record after a single attempt.
import { IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import { handlers, invokeEvent, messageWithBody, nodeFunction, receiveFromQueue, recordQueue, scenarioStack } from './support';
import { AsyncFunction, FailureDestination } from '../src';

const app = new App();
const stack = scenarioStack(app, 'AsyncLambdaEventAgeExceeded');

const failureRecords = recordQueue(stack, 'FailureRecords');
const fn = new AsyncFunction(stack, 'Fails', {
  ...nodeFunction(handlers.fail),
  retryAttempts: 2,
  maxEventAge: Duration.seconds(60),
  onFailure: FailureDestination.queue(failureRecords),
});

const integ = new IntegTest(app, 'EventAgeExceeded', {
  testCases: [stack],
  // deploy only the current app: the committed snapshot has no asset folders to deploy from
  stackUpdateWorkflow: false,
});

invokeEvent(integ, fn.function.functionName, { id: 'integ-event-age-exceeded-1' })
  .next(receiveFromQueue(integ, failureRecords)
    .expect(messageWithBody(Match.serializedJson(Match.objectLike({
      version: '1.0',
      requestContext: Match.objectLike({
        functionArn: Match.stringLikeRegexp(':function:[^:]+:\\$LATEST$'),
        condition: 'EventAgeExceeded',
        approximateInvokeCount: 1,
      }),
      requestPayload: { id: 'integ-event-age-exceeded-1' },
      responseContext: Match.objectLike({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' }),
      responsePayload: Match.objectLike({ errorType: 'Error', errorMessage: 'boom: integ-event-age-exceeded-1' }),
    }))))
    // recorded on AWS: dropped right after the first attempt; 5 minutes in case Lambda waits out the age
    .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) }));
