import { StatesError, StatesErrors } from './error-handling';

/** One step of a parsed path: an object key or an array index. */
export type PathStep = { readonly key: string } | { readonly index: number };

export interface ParsedPath {
  /** `$` (the state's data) or `$$` (the context object) */
  readonly root: '$' | '$$';
  readonly steps: readonly PathStep[];
}

/**
 * Parses the JSONPath subset supported here: `$`, `$$`, `$.a.b`, `$.a[0]`, `$['a b']`, `$$.Execution.Id`.
 * Throws an Error (with a readable message) for anything else (wildcards, filters, slices, `..`).
 */
export function parsePath(path: string): ParsedPath {
  if (typeof path !== 'string') throw new Error(`path must be a string, got ${JSON.stringify(path)}`);
  let i: number;
  let root: '$' | '$$';
  if (path.startsWith('$$')) {
    root = '$$';
    i = 2;
  } else if (path.startsWith('$')) {
    root = '$';
    i = 1;
  } else {
    throw new Error(`path '${path}' must start with '$'`);
  }
  const steps: PathStep[] = [];
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      if (path[i + 1] === '.') throw new Error(`path '${path}': recursive descent '..' is not supported`);
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      const key = path.slice(i + 1, j);
      if (key === '') throw new Error(`path '${path}': empty field name`);
      if (key === '*') throw new Error(`path '${path}': wildcards are not supported`);
      steps.push({ key });
      i = j;
    } else if (c === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) throw new Error(`path '${path}': unclosed '['`);
      const inner = path.slice(i + 1, close).trim();
      const quoted = /^'([^']*)'$/.exec(inner) ?? /^"([^"]*)"$/.exec(inner);
      if (quoted) {
        steps.push({ key: quoted[1] });
      } else if (/^\d+$/.test(inner)) {
        steps.push({ index: Number(inner) });
      } else {
        throw new Error(`path '${path}': '[${inner}]' is not supported (only [N] and ['name'])`);
      }
      i = close + 1;
    } else {
      throw new Error(`path '${path}': unexpected '${c}' at ${i}`);
    }
  }
  return { root, steps };
}

const NOT_FOUND = Symbol('not found');

function walk(value: unknown, steps: readonly PathStep[]): unknown {
  let cur: unknown = value;
  for (const s of steps) {
    if ('key' in s) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, s.key)) return NOT_FOUND;
      cur = (cur as Record<string, unknown>)[s.key];
    } else {
      if (!Array.isArray(cur) || s.index >= cur.length) return NOT_FOUND;
      cur = cur[s.index];
    }
  }
  return cur;
}

/** Reads `path` from the state data (`$...`) or the context object (`$$...`); `undefined` when it matches nothing. */
export function tryReadPath(path: string, data: unknown, context: unknown): { found: true; value: unknown } | { found: false } {
  const p = parsePath(path);
  const v = walk(p.root === '$' ? data : context, p.steps);
  return v === NOT_FOUND ? { found: false } : { found: true, value: v };
}

/** Reads `path`, raising `error` (default States.Runtime) when nothing matches. */
export function readPath(path: string, data: unknown, context: unknown, error: string = StatesErrors.Runtime, what = 'path'): unknown {
  const r = tryReadPath(path, data, context);
  if (!r.found) {
    throw new StatesError(error, `Invalid ${what} '${path}': the path did not match any element of the input ${truncate(JSON.stringify(data))}`);
  }
  return r.value;
}

/** Places `result` into a copy of `input` at `resultPath` (`null`: keep the input, `$`: the result). */
export function applyResultPath(input: unknown, resultPath: string | null | undefined, result: unknown): unknown {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  const p = parsePath(resultPath);
  if (p.root !== '$') throw new StatesError(StatesErrors.ResultPathMatchFailure, `ResultPath '${resultPath}' must reference '$'`);
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new StatesError(StatesErrors.ResultPathMatchFailure,
      `Unable to apply ResultPath "${resultPath}" to input ${truncate(JSON.stringify(input))}: the input is not an object`);
  }
  const root: Record<string, unknown> = clone(input) as Record<string, unknown>;
  let cur: any = root;
  p.steps.forEach((s, n) => {
    const last = n === p.steps.length - 1;
    if (!('key' in s)) {
      throw new StatesError(StatesErrors.ResultPathMatchFailure, `ResultPath '${resultPath}': array indexes are not supported in a ResultPath`);
    }
    if (last) {
      cur[s.key] = result;
    } else {
      const next = cur[s.key];
      if (next === undefined) {
        cur[s.key] = {};
      } else if (next === null || typeof next !== 'object' || Array.isArray(next)) {
        throw new StatesError(StatesErrors.ResultPathMatchFailure,
          `Unable to apply ResultPath "${resultPath}": '${s.key}' is not an object`);
      }
      cur = cur[s.key];
    }
  });
  return root;
}

/**
 * Resolves a payload template (`Parameters`, `ResultSelector`, lambda:invoke `Payload`): fields whose name ends
 * in `.$` take the value at their path (the `.$` is dropped); everything else is copied.
 */
export function resolveTemplate(template: unknown, data: unknown, context: unknown): unknown {
  if (Array.isArray(template)) return template.map((t) => resolveTemplate(t, data, context));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(template as Record<string, unknown>)) {
    if (k.endsWith('.$')) {
      const name = k.slice(0, -2);
      if (typeof v !== 'string') throw new StatesError(StatesErrors.Runtime, `The value of field '${k}' must be a path string`);
      if (v.startsWith('States.')) {
        throw new StatesError(StatesErrors.Runtime, `Intrinsic function '${v}' in field '${k}' is not supported by the local interpreter`);
      }
      out[name] = readPath(v, data, context, StatesErrors.Runtime, `JSONPath for field '${k}'`);
    } else {
      out[k] = resolveTemplate(v, data, context);
    }
  }
  return out;
}

export function clone<T>(v: T): T {
  return v === undefined ? v : JSON.parse(JSON.stringify(v));
}

function truncate(s: string | undefined, n = 200): string {
  if (s === undefined) return 'undefined';
  return s.length > n ? `${s.slice(0, n)}...` : s;
}
