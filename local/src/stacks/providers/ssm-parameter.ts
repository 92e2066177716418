import { describe, ResourceProvider } from './resource-provider';
import { SsmService } from '../../services/ssm/service';

function ssmOf(ctx: { services: { ssm?: SsmService }; fail(reason: string): Error }): SsmService {
  if (!ctx.services.ssm) throw ctx.fail('the local cloud has no Parameter Store');
  return ctx.services.ssm;
}

/**
 * `AWS::SSM::Parameter`: a `String` or `StringList` parameter in the local Parameter Store (the
 * CDK bootstrap version, `/cdk-bootstrap/<qualifier>/version`, that `cdk deploy` checks). `Ref` is
 * the name; `Fn::GetAtt` `Type` and `Value`. A name already taken fails, as on AWS.
 */
export const ssmParameter: ResourceProvider = {
  create(ctx, p) {
    const ssm = ssmOf(ctx);
    const name = p.Name === undefined ? `CFN-${ctx.generatedName(128 - 4)}` : String(p.Name);
    if (p.Type !== undefined && p.Type !== 'String' && p.Type !== 'StringList') {
      throw ctx.fail(`Type ${String(p.Type)} is not supported: CloudFormation creates String and StringList parameters only`);
    }
    try {
      ssm.put({ name, value: p.Value === undefined ? undefined : String(p.Value), type: p.Type ?? 'String', description: p.Description, dataType: p.DataType });
    } catch (e) {
      throw ctx.fail(describe(e));
    }
    return { ref: name, attributes: { Type: String(p.Type ?? 'String'), Value: String(p.Value) } };
  },
  update(ctx, p, old) {
    // a new name is a new parameter; the same name is overwritten in place
    if (p.Name !== undefined && String(p.Name) !== old.resolved.ref) return 'replace';
    if (p.Name === undefined && old.properties.Name !== undefined) return 'replace';
    try {
      ssmOf(ctx).put({ name: old.resolved.ref, value: p.Value === undefined ? undefined : String(p.Value), type: p.Type ?? 'String', overwrite: true, description: p.Description });
    } catch (e) {
      throw ctx.fail(describe(e));
    }
    return { ref: old.resolved.ref, attributes: { Type: String(p.Type ?? 'String'), Value: String(p.Value) } };
  },
  delete(ctx, r) {
    const ssm = ssmOf(ctx);
    if (ssm.has(r.resolved.ref)) ssm.delete(r.resolved.ref);
  },
};
