import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AsyncInvocation, FailureDestination, ISuccessDestination, SuccessDestination } from '../../src';
import { defaultPolicyStatements, eventInvokeConfig, newFunction, newStack } from '../helpers';

describe('bucket destination (failure only)', () => {
  test('onFailure: PutObject on the function\'s prefix with s3:ResourceAccount, ListBucket on the bucket', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const bucket = new s3.Bucket(stack, 'Bucket');

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.bucket(bucket) });

    // THEN
    const owner = { StringEquals: { 's3:ResourceAccount': { Ref: 'AWS::AccountId' } } };
    const config = eventInvokeConfig(stack);
    expect(config.Properties.DestinationConfig).toEqual({ OnFailure: { Destination: stack.resolve(bucket.bucketArn) } });
    // the prefix names the function, so PutObject lives in a policy of its own (the function
    // resource depends on its default policy: putting it there would be a dependency cycle)
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [stack.resolve(fn.role!.roleName)],
      PolicyDocument: {
        Statement: [{
          Action: 's3:PutObject',
          Condition: owner,
          Effect: 'Allow',
          Resource: { 'Fn::Join': ['', [stack.resolve(bucket.bucketArn), '/aws/lambda/async/', stack.resolve(fn.functionName), '/*']] },
        }],
      },
    });
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 's3:ListBucket', Condition: owner, Effect: 'Allow', Resource: stack.resolve(bucket.bucketArn) },
    ]);
    expect(config.DependsOn).toEqual(['AsyncFailureBucketPolicy36E53AF7', 'FnServiceRoleDefaultPolicyC6A839BF']);
  });

  test('an imported function with a literal name keeps PutObject in its role\'s policy', () => {
    // GIVEN
    const stack = newStack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const fn = lambda.Function.fromFunctionAttributes(stack, 'Fn', {
      functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:orders', role, sameEnvironment: true,
    });
    const bucket = new s3.Bucket(stack, 'Bucket');

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.bucket(bucket) });

    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      Roles: [stack.resolve(role.roleName)],
      PolicyDocument: {
        Statement: [
          {
            Action: 's3:PutObject',
            Condition: { StringEquals: { 's3:ResourceAccount': { Ref: 'AWS::AccountId' } } },
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', [stack.resolve(bucket.bucketArn), '/aws/lambda/async/orders/*']] },
          },
          {
            Action: 's3:ListBucket',
            Condition: { StringEquals: { 's3:ResourceAccount': { Ref: 'AWS::AccountId' } } },
            Effect: 'Allow',
            Resource: stack.resolve(bucket.bucketArn),
          },
        ],
      },
    });
  });

  test('a customer managed key gets kms:GenerateDataKey only, only through S3', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const key = new kms.Key(stack, 'Key');
    const bucket = new s3.Bucket(stack, 'Bucket', { encryptionKey: key });

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.bucket(bucket) });

    // THEN
    expect(defaultPolicyStatements(stack, fn)).toContainEqual({
      Action: 'kms:GenerateDataKey',
      Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
      Effect: 'Allow',
      Resource: stack.resolve(key.keyArn),
    });
  });

  test('an imported bucket (by ARN, with its account and key) is granted by its ARN', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Bucket', {
      bucketArn: 'arn:aws:s3:::failure-archive',
      account: '222222222222',
      region: 'eu-west-1',
      encryptionKey: kms.Key.fromKeyArn(stack, 'Key', 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab'),
    });

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.bucket(bucket) });

    // THEN
    const owner = { StringEquals: { 's3:ResourceAccount': '222222222222' } };
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 's3:ListBucket', Condition: owner, Effect: 'Allow', Resource: 'arn:aws:s3:::failure-archive' },
      {
        Action: 'kms:GenerateDataKey',
        Condition: { StringEquals: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' } },
        Effect: 'Allow',
        Resource: 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    ]);
  });

  test('there is no way to put a bucket on success (compile-time)', () => {
    // THEN: SuccessDestination has no bucket factory, and a failure destination is not a success destination
    expect((SuccessDestination as any).bucket).toBeUndefined();
    // @ts-expect-error an IFailureDestination is not an ISuccessDestination
    const wrong: ISuccessDestination = FailureDestination.bucket(s3.Bucket.fromBucketName(newStack(), 'Bucket', 'records'));
    expect(typeof (wrong as any).bindOnSuccess).toBe('undefined');
  });
});
