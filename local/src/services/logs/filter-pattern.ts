import { invalidParameter } from './errors';

/** A compiled filter pattern: does a message match? */
export type MessageFilter = (message: string) => boolean;

/**
 * Compiles the subset of CloudWatch Logs filter pattern syntax the local cloud supports:
 *
 * - empty: every event;
 * - terms: `ERROR timeout` (every term must appear; case-sensitive, as on AWS), `"quoted phrase"`,
 *   `?ERROR ?WARN` (at least one of the `?` terms), `-DEBUG` / `-"a phrase"` (must not appear);
 * - JSON: `{ $.key = "value" }`, `{ $.a.b != value }` (`*` a wildcard in strings), numeric
 *   `=, !=, <, <=, >, >=`, `{ $.x IS NULL }`, `{ $.x NOT EXISTS }`, `{ $.x IS TRUE }`, joined by
 *   `&&` or `||` (no parentheses); matches only messages that are JSON objects.
 *
 * Anything else (space-delimited `[...]` patterns, `%regex%`, parentheses, unbalanced quotes) is
 * an InvalidParameterException naming the pattern.
 */
export function compileFilterPattern(pattern: string | undefined): MessageFilter {
  const text = (pattern ?? '').trim();
  if (text === '') return () => true;
  const bad = (why: string) => invalidParameter(`Invalid filter pattern '${pattern}': ${why} (the local cloud supports terms, "phrases", ?alternatives, -exclusions and { $.json = ... } patterns)`);
  if (text.startsWith('{')) return compileJson(text, bad);
  if (text.startsWith('[')) throw bad('space-delimited [ ] patterns are not supported');
  if (text.startsWith('%')) throw bad('regular expressions (%...%) are not supported');
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const token of tokens(text, bad)) {
    const target = token.kind === '?' ? any : token.kind === '-' ? none : all;
    target.push(token.text);
  }
  if (all.length === 0 && any.length === 0 && none.length > 0) throw bad('an exclusion needs a term to match');
  return (m) => all.every((t) => m.includes(t)) && (any.length === 0 || any.some((t) => m.includes(t))) && !none.some((t) => m.includes(t));
}

interface Token {
  readonly kind: '' | '?' | '-';
  readonly text: string;
}

function tokens(text: string, bad: (why: string) => Error): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i])) {
      i++;
      continue;
    }
    let kind: Token['kind'] = '';
    if (text[i] === '?' || text[i] === '-') kind = text[i++] as Token['kind'];
    if (text[i] === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) throw bad('unbalanced quotes');
      const phrase = text.slice(i + 1, end);
      if (phrase === '') throw bad('an empty phrase');
      out.push({ kind, text: phrase });
      i = end + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j])) j++;
    const term = text.slice(i, j);
    if (term === '') throw bad(`'${kind}' needs a term after it`);
    const odd = /["{}[\]()%]/.exec(term);
    if (odd) throw bad(`the term '${term}' holds '${odd[0]}': quote it`);
    out.push({ kind, text: term });
    i = j;
  }
  return out;
}

type JsonTest = (doc: unknown) => boolean;

const COMPARISON = /^\$((?:\.[A-Za-z0-9_$@-]+|\[\d+\])+)\s*(=|!=|<=|>=|<|>)\s*(.+)$/s;
const UNARY = /^\$((?:\.[A-Za-z0-9_$@-]+|\[\d+\])+)\s+(IS NULL|NOT EXISTS|IS TRUE|IS FALSE)$/;

function compileJson(text: string, bad: (why: string) => Error): MessageFilter {
  if (!text.endsWith('}')) throw bad('a JSON pattern must end with }');
  const body = text.slice(1, -1).trim();
  if (body === '') throw bad('an empty JSON pattern');
  if (/[()]/.test(body.replace(/"[^"]*"/g, '""'))) throw bad('parentheses in JSON patterns are not supported');
  const alternatives = splitOutsideQuotes(body, '||').map((alt) => splitOutsideQuotes(alt, '&&').map((c) => condition(c.trim(), bad)));
  const test: JsonTest = (doc) => alternatives.some((conds) => conds.every((c) => c(doc)));
  return (m) => {
    const doc = parseObject(m);
    return doc !== undefined && test(doc);
  };
}

function condition(text: string, bad: (why: string) => Error): JsonTest {
  const unary = UNARY.exec(text);
  if (unary) {
    const get = selector(unary[1]);
    switch (unary[2]) {
      case 'IS NULL': return (d) => get(d) === null;
      case 'NOT EXISTS': return (d) => get(d) === undefined;
      case 'IS TRUE': return (d) => get(d) === true;
      default: return (d) => get(d) === false;
    }
  }
  const m = COMPARISON.exec(text);
  if (!m) throw bad(`'${text}' is not a $.selector comparison`);
  const get = selector(m[1]);
  const op = m[2];
  const raw = m[3].trim();
  const num = Number(raw);
  if (raw !== '' && !raw.startsWith('"') && Number.isFinite(num)) {
    return (d) => {
      const v = get(d);
      if (typeof v !== 'number') return op === '!=' && v !== undefined;
      switch (op) {
        case '=': return v === num;
        case '!=': return v !== num;
        case '<': return v < num;
        case '<=': return v <= num;
        case '>': return v > num;
        default: return v >= num;
      }
    };
  }
  if (op !== '=' && op !== '!=') throw bad(`'${op}' compares numbers only, got ${raw}`);
  let str = raw;
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"')) throw bad('unbalanced quotes');
    str = raw.slice(1, -1);
  } else if (/\s/.test(raw)) {
    throw bad(`the value '${raw}' holds spaces: quote it`);
  }
  const re = new RegExp(`^${str.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return (d) => {
    const v = get(d);
    if (v === undefined || (typeof v === 'object' && v !== null)) return op === '!=' && v !== undefined;
    const match = re.test(String(v));
    return op === '=' ? match : !match;
  };
}

/** `$.a.b[0]` as a getter; undefined where the path leads nowhere. */
function selector(path: string): (doc: unknown) => unknown {
  const steps = [...path.matchAll(/\.([A-Za-z0-9_$@-]+)|\[(\d+)\]/g)].map((s) => s[1] ?? Number(s[2]));
  return (doc) => {
    let v: any = doc;
    for (const s of steps) {
      if (v === null || typeof v !== 'object') return undefined;
      v = typeof s === 'number' ? (Array.isArray(v) ? v[s] : undefined) : (Object.prototype.hasOwnProperty.call(v, s) ? v[s] : undefined);
    }
    return v;
  };
}

function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"') {quoted = !quoted;} else if (!quoted && text.startsWith(sep, i)) {
      parts.push(text.slice(start, i));
      start = i + sep.length;
      i += sep.length - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function parseObject(message: string): object | undefined {
  const t = message.trim();
  if (!t.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(t);
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}
