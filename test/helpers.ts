import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/** A fresh app and an environment-agnostic stack. */
export function newStack(id = 'Stack'): Stack {
  return new Stack(new App(), id);
}

/** A small Node.js function with inline code. */
export function newFunction(scope: Stack, id = 'Fn'): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (event) => event;'),
  });
}

/** The statements of the default policy of `fn`'s execution role, in template order. */
export function defaultPolicyStatements(stack: Stack, fn: lambda.Function): unknown[] {
  const template = Template.fromStack(stack);
  const roleRef = stack.resolve(fn.role!.roleName);
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [roleRef], PolicyName: Match.stringLikeRegexp('DefaultPolicy') },
  });
  const documents = Object.values(policies).map((p: any) => p.Properties.PolicyDocument.Statement);
  if (documents.length !== 1) {
    throw new Error(`expected one default policy for ${fn.node.path}, found ${documents.length}`);
  }
  return documents[0];
}

/** The only EventInvokeConfig in the stack, as its template resource (Properties, DependsOn). */
export function eventInvokeConfig(stack: Stack): { Properties: any; DependsOn?: string[] } {
  const configs = Object.values(Template.fromStack(stack).findResources('AWS::Lambda::EventInvokeConfig'));
  if (configs.length !== 1) {
    throw new Error(`expected one AWS::Lambda::EventInvokeConfig, found ${configs.length}`);
  }
  return configs[0] as any;
}

/** The logical id `construct` has in its stack. */
export function logicalId(stack: Stack, construct: { node: { defaultChild?: unknown } } | any): string {
  const child = construct.node.defaultChild ?? construct;
  return stack.getLogicalId(child);
}
