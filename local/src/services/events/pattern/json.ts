/** A JSON value as it appears in an event pattern or an event, once parsed. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject { [key: string]: JsonValue }

/** A leaf of an event: the only values the pattern language ever compares. */
export type LeafValue = string | number | boolean | null;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Renders a pattern fragment for an error message, the way a JSON parser would show the token. */
export function describeToken(value: unknown): string {
  if (value === undefined) return ']';
  if (Array.isArray(value)) return '[';
  if (isJsonObject(value)) return '{';
  return typeof value === 'string' ? value : String(value);
}
