import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import {
  FAILURE_RECORD, resultEvent, s3NotificationEvent, snsEnvelope, snsLambdaEvent, sqsEvent, sqsMessage,
  SUCCESS_RECORD, ZERO_CONCURRENCY_RECORD,
} from './deliveries';
import { InvocationRecord } from '../../src';
import { InvocationRecordError, unwrapRecord, unwrapRecords } from '../../src/records';

describe('unwrapRecords', () => {
  const json = (v: unknown) => JSON.stringify(v);

  test.each<[string, (r: InvocationRecord) => unknown]>([
    ['a Lambda destination payload (the record itself)', (r) => r],
    ['an S3 object body (text)', (r) => json(r)],
    ['an S3 object body (bytes)', (r) => Buffer.from(json(r), 'utf-8')],
    ['a ReceiveMessage message (SQS destination)', (r) => sqsMessage(json(r))],
    ['a ReceiveMessage output', (r) => ({ Messages: [sqsMessage(json(r))], $metadata: {} })],
    ['a Lambda SQS event', (r) => sqsEvent(json(r))],
    ['one record of a Lambda SQS event', (r) => (sqsEvent(json(r)).Records as unknown[])[0]],
    ['an SNS notification received by SQS (not raw)', (r) => sqsMessage(json(snsEnvelope(r)))],
    ['an SNS notification in a Lambda SQS event', (r) => sqsEvent(json(snsEnvelope(r)))],
    ['an SNS notification received by SQS (raw delivery)', (r) => sqsMessage(json(r))],
    ['an SNS notification', (r) => snsEnvelope(r)],
    ['an SNS → Lambda event', (r) => snsLambdaEvent(r)],
    ['an EventBridge event (event bus destination)', (r) => resultEvent(r)],
    ['an EventBridge event delivered by a rule to SQS', (r) => sqsMessage(json(resultEvent(r)))],
  ])('GIVEN %s WHEN unwrapped THEN each kind of record comes out whole', (_, deliver) => {
    for (const record of [SUCCESS_RECORD, FAILURE_RECORD, ZERO_CONCURRENCY_RECORD]) {
      expect(unwrapRecords(deliver(record))).toEqual([record]);
      expect(unwrapRecord(deliver(record))).toEqual(record);
    }
  });

  test('GIVEN a batch of SQS messages WHEN unwrapped THEN the records come out in delivery order', () => {
    const event = sqsEvent(json(SUCCESS_RECORD), json(snsEnvelope(FAILURE_RECORD)), json(resultEvent(ZERO_CONCURRENCY_RECORD)));
    expect(unwrapRecords(event)).toEqual([SUCCESS_RECORD, FAILURE_RECORD, ZERO_CONCURRENCY_RECORD]);
    expect(() => unwrapRecord(event)).toThrow('expected one invocation record, got 3: use unwrapRecords() for batches');
    expect(unwrapRecords({ Records: [] })).toEqual([]);
  });

  test('GIVEN the requestPayload is a string WHEN unwrapped THEN it stays a string', () => {
    expect(unwrapRecord(sqsMessage(json(ZERO_CONCURRENCY_RECORD))).requestPayload).toBe('a string event');
  });

  test.each<[string, unknown, RegExp]>([
    ['undefined', undefined, /^delivery: not an invocation record or a delivery of one, got undefined$/],
    ['null', null, /got null$/],
    ['a number', 42, /got 42$/],
    ['text that is not JSON', '{"version":', /^delivery: not JSON, got "\{\\"version\\":"$/],
    ['bytes that are not UTF-8', Uint8Array.from([0xff, 0xfe]), /^delivery: not UTF-8 text, got 2 bytes$/],
    ['an unrelated object', { hello: 'world' }, /got an object with keys hello$/],
    ['an SQS message with another body', sqsMessage('{"orderId":"o-1"}', 'm-42'), /^SQS message m-42 \(JSON\): not an invocation record or a delivery of one, got an object with keys orderId$/],
    ['an EventBridge event of another kind', { 'detail-type': 'Object Created', 'source': 'aws.s3', 'detail': {} }, /not an invocation result, got detail-type "Object Created"$/],
    ['a result event from another source', { ...resultEvent(SUCCESS_RECORD), source: 'my.app' }, /must have source "lambda", got "my.app"$/],
    ['an S3 event notification', s3NotificationEvent('archive', 'aws/lambda/async/my-fn/2025/11/24/x'),
      /an S3 event notification names the object but carries no record: read s3:\/\/archive\/aws\/lambda\/async\/my-fn\/2025\/11\/24\/x and pass its body$/],
    ['a record with an unknown condition', { ...SUCCESS_RECORD, requestContext: { ...SUCCESS_RECORD.requestContext, condition: 'Maybe' } },
      /malformed invocation record: requestContext.condition must be one of Success, RetriesExhausted, EventAgeExceeded, ZeroReservedConcurrency, got "Maybe"$/],
    ['a record without requestId and count', { ...FAILURE_RECORD, requestContext: { functionArn: 'x', condition: 'Success' } },
      /requestContext.requestId must be a string, got undefined; requestContext.approximateInvokeCount must be a whole number, got undefined$/],
    ['a record of another version', { ...SUCCESS_RECORD, version: '2.0' }, /version must be "1.0", got "2.0"$/],
    ['a record with a broken responseContext', { ...SUCCESS_RECORD, responseContext: 'ok' }, /responseContext must be an object with statusCode and executedVersion, got "ok"$/],
    ['a response-only payload (not a record)', { ok: true, echo: { id: 1 } }, /got an object with keys ok, echo$/],
    ['JSON text nested without end', Array.from({ length: 9 }).reduce<string>((text) => JSON.stringify(text), JSON.stringify(SUCCESS_RECORD)),
      /envelopes nested more than 8 deep, not a delivery of invocation records$/],
  ])('GIVEN %s WHEN unwrapped THEN InvocationRecordError names what was found', (_, delivery, message) => {
    expect(() => unwrapRecords(delivery)).toThrow(InvocationRecordError);
    expect(() => unwrapRecords(delivery)).toThrow(message);
  });

  test('GIVEN a Lambda handler WHEN it loads the records entry point THEN neither aws-cdk-lib nor constructs is loaded', () => {
    // a fresh node process: jest's own module registry says nothing about require.cache
    const root = path.join(__dirname, '..', '..');
    const loaded = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', `
      const records = require('./src/records');
      records.unwrapRecord(${JSON.stringify(JSON.stringify(SUCCESS_RECORD))});
      process.stdout.write(JSON.stringify(Object.keys(require.cache)));
    `], { cwd: root, env: { ...process.env, TS_NODE_PROJECT: 'test/tsconfig.json' } }).toString();
    const files: string[] = JSON.parse(loaded).map((f: string) => path.relative(root, f));
    expect(files.some((f) => f.startsWith(path.join('src', 'records')))).toBe(true);
    expect(files.filter((f) => /node_modules[\\/](aws-cdk-lib|constructs)[\\/]/.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('src') && !f.startsWith(path.join('src', 'records')))).toEqual([]);
  });
});
