import { invalid } from '../errors';
import { JsonValue } from '../json';
import { Operand, valueOperand } from './operand';

/**
 * `{"exists": true}` matches when the path holds at least one leaf value — null counts, but an object,
 * an empty object or an empty array does not ("exists only works on leaf nodes").
 * `{"exists": false}` matches when the path holds no leaf value at all.
 */
export function compileExists(operand: JsonValue): Operand {
  if (operand === true) return valueOperand(() => true);
  if (operand === false) return { kind: 'absent' };
  return invalid('exists match pattern must be either true or false.');
}
