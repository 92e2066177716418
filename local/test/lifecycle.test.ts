import { spawnSync } from 'node:child_process';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LocalCloud } from '../src';
import { clients, SUCCEED_OR_THROW, synth } from './helpers';

function children(): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)], { encoding: 'utf8' }).stdout;
  return out.split('\n').map((s) => Number(s.trim())).filter(Boolean);
}

test('stop() during a real-time retry wait returns at once and leaves no process behind', async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, 'Lifecycle', { env: { account: '000000000000', region: 'us-east-1' } });
    new lambda.Function(stack, 'Fails', {
      functionName: 'lifecycle-fails', runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(SUCCEED_OR_THROW),
    });
  });
  const before = children();
  const cloud = await LocalCloud.start({ assembly, port: 0, timeScale: 1, log: () => undefined, handlerOutput: 'ignore' });
  const c = clients(cloud.endpoint);
  await c.lambda.send(new InvokeCommand({ FunctionName: 'lifecycle-fails', InvocationType: 'Event', Payload: Buffer.from('{}') }));
  // the first attempt fails; the event now waits 60 s (time scale 1) for its retry
  const deadline = Date.now() + 10_000;
  while (cloud.metrics.lambda('AsyncEventAge', 'lifecycle-fails', 'SampleCount') < 1 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 200));
  const started = children().filter((p) => !before.includes(p));
  expect(started.length).toBeGreaterThanOrEqual(2); // fauxqs + the handler
  c.destroy();

  const t0 = Date.now();
  await cloud.stop();
  expect(Date.now() - t0).toBeLessThan(3000);
  await cloud.idle();
  await cloud.stop(); // a second stop is a no-op
  for (const pid of started) expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  expect(cloud.handlerPids()).toEqual([]);
  // the endpoint is closed
  await expect(fetch(`${cloud.endpoint}/_local/health`)).rejects.toThrow();
}, 30_000);
