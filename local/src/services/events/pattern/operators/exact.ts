import { ipBytes } from '../ip';
import { LeafValue } from '../json';
import { numbersEqual } from '../numbers';
import { Operand, valueOperand } from './operand';

/**
 * A bare value in a field's list: `"text"`, `42`, `true`, `false` or `null`.
 *
 * Types never cross: the string `"300"` does not match the number 300, `"null"` does not match null.
 * Numbers compare by value (300 matches 300.0). A string that is an IP address matches any spelling
 * of the same address (AWS turns such strings into a one-address range).
 */
export function compileExact(expected: LeafValue): Operand {
  if (typeof expected === 'number') {
    return valueOperand((value) => typeof value === 'number' && numbersEqual(value, expected));
  }
  if (typeof expected === 'string') {
    const address = ipBytes(expected);
    if (address) {
      const same = (other: number[] | undefined): boolean =>
        other !== undefined && other.length === address.length && other.every((b, i) => b === address[i]);
      return valueOperand((value) => typeof value === 'string' && (value === expected || same(ipBytes(value))));
    }
    return valueOperand((value) => value === expected);
  }
  return valueOperand((value) => value === expected);
}
