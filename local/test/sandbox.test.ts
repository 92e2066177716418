import { InvokeCommand } from '@aws-sdk/client-lambda';
import { Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LocalCloud } from '../src';
import { Clients, clients, physicalIds, startQuietCloud, synth } from './helpers';
import { running } from '../src/services/lambda/process-tree';

// Handler processes see what a Lambda environment has and nothing of the host's; another
// function's variables are not in what /proc shows of its processes; and stop() ends every process
// a handler started, even one that left the process group.

const STACK = 'Sandbox';
const HOST_SECRET = 'LOCAL_CLOUD_TEST_HOST_SECRET';
let cloud: LocalCloud;
let c: Clients;
let ids: Record<string, string>;

const HANDLERS: Record<string, [string, Record<string, string>?]> = {
  EnvDump: [`const os = require('node:os');
exports.handler = async () => ({ env: process.env, tmpdir: os.tmpdir(), homedir: os.homedir() });`, { FN_VAR: 'mine' }],
  Secretive: ['exports.handler = async () => ({ pid: process.pid, secret: process.env.SECRET_A });', { SECRET_A: 'a-secret-value-1234' }],
  ProcReader: [`const fs = require('node:fs');
exports.handler = async (event) => {
  const read = (file) => { try { return fs.readFileSync(file, 'utf8'); } catch (e) { return e.code; } };
  return { sibling: read('/proc/' + event.pid + '/environ'), self: read('/proc/self/environ') };
};`],
  Spawner: [`const { spawn } = require('node:child_process');
exports.handler = async (event) => {
  if (event.exit) process.exit(1);
  const keep = ['-e', 'setInterval(() => {}, 1000)'];
  const plain = spawn(process.execPath, keep, { stdio: 'ignore' });
  const escaped = spawn(process.execPath, keep, { stdio: 'ignore', detached: true });
  plain.unref();
  escaped.unref();
  return [plain.pid, escaped.pid];
};`],
};

beforeAll(async () => {
  process.env[HOST_SECRET] = 'host-secret-value';
  const assembly = synth((app) => {
    const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
    for (const [name, [code, environment]] of Object.entries(HANDLERS)) {
      new lambda.Function(stack, name, {
        runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(code), timeout: Duration.seconds(5), environment,
      });
    }
  });
  cloud = await startQuietCloud(assembly);
  c = clients(cloud.endpoint);
  ids = await physicalIds(c, STACK);
}, 60_000);

afterAll(async () => {
  delete process.env[HOST_SECRET];
  c?.destroy();
  await cloud?.stop();
});

const fnName = (prefix: string) => ids[Object.keys(ids).find((k) => k.startsWith(prefix) && !k.includes('ServiceRole'))!];

async function sync(name: string, payload: unknown = {}): Promise<any> {
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: fnName(name), Payload: Buffer.from(JSON.stringify(payload)) }));
  expect(out.FunctionError).toBeUndefined();
  return JSON.parse(Buffer.from(out.Payload!).toString());
}

test('a handler sees the runtime\'s variables and its own, nothing of the host\'s; HOME and TMPDIR are its own sandbox', async () => {
  const { env, tmpdir, homedir } = await sync('EnvDump');
  expect(env[HOST_SECRET]).toBeUndefined();
  expect(env.FN_VAR).toBe('mine');
  for (const key of Object.keys(env)) {
    expect(key).toMatch(/^(AWS_[A-Z0-9_]+|LAMBDA_TASK_ROOT|_HANDLER|_X_AMZN_TRACE_ID|PATH|HOME|TMPDIR|LANG|TZ|NODE_PATH|FN_VAR)$/);
  }
  expect(env.HOME).toMatch(new RegExp(`[/\\\\]sandbox[/\\\\]${fnName('EnvDump')}$`));
  expect(env.HOME).not.toBe(process.env.HOME);
  expect(homedir).toBe(env.HOME);
  expect(tmpdir).toBe(env.TMPDIR);
  expect(tmpdir.startsWith(env.HOME)).toBe(true);
});

test('another function\'s variables are not in /proc/<pid>/environ of its handler process', async () => {
  const secretive = await sync('Secretive');
  expect(secretive.secret).toBe('a-secret-value-1234'); // the function itself has it
  const { sibling, self } = await sync('ProcReader', { pid: secretive.pid });
  expect(typeof sibling).toBe('string');
  expect(sibling).not.toContain('a-secret-value-1234');
  expect(sibling).not.toContain('SECRET_A');
  expect(self).not.toContain(HOST_SECRET);
});

test('a handler process that exits takes the processes it started with it, as AWS resets the environment', async () => {
  const pids: number[] = await sync('Spawner');
  for (const pid of pids) expect(running(pid)).toBe(true);
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: fnName('Spawner'), Payload: Buffer.from('{"exit":true}') }));
  expect(JSON.parse(Buffer.from(out.Payload!).toString()).errorType).toBe('Runtime.ExitError');
  const deadline = Date.now() + 2000;
  while (pids.some(running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(pids.filter(running)).toEqual([]);
});

test('stop() ends every process a handler started, one that left the process group included', async () => {
  const pids: number[] = await sync('Spawner');
  expect(pids).toHaveLength(2);
  for (const pid of pids) expect(running(pid)).toBe(true);
  await cloud.stop();
  const deadline = Date.now() + 2000;
  while (pids.some(running) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(pids.filter(running)).toEqual([]);
});
