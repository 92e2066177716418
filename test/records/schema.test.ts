import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { FAILURE_RECORD, resultEvent, snsLambdaEvent, sqsEvent, sqsMessage, snsEnvelope, SUCCESS_RECORD, ZERO_CONCURRENCY_RECORD } from './deliveries';
import { InvocationCondition, InvocationRecord, InvocationResultEvent } from '../../src';
import { unwrapRecord } from '../../src/records';

const ROOT = path.join(__dirname, '..', '..');
const readSchema = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', name), 'utf-8'));
const RECORD_SCHEMA = readSchema('invocation-record.schema.json');
const EVENT_SCHEMA = readSchema('invocation-result-event.schema.json');

// strictSchema: an unknown keyword is an error. strictTypes and strictRequired are off because the
// conditional subschemas (if/then) constrain properties declared at the top level
const ajv = new Ajv({ allErrors: true, strictSchema: true, strictTypes: false, strictTuples: false, strictRequired: false });
ajv.addSchema(RECORD_SCHEMA, 'invocation-record.schema.json');
const validateRecord = ajv.getSchema('invocation-record.schema.json')!;
const validateEvent = ajv.compile(EVENT_SCHEMA);

function errors(validate: typeof validateRecord, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

// The AWS behaviour spec, with the records recorded on AWS, lives beside the repository in CI.
const SPEC = path.join(ROOT, '..', 'shared', 'AWS-SEMANTICS.md');
const spec = fs.existsSync(SPEC) ? fs.readFileSync(SPEC, 'utf-8') : undefined;
const withSpec = spec ? test : test.skip;

describe('the invocation record schema', () => {
  withSpec('GIVEN the record recorded on AWS (AWS-SEMANTICS.md) WHEN validated THEN it conforms', () => {
    const block = spec!.split('## The invocation record')[1].match(/```json\n([\s\S]*?)```/)![1];
    const recorded = JSON.parse(block);
    expect(recorded.requestContext.condition).toBe('RetriesExhausted');
    expect(errors(validateRecord, recorded)).toEqual([]);
  });

  test.each<[string, InvocationRecord]>([
    ['a success record', SUCCESS_RECORD],
    ['a failure record', FAILURE_RECORD],
    ['a ZeroReservedConcurrency record', ZERO_CONCURRENCY_RECORD],
  ])('GIVEN %s, as each delivery kind carries it, WHEN unwrapped and validated THEN it conforms', (_, record) => {
    const deliveries = [record, JSON.stringify(record), sqsMessage(JSON.stringify(snsEnvelope(record))),
      sqsEvent(JSON.stringify(resultEvent(record))), snsLambdaEvent(record)];
    for (const delivery of deliveries) {
      expect(errors(validateRecord, unwrapRecord(delivery))).toEqual([]);
    }
  });

  const broken = (change: (r: any) => void, base: InvocationRecord = SUCCESS_RECORD) => {
    const copy = JSON.parse(JSON.stringify(base));
    change(copy);
    return copy;
  };
  test.each<[string, unknown, string]>([
    ['an unknown condition', broken((r) => { r.requestContext.condition = 'Maybe'; }), '/requestContext/condition must be equal to one of the allowed values'],
    ['an unqualified functionArn', broken((r) => { r.requestContext.functionArn = 'arn:aws:lambda:us-east-1:111111111111:function:my-fn'; }), '/requestContext/functionArn must match pattern'],
    ['four attempts', broken((r) => { r.requestContext.approximateInvokeCount = 4; }), '/requestContext/approximateInvokeCount must be <= 3'],
    ['version 2.0', broken((r) => { r.version = '2.0'; }), '/version must be equal to constant'],
    ['a local timestamp', broken((r) => { r.timestamp = '2025-11-24 23:08:25'; }), '/timestamp must match pattern'],
    ['no requestPayload', broken((r) => { delete r.requestPayload; }), "/ must have required property 'requestPayload'"],
    ['a success with functionError', broken((r) => { r.responseContext.functionError = 'Unhandled'; }), '/responseContext must NOT be valid'],
    ['a success without responseContext', broken((r) => { delete r.responseContext; }), "/ must have required property 'responseContext'"],
    ['a failure without functionError', broken((r) => { delete r.responseContext.functionError; }, FAILURE_RECORD), "/responseContext must have required property 'functionError'"],
    ['a failure with 0 attempts', broken((r) => { r.requestContext.approximateInvokeCount = 0; }, FAILURE_RECORD), '/requestContext/approximateInvokeCount must be >= 1'],
    ['ZeroReservedConcurrency with a response', broken((r) => { r.responseContext = { statusCode: 200, executedVersion: '$LATEST' }; }, ZERO_CONCURRENCY_RECORD), '/ must NOT be valid'],
    ['ZeroReservedConcurrency after an attempt', broken((r) => { r.requestContext.approximateInvokeCount = 1; }, ZERO_CONCURRENCY_RECORD), '/requestContext/approximateInvokeCount must be equal to constant'],
  ])('GIVEN a record with %s WHEN validated THEN it is rejected', (_, record, message) => {
    expect(errors(validateRecord, record).join('\n')).toContain(message);
  });

  test('GIVEN the schema and InvocationCondition WHEN compared THEN they list the same conditions', () => {
    expect(RECORD_SCHEMA.properties.requestContext.properties.condition.enum).toEqual(InvocationCondition.ALL);
  });
});

describe('the invocation result event schema', () => {
  withSpec('GIVEN the envelope recorded on AWS (AWS-SEMANTICS.md) WHEN compared THEN the schema requires exactly its keys', () => {
    const envelope = spec!.match(/Envelope:\s*`(\{[^`]*\})`/)![1];
    const keys = envelope.slice(1, -1).split(',').map((part) => part.match(/"([^"]+)"/)![1]);
    expect(EVENT_SCHEMA.required).toEqual(keys);
  });

  test.each<[string, InvocationRecord]>([
    ['a success record', SUCCESS_RECORD],
    ['a failure record', FAILURE_RECORD],
  ])('GIVEN an event bus destination\'s event for %s WHEN validated THEN it conforms', (_, record) => {
    expect(errors(validateEvent, resultEvent(record))).toEqual([]);
  });

  test.each<[string, unknown, string]>([
    ['source aws.s3', { ...resultEvent(SUCCESS_RECORD), source: 'aws.s3' }, '/source must be equal to constant'],
    ['a Success detail-type around a failure record', { ...resultEvent(FAILURE_RECORD), 'detail-type': InvocationResultEvent.SUCCESS_DETAIL_TYPE }, '/detail/requestContext/condition must be equal to constant'],
    ['a Failure detail-type around a success record', { ...resultEvent(SUCCESS_RECORD), 'detail-type': InvocationResultEvent.FAILURE_DETAIL_TYPE }, '/detail/requestContext/condition must NOT be valid'],
    ['only the bus in resources', { ...resultEvent(SUCCESS_RECORD), resources: ['arn:aws:events:us-east-1:111111111111:event-bus/default'] }, '/resources must NOT have fewer than 2 items'],
    ['a malformed record as detail', { ...resultEvent(SUCCESS_RECORD), detail: { hello: 'world' } }, "/detail must have required property 'requestContext'"],
  ])('GIVEN an event with %s WHEN validated THEN it is rejected', (_, event, message) => {
    expect(errors(validateEvent, event).join('\n')).toContain(message);
  });

  test('GIVEN the schema and InvocationResultEvent WHEN compared THEN source and detail-types agree', () => {
    expect(EVENT_SCHEMA.properties.source.const).toBe(InvocationResultEvent.SOURCE);
    expect(EVENT_SCHEMA.properties['detail-type'].enum).toEqual([InvocationResultEvent.SUCCESS_DETAIL_TYPE, InvocationResultEvent.FAILURE_DETAIL_TYPE]);
  });
});

test('GIVEN the npm package WHEN packed THEN it ships both schemas', () => {
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString());
  const files: string[] = packed[0].files.map((f: { path: string }) => f.path);
  expect(files).toEqual(expect.arrayContaining(['schema/invocation-record.schema.json', 'schema/invocation-result-event.schema.json']));
});
