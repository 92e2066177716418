// Scenario 1: a successful asynchronous invocation sends its record to an SQS success destination.
import { IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import { handlers, invokeEvent, messageWithBody, nodeFunction, receiveFromQueue, recordQueue, scenarioStack } from './support';
import { AsyncFunction, FailureDestination, SuccessDestination } from '../src';

const app = new App();
const stack = scenarioStack(app, 'AsyncLambdaSuccessToQueue');

const successRecords = recordQueue(stack, 'SuccessRecords');
const fn = new AsyncFunction(stack, 'Succeeds', {
  ...nodeFunction(handlers.succeed),
  onSuccess: SuccessDestination.queue(successRecords),
  onFailure: FailureDestination.queue(recordQueue(stack, 'FailureRecords')),
});

const integ = new IntegTest(app, 'SuccessToQueue', {
  testCases: [stack],
  // deploy only the current app: the committed snapshot has no asset folders to deploy from
  stackUpdateWorkflow: false,
});

invokeEvent(integ, fn.function.functionName, { id: 'integ-success-1' })
  .next(receiveFromQueue(integ, successRecords)
    .expect(messageWithBody(Match.serializedJson(Match.objectLike({
      version: '1.0',
      requestContext: Match.objectLike({
        functionArn: Match.stringLikeRegexp(':function:[^:]+:\\$LATEST$'),
        condition: 'Success',
        approximateInvokeCount: 1,
      }),
      requestPayload: { id: 'integ-success-1' },
      responseContext: Match.objectLike({ statusCode: 200, executedVersion: '$LATEST' }),
      responsePayload: { ok: true, echo: { id: 'integ-success-1' } },
    }))))
    // one attempt, delivered within seconds
    .waitForAssertions({ totalTimeout: Duration.minutes(2), interval: Duration.seconds(10) }));
