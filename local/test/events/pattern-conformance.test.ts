import * as fs from 'fs';
import * as path from 'path';
import JSON5 from 'json5';
import { compilePattern, InvalidEventPatternError } from '../../src/services/events/pattern';

/*
 * AWS conformance: every case under ../shared/conformance/eventbridge-patterns (next to the repo, never
 * copied into it) was validated against the real TestEventPattern API. File name suffixes:
 *   none → the pattern matches the event; _NEG → it does not; _EXC → InvalidEventPatternException.
 * Most files are JSON5 `{"Event": …, "EventPattern": …}`. One case is a pair of plain JSON files,
 * `<name>_event.json` + `<name>_event_pattern.json`, because its pattern repeats a key (which JSON5
 * readers and objects cannot keep): its pattern is passed as raw text.
 */
const CASES_DIR = path.resolve(__dirname, '../../../../shared/conformance/eventbridge-patterns');

type Expected = 'match' | 'no match' | 'invalid';

interface ConformanceCase {
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

function loadCases(dir: string): { cases: ConformanceCase[]; files: string[] } {
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

function evaluate(c: ConformanceCase): Expected {
  try {
    return compilePattern(c.pattern).matches(c.event) ? 'match' : 'no match';
  } catch (e) {
    if (e instanceof InvalidEventPatternError) return 'invalid';
    throw e;
  }
}

if (!fs.existsSync(CASES_DIR)) {
  describe.skip(`EventBridge pattern conformance (skipped: ${CASES_DIR} not found)`, () => {
    test('cases', () => undefined);
  });
} else {
  const { cases, files } = loadCases(CASES_DIR);

  describe('EventBridge pattern conformance (validated against AWS TestEventPattern)', () => {
    test('every file of the folder belongs to exactly one case', () => {
      const used = cases.flatMap((c) => c.files).sort();
      expect(used).toEqual(files);
      expect(files.length).toBeGreaterThan(0);
    });

    test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      expect(evaluate(c)).toBe(c.expected);
    });
  });
}
