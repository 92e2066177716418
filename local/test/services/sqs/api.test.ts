import * as http from 'node:http';
import { SqsApi } from '../../../src/services/sqs/api';
import { SqsLongPoll } from '../../../src/services/sqs/long-poll';
import { recorder } from '../../response-recorder';

function request(url: string, headers: Record<string, string>): http.IncomingMessage {
  return { url, headers } as unknown as http.IncomingMessage;
}

const RULES = 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length';

describe('SqsApi: queue names SQS refuses', () => {
  let next: jest.Mock;
  let api: SqsApi;
  beforeEach(() => {
    next = jest.fn();
    api = new SqsApi({ handle: next } as unknown as SqsLongPoll);
  });

  test.each(['../../q', '..', 'a/b', '', 'q'.repeat(81)])('JSON CreateQueue %p: the query-compatible awsJson error, not passed on', (name) => {
    // GIVEN
    const { res, sent } = recorder();
    // WHEN
    void api.handle(request('/', { 'x-amz-target': 'AmazonSQS.CreateQueue' }), Buffer.from(JSON.stringify({ QueueName: name })), res);
    // THEN
    expect(next).not.toHaveBeenCalled();
    expect(sent().status).toBe(400);
    expect(sent().body).toBe(`{"__type":"com.amazonaws.sqs#InvalidParameterValue","message":"${RULES}"}`);
    expect(sent().headers).toEqual(expect.objectContaining({
      'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-query-error': 'InvalidParameterValue;Sender',
    }));
  });

  test.each([
    ['a form body', '/', { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=CreateQueue&QueueName=..%2F..%2Fq'],
    ['the query string', '/?Action=CreateQueue&QueueName=a%2Fb', {}, ''],
  ])('query CreateQueue in %s: the awsQuery ErrorResponse', (_case, url, headers, body) => {
    const { res, sent } = recorder();
    void api.handle(request(url, headers), Buffer.from(body), res);
    expect(next).not.toHaveBeenCalled();
    expect(sent().status).toBe(400);
    expect(sent().headers['Content-Type']).toBe('text/xml');
    expect(sent().body.replace(/<RequestId>[0-9a-f-]{36}<\/RequestId>/, '<RequestId>ID</RequestId>')).toBe('<?xml version="1.0" encoding="UTF-8"?>\n'
      + '<ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Sender</Type><Code>InvalidParameterValue</Code>'
      + `<Message>${RULES}</Message></Error><RequestId>ID</RequestId></ErrorResponse>`);
  });

  test.each([
    ['a valid JSON CreateQueue', '/', { 'x-amz-target': 'AmazonSQS.CreateQueue' }, '{"QueueName":"ok-q_1.fifo"}'],
    ['another JSON action', '/', { 'x-amz-target': 'AmazonSQS.SendMessage' }, '{"QueueUrl":"../.."}'],
    ['a malformed JSON body (the backend answers it)', '/', { 'x-amz-target': 'AmazonSQS.CreateQueue' }, '{'],
    ['a valid query CreateQueue', '/?Action=CreateQueue&QueueName=q', {}, ''],
  ])('%s goes on to the backend', (_case, url, headers, body) => {
    const { res } = recorder();
    void api.handle(request(url, headers), Buffer.from(body), res);
    expect(next).toHaveBeenCalledTimes(1);
  });
});
