import { invalid } from './errors';
import { isJsonObject, JsonObject, JsonValue } from './json';
import { compileExact, compileMatchExpression, Operand } from './operators';
import { TOO_COMPLEX_MESSAGE, WILDCARD_COMPLEXITY_LIMIT, wildcardComplexity, WildcardToken } from './wildcard';

/** The compiled value list of one field: the field matches when any operand does. */
export interface FieldCondition {
  /** Field names from the root, joined with `.` (AWS flattens both patterns and events this way). */
  readonly path: string;
  readonly operands: readonly Operand[];
}

/** One conjunction of field conditions; a pattern is a disjunction of branches (`$or` creates several). */
export type Branch = ReadonlyMap<string, FieldCondition>;

const OR = '$or';

/** Names that may not be used as field names inside `$or` (AWS reserves them). */
const RESERVED_IN_OR = new Set([
  'exactly', 'equals-ignore-case', 'prefix', 'suffix', 'anything-but', 'exists', 'wildcard', 'numeric', 'cidr',
  '=', '<', '<=', '>', '>=',
  'regex', 'not-wildcard', 'not-equals-ignore-case',
  'date-after', 'date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range',
  'ip-address-in-range', 'ip-address-not-in-range',
]);

/**
 * Compiles a parsed pattern into branches (disjunctive normal form), the way AWS does:
 *  - an object descends into the event; a field's value must be an object or a non-empty array;
 *  - nested names are joined with `.`, so `{"a": {"b": [1]}}` and `{"a.b": [1]}` are the same field;
 *  - `$or` (at least two objects) forks every branch built so far; fields before and after it apply to
 *    every fork;
 *  - when the same field appears twice in a branch, the last one wins (AWS overrides, it does not AND).
 */
export function compileBranches(pattern: JsonValue): Branch[] {
  if (!isJsonObject(pattern)) invalid('Filter is not an object');
  const branches: Map<string, FieldCondition>[] = [];
  compileObject(branches, [], pattern, false);
  for (const branch of branches) {
    for (const condition of branch.values()) checkWildcardComplexity(condition);
  }
  return branches;
}

function compileObject(branches: Map<string, FieldCondition>[], path: string[], object: JsonObject, insideOr: boolean): void {
  const keys = Object.keys(object);
  if (keys.length === 0) invalid('Empty objects are not allowed');
  for (const key of keys) {
    const value = object[key];
    if (key === OR) {
      compileOr(branches, path, value);
      continue;
    }
    if (insideOr && RESERVED_IN_OR.has(key)) invalid(`${key} is Ruler reserved fieldName which cannot be used inside ${OR}.`);
    if (isJsonObject(value)) {
      compileObject(branches, [...path, key], value, insideOr);
    } else if (Array.isArray(value)) {
      const condition: FieldCondition = { path: [...path, key].join('.'), operands: compileValueList(value) };
      if (branches.length === 0) branches.push(new Map());
      for (const branch of branches) branch.set(condition.path, condition);
    } else {
      invalid(`"${key}" must be an object or an array`);
    }
  }
}

function compileOr(branches: Map<string, FieldCondition>[], path: string[], value: JsonValue): void {
  if (!Array.isArray(value)) invalid(`It must be an Array followed with ${OR}.`);
  const before = branches.splice(0, branches.length);
  for (const alternative of value) {
    if (!isJsonObject(alternative)) invalid(`Only JSON object is allowed in array of ${OR} relationship.`);
    const forks = before.length === 0 ? [new Map<string, FieldCondition>()] : before.map((b) => new Map(b));
    compileObject(forks, path, alternative, true);
    branches.push(...forks);
  }
  if (value.length < 2) invalid(`There must have at least 2 Objects in ${OR} relationship.`);
}

function compileValueList(list: JsonValue[]): Operand[] {
  const operands = list.map((item): Operand => {
    if (isJsonObject(item)) return compileMatchExpression(item);
    if (Array.isArray(item) || item === undefined) invalid('Match value must be String, number, true, false, or null');
    return compileExact(item);
  });
  if (operands.length === 0) invalid('Empty arrays are not allowed');
  return operands;
}

function checkWildcardComplexity(condition: FieldCondition): void {
  const patterns: (readonly WildcardToken[])[] = [];
  for (const operand of condition.operands) {
    if (operand.kind === 'value' && operand.wildcards) patterns.push(...operand.wildcards);
  }
  if (patterns.length > 0 && wildcardComplexity(patterns) > WILDCARD_COMPLEXITY_LIMIT) invalid(TOO_COMPLEX_MESSAGE);
}
