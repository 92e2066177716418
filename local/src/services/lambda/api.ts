import * as http from 'node:http';
import { invalidParameterValue, invalidRequestContent, LambdaApiError, resourceNotFound } from './errors';
import { EventSourceMappings } from './event-source-mapping';
import { EventInvokeConfig, executedVersion } from './model';
import { LambdaService } from './service';
import { InvocationOutcome } from './worker-pool';
import { invocationsOf, Request, send, sendJsonError } from '../../protocol';

/**
 * `X-Amz-Log-Result`: base64 of the last 4 KB of the invocation's log, framed by START, END and
 * REPORT lines as in CloudWatch Logs.
 */
function tailLog(out: InvocationOutcome & { requestId: string }, version: string, memorySize: number): string {
  const id = out.requestId;
  const duration = (out.durationMs ?? 0).toFixed(2);
  let log = `START RequestId: ${id} Version: ${version}\n${out.log ?? ''}`;
  if (!out.ok && out.error.errorType === 'Sandbox.Timedout') log += `${new Date().toISOString()} ${id} Task timed out after ${out.error.errorMessage.split(' after ')[1]}\n`;
  log += `END RequestId: ${id}\nREPORT RequestId: ${id}\tDuration: ${duration} ms\tBilled Duration: ${Math.max(1, Math.ceil(Number(duration)))} ms\t`
    + `Memory Size: ${memorySize} MB\t\n`;
  const bytes = Buffer.from(log);
  return bytes.subarray(Math.max(0, bytes.length - 4096)).toString('base64');
}

/** AWS's payload limits. */
export const MAX_SYNC_PAYLOAD = 6 * 1024 * 1024;
export const MAX_ASYNC_PAYLOAD = 1024 * 1024;

/** The Lambda REST API (restJson1): Invoke, GetFunctionEventInvokeConfig, GetFunction. */
export class LambdaApi {
  constructor(private readonly lambda: LambdaService, private readonly region: string, private readonly accountId: string,
    private readonly mappings?: EventSourceMappings) {}

  public async handle(req: Request, res: http.ServerResponse): Promise<void> {
    const p = req.url.pathname;
    try {
      decodeURIComponent(p);
    } catch {
      return sendJsonError(res, invalidParameterValue(`the request path ${p} is not validly percent-encoded`));
    }
    let m = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/.exec(p);
    if (m && req.method === 'POST') return this.invoke(decodeURIComponent(m[1]), req, res);
    m = /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/?$/.exec(p);
    if (m && req.method === 'GET') return this.getEventInvokeConfig(decodeURIComponent(m[1]), req, res);
    if (m && (req.method === 'PUT' || req.method === 'POST')) {
      return this.putEventInvokeConfig(decodeURIComponent(m[1]), req, res, req.method === 'PUT' ? 'put' : 'update');
    }
    if (m && req.method === 'DELETE') return this.deleteEventInvokeConfig(decodeURIComponent(m[1]), req, res);
    m = /^\/2015-03-31\/functions\/([^/]+)\/?$/.exec(p);
    if (m && req.method === 'GET') return this.getFunction(decodeURIComponent(m[1]), req, res);
    m = /^\/2015-03-31\/event-source-mappings(?:\/([^/]*))?\/?$/.exec(p);
    if (m && req.method === 'GET' && this.mappings) return this.eventSourceMappings(m[1] ? decodeURIComponent(m[1]) : undefined, req, res);
    return sendJsonError(res, new LambdaApiError('UnsupportedOperationException', `the local cloud does not implement Lambda ${req.method} ${p}`, 400));
  }

  /** GetEventSourceMapping (a UUID) or ListEventSourceMappings (`FunctionName`, `EventSourceArn` filters; one page). */
  private eventSourceMappings(uuid: string | undefined, req: Request, res: http.ServerResponse): void {
    const json = (body: unknown) => send(res, 200, JSON.stringify(body), { 'Content-Type': 'application/json' });
    if (!uuid) {
      const q = req.url.searchParams;
      return json({ EventSourceMappings: this.mappings!.list(q.get('FunctionName') ?? undefined, q.get('EventSourceArn') ?? undefined) });
    }
    try {
      return json(this.mappings!.get(uuid));
    } catch (e) {
      if (e instanceof LambdaApiError) return sendJsonError(res, e);
      throw e;
    }
  }

  private resolve(name: string, req: Request, res: http.ServerResponse) {
    const { fn, qualifier: inName } = this.lambda.lookup(name);
    /** as the caller named it: undefined for an unqualified name */
    const named = req.url.searchParams.get('Qualifier') ?? inName ?? undefined;
    const qualifier = named ?? '$LATEST';
    if (!fn || !executedVersion(fn, qualifier)) {
      const base = fn ? fn.arn : `arn:aws:lambda:${this.region}:${this.accountId}:function:${name.replace(/^.*:function:/, '').split(':')[0]}`;
      const shown = qualifier !== '$LATEST' ? `${base}:${qualifier}` : base;
      sendJsonError(res, resourceNotFound(`Function not found: ${shown}`));
      return undefined;
    }
    return { fn, qualifier, named };
  }

  private async invoke(name: string, req: Request, res: http.ServerResponse): Promise<void> {
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (!['Event', 'RequestResponse', 'DryRun'].includes(type)) {
      return sendJsonError(res, invalidParameterValue(`1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`));
    }
    const target = this.resolve(name, req, res);
    if (!target) return;
    const limit = type === 'Event' ? MAX_ASYNC_PAYLOAD : MAX_SYNC_PAYLOAD;
    if (req.body.length > limit) {
      return sendJsonError(res, new LambdaApiError('RequestEntityTooLargeException',
        `Request must be smaller than ${limit} bytes for the ${type === 'Event' ? 'InvokeAsync' : 'InvokeFunction'} operation`, 413));
    }
    const text = req.body.length === 0 ? '{}' : req.body.toString('utf8');
    try {
      JSON.parse(text);
    } catch (e) {
      return sendJsonError(res, invalidRequestContent(`Could not parse request body into json: Could not parse payload into json: ${(e as Error).message}`));
    }
    if (type === 'DryRun') return send(res, 204, '');
    if (type === 'RequestResponse' && target.fn.reservedConcurrency === 0) {
      return send(res, 429, JSON.stringify({ Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User', message: 'Rate Exceeded.' }), {
        'Content-Type': 'application/json', 'x-amzn-ErrorType': 'TooManyRequestsException',
      });
    }
    if (type === 'Event') {
      const requestId = this.lambda.invokeAsync(target.fn, target.named, text, undefined, invocationsOf(req.raw));
      return send(res, 202, '', { 'x-amzn-RequestId': requestId });
    }
    let out;
    try {
      out = await this.lambda.invokeSync(target.fn, target.named, text, invocationsOf(req.raw));
    } catch (e) {
      if (e instanceof LambdaApiError) return sendJsonError(res, e);
      throw e;
    }
    const version = executedVersion(target.fn, target.qualifier)!;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json', 'X-Amz-Executed-Version': version, 'x-amzn-RequestId': out.requestId,
    };
    if (String(req.headers['x-amz-log-type'] ?? '') === 'Tail') {
      headers['X-Amz-Log-Result'] = tailLog(out, version, target.fn.memorySize);
    }
    if (out.ok) return send(res, 200, out.payload, headers);
    return send(res, 200, JSON.stringify(out.error), { ...headers, 'X-Amz-Function-Error': 'Unhandled' });
  }

  private getEventInvokeConfig(name: string, req: Request, res: http.ServerResponse): void {
    const target = this.resolve(name, req, res);
    if (!target) return;
    const c = target.fn.eventInvokeConfigs.get(target.qualifier);
    if (!c) {
      return sendJsonError(res, resourceNotFound(`The function ${target.fn.arn}:${target.qualifier} doesn't have an EventInvokeConfig`));
    }
    this.sendConfig(res, `${target.fn.arn}:${target.qualifier}`, c);
  }

  private async putEventInvokeConfig(name: string, req: Request, res: http.ServerResponse, mode: 'put' | 'update'): Promise<void> {
    const target = this.resolve(name, req, res);
    if (!target) return;
    let input: any;
    try {
      input = JSON.parse(req.body.toString('utf8') || '{}');
    } catch {
      return sendJsonError(res, invalidRequestContent('Could not parse request body into json'));
    }
    try {
      const c = await this.lambda.putEventInvokeConfig(target.fn, target.qualifier, input, mode);
      this.sendConfig(res, `${target.fn.arn}:${target.qualifier}`, c);
    } catch (e) {
      if (e instanceof LambdaApiError) return sendJsonError(res, e);
      throw e;
    }
  }

  private deleteEventInvokeConfig(name: string, req: Request, res: http.ServerResponse): void {
    const target = this.resolve(name, req, res);
    if (!target) return;
    if (!target.fn.eventInvokeConfigs.delete(target.qualifier)) {
      return sendJsonError(res, resourceNotFound(`The function ${target.fn.arn}:${target.qualifier} doesn't have an EventInvokeConfig`));
    }
    send(res, 204, '');
  }

  private sendConfig(res: http.ServerResponse, qualifiedArn: string, c: EventInvokeConfig): void {
    const destinationConfig: Record<string, unknown> = {};
    if (c.onSuccess) destinationConfig.OnSuccess = { Destination: c.onSuccess };
    if (c.onFailure) destinationConfig.OnFailure = { Destination: c.onFailure };
    send(res, 200, JSON.stringify({
      LastModified: c.lastModified.getTime() / 1000,
      FunctionArn: qualifiedArn,
      ...(c.maximumRetryAttempts !== undefined ? { MaximumRetryAttempts: c.maximumRetryAttempts } : {}),
      ...(c.maximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: c.maximumEventAgeInSeconds } : {}),
      DestinationConfig: destinationConfig,
    }), { 'Content-Type': 'application/json' });
  }

  private getFunction(name: string, req: Request, res: http.ServerResponse): void {
    const target = this.resolve(name, req, res);
    if (!target) return;
    const fn = target.fn;
    send(res, 200, JSON.stringify({
      Configuration: {
        FunctionName: fn.name,
        FunctionArn: fn.arn,
        Runtime: fn.runtime,
        Role: fn.roleArn,
        Handler: fn.handler,
        Timeout: fn.timeoutSeconds,
        MemorySize: fn.memorySize,
        Version: '$LATEST',
        State: 'Active',
        ...(fn.deadLetterTargetArn ? { DeadLetterConfig: { TargetArn: fn.deadLetterTargetArn } } : {}),
      },
      ...(fn.reservedConcurrency !== undefined ? { Concurrency: { ReservedConcurrentExecutions: fn.reservedConcurrency } } : {}),
    }), { 'Content-Type': 'application/json' });
  }
}
