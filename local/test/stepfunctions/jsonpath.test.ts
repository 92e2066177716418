/**
 * The JSONPath reference paths of src/services/stepfunctions/jsonpath.ts, on the cases where a
 * general JSONPath library answers differently from Step Functions (measured against
 * jsonpath-plus 11.3.0, see local/README.md, Step Functions): a path names own JSON members and
 * array elements only, never a JavaScript property such as `length`, and `[N]` indexes arrays only.
 */
import { applyResultPath, readPath, StatesError, tryReadPath } from '../../src/services/stepfunctions';

const DATA = {
  'a': null, 'arr': [{ id: 1 }], 'obj': { 0: 'zero' }, 'a b': 1, 'a.b': 2, 'a-b': 3, 'n': { m: { k: 'deep' } }, 's': 'str', 'e': {},
};

describe('reading a path', () => {
  test.each([
    ['$', DATA],
    ['$.a', null],
    ['$.arr[0].id', 1],
    ["$['a b']", 1],
    ['$["a.b"]', 2],
    ['$.a-b', 3],
    ['$.n.m.k', 'deep'],
    ['$.e', {}],
  ])('%s finds %j', (path, value) => {
    expect(tryReadPath(path, DATA, {})).toEqual({ found: true, value });
  });

  test.each([
    '$.missing', '$.arr[5]', '$.a.b',
    // JavaScript properties are not JSON members (jsonpath-plus answers 1 and 3 for the first two)
    '$.arr.length', '$.s.length', '$.constructor', '$.e.toString', '$.__proto__',
    // [N] indexes arrays only (jsonpath-plus answers "zero")
    '$.obj[0]',
  ])('%s finds nothing', (path) => {
    expect(tryReadPath(path, DATA, {})).toEqual({ found: false });
  });

  test('$$ reads the context object', () => {
    expect(tryReadPath('$$.Execution.Id', DATA, { Execution: { Id: 'arn' } })).toEqual({ found: true, value: 'arn' });
  });

  test('a path that finds nothing is a States.Runtime error naming the path', () => {
    expect(() => readPath('$.arr.length', DATA, {})).toThrow(StatesError);
    expect(() => readPath('$.arr.length', DATA, {})).toThrow(/Invalid path '\$\.arr\.length'/);
  });

  test.each(['$.arr[*].id', '$..id', '$.arr[?(@.id==1)]', '$.arr[0:1]'])('%s is refused with the reason, not answered wrongly', (path) => {
    expect(() => tryReadPath(path, DATA, {})).toThrow(/not supported/);
  });
});

test('ResultPath places the result into a copy of the input, creating objects on the way', () => {
  const input = { keep: 1, n: {} };
  expect(applyResultPath(input, '$.n.x.y', 'r')).toEqual({ keep: 1, n: { x: { y: 'r' } } });
  expect(input).toEqual({ keep: 1, n: {} });
  expect(() => applyResultPath(input, '$.keep.z', 'r')).toThrow(/'keep' is not an object/);
});
