import { invalid } from '../errors';
import { describeToken, JsonValue } from '../json';
import { comparableKey, NUMERIC_LIMIT_MESSAGE } from '../numbers';
import { Operand, valueOperand } from './operand';

export const TOO_MANY_NUMERIC_ELEMENTS = 'Too many elements in numeric expression';

interface Bound { readonly key: number; readonly open: boolean }

function boundOf(operator: string, value: JsonValue | undefined, open: boolean): Bound {
  if (typeof value !== 'number') invalid(`Value of ${operator === '=' ? 'equals' : operator} must be numeric`);
  const key = comparableKey(value);
  if (key === undefined) invalid(NUMERIC_LIMIT_MESSAGE);
  return { key, open };
}

function rangeOperand(bottom: Bound | undefined, top: Bound | undefined): Operand {
  return valueOperand((value) => {
    if (typeof value !== 'number') return false; // "300" (a string) never matches a numeric range
    const key = comparableKey(value);
    if (key === undefined) return false;
    if (bottom && (bottom.open ? key <= bottom.key : key < bottom.key)) return false;
    if (top && (top.open ? key >= top.key : key > top.key)) return false;
    return true;
  });
}

/**
 * `{"numeric": ["=", 5]}`, `[">", 0]`, `[">=", 0, "<", 10]` … Only JSON numbers match. A range must
 * start with its lower bound (`>`/`>=`) and end with its upper bound (`<`/`<=`), and bottom < top.
 * Bounds must lie in [-5e9, 5e9].
 */
export function compileNumeric(operand: JsonValue): Operand {
  if (!Array.isArray(operand)) invalid('Value of numeric must be an array.');
  const [operator, first] = operand;
  if (typeof operator !== 'string') invalid(`Invalid member in numeric match: ${describeToken(operator)}`);
  switch (operator) {
    case '=': {
      const bound = boundOf('=', first, false);
      if (operand.length > 2) invalid(TOO_MANY_NUMERIC_ELEMENTS);
      return rangeOperand(bound, bound);
    }
    case '<':
    case '<=': {
      const top = boundOf(operator, first, operator === '<');
      if (operand.length > 2) invalid(TOO_MANY_NUMERIC_ELEMENTS);
      return rangeOperand(undefined, top);
    }
    case '>':
    case '>=': {
      const bottom = boundOf(operator, first, operator === '>');
      if (operand.length === 2) return rangeOperand(bottom, undefined);
      const topOperator = operand[2];
      if (typeof topOperator !== 'string') invalid(`Bad value in numeric range: ${describeToken(topOperator)}`);
      if (topOperator !== '<' && topOperator !== '<=') invalid(`Bad numeric range operator: ${topOperator}`);
      const top = boundOf(topOperator, operand[3], topOperator === '<');
      if (operand.length > 4) invalid('Too many terms in numeric range expression');
      if (bottom.key >= top.key) invalid('Bottom must be less than top');
      return rangeOperand(bottom, top);
    }
    default:
      return invalid(`Unrecognized numeric range operator: ${operator}`);
  }
}
