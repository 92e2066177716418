import * as fs from 'node:fs';
import * as path from 'node:path';
import { isSupportedType, PROVIDERS, providerOf, SUPPORTED_TYPES } from '../../../src/stacks/providers';
import { unsupported } from '../../../src/stacks/providers/accepted-only';
import { customResource } from '../../../src/stacks/providers/custom-resource';
import { NON_SQS_EVENT_SOURCE_MAPPING } from '../../../src/stacks/providers/lambda-event-source-mapping';

const PROVIDERS_DIR = path.join(__dirname, '..', '..', '..', 'src', 'stacks', 'providers');
const README = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');

/** The README paragraph that lists the deployed resource types. */
function supportedTypesParagraph(): string {
  const start = README.indexOf('Deployed from the assembly');
  const end = README.indexOf('Intrinsics:', start);
  expect(start).toBeGreaterThan(0);
  expect(end).toBeGreaterThan(start);
  return README.slice(start, end);
}

/** Whether the paragraph names a type: in full, or as `+Name` / `/ Name` after its service's full type. */
function names(paragraph: string, type: string): boolean {
  if (paragraph.includes(`\`${type}\``)) return true;
  const [, service, name] = type.split('::');
  return paragraph.includes(`AWS::${service}::`) && new RegExp(`(\\+|/ )\`${name}\``).test(paragraph);
}

describe('the resource provider registry', () => {
  test('its keys are the supported types', () => {
    expect(SUPPORTED_TYPES).toEqual(Object.keys(PROVIDERS));
    for (const type of SUPPORTED_TYPES) expect(isSupportedType(type)).toBe(true);
  });

  test.each([
    ['Custom::Anything', true],
    ['AWS::CloudFormation::CustomResource', true],
    ['AWS::Glue::Database', false],
    ['toString', false],
    ['constructor', false],
  ])('isSupportedType(%s) is %s', (type, supported) => {
    expect(isSupportedType(type)).toBe(supported);
  });

  test('a custom type gets the custom resource provider, an unknown one the placeholder', () => {
    expect(providerOf('Custom::Thing')).toBe(customResource);
    expect(providerOf('AWS::Glue::Database')).toBe(unsupported);
    expect(unsupported.emulated).toBe(false);
    expect(Object.values(PROVIDERS)).not.toContain(unsupported);
  });

  test('every provider file is registered', () => {
    // GIVEN every ResourceProvider exported by a file of providers/
    const registered = new Set(Object.values(PROVIDERS));
    const exported = fs.readdirSync(PROVIDERS_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts').flatMap((f) => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const module = require(path.join(PROVIDERS_DIR, f));
      return Object.entries<any>(module).filter(([, v]) => typeof v?.create === 'function').map(([k, v]) => [`${f}:${k}`, v] as const);
    });
    expect(exported.length).toBeGreaterThan(20);
    // THEN each is in the registry (but the placeholder of unknown types)
    expect(exported.filter(([, v]) => v !== unsupported && !registered.has(v)).map(([k]) => k)).toEqual([]);
  });

  test('the non-SQS event source mapping is an explicit, named placeholder', () => {
    const mapping = PROVIDERS['AWS::Lambda::EventSourceMapping'];
    const resources = { Q: { Type: 'AWS::SQS::Queue' }, S: { Type: 'AWS::DynamoDB::Table' } };
    const of = (arn: unknown) => mapping.placeholder!({ Type: 'AWS::Lambda::EventSourceMapping', Properties: { EventSourceArn: arn } }, resources);
    expect(of({ 'Fn::GetAtt': ['Q', 'Arn'] })).toBeUndefined();
    expect(of('arn:aws:sqs:us-east-1:000000000000:imported')).toBeUndefined();
    expect(of({ 'Fn::GetAtt': ['S', 'StreamArn'] })).toBe(NON_SQS_EVENT_SOURCE_MAPPING);
  });
});

describe('the README lists the registry', () => {
  test('every supported type is named in the README', () => {
    const paragraph = supportedTypesParagraph();
    expect(SUPPORTED_TYPES.filter((t) => !names(paragraph, t))).toEqual([]);
  });

  test('every type the README names as deployed is registered', () => {
    const named = [...supportedTypesParagraph().matchAll(/`(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)`/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(15);
    expect(named.filter((t) => !isSupportedType(t))).toEqual([]);
  });

  test('the check fails on a type the README does not name', () => {
    expect(names(supportedTypesParagraph(), 'AWS::SQS::Nothing')).toBe(false);
    expect(names(supportedTypesParagraph(), 'AWS::IAM::ManagedPolicy')).toBe(true);
  });
});
