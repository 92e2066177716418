import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct, IConstruct, IDependable } from 'constructs';
import { registryOf } from './app-registry';
import { functionTarget } from './function-target';
import { acknowledgeNagFindings, NagAcknowledgement } from './nag';

/**
 * Grants one action set on one resource to the execution role of `source`.
 *
 * When the function's role cannot be changed (a function imported without its role), a
 * warning on `scope` says which permission the user must grant themselves.
 */
export function grantToFunction(
  scope: IConstruct,
  source: lambda.IFunction,
  actions: string[],
  resourceArn: string,
  conditions?: Record<string, Record<string, unknown>>,
): iam.Grant {
  if (!functionTarget(source).function.role) {
    Annotations.of(scope).addWarningV2(`cdk-async-lambda:grantNotAdded:${actions.join(',')}`,
      `${source.node.path} has no execution role this app can change, so ${actions.join(', ')} on ${JSON.stringify(Stack.of(scope).resolve(resourceArn))} ` +
      'was not granted. Grant it to the function\'s role yourself, or Lambda rejects the configuration at deploy time.');
    return iam.Grant.drop(source, `${actions.join(', ')} on ${resourceArn}`);
  }
  const role = functionTarget(source).function.role!;
  const grant = iam.Grant.addToPrincipal({ grantee: source, actions, resourceArns: [resourceArn], conditions });
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
  if (!role) {
    // a function imported without its role: nothing to attach a policy to; grantToFunction warns
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
 * principal of the account to use them through the owning service.
 */
export function grantKeyToFunction(
  scope: IConstruct,
  source: lambda.IFunction,
  key: kms.IKey | undefined,
  actions: string[],
  service: string,
  resource: IConstruct & { readonly env: { readonly region: string } },
): iam.Grant | undefined {
  if (!key || isAwsManagedKey(key)) {
    return undefined;
  }
  return grantToFunction(scope, source, actions, key.keyArn, {
    StringEquals: { 'kms:ViaService': `${service}.${resource.env.region}.amazonaws.com` },
  });
}

function isAwsManagedKey(key: kms.IKey): boolean {
  return !Token.isUnresolved(key.keyArn) && /:alias\/aws\//.test(key.keyArn);
}
