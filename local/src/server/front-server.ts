import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { jsonError, Request, send } from '../protocol';

/** Largest request body read (Lambda's limit is 6 MB; larger bodies are rejected with 413). */
const MAX_BODY = 8 * 1024 * 1024;

export interface Routes {
  readonly lambda: (req: Request, res: http.ServerResponse) => void | Promise<void>;
  readonly cloudformation: (req: Request, res: http.ServerResponse) => void | Promise<void>;
  /** SSM Parameter Store (`X-Amz-Target: AmazonSSM.<Op>`, SigV4 scope `ssm`) */
  readonly ssm?: (req: Request, res: http.ServerResponse) => void | Promise<void>;
  /** STS, when it is not the backend's */
  readonly sts?: (req: Request, res: http.ServerResponse) => void | Promise<void>;
  readonly monitoring: (req: Request, res: http.ServerResponse) => void;
  readonly iam: (req: Request, res: http.ServerResponse) => void;
  /** EventBridge (`events`) */
  readonly events?: (req: Request, res: http.ServerResponse) => void | Promise<void>;
  /** SQS, SNS, S3, STS: the backend */
  readonly backend: (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => void | Promise<void>;
  /** SNS, when it is not simply proxied to the backend (lambda subscriptions) */
  readonly sns?: (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse) => void | Promise<void>;
  /** Step Functions (`X-Amz-Target: AWSStepFunctions.<Op>`, SigV4 scope `states`) */
  readonly states?: (req: Request, res: http.ServerResponse) => void | Promise<void>;
  /** CloudWatch Logs (`X-Amz-Target: Logs_20140328.<Action>`, SigV4 scope `logs`) */
  readonly logs?: (req: Request, res: http.ServerResponse) => void | Promise<void>;
  /** `/_local/...`: the local cloud's own endpoints */
  readonly local: (req: Request, res: http.ServerResponse) => void;
}

/**
 * Which AWS service a request is for: the SigV4 credential scope
 * (`Credential=KEY/DATE/REGION/SERVICE/aws4_request`), else `X-Amz-Target`, else the path.
 */
export function serviceOf(req: http.IncomingMessage): string {
  const auth = String(req.headers.authorization ?? '');
  const scope = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth);
  if (scope) return scope[1];
  const target = String(req.headers['x-amz-target'] ?? '');
  if (target.startsWith('AmazonSQS')) return 'sqs';
  if (target.startsWith('GraniteServiceVersion20100801')) return 'monitoring';
  if (target.startsWith('AWSEvents.')) return 'events';
  if (target.startsWith('AWSStepFunctions.')) return 'states';
  if (target.startsWith('Logs_20140328.')) return 'logs';
  if (target.startsWith('AmazonSSM.')) return 'ssm';
  const url = req.url ?? '/';
  if (url.startsWith('/_local/')) return '_local';
  if (/^\/20\d\d-\d\d-\d\d\/functions\//.test(url)) return 'lambda';
  const cred = /X-Amz-Credential=[^&]*%2F([a-z0-9-]+)%2Faws4_request/i.exec(url); // presigned URL
  if (cred) return cred[1];
  return 's3';
}

/**
 * Why a request may not reach the local cloud, or undefined: its `Host` must name the loopback
 * endpoint the server listens on (`127.0.0.1:<port>` or `localhost:<port>`), so a web page cannot
 * reach it through a rebound DNS name; a browser request from another origin (an `Origin` header
 * that is not this endpoint, or `Sec-Fetch-Site: cross-site`) is refused, so a page open in the
 * developer's browser cannot invoke functions (CSRF). SDK clients send neither header.
 */
export function forbiddenReason(req: http.IncomingMessage, port: number): string | undefined {
  const endpoints = [`127.0.0.1:${port}`, `localhost:${port}`, ...(port === 80 ? ['127.0.0.1', 'localhost'] : [])];
  const host = String(req.headers.host ?? '').toLowerCase();
  if (!endpoints.includes(host)) {
    // an S3 client given a host name (not an IP) endpoint sends virtual-hosted requests, `<bucket>.localhost`
    const virtualHosted = host.endsWith(`.localhost:${port}`)
      ? `; a virtual-hosted S3 request: use the endpoint http://127.0.0.1:${port} (S3 clients then send path-style requests) or forcePathStyle`
      : '';
    return `the local cloud answers only requests to http://127.0.0.1:${port} or http://localhost:${port}; Host ${host ? `'${host}'` : '(none)'} is not allowed${virtualHosted}`;
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !endpoints.map((e) => `http://${e}`).includes(String(origin).toLowerCase())) {
    return `cross-origin requests are not allowed: Origin '${origin}'`;
  }
  if (String(req.headers['sec-fetch-site'] ?? '').toLowerCase() === 'cross-site') {
    return 'cross-origin requests are not allowed: Sec-Fetch-Site cross-site';
  }
  return undefined;
}

/** One HTTP endpoint on 127.0.0.1 for every emulated service. */
export class FrontServer {
  private readonly server: http.Server;
  private port = 0;

  constructor(private readonly routes: Routes) {
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    this.server.keepAliveTimeout = 5000;
  }

  public async listen(port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  public async close(): Promise<void> {
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    // nothing in here may throw: an exception outside the promise chain below would end the process
    try {
      this.receive(req, res);
    } catch (e) {
      this.failed(res, e);
    }
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    res.on('error', () => undefined); // a client gone mid-answer is not the server's problem
    const forbidden = forbiddenReason(req, this.port);
    if (forbidden) {
      req.resume();
      return jsonError(res, 403, 'AccessDeniedException', forbidden, { Connection: 'close' });
    }
    const service = serviceOf(req);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        tooLarge = true;
        return;
      }
      chunks.push(c);
    });
    req.on('error', () => res.destroy());
    req.on('end', () => {
      Promise.resolve().then(() => {
        if (tooLarge) {
          if (service === 'lambda') {
            return jsonError(res, 413, 'RequestEntityTooLargeException', `Request must be smaller than ${6 * 1024 * 1024} bytes for the InvokeFunction operation`);
          }
          return send(res, 413, 'request entity too large', { 'Content-Type': 'text/plain' });
        }
        const body = Buffer.concat(chunks);
        let url: URL;
        try {
          url = new URL(req.url ?? '/', 'http://127.0.0.1');
        } catch {
          return send(res, 400, 'malformed request target', { 'Content-Type': 'text/plain' });
        }
        const request: Request = { method: req.method ?? 'GET', url, headers: req.headers, body, raw: req };
        return this.route(service, request, req, body, res);
      }).catch((e) => this.failed(res, e));
    });
  }

  private route(service: string, request: Request, req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void | Promise<void> {
    switch (service) {
      case 'lambda': return this.routes.lambda(request, res);
      case 'cloudformation': return this.routes.cloudformation(request, res);
      case 'monitoring': return this.routes.monitoring(request, res);
      case 'iam': return this.routes.iam(request, res);
      case 'events': if (this.routes.events) return this.routes.events(request, res);
        return jsonError(res, 400, 'UnsupportedServiceException', 'the local cloud does not emulate the events service');
      case 'states':
        if (!this.routes.states) return jsonError(res, 400, 'UnsupportedServiceException', 'the local cloud does not emulate the states service');
        return this.routes.states(request, res);
      case 'sns': if (this.routes.sns) return this.routes.sns(req, body, res);
        return this.routes.backend(req, body, res);
      case 'sts': if (this.routes.sts) return this.routes.sts(request, res);
        return this.routes.backend(req, body, res);
      case 'ssm':
        if (!this.routes.ssm) return jsonError(res, 400, 'UnsupportedServiceException', 'the local cloud does not emulate the ssm service');
        return this.routes.ssm(request, res);
      case 'sqs': case 's3': return this.routes.backend(req, body, res);
      case 'logs':
        if (!this.routes.logs) return jsonError(res, 400, 'UnsupportedServiceException', 'the local cloud does not emulate the logs service');
        return this.routes.logs(request, res);
      case '_local': return this.routes.local(request, res);
      default:
        return jsonError(res, 400, 'UnsupportedServiceException', `the local cloud does not emulate the ${service} service`);
    }
  }

  /** A request that failed inside the local cloud: 500 if nothing was sent yet, else the connection is cut. */
  private failed(res: http.ServerResponse, e: unknown): void {
    try {
      if (!res.headersSent) jsonError(res, 500, 'ServiceException', `local cloud error: ${(e as Error)?.message ?? String(e)}`);
      else res.destroy();
    } catch {
      res.destroy();
    }
  }
}
