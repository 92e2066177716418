import { ChildProcess, fork } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { runtimeDir } from '../../paths';
import { WholeResponse } from '../../protocol';
import { SqsLongPollBackend } from '../sqs/long-poll';

/** The account fauxqs names every queue and topic in, whatever the local cloud's account is. */
const FAUXQS_ACCOUNT = '000000000000';

/** The ARN fauxqs knows a topic (or queue) by: the same ARN in {@link FAUXQS_ACCOUNT}. */
export function fauxqsArn(arn: string): string {
  const parts = arn.split(':');
  parts[4] = FAUXQS_ACCOUNT;
  return parts.join(':');
}

/** A queue URL fauxqs accepts for a queue name in a region. */
export function fauxqsQueueUrl(region: string, name: string): string {
  return `http://sqs.${region}.localhost/${FAUXQS_ACCOUNT}/${name}`;
}

/**
 * fauxqs (SQS, SNS, S3) running in a child Node process on 127.0.0.1.
 *
 * It is a separate process because fauxqs is ESM-only and requires Node >= 22.5 for an optional
 * persistence module: the host script stubs `node:sqlite` on Node 20 and is plain ESM, while the
 * local cloud itself is CommonJS and must also load inside jest.
 */
export class FauxqsBackend implements SqsLongPollBackend {
  /**
   * @param timeScale how long SQS delays (`DelaySeconds`) and visibility timeouts last, as a
   * fraction of what they say: 0.001 makes 30 s last 30 ms. Attributes and errors are AWS's.
   */
  public static async start(region: string, timeScale = 1): Promise<FauxqsBackend> {
    const child = fork(path.join(runtimeDir(), 'fauxqs-host.mjs'), [], {
      execArgv: ['--import', path.join(runtimeDir(), 'register-sqlite-stub.mjs')],
      env: { ...process.env, LOCAL_CLOUD_REGION: region, LOCAL_CLOUD_TIME_SCALE: String(timeScale), NODE_OPTIONS: '' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    let stderr = '';
    child.stderr!.on('data', (d) => { stderr += d; });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('fauxqs did not start within 30 s')), 30_000);
      child.once('message', (m: any) => { clearTimeout(timer); resolve(m.port); });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`fauxqs exited with code ${code}: ${stderr}`)); });
    });
    return new FauxqsBackend(child, port, region);
  }

  public readonly endpoint: string;
  public readonly sqs: SQSClient;
  public readonly sns: SNSClient;
  public readonly s3: S3Client;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  private constructor(private readonly child: ChildProcess, public readonly port: number, private readonly region: string) {
    this.endpoint = `http://127.0.0.1:${port}`;
    const config = {
      endpoint: this.endpoint,
      region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    };
    this.sqs = new SQSClient(config);
    this.sns = new SNSClient(config);
    this.s3 = new S3Client({ ...config, forcePathStyle: true });
  }

  /**
   * SQS SendMessage straight to fauxqs in the AWS JSON 1.0 protocol: the delivery hot path, without
   * an SDK client's per-call overhead. Rejects with the service's error type and message.
   */
  public sqsSendMessage(queueUrl: string, body: string, attributes?: Record<string, { DataType: string; StringValue: string }>): Promise<void> {
    const payload = Buffer.from(JSON.stringify({ QueueUrl: queueUrl, MessageBody: body, ...(attributes ? { MessageAttributes: attributes } : {}) }));
    return new Promise((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: this.port,
        method: 'POST',
        path: '/',
        agent: this.agent,
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.SendMessage',
          'content-length': String(payload.length),
          'authorization': `AWS4-HMAC-SHA256 Credential=local/20000101/${this.region}/sqs/aws4_request, SignedHeaders=host, Signature=0`,
        },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode === 200) return resolve();
          let err = { __type: `HTTP ${res.statusCode}`, message: Buffer.concat(chunks).toString() };
          try {
            err = JSON.parse(err.message);
          } catch { /* keep the text */ }
          const e = new Error(err.message);
          e.name = String(err.__type).split('#').pop()!;
          reject(e);
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Forwards one HTTP request to fauxqs unchanged (Host kept, so queue URLs name the front port). */
  public proxy(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    const upstream = this.upstream(req, body, (up) => {
      up.on('error', () => res.destroy());
      try {
        res.writeHead(up.statusCode ?? 502, up.headers);
      } catch {
        up.destroy();
        res.destroy();
        return;
      }
      up.pipe(res);
    });
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`local cloud: SQS/SNS/S3 backend unavailable: ${e.message}`);
    });
    upstream.end(body);
  }

  /** The request to fauxqs that carries `req` with `body`. */
  private upstream(req: http.IncomingMessage, body: Buffer, onResponse: (up: http.IncomingMessage) => void): http.ClientRequest {
    return http.request({
      host: '127.0.0.1',
      port: this.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, 'content-length': String(body.length) },
      agent: this.agent,
    }, onResponse);
  }

  /** Forwards one HTTP request to fauxqs with `body` and reads the answer whole. */
  public forward(req: http.IncomingMessage, body: Buffer): Promise<WholeResponse> {
    return new Promise((resolve, reject) => {
      const upstream = this.upstream(req, body, (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('error', reject);
        up.on('end', () => resolve({ status: up.statusCode ?? 502, headers: up.headers, body: Buffer.concat(chunks) }));
      });
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  /** A queue's `ReceiveMessageWaitTimeSeconds` attribute. */
  public async receiveWaitSeconds(queueUrl: string): Promise<number> {
    const out = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ReceiveMessageWaitTimeSeconds'] }));
    return Number(out.Attributes?.ReceiveMessageWaitTimeSeconds ?? 0) || 0;
  }

  public async stop(): Promise<void> {
    this.sqs.destroy();
    this.sns.destroy();
    this.s3.destroy();
    this.agent.destroy();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 3000);
      this.child.once('exit', () => { clearTimeout(timer); resolve(); });
      try {
        this.child.send({ type: 'stop' });
      } catch {
        this.child.kill('SIGKILL');
      }
    });
  }
}
