import { InvalidDefinitionError, StatesErrors } from './error-handling';
import { parsePath } from './jsonpath';

export interface Retrier {
  readonly ErrorEquals: string[];
  readonly IntervalSeconds?: number;
  readonly MaxAttempts?: number;
  readonly BackoffRate?: number;
  readonly MaxDelaySeconds?: number;
  readonly JitterStrategy?: 'FULL' | 'NONE';
}

export interface Catcher {
  readonly ErrorEquals: string[];
  readonly Next: string;
  readonly ResultPath?: string | null;
}

/** One state, as found in the definition (only the fields this interpreter uses are typed). */
export interface State {
  readonly Type: 'Task' | 'Pass' | 'Succeed' | 'Fail' | 'Wait' | 'Choice';
  readonly Comment?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly InputPath?: string | null;
  readonly OutputPath?: string | null;
  readonly ResultPath?: string | null;
  readonly Parameters?: unknown;
  readonly ResultSelector?: unknown;
  readonly Result?: unknown;
  readonly Resource?: string;
  readonly TimeoutSeconds?: number;
  readonly TimeoutSecondsPath?: string;
  readonly Retry?: Retrier[];
  readonly Catch?: Catcher[];
  readonly Error?: string;
  readonly ErrorPath?: string;
  readonly Cause?: string;
  readonly CausePath?: string;
  readonly Seconds?: number;
  readonly SecondsPath?: string;
  readonly Timestamp?: string;
  readonly TimestampPath?: string;
  readonly Choices?: ChoiceRule[];
  readonly Default?: string;
}

/** A Choice rule (top-level rules carry `Next`; nested ones under And/Or/Not do not). */
export type ChoiceRule = Record<string, unknown> & { readonly Next?: string };

export interface StateMachineDefinition {
  readonly StartAt: string;
  readonly States: Record<string, State>;
  readonly Comment?: string;
  readonly TimeoutSeconds?: number;
  readonly Version?: string;
}

/** The Task resource of the optimized Lambda integration. */
export const LAMBDA_INVOKE_RESOURCES = ['arn:aws:states:::lambda:invoke'];
const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;

const SUPPORTED_TYPES = ['Task', 'Pass', 'Succeed', 'Fail', 'Wait', 'Choice'];
const UNSUPPORTED_TYPES = ['Parallel', 'Map'];

const COMPARATORS = new Map<string, 'string' | 'number' | 'boolean' | 'timestamp' | 'path'>([
  ['StringEquals', 'string'], ['StringLessThan', 'string'], ['StringGreaterThan', 'string'],
  ['StringLessThanEquals', 'string'], ['StringGreaterThanEquals', 'string'], ['StringMatches', 'string'],
  ['NumericEquals', 'number'], ['NumericLessThan', 'number'], ['NumericGreaterThan', 'number'],
  ['NumericLessThanEquals', 'number'], ['NumericGreaterThanEquals', 'number'],
  ['BooleanEquals', 'boolean'],
  ['TimestampEquals', 'timestamp'], ['TimestampLessThan', 'timestamp'], ['TimestampGreaterThan', 'timestamp'],
  ['TimestampLessThanEquals', 'timestamp'], ['TimestampGreaterThanEquals', 'timestamp'],
  ['IsNull', 'boolean'], ['IsPresent', 'boolean'], ['IsNumeric', 'boolean'], ['IsString', 'boolean'],
  ['IsBoolean', 'boolean'], ['IsTimestamp', 'boolean'],
]);
for (const k of [...COMPARATORS.keys()]) {
  if (/^(String|Numeric|Boolean|Timestamp)/.test(k)) COMPARATORS.set(`${k}Path`, 'path');
}
export const COMPARATOR_NAMES: ReadonlySet<string> = new Set(COMPARATORS.keys());

/** True when `resource` is something the interpreter can run as a Lambda task. */
export function isLambdaResource(resource: string): boolean {
  return LAMBDA_ARN.test(resource) || LAMBDA_INVOKE_RESOURCES.includes(resource);
}

/**
 * Parses and validates an Amazon States Language definition.
 * Throws {@link InvalidDefinitionError} listing every problem found.
 */
export function parseDefinition(definition: string | object): StateMachineDefinition {
  let def: any;
  if (typeof definition === 'string') {
    try {
      def = JSON.parse(definition);
    } catch (e: any) {
      throw new InvalidDefinitionError([`the definition is not valid JSON: ${e.message}`]);
    }
  } else {
    def = definition;
  }
  const problems = validateDefinition(def);
  if (problems.length > 0) throw new InvalidDefinitionError(problems);
  return def as StateMachineDefinition;
}

/** Returns the problems found in `def` (empty when it is valid). */
export function validateDefinition(def: any): string[] {
  const problems: string[] = [];
  if (def === null || typeof def !== 'object' || Array.isArray(def)) return ['the definition must be a JSON object'];
  if (typeof def.StartAt !== 'string') problems.push("missing required field 'StartAt'");
  if (def.States === null || typeof def.States !== 'object' || Array.isArray(def.States)) {
    problems.push("missing required field 'States'");
    return problems;
  }
  const names = Object.keys(def.States);
  if (names.length === 0) problems.push("'States' must contain at least one state");
  if (typeof def.StartAt === 'string' && !names.includes(def.StartAt)) problems.push(`StartAt '${def.StartAt}' does not reference a state`);
  checkTimeout(def.TimeoutSeconds, '/TimeoutSeconds', problems);
  if (def.QueryLanguage !== undefined && def.QueryLanguage !== 'JSONPath') {
    problems.push(`QueryLanguage ${JSON.stringify(def.QueryLanguage)} is not supported by the local interpreter (only JSONPath)`);
  }
  for (const name of names) {
    if (name.length > 80) problems.push(`state name '${name.slice(0, 20)}...' is longer than 80 characters`);
    validateState(name, def.States[name], names, problems);
  }
  // every state must be reachable from StartAt (as Step Functions requires)
  if (problems.length === 0) {
    const seen = new Set<string>();
    const todo = [def.StartAt as string];
    while (todo.length > 0) {
      const n = todo.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      todo.push(...successors(def.States[n]));
    }
    for (const n of names) if (!seen.has(n)) problems.push(`state '${n}' is not reachable from StartAt`);
  }
  return problems;
}

function successors(s: State): string[] {
  const out: string[] = [];
  if (s.Next) out.push(s.Next);
  if (s.Default) out.push(s.Default);
  for (const c of s.Catch ?? []) out.push(c.Next);
  for (const r of s.Choices ?? []) if (typeof r.Next === 'string') out.push(r.Next);
  return out;
}

function validateState(name: string, s: any, names: string[], problems: string[]): void {
  const at = `/States/${name}`;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) {
    problems.push(`${at}: a state must be an object`);
    return;
  }
  if (UNSUPPORTED_TYPES.includes(s.Type)) {
    problems.push(`${at}: state type '${s.Type}' is not supported by the local Step Functions interpreter`);
    return;
  }
  if (!SUPPORTED_TYPES.includes(s.Type)) {
    problems.push(`${at}: unknown state type ${JSON.stringify(s.Type)}`);
    return;
  }
  const terminalType = s.Type === 'Succeed' || s.Type === 'Fail' || s.Type === 'Choice';
  if (!terminalType) {
    if (s.End === true && s.Next !== undefined) problems.push(`${at}: a state cannot have both 'Next' and 'End'`);
    if (s.End !== true && s.Next === undefined) problems.push(`${at}: a ${s.Type} state must have 'Next' or 'End: true'`);
  } else {
    if (s.Next !== undefined) problems.push(`${at}: a ${s.Type} state cannot have 'Next'`);
    if (s.End !== undefined) problems.push(`${at}: a ${s.Type} state cannot have 'End'`);
  }
  if (s.Next !== undefined && !names.includes(s.Next)) problems.push(`${at}: Next '${s.Next}' does not reference a state`);

  const pathFields = s.Type === 'Fail' ? [] : ['InputPath', 'OutputPath'];
  if (['Task', 'Pass'].includes(s.Type)) pathFields.push('ResultPath');
  for (const f of pathFields) {
    if (s[f] !== undefined && s[f] !== null) checkPath(s[f], `${at}/${f}`, problems, f === 'ResultPath' ? '$' : undefined);
  }
  const allowed = allowedFields(s.Type);
  for (const k of Object.keys(s)) if (!allowed.has(k)) problems.push(`${at}: field '${k}' is not supported in a ${s.Type} state`);
  if (s.Parameters !== undefined) checkTemplate(s.Parameters, `${at}/Parameters`, problems);
  if (s.ResultSelector !== undefined) checkTemplate(s.ResultSelector, `${at}/ResultSelector`, problems);

  switch (s.Type) {
    case 'Task':
      if (typeof s.Resource !== 'string') {
        problems.push(`${at}: a Task state needs a 'Resource'`);
      } else if (!isLambdaResource(s.Resource)) {
        problems.push(`${at}: Resource '${s.Resource}' is not supported by the local interpreter (only Lambda function ARNs and arn:aws:states:::lambda:invoke)`);
      } else if (LAMBDA_INVOKE_RESOURCES.includes(s.Resource)) {
        const p = s.Parameters;
        if (p === null || typeof p !== 'object' || (p.FunctionName === undefined && p['FunctionName.$'] === undefined)) {
          problems.push(`${at}: '${s.Resource}' needs Parameters.FunctionName`);
        }
      }
      checkTimeout(s.TimeoutSeconds, `${at}/TimeoutSeconds`, problems);
      if (s.TimeoutSeconds !== undefined && s.TimeoutSecondsPath !== undefined) problems.push(`${at}: use only one of TimeoutSeconds and TimeoutSecondsPath`);
      if (s.TimeoutSecondsPath !== undefined) checkPath(s.TimeoutSecondsPath, `${at}/TimeoutSecondsPath`, problems);
      validateRetry(s.Retry, at, problems);
      validateCatch(s.Catch, at, names, problems);
      break;
    case 'Fail':
      for (const f of ['Error', 'Cause']) {
        if (s[f] !== undefined && typeof s[f] !== 'string') problems.push(`${at}/${f}: must be a string`);
        if (s[f] !== undefined && s[`${f}Path`] !== undefined) problems.push(`${at}: use only one of ${f} and ${f}Path`);
        if (s[`${f}Path`] !== undefined) checkPath(s[`${f}Path`], `${at}/${f}Path`, problems);
      }
      break;
    case 'Wait': {
      const given = ['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'].filter((f) => s[f] !== undefined);
      if (given.length !== 1) problems.push(`${at}: a Wait state needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath`);
      if (s.Seconds !== undefined && !(Number.isInteger(s.Seconds) && s.Seconds >= 0)) problems.push(`${at}/Seconds: must be a non-negative integer`);
      if (s.Timestamp !== undefined && (typeof s.Timestamp !== 'string' || isNaN(Date.parse(s.Timestamp)))) problems.push(`${at}/Timestamp: must be an ISO-8601 timestamp`);
      for (const f of ['SecondsPath', 'TimestampPath']) if (s[f] !== undefined) checkPath(s[f], `${at}/${f}`, problems);
      break;
    }
    case 'Choice':
      if (!Array.isArray(s.Choices) || s.Choices.length === 0) {
        problems.push(`${at}: a Choice state needs a non-empty 'Choices' array`);
      } else {
        s.Choices.forEach((r: any, i: number) => {
          validateChoiceRule(r, `${at}/Choices/${i}`, true, problems);
          if (typeof r?.Next === 'string' && !names.includes(r.Next)) problems.push(`${at}/Choices/${i}: Next '${r.Next}' does not reference a state`);
        });
      }
      if (s.Default !== undefined && !names.includes(s.Default)) problems.push(`${at}: Default '${s.Default}' does not reference a state`);
      break;
    default:
      break;
  }
}

function allowedFields(type: string): Set<string> {
  const common = ['Type', 'Comment'];
  const io = ['InputPath', 'OutputPath'];
  const flow = ['Next', 'End'];
  switch (type) {
    case 'Task': return new Set([...common, ...io, ...flow, 'Resource', 'Parameters', 'ResultSelector', 'ResultPath', 'Retry', 'Catch',
      'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials']);
    case 'Pass': return new Set([...common, ...io, ...flow, 'Parameters', 'Result', 'ResultPath']);
    case 'Wait': return new Set([...common, ...io, ...flow, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath']);
    case 'Choice': return new Set([...common, ...io, 'Choices', 'Default']);
    case 'Succeed': return new Set([...common, ...io]);
    case 'Fail': return new Set([...common, 'Error', 'ErrorPath', 'Cause', 'CausePath']);
    default: return new Set(common);
  }
}

function validateRetry(retry: any, at: string, problems: string[]): void {
  if (retry === undefined) return;
  if (!Array.isArray(retry)) {
    problems.push(`${at}/Retry: must be an array`);
    return;
  }
  retry.forEach((r: any, i: number) => {
    const here = `${at}/Retry/${i}`;
    if (r === null || typeof r !== 'object') {
      problems.push(`${here}: a retrier must be an object`);
      return;
    }
    checkErrorEquals(r.ErrorEquals, here, i === retry.length - 1, problems);
    if (r.IntervalSeconds !== undefined && !(Number.isInteger(r.IntervalSeconds) && r.IntervalSeconds >= 1)) problems.push(`${here}/IntervalSeconds: must be a positive integer`);
    if (r.MaxAttempts !== undefined && !(Number.isInteger(r.MaxAttempts) && r.MaxAttempts >= 0)) problems.push(`${here}/MaxAttempts: must be a non-negative integer`);
    if (r.BackoffRate !== undefined && !(typeof r.BackoffRate === 'number' && r.BackoffRate >= 1)) problems.push(`${here}/BackoffRate: must be a number >= 1`);
    if (r.MaxDelaySeconds !== undefined && !(Number.isInteger(r.MaxDelaySeconds) && r.MaxDelaySeconds >= 1)) problems.push(`${here}/MaxDelaySeconds: must be a positive integer`);
    if (r.JitterStrategy !== undefined && !['FULL', 'NONE'].includes(r.JitterStrategy)) problems.push(`${here}/JitterStrategy: must be FULL or NONE`);
    for (const k of Object.keys(r)) {
      if (!['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment'].includes(k)) problems.push(`${here}: unknown field '${k}'`);
    }
  });
}

function validateCatch(catchers: any, at: string, names: string[], problems: string[]): void {
  if (catchers === undefined) return;
  if (!Array.isArray(catchers)) {
    problems.push(`${at}/Catch: must be an array`);
    return;
  }
  catchers.forEach((c: any, i: number) => {
    const here = `${at}/Catch/${i}`;
    if (c === null || typeof c !== 'object') {
      problems.push(`${here}: a catcher must be an object`);
      return;
    }
    checkErrorEquals(c.ErrorEquals, here, i === catchers.length - 1, problems);
    if (typeof c.Next !== 'string') problems.push(`${here}: missing 'Next'`);
    else if (!names.includes(c.Next)) problems.push(`${here}: Next '${c.Next}' does not reference a state`);
    if (c.ResultPath !== undefined && c.ResultPath !== null) checkPath(c.ResultPath, `${here}/ResultPath`, problems, '$');
    for (const k of Object.keys(c)) if (!['ErrorEquals', 'Next', 'ResultPath', 'Comment'].includes(k)) problems.push(`${here}: unknown field '${k}'`);
  });
}

function checkErrorEquals(errorEquals: any, at: string, isLast: boolean, problems: string[]): void {
  if (!Array.isArray(errorEquals) || errorEquals.length === 0 || !errorEquals.every((e) => typeof e === 'string')) {
    problems.push(`${at}/ErrorEquals: must be a non-empty array of strings`);
    return;
  }
  if (errorEquals.includes(StatesErrors.ALL) && (errorEquals.length > 1 || !isLast)) {
    problems.push(`${at}/ErrorEquals: 'States.ALL' must appear alone, in the last retrier/catcher`);
  }
}

function validateChoiceRule(r: any, at: string, top: boolean, problems: string[]): void {
  if (r === null || typeof r !== 'object' || Array.isArray(r)) {
    problems.push(`${at}: a choice rule must be an object`);
    return;
  }
  if (top && typeof r.Next !== 'string') problems.push(`${at}: a top-level choice rule needs 'Next'`);
  if (!top && r.Next !== undefined) problems.push(`${at}: a nested choice rule cannot have 'Next'`);
  if (Array.isArray(r.And) || Array.isArray(r.Or)) {
    const list = r.And ?? r.Or;
    if (list.length === 0) problems.push(`${at}: And/Or needs at least one rule`);
    list.forEach((x: any, i: number) => validateChoiceRule(x, `${at}/${r.And ? 'And' : 'Or'}/${i}`, false, problems));
    return;
  }
  if (r.Not !== undefined) {
    validateChoiceRule(r.Not, `${at}/Not`, false, problems);
    return;
  }
  if (typeof r.Variable !== 'string') {
    problems.push(`${at}: a choice rule needs 'Variable' (or And/Or/Not)`);
  } else {
    checkPath(r.Variable, `${at}/Variable`, problems);
  }
  const ops = Object.keys(r).filter((k) => COMPARATOR_NAMES.has(k));
  if (ops.length !== 1) {
    const unknown = Object.keys(r).filter((k) => !['Variable', 'Next', 'Comment'].includes(k) && !COMPARATOR_NAMES.has(k));
    problems.push(`${at}: a choice rule needs exactly one comparison operator${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`);
    return;
  }
  const op = ops[0];
  const kind = COMPARATORS.get(op)!;
  const v = r[op];
  const ok = kind === 'path' ? typeof v === 'string'
    : kind === 'timestamp' ? typeof v === 'string' && !isNaN(Date.parse(v))
      : typeof v === kind;
  if (!ok) problems.push(`${at}/${op}: expected a ${kind === 'path' ? 'path string' : kind}`);
  if (kind === 'path' && typeof v === 'string') checkPath(v, `${at}/${op}`, problems);
}

function checkTemplate(t: any, at: string, problems: string[]): void {
  if (Array.isArray(t)) {
    t.forEach((x, i) => checkTemplate(x, `${at}/${i}`, problems));
    return;
  }
  if (t === null || typeof t !== 'object') return;
  for (const [k, v] of Object.entries(t)) {
    if (k.endsWith('.$')) {
      if (typeof v !== 'string') problems.push(`${at}/${k}: the value of a '.$' field must be a path string`);
      else if (v.startsWith('States.')) problems.push(`${at}/${k}: intrinsic functions (${v.split('(')[0]}) are not supported by the local interpreter`);
      else checkPath(v, `${at}/${k}`, problems);
    } else {
      checkTemplate(v, `${at}/${k}`, problems);
    }
  }
}

function checkPath(p: any, at: string, problems: string[], mustRoot?: '$'): void {
  try {
    const parsed = parsePath(p);
    if (mustRoot && parsed.root !== mustRoot) problems.push(`${at}: must reference '$', not the context object`);
  } catch (e: any) {
    problems.push(`${at}: ${e.message}`);
  }
}

function checkTimeout(v: any, at: string, problems: string[]): void {
  if (v !== undefined && !(Number.isInteger(v) && v >= 1)) problems.push(`${at}: must be a positive integer`);
}
