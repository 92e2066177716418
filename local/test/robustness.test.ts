import { InvokeCommand, LambdaServiceException, LogType } from '@aws-sdk/client-lambda';
import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../src';
import { Clients, clients, physicalIds, receive, startQuietCloud, synth } from './helpers';

const STACK = 'Robustness';
let cloud: LocalCloud;
let c: Clients;
let ids: Record<string, string>;

const HANDLERS: Record<string, string> = {
  ThrowString: 'exports.handler = async () => { throw \'plain string\'; };',
  Callback: `exports.handler = (event, context, callback) => {
    if (event.fail) return callback(new TypeError('callback failure'));
    setTimeout(() => callback(null, { viaCallback: true, rid: context.awsRequestId }), 5);
  };`,
  Pid: 'exports.handler = async () => process.pid;',
  Logs: 'exports.handler = async (event) => { console.log(\'hello %s\', event.name); console.error(\'careful\'); if (event.fail) throw new Error(\'logged failure\'); return 1; };',
  Undefined: 'exports.handler = async () => undefined;',
  StringResult: 'exports.handler = async () => \'just text\';',
  Crash: 'exports.handler = async () => { setTimeout(() => { throw new RangeError(\'crash outside the handler\'); }, 0); await new Promise(() => {}); };',
  Rejection: 'exports.handler = async () => { Promise.reject(new Error(\'nobody waits for me\')); await new Promise((r) => setTimeout(r, 200)); return \'too late\'; };',
  Loop: 'exports.handler = async () => { for (;;) {} };',
  Exit: 'exports.handler = async () => { process.exit(3); };',
  Syntax: 'exports.handler = async () => { return {; };',
  MissingModule: 'require(\'./does-not-exist\'); exports.handler = async () => 1;',
  NoHandler: 'exports.other = async () => 1;',
};

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
    const failed = new sqs.Queue(stack, 'FailureQueue');
    for (const [name, code] of Object.entries(HANDLERS)) {
      new lambda.Function(stack, name, {
        runtime: lambda.Runtime.NODEJS_20_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline(code),
        timeout: Duration.seconds(1),
        retryAttempts: 0,
        onFailure: new SqsDestination(failed),
      });
    }
  });
  cloud = await startQuietCloud(assembly);
  c = clients(cloud.endpoint);
  ids = await physicalIds(c, STACK);
}, 60_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
});

function fnName(logicalPrefix: string): string {
  const k = Object.keys(ids).find((x) => x.startsWith(logicalPrefix) && !/ServiceRole|EventInvokeConfig/.test(x));
  if (!k) throw new Error(`no function ${logicalPrefix}`);
  return ids[k];
}

async function sync(name: string, payload: unknown = {}) {
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: fnName(name), Payload: Buffer.from(JSON.stringify(payload)) }));
  const text = Buffer.from(out.Payload ?? []).toString();
  return { out, body: text ? JSON.parse(text) : undefined };
}

async function rejection(p: Promise<unknown>): Promise<LambdaServiceException> {
  try {
    await p;
  } catch (e) {
    return e as LambdaServiceException;
  }
  throw new Error('expected the call to fail');
}

describe('error payloads', () => {
  test('a thrown non-Error value: errorType is its typeof, empty trace', async () => {
    const { out, body } = await sync('ThrowString');
    expect(out.FunctionError).toBe('Unhandled');
    expect(body).toEqual({ errorType: 'string', errorMessage: 'plain string', trace: [] });
  });

  test('callback handlers: result and callback(err)', async () => {
    const ok = await sync('Callback');
    expect(ok.out.FunctionError).toBeUndefined();
    expect(ok.body).toEqual({ viaCallback: true, rid: ok.out.$metadata.requestId });
    const bad = await sync('Callback', { fail: true });
    expect(bad.out.FunctionError).toBe('Unhandled');
    expect(bad.body.errorType).toBe('TypeError');
    expect(bad.body.errorMessage).toBe('callback failure');
    expect(bad.body.trace[0]).toBe('TypeError: callback failure');
  });

  test('undefined result is null; a string result stays a string', async () => {
    expect((await sync('Undefined')).body).toBeNull();
    expect((await sync('StringResult')).body).toBe('just text');
  });

  test('timeout: the process is killed after the function timeout, Sandbox.Timedout', async () => {
    const started = Date.now();
    const { out, body } = await sync('Loop');
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(1000);
    expect(took).toBeLessThan(5000);
    expect(out.FunctionError).toBe('Unhandled');
    expect(body).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: Task timed out after 1.00 seconds`,
    });
  });

  test('process.exit during the invocation: Runtime.ExitError', async () => {
    const { out, body } = await sync('Exit');
    expect(body).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${out.$metadata.requestId} Error: Runtime exited without providing a reason`,
    });
  });

  test('an uncaught exception outside the handler fails the invocation with that error', async () => {
    const { out, body } = await sync('Crash');
    expect(out.FunctionError).toBe('Unhandled');
    expect(body.errorType).toBe('RangeError');
    expect(body.errorMessage).toBe('crash outside the handler');
  });

  test('an unhandled rejection fails the invocation: Runtime.UnhandledPromiseRejection', async () => {
    const { out, body } = await sync('Rejection');
    expect(out.FunctionError).toBe('Unhandled');
    expect(body.errorType).toBe('Runtime.UnhandledPromiseRejection');
    expect(body.errorMessage).toBe('Error: nobody waits for me');
    expect(body.trace[0]).toBe('Runtime.UnhandledPromiseRejection: Error: nobody waits for me');
  });

  test('init errors: syntax error, missing module, missing handler', async () => {
    const syntax = await sync('Syntax');
    expect(syntax.out.FunctionError).toBe('Unhandled');
    expect(syntax.body.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(syntax.body.errorMessage).toMatch(/^SyntaxError: /);
    const missing = await sync('MissingModule');
    expect(missing.body.errorType).toBe('Runtime.ImportModuleError');
    expect(missing.body.errorMessage).toMatch(/Cannot find module '\.\/does-not-exist'/);
    const noHandler = await sync('NoHandler');
    expect(noHandler.body).toEqual({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.handler is undefined or not exported', trace: [] });
  });

  test('asynchronous timeouts and exits reach the failure destination as records', async () => {
    for (const name of ['Loop', 'Exit']) {
      await c.lambda.send(new InvokeCommand({ FunctionName: fnName(name), InvocationType: 'Event', Payload: Buffer.from('{}') }));
    }
    const msgs = await receive(c, fnNameQueue(), 2, 15_000);
    const byType = Object.fromEntries(msgs.map((m) => JSON.parse(m.Body!)).map((r) => [r.responsePayload.errorType, r]));
    expect(Object.keys(byType).sort()).toEqual(['Runtime.ExitError', 'Sandbox.Timedout']);
    for (const r of Object.values<any>(byType)) {
      expect(r.requestContext.condition).toBe('RetriesExhausted');
      expect(r.responseContext.functionError).toBe('Unhandled');
      expect(r.responsePayload.errorMessage).toContain(`RequestId: ${r.requestContext.requestId} Error: `);
    }
  });
});

function fnNameQueue(): string {
  return ids[Object.keys(ids).find((k) => k.startsWith('FailureQueue') && !k.includes('Policy'))!];
}

test('warm processes are reused between invocations', async () => {
  const a = (await sync('Pid')).body;
  const b = (await sync('Pid')).body;
  expect(typeof a).toBe('number');
  expect(b).toBe(a);
  expect(cloud.handlerPids()).toContain(a);
});

describe('bad input', () => {
  test('unknown function: 404 ResourceNotFoundException', async () => {
    const e = await rejection(c.lambda.send(new InvokeCommand({ FunctionName: 'no-such-function', InvocationType: 'Event', Payload: Buffer.from('{}') })));
    expect(e.name).toBe('ResourceNotFoundException');
    expect(e.$metadata.httpStatusCode).toBe(404);
    expect(e.message).toBe('Function not found: arn:aws:lambda:us-east-1:000000000000:function:no-such-function');
  });

  test('Event payload over 1 MB: 413 RequestEntityTooLargeException', async () => {
    const big = JSON.stringify({ data: 'x'.repeat(1024 * 1024) });
    const e = await rejection(c.lambda.send(new InvokeCommand({ FunctionName: fnName('Pid'), InvocationType: 'Event', Payload: Buffer.from(big) })));
    expect(e.name).toBe('RequestEntityTooLargeException');
    expect(e.$metadata.httpStatusCode).toBe(413);
    // the same payload is fine synchronously (limit 6 MB)
    const ok = await c.lambda.send(new InvokeCommand({ FunctionName: fnName('Pid'), Payload: Buffer.from(big) }));
    expect(ok.StatusCode).toBe(200);
  });

  test('sync payload over 6 MB: 413 RequestEntityTooLargeException', async () => {
    const big = JSON.stringify({ data: 'x'.repeat(6 * 1024 * 1024) });
    const e = await rejection(c.lambda.send(new InvokeCommand({ FunctionName: fnName('Pid'), Payload: Buffer.from(big) })));
    expect(e.name).toBe('RequestEntityTooLargeException');
    expect(e.$metadata.httpStatusCode).toBe(413);
  });

  test('malformed JSON: 400 InvalidRequestContentException', async () => {
    const e = await rejection(c.lambda.send(new InvokeCommand({ FunctionName: fnName('Pid'), InvocationType: 'Event', Payload: Buffer.from('{"unterminated": ') })));
    expect(e.name).toBe('InvalidRequestContentException');
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.message).toMatch(/^Could not parse request body into json: Could not parse payload into json/);
  });
});

test('LogType Tail returns the invocation\'s log: START, console lines as AWS formats them, END, REPORT', async () => {
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: fnName('Logs'), LogType: LogType.Tail, Payload: Buffer.from('{"name":"tail"}') }));
  const id = out.$metadata.requestId;
  const lines = Buffer.from(out.LogResult!, 'base64').toString().trimEnd().split('\n');
  expect(lines[0]).toBe(`START RequestId: ${id} Version: $LATEST`);
  expect(lines[1]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\thello tail$`));
  expect(lines[2]).toMatch(new RegExp(`\\t${id}\\tERROR\\tcareful$`));
  expect(lines[3]).toBe(`END RequestId: ${id}`);
  expect(lines[4]).toMatch(new RegExp(`^REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB$`));
  expect(lines).toHaveLength(5);

  const failed = await c.lambda.send(new InvokeCommand({ FunctionName: fnName('Logs'), LogType: LogType.Tail, Payload: Buffer.from('{"name":"x","fail":true}') }));
  const failedLog = Buffer.from(failed.LogResult!, 'base64').toString();
  expect(failedLog).toContain('\tERROR\tInvoke Error \t{"errorType":"Error","errorMessage":"logged failure"');
  // without LogType Tail there is no log header
  const plain = await c.lambda.send(new InvokeCommand({ FunctionName: fnName('Logs'), Payload: Buffer.from('{}') }));
  expect(plain.LogResult).toBeUndefined();
});

test('no handler process outlives stop()', async () => {
  await sync('Pid');
  await sync('Callback');
  const pids = cloud.handlerPids();
  expect(pids.length).toBeGreaterThanOrEqual(2);
  await cloud.stop();
  for (const pid of pids) {
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  }
  expect(cloud.handlerPids()).toEqual([]);
});
