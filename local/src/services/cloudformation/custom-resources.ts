import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { Request, send } from '../../protocol';

/**
 * Host name of the `ResponseURL` the local cloud gives custom resource providers. `.invalid` never
 * resolves; the handler bootstrap routes `https` requests to exactly this host (and no other) to the
 * local cloud over plain HTTP, path `/_local/cfn-response/<id>`.
 */
export const CFN_RESPONSE_HOST = 'cloudformation-custom-resource-response.local-cloud.invalid';
export const CFN_RESPONSE_PATH = '/_local/cfn-response/';

/** What a provider PUTs to the ResponseURL. */
export interface CustomResourceResponse {
  readonly Status: string;
  readonly Reason?: string;
  readonly PhysicalResourceId?: string;
  readonly StackId?: string;
  readonly RequestId?: string;
  readonly LogicalResourceId?: string;
  readonly NoEcho?: boolean;
  readonly Data?: Record<string, unknown>;
}

interface Pending {
  readonly resolve: (r: CustomResourceResponse) => void;
  readonly reject: (e: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** The response URLs handed out to custom resource providers and the responses awaited on them. */
export class CustomResourceResponses {
  private readonly pending = new Map<string, Pending>();

  /** A fresh ResponseURL and the response PUT to it (rejects after `timeoutMs` or on dispose). */
  public expect(timeoutMs: number): { url: string; response: Promise<CustomResourceResponse> } {
    const id = randomUUID();
    const response = new Promise<CustomResourceResponse>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no response from the custom resource provider within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
    return { url: `https://${CFN_RESPONSE_HOST}${CFN_RESPONSE_PATH}${id}?X-Amz-Expires=7200`, response };
  }

  /** `PUT /_local/cfn-response/<id>`: the provider's answer. */
  public handle(req: Request, res: http.ServerResponse): void {
    const id = req.url.pathname.slice(CFN_RESPONSE_PATH.length);
    const p = this.pending.get(id);
    if (req.method !== 'PUT' || !p) {
      return send(res, p ? 405 : 403, p ? 'method not allowed' : 'no custom resource request waits on this URL', { 'Content-Type': 'text/plain' });
    }
    let body: CustomResourceResponse;
    try {
      body = JSON.parse(req.body.toString('utf8'));
      if (!body || typeof body !== 'object' || (body.Status !== 'SUCCESS' && body.Status !== 'FAILED')) throw new Error('Status must be SUCCESS or FAILED');
    } catch (e) {
      return send(res, 400, `invalid custom resource response: ${(e as Error).message}`, { 'Content-Type': 'text/plain' });
    }
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(body);
    send(res, 200, '', {});
  }

  /** Stops waiting on a response URL (its promise never settles then). */
  public cancel(url: string): void {
    const id = new URL(url).pathname.slice(CFN_RESPONSE_PATH.length);
    const p = this.pending.get(id);
    if (!p) return;
    clearTimeout(p.timer);
    this.pending.delete(id);
  }

  /** Rejects every awaited response and clears the timers. */
  public dispose(): void {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('the local cloud stopped'));
      this.pending.delete(id);
    }
  }
}

/** CloudFormation passes scalar property values to providers as strings. */
export function stringifyScalars(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stringifyScalars);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stringifyScalars(x)]));
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v;
}
