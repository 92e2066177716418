/**
 * What a rule target receives: the whole event, a constant `Input`, the part of the event an
 * `InputPath` selects, or an `InputTransformer` template filled from `InputPathsMap`.
 */

/** A rule target's input settings, as in the template and the API. */
export interface TargetInput {
  readonly Input?: string;
  readonly InputPath?: string;
  readonly InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
}

/** Thrown for a JSONPath EventBridge does not accept. */
export class InvalidJsonPathError extends Error {}

/**
 * Evaluates the JSONPath subset EventBridge accepts in InputPath / InputPathsMap: `$`, `.key`,
 * `['key']`, `[n]`. undefined when the path selects nothing.
 */
export function selectPath(doc: unknown, jsonPath: string): unknown {
  if (!jsonPath.startsWith('$')) throw new InvalidJsonPathError(`${jsonPath} is not a valid JSONPath`);
  const re = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/gy;
  let pos = 1;
  let cur: unknown = doc;
  while (pos < jsonPath.length) {
    re.lastIndex = pos;
    const m = re.exec(jsonPath);
    if (!m) throw new InvalidJsonPathError(`${jsonPath} is not a valid JSONPath`);
    pos = re.lastIndex;
    if (cur === null || typeof cur !== 'object') return undefined;
    if (m[2] !== undefined) {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[Number(m[2])];
    } else {
      const key = m[1] ?? m[3] ?? m[4];
      cur = Array.isArray(cur) ? undefined : (cur as Record<string, unknown>)[key];
    }
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Extra placeholders EventBridge defines for every input template. */
export interface TemplateContext {
  readonly ruleName: string;
  readonly ruleArn: string;
  readonly ingestionTime: string;
}

/**
 * Fills an InputTemplate as EventBridge does: inside a JSON string literal a string value is
 * inserted as its text (other values as their JSON); outside, every value as its JSON; a path that
 * selects nothing gives `null` (outside quotes) or nothing (inside).
 */
export function fillTemplate(template: string, values: Record<string, unknown>): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === '\\' && inString) {
      out += ch + (template[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') {
      inString = !inString;
      out += ch;
      continue;
    }
    if (ch === '<') {
      const end = template.indexOf('>', i);
      const name = end > i ? template.slice(i + 1, end) : '';
      if (end > i && Object.prototype.hasOwnProperty.call(values, name)) {
        const v = values[name];
        if (inString) out += v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
        else out += v === undefined ? 'null' : JSON.stringify(v);
        i = end;
        continue;
      }
    }
    out += ch;
  }
  return out;
}

/** The text a target receives for one event (the event JSON when no input setting is given). */
export function targetInput(target: TargetInput, event: Record<string, unknown>, ctx: TemplateContext): string | undefined {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) {
    const v = selectPath(event, target.InputPath);
    return v === undefined ? undefined : JSON.stringify(v);
  }
  if (target.InputTransformer) {
    const values: Record<string, unknown> = {
      'aws.events.rule-name': ctx.ruleName,
      'aws.events.rule-arn': ctx.ruleArn,
      'aws.events.event.ingestion-time': ctx.ingestionTime,
      'aws.events.event': event,
      'aws.events.event.json': event,
    };
    for (const [name, p] of Object.entries(target.InputTransformer.InputPathsMap ?? {})) values[name] = selectPath(event, p);
    return fillTemplate(target.InputTransformer.InputTemplate, values);
  }
  return JSON.stringify(event);
}
