import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { synth } from './helpers';

const BIN = path.join(__dirname, '..', 'bin', 'cdk-async-local.js');

/** What a child process has written so far. */
interface Output { stdout: string; stderr: string }

function collect(child: ChildProcess): Output {
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d) => { output.stdout += d; });
  child.stderr!.on('data', (d) => { output.stderr += d; });
  return output;
}

/** The endpoint of `serve`'s ready line, once printed (rejects if the process exits first or after 40 s). */
function readyEndpoint(child: ChildProcess, output: Output): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line; stderr: ${output.stderr}`)), 40_000);
    child.stdout!.on('data', () => {
      const m = /^ready (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output.stdout);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${output.stderr}`)); });
  });
}

function childPids(pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').map((s) => Number(s.trim())).filter(Boolean);
}

test.each(['SIGTERM', 'SIGINT'] as const)('serve prints one ready line, answers SDK calls, and %s stops it and its processes', async (signal) => {
  const assembly = synth((app) => {
    const stack = new Stack(app, 'Cli', { env: { account: '000000000000', region: 'us-east-1' } });
    new lambda.Function(stack, 'Hello', {
      functionName: 'cli-hello',
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (e) => ({ hello: e.name });'),
    });
  });
  const child = spawn(process.execPath, [BIN, 'serve', '--assembly', assembly, '--port', '0', '--time-scale', '0.001', '--quiet-handlers'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collect(child);
  const endpoint = await readyEndpoint(child, output);
  expect(output.stdout.trim().split('\n')).toEqual([`ready ${endpoint}`]);

  const client = new LambdaClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const out = await client.send(new InvokeCommand({ FunctionName: 'cli-hello', Payload: Buffer.from('{"name":"cli"}') }));
  expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual({ hello: 'cli' });
  client.destroy();

  const children = childPids(child.pid!);
  expect(children.length).toBeGreaterThanOrEqual(2); // fauxqs + the warm handler
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill(signal);
  expect(await exit).toBe(0);
  for (const pid of children) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
}, 60_000);

test('serve --watch: a new synth into the assembly directory is deployed as an update', async () => {
  // GIVEN a served assembly whose function answers v1
  const app = (answer: string) => (a: App) => {
    const stack = new Stack(a, 'Watched', { env: { account: '000000000000', region: 'us-east-1' } });
    new lambda.Function(stack, 'Fn', {
      functionName: 'cli-watched',
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(`exports.handler = async () => ${JSON.stringify(answer)};`),
    });
  };
  const assembly = synth(app('v1'));
  const child = spawn(process.execPath, [BIN, 'serve', '--assembly', assembly, '--port', '0', '--watch', '--quiet-handlers'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  child.stdout.on('data', (d) => { stdout += d; });
  const line = (re: RegExp) => new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line ${re} in ${JSON.stringify(stdout)}; stderr: ${stderr}`)), 40_000);
    const look = () => {
      const m = re.exec(stdout);
      if (m) { clearTimeout(timer); child.stdout.off('data', look); resolve(m); }
    };
    child.stdout.on('data', look);
    look();
  });
  const client = (endpoint: string) => new LambdaClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const answer = async (c: LambdaClient) => JSON.parse(Buffer.from((await c.send(new InvokeCommand({ FunctionName: 'cli-watched' }))).Payload!).toString());
  try {
    const [, endpoint] = await line(/^ready (http:\/\/127\.0\.0\.1:\d+)$/m);
    const lambdaClient = client(endpoint);
    expect(await answer(lambdaClient)).toBe('v1');
    // WHEN the app is synthesized again into the same directory, with new code
    const outdir = new App({ outdir: assembly });
    app('v2')(outdir);
    outdir.synth();
    // THEN the watcher deploys it as an update: same function name, new code
    await line(/^updated Watched$/m);
    expect(await answer(lambdaClient)).toBe('v2');
    lambdaClient.destroy();
  } finally {
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  }
}, 60_000);

test('a broken assembly: exit code 1 and one clear message', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-broken-'));
  const r = spawnSync(process.execPath, [BIN, 'serve', '--assembly', dir, '--port', '0'], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stderr.trim()).toBe(`cdk-async-local: ${dir} is not a cloud assembly: manifest.json not found (run \`npx cdk synth\` first)`);
  expect(r.stdout).toBe('');
}, 30_000);

test('a port in use: exit code 1 and one clear message', async () => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const assembly = synth((app) => { new Stack(app, 'Busy').templateOptions.description = 'empty'; });
  const r = spawnSync(process.execPath, [BIN, 'serve', '--assembly', assembly, '--port', String(port)], { encoding: 'utf8' });
  server.close();
  expect(r.status).toBe(1);
  expect(r.stderr.trim()).toBe(`cdk-async-local: listen EADDRINUSE: address already in use 127.0.0.1:${port}`);
}, 30_000);

test('unknown options are rejected with the usage', () => {
  const r = spawnSync(process.execPath, [BIN, 'serve', '--prot', '1'], { encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(/^unknown option --prot\nusage: cdk-async-local serve/);
}, 30_000);

test('serve with no assembly (no --assembly, no ./cdk.out) starts an empty cloud', async () => {
  // GIVEN a directory without cdk.out
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-empty-'));
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--quiet-handlers'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const endpoint = await readyEndpoint(child, collect(child));
    // THEN it answers with no stacks
    const cfn = new CloudFormationClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    expect((await cfn.send(new DescribeStacksCommand({}))).Stacks).toEqual([]);
    cfn.destroy();
  } finally {
    child.kill('SIGTERM');
  }
}, 60_000);

test.each([
  [['serve', '--assembly'], /^--assembly needs a directory/],
  [['serve', '--watch', '--port', '0'], /^--watch needs an assembly/],
])('serve %p is refused with the usage', (args, message) => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-empty-'));
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(message);
}, 30_000);
