import { reattach, ResourceProvider } from './resource-provider';
import { executedVersion } from '../../services/lambda/model';

/** `AWS::Lambda::Alias`: a name for a version of the function. `Ref` is the alias ARN. */
export const lambdaAlias: ResourceProvider = {
  create(ctx, p) {
    const { fn } = ctx.services.lambda.lookup(String(p.FunctionName));
    if (!fn) throw ctx.fail(`ResourceNotFoundException: Function not found: ${p.FunctionName}`);
    const version = String(p.FunctionVersion);
    if (!executedVersion(fn, version)) throw ctx.fail(`ResourceNotFoundException: Function not found: ${fn.arn}:${version}`);
    fn.aliases.set(String(p.Name), version);
    const arn = `${fn.arn}:${p.Name}`;
    return { ref: arn, attributes: { AliasArn: arn } };
  },
  update: (ctx, p, old) => reattach(lambdaAlias, ctx, p, old),
  delete(ctx, r) {
    ctx.services.lambda.lookup(String(r.properties.FunctionName)).fn?.aliases.delete(String(r.properties.Name));
  },
};
