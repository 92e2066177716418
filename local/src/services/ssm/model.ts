import { validation } from './errors';

/** `String`, `StringList` or `SecureString` (kept as plain text here: there is no KMS). */
export type ParameterType = 'String' | 'StringList' | 'SecureString';

export const PARAMETER_TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString'];

/** One SSM parameter: its current version only (no history). */
export interface Parameter {
  readonly name: string;
  readonly type: ParameterType;
  readonly value: string;
  readonly version: number;
  readonly lastModifiedDate: Date;
  readonly description?: string;
  readonly dataType: string;
}

/** Largest parameter value of the standard tier (4 KB). */
export const MAX_VALUE_BYTES = 4096;

/**
 * The name as SSM stores it, or a ValidationException with AWS's reason: 1 to 2048 characters of
 * `a-zA-Z0-9_.-/`, a hierarchy of at most 15 levels, a leading `/` for a hierarchy, no `aws` or
 * `ssm` prefix.
 */
export function checkParameterName(name: unknown): string {
  if (typeof name !== 'string' || name.length < 1 || name.length > 2048) {
    throw validation(`1 validation error detected: Value '${String(name)}' at 'name' failed to satisfy constraint: Member must have length between 1 and 2048`);
  }
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name)) {
    throw validation(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_ (got '${name}')`);
  }
  if (/^\/?(aws|ssm)/i.test(name)) throw validation(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive): '${name}'`);
  if (name.includes('/') && !name.startsWith('/')) throw validation(`Parameter name must be a fully qualified name: '${name}'`);
  if (name.split('/').filter(Boolean).length > 15) throw validation(`Parameter name: hierarchy levels must be 15 or fewer: '${name}'`);
  return name;
}
