import { randomUUID } from 'node:crypto';
import { ResourceProvider } from './resource-provider';

/** `AWS::KMS::Key`: no encryption, but its key policy is evaluated for the destinations that use it. */
export const kmsKey: ResourceProvider = {
  create(ctx, p) {
    const keyId = randomUUID();
    const arn = `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${keyId}`;
    // KMS evaluates the key policy first: identity policies count only where it delegates to the account
    if (p.KeyPolicy) ctx.services.iam.putResourcePolicy(arn, p.KeyPolicy);
    return { ref: keyId, attributes: { Arn: arn, KeyId: keyId } };
  },
  delete(ctx, r) {
    ctx.services.iam.deleteResourcePolicy(String(r.resolved.attributes.Arn));
  },
};
