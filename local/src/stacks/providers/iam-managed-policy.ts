import { REPLACE, ResourceProvider } from './resource-provider';

/** `AWS::IAM::ManagedPolicy`: a managed policy attached to each role in `Roles`. `Ref` is the ARN. */
export const iamManagedPolicy: ResourceProvider = {
  create(ctx, p) {
    const { iam } = ctx.services;
    const name: string = p.ManagedPolicyName ?? ctx.generatedName(128);
    const arn = `arn:aws:iam::${ctx.accountId}:policy${p.Path ?? '/'}${name}`;
    iam.putManagedPolicy(arn, p.PolicyDocument);
    for (const roleName of p.Roles ?? []) {
      const role = iam.role(roleName);
      if (!role) throw ctx.fail(`The role with name ${roleName} cannot be found.`);
      role.managedPolicyArns.add(arn);
    }
    iam.changed();
    return { ref: arn, attributes: { PolicyArn: arn } };
  },
  async update(ctx, p, old) {
    const o = old.properties;
    if ((p.ManagedPolicyName !== undefined && p.ManagedPolicyName !== o.ManagedPolicyName) || (p.Path ?? '/') !== (o.Path ?? '/')) return REPLACE;
    // a new version of the same policy: same name (a generated one too), same ARN
    await iamManagedPolicy.delete!(ctx, old);
    return iamManagedPolicy.create(ctx, { ...p, ManagedPolicyName: old.resolved.ref.split('/').pop() });
  },
  delete(ctx, r) {
    ctx.services.iam.deleteManagedPolicy(r.resolved.ref);
  },
};
