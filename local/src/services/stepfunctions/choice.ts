import { ChoiceRule } from './definition';
import { StatesError, StatesErrors } from './error-handling';
import { readPath, tryReadPath } from './jsonpath';

/** Evaluates one (possibly compound) Choice rule against the state's effective input. */
export function evaluateRule(rule: ChoiceRule, input: unknown, context: unknown): boolean {
  if (Array.isArray(rule.And)) return (rule.And as ChoiceRule[]).every((r) => evaluateRule(r, input, context));
  if (Array.isArray(rule.Or)) return (rule.Or as ChoiceRule[]).some((r) => evaluateRule(r, input, context));
  if (rule.Not !== undefined) return !evaluateRule(rule.Not as ChoiceRule, input, context);

  const variable = rule.Variable as string;
  const op = Object.keys(rule).find((k) => k !== 'Variable' && k !== 'Next' && k !== 'Comment')!;
  let expected = rule[op];
  const found = tryReadPath(variable, input, context);

  if (op === 'IsPresent') return found.found === expected;
  if (!found.found) {
    throw new StatesError(StatesErrors.Runtime, `Invalid path '${variable}': The choice state's condition path references an invalid value.`);
  }
  const actual = found.value;
  switch (op) {
    case 'IsNull': return (actual === null) === expected;
    case 'IsString': return (typeof actual === 'string') === expected;
    case 'IsNumeric': return (typeof actual === 'number') === expected;
    case 'IsBoolean': return (typeof actual === 'boolean') === expected;
    case 'IsTimestamp': return isTimestamp(actual) === expected;
    default: break;
  }

  let base = op;
  if (op.endsWith('Path')) {
    base = op.slice(0, -4);
    expected = readPath(expected as string, input, context, StatesErrors.Runtime, `path for ${op}`);
  }
  if (base.startsWith('String')) {
    if (typeof actual !== 'string' || typeof expected !== 'string') return false;
    if (base === 'StringMatches') return wildcard(expected).test(actual);
    return compare(base.slice('String'.length), actual < expected ? -1 : actual > expected ? 1 : 0);
  }
  if (base.startsWith('Numeric')) {
    if (typeof actual !== 'number' || typeof expected !== 'number') return false;
    return compare(base.slice('Numeric'.length), Math.sign(actual - expected));
  }
  if (base === 'BooleanEquals') return typeof actual === 'boolean' && actual === expected;
  if (base.startsWith('Timestamp')) {
    if (!isTimestamp(actual) || !isTimestamp(expected)) return false;
    return compare(base.slice('Timestamp'.length), Math.sign(Date.parse(actual as string) - Date.parse(expected as string)));
  }
  throw new StatesError(StatesErrors.Runtime, `unsupported choice operator '${op}'`);
}

function compare(kind: string, sign: number): boolean {
  switch (kind) {
    case 'Equals': return sign === 0;
    case 'LessThan': return sign < 0;
    case 'GreaterThan': return sign > 0;
    case 'LessThanEquals': return sign <= 0;
    case 'GreaterThanEquals': return sign >= 0;
    default: throw new StatesError(StatesErrors.Runtime, `unsupported comparison '${kind}'`);
  }
}

function isTimestamp(v: unknown): boolean {
  return typeof v === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) && !isNaN(Date.parse(v));
}

/** `StringMatches` pattern: `*` matches any run of characters; `\*` and `\\` escape. */
function wildcard(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '*') {
      re += '.*';
    } else {
      re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}$`, 's');
}
