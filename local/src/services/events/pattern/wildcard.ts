import { invalid } from './errors';

/** A parsed wildcard: literal characters (UTF-16 code units) and `STAR`s. */
const STAR = Symbol('*');
type WildcardToken = string | typeof STAR;

/**
 * Parses a wildcard operand with AWS's rules: `*` matches any sequence (including none), `\*` is a
 * literal star, `\\` a literal backslash; any other backslash and two consecutive `*` are errors.
 * Positions in messages are UTF-8 byte offsets, as AWS reports them.
 */
export function parseWildcard(pattern: string): WildcardToken[] {
  const tokens: WildcardToken[] = [];
  const bytePos = (i: number): number => Buffer.byteLength(pattern.slice(0, i), 'utf8');
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*') {
      if (pattern[i + 1] === '*') invalid(`Consecutive wildcard characters at pos ${bytePos(i)}`);
      tokens.push(STAR);
    } else if (ch === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') invalid(`Invalid escape character at pos ${bytePos(i)}`);
      tokens.push(next);
      i++;
    } else {
      tokens.push(ch);
    }
  }
  return tokens;
}

/** Glob matching in O(n·m) without regular expressions (no catastrophic backtracking). */
export function wildcardMatches(tokens: readonly WildcardToken[], value: string): boolean {
  let p = 0;
  let v = 0;
  let starAt = -1;
  let resumeAt = 0;
  while (v < value.length) {
    if (p < tokens.length && tokens[p] !== STAR && tokens[p] === value[v]) {
      p++;
      v++;
    } else if (p < tokens.length && tokens[p] === STAR) {
      starAt = p++;
      resumeAt = v;
    } else if (starAt >= 0) {
      p = starAt + 1;
      v = ++resumeAt;
    } else {
      return false;
    }
  }
  while (p < tokens.length && tokens[p] === STAR) p++;
  return p === tokens.length;
}

/**
 * AWS rejects wildcard patterns whose matching machine is too expensive: "Rule is too complex".
 * event-ruler measures, over every possible input, the largest number of wildcard-pattern states a
 * traversal can be in at once (MachineComplexityEvaluator), and EventBridge rejects rules above 10.
 * In practice: several wildcards separated by a character that can repeat (`*:*:*:*:*:x/*`) are
 * rejected, two or three wildcards are fine.
 *
 * This reproduces that measure on a byte-level NFA of all the wildcard patterns of one field (the
 * value is quoted, as event-ruler sees it). Prefix sharing between patterns does not change the sum,
 * so patterns are laid out independently.
 */
export const WILDCARD_COMPLEXITY_LIMIT = 10;
export const TOO_COMPLEX_MESSAGE = 'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

interface NfaState {
  readonly literal: Map<number, number[]>;
  readonly any: number[];
}

const ANY_BYTE = -1;
const MAX_EXPLORED_STATE_SETS = 20_000;

function wildcardBytes(tokens: readonly WildcardToken[]): number[] {
  const quote = 0x22;
  const bytes: number[] = [quote];
  for (const token of tokens) {
    if (token === STAR) bytes.push(ANY_BYTE);
    else bytes.push(...Buffer.from(token, 'utf8'));
  }
  bytes.push(quote);
  return bytes;
}

export function wildcardComplexity(patterns: ReadonlyArray<readonly WildcardToken[]>): number {
  const states: NfaState[] = [{ literal: new Map(), any: [] }];
  const newState = (): number => states.push({ literal: new Map(), any: [] }) - 1;
  const addLiteral = (from: number, byte: number, to: number): void => {
    const targets = states[from].literal.get(byte) ?? [];
    targets.push(to);
    states[from].literal.set(byte, targets);
  };
  const alphabet = new Set<number>();

  for (const tokens of patterns) {
    let current = 0;
    let beforeStar = -1;
    for (const byte of wildcardBytes(tokens)) {
      if (byte === ANY_BYTE) {
        const star = newState();
        states[current].any.push(star);
        states[star].any.push(star);
        beforeStar = current;
        current = star;
      } else {
        const next = newState();
        alphabet.add(byte);
        addLiteral(current, byte, next);
        // A star may match nothing: the byte after it is also reachable from the state before it.
        if (beforeStar >= 0) addLiteral(beforeStar, byte, next);
        beforeStar = -1;
        current = next;
      }
    }
  }
  if (states.length === 1) return 0;

  const inputs = [ANY_BYTE, ...alphabet];
  const seen = new Set<string>();
  const pending: number[][] = [[0]];
  let maximum = 0;
  while (pending.length > 0 && seen.size < MAX_EXPLORED_STATE_SETS) {
    const active = pending.pop()!;
    for (const input of inputs) {
      const next = new Set<number>();
      for (const id of active) {
        for (const target of states[id].any) next.add(target);
        if (input !== ANY_BYTE) for (const target of states[id].literal.get(input) ?? []) next.add(target);
      }
      if (next.size === 0) continue;
      // Each active state counts, plus the wildcard states one byte away (an input matching `foo`
      // also sits at the start of `foo*`).
      let complexity = next.size;
      for (const id of next) {
        for (const star of states[id].any) if (!next.has(star)) complexity++;
      }
      if (complexity > WILDCARD_COMPLEXITY_LIMIT) return complexity;
      maximum = Math.max(maximum, complexity);
      const sorted = [...next].sort((a, b) => a - b);
      const key = sorted.join(',');
      if (!seen.has(key)) {
        seen.add(key);
        pending.push(sorted);
      }
    }
  }
  return maximum;
}

export type { WildcardToken };
