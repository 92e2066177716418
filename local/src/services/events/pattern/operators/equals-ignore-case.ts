import { invalid } from '../errors';
import { JsonValue } from '../json';
import { equalsIgnoreCase } from '../strings';
import { Operand, valueOperand } from './operand';

/** `{"equals-ignore-case": "abc"}`: string values only; the operand must be a single string. */
export function compileEqualsIgnoreCase(operand: JsonValue): Operand {
  if (typeof operand !== 'string') invalid('equals-ignore-case match pattern must be a string');
  return valueOperand((value) => typeof value === 'string' && equalsIgnoreCase(value, operand));
}
