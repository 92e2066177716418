import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct, IDependable } from 'constructs';
import { registryOf } from './app-registry';
import { validationError } from './errors';
import { functionTarget } from './function-target';
import { acknowledgeNagFindings, NagAcknowledgement } from './nag';
import { arnParts, display, resolveValue } from './resolve';

/**
 * Why the execution role of `source` cannot receive a grant from this app, or undefined when it can.
 *
 * A role imported with `mutable: false`, a role of another account (which `Role.fromRoleArn`
 * imports as immutable) and `role.withoutPolicyUpdates()` all accept statements and drop them.
 */
function unchangeableRole(source: lambda.IFunction): string | undefined {
  const role = functionTarget(source).function.role;
  if (!role) {
    return 'has no execution role this app can change';
  }
  const candidate = role as unknown as { readonly role?: iam.IRole; readonly addGrantsToResources?: unknown };
  if (typeof candidate.addGrantsToResources === 'boolean' && candidate.role !== undefined) {
    return `has an execution role this app cannot change (${display(role, role.roleArn)} is imported as immutable: ` +
      'Role.fromRoleArn with mutable: false, a role of another account, or withoutPolicyUpdates())';
  }
  return undefined;
}

function warnNotGranted(scope: IConstruct, source: lambda.IFunction, reason: string, actions: string[], resourceArn: string): iam.Grant {
  Annotations.of(scope).addWarningV2(`cdk-async-lambda:grantNotAdded:${actions.join(',')}`,
    `${source.node.path} ${reason}, so ${actions.join(', ')} on ${JSON.stringify(Stack.of(scope).resolve(resourceArn))} ` +
    'was not granted. Grant it to the function\'s role yourself, or Lambda rejects the configuration at deploy time.');
  return iam.Grant.drop(source, `${actions.join(', ')} on ${resourceArn}`);
}

/**
 * Grants one action set on one resource to the execution role of `source`.
 *
 * When the function's role cannot be changed (a function imported without its role, or an
 * immutable role), a warning on `scope` says which permission the user must grant themselves.
 */
export function grantToFunction(
  scope: IConstruct,
  source: lambda.IFunction,
  actions: string[],
  resourceArn: string,
  conditions?: Record<string, Record<string, unknown>>,
): iam.Grant {
  const reason = unchangeableRole(source);
  if (reason) {
    return warnNotGranted(scope, source, reason, actions, resourceArn);
  }
  const role = functionTarget(source).function.role!;
  const grant = iam.Grant.addToPrincipal({ grantee: source, actions, resourceArns: [resourceArn], conditions });
  if (!grant.success) {
    return warnNotGranted(scope, source, `has an execution role (${role.node.path}) that did not take the statement`, actions, resourceArn);
  }
  registryOf(scope).addStackReferences(scope, role, [resourceArn, conditions],
    `${scope.node.path} (${actions.join(', ')} in the default policy of ${role.node.path})`);
  return grant;
}

/**
 * Grants statements through a policy of their own, attached to the role of `source`.
 *
 * Used when the role's default policy cannot hold them: statements that mention the source
 * function itself (the function resource depends on its default policy), and grants that would
 * close a cycle of default policies naming each other's functions.
 */
export function grantThroughOwnPolicy(
  scope: Construct,
  id: string,
  source: lambda.IFunction,
  statements: iam.PolicyStatement[],
  nagAcknowledgements: NagAcknowledgement[] = [],
): IDependable[] {
  const role = functionTarget(source).function.role;
  if (!role || unchangeableRole(source)) {
    // nothing this app can attach a policy to; grantToFunction warns
    return statements.map(s => grantToFunction(scope, source, s.actions, s.resources[0], s.conditions));
  }
  const policy = new iam.Policy(scope, id, { roles: [role], statements });
  acknowledgeNagFindings(policy, nagAcknowledgements);
  registryOf(scope).addStackReferences(scope, policy, [role.roleName, ...statements.map(s => s.toStatementJson())],
    `${scope.node.path} (its policy ${policy.node.path})`);
  return [policy];
}

/**
 * Grants `actions` on a customer managed KMS key, restricted to use through `service` in the
 * region of `resource` (`kms:ViaService`): Lambda delivers through that service, never directly.
 *
 * AWS managed keys (`alias/aws/...`) need no grant: their key policy already allows every
 * principal of the account to use them through the owning service. A key given as another
 * alias is rejected: IAM matches key ARNs, so a grant on an alias ARN authorizes nothing.
 */
export function grantKeyToFunction(
  scope: IConstruct,
  label: string,
  source: lambda.IFunction,
  key: kms.IKey | undefined,
  actions: string[],
  service: string,
  resource: IConstruct & { readonly env: { readonly region: string } },
): iam.Grant | undefined {
  if (!key) {
    return undefined;
  }
  const alias = aliasName(key);
  if (alias?.startsWith('alias/aws/')) {
    return undefined;
  }
  let grantedKey = key;
  if (alias !== undefined) {
    let target: kms.IKey | undefined;
    try {
      target = (key as Partial<kms.IAlias>).aliasTargetKey;
    } catch {
      // Alias.fromAliasName: the key behind the alias is unknown
      target = undefined;
    }
    if (!target || aliasName(target) !== undefined) {
      throw validationError(scope, `${label}: the ${service} destination's KMS key is given as an alias, and a grant on an alias ARN ` +
        'authorizes nothing (IAM matches the key ARN); pass the key itself (kms.Key.fromKeyArn with arn:…:key/<key id>), ' +
        `got ${display(key, key.keyArn)}`);
    }
    grantedKey = target;
  }
  return grantToFunction(scope, source, actions, grantedKey.keyArn, {
    StringEquals: { 'kms:ViaService': `${service}.${resource.env.region}.amazonaws.com` },
  });
}

/** `alias/...` when the key's ARN names an alias (literal resource part), else undefined. */
function aliasName(key: kms.IKey): string | undefined {
  const parts = arnParts(resolveValue(key, key.keyArn));
  const first = parts?.resource[0]?.[0];
  if (typeof first === 'string' && first.startsWith('alias/')) {
    return parts!.resource[0].map(p => (typeof p === 'string' ? p : '*')).join('');
  }
  if (!Token.isUnresolved(key.keyArn) && /:alias\//.test(key.keyArn)) {
    return key.keyArn.slice(key.keyArn.indexOf(':alias/') + 1);
  }
  return undefined;
}
