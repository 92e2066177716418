import * as fs from 'fs';
import * as path from 'path';
import JSON5 from 'json5';

/*
 * AWS conformance: every case under ../shared/conformance/eventbridge-patterns (next to the repo, never
 * copied into it) was validated against the real TestEventPattern API. File name suffixes:
 *   none → the pattern matches the event; _NEG → it does not; _EXC → InvalidEventPatternException.
 * Most files are JSON5 `{"Event": …, "EventPattern": …}`. One case is a pair of plain JSON files,
 * `<name>_event.json` + `<name>_event_pattern.json`, because its pattern repeats a key (which JSON5
 * readers and objects cannot keep): its pattern is passed as raw text.
 */
export const CASES_DIR = path.resolve(__dirname, '../../../../shared/conformance/eventbridge-patterns');

export type Expected = 'match' | 'no match' | 'invalid';

export interface ConformanceCase {
  readonly name: string;
  /** The folder's files this case reads. */
  readonly files: readonly string[];
  readonly expected: Expected;
  readonly event: object;
  readonly pattern: string | object;
}

const PAIR_EVENT = /^(.+)_event\.json$/;

function expectedOf(name: string): Expected {
  if (name.endsWith('_EXC')) return 'invalid';
  if (name.endsWith('_NEG')) return 'no match';
  return 'match';
}

export function loadCases(dir: string): { cases: ConformanceCase[]; files: string[] } {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json5') || f.endsWith('.json')).sort();
  const read = (file: string): string => fs.readFileSync(path.join(dir, file), 'utf8');
  const cases: ConformanceCase[] = [];
  for (const file of files) {
    if (file.endsWith('.json5')) {
      const doc = JSON5.parse<{ Event: object; EventPattern: string | object }>(read(file));
      const name = file.slice(0, -'.json5'.length);
      cases.push({ name, files: [file], expected: expectedOf(name), event: doc.Event, pattern: doc.EventPattern });
      continue;
    }
    const pair = PAIR_EVENT.exec(file);
    if (pair) {
      const patternFile = `${pair[1]}_event_pattern.json`;
      cases.push({
        name: pair[1],
        files: [file, patternFile],
        expected: expectedOf(pair[1]),
        event: JSON.parse(read(file)) as object,
        pattern: read(patternFile), // raw text: keeps AWS's "last duplicate key wins" observable
      });
    }
  }
  return { cases, files };
}

