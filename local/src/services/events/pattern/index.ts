/**
 * The EventBridge event-pattern engine: compiles patterns with AWS's validation rules and matches
 * events the way EventBridge (aws/event-ruler) does. Used by PutEvents rule matching and TestEventPattern.
 */
import { Branch, compileBranches } from './compile';
import { invalid } from './errors';
import { flattenEvent } from './flatten';
import { JsonValue } from './json';
import { branchMatches } from './match';

export { InvalidEventPatternError } from './errors';

export interface CompiledPattern {
  /** Whether the event (a parsed JSON object) matches the pattern. */
  matches(event: object): boolean;
}

class Pattern implements CompiledPattern {
  constructor(private readonly branches: readonly Branch[]) {}

  public matches(event: object): boolean {
    const flat = flattenEvent(event);
    return this.branches.some((branch) => branchMatches(branch, flat));
  }
}

/**
 * Parses and validates a pattern, given as JSON text or as an already parsed object.
 * With JSON text a key repeated in one object keeps its last value, as on AWS.
 * @throws InvalidEventPatternError (name `InvalidEventPatternException`) when the pattern is not valid.
 */
export function compilePattern(pattern: string | object): CompiledPattern {
  let parsed: unknown = pattern;
  if (typeof pattern === 'string') {
    try {
      parsed = JSON.parse(pattern);
    } catch (e) {
      invalid(`Filter is not valid JSON: ${(e as Error).message}`);
    }
  }
  return new Pattern(compileBranches(parsed as JsonValue));
}

/** Convenience: `compilePattern(pattern).matches(event)`. */
export function testEventPattern(pattern: string | object, event: object): boolean {
  return compilePattern(pattern).matches(event);
}
