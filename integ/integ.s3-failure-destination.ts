// Scenario 8: an S3 failure destination. The record of a failed invocation becomes an object
// under `aws/lambda/async/<function-name>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>`.
import { AwsApiCall, ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { handlers, invokeEvent, nodeFunction, scenarioStack } from './support';
import { AsyncFunction, FailureDestination } from '../src';

const app = new App();
const stack = scenarioStack(app, 'AsyncLambdaS3FailureDestination');

const bucket = new s3.Bucket(stack, 'FailureRecords', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
const fn = new AsyncFunction(stack, 'Fails', {
  ...nodeFunction(handlers.fail),
  retryAttempts: 0,
  onFailure: FailureDestination.bucket(bucket),
});

const integ = new IntegTest(app, 'S3FailureDestination', {
  testCases: [stack],
  // deploy only the current app: the committed snapshot has no asset folders to deploy from
  stackUpdateWorkflow: false,
});

const prefix = `aws/lambda/async/${fn.function.functionName}/`;
const listRecords = integ.assertions.awsApiCall('S3', 'listObjectsV2', { Bucket: bucket.bucketName, Prefix: prefix });
invokeEvent(integ, fn.function.functionName, { id: 'integ-s3-failure-1' })
  .next(listRecords
    .expect(ExpectedResult.objectLike({
      KeyCount: 1,
      Contents: Match.arrayWith([Match.objectLike({
        Key: Match.stringLikeRegexp(`^${prefix}\\d{4}/\\d{2}/\\d{2}/\\d{4}-\\d{2}-\\d{2}T\\d{2}\\.\\d{2}\\.\\d{2}-[0-9a-f-]{36}$`),
      })]),
    }))
    // one attempt, no retry: the object is written within seconds
    .waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) }));

// ListObjectsV2 is authorized by s3:ListBucket, which the provider cannot derive from the API name.
(listRecords as AwsApiCall).waiterProvider?.addToRolePolicy({
  Effect: 'Allow',
  Action: ['s3:ListBucket'],
  Resource: [bucket.bucketArn],
});
