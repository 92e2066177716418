import { ResourceProvider, suffix } from './resource-provider';

/** `AWS::Lambda::Permission`: a statement of the function's resource policy. `Ref` is its statement id. */
export const lambdaPermission: ResourceProvider = {
  create(ctx, p) {
    const { lambda } = ctx.services;
    const { fn, qualifier } = lambda.lookup(String(p.FunctionName));
    if (!fn) throw ctx.fail(`ResourceNotFoundException: Function not found: ${p.FunctionName}`);
    const statementId = `${ctx.logicalId}-${suffix()}`;
    lambda.permissions.add({
      functionName: fn.name,
      qualifier,
      action: String(p.Action),
      principal: String(p.Principal),
      sourceArn: p.SourceArn === undefined ? undefined : String(p.SourceArn),
      sourceAccount: p.SourceAccount === undefined ? undefined : String(p.SourceAccount),
      statementId,
    });
    return { ref: statementId, attributes: {} };
  },
  delete(ctx, r) {
    ctx.services.lambda.permissions.remove(r.resolved.ref);
  },
};
