import { invalid } from '../errors';
import { JsonObject, JsonValue } from '../json';
import { compileAnythingBut } from './anything-but';
import { compileCidr } from './cidr';
import { compileEqualsIgnoreCase } from './equals-ignore-case';
import { compileExists } from './exists';
import { compileNumeric, TOO_MANY_NUMERIC_ELEMENTS } from './numeric';
import { Operand } from './operand';
import { compilePrefixOrSuffix } from './prefix-suffix';
import { compileWildcard } from './wildcard';

export { compileExact } from './exact';
export type { Operand, ValueMatcher } from './operand';

interface OperatorSpec {
  readonly compile: (operand: JsonValue) => Operand;
  /** AWS's message when the match expression has more than one key. */
  readonly extraKeys: string;
}

const ONE_KEY = 'Only one key allowed in match expression';

/** The operators of the pattern language. Names are case-sensitive (`EXISTS` is not an operator). */
const OPERATORS: ReadonlyMap<string, OperatorSpec> = new Map<string, OperatorSpec>([
  ['prefix', { compile: (o) => compilePrefixOrSuffix('prefix', o), extraKeys: ONE_KEY }],
  ['suffix', { compile: (o) => compilePrefixOrSuffix('suffix', o), extraKeys: ONE_KEY }],
  ['equals-ignore-case', { compile: compileEqualsIgnoreCase, extraKeys: ONE_KEY }],
  ['wildcard', { compile: compileWildcard, extraKeys: ONE_KEY }],
  ['anything-but', { compile: compileAnythingBut, extraKeys: TOO_MANY_NUMERIC_ELEMENTS }],
  ['numeric', { compile: compileNumeric, extraKeys: TOO_MANY_NUMERIC_ELEMENTS }],
  ['exists', { compile: compileExists, extraKeys: ONE_KEY }],
  ['cidr', { compile: compileCidr, extraKeys: ONE_KEY }],
]);

/** Compiles a match expression: an object with exactly one operator key, e.g. `{"prefix": "a"}`. */
export function compileMatchExpression(expression: JsonObject): Operand {
  const keys = Object.keys(expression);
  if (keys.length === 0) invalid('Match expression name not found');
  const name = keys[0];
  const spec = OPERATORS.get(name) ?? invalid(`Unrecognized match type ${name}`);
  const operand = spec.compile(expression[name]);
  if (keys.length > 1) invalid(spec.extraKeys);
  return operand;
}
