import { invalid } from '../errors';
import { isJsonObject, JsonValue } from '../json';
import { endsWithIgnoreCase, startsWithIgnoreCase } from '../strings';
import { Operand, valueOperand } from './operand';

type Side = 'prefix' | 'suffix';

/**
 * `{"prefix": "abc"}`, `{"prefix": {"equals-ignore-case": "abc"}}` and the same for `suffix`.
 * Only string event values can match (a prefix never matches a number). The empty prefix/suffix is
 * valid and matches every string. A list operand is invalid.
 */
export function compilePrefixOrSuffix(side: Side, operand: JsonValue): Operand {
  if (isJsonObject(operand)) {
    const keys = Object.keys(operand);
    const title = side === 'prefix' ? 'Prefix' : 'Suffix';
    if (keys.length === 0) invalid(`${title} expression name not found`);
    if (keys[0] !== 'equals-ignore-case') invalid(`Unsupported ${side} pattern: ${keys[0]}`);
    const text = operand[keys[0]];
    if (typeof text !== 'string') invalid('equals-ignore-case match pattern must be a string');
    if (keys.length > 1) invalid('Only one key allowed in match expression');
    return side === 'prefix'
      ? valueOperand((value) => typeof value === 'string' && startsWithIgnoreCase(value, text))
      : valueOperand((value) => typeof value === 'string' && endsWithIgnoreCase(value, text));
  }
  if (typeof operand !== 'string') invalid(`${side} match pattern must be a string`);
  return side === 'prefix'
    ? valueOperand((value) => typeof value === 'string' && value.startsWith(operand))
    : valueOperand((value) => typeof value === 'string' && value.endsWith(operand));
}
