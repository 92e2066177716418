/**
 * Case-insensitive comparison used by `equals-ignore-case` (alone, inside `prefix`/`suffix`, or
 * inside `anything-but`). event-ruler folds case per character (each pattern character matches its
 * lower- or upper-case form), so the comparison here is per Unicode code point, not on the whole string.
 */
function codePointsEqualIgnoreCase(a: string, b: string): boolean {
  return a === b || a.toLowerCase() === b.toLowerCase() || a.toUpperCase() === b.toUpperCase();
}

function sameIgnoringCase(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!codePointsEqualIgnoreCase(a[i], b[i])) return false;
  }
  return true;
}

export function equalsIgnoreCase(value: string, expected: string): boolean {
  return sameIgnoringCase(Array.from(value), Array.from(expected));
}

export function startsWithIgnoreCase(value: string, prefix: string): boolean {
  const v = Array.from(value);
  const p = Array.from(prefix);
  return v.length >= p.length && sameIgnoringCase(v.slice(0, p.length), p);
}

export function endsWithIgnoreCase(value: string, suffix: string): boolean {
  const v = Array.from(value);
  const s = Array.from(suffix);
  return v.length >= s.length && sameIgnoringCase(v.slice(v.length - s.length), s);
}
