import { invalid } from '../errors';
import { isJsonObject, JsonValue, LeafValue } from '../json';
import { comparableKey, NUMERIC_LIMIT_MESSAGE } from '../numbers';
import { equalsIgnoreCase } from '../strings';
import { parseWildcard, wildcardMatches, WildcardToken } from '../wildcard';
import { TOO_MANY_NUMERIC_ELEMENTS } from './numeric';
import { Operand, valueOperand } from './operand';

type Variant = 'equals-ignore-case' | 'prefix' | 'suffix' | 'wildcard';
const VARIANTS: readonly string[] = ['equals-ignore-case', 'prefix', 'suffix', 'wildcard'];

const NOT_A_VALUE = 'Value of anything-but must be an array or single string/number value.';

/**
 * Note: the ignore-case forms of prefix/suffix are not supported inside anything-but
 * (`{"anything-but": {"prefix": {"equals-ignore-case": "x"}}}` is invalid).
 *
 * `anything-but` matches every leaf value that is not excluded — including values of another type and
 * null: `{"anything-but": "a"}` matches 12, true and null. Like every operator it needs a leaf value,
 * so it does NOT match a missing field. Exclusions only apply within their type: a string list excludes
 * strings, a number list excludes numbers (by value, in AWS's comparable form), and
 * prefix / suffix / equals-ignore-case / wildcard exclude strings only.
 */
export function compileAnythingBut(operand: JsonValue): Operand {
  if (isJsonObject(operand)) {
    const keys = Object.keys(operand);
    if (keys.length === 0) invalid('Anything-But expression name not found');
    const variant = keys[0];
    if (!VARIANTS.includes(variant)) invalid(`Unsupported anything-but pattern: ${variant}`);
    const compiled = compileVariant(variant as Variant, operand[variant]);
    if (keys.length > 1) invalid(TOO_MANY_NUMERIC_ELEMENTS); // sic: AWS's message for extra keys here
    return compiled;
  }
  return compileValues(operand);
}

/** `{"anything-but": "x"}`, `{"anything-but": 5}`, `{"anything-but": ["x", "y"]}` or `[1, 2]`. */
function compileValues(operand: JsonValue): Operand {
  if (!Array.isArray(operand) && typeof operand !== 'string' && typeof operand !== 'number') invalid(NOT_A_VALUE);
  const list = Array.isArray(operand) ? operand : [operand];
  const strings = new Set<string>();
  const numbers = new Set<number>();
  for (const item of list) {
    if (typeof item === 'string') {
      strings.add(item);
    } else if (typeof item === 'number') {
      numbers.add(comparableKey(item) ?? invalid(NUMERIC_LIMIT_MESSAGE));
    } else {
      invalid('Inside anything but list, start|null|boolean is not supported.');
    }
  }
  if ((strings.size > 0) === (numbers.size > 0)) {
    invalid('Inside anything but list, either all values are number or string, mixed type is not supported');
  }
  return valueOperand((value: LeafValue) => {
    if (typeof value === 'string') return !strings.has(value);
    if (typeof value === 'number') {
      const key = comparableKey(value);
      return key === undefined || !numbers.has(key);
    }
    return true;
  });
}

function compileVariant(variant: Variant, operand: JsonValue): Operand {
  if (!Array.isArray(operand) && typeof operand !== 'string' && typeof operand !== 'number') invalid(NOT_A_VALUE);
  const list = Array.isArray(operand) ? operand : [operand];
  const texts: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string') {
      if (variant === 'equals-ignore-case') {
        invalid('Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.');
      }
      invalid(variant === 'wildcard' ? 'wildcard match pattern must be a string' : 'prefix/suffix match pattern must be a string');
    }
    // An empty prefix/suffix would exclude every string; AWS rejects it (the plain `prefix: ""` is valid).
    if ((variant === 'prefix' || variant === 'suffix') && item === '') invalid('Null prefix/suffix not allowed');
    texts.push(item);
  }

  let excluded: (text: string) => boolean;
  let wildcards: WildcardToken[][] | undefined;
  switch (variant) {
    case 'equals-ignore-case':
      excluded = (text) => texts.some((t) => equalsIgnoreCase(text, t));
      break;
    case 'prefix':
      excluded = (text) => texts.some((t) => text.startsWith(t));
      break;
    case 'suffix':
      excluded = (text) => texts.some((t) => text.endsWith(t));
      break;
    case 'wildcard': {
      const parsed = texts.map(parseWildcard);
      wildcards = parsed;
      excluded = (text) => parsed.some((tokens) => wildcardMatches(tokens, text));
      break;
    }
  }
  return valueOperand((value) => typeof value !== 'string' || !excluded(value), wildcards);
}
