import { ResolvedResource } from './intrinsics';
import { LogsError } from '../services/logs/errors';
import { checkLogGroupName } from '../services/logs/model';
import { LogsService } from '../services/logs/service';

/**
 * `AWS::Logs::LogGroup`: a CloudWatch Logs group of the local cloud, so a function whose
 * `LoggingConfig.LogGroup` (or the `/aws/lambda/<name>` group aws-cdk-lib creates for it) names
 * it writes there. A group that already exists (a function ran before its group was deployed) is
 * adopted rather than failing the deployment. `Ref` is the name, `Arn` the ARN with `:*`.
 */
export function createLogGroup(logs: LogsService, name: string, p: Record<string, any>, region: string, account: string): ResolvedResource {
  checkLogGroupName(name, 'LogGroupName');
  const retention = p.RetentionInDays === undefined ? undefined : Number(p.RetentionInDays);
  const group = logs.groups.get(name) ?? logs.createLogGroup(name);
  if (retention !== undefined) logs.putRetentionPolicy(name, retention);
  return { ref: group.name, attributes: { Arn: `arn:aws:logs:${region}:${account}:log-group:${name}:*` } };
}

/** An update in place (retention only); undefined when the change needs a replacement (a new name). */
export function updateLogGroup(logs: LogsService, p: Record<string, any>, old: { ref: string }): boolean {
  if (p.LogGroupName !== undefined && p.LogGroupName !== old.ref) return false;
  const group = logs.groups.get(old.ref);
  if (!group) return false;
  if (p.RetentionInDays === undefined) logs.deleteRetentionPolicy(old.ref);
  else logs.putRetentionPolicy(old.ref, Number(p.RetentionInDays));
  return true;
}

/** Deletes the group with its streams; one already gone is not an error. */
export function deleteLogGroup(logs: LogsService, name: string): void {
  try {
    logs.deleteLogGroup(name);
  } catch (e) {
    if (!(e instanceof LogsError && e.type === 'ResourceNotFoundException')) throw e;
  }
}

/** A failed LogGroup / LoggingConfig check as a deployment failure reason. */
export function logsFailure(e: unknown): string | undefined {
  return e instanceof LogsError ? `${e.type}: ${e.message}` : undefined;
}
