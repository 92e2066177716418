import { compilePattern, InvalidEventPatternError, testEventPattern } from '../../src/services/events/pattern';

/** A minimal EventBridge envelope around `detail`. */
function event(detail: object, extra: object = {}): object {
  return {
    'id': '1',
    'source': 'test.source',
    'detail-type': 'Test',
    'account': '123456789012',
    'region': 'us-east-1',
    'time': '2022-07-13T13:48:01Z',
    'resources': [],
    detail,
    ...extra,
  };
}

/** The AWS reason of an invalid pattern, or a failure message when the pattern compiles. */
function reasonOf(pattern: string | object): string {
  try {
    compilePattern(pattern);
  } catch (e) {
    if (e instanceof InvalidEventPatternError) return e.reason;
    throw e;
  }
  return '<pattern compiled>';
}

describe('the error', () => {
  test('has the AWS error name and message shape', () => {
    // GIVEN a pattern whose leaf is not a list
    // WHEN it is compiled
    let error: unknown;
    try {
      compilePattern({ source: 'aws.s3' });
    } catch (e) {
      error = e;
    }
    // THEN the error is an InvalidEventPatternException with AWS's wording
    expect(error).toBeInstanceOf(InvalidEventPatternError);
    expect(error).toBeInstanceOf(Error);
    expect((error as InvalidEventPatternError).name).toBe('InvalidEventPatternException');
    expect((error as InvalidEventPatternError).message).toBe('Event pattern is not valid. Reason: "source" must be an object or an array');
  });

  test.each([
    ['not JSON', '{"source": [', /^Filter is not valid JSON: /],
    ['not an object', '["a"]', /^Filter is not an object$/],
    ['empty object', {}, /^Empty objects are not allowed$/],
    ['empty nested object', { detail: {} }, /^Empty objects are not allowed$/],
    ['empty list', { resources: [] }, /^Empty arrays are not allowed$/],
    ['bare string leaf', { string: 'my-value' }, /^"string" must be an object or an array$/],
    ['bare number leaf', { int: 42 }, /^"int" must be an object or an array$/],
    ['nested list', { a: [['x']] }, /^Match value must be String, number, true, false, or null$/],
    ['empty match expression', { a: [{}] }, /^Match expression name not found$/],
    ['unknown operator', { a: [{ regex: 'x' }] }, /^Unrecognized match type regex$/],
    ['operator in upper case', { a: [{ EXISTS: true }] }, /^Unrecognized match type EXISTS$/],
    ['two operators in one expression', { a: [{ prefix: 'a', suffix: 'b' }] }, /^Only one key allowed in match expression$/],
  ])('structure: %s', (_label, pattern, reason) => {
    expect(reasonOf(pattern)).toMatch(reason);
  });
});

describe('exact values', () => {
  test('strings match character for character, case and whitespace included', () => {
    const pattern = { detail: { s: ['A CamelCase 🚀 '] } };
    expect(testEventPattern(pattern, event({ s: 'A CamelCase 🚀 ' }))).toBe(true);
    expect(testEventPattern(pattern, event({ s: 'a camelcase 🚀 ' }))).toBe(false);
    expect(testEventPattern(pattern, event({ s: 'A CamelCase 🚀' }))).toBe(false);
  });

  test('numbers compare by value: 300 matches 300.0 and 3.0e2', () => {
    const pattern = '{"detail": {"n": [300]}}';
    expect(testEventPattern(pattern, JSON.parse('{"detail": {"n": 300.0}}'))).toBe(true);
    expect(testEventPattern(pattern, JSON.parse('{"detail": {"n": 3.0e2}}'))).toBe(true);
    expect(testEventPattern(pattern, event({ n: 300.5 }))).toBe(false);
  });

  test('numbers beyond the comparable range (account ids) still match exactly', () => {
    expect(testEventPattern({ detail: { account: [123456789012] } }, event({ account: 123456789012 }))).toBe(true);
    expect(testEventPattern({ detail: { account: [123456789012] } }, event({ account: 123456789013 }))).toBe(false);
  });

  test('types never cross: "300" is not 300, "null" is not null, "true" is not true', () => {
    expect(testEventPattern({ detail: { v: ['300'] } }, event({ v: 300 }))).toBe(false);
    expect(testEventPattern({ detail: { v: [300] } }, event({ v: '300' }))).toBe(false);
    expect(testEventPattern({ detail: { v: [null] } }, event({ v: 'null' }))).toBe(false);
    expect(testEventPattern({ detail: { v: [true] } }, event({ v: 'true' }))).toBe(false);
  });

  test('booleans and null match themselves', () => {
    expect(testEventPattern({ detail: { b: [false] } }, event({ b: false }))).toBe(true);
    expect(testEventPattern({ detail: { b: [false] } }, event({ b: true }))).toBe(false);
    expect(testEventPattern({ detail: { v: [null] } }, event({ v: null }))).toBe(true);
  });

  test('null matches an explicit null only, not a missing field nor an empty list', () => {
    expect(testEventPattern({ detail: { v: [null] } }, event({}))).toBe(false);
    expect(testEventPattern({ resources: [null] }, event({}, { resources: [] }))).toBe(false);
  });

  test('the empty string matches the empty string only', () => {
    expect(testEventPattern({ detail: { v: [''] } }, event({ v: '' }))).toBe(true);
    expect(testEventPattern({ detail: { v: [''] } }, event({ v: ' ' }))).toBe(false);
  });

  test('a value in the list matches if it equals ANY element of an event array', () => {
    const pattern = { resources: ['arn:b', 'arn:c'] };
    expect(testEventPattern(pattern, event({}, { resources: ['arn:a', 'arn:b'] }))).toBe(true);
    expect(testEventPattern(pattern, event({}, { resources: ['arn:a'] }))).toBe(false);
  });

  test('an IP address string matches any spelling of the same address', () => {
    const pattern = { detail: { ip: ['2001:db8::1'] } };
    expect(testEventPattern(pattern, event({ ip: '2001:0db8:0000:0000:0000:0000:0000:0001' }))).toBe(true);
    expect(testEventPattern(pattern, event({ ip: '2001:db8::2' }))).toBe(false);
  });

  test('field names are case sensitive', () => {
    expect(testEventPattern({ MY_KEY: ['v'] }, { my_key: 'v' })).toBe(false);
  });
});

describe('structure', () => {
  test('an object in the pattern descends into the event; a JSON string is not an object', () => {
    const pattern = { detail: { 'my-key': ['my-value'] } };
    expect(testEventPattern(pattern, { detail: { 'my-key': 'my-value' } })).toBe(true);
    expect(testEventPattern(pattern, { detail: '{"my-key": "my-value"}' })).toBe(false);
  });

  test('nested names are joined with dots, on both sides', () => {
    expect(testEventPattern({ detail: { 'state.status': ['running'] } }, { detail: { state: { status: 'running' } } })).toBe(true);
    expect(testEventPattern({ detail: { state: { status: ['running'] } } }, { detail: { 'state.status': 'running' } })).toBe(true);
    expect(testEventPattern({ detail: { state: { status: ['running'] } } }, { detail: { 'state.status': { status: 'running' } } })).toBe(false);
  });

  test('a pattern object matches objects inside an event array', () => {
    const pattern = { detail: { items: { id: [{ exists: true }] } } };
    expect(testEventPattern(pattern, { detail: { items: [{ k: 1 }, { id: 'x' }] } })).toBe(true);
    expect(testEventPattern(pattern, { detail: { items: [{ k: 1 }] } })).toBe(false);
  });

  test('fields taken from objects of one array must come from the same element', () => {
    const pattern = { a: { b: [1], c: [4] } };
    expect(testEventPattern(pattern, { a: [{ b: 1, c: 2 }, { b: 3, c: 4 }] })).toBe(false);
    expect(testEventPattern(pattern, { a: [{ b: 1, c: 2 }, { b: 1, c: 4 }] })).toBe(true);
  });

  test('every field of the pattern must match (AND)', () => {
    const pattern = { source: ['order'], detail: { n: [1] } };
    expect(testEventPattern(pattern, { source: 'order', detail: { n: 1 } })).toBe(true);
    expect(testEventPattern(pattern, { source: 'order', detail: { n: 2 } })).toBe(false);
  });

  test('a key repeated in the JSON text keeps its last value', () => {
    const pattern = '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}';
    expect(testEventPattern(pattern, { detail: { location: 'eu-central-1' } })).toBe(true);
    expect(testEventPattern(pattern, { detail: { location: 'us-east' } })).toBe(false);
  });
});

describe('$or', () => {
  const pattern = {
    source: ['s'],
    detail: {
      $or: [
        { c: [{ numeric: ['>', 0, '<=', 5] }] },
        { d: [{ numeric: ['<', 10] }] },
      ],
    },
  };

  test('matches when any alternative matches, together with the other fields', () => {
    expect(testEventPattern(pattern, { source: 's', detail: { c: 0, d: 9 } })).toBe(true);
    expect(testEventPattern(pattern, { source: 's', detail: { c: 3, d: 99 } })).toBe(true);
    expect(testEventPattern(pattern, { source: 's', detail: { c: 0, d: 99 } })).toBe(false);
    expect(testEventPattern(pattern, { source: 'x', detail: { c: 3, d: 9 } })).toBe(false);
  });

  test('nested $or', () => {
    const nested = { $or: [{ a: ['1'] }, { $or: [{ b: ['2'] }, { c: ['3'] }] }] };
    expect(testEventPattern(nested, { c: '3' })).toBe(true);
    expect(testEventPattern(nested, { d: '4' })).toBe(false);
  });

  test.each([
    ['not a list', { $or: { a: ['1'] } }, 'It must be an Array followed with $or.'],
    ['one alternative', { $or: [{ a: ['1'] }] }, 'There must have at least 2 Objects in $or relationship.'],
    ['a non-object alternative', { $or: [{ a: ['1'] }, ['b']] }, 'Only JSON object is allowed in array of $or relationship.'],
    ['an operator name as field', { $or: [{ a: ['1'] }, { prefix: ['b'] }] }, 'prefix is Ruler reserved fieldName which cannot be used inside $or.'],
  ])('rejects %s', (_label, p, reason) => {
    expect(reasonOf(p)).toBe(reason);
  });
});

describe('prefix', () => {
  test('matches the start of string values only', () => {
    expect(testEventPattern({ time: [{ prefix: '2022-07-13' }] }, event({}))).toBe(true);
    expect(testEventPattern({ time: [{ prefix: '2022-07-99' }] }, event({}))).toBe(false);
    expect(testEventPattern({ detail: { n: [{ prefix: '12' }] } }, event({ n: 123 }))).toBe(false);
  });

  test('the empty prefix matches every string, but not a number', () => {
    expect(testEventPattern({ source: [{ prefix: '' }] }, event({}))).toBe(true);
    expect(testEventPattern({ detail: { n: [{ prefix: '' }] } }, event({ n: 1 }))).toBe(false);
  });

  test('prefix with equals-ignore-case', () => {
    const pattern = { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } };
    expect(testEventPattern(pattern, event({ service: 'eVeNtBridge' }))).toBe(true);
    expect(testEventPattern(pattern, event({ service: 'Event' }))).toBe(false);
  });

  test.each([
    [{ prefix: 123 }, 'prefix match pattern must be a string'],
    [{ prefix: ['a'] }, 'prefix match pattern must be a string'],
    [{ prefix: {} }, 'Prefix expression name not found'],
    [{ prefix: { suffix: 'a' } }, 'Unsupported prefix pattern: suffix'],
    [{ prefix: { 'equals-ignore-case': 1 } }, 'equals-ignore-case match pattern must be a string'],
  ])('rejects %j', (expression, reason) => {
    expect(reasonOf({ a: [expression] })).toBe(reason);
  });
});

describe('suffix', () => {
  test('matches the end of string values, case sensitive', () => {
    expect(testEventPattern({ f: [{ suffix: '.png' }] }, { f: 'image.png' })).toBe(true);
    expect(testEventPattern({ f: [{ suffix: '.PNG' }] }, { f: 'image.png' })).toBe(false);
    expect(testEventPattern({ f: [{ suffix: '' }] }, { f: 'x' })).toBe(true);
  });

  test('suffix with equals-ignore-case', () => {
    const pattern = { f: [{ suffix: { 'equals-ignore-case': '.png' } }] };
    expect(testEventPattern(pattern, { f: 'image.PnG' })).toBe(true);
    expect(testEventPattern(pattern, { f: 'image.jpg' })).toBe(false);
  });

  test.each([
    [{ suffix: 123 }, 'suffix match pattern must be a string'],
    [{ suffix: ['.png'] }, 'suffix match pattern must be a string'],
    [{ suffix: { prefix: 'a' } }, 'Unsupported suffix pattern: prefix'],
  ])('rejects %j', (expression, reason) => {
    expect(reasonOf({ a: [expression] })).toBe(reason);
  });
});

describe('equals-ignore-case', () => {
  test('matches strings regardless of case, whole value only', () => {
    const pattern = { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] };
    expect(testEventPattern(pattern, { 'detail-type': 'EC2 Instance State-change Notification' })).toBe(true);
    expect(testEventPattern(pattern, { 'detail-type': 'EC2 Instance State-change' })).toBe(false);
    expect(testEventPattern({ a: [{ 'equals-ignore-case': 'ÄBC' }] }, { a: 'äbc' })).toBe(true);
  });

  test.each([[123], [['a']], [{ prefix: 'ec2' }]])('rejects the operand %j', (operand) => {
    expect(reasonOf({ a: [{ 'equals-ignore-case': operand }] })).toBe('equals-ignore-case match pattern must be a string');
  });
});

describe('wildcard', () => {
  test('* matches any sequence, including an empty one and one containing the separators', () => {
    const pattern = { f: [{ wildcard: '/Users/*/doc.txt' }] };
    expect(testEventPattern(pattern, { f: '/Users/me/dir/dir/doc.txt' })).toBe(true);
    expect(testEventPattern(pattern, { f: '/Users//doc.txt' })).toBe(true);
    expect(testEventPattern(pattern, { f: '/Users/me/notdoc.txt' })).toBe(false);
  });

  test('a literal part repeated after * is found at the right place', () => {
    const pattern = { f: [{ wildcard: '/Users/*/dir/dir/doc.txt' }] };
    expect(testEventPattern(pattern, { f: '/Users/me/dir/dir/dir/doc.txt' })).toBe(true);
    expect(testEventPattern(pattern, { f: '/Users/me/dir/dir/other/doc.txt' })).toBe(false);
  });

  test('escapes: \\* is a literal star, \\\\ a literal backslash', () => {
    expect(testEventPattern({ f: [{ wildcard: 'a\\*b' }] }, { f: 'a*b' })).toBe(true);
    expect(testEventPattern({ f: [{ wildcard: 'a\\*b' }] }, { f: 'axb' })).toBe(false);
    expect(testEventPattern({ f: [{ wildcard: 'a\\\\b*' }] }, { f: 'a\\bc' })).toBe(true);
  });

  test('the empty wildcard matches only the empty string; numbers never match', () => {
    expect(testEventPattern({ f: [{ wildcard: '' }] }, { f: '' })).toBe(true);
    expect(testEventPattern({ f: [{ wildcard: '' }] }, { f: 'x' })).toBe(false);
    expect(testEventPattern({ f: [{ wildcard: '*' }] }, { f: 1 })).toBe(false);
  });

  test.each([
    ['arn:aws:events:us-east-1:**:event-bus/*', 'Consecutive wildcard characters at pos 25'],
    ['é**', 'Consecutive wildcard characters at pos 2'], // UTF-8 byte offset
    ['a\\b', 'Invalid escape character at pos 1'],
    ['*:*:*:*:*:event-bus/*', 'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character'],
  ])('rejects %s', (wildcard, reason) => {
    expect(reasonOf({ f: [{ wildcard }] })).toBe(reason);
  });

  test('a few wildcards are within the complexity limit', () => {
    expect(reasonOf({ f: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] })).toBe('<pattern compiled>');
    expect(reasonOf({ f: [{ wildcard: '*:*:*:*:event-bus/*' }] })).toBe('<pattern compiled>');
  });

  test.each([[123], [['a*']], [null]])('rejects the operand %j', (operand) => {
    expect(reasonOf({ f: [{ wildcard: operand }] })).toBe('wildcard match pattern must be a string');
  });
});

describe('anything-but', () => {
  test('single string: matches any other value, including other types and null', () => {
    const pattern = { detail: { state: [{ 'anything-but': 'initializing' }] } };
    expect(testEventPattern(pattern, event({ state: 'pending' }))).toBe(true);
    expect(testEventPattern(pattern, event({ state: 'initializing' }))).toBe(false);
    expect(testEventPattern(pattern, event({ state: 12 }))).toBe(true);
    expect(testEventPattern(pattern, event({ state: null }))).toBe(true);
  });

  test('does not match a missing field', () => {
    expect(testEventPattern({ detail: { state: [{ 'anything-but': 'x' }] } }, event({}))).toBe(false);
    expect(testEventPattern({ detail: { state: [{ 'anything-but': { prefix: 'x' } }] } }, event({}))).toBe(false);
  });

  test('numbers: excluded by value, strings are never excluded by a number', () => {
    const pattern = { detail: { x: [{ 'anything-but': [100, 200, 300] }] } };
    expect(testEventPattern(pattern, event({ x: 999 }))).toBe(true);
    expect(testEventPattern(pattern, JSON.parse('{"detail": {"x": 300.0}}'))).toBe(false);
    expect(testEventPattern(pattern, event({ x: '300' }))).toBe(true);
    expect(testEventPattern({ detail: { x: [{ 'anything-but': 123 }] } }, event({ x: 123 }))).toBe(false);
  });

  test('string list', () => {
    const pattern = { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } };
    expect(testEventPattern(pattern, event({ state: 'stopped' }))).toBe(false);
    expect(testEventPattern(pattern, event({ state: 'running' }))).toBe(true);
  });

  test('with an event array: matches if any element is not excluded', () => {
    const pattern = { detail: { s: [{ 'anything-but': 'a' }] } };
    expect(testEventPattern(pattern, event({ s: ['a', 'b'] }))).toBe(true);
    expect(testEventPattern(pattern, event({ s: ['a', 'a'] }))).toBe(false);
  });

  test('prefix and prefix list', () => {
    expect(testEventPattern({ s: [{ 'anything-but': { prefix: 'init' } }] }, { s: 'post-init' })).toBe(true);
    expect(testEventPattern({ s: [{ 'anything-but': { prefix: 'init' } }] }, { s: 'initial' })).toBe(false);
    expect(testEventPattern({ s: [{ 'anything-but': { prefix: ['init', 'test'] } }] }, { s: 'testing' })).toBe(false);
    expect(testEventPattern({ s: [{ 'anything-but': { prefix: ['init', 'test'] } }] }, { s: null })).toBe(true);
  });

  test('suffix', () => {
    expect(testEventPattern({ f: [{ 'anything-but': { suffix: '.txt' } }] }, { f: 'file.txt' })).toBe(false);
    expect(testEventPattern({ f: [{ 'anything-but': { suffix: ['.txt', '.jpg'] } }] }, { f: 'file.txt.bak' })).toBe(true);
  });

  test('equals-ignore-case and its list', () => {
    expect(testEventPattern({ s: [{ 'anything-but': { 'equals-ignore-case': 'Stopped' } }] }, { s: 'STOPPED' })).toBe(false);
    expect(testEventPattern({ s: [{ 'anything-but': { 'equals-ignore-case': ['a', 'b'] } }] }, { s: 'C' })).toBe(true);
  });

  test('wildcard and its list', () => {
    expect(testEventPattern({ p: [{ 'anything-but': { wildcard: '*/dir/*' } }] }, { p: 'dir/init/file' })).toBe(true);
    expect(testEventPattern({ p: [{ 'anything-but': { wildcard: '*/dir/*' } }] }, { p: 'a/dir/b' })).toBe(false);
    expect(testEventPattern({ p: [{ 'anything-but': { wildcard: ['x*', '*/dir/*'] } }] }, { p: 123 })).toBe(true);
  });

  test.each([
    [null, 'Value of anything-but must be an array or single string/number value.'],
    [true, 'Value of anything-but must be an array or single string/number value.'],
    [['stopped', null], 'Inside anything but list, start|null|boolean is not supported.'],
    [['a', 1], 'Inside anything but list, either all values are number or string, mixed type is not supported'],
    [[], 'Inside anything but list, either all values are number or string, mixed type is not supported'],
    [[6e9], 'Value must be between -5.0E9 and 5.0E9, inclusive'],
    [{}, 'Anything-But expression name not found'],
    [{ numeric: ['>', 1] }, 'Unsupported anything-but pattern: numeric'],
    [{ 'equals-ignore-case': 123 }, 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
    [{ 'equals-ignore-case': [123, 456] }, 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.'],
    [{ prefix: '' }, 'Null prefix/suffix not allowed'],
    [{ suffix: [''] }, 'Null prefix/suffix not allowed'],
    [{ prefix: { 'equals-ignore-case': 'file' } }, 'Value of anything-but must be an array or single string/number value.'],
    [{ suffix: 123 }, 'prefix/suffix match pattern must be a string'],
    [{ suffix: [123, '.txt'] }, 'prefix/suffix match pattern must be a string'],
    [{ wildcard: 1 }, 'wildcard match pattern must be a string'],
    [{ wildcard: 'a**' }, 'Consecutive wildcard characters at pos 1'],
  ])('rejects the operand %j', (operand, reason) => {
    expect(reasonOf({ s: [{ 'anything-but': operand }] })).toBe(reason);
  });
});

describe('numeric', () => {
  test.each([
    [['<', 200], 100, true], [['<', 200], 200, false],
    [['<=', 200], 200, true], [['<=', 200], 201, false],
    [['>', 200], 201, true], [['>', 200], 200, false],
    [['>=', 200], 200, true], [['>=', 200], 199, false],
    [['=', 301.8], 301.8, true], [['=', 301.8], 301.9, false],
    [['>', 0, '<=', 5], 5, true], [['>', 0, '<=', 5], 0, false],
    [['>=', 200, '<', 500], 200, true], [['>=', 200, '<', 500], 500, false],
    [['>', 100], 101.0, true], [['=', 300], 3.0e2, true],
  ])('%j with %p → %p', (range, value, expected) => {
    expect(testEventPattern({ n: [{ numeric: range }] }, { n: value })).toBe(expected);
  });

  test('only JSON numbers match: not numeric strings, not null, not a missing field', () => {
    const pattern = { n: [{ numeric: ['>', 100] }] };
    expect(testEventPattern(pattern, { n: '300' })).toBe(false);
    expect(testEventPattern(pattern, { n: null })).toBe(false);
    expect(testEventPattern(pattern, {})).toBe(false);
  });

  test('precision is six decimal places', () => {
    expect(testEventPattern({ n: [{ numeric: ['=', 1.0000001] }] }, { n: 1.0000002 })).toBe(true);
    expect(testEventPattern({ n: [{ numeric: ['=', 1.000001] }] }, { n: 1.000002 })).toBe(false);
  });

  test('event values beyond ±5e9 never match a range', () => {
    expect(testEventPattern({ n: [{ numeric: ['>', 0] }] }, { n: 6e9 })).toBe(false);
  });

  test.each([
    [10, 'Value of numeric must be an array.'],
    [[], 'Invalid member in numeric match: ]'],
    [[5], 'Invalid member in numeric match: 5'],
    [['!=', 5], 'Unrecognized numeric range operator: !='],
    [['=', '5'], 'Value of equals must be numeric'],
    [['=', 5, '<', 6], 'Too many elements in numeric expression'],
    [['<', 5, '>', 1], 'Too many elements in numeric expression'],
    [['>', 0, '>', 0], 'Bad numeric range operator: >'],
    [['>', 0, 5], 'Bad value in numeric range: 5'],
    [['>', 0, '<'], 'Value of < must be numeric'],
    [['>', 0, '<', 5, 6], 'Too many terms in numeric range expression'],
    [['>', 5, '<', 5], 'Bottom must be less than top'],
    [['>=', 10, '<=', 1], 'Bottom must be less than top'],
    [['>', 5e9 + 1], 'Value must be between -5.0E9 and 5.0E9, inclusive'],
  ])('rejects %j', (operand, reason) => {
    expect(reasonOf({ n: [{ numeric: operand }] })).toBe(reason);
  });

  test('rejects an upper-case operator name', () => {
    expect(reasonOf({ n: [{ NUMERIC: ['=', 5] }] })).toBe('Unrecognized match type NUMERIC');
  });
});

describe('exists', () => {
  test('exists: true needs a leaf value; null is a leaf', () => {
    expect(testEventPattern({ detail: { s: [{ exists: true }] } }, event({ s: 'pending' }))).toBe(true);
    expect(testEventPattern({ detail: { s: [{ exists: true }] } }, event({ s: null }))).toBe(true);
    expect(testEventPattern({ detail: { s: [{ exists: true }] } }, event({}))).toBe(false);
  });

  test('exists: true does not match an object or an empty list (leaf nodes only)', () => {
    expect(testEventPattern({ d: { k: [{ exists: true }] } }, { d: { k: { S: 'v' } } })).toBe(false);
    expect(testEventPattern({ resources: [{ exists: true }] }, { resources: [] })).toBe(false);
  });

  test('exists: false matches a missing field only', () => {
    const pattern = { a: { b: [{ exists: false }] } };
    expect(testEventPattern(pattern, { a: { c: 1 } })).toBe(true);
    expect(testEventPattern(pattern, {})).toBe(true);
    expect(testEventPattern(pattern, { a: { b: 'x' } })).toBe(false);
    expect(testEventPattern(pattern, { a: { b: null } })).toBe(false);
  });

  test('in a list with other operators, exists: false is one more alternative', () => {
    const pattern = { h: { S: [{ 'anything-but': ['roses'] }, { exists: false }] } };
    expect(testEventPattern(pattern, { h: { S: 'ABCD' } })).toBe(true);
    expect(testEventPattern(pattern, { h: { N: '1' } })).toBe(true);
    expect(testEventPattern(pattern, { h: { S: 'roses' } })).toBe(false);
  });

  test('several operators in one list: any one matching is enough', () => {
    const pattern = { k: [{ exists: true }, { prefix: 'IGNORED' }] };
    expect(testEventPattern(pattern, { k: 'my-value' })).toBe(true);
    expect(testEventPattern({ n: [{ numeric: ['>', 100] }, { 'anything-but': '101' }] }, { n: '42' })).toBe(true);
    expect(testEventPattern({ n: [{ numeric: ['>', 100] }, { 'anything-but': '101' }] }, { n: '101' })).toBe(false);
  });

  test.each([['true'], [1], [null]])('rejects the operand %j', (operand) => {
    expect(reasonOf({ k: [{ exists: operand }] })).toBe('exists match pattern must be either true or false.');
  });
});

describe('cidr', () => {
  test('IPv4', () => {
    const pattern = { ip: [{ cidr: '10.0.0.0/24' }] };
    expect(testEventPattern(pattern, { ip: '10.0.0.255' })).toBe(true);
    expect(testEventPattern(pattern, { ip: '10.0.1.0' })).toBe(false);
    expect(testEventPattern(pattern, { ip: 123 })).toBe(false);
    expect(testEventPattern(pattern, { ip: 'not an ip' })).toBe(false);
  });

  test('IPv6, any spelling of the address', () => {
    const pattern = { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] };
    expect(testEventPattern(pattern, { ip: '2001:0db8:1234:1a00:0000:0000:0000:0000' })).toBe(true);
    expect(testEventPattern(pattern, { ip: '2001:db8:1234:1a00:ffff:ffff:ffff:ffff' })).toBe(true);
    expect(testEventPattern(pattern, { ip: '2001:0db8:123f:1a01::' })).toBe(false);
    expect(testEventPattern(pattern, { ip: '10.0.0.1' })).toBe(false);
  });

  test('the block starts at the address as written (host bits are not cleared)', () => {
    const pattern = { ip: [{ cidr: '10.0.0.7/24' }] };
    expect(testEventPattern(pattern, { ip: '10.0.0.7' })).toBe(true);
    expect(testEventPattern(pattern, { ip: '10.0.0.200' })).toBe(true);
    expect(testEventPattern(pattern, { ip: '10.0.0.6' })).toBe(false);
  });

  test.each([
    [['bad-type'], 'prefix match pattern must be a string'],
    ['10.0.0.0', "Malformed CIDR, one '/' required"],
    ['bad-/64filter', 'Malformed CIDR, mask bits must be an integer'],
    ['10.0.0.0/-1', 'Malformed CIDR, mask bits must not be negative'],
    ['xx.11.xx/8', 'Nonstandard IP address: xx.11.xx'],
    ['xxxx:db8:1234:1a00::/64', 'Nonstandard IP address: xxxx:db8:1234:1a00::'],
    ['10.0.0.256/8', 'Invalid IP address: 10.0.0.256'],
    ['10.0.0.0/32', 'IPv4 mask bits must be < 32'],
    ['2001:db8::/128', 'IPv6 mask bits must be < 128'],
  ])('rejects %j', (operand, reason) => {
    expect(reasonOf({ ip: [{ cidr: operand }] })).toBe(reason);
  });
});

describe('compilePattern', () => {
  test('accepts JSON text and objects alike, and a compiled pattern is reusable', () => {
    const fromText = compilePattern('{"source": ["a"]}');
    const fromObject = compilePattern({ source: ['a'] });
    for (const compiled of [fromText, fromObject]) {
      expect(compiled.matches({ source: 'a' })).toBe(true);
      expect(compiled.matches({ source: 'b' })).toBe(false);
      expect(compiled.matches({ source: 'a' })).toBe(true);
    }
  });
});
