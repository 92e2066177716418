import { compactJson, invocationRecord, invocationRecordJson, s3RecordKey } from '../../../src/services/lambda/record';

const base = {
  requestId: 'c2a6f2ae-7dbb-4d22-8782-d0485c9877e2',
  functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:my-fn:$LATEST',
  executedVersion: '$LATEST',
  timestamp: new Date('2025-11-24T23:08:25.651Z'),
};

test('a failure record serializes exactly as AWS recorded it (key order included)', () => {
  const record = invocationRecord({
    ...base,
    condition: 'RetriesExhausted',
    approximateInvokeCount: 3,
    requestPayload: '{"Success":false}',
    response: { ok: false, error: { errorType: 'Error', errorMessage: 'boom', trace: ['Error: boom'] } },
  });
  expect(JSON.stringify(record)).toBe('{"version":"1.0","timestamp":"2025-11-24T23:08:25.651Z",'
    + '"requestContext":{"requestId":"c2a6f2ae-7dbb-4d22-8782-d0485c9877e2","functionArn":"arn:aws:lambda:us-east-1:111111111111:function:my-fn:$LATEST",'
    + '"condition":"RetriesExhausted","approximateInvokeCount":3},"requestPayload":{"Success":false},'
    + '"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},'
    + '"responsePayload":{"errorType":"Error","errorMessage":"boom","trace":["Error: boom"]}}');
});

test.each<[string, string, unknown]>([
  ['an object', '{"a":1}', { a: 1 }],
  ['null (handler returned undefined)', 'null', null],
  ['a string stays a string', '"text"', 'text'],
])('success responsePayload: %s; no functionError', (_name, payload, expected) => {
  const record: any = invocationRecord({ ...base, condition: 'Success', approximateInvokeCount: 1, requestPayload: '{}', response: { ok: true, payload } });
  expect(record.responsePayload).toEqual(expected);
  expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '$LATEST' });
});

test('ZeroReservedConcurrency: no responseContext, no responsePayload', () => {
  const record = invocationRecord({ ...base, condition: 'ZeroReservedConcurrency', approximateInvokeCount: 0, requestPayload: '{}' });
  expect(Object.keys(record)).toEqual(['version', 'timestamp', 'requestContext', 'requestPayload']);
});

test('S3 key layout', () => {
  expect(s3RecordKey('my-fn', new Date('2025-03-04T05:06:07.890Z'), 'c2a6f2ae-7dbb-4d22-8782-d0485c9877e2'))
    .toBe('aws/lambda/async/my-fn/2025/03/04/2025-03-04T05.06.07-c2a6f2ae-7dbb-4d22-8782-d0485c9877e2');
});

describe('invocationRecordJson', () => {
  test('the same text as JSON.stringify of the record for ordinary payloads', () => {
    const input = { ...base, condition: 'Success' as const, approximateInvokeCount: 1, requestPayload: '{ "a": [1, 2] }', response: { ok: true as const, payload: '{"b":"c"}' } };
    expect(invocationRecordJson(input)).toBe(JSON.stringify(invocationRecord(input)));
  });

  test('payloads nested too deep for JSON.stringify are spliced in compacted, in AWS key order', () => {
    const deep = `{ "x" : ${'['.repeat(20000)}${']'.repeat(20000)} }`;
    expect(() => JSON.stringify(JSON.parse(deep))).toThrow(RangeError);
    const text = invocationRecordJson({ ...base, condition: 'Success', approximateInvokeCount: 1, requestPayload: deep, response: { ok: true, payload: deep } });
    const compact = `{"x":${'['.repeat(20000)}${']'.repeat(20000)}}`;
    expect(text).toBe('{"version":"1.0","timestamp":"2025-11-24T23:08:25.651Z","requestContext":{"requestId":"c2a6f2ae-7dbb-4d22-8782-d0485c9877e2",'
      + '"functionArn":"arn:aws:lambda:us-east-1:111111111111:function:my-fn:$LATEST","condition":"Success","approximateInvokeCount":1},'
      + `"requestPayload":${compact},"responseContext":{"statusCode":200,"executedVersion":"$LATEST"},"responsePayload":${compact}}`);
  });

  test('compactJson keeps whitespace and escaped quotes inside strings', () => {
    expect(compactJson('{ "a b" : "c \\" d",\n\t"e" : [ 1 , 2 ] }')).toBe('{"a b":"c \\" d","e":[1,2]}');
  });
});
