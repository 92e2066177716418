import { describe, REPLACE, ResourceProvider } from './resource-provider';
import { LogsError } from '../../services/logs/errors';
import { checkLogGroupName } from '../../services/logs/model';

/**
 * `AWS::Logs::LogGroup`: a CloudWatch Logs group of the local cloud, so a function whose
 * `LoggingConfig.LogGroup` (or the `/aws/lambda/<name>` group aws-cdk-lib creates for it) names
 * it writes there. A group that already exists (a function ran before its group was deployed) is
 * adopted rather than failing the deployment. `Ref` is the name, `Arn` the ARN with `:*`.
 * Retention changes in place; a new name replaces the group. Without the logs service groups are
 * accepted only.
 */
export const logsLogGroup: ResourceProvider = {
  create(ctx, p) {
    const name = p.LogGroupName === undefined ? ctx.generatedName(512) : String(p.LogGroupName);
    const arn = `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:*`;
    const { logs } = ctx.services;
    if (!logs) return { ref: name, attributes: { Arn: arn } };
    try {
      checkLogGroupName(name, 'LogGroupName');
      const retention = p.RetentionInDays === undefined ? undefined : Number(p.RetentionInDays);
      const group = logs.groups.get(name) ?? logs.createLogGroup(name);
      if (retention !== undefined) logs.putRetentionPolicy(name, retention);
      return { ref: group.name, attributes: { Arn: arn } };
    } catch (e) {
      throw ctx.fail(e instanceof LogsError ? `${e.type}: ${e.message}` : describe(e));
    }
  },
  update(ctx, p, old) {
    const { logs } = ctx.services;
    if (!logs || (p.LogGroupName !== undefined && p.LogGroupName !== old.resolved.ref) || !logs.groups.get(old.resolved.ref)) return REPLACE;
    if (p.RetentionInDays === undefined) logs.deleteRetentionPolicy(old.resolved.ref);
    else logs.putRetentionPolicy(old.resolved.ref, Number(p.RetentionInDays));
    return old.resolved;
  },
  /** the group goes with its streams; one already gone is not an error */
  delete(ctx, r) {
    try {
      ctx.services.logs?.deleteLogGroup(r.resolved.ref);
    } catch (e) {
      if (!(e instanceof LogsError && e.type === 'ResourceNotFoundException')) throw e;
    }
  },
};
