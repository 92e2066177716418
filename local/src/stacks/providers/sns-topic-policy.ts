import { reattach, ResourceProvider } from './resource-provider';

/** `AWS::SNS::TopicPolicy`: the resource policy of each topic (by ARN) in `Topics`. */
export const snsTopicPolicy: ResourceProvider = {
  create(ctx, p) {
    for (const arn of p.Topics ?? []) ctx.services.iam.putResourcePolicy(String(arn), p.PolicyDocument);
    return { ref: ctx.generatedName(64), attributes: {} };
  },
  update: (ctx, p, old) => reattach(snsTopicPolicy, ctx, p, old),
  delete(ctx, r) {
    for (const arn of r.properties.Topics ?? []) ctx.services.iam.deleteResourcePolicy(String(arn));
  },
};
