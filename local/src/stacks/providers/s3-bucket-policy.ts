import { reattach, ResourceProvider } from './resource-provider';

/** `AWS::S3::BucketPolicy`: the resource policy of `Bucket` (a name). */
export const s3BucketPolicy: ResourceProvider = {
  create(ctx, p) {
    ctx.services.iam.putResourcePolicy(`arn:aws:s3:::${p.Bucket}`, p.PolicyDocument);
    return { ref: ctx.generatedName(64), attributes: {} };
  },
  update: (ctx, p, old) => reattach(s3BucketPolicy, ctx, p, old),
  delete(ctx, r) {
    ctx.services.iam.deleteResourcePolicy(`arn:aws:s3:::${r.properties.Bucket}`);
  },
};
