import { compileFilterPolicy, FilterPolicyError } from '../../../src/services/sns/filter-policy';

const attrs = (a: Record<string, [string, string]>) =>
  Object.fromEntries(Object.entries(a).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }]));

describe('MessageAttributes scope', () => {
  test.each([
    ['exact string', { color: ['red'] }, { color: ['String', 'red'] }, true],
    ['exact string, other value', { color: ['red'] }, { color: ['String', 'blue'] }, false],
    ['missing attribute', { color: ['red'] }, {}, false],
    ['numeric range on a Number', { size: [{ numeric: ['>', 10, '<=', 20] }] }, { size: ['Number', '15'] }, true],
    ['numeric range outside', { size: [{ numeric: ['>', 10] }] }, { size: ['Number', '3'] }, false],
    ['String.Array: any element', { tags: ['b'] }, { tags: ['String.Array', '["a","b"]'] }, true],
    ['String.Array: none', { tags: ['z'] }, { tags: ['String.Array', '["a","b"]'] }, false],
    ['prefix', { id: [{ prefix: 'ord-' }] }, { id: ['String', 'ord-7'] }, true],
    ['anything-but', { color: [{ 'anything-but': ['red'] }] }, { color: ['String', 'red'] }, false],
    ['exists false', { color: [{ exists: false }] }, {}, true],
    ['two keys: both must match', { a: ['1'], b: ['2'] }, { a: ['String', '1'], b: ['String', '3'] }, false],
  ])('%s', (_name, policy, attributes, expected) => {
    // GIVEN a compiled policy WHEN a message with those attributes is tested THEN it passes or not
    expect(compileFilterPolicy(JSON.stringify(policy)).matches('body', attrs(attributes as Record<string, [string, string]>))).toBe(expected);
  });

  test('Binary attributes are not seen by the policy', () => {
    const policy = compileFilterPolicy({ b: [{ exists: true }] });
    expect(policy.matches('x', { b: { DataType: 'Binary', BinaryValue: 'AA==' } })).toBe(false);
  });
});

describe('MessageBody scope', () => {
  test('matches nested keys of a JSON body; a body that is not JSON never matches', () => {
    const policy = compileFilterPolicy({ order: { kind: ['book'] } }, 'MessageBody');
    expect(policy.matches(JSON.stringify({ order: { kind: 'book' } }), {})).toBe(true);
    expect(policy.matches(JSON.stringify({ order: { kind: 'pen' } }), {})).toBe(false);
    expect(policy.matches('not json', {})).toBe(false);
  });
});

describe('rejected policies', () => {
  test.each([
    ['a nested policy in the MessageAttributes scope', { a: { b: ['x'] } }, 'MessageAttributes', /does not support nested/],
    ['wildcard, which SNS does not have', { a: [{ wildcard: 'x*' }] }, 'MessageAttributes', /Unrecognized match type wildcard/],
    ['what the pattern engine rejects', { a: 'x' }, 'MessageAttributes', /cannot be evaluated by the local cloud/],
    ['an unknown scope', { a: ['x'] }, 'Body', /FilterPolicyScope/],
    ['not JSON', '{', 'MessageAttributes', /failed to parse JSON/],
  ])('%s', (_name, policy, scope, message) => {
    expect(() => compileFilterPolicy(typeof policy === 'string' ? policy : JSON.stringify(policy), scope)).toThrow(FilterPolicyError);
    expect(() => compileFilterPolicy(typeof policy === 'string' ? policy : JSON.stringify(policy), scope)).toThrow(message);
  });
});
