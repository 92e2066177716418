// Scenario 2: a failing invocation with retryAttempts 0 sends one RetriesExhausted record to SQS.
import { IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import { handlers, invokeEvent, messageWithBody, nodeFunction, receiveFromQueue, recordQueue, scenarioStack } from './support';
import { AsyncFunction, FailureDestination } from '../src';

const app = new App();
const stack = scenarioStack(app, 'AsyncLambdaFailureNoRetries');

const failureRecords = recordQueue(stack, 'FailureRecords');
const fn = new AsyncFunction(stack, 'Fails', {
  ...nodeFunction(handlers.fail),
  retryAttempts: 0,
  onFailure: FailureDestination.queue(failureRecords),
});

const integ = new IntegTest(app, 'FailureNoRetries', {
  testCases: [stack],
  // deploy only the current app: the committed snapshot has no asset folders to deploy from
  stackUpdateWorkflow: false,
});

invokeEvent(integ, fn.function.functionName, { id: 'integ-failure-no-retries-1' })
  .next(receiveFromQueue(integ, failureRecords)
    .expect(messageWithBody(Match.serializedJson(Match.objectLike({
      version: '1.0',
      requestContext: Match.objectLike({
        functionArn: Match.stringLikeRegexp(':function:[^:]+:\\$LATEST$'),
        condition: 'RetriesExhausted',
        approximateInvokeCount: 1,
      }),
      requestPayload: { id: 'integ-failure-no-retries-1' },
      responseContext: Match.objectLike({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' }),
      responsePayload: Match.objectLike({ errorType: 'Error', errorMessage: 'boom: integ-failure-no-retries-1' }),
    }))))
    // one attempt, no retry: the record follows within seconds
    .waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) }));
