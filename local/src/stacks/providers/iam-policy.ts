import { reattach, ResourceProvider, suffix } from './resource-provider';

/** `AWS::IAM::Policy`: an inline policy of each role in `Roles`. */
export const iamPolicy: ResourceProvider = {
  create(ctx, p) {
    const { iam } = ctx.services;
    for (const roleName of p.Roles ?? []) {
      const role = iam.role(roleName);
      if (!role) throw ctx.fail(`The role with name ${roleName} cannot be found.`);
      role.inlinePolicies.set(p.PolicyName, p.PolicyDocument);
    }
    iam.changed();
    return { ref: ctx.generatedName(64), attributes: { Id: suffix() } };
  },
  update: (ctx, p, old) => reattach(iamPolicy, ctx, p, old),
  delete(ctx, r) {
    for (const roleName of r.properties.Roles ?? []) ctx.services.iam.role(String(roleName))?.inlinePolicies.delete(r.properties.PolicyName);
    ctx.services.iam.changed();
  },
};
