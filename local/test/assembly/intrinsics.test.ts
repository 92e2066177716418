import { AssemblyError } from '../../src/assembly/cloud-assembly';
import { Resolver, ResolvedResource } from '../../src/assembly/intrinsics';

function resolver(extra: Partial<{ conditions: Record<string, unknown>; parameters: Record<string, unknown>; exports: Map<string, unknown> }> = {}) {
  const resources = new Map<string, ResolvedResource>([
    ['Queue', { ref: 'http://127.0.0.1:1/000000000000/q', attributes: { Arn: 'arn:aws:sqs:us-east-1:000000000000:q', QueueName: 'q' } }],
  ]);
  return new Resolver({
    stackName: 'S',
    stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/S/1',
    accountId: '000000000000',
    region: 'us-east-1',
    parameters: { Stage: 'dev', ...extra.parameters },
    conditions: extra.conditions ?? {},
    resources,
    exports: extra.exports ?? new Map(),
  });
}

test.each<[string, unknown, unknown]>([
  ['Ref to a resource', { Ref: 'Queue' }, 'http://127.0.0.1:1/000000000000/q'],
  ['Ref to a parameter', { Ref: 'Stage' }, 'dev'],
  ['pseudo parameters', ['AWS::AccountId', 'AWS::Region', 'AWS::Partition', 'AWS::URLSuffix', 'AWS::StackName'].map((p) => ({ Ref: p })),
    ['000000000000', 'us-east-1', 'aws', 'amazonaws.com', 'S']],
  ['GetAtt (array and dotted)', [{ 'Fn::GetAtt': ['Queue', 'Arn'] }, { 'Fn::GetAtt': 'Queue.QueueName' }], ['arn:aws:sqs:us-east-1:000000000000:q', 'q']],
  ['Join', { 'Fn::Join': ['-', ['a', { Ref: 'Stage' }, 1]] }, 'a-dev-1'],
  ['Sub with refs, attributes, variables and ${!literal}', { 'Fn::Sub': ['${AWS::Region}/${Queue.QueueName}/${X}/${!Y}', { X: { Ref: 'Stage' } }] }, 'us-east-1/q/dev/${Y}'],
  ['Select + Split', { 'Fn::Select': [5, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Queue', 'Arn'] }] }] }, 'q'],
  ['Base64', { 'Fn::Base64': 'hi' }, 'aGk='],
  ['AWS::NoValue removes a key', { A: 1, B: { Ref: 'AWS::NoValue' } }, { A: 1 }],
])('%s', (_name, input, expected) => {
  expect(resolver().resolve(input)).toEqual(expected);
});

test('Fn::If with Conditions built from Equals, Not, And, Or and Condition', () => {
  const r = resolver({
    conditions: {
      IsDev: { 'Fn::Equals': [{ Ref: 'Stage' }, 'dev'] },
      NotDev: { 'Fn::Not': [{ Condition: 'IsDev' }] },
      Both: { 'Fn::And': [{ Condition: 'IsDev' }, { 'Fn::Equals': ['a', 'a'] }] },
      Either: { 'Fn::Or': [{ Condition: 'NotDev' }, { Condition: 'Both' }] },
    },
  });
  expect(r.resolve({ 'Fn::If': ['IsDev', 'yes', 'no'] })).toBe('yes');
  expect(r.resolve({ 'Fn::If': ['NotDev', 'yes', { Ref: 'AWS::NoValue' }] })).toBeUndefined();
  expect(r.condition('Both')).toBe(true);
  expect(r.condition('Either')).toBe(true);
});

test('ImportValue reads exports of stacks deployed before', () => {
  expect(resolver({ exports: new Map([['Shared', 'v']]) }).resolve({ 'Fn::ImportValue': 'Shared' })).toBe('v');
  expect(() => resolver().resolve({ 'Fn::ImportValue': 'Missing' }, 'Outputs.X')).toThrow(new AssemblyError('stack S: Outputs.X: No export named Missing found'));
});

test.each<[string, unknown, RegExp]>([
  ['a Ref to nothing', { Ref: 'Nope' }, /Ref to Nope, which is not a parameter or a deployed resource/],
  ['an unknown attribute', { 'Fn::GetAtt': ['Queue', 'Nope'] }, /resource Queue has no attribute Nope/],
  ['an unsupported intrinsic', { 'Fn::Transform': {} }, /intrinsic Fn::Transform is not supported/],
  ['Select out of range', { 'Fn::Select': [3, ['a']] }, /Fn::Select index 3 out of range/],
])('rejects %s with a clear message', (_name, input, message) => {
  expect(() => resolver().resolve(input, 'Resources.R.Properties')).toThrow(message);
});
