import * as http from 'node:http';
import { ApiError, jsonError, queryError, sendJsonError, sendQueryCompatibleJsonError, sendQueryError, sendRestXmlError, serializationError } from '../../src/protocol';
import { recorder } from '../response-recorder';

const REQUEST_ID = /<RequestId>[0-9a-f-]{36}<\/RequestId>/;

describe('ApiError', () => {
  test.each([
    [undefined, 400, 'Sender'],
    [404, 404, 'Sender'],
    [500, 500, 'Receiver'],
    [503, 503, 'Receiver'],
  ])('status %p gives status %p and fault %p', (given, status, fault) => {
    const e = new ApiError('SomeException', 'went wrong', given === undefined ? {} : { status: given });
    expect({ code: e.code, name: e.name, message: e.message, status: e.status, fault: e.fault })
      .toEqual({ code: 'SomeException', name: 'SomeException', message: 'went wrong', status, fault });
  });

  test('an explicit fault wins over the status', () => {
    expect(new ApiError('Throttling', 'slow down', { status: 400, fault: 'Receiver' }).fault).toBe('Receiver');
  });

  test('serializationError is the JSON protocols\' 400 SerializationException', () => {
    const e = serializationError('bad member');
    expect([e.code, e.status, e.message]).toEqual(['SerializationException', 400, 'bad member']);
  });
});

describe('error responses per protocol', () => {
  test('awsJson / restJson: __type, x-amzn-ErrorType, Type by fault', () => {
    // GIVEN
    const { res, sent } = recorder();
    // WHEN
    sendJsonError(res, new ApiError('ResourceNotFoundException', 'Function not found: f', { status: 404 }));
    // THEN
    expect(sent().status).toBe(404);
    expect(sent().body).toBe('{"Type":"User","message":"Function not found: f","__type":"ResourceNotFoundException"}');
    expect(sent().headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'ResourceNotFoundException' }));
  });

  test('awsJson 1.1 keeps the Content-Type it is given; a 5xx is a Service fault', () => {
    const { res, sent } = recorder();
    sendJsonError(res, new ApiError('InternalException', 'oops', { status: 500 }), { 'Content-Type': 'application/x-amz-json-1.1' });
    expect(JSON.parse(sent().body)).toEqual({ Type: 'Service', message: 'oops', __type: 'InternalException' });
    expect(sent().headers['Content-Type']).toBe('application/x-amz-json-1.1');
  });

  test('awsQuery: ErrorResponse with Sender/Receiver, code and message escaped', () => {
    const { res, sent } = recorder();
    sendQueryError(res, new ApiError('NoSuchEntity', 'The role <a&b> cannot be found.', { status: 404 }), 'https://iam.amazonaws.com/doc/2010-05-08/');
    expect(sent().status).toBe(404);
    expect(sent().headers['Content-Type']).toBe('text/xml');
    expect(sent().body.replace(REQUEST_ID, '<RequestId>ID</RequestId>')).toBe('<?xml version="1.0" encoding="UTF-8"?>\n'
      + '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>'
      + '<Message>The role &lt;a&amp;b&gt; cannot be found.</Message></Error><RequestId>ID</RequestId></ErrorResponse>');
  });

  test('restXml (S3): Error with the service\'s own elements after the message', () => {
    const { res, sent } = recorder();
    sendRestXmlError(res, new ApiError('NoSuchBucket', 'The specified bucket does not exist', { status: 404 }), { BucketName: 'b&c' });
    expect(sent().status).toBe(404);
    expect(sent().headers['Content-Type']).toBe('application/xml');
    expect(sent().body).toBe('<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchBucket</Code>'
      + '<Message>The specified bucket does not exist</Message><BucketName>b&amp;c</BucketName></Error>');
  });

  test.each([
    ['jsonError', (res: http.ServerResponse) => jsonError(res, 409, 'ResourceConflictException', 'exists'),
      (res: http.ServerResponse) => sendJsonError(res, new ApiError('ResourceConflictException', 'exists', { status: 409 }))],
    ['queryError', (res: http.ServerResponse) => queryError(res, 503, 'ServiceUnavailable', 'busy', 'ns'),
      (res: http.ServerResponse) => sendQueryError(res, new ApiError('ServiceUnavailable', 'busy', { status: 503 }), 'ns')],
  ])('the shorthand %s writes what the ApiError serializer writes', (_name, shorthand, full) => {
    const a = recorder();
    const b = recorder();
    shorthand(a.res);
    full(b.res);
    const strip = (s: { status: number; headers: Record<string, string>; body: string }) => ({
      ...s, headers: { ...s.headers, 'x-amzn-RequestId': 'ID' }, body: s.body.replace(REQUEST_ID, ''),
    });
    expect(strip(a.sent())).toEqual(strip(b.sent()));
  });
});

describe('query-compatible awsJson (SQS)', () => {
  test('__type in the namespace, the query code and fault in x-amzn-query-error', () => {
    const { res, sent } = recorder();
    sendQueryCompatibleJsonError(res, new ApiError('QueueDoesNotExist', 'The specified queue does not exist.'), 'com.amazonaws.sqs');
    expect(sent().status).toBe(400);
    expect(sent().body).toBe('{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}');
    expect(sent().headers).toEqual(expect.objectContaining({ 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'QueueDoesNotExist;Sender' }));
  });

  test('a 5xx is the Receiver\'s fault', () => {
    const { res, sent } = recorder();
    sendQueryCompatibleJsonError(res, new ApiError('InternalError', 'oops', { status: 500 }), 'com.amazonaws.sqs');
    expect(sent().headers['x-amzn-query-error']).toBe('InternalError;Receiver');
  });
});
