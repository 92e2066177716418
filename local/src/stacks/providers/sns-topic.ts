import { CreateTopicCommand, DeleteTopicCommand } from '@aws-sdk/client-sns';
import { recordKey, ResourceProvider, truthy } from './resource-provider';
import { subscribe } from './sns-subscription';

/** `AWS::SNS::Topic` (with its `Subscription` list): a topic of the backend. `Ref` is the ARN. */
export const snsTopic: ResourceProvider = {
  async create(ctx, p) {
    const fifo = truthy(p.FifoTopic);
    let name: string = p.TopicName ?? ctx.generatedName(fifo ? 251 : 256);
    if (fifo && !name.endsWith('.fifo')) name += '.fifo';
    const attributes: Record<string, string> = {};
    if (fifo) attributes.FifoTopic = 'true';
    if (p.ContentBasedDeduplication !== undefined) attributes.ContentBasedDeduplication = String(p.ContentBasedDeduplication);
    if (p.KmsMasterKeyId) attributes.KmsMasterKeyId = String(p.KmsMasterKeyId);
    await ctx.services.sns.send(new CreateTopicCommand({ Name: name, Attributes: attributes }));
    const arn = `arn:aws:sns:${ctx.region}:${ctx.accountId}:${name}`;
    recordKey(ctx, arn, p.KmsMasterKeyId);
    for (const s of p.Subscription ?? []) await subscribe(ctx, arn, s.Protocol, s.Endpoint, {});
    return { ref: arn, attributes: { TopicArn: arn, TopicName: name } };
  },
  async delete(ctx, r) {
    await ctx.services.sns.send(new DeleteTopicCommand({ TopicArn: r.resolved.ref }));
    ctx.services.iam.deleteResourcePolicy(r.resolved.ref);
    ctx.services.lambda.destinationKeys.delete(r.resolved.ref);
  },
};
