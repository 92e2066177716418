import * as fs from 'fs';
import { CASES_DIR, ConformanceCase, Expected, loadCases } from './conformance-cases';
import { compilePattern, InvalidEventPatternError } from '../../src/services/events/pattern';

// AWS conformance cases (see conformance-cases.ts), run against the pattern engine directly.
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
