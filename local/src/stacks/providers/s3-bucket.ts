import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { recordKey, ResourceProvider } from './resource-provider';

/** `AWS::S3::Bucket`: a bucket of the backend (tags kept aside). `Ref` is the name. */
export const s3Bucket: ResourceProvider = {
  async create(ctx, p) {
    const { region } = ctx;
    const name: string = p.BucketName ?? ctx.generatedName(63, true);
    await ctx.services.s3.send(new CreateBucketCommand({ Bucket: name }));
    if (Array.isArray(p.Tags)) ctx.services.bucketSubresources?.putTags(name, p.Tags);
    const sse = p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault;
    if (sse?.SSEAlgorithm === 'aws:kms') recordKey(ctx, `arn:aws:s3:::${name}`, sse.KMSMasterKeyID);
    return {
      ref: name,
      attributes: {
        Arn: `arn:aws:s3:::${name}`,
        DomainName: `${name}.s3.amazonaws.com`,
        RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
        WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
        DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
      },
    };
  },
  async delete(ctx, r) {
    // fauxqs, like S3, refuses a bucket that still holds objects (BucketNotEmpty)
    await ctx.services.s3.send(new DeleteBucketCommand({ Bucket: r.resolved.ref }));
    ctx.services.bucketSubresources?.deleteBucket(r.resolved.ref);
    ctx.services.lambda.destinationKeys.delete(`arn:aws:s3:::${r.resolved.ref}`);
  },
};
