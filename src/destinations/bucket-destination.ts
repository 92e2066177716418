import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IDependable } from 'constructs';
import { DestinationBindOptions, DestinationConfig, IFailureDestination } from './destination';
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
    const keyGrant = grantKeyToFunction(scope, source, bucket.encryptionKey, ['kms:GenerateDataKey'], 's3', bucket);
    if (keyGrant) {
      grants.push(keyGrant);
    }
    return { destinationArn: bucket.bucketArn, grants };
  }
}
