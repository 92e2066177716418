import { randomUUID } from 'node:crypto';
import * as http from 'node:http';

/** One request as the service handlers see it: the body already read. */
export interface Request {
  readonly method: string;
  readonly url: URL;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly raw: http.IncomingMessage;
}

export type Handler = (req: Request, res: http.ServerResponse) => void | Promise<void>;

export function send(res: http.ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}): void {
  const requestId = headers['x-amzn-RequestId'] ?? randomUUID();
  res.writeHead(status, { 'x-amzn-RequestId': requestId, 'Content-Length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/** An upstream answer, read whole. */
export interface WholeResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Sends an upstream answer read whole back to the client, with its own length (no chunking). */
export function sendWhole(res: http.ServerResponse, answer: WholeResponse): void {
  const headers = { ...answer.headers, 'content-length': String(answer.body.length) };
  delete headers['transfer-encoding'];
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

export function xmlEscape(v: unknown): string {
  return String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/**
 * The members of an AWS JSON request body whose type is not what the operation reads, as AWS's
 * JSON protocols answer them (400 SerializationException); undefined when all are right. The body
 * itself must be an object.
 */
export function serializationProblem(input: unknown, members: Record<string, 'string' | 'number' | 'array' | 'object'>): string | undefined {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return 'Start of structure or map found where not expected.';
  for (const [name, type] of Object.entries(members)) {
    const v = (input as Record<string, unknown>)[name];
    if (v === undefined || v === null) continue;
    const actual = Array.isArray(v) ? 'array' : typeof v;
    if (actual !== type) return `${name}: ${actual} value can not be converted to ${type === 'array' ? 'a list' : type === 'object' ? 'a structure' : `a ${type}`}`;
  }
  return undefined;
}

/**
 * How many Lambda invocations the chain of events behind a request had: the counter of the
 * `Lineage` in its `X-Amzn-Trace-Id` header (an SDK client inside a handler sends the
 * invocation's trace header), 0 without one. Lambda stops a chain that loops (recursion detection).
 */
export function invocationsOf(req: http.IncomingMessage): number {
  const m = /(?:^|;)\s*Lineage=[0-9a-fA-F]+:(\d+)/.exec(String(req.headers['x-amzn-trace-id'] ?? ''));
  return m ? Math.min(Number(m[1]), 1_000_000) : 0;
}

/** awsQuery success response. */
export function queryResponse(res: http.ServerResponse, action: string, xmlns: string, result: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${xmlns}"><${action}Result>${result}</${action}Result>`
    + `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`;
  send(res, 200, body, { 'Content-Type': 'text/xml' });
}

/** XML element, omitted when the value is undefined. */
export function el(name: string, value: unknown): string {
  return value === undefined || value === null ? '' : `<${name}>${xmlEscape(value)}</${name}>`;
}
