import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { defaultPolicyStatements, newFunction, newStack } from './helpers';
import { FailureRedrive, FailureRedriveProps } from '../src';

function redriveFunctionOf(stack: Stack, redrive: FailureRedrive): any {
  const template = Template.fromStack(stack).toJSON();
  return template.Resources[stack.getLogicalId(redrive.function.node.defaultChild as lambda.CfnFunction)];
}

describe('FailureRedrive', () => {
  test('GIVEN a failure queue WHEN a redrive is made THEN its function may receive, delete and release on that queue and invoke the function, nothing more', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const queue = new sqs.Queue(stack, 'Failures');

    // WHEN
    const redrive = new FailureRedrive(stack, 'Redrive', { function: fn, queue });

    // THEN
    const resource = redriveFunctionOf(stack, redrive);
    expect(resource.Properties).toMatchObject({
      Handler: 'redrive-handler.handler',
      Runtime: 'nodejs22.x',
      Timeout: 900,
      Environment: {
        Variables: {
          TARGET_FUNCTION_ARN: stack.resolve(fn.functionArn),
          QUEUE_URL: stack.resolve(queue.queueUrl),
          MAX_COUNT: '10',
          RATE_PER_SECOND: '10',
        },
      },
    });
    expect(defaultPolicyStatements(stack, redrive.function as lambda.Function)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: stack.resolve(fn.functionArn) },
      { Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'], Effect: 'Allow', Resource: stack.resolve(queue.queueArn) },
    ]);
  });

  test('GIVEN an alias and an encrypted queue WHEN a redrive is made THEN it invokes the alias and may decrypt through SQS', () => {
    const stack = newStack();
    const fn = newFunction(stack);
    const alias = fn.addAlias('live');
    const key = new kms.Key(stack, 'Key');
    const queue = new sqs.Queue(stack, 'Failures', { encryptionMasterKey: key });

    const redrive = new FailureRedrive(stack, 'Redrive', { function: alias, queue, maxCount: 100, ratePerSecond: 2 });

    expect(redriveFunctionOf(stack, redrive).Properties.Environment.Variables).toMatchObject({
      TARGET_FUNCTION_ARN: stack.resolve(alias.functionArn), MAX_COUNT: '100', RATE_PER_SECOND: '2',
    });
    expect(defaultPolicyStatements(stack, redrive.function as lambda.Function)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: stack.resolve(alias.functionArn) },
      { Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'], Effect: 'Allow', Resource: stack.resolve(queue.queueArn) },
      {
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: stack.resolve(key.keyArn),
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      },
    ]);
  });

  test('GIVEN a failure bucket WHEN a redrive is made THEN it may list, read and delete only the function\'s record prefix', () => {
    const stack = newStack();
    const fn = newFunction(stack);
    const bucket = new s3.Bucket(stack, 'Archive');

    const redrive = new FailureRedrive(stack, 'Redrive', { function: fn, bucket });

    const prefix = { 'Fn::Join': ['', ['aws/lambda/async/', stack.resolve(fn.functionName), '/']] };
    expect(redriveFunctionOf(stack, redrive).Properties.Environment.Variables).toEqual({
      TARGET_FUNCTION_ARN: stack.resolve(fn.functionArn),
      BUCKET_NAME: stack.resolve(bucket.bucketName),
      RECORD_PREFIX: prefix,
      MAX_COUNT: '10',
      RATE_PER_SECOND: '10',
    });
    expect(defaultPolicyStatements(stack, redrive.function as lambda.Function)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: stack.resolve(fn.functionArn) },
      {
        Action: 's3:ListBucket',
        Effect: 'Allow',
        Resource: stack.resolve(bucket.bucketArn),
        Condition: { StringLike: { 's3:prefix': { 'Fn::Join': ['', ['aws/lambda/async/', stack.resolve(fn.functionName), '/*']] } } },
      },
      {
        Action: ['s3:GetObject', 's3:DeleteObject'],
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket), 'Arn'] }, '/aws/lambda/async/', stack.resolve(fn.functionName), '/*']] },
      },
    ]);
  });

  test.each<[string, (stack: Stack) => FailureRedriveProps, string]>([
    ['neither queue nor bucket', (s) => ({ function: newFunction(s) }), 'give exactly one of queue and bucket (where the failure records are), got neither'],
    ['both queue and bucket', (s) => ({ function: newFunction(s), queue: new sqs.Queue(s, 'Q'), bucket: new s3.Bucket(s, 'B') }),
      'give exactly one of queue and bucket (where the failure records are), got both'],
    ['maxCount 0', (s) => ({ function: newFunction(s), queue: new sqs.Queue(s, 'Q'), maxCount: 0 }), 'maxCount must be a whole number from 1 to 10,000, got 0'],
    ['maxCount 2.5', (s) => ({ function: newFunction(s), queue: new sqs.Queue(s, 'Q'), maxCount: 2.5 }), 'maxCount must be a whole number from 1 to 10,000, got 2.5'],
    ['ratePerSecond 5000', (s) => ({ function: newFunction(s), queue: new sqs.Queue(s, 'Q'), ratePerSecond: 5000 }), 'ratePerSecond must be a whole number from 1 to 1,000, got 5000'],
    ['function undefined (JavaScript)', (s) => ({ function: undefined as unknown as lambda.IFunction, queue: new sqs.Queue(s, 'Q') }),
      'function must be a lambda.IFunction (a function, version or alias), got undefined'],
    ['a function name instead of a function (JavaScript)', (s) => ({ function: 'orders' as unknown as lambda.IFunction, queue: new sqs.Queue(s, 'Q') }),
      'function must be a lambda.IFunction (a function, version or alias), got "orders"'],
  ])('GIVEN %s WHEN a redrive is made THEN an error names the path and the value', (_, props, message) => {
    const stack = newStack();
    expect(() => new FailureRedrive(stack, 'Redrive', props(stack))).toThrow(`[Stack/Redrive] ${message}`);
  });
});
