// Scenario 9: AsyncFunction with `FailureDestination.queue()` and no queue: the construct
// creates the failure queue, and the record of a failed invocation lands in it.
import { IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import { handlers, invokeEvent, messageWithBody, nodeFunction, receiveFromQueue, scenarioStack } from './support';
import { AsyncFunction, FailureDestination } from '../src';

const app = new App();
const stack = scenarioStack(app, 'AsyncLambdaCreatedQueue');

// the created queue is deleted with the stack (sqs.Queue's default, and scenarioStack's policy)
const fn = new AsyncFunction(stack, 'Fails', {
  ...nodeFunction(handlers.fail),
  retryAttempts: 0,
  onFailure: FailureDestination.queue(),
});

const integ = new IntegTest(app, 'AsyncFunctionCreatedQueue', {
  testCases: [stack],
  // deploy only the current app: the committed snapshot has no asset folders to deploy from
  stackUpdateWorkflow: false,
});

invokeEvent(integ, fn.function.functionName, { id: 'integ-created-queue-1' })
  .next(receiveFromQueue(integ, fn.failureQueue!)
    .expect(messageWithBody(Match.serializedJson(Match.objectLike({
      version: '1.0',
      requestContext: Match.objectLike({
        functionArn: Match.stringLikeRegexp(':function:[^:]+:\\$LATEST$'),
        condition: 'RetriesExhausted',
        approximateInvokeCount: 1,
      }),
      requestPayload: { id: 'integ-created-queue-1' },
      responseContext: Match.objectLike({ statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' }),
      responsePayload: Match.objectLike({ errorType: 'Error', errorMessage: 'boom: integ-created-queue-1' }),
    }))))
    // one attempt, no retry: the record follows within seconds
    .waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) }));
