// Scenario 11: FailureRedrive. An event fails while a bug is live and its record lands in the
// failure queue; the bug is fixed (a flag object appears); the operator runs the redrive function,
// which replays the record's requestPayload; the replay succeeds and its record lands in the
// success queue.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { handlers, invokeEvent, messageWithBody, nodeFunction, receiveFromQueue, recordQueue, scenarioStack } from './support';
import { AsyncFunction, FailureDestination, FailureRedrive, SuccessDestination } from '../src';

const app = new App();
const stack = scenarioStack(app, 'AsyncLambdaRedrive');

const flags = new s3.Bucket(stack, 'Flags', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
const failureRecords = recordQueue(stack, 'FailureRecords');
const successRecords = recordQueue(stack, 'SuccessRecords');
const worker = new AsyncFunction(stack, 'FailsUntilFixed', {
  ...nodeFunction(handlers.failUntilFixed),
  environment: { FLAGS: flags.bucketName },
  retryAttempts: 0,
  onSuccess: SuccessDestination.queue(successRecords),
  onFailure: FailureDestination.queue(failureRecords),
});
flags.grantRead(worker.function);
const redrive = new FailureRedrive(stack, 'Redrive', { function: worker.function, queue: failureRecords });

const integ = new IntegTest(app, 'Redrive', {
  testCases: [stack],
  // deploy only the current app: the committed snapshot has no asset folders to deploy from
  stackUpdateWorkflow: false,
});

const id = 'integ-redrive-1';
invokeEvent(integ, worker.function.functionName, { id })
  // the failure record arrives; VisibilityTimeout 0 leaves it visible for the redrive
  .next(integ.assertions.awsApiCall('SQS', 'receiveMessage', {
    QueueUrl: failureRecords.queueUrl, WaitTimeSeconds: 20, MaxNumberOfMessages: 10, VisibilityTimeout: 0,
  })
    .expect(messageWithBody(Match.serializedJson(Match.objectLike({
      requestContext: Match.objectLike({ condition: 'RetriesExhausted', approximateInvokeCount: 1 }),
      requestPayload: { id },
      responsePayload: Match.objectLike({ errorMessage: `not fixed yet: ${id}` }),
    }))))
    .waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) }))
  // the fix
  .next(integ.assertions.awsApiCall('S3', 'putObject', { Bucket: flags.bucketName, Key: 'fixed', Body: 'fixed' }))
  // the operator's run: exactly that record replayed, nothing failed
  .next(integ.assertions.invokeFunction({ functionName: redrive.function.functionName, payload: JSON.stringify({ maxCount: 10 }) })
    .expect(ExpectedResult.objectLike({
      StatusCode: 200,
      Payload: Match.serializedJson(Match.objectLike({
        dryRun: false,
        replayed: [Match.objectLike({ condition: 'RetriesExhausted', requestPayload: { id } })],
        failed: [],
      })),
    })))
  // the replay succeeded
  .next(receiveFromQueue(integ, successRecords)
    .expect(messageWithBody(Match.serializedJson(Match.objectLike({
      requestContext: Match.objectLike({ condition: 'Success', approximateInvokeCount: 1 }),
      requestPayload: { id },
      responsePayload: { processed: id },
    }))))
    .waitForAssertions({ totalTimeout: Duration.minutes(2), interval: Duration.seconds(10) }));
