import { Branch } from './compile';
import { FlatEvent, FlatValue } from './flatten';

/**
 * Whether one branch (a conjunction of fields) matches the flattened event.
 *
 * Each field needs a leaf value at its path accepted by one of its operands (or, for
 * `{"exists": false}`, no leaf value at all). Across fields AWS adds an "array consistency" rule:
 * values picked from objects inside the same array must come from the same element. With
 * `{"a": [{"b": 1, "c": 2}, {"b": 3, "c": 4}]}`, `{"a": {"b": [1], "c": [4]}}` does not match.
 */
export function branchMatches(branch: Branch, event: FlatEvent): boolean {
  const choices: FlatValue[][] = [];
  for (const condition of branch.values()) {
    const values = event.get(condition.path) ?? [];
    if (values.length === 0) {
      if (condition.operands.some((o) => o.kind === 'absent')) continue;
      return false;
    }
    const accepted = values.filter((v) => condition.operands.some((o) => o.kind === 'value' && o.matches(v.value)));
    if (accepted.length === 0) return false;
    choices.push(accepted);
  }
  choices.sort((a, b) => a.length - b.length);
  return consistentChoice(choices, 0, new Map());
}

/** Backtracking search for one value per field whose array memberships agree. */
function consistentChoice(choices: readonly FlatValue[][], index: number, chosen: Map<number, number>): boolean {
  if (index === choices.length) return true;
  for (const candidate of choices[index]) {
    const added: number[] = [];
    let compatible = true;
    for (const [array, element] of candidate.membership) {
      const existing = chosen.get(array);
      if (existing === undefined) {
        chosen.set(array, element);
        added.push(array);
      } else if (existing !== element) {
        compatible = false;
        break;
      }
    }
    if (compatible && consistentChoice(choices, index + 1, chosen)) return true;
    for (const array of added) chosen.delete(array);
  }
  return false;
}
