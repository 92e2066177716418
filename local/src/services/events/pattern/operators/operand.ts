import { LeafValue } from '../json';
import { WildcardToken } from '../wildcard';

/** Tests one leaf value of the event. */
export type ValueMatcher = (value: LeafValue) => boolean;

/**
 * One element of a field's value list, compiled. A field matches when ANY of its operands does:
 *  - `value` operands test the leaf values found at the field's path (any one of them may match);
 *  - the `absent` operand (`{"exists": false}`) matches when the path holds no leaf value at all.
 */
export type Operand =
  | { readonly kind: 'value'; readonly matches: ValueMatcher; readonly wildcards?: ReadonlyArray<readonly WildcardToken[]> }
  | { readonly kind: 'absent' };

export function valueOperand(matches: ValueMatcher, wildcards?: ReadonlyArray<readonly WildcardToken[]>): Operand {
  return wildcards ? { kind: 'value', matches, wildcards } : { kind: 'value', matches };
}
