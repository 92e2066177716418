// Scenario 7: Lambda destinations.
// (a) The destination function is invoked with the whole record and forwards it to a queue.
// (b) `responseOnly` through an alias: only the response payload reaches the destination
//     function, for invocations of the alias (qualified ARN `…:live`, not `…:$LATEST`).
import { IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { Annotations, App, Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { handlers, invokeEvent, messageWithBody, nodeFunction, receiveFromQueue, recordQueue, scenarioStack } from './support';
import { AsyncFunction, AsyncInvocation, SuccessDestination } from '../src';

const app = new App();
const stack = scenarioStack(app, 'AsyncLambdaLambdaDestination');

/** A function that sends every event it receives to `queue`. */
function forwarder(scope: Construct, id: string, queue: sqs.IQueue): lambda.Function {
  const fn = new lambda.Function(scope, id, {
    ...nodeFunction(handlers.forward),
    environment: { QUEUE_URL: queue.queueUrl },
  });
  queue.grantSendMessages(fn);
  return fn;
}

// (a) the whole record
const forwardedRecords = recordQueue(stack, 'ForwardedRecords');
const fn = new AsyncFunction(stack, 'Succeeds', {
  ...nodeFunction(handlers.succeed),
  onSuccess: SuccessDestination.function(forwarder(stack, 'ForwardRecords', forwardedRecords)),
});

// (b) only the response payload, through the alias `live`
const aliased = new lambda.Function(stack, 'SucceedsThroughAlias', nodeFunction(handlers.succeed));
const live = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: aliased.currentVersion });
const forwardedResponses = recordQueue(stack, 'ForwardedResponses');
const liveAsyncInvocation = new AsyncInvocation(stack, 'LiveAsyncInvocation', {
  function: live,
  onSuccess: SuccessDestination.function(forwarder(stack, 'ForwardResponses', forwardedResponses), { responseOnly: true }),
});

// this scenario is about success records only
for (const config of [fn.asyncInvocation, liveAsyncInvocation]) {
  Annotations.of(config).acknowledgeWarning('cdk-async-lambda:noFailureDestination', 'the handlers never fail; only success records are under test');
}

const integ = new IntegTest(app, 'LambdaDestination', {
  testCases: [stack],
  // deploy only the current app: the committed snapshot has no asset folders to deploy from
  stackUpdateWorkflow: false,
});

invokeEvent(integ, fn.function.functionName, { id: 'integ-lambda-record-1' })
  .next(receiveFromQueue(integ, forwardedRecords)
    .expect(messageWithBody(Match.serializedJson(Match.objectLike({
      version: '1.0',
      requestContext: Match.objectLike({
        functionArn: Match.stringLikeRegexp(':function:[^:]+:\\$LATEST$'),
        condition: 'Success',
        approximateInvokeCount: 1,
      }),
      requestPayload: { id: 'integ-lambda-record-1' },
      responseContext: Match.objectLike({ statusCode: 200, executedVersion: '$LATEST' }),
      responsePayload: { ok: true, echo: { id: 'integ-lambda-record-1' } },
    }))))
    // one attempt, then an asynchronous invoke of the forwarder: seconds
    .waitForAssertions({ totalTimeout: Duration.minutes(2), interval: Duration.seconds(10) }));

invokeEvent(integ, `${aliased.functionName}:${live.aliasName}`, { id: 'integ-lambda-alias-1' })
  .next(receiveFromQueue(integ, forwardedResponses)
    // exactly the handler's return value: no record envelope around it
    .expect(messageWithBody(Match.serializedJson({ ok: true, echo: { id: 'integ-lambda-alias-1' } })))
    // one attempt, the default bus's rule, then an asynchronous invoke of the forwarder: seconds
    .waitForAssertions({ totalTimeout: Duration.minutes(2), interval: Duration.seconds(10) }));
