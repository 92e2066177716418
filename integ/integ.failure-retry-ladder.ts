// Scenario 3: a failing invocation with retryAttempts 2 is attempted three times (the 60 s + 120 s
// retry ladder) before one RetriesExhausted record reaches SQS.
import { IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import { handlers, invokeEvent, messageWithBody, nodeFunction, receiveFromQueue, recordQueue, scenarioStack } from './support';
import { AsyncFunction, FailureDestination } from '../src';

const app = new App();
const stack = scenarioStack(app, 'AsyncLambdaFailureRetryLadder');

const failureRecords = recordQueue(stack, 'FailureRecords');
const fn = new AsyncFunction(stack, 'Fails', {
  ...nodeFunction(handlers.fail),
  retryAttempts: 2,
  onFailure: FailureDestination.queue(failureRecords),
});

const integ = new IntegTest(app, 'FailureRetryLadder', {
  testCases: [stack],
  // deploy only the current app: the committed snapshot has no asset folders to deploy from
  stackUpdateWorkflow: false,
});

invokeEvent(integ, fn.function.functionName, { id: 'integ-failure-retry-ladder-1' })
  .next(receiveFromQueue(integ, failureRecords)
    .expect(messageWithBody(Match.serializedJson(Match.objectLike({
      version: '1.0',
      requestContext: Match.objectLike({
        functionArn: Match.stringLikeRegexp(':function:[^:]+:\\$LATEST$'),
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      }),
      requestPayload: { id: 'integ-failure-retry-ladder-1' },
      responseContext: Match.objectLike({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' }),
      responsePayload: Match.objectLike({ errorType: 'Error', errorMessage: 'boom: integ-failure-retry-ladder-1' }),
    }))))
    // attempts at ~0 s, ~60 s and ~180 s (recorded on AWS: ~177 s); 10 minutes leaves room for jitter
    .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) }));
