import { Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * What an asynchronous invocation config applies to: the function, and the qualifier
 * (`$LATEST`, a version number or an alias name) that events are invoked with.
 */
export interface FunctionTarget {
  /** The unqualified function. */
  readonly function: lambda.IFunction;
  /** `$LATEST`, a version number or an alias name. */
  readonly qualifier: string;
  /** The ARN Lambda writes into `requestContext.functionArn`: always qualified. */
  readonly qualifiedArn: string;
}

function isAlias(fn: lambda.IFunction): fn is lambda.IAlias {
  const candidate = fn as Partial<lambda.IAlias>;
  return typeof candidate.aliasName === 'string' && candidate.version !== undefined;
}

function isVersion(fn: lambda.IFunction): fn is lambda.IVersion {
  const candidate = fn as Partial<lambda.IVersion>;
  return typeof candidate.version === 'string' && candidate.lambda !== undefined;
}

/** Splits a function, version or alias into the function and the qualifier it is invoked with. */
export function functionTarget(fn: lambda.IFunction): FunctionTarget {
  if (isAlias(fn)) {
    return { function: fn.version.lambda, qualifier: fn.aliasName, qualifiedArn: fn.functionArn };
  }
  if (isVersion(fn)) {
    return { function: fn.lambda, qualifier: fn.version, qualifiedArn: fn.functionArn };
  }
  return { function: fn, qualifier: '$LATEST', qualifiedArn: `${fn.functionArn}:$LATEST` };
}

/**
 * A key that is equal for two references to the same Lambda function: the same construct, or
 * the same literal function name in the same account and region (a function imported by ARN).
 */
export function functionIdentity(fn: lambda.IFunction): string {
  const unqualified = functionTarget(fn).function;
  const name = unqualified.functionName;
  if (Token.isUnresolved(name)) {
    return `construct:${unqualified.node.path}`;
  }
  const { account, region } = unqualified.env;
  const stack = Stack.of(unqualified);
  return `name:${account ?? stack.account}:${region ?? stack.region}:${name}`;
}

/** Whether two functions, versions or aliases are (qualifiers of) the same Lambda function. */
export function isSameFunction(a: lambda.IFunction, b: lambda.IFunction): boolean {
  return functionIdentity(a) === functionIdentity(b);
}
