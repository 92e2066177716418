import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../src';
import { SUCCEED_OR_THROW, synth } from './helpers';

// Invalid EventInvokeConfigs fail the deployment as on AWS, whatever the synth-time checks missed
// (written with CfnEventInvokeConfig so no construct validation runs first).
type Case = [string, (stack: Stack, fn: lambda.Function) => lambda.CfnEventInvokeConfigProps, RegExp];

const cases: Case[] = [
  ['retries 3', (_s, fn) => ({ functionName: fn.functionName, qualifier: '$LATEST', maximumRetryAttempts: 3 }),
    /ValidationException: 1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2$/],
  ['retries 1.5', (_s, fn) => ({ functionName: fn.functionName, qualifier: '$LATEST', maximumRetryAttempts: 1.5 }),
    /Value '1.5' at 'maximumRetryAttempts' failed to satisfy constraint/],
  ['event age 59', (_s, fn) => ({ functionName: fn.functionName, qualifier: '$LATEST', maximumEventAgeInSeconds: 59 }),
    /Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60$/],
  ['S3 on success', (stack, fn) => {
    const bucket = new s3.Bucket(stack, 'B');
    bucket.grantReadWrite(fn);
    return { functionName: fn.functionName, qualifier: '$LATEST', destinationConfig: { onSuccess: { destination: bucket.bucketArn } } };
  }, /InvalidParameterValueException: The provided destination config DestinationConfig\(onSuccess=OnSuccess\(destination=[^)]+\), onFailure=null\) is invalid\.$/],
  ['a FIFO queue', (stack, fn) => {
    const q = new sqs.Queue(stack, 'Q', { fifo: true });
    q.grantSendMessages(fn);
    return { functionName: fn.functionName, qualifier: '$LATEST', destinationConfig: { onFailure: { destination: q.queueArn } } };
  }, /InvalidParameterValueException: The provided destination config DestinationConfig\(onSuccess=null, onFailure=OnFailure\(destination=arn:aws:sqs:us-east-1:000000000000:[^)]+\.fifo\)\) is invalid\.$/],
  ['a DynamoDB table', (_s, fn) => ({
    functionName: fn.functionName, qualifier: '$LATEST', destinationConfig: { onFailure: { destination: 'arn:aws:dynamodb:us-east-1:000000000000:table/records' } },
  }), /InvalidParameterValueException: The provided destination config DestinationConfig\(onSuccess=null, onFailure=OnFailure\(destination=arn:aws:dynamodb:us-east-1:000000000000:table\/records\)\) is invalid\.$/],
  ['a function that does not exist', (_s, fn) => ({
    functionName: fn.functionName, qualifier: '$LATEST', destinationConfig: { onSuccess: { destination: 'arn:aws:lambda:us-east-1:000000000000:function:nowhere' } },
  }), /InvalidParameterValueException: The destination ARN arn:aws:lambda:us-east-1:000000000000:function:nowhere is invalid\.$/],
  ['the function itself', (_s, fn) => {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: ['*'] }));
    return { functionName: fn.functionName, qualifier: '$LATEST', destinationConfig: { onFailure: { destination: fn.functionArn } } };
  }, /InvalidParameterValueException: You can't specify the function as a destination for itself/],
];

test.each(cases)('rejects %s', async (_name, config, message) => {
  const assembly = synth((app) => {
    const stack = new Stack(app, 'Invalid', { env: { account: '000000000000', region: 'us-east-1' } });
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(SUCCEED_OR_THROW) });
    const cfg = new lambda.CfnEventInvokeConfig(stack, 'Config', config(stack, fn));
    cfg.node.addDependency(fn);
  });
  await expect(LocalCloud.start({ assembly, port: 0, log: () => undefined, handlerOutput: 'ignore' }))
    .rejects.toThrow(/^stack Invalid failed to deploy: Config \(AWS::Lambda::EventInvokeConfig\) CREATE_FAILED: /);
  await expect(LocalCloud.start({ assembly, port: 0, log: () => undefined, handlerOutput: 'ignore' })).rejects.toThrow(message);
});
