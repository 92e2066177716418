/**
 * Numbers in the pattern language.
 *
 * AWS (event-ruler) compares numbers through a fixed-point "comparable" form: the value must lie in
 * [-5e9, 5e9] and only six digits after the decimal point count (the rest is truncated). Two
 * consequences that surprise:
 *   - `300`, `300.0` and `3.0e2` are equal (the AWS docs claim otherwise; real AWS matches them);
 *   - `numeric` bounds outside [-5e9, 5e9] are rejected, and event values outside that range never
 *     satisfy a `numeric` or a numeric `anything-but`.
 */
export const NUMERIC_LIMIT = 5e9;

export const NUMERIC_LIMIT_MESSAGE = 'Value must be between -5.0E9 and 5.0E9, inclusive';

/**
 * The comparable key of a number, or `undefined` when the number is outside the supported range.
 * Same arithmetic as event-ruler: `(long) (1e6 * (5e9 + n))`, which JavaScript doubles reproduce exactly.
 */
export function comparableKey(n: number): number | undefined {
  if (!Number.isFinite(n) || n < -NUMERIC_LIMIT || n > NUMERIC_LIMIT) return undefined;
  return Math.trunc(1e6 * (NUMERIC_LIMIT + n));
}

/** Numeric equality as AWS applies it to exact-match numbers: comparable form, else the literal value. */
export function numbersEqual(a: number, b: number): boolean {
  const ka = comparableKey(a);
  const kb = comparableKey(b);
  if (ka !== undefined && kb !== undefined) return ka === kb;
  return a === b;
}
