import * as lambda from 'aws-cdk-lib/aws-lambda';
import { functionRefOf, FunctionRef, resolveValue, splitPieces, literal } from './resolve';

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

/**
 * A version whose number could not be read: `Version.fromVersionArn` with an unqualified ARN
 * gives `version: undefined` and a function name ending in `:undefined`.
 */
export function isBrokenVersion(fn: lambda.IFunction): boolean {
  const candidate = fn as Partial<lambda.IVersion>;
  return candidate.lambda !== undefined && 'version' in candidate && (candidate.version === undefined || candidate.version === 'undefined');
}

/**
 * The qualifier written in the ARN of a function imported by a qualified ARN
 * (`…:function:orders:live` or `…:function:orders:3`), if any.
 */
function qualifierInArn(fn: lambda.IFunction): string | undefined {
  const value = resolveValue(fn, fn.functionArn);
  if (value.kind !== 'str') {
    return undefined;
  }
  const segments = splitPieces(value.pieces, ':');
  if (segments.length === 8 && literal(segments[0]) === 'arn' && literal(segments[5]) === 'function') {
    return literal(segments[7]);
  }
  return undefined;
}

/** Splits a function, version or alias into the function and the qualifier it is invoked with. */
export function functionTarget(fn: lambda.IFunction): FunctionTarget {
  if (isAlias(fn)) {
    return { function: fn.version.lambda, qualifier: fn.aliasName, qualifiedArn: fn.functionArn };
  }
  if (isVersion(fn)) {
    return { function: fn.lambda, qualifier: fn.version, qualifiedArn: fn.functionArn };
  }
  const qualifier = qualifierInArn(fn);
  if (qualifier !== undefined) {
    // Function.fromFunctionArn with a qualified ARN: functionName is the bare name, the ARN names the qualifier
    return { function: fn, qualifier, qualifiedArn: fn.functionArn };
  }
  return { function: fn, qualifier: '$LATEST', qualifiedArn: `${fn.functionArn}:$LATEST` };
}

/**
 * The function a function, version or alias belongs to, as the template resolves it: equal for
 * the same construct, the same literal function name in the same account and region (imports by
 * name, partial ARN or ARN, and a created function with that `functionName`).
 */
export function functionRef(fn: lambda.IFunction): FunctionRef {
  const unqualified = functionTarget(fn).function;
  return functionRefOf(unqualified, unqualified.functionArn)
    ?? functionRefOf(unqualified, unqualified.functionName)
    ?? { key: `construct:${unqualified.node.path}`, display: unqualified.node.path };
}

/** A key that is equal for two references to the same Lambda function. */
export function functionIdentity(fn: lambda.IFunction): string {
  return functionRef(fn).key;
}

/** Whether two functions, versions or aliases are (qualifiers of) the same Lambda function. */
export function isSameFunction(a: lambda.IFunction, b: lambda.IFunction): boolean {
  return functionIdentity(a) === functionIdentity(b);
}
