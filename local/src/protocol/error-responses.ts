import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { ApiError } from './api-error';
import { send, xmlEscape } from './http';

/**
 * awsJson 1.0 / 1.1 (CloudWatch, Logs, EventBridge) and restJson1 (Lambda) error: the code in
 * `__type` and in `x-amzn-ErrorType`, `Type` User or Service by the fault. `headers` may set the
 * Content-Type (`application/x-amz-json-1.1`).
 */
export function sendJsonError(res: http.ServerResponse, e: ApiError, headers: Record<string, string> = {}): void {
  send(res, e.status, JSON.stringify({ Type: e.fault === 'Receiver' ? 'Service' : 'User', message: e.message, __type: e.code }), {
    'Content-Type': 'application/json', 'x-amzn-ErrorType': e.code, ...headers,
  });
}

/**
 * awsJson 1.0 error of a query-compatible service (SQS's JSON protocol): `__type` is the code in the
 * service's Smithy namespace (`com.amazonaws.sqs#QueueDoesNotExist`) and `x-amzn-query-error` carries
 * the query protocol's `Code;Fault`, from which the SDK takes the error's name.
 */
export function sendQueryCompatibleJsonError(res: http.ServerResponse, e: ApiError, namespace: string): void {
  send(res, e.status, JSON.stringify({ __type: `${namespace}#${e.code}`, message: e.message }), {
    'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-query-error': `${e.code};${e.fault}`,
  });
}

/** awsQuery error (IAM, SNS, SQS's query mode, CloudFormation): an `ErrorResponse` in the service's namespace. */
export function sendQueryError(res: http.ServerResponse, e: ApiError, xmlns: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlns}"><Error><Type>${e.fault}</Type>`
    + `<Code>${xmlEscape(e.code)}</Code><Message>${xmlEscape(e.message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  send(res, e.status, body, { 'Content-Type': 'text/xml' });
}

/**
 * restXml error (S3): a bare `<Error>` with the code, the message and the service's own elements
 * (S3's `BucketName`), in that order.
 */
export function sendRestXmlError(res: http.ServerResponse, e: ApiError, elements: Record<string, string> = {}): void {
  const extra = Object.entries(elements).map(([name, value]) => `<${name}>${xmlEscape(value)}</${name}>`).join('');
  send(res, e.status, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${xmlEscape(e.code)}</Code><Message>${xmlEscape(e.message)}</Message>${extra}</Error>`,
    { 'Content-Type': 'application/xml' });
}

/** Shorthand for a JSON-protocol error: `sendJsonError(res, new ApiError(code, message, { status }), headers)`. */
export function jsonError(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJsonError(res, new ApiError(code, message, { status }), headers);
}

/** Shorthand for an awsQuery error: `sendQueryError(res, new ApiError(code, message, { status }), xmlns)`. */
export function queryError(res: http.ServerResponse, status: number, code: string, message: string, xmlns: string): void {
  sendQueryError(res, new ApiError(code, message, { status }), xmlns);
}
