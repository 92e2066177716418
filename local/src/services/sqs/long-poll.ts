import * as http from 'node:http';
import { sendWhole, WholeResponse } from '../../protocol';

/** How {@link SqsLongPoll} reaches the backend (fauxqs). */
export interface SqsLongPollBackend {
  /** Forwards a request (body replaced) and reads the answer whole. */
  forward(req: http.IncomingMessage, body: Buffer): Promise<WholeResponse>;
  /** Forwards a request unchanged, streaming the answer to `res`. */
  proxy(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void;
  /** The queue's `ReceiveMessageWaitTimeSeconds` attribute (0 when unknown). */
  receiveWaitSeconds(queueUrl: string): Promise<number>;
}

/** One ReceiveMessage request. */
interface ReceiveRequest {
  readonly queueUrl: string;
  /** `WaitTimeSeconds` of the request; undefined: the queue's attribute applies */
  readonly waitSeconds?: number;
  /** the same request with `WaitTimeSeconds` 0 */
  readonly immediate: Buffer;
}

/** Milliseconds between two immediate receives while a scaled long poll waits. */
const POLL_MS = 5;

/**
 * SQS long polling at the local cloud's time scale. `ReceiveMessage` waits up to `WaitTimeSeconds`
 * (else the queue's `ReceiveMessageWaitTimeSeconds`) for a message; the backend only takes whole
 * seconds, so with a time scale other than 1 the request is passed on with `WaitTimeSeconds` 0 and
 * repeated until a message arrives or `wait · timeScale` has passed (20 s → 20 ms at 0.001). The
 * JSON protocol (`X-Amz-Target: AmazonSQS.ReceiveMessage`, the SDK v3 client), the only one the
 * backend speaks for SQS. Every other request, and everything at time scale 1, goes to the backend
 * unchanged.
 */
export class SqsLongPoll {
  constructor(private readonly backend: SqsLongPollBackend, private readonly timeScale: number) {}

  /** Handles one SQS/SNS/S3/STS request for the backend. */
  public handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void | Promise<void> {
    const receive = this.timeScale === 1 ? undefined : parseReceive(req, body);
    if (!receive) return this.backend.proxy(req, body, res);
    return this.receive(req, receive, res);
  }

  private async receive(req: http.IncomingMessage, r: ReceiveRequest, res: http.ServerResponse): Promise<void> {
    const seconds = r.waitSeconds ?? await this.backend.receiveWaitSeconds(r.queueUrl).catch(() => 0);
    const deadline = Date.now() + Math.max(0, seconds) * 1000 * this.timeScale;
    let closed = false;
    res.once('close', () => { closed = true; });
    for (;;) {
      const answer = await this.backend.forward(req, r.immediate);
      const remaining = deadline - Date.now();
      if (answer.status !== 200 || !noMessage(answer.body) || remaining <= 0 || closed) {
        if (!closed) sendWhole(res, answer);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, remaining)));
    }
  }
}

/**
 * The ReceiveMessage in a request; undefined for any other request. Only the JSON protocol: the
 * backend answers SQS's query protocol (`Action=ReceiveMessage`) with InvalidAction anyway.
 */
function parseReceive(req: http.IncomingMessage, body: Buffer): ReceiveRequest | undefined {
  if (req.method !== 'POST' || String(req.headers['x-amz-target'] ?? '') !== 'AmazonSQS.ReceiveMessage') return undefined;
  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    return undefined; // the backend answers the malformed request
  }
  if (!input || typeof input !== 'object' || typeof input.QueueUrl !== 'string') return undefined;
  const wait = input.WaitTimeSeconds === undefined || input.WaitTimeSeconds === null ? undefined : Number(input.WaitTimeSeconds);
  if (wait !== undefined && !validWait(wait)) return undefined; // the backend rejects it
  return { queueUrl: input.QueueUrl, waitSeconds: wait, immediate: Buffer.from(JSON.stringify({ ...input, WaitTimeSeconds: 0 })) };
}

/** Whether a ReceiveMessage answer carries no message. */
function noMessage(answer: Buffer): boolean {
  try {
    const out = JSON.parse(answer.toString('utf8') || '{}') as { Messages?: unknown[] };
    return !out.Messages?.length;
  } catch {
    return false;
  }
}

/** SQS takes a whole number of seconds from 0 to 20. */
function validWait(seconds: number): boolean {
  return Number.isInteger(seconds) && seconds >= 0 && seconds <= 20;
}
