import { REPLACE, ResourceProvider, suffix } from './resource-provider';

/**
 * `AWS::IAM::Role`: a role of the IAM store with its inline and managed policies. `Ref` is the
 * name. Policies change in place; a new name or path replaces the role.
 */
export const iamRole: ResourceProvider = {
  create(ctx, p) {
    const name: string = p.RoleName ?? ctx.generatedName(64);
    const arn = `arn:aws:iam::${ctx.accountId}:role${p.Path ?? '/'}${name}`;
    const role = ctx.services.iam.putRole(name, arn);
    for (const pol of p.Policies ?? []) role.inlinePolicies.set(pol.PolicyName, pol.PolicyDocument);
    for (const m of p.ManagedPolicyArns ?? []) role.managedPolicyArns.add(m);
    ctx.services.iam.changed();
    return { ref: name, attributes: { Arn: arn, RoleId: `AROA${suffix()}` } };
  },
  update(ctx, p, old) {
    const o = old.properties;
    if ((p.RoleName !== undefined && p.RoleName !== o.RoleName) || (p.Path ?? '/') !== (o.Path ?? '/')) return REPLACE;
    const role = ctx.services.iam.role(old.resolved.ref);
    if (!role) return REPLACE;
    for (const pol of o.Policies ?? []) role.inlinePolicies.delete(pol.PolicyName);
    for (const pol of p.Policies ?? []) role.inlinePolicies.set(pol.PolicyName, pol.PolicyDocument);
    for (const m of o.ManagedPolicyArns ?? []) role.managedPolicyArns.delete(m);
    for (const m of p.ManagedPolicyArns ?? []) role.managedPolicyArns.add(m);
    ctx.services.iam.changed();
    return old.resolved;
  },
  delete(ctx, r) {
    ctx.services.iam.deleteRole(r.resolved.ref);
  },
};
