// Scenario 10: AsyncChain. A → B (through its alias `live`) → C, invoked asynchronously: each
// step receives the previous step's response payload, and the last step's success record lands
// in a queue with the response every step built.
import { IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { handlers, invokeEvent, messageWithBody, nodeFunction, receiveFromQueue, recordQueue, scenarioStack } from './support';
import { AsyncChain, SuccessDestination } from '../src';

const app = new App();
const stack = scenarioStack(app, 'AsyncLambdaChain');

const first = new lambda.Function(stack, 'StepA', nodeFunction(handlers.appendStep('a')));
const second = new lambda.Function(stack, 'StepB', nodeFunction(handlers.appendStep('b')));
const third = new lambda.Function(stack, 'StepC', nodeFunction(handlers.appendStep('c')));
const results = recordQueue(stack, 'ChainResults');

new AsyncChain(stack, 'Pipeline', {
  steps: [
    { function: first, retryAttempts: 0 },
    { function: new lambda.Alias(stack, 'StepBLive', { aliasName: 'live', version: second.currentVersion }) },
    { function: third },
  ],
  onSuccess: SuccessDestination.queue(results),
});

const integ = new IntegTest(app, 'Chain', {
  testCases: [stack],
  // deploy only the current app: the committed snapshot has no asset folders to deploy from
  stackUpdateWorkflow: false,
});

invokeEvent(integ, first.functionName, { id: 'integ-chain-1' })
  .next(receiveFromQueue(integ, results)
    .expect(messageWithBody(Match.serializedJson(Match.objectLike({
      version: '1.0',
      requestContext: Match.objectLike({
        functionArn: Match.stringLikeRegexp(':function:[^:]+:\\$LATEST$'),
        condition: 'Success',
        approximateInvokeCount: 1,
      }),
      // C ran with what B returned, which B built from what A returned
      requestPayload: { id: 'integ-chain-1', path: ['a', 'b'] },
      responsePayload: { id: 'integ-chain-1', path: ['a', 'b', 'c'] },
    }))))
    // three asynchronous invokes and two rules: seconds
    .waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) }));
