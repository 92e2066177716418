import { invalid } from '../errors';
import { inRange, ipBytes, parseCidr } from '../ip';
import { JsonValue } from '../json';
import { Operand, valueOperand } from './operand';

/** `{"cidr": "10.0.0.0/24"}` (IPv4 or IPv6): string values that are addresses inside the block. */
export function compileCidr(operand: JsonValue): Operand {
  // Sic: AWS reports a non-string cidr with the prefix operator's message.
  if (typeof operand !== 'string') invalid('prefix match pattern must be a string');
  const range = parseCidr(operand);
  return valueOperand((value) => {
    if (typeof value !== 'string') return false;
    const address = ipBytes(value);
    return address !== undefined && inRange(range, address);
  });
}
