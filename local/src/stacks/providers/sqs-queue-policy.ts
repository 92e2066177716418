import { reattach, ResourceProvider } from './resource-provider';

const queueArn = (region: string, account: string, url: unknown) => `arn:aws:sqs:${region}:${account}:${String(url).split('/').pop()}`;

/** `AWS::SQS::QueuePolicy`: the resource policy of each queue (by URL) in `Queues`. */
export const sqsQueuePolicy: ResourceProvider = {
  create(ctx, p) {
    for (const url of p.Queues ?? []) ctx.services.iam.putResourcePolicy(queueArn(ctx.region, ctx.accountId, url), p.PolicyDocument);
    return { ref: ctx.generatedName(64), attributes: {} };
  },
  update: (ctx, p, old) => reattach(sqsQueuePolicy, ctx, p, old),
  delete(ctx, r) {
    for (const url of r.properties.Queues ?? []) ctx.services.iam.deleteResourcePolicy(queueArn(ctx.region, ctx.accountId, url));
  },
};
