import { invalid } from '../errors';
import { JsonValue } from '../json';
import { parseWildcard, wildcardMatches } from '../wildcard';
import { Operand, valueOperand } from './operand';

/** `{"wildcard": "a*b"}`: string values only; the operand must be a single string (`""` matches only `""`). */
export function compileWildcard(operand: JsonValue): Operand {
  if (typeof operand !== 'string') invalid('wildcard match pattern must be a string');
  const tokens = parseWildcard(operand);
  return valueOperand((value) => typeof value === 'string' && wildcardMatches(tokens, value), [tokens]);
}
