import * as http from 'node:http';
import { QUEUE_NAME_RULES } from './model';
import { ApiError, sendQueryCompatibleJsonError, sendQueryError } from '../../protocol';

/** The XML namespace of SQS's query protocol. */
export const SQS_XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';

/** The Smithy namespace of SQS's JSON protocol's error types (`com.amazonaws.sqs#QueueDoesNotExist`). */
export const SQS_JSON_NAMESPACE = 'com.amazonaws.sqs';

/** `CreateQueue` with a name SQS refuses (`..`, `a/b`, `../../q`, 81 characters). */
export function invalidQueueName(): ApiError {
  return new ApiError('InvalidParameterValue', QUEUE_NAME_RULES);
}

/**
 * Answers an SQS error in the protocol the request came in: the JSON protocol (awsJson 1.0, query
 * compatible: what the SDK v3 client speaks) or the query protocol (form or query string).
 */
export function sendSqsError(res: http.ServerResponse, e: ApiError, protocol: 'json' | 'query'): void {
  if (protocol === 'query') return sendQueryError(res, e, SQS_XMLNS);
  return sendQueryCompatibleJsonError(res, e, SQS_JSON_NAMESPACE);
}
