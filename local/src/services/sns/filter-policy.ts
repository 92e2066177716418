import { SnsMessageAttributes } from './model';
import { compilePattern, CompiledPattern, InvalidEventPatternError } from '../events/pattern';

/** A filter policy the local cloud cannot evaluate, or that SNS would reject. */
export class FilterPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidParameter';
  }
}

/** A subscription's filter policy, ready to test messages. */
export interface CompiledFilterPolicy {
  /** Whether the message passes the policy (and is delivered to the subscriber). */
  matches(message: string, attributes: SnsMessageAttributes): boolean;
}

export type FilterPolicyScope = 'MessageAttributes' | 'MessageBody';

/** Operators SNS filter policies do not have, though EventBridge patterns do. */
const NOT_IN_SNS = ['wildcard'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Throws on what SNS rejects or the EventBridge engine would read differently. */
function checkShape(policy: Record<string, unknown>, scope: FilterPolicyScope, where: string): void {
  for (const [key, value] of Object.entries(policy)) {
    if (key === '$or' && Array.isArray(value)) {
      value.forEach((alt, i) => isObject(alt) && checkShape(alt, scope, `${where}$or[${i}].`));
      continue;
    }
    if (isObject(value)) {
      if (scope === 'MessageAttributes') {
        throw new FilterPolicyError(`Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy (${where}${key})`);
      }
      checkShape(value, scope, `${where}${key}.`);
      continue;
    }
    if (!Array.isArray(value)) continue; // the engine reports it
    for (const operand of value) {
      if (!isObject(operand)) continue;
      for (const op of Object.keys(operand)) {
        if (NOT_IN_SNS.includes(op)) throw new FilterPolicyError(`Invalid parameter: FilterPolicy: Unrecognized match type ${op} (${where}${key})`);
      }
    }
  }
}

/**
 * What the policy is matched against for the MessageAttributes scope: `String` → string, `Number` →
 * number, `String.Array` → the parsed array (any element may match); `Binary` attributes are not
 * seen by filter policies.
 */
function attributeDocument(attributes: SnsMessageAttributes): Record<string, unknown> {
  const doc: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(attributes)) {
    const type = a.DataType;
    if (type === 'String.Array') {
      try {
        const parsed: unknown = JSON.parse(a.StringValue ?? '');
        doc[name] = Array.isArray(parsed) ? parsed : a.StringValue;
      } catch {
        doc[name] = a.StringValue;
      }
    } else if (type === 'Number' || type.startsWith('Number.')) {
      const n = Number(a.StringValue);
      doc[name] = Number.isFinite(n) ? n : a.StringValue;
    } else if (type === 'String' || type.startsWith('String.')) {
      doc[name] = a.StringValue;
    }
  }
  return doc;
}

/**
 * Compiles an SNS filter policy with the EventBridge event-pattern engine (an approximation: the two
 * languages share their operators). Policies using what SNS does not accept, or what the engine cannot
 * express, are rejected with a {@link FilterPolicyError} rather than matching everything.
 */
export function compileFilterPolicy(policy: string | object, scope: string = 'MessageAttributes'): CompiledFilterPolicy {
  if (scope !== 'MessageAttributes' && scope !== 'MessageBody') {
    throw new FilterPolicyError(`Invalid parameter: FilterPolicyScope: Invalid value [${scope}]. Please use either MessageBody or MessageAttributes`);
  }
  let parsed: unknown = policy;
  if (typeof policy === 'string') {
    try {
      parsed = JSON.parse(policy);
    } catch (e) {
      throw new FilterPolicyError(`Invalid parameter: FilterPolicy: failed to parse JSON. ${(e as Error).message}`);
    }
  }
  if (!isObject(parsed)) throw new FilterPolicyError('Invalid parameter: FilterPolicy: Filter policy must be a JSON object');
  checkShape(parsed, scope, '');
  let pattern: CompiledPattern;
  try {
    pattern = compilePattern(parsed);
  } catch (e) {
    if (e instanceof InvalidEventPatternError) {
      throw new FilterPolicyError(`Invalid parameter: FilterPolicy ${JSON.stringify(parsed)} cannot be evaluated by the local cloud: ${e.reason}`);
    }
    throw e;
  }
  if (scope === 'MessageAttributes') {
    return { matches: (_message, attributes) => pattern.matches(attributeDocument(attributes)) };
  }
  return {
    matches: (message) => {
      let body: unknown;
      try {
        body = JSON.parse(message);
      } catch {
        return false; // SNS drops a message whose body is not JSON
      }
      return isObject(body) && pattern.matches(body);
    },
  };
}
