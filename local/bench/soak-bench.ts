// Soak: N Event invokes of handlers that succeed, throw, exit the process, time out, or start a
// process that would outlive them, with retries, the local cloud running as `cdk-async-local serve`.
// Every invocation must leave exactly one record (success or failure destination): it reports
// records lost and duplicated, and after stop, processes left behind. All three must be 0; the
// throughput is reported against a same-run baseline of the same number of succeeding invokes.
//   npx ts-node --transpile-only --project tsconfig.dev.json bench/soak-bench.ts
import { randomInt } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { descendants, drain, pool, serve, stopServe, table } from './support';
import { running } from '../src/services/lambda/process-tree';

const N = Number(process.env.BENCH_N ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
/** a `sleep` duration no other process uses: how the grandchildren are found after stop */
const MARKER_SECONDS = 900 + randomInt(99);

/** What invocation i does (per 100: 1 timeout, 3 exits, 15 throws, 2 grandchildren, 79 successes). */
function kind(i: number): 'timeout' | 'exit' | 'throw' | 'spawn' | 'ok' {
  const k = i % 100;
  if (k === 0) return 'timeout';
  if (k <= 3) return 'exit';
  if (k <= 18) return 'throw';
  if (k <= 20) return 'spawn';
  return 'ok';
}

const MIXED = `const { spawn } = require('node:child_process');
exports.handler = async (e) => {
  if (e.kind === 'throw') throw new Error('planned ' + e.seq);
  if (e.kind === 'exit') process.exit(7);
  if (e.kind === 'spawn') spawn('sleep', ['${MARKER_SECONDS}'], { stdio: 'ignore', detached: e.seq % 2 === 0 }).unref();
  return { seq: e.seq };
};`;

async function main(): Promise<void> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-soak-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'SoakBench', { env: { account: '000000000000', region: 'us-east-1' } });
  const ok = new sqs.Queue(stack, 'Ok');
  const failed = new sqs.Queue(stack, 'Failed');
  const functions = {
    Mixed: new lambda.Function(stack, 'Mixed', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(MIXED),
      retryAttempts: 2,
      onSuccess: new SqsDestination(ok),
      onFailure: new SqsDestination(failed),
    }),
    Slow: new lambda.Function(stack, 'Slow', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => { for (;;) {} };'),
      timeout: Duration.seconds(1),
      retryAttempts: 0,
      onSuccess: new SqsDestination(ok),
      onFailure: new SqsDestination(failed),
    }),
    Baseline: new lambda.Function(stack, 'Baseline', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (e) => ({ seq: e.seq });'),
      retryAttempts: 0,
      onSuccess: new SqsDestination(ok),
    }),
  };
  for (const [k, f] of Object.entries(functions)) new CfnOutput(stack, `${k}Name`, { value: f.functionName });
  new CfnOutput(stack, 'OkUrl', { value: ok.queueUrl });
  new CfnOutput(stack, 'FailedUrl', { value: failed.queueUrl });
  app.synth();

  const { server, endpoint } = await serve(outdir, ['--workers-per-function', '8']);
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
  const cfn = new CloudFormationClient(config);
  const lambdaClient = new LambdaClient({ ...config, maxAttempts: 1 });
  const sqsClient = new SQSClient(config);
  let stopped = false;
  try {
    const d = await cfn.send(new DescribeStacksCommand({ StackName: 'SoakBench' }));
    const out = Object.fromEntries(d.Stacks![0].Outputs!.map((o) => [o.OutputKey!, o.OutputValue!]));

    /** Invokes n events, waits for their records; counts per seq and what each record says. */
    const run = async (n: number, target: (i: number) => { fn: string; payload: object }) => {
      const seen = new Map<number, number>();
      const conditions = new Map<string, number>();
      const t0 = Date.now();
      const receiving = drain(sqsClient, [out.OkUrl, out.FailedUrl], () => seen.size >= n, (_q, body) => {
        const r = JSON.parse(body);
        seen.set(r.requestPayload.seq, (seen.get(r.requestPayload.seq) ?? 0) + 1);
        const what = `${r.requestContext.condition}${r.responsePayload?.errorType ? ` ${r.responsePayload.errorType}` : ''}`;
        conditions.set(what, (conditions.get(what) ?? 0) + 1);
      }, 30_000);
      await pool(n, CONCURRENCY, async (i) => {
        const { fn, payload } = target(i);
        const r = await lambdaClient.send(new InvokeCommand({ FunctionName: fn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
        if (r.StatusCode !== 202) throw new Error(`invoke ${i}: HTTP ${r.StatusCode}`);
      });
      await receiving;
      await new Promise((r) => setTimeout(r, 1000)); // a duplicate would arrive by now
      const seconds = (Date.now() - t0) / 1000;
      return { seen, conditions, seconds, lost: n - seen.size, duplicated: [...seen.values()].reduce((a, c) => a + c - 1, 0) };
    };

    const baseline = await run(N, (i) => ({ fn: out.BaselineName, payload: { seq: i } }));
    const soak = await run(N, (i) => ({ fn: kind(i) === 'timeout' ? out.SlowName : out.MixedName, payload: { seq: i, kind: kind(i) } }));

    const tree = descendants(server.pid!);
    const grandchildren = tree.filter((p) => p.args.includes(`sleep ${MARKER_SECONDS}`));
    await stopServe(server);
    stopped = true;
    await new Promise((r) => setTimeout(r, 500));
    const left = tree.filter((p) => running(p.pid));

    console.log(`\nlocal cloud soak (node ${process.version}, ${os.cpus().length} cores): ${N} Event invokes, ${CONCURRENCY} in flight, 8 handler processes per function`);
    table([
      ['run', 'invokes', 'records', 'lost', 'duplicated', 's', 'invokes/s', 'ratio to baseline'],
      ['baseline (all succeed)', N, baseline.seen.size, baseline.lost, baseline.duplicated, baseline.seconds.toFixed(1), (N / baseline.seconds).toFixed(0), '1.00'],
      ['soak (throws, exits, timeouts, grandchildren)', N, soak.seen.size, soak.lost, soak.duplicated, soak.seconds.toFixed(1), (N / soak.seconds).toFixed(0),
        (baseline.seconds / soak.seconds).toFixed(2)],
    ]);
    console.log('  soak records by condition:');
    for (const [what, count] of [...soak.conditions].sort()) console.log(`    ${what}: ${count}`);
    console.log(`  processes under the local cloud before stop: ${tree.length} (grandchildren started by handlers and still there: ${grandchildren.length}); left running after stop: ${left.length}`);
    for (const p of left) console.log(`    left: ${p.pid} ${p.args}`);
    if (baseline.lost + baseline.duplicated + soak.lost + soak.duplicated + left.length > 0) process.exitCode = 1;
    left.forEach((p) => process.kill(p.pid, 'SIGKILL'));
  } finally {
    cfn.destroy();
    lambdaClient.destroy();
    sqsClient.destroy();
    if (!stopped) await stopServe(server);
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(process.exitCode ?? 0), (e) => {
  console.error(e);
  process.exit(1);
});
