import { randomUUID } from 'node:crypto';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DestinationKind, kmsPermissions } from './destination';
import { s3RecordKey } from '../record';

/** An S3 bucket (on failure only): the record is an object under `aws/lambda/async/<function>/`. */
export function s3Destination(s3: S3Client): DestinationKind {
  return {
    service: 's3',
    requiredPermissions: (destination, kmsKey, objectKey) => [
      { action: 's3:PutObject', resource: `${destination}/${objectKey}`, policyResource: destination },
      { action: 's3:ListBucket', resource: destination, policyResource: destination },
      ...kmsPermissions(kmsKey, ['kms:GenerateDataKey']),
    ],
    send: async (out) => {
      const key = s3RecordKey(out.fn.name, new Date(), randomUUID());
      await s3.send(new PutObjectCommand({ Bucket: out.arn.resource, Key: key, Body: out.body, ContentType: 'application/json' }));
    },
  };
}
