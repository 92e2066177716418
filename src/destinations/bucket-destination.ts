import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IDependable } from 'constructs';
import { DestinationBindOptions, DestinationConfig, IFailureDestination } from './destination';
import { warnAboutEnvironment } from '../private/environment-checks';
import { functionTarget } from '../private/function-target';
import { grantKeyToFunction, grantThroughOwnPolicy, grantToFunction } from '../private/grants';

/**
 * Writes each failure record as an object under `aws/lambda/async/<function-name>/` in a bucket.
 *
 * Failure only: Lambda does not support S3 for successful invocations, so this class does not
 * implement `ISuccessDestination`.
 */
export class BucketDestination implements IFailureDestination {
  constructor(private readonly bucket: s3.IBucket) {}

  public bindOnFailure(scope: Construct, options: DestinationBindOptions): DestinationConfig {
    const bucket = this.bucket;
    const source = options.source;
    warnAboutEnvironment(scope, 'onFailure', source, { construct: bucket, arn: bucket.bucketArn, env: bucket.env, resourcePolicy: 'the bucket policy (s3:PutObject, s3:ListBucket)' });
    warnIfAccountAssumed(scope, bucket);
    const functionName = functionTarget(source).function.functionName;
    // AWS recommends pinning the bucket owner so records never land in a same-named bucket
    // recreated in another account.
    const conditions = { StringEquals: { 's3:ResourceAccount': bucket.env.account } };
    const putObject = new iam.PolicyStatement({
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`aws/lambda/async/${functionName}/*`)],
      conditions,
    });
    const grants: IDependable[] = Token.isUnresolved(functionName)
      ? grantThroughOwnPolicy(scope, 'FailureBucketPolicy', source, [putObject], [{
        id: 'AwsSolutions-IAM5',
        reason: 'Lambda writes each failure record under aws/lambda/async/<function-name>/ with a key made of a timestamp and a random UUID; the wildcard covers only that prefix.',
        appliesToRegex: '/^Resource::.*\\/aws\\/lambda\\/async\\/.*\\/\\*$/g',
      }])
      : [grantToFunction(scope, source, putObject.actions, putObject.resources[0], conditions)];
    grants.push(grantToFunction(scope, source, ['s3:ListBucket'], bucket.bucketArn, conditions));
    const keyGrant = grantKeyToFunction(scope, 'onFailure', source, bucket.encryptionKey, ['kms:GenerateDataKey'], 's3', bucket);
    if (keyGrant) {
      grants.push(keyGrant);
    }
    return { destinationArn: bucket.bucketArn, grants };
  }
}

/**
 * A bucket imported without `account` (Bucket.fromBucketName, fromBucketArn, or
 * fromBucketAttributes without it) gets the importing stack's account, and the
 * `s3:ResourceAccount` condition would pin deliveries to that account without anyone deciding it.
 */
function warnIfAccountAssumed(scope: Construct, bucket: s3.IBucket): void {
  if (bucket instanceof s3.Bucket || bucket.node.defaultChild) {
    return;
  }
  const stack = Stack.of(bucket);
  if (bucket.env.account !== stack.account) {
    return;
  }
  const account = Token.isUnresolved(stack.account) ? 'the account the stack is deployed to' : stack.account;
  Annotations.of(scope).addWarningV2('cdk-async-lambda:bucketAccountAssumed',
    `onFailure: bucket ${bucket.node.path} was imported without account, so s3:ResourceAccount pins deliveries to ${account}; ` +
    'if the bucket belongs to another account, every record is denied. Import it with Bucket.fromBucketAttributes({ bucketName, account }) ' +
    `or acknowledge this warning if it is in ${account}, got ${JSON.stringify(stack.resolve(bucket.bucketArn))}`);
}
