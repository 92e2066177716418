import * as http from 'node:http';
import { invalidQueueName, sendSqsError } from './errors';
import { SqsLongPoll } from './long-poll';
import { validQueueName } from './model';

/**
 * SQS in front of the backend: `CreateQueue` with a queue name SQS would refuse (`..`, `a/b`,
 * `../../q`) gets SQS's InvalidParameterValue error here, in the protocol it came in (JSON or
 * query), instead of reaching the backend; everything else goes on through the long-poll scaling.
 */
export class SqsApi {
  constructor(private readonly next: SqsLongPoll) {}

  public handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void | Promise<void> {
    const json = String(req.headers['x-amz-target'] ?? '') === 'AmazonSQS.CreateQueue';
    const name = json ? jsonQueueName(body) : queryQueueName(req, body);
    if (name !== undefined && !validQueueName(name)) return sendSqsError(res, invalidQueueName(), json ? 'json' : 'query');
    return this.next.handle(req, body, res);
  }
}

/** The QueueName of a JSON-protocol CreateQueue, if it is a string. */
function jsonQueueName(body: Buffer): string | undefined {
  try {
    const input = JSON.parse(body.toString('utf8') || '{}');
    return input && typeof input.QueueName === 'string' ? input.QueueName : undefined;
  } catch {
    return undefined; // the backend answers the malformed request
  }
}

/** The QueueName of a query-protocol CreateQueue (form body or query string). */
function queryQueueName(req: http.IncomingMessage, body: Buffer): string | undefined {
  const form = String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded') ? new URLSearchParams(body.toString('utf8')) : undefined;
  const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
  const params = form?.get('Action') ? form : query;
  return params.get('Action') === 'CreateQueue' ? params.get('QueueName') ?? '' : undefined;
}
