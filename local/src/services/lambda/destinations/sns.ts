import { DestinationKind, kmsPermissions, TopicPublisher } from './destination';

/** An SNS topic: the record is published to every subscriber (lambda ones too), one hop further down its chain. */
export function snsDestination(publishToTopic: TopicPublisher): DestinationKind {
  return {
    service: 'sns',
    requiredPermissions: (destination, kmsKey) => [
      { action: 'sns:Publish', resource: destination, policyResource: destination },
      ...kmsPermissions(kmsKey, ['kms:GenerateDataKey', 'kms:Decrypt']),
    ],
    send: async (out) => {
      await publishToTopic(out.destination, out.body, out.attributes, out.hops + 1);
    },
  };
}
