import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { synth } from './helpers';

const BIN = path.join(__dirname, '..', 'bin', 'cdk-async-local.js');

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
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line; stderr: ${stderr}`)), 40_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      const m = /^ready (http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  expect(stdout.trim().split('\n')).toEqual([`ready ${endpoint}`]);

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
