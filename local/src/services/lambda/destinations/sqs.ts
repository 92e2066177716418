import { DestinationKind, kmsPermissions } from './destination';
import { FauxqsBackend, fauxqsQueueUrl } from '../../backend/fauxqs';

/** An SQS queue: the record is the message body. */
export function sqsDestination(backend: FauxqsBackend): DestinationKind {
  return {
    service: 'sqs',
    requiredPermissions: (destination, kmsKey) => [
      { action: 'sqs:SendMessage', resource: destination, policyResource: destination },
      ...kmsPermissions(kmsKey, ['kms:GenerateDataKey', 'kms:Decrypt']),
    ],
    send: (out) => backend.sqsSendMessage(fauxqsQueueUrl(out.arn.region, out.arn.resource), out.body, out.attributes),
  };
}
