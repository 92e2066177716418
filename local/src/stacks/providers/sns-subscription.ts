import { randomUUID } from 'node:crypto';
import { SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { ProviderContext, ResourceProvider, truthy } from './resource-provider';

/**
 * Subscribes an endpoint: `lambda` through the local SNS-to-Lambda deliveries, `sqs` in the
 * backend; other protocols are accepted with a warning (not delivered).
 */
export async function subscribe(ctx: ProviderContext, topicArn: string, protocol: string, endpoint: string,
  attributes: Record<string, string>): Promise<string> {
  const { snsLambda, sns } = ctx.services;
  if (protocol === 'lambda' && snsLambda) {
    try {
      return snsLambda.subscribe(topicArn, endpoint, attributes);
    } catch (e) {
      throw ctx.fail(`${(e as Error).name}: ${(e as Error).message}`);
    }
  }
  if (protocol !== 'sqs') {
    ctx.log(`warning: SNS subscription protocol ${protocol} to ${endpoint} is not delivered by the local cloud`);
    return `${topicArn}:${randomUUID()}`;
  }
  const out = await sns.send(new SubscribeCommand({
    TopicArn: topicArn, Protocol: 'sqs', Endpoint: endpoint, Attributes: attributes, ReturnSubscriptionArn: true,
  })).catch((e) => { throw ctx.fail(`${e.name}: ${e.message}`); });
  return out.SubscriptionArn!;
}

/** `AWS::SNS::Subscription`: `sqs` (raw or enveloped) and `lambda` (with filter policies). `Ref` is the ARN. */
export const snsSubscription: ResourceProvider = {
  async create(ctx, p) {
    const attributes: Record<string, string> = {};
    if (p.RawMessageDelivery !== undefined) attributes.RawMessageDelivery = String(truthy(p.RawMessageDelivery));
    if (p.FilterPolicy) attributes.FilterPolicy = JSON.stringify(p.FilterPolicy);
    if (p.FilterPolicyScope) attributes.FilterPolicyScope = String(p.FilterPolicyScope);
    const arn = await subscribe(ctx, p.TopicArn, p.Protocol, p.Endpoint, attributes);
    return { ref: arn, attributes: { Arn: arn } };
  },
  async delete(ctx, r) {
    await ctx.services.sns.send(new UnsubscribeCommand({ SubscriptionArn: r.resolved.ref })).catch((e) => {
      if (e?.name !== 'NotFound' && e?.name !== 'NotFoundException') throw e;
    });
  },
};
