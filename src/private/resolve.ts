import {
  CfnParameter, DefaultTokenResolver, IFragmentConcatenator, IPostProcessor, IResolvable, IResolveContext,
  Reference, Stack, Token, Tokenization,
} from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { IConstruct } from 'constructs';

/**
 * What a value resolves to in the template, as far as synth can tell: the strings are known,
 * references to resources and pseudo parameters are symbols, anything else is opaque.
 *
 * This is how the library judges a configuration by what the template says instead of by
 * construct ids: `Function.fromFunctionName(scope, 'X', 'orders')`, a literal ARN, a partial ARN
 * and `{ Ref: <CfnFunction named orders> }` all become the same function.
 */
export type Piece = string | Symbolic;

/** A part of a value that is not a literal string. */
export type Symbolic =
  | { readonly kind: 'attr'; readonly target: IConstruct; readonly attr: string }
  | { readonly kind: 'pseudo'; readonly name: string; readonly stack: Stack }
  | { readonly kind: 'opaque'; readonly id: number };

/** A resolved value: a string made of pieces, or a list. */
export type Value = { readonly kind: 'str'; readonly pieces: Piece[] } | { readonly kind: 'list'; readonly items: Value[] };

let opaqueCounter = 0;
function opaque(): Symbolic {
  return { kind: 'opaque', id: ++opaqueCounter };
}

const PLACEHOLDER = /\u0001(\d+)\u0002/g;

/** Joins string fragments like CloudFormation does, but keeps reference placeholders as text. */
class PlaceholderConcat implements IFragmentConcatenator {
  public join(left: any, right: any): any {
    if (left === undefined) {
      return right;
    }
    if (right === undefined) {
      return left;
    }
    if (typeof left === 'string' && typeof right === 'string') {
      return left + right;
    }
    const parts = (x: any) => (x && typeof x === 'object' && Array.isArray(x['Fn::Join']) && x['Fn::Join'][0] === '' ? x['Fn::Join'][1] : [x]);
    return { 'Fn::Join': ['', [...parts(left), ...parts(right)]] };
  }
}

/** Resolves tokens like `stack.resolve()`, except that every reference to a resource becomes a placeholder. */
class MarkingResolver extends DefaultTokenResolver {
  public readonly references: Reference[] = [];

  constructor() {
    super(new PlaceholderConcat());
  }

  public resolveToken(t: IResolvable, context: IResolveContext, postProcessor: IPostProcessor): any {
    if (t instanceof Reference) {
      this.references.push(t);
      return `\u0001${this.references.length - 1}\u0002`;
    }
    return super.resolveToken(t, context, postProcessor);
  }
}

/** The references to other constructs (resources, parameters, stacks' pseudo parameters) that `value` contains. */
export function referencesIn(scope: IConstruct, value: unknown): Reference[] {
  const resolver = new MarkingResolver();
  Tokenization.resolve(value, { scope, resolver, preparing: false });
  return resolver.references;
}

/** Resolves `value` (a string that may hold tokens) as seen from `scope`. */
export function resolveValue(scope: IConstruct, value: unknown): Value {
  const resolver = new MarkingResolver();
  const resolved = Tokenization.resolve(value, { scope, resolver, preparing: false });
  return evaluate(resolved, Stack.of(scope), resolver.references);
}

function fromString(s: string, stack: Stack, refs: Reference[]): Piece[] {
  const pieces: Piece[] = [];
  let last = 0;
  for (const match of s.matchAll(PLACEHOLDER)) {
    if (match.index! > last) {
      pieces.push(s.slice(last, match.index));
    }
    pieces.push(symbolOf(refs[Number(match[1])], stack));
    last = match.index! + match[0].length;
  }
  if (last < s.length) {
    pieces.push(s.slice(last));
  }
  return pieces;
}

function symbolOf(ref: Reference, stack: Stack): Symbolic {
  if (Stack.isStack(ref.target)) {
    // ScopedAws: a pseudo parameter of that stack
    return { kind: 'pseudo', name: ref.displayName, stack: ref.target };
  }
  if (ref.target instanceof CfnParameter) {
    return opaque();
  }
  void stack;
  return { kind: 'attr', target: ref.target, attr: ref.displayName };
}

function str(pieces: Piece[]): Value {
  return { kind: 'str', pieces };
}

function evaluate(node: any, stack: Stack, refs: Reference[]): Value {
  if (typeof node === 'string') {
    return str(fromString(node, stack, refs));
  }
  if (typeof node === 'number' || typeof node === 'boolean') {
    return str([String(node)]);
  }
  if (Array.isArray(node)) {
    return { kind: 'list', items: node.map(x => evaluate(x, stack, refs)) };
  }
  if (node && typeof node === 'object') {
    const keys = Object.keys(node);
    if (keys.length === 1) {
      const arg = node[keys[0]];
      switch (keys[0]) {
        case 'Ref':
          return str([typeof arg === 'string' && arg.startsWith('AWS::') ? { kind: 'pseudo', name: arg, stack } : opaque()]);
        case 'Fn::Join': {
          const [delimiter, list] = Array.isArray(arg) ? arg : [];
          const items = evaluate(list, stack, refs);
          if (typeof delimiter !== 'string' || items.kind !== 'list') {
            return str([opaque()]);
          }
          const pieces: Piece[] = [];
          items.items.forEach((item, i) => {
            if (i > 0 && delimiter) {
              pieces.push(delimiter);
            }
            pieces.push(...(item.kind === 'str' ? item.pieces : [opaque()]));
          });
          return str(pieces);
        }
        case 'Fn::Split': {
          const [delimiter, source] = Array.isArray(arg) ? arg : [];
          const value = evaluate(source, stack, refs);
          if (typeof delimiter !== 'string' || !delimiter || value.kind !== 'str') {
            return str([opaque()]);
          }
          const expanded = delimiter === ':' ? expandLambdaArn(value.pieces) : undefined;
          return { kind: 'list', items: (expanded ?? splitPieces(value.pieces, delimiter)).map(str) };
        }
        case 'Fn::Select': {
          const [index, list] = Array.isArray(arg) ? arg : [];
          const items = evaluate(list, stack, refs);
          const i = Number(index);
          if (!Number.isInteger(i) || items.kind !== 'list' || i < 0 || i >= items.items.length) {
            return str([opaque()]);
          }
          return items.items[i];
        }
      }
    }
  }
  return str([opaque()]);
}

/**
 * The ':'-segments of the ARN of a function, alias or version referenced by a single symbol
 * (`Fn::GetAtt [Fn, Arn]`, `Ref Alias`, `Ref Version`), so that `Fn::Select` of its name or
 * qualifier (what aws-cdk-lib does for imports and alias configs) resolves.
 */
function expandLambdaArn(pieces: Piece[]): Piece[][] | undefined {
  if (pieces.length !== 1 || typeof pieces[0] === 'string' || pieces[0].kind !== 'attr') {
    return undefined;
  }
  const { target, attr } = pieces[0];
  let name: Piece[];
  let qualifier: Piece[] | undefined;
  if (target instanceof lambda.CfnFunction && attr === 'Arn') {
    name = [{ kind: 'attr', target, attr: 'Ref' }];
  } else if (target instanceof lambda.CfnAlias && attr === 'Ref') {
    const fn = resolveValue(target, target.functionName);
    name = fn.kind === 'str' ? fn.pieces : [opaque()];
    qualifier = Token.isUnresolved(target.name) ? [{ kind: 'attr', target, attr: 'Name' }] : [target.name];
  } else if (target instanceof lambda.CfnVersion && attr === 'Ref') {
    const fn = resolveValue(target, target.functionName);
    name = fn.kind === 'str' ? fn.pieces : [opaque()];
    qualifier = [{ kind: 'attr', target, attr: 'Version' }];
  } else {
    return undefined;
  }
  const stack = Stack.of(target);
  const pseudo = (n: string): Piece[] => [{ kind: 'pseudo', name: n, stack }];
  return [['arn'], pseudo('AWS::Partition'), ['lambda'], pseudo('AWS::Region'), pseudo('AWS::AccountId'), ['function'], name, ...(qualifier ? [qualifier] : [])];
}

/** Splits pieces on a literal delimiter; symbols stay inside their segment. */
export function splitPieces(pieces: Piece[], delimiter: string): Piece[][] {
  const segments: Piece[][] = [[]];
  for (const piece of pieces) {
    if (typeof piece !== 'string') {
      segments[segments.length - 1].push(piece);
      continue;
    }
    const parts = piece.split(delimiter);
    parts.forEach((part, i) => {
      if (i > 0) {
        segments.push([]);
      }
      if (part) {
        segments[segments.length - 1].push(part);
      }
    });
  }
  return segments;
}

/** The literal text of pieces, or undefined when any piece is not literal. */
export function literal(pieces: Piece[]): string | undefined {
  return pieces.every(p => typeof p === 'string') ? pieces.join('') : undefined;
}

/**
 * A key that is equal for two pieces lists that certainly resolve to the same text in one
 * deployment: literals, and pseudo parameters rendered as their stack's account/region.
 */
function renderKey(pieces: Piece[], stack: Stack): string {
  return pieces.map(p => {
    if (typeof p === 'string') {
      return p;
    }
    if (p.kind === 'pseudo') {
      const s = p.stack ?? stack;
      return p.name === 'AWS::AccountId' ? s.account : p.name === 'AWS::Region' ? s.region : p.name === 'AWS::Partition' ? s.partition : `{${p.name}}`;
    }
    if (p.kind === 'attr') {
      return `{${p.target.node.path}.${p.attr}}`;
    }
    return `{opaque${p.id}}`;
  }).join('');
}

/** The ARN parts of a resolved value: `arn:partition:service:region:account:resource…`. */
export interface ArnParts {
  readonly service: Piece[];
  readonly region: Piece[];
  readonly account: Piece[];
  /** The segments after the account, split on ':'. */
  readonly resource: Piece[][];
}

/** Splits a value that looks like an ARN; undefined when it does not start with a literal `arn:`. */
export function arnParts(value: Value): ArnParts | undefined {
  if (value.kind !== 'str') {
    return undefined;
  }
  const segments = splitPieces(value.pieces, ':');
  if (segments.length < 6 || literal(segments[0]) !== 'arn') {
    return undefined;
  }
  return { service: segments[2], region: segments[3], account: segments[4], resource: segments.slice(5) };
}

/** Whether the last literal text of `value` ends with `suffix` (a FIFO name ends with `.fifo`). */
export function endsWithLiteral(value: Value, suffix: string): boolean {
  if (value.kind !== 'str' || value.pieces.length === 0) {
    return false;
  }
  const last = value.pieces[value.pieces.length - 1];
  return typeof last === 'string' && last.endsWith(suffix);
}

/** A Lambda function (and maybe a qualifier) that a value resolves to. */
export interface FunctionRef {
  /** Equal for two references to the same function in the same account and region. */
  readonly key: string;
  /** How to name the function in a message: its literal name or its construct path. */
  readonly display: string;
  /** `$LATEST`, a version number or an alias name when the value names one (a key for tokens). */
  readonly qualifier?: string;
}

/** The function `value` (a name, partial ARN, ARN, or a reference to a function, alias or version) designates. */
export function functionRefOf(scope: IConstruct, value: unknown): FunctionRef | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  return functionRefOfValue(resolveValue(scope, value), Stack.of(scope));
}

function functionRefOfValue(value: Value, stack: Stack): FunctionRef | undefined {
  if (value.kind !== 'str') {
    return undefined;
  }
  const pieces = value.pieces;
  if (pieces.length === 1 && typeof pieces[0] !== 'string' && pieces[0].kind === 'attr') {
    return functionRefOfAttr(pieces[0].target, pieces[0].attr);
  }
  const segments = splitPieces(pieces, ':');
  let account: Piece[] = [{ kind: 'pseudo', name: 'AWS::AccountId', stack }];
  let region: Piece[] = [{ kind: 'pseudo', name: 'AWS::Region', stack }];
  let name: Piece[];
  let qualifier: Piece[] | undefined;
  if (segments.length >= 7 && literal(segments[0]) === 'arn') {
    if (literal(segments[2]) !== 'lambda' || literal(segments[5]) !== 'function') {
      return undefined;
    }
    [region, account, name, qualifier] = [segments[3], segments[4], segments[6], segments[7]];
  } else if ((segments.length === 3 || segments.length === 4) && literal(segments[1]) === 'function') {
    [account, name, qualifier] = [segments[0], segments[2], segments[3]];
  } else if (segments.length === 1 || segments.length === 2) {
    [name, qualifier] = [segments[0], segments[1]];
  } else {
    return undefined;
  }
  let fn: FunctionRef | undefined;
  if (name.length === 1 && typeof name[0] !== 'string' && name[0].kind === 'attr') {
    fn = functionRefOfAttr(name[0].target, name[0].attr);
  } else {
    const literalName = literal(name);
    if (literalName === undefined) {
      return undefined;
    }
    fn = { key: `name:${renderKey(account, stack)}:${renderKey(region, stack)}:${literalName}`, display: literalName };
  }
  if (!fn) {
    return undefined;
  }
  return qualifier ? { ...fn, qualifier: qualifierKey(qualifier) } : fn;
}

function functionRefOfAttr(target: IConstruct, attr: string): FunctionRef | undefined {
  if (target instanceof lambda.CfnFunction && (attr === 'Ref' || attr === 'Arn')) {
    return cfnFunctionRef(target);
  }
  if (target instanceof lambda.CfnAlias && attr === 'Ref') {
    const fn = functionRefOf(target, target.functionName);
    const name = Token.isUnresolved(target.name) ? `alias:${target.node.path}` : target.name;
    return fn && { ...fn, qualifier: name };
  }
  if (target instanceof lambda.CfnVersion && attr === 'Ref') {
    const fn = functionRefOf(target, target.functionName);
    return fn && { ...fn, qualifier: `version:${target.node.path}` };
  }
  return undefined;
}

/** A created function: its literal name when it has one (so imports by name match), else its path. */
export function cfnFunctionRef(cfn: lambda.CfnFunction): FunctionRef {
  const path = l2Path(cfn);
  const name = cfn.functionName;
  if (typeof name === 'string' && !Token.isUnresolved(name)) {
    const stack = Stack.of(cfn);
    return { key: `name:${stack.account}:${stack.region}:${name}`, display: name };
  }
  return { key: `cfn:${cfn.node.path}`, display: path };
}

function qualifierKey(pieces: Piece[]): string {
  const text = literal(pieces);
  if (text !== undefined) {
    return text;
  }
  if (pieces.length === 1 && typeof pieces[0] !== 'string' && pieces[0].kind === 'attr') {
    const { target, attr } = pieces[0];
    if (target instanceof lambda.CfnVersion && attr === 'Version') {
      return `version:${target.node.path}`;
    }
    if (target instanceof lambda.CfnAlias && attr === 'Name') {
      return `alias:${target.node.path}`;
    }
  }
  return `{opaque${(opaque() as { id: number }).id}}`;
}

/** The qualifier a `Qualifier` property resolves to, as a key comparable with `FunctionRef.qualifier`. */
export function qualifierOf(scope: IConstruct, value: unknown): string {
  const resolved = resolveValue(scope, value);
  return resolved.kind === 'str' ? qualifierKey(resolved.pieces) : `{opaque${(opaque() as { id: number }).id}}`;
}

/** The path users know a resource by: its L2 construct when the L1 is its `Resource` child. */
export function l2Path(element: IConstruct): string {
  const parent = element.node.scope;
  return element.node.id === 'Resource' && parent && parent.node.scope ? parent.node.path : element.node.path;
}

/** Renders a resolved value for a message: literal text, with `${path.Attr}` for references. */
export function display(scope: IConstruct, value: unknown): string {
  if (typeof value === 'string' && !Token.isUnresolved(value)) {
    return value;
  }
  const resolved = resolveValue(scope, value);
  if (resolved.kind !== 'str') {
    return JSON.stringify(Stack.of(scope).resolve(value));
  }
  return resolved.pieces.map(p => {
    if (typeof p === 'string') {
      return p;
    }
    if (p.kind === 'attr') {
      return `\${${l2Path(p.target)}.${p.attr}}`;
    }
    if (p.kind === 'pseudo') {
      return `\${${p.name}}`;
    }
    return '${?}';
  }).join('');
}
