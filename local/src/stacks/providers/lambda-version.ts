import { ResourceProvider } from './resource-provider';

/** `AWS::Lambda::Version`: the next version number of the function. `Ref` is the version's ARN. */
export const lambdaVersion: ResourceProvider = {
  create(ctx, p) {
    const { fn } = ctx.services.lambda.lookup(String(p.FunctionName));
    if (!fn) throw ctx.fail(`ResourceNotFoundException: Function not found: ${p.FunctionName}`);
    const version = String(fn.versions.size + 1);
    fn.versions.add(version);
    return { ref: `${fn.arn}:${version}`, attributes: { Version: version, FunctionArn: fn.arn } };
  },
  delete(ctx, r) {
    ctx.services.lambda.lookup(String(r.properties.FunctionName)).fn?.versions.delete(String(r.resolved.attributes.Version));
  },
};
