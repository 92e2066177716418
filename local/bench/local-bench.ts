// `npm run bench:local`: 5,000 Event invokes end-to-end into an SQS success destination, against a
// same-run baseline of 5,000 direct SQS sends through the same endpoint. Prints throughput,
// invoke→record latency percentiles, records lost (must be 0) and the ratio to the baseline.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const N = Number(process.env.BENCH_N ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const GOAL = 500;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight. */
async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await task(next++);
  }));
}

/** Drains a queue until `expected` distinct sequence numbers arrived or `idleMs` pass without any. */
async function drain(client: SQSClient, queueUrl: string, expected: number, onMessage: (body: string, sentTs: number) => number,
  idleMs = 10_000): Promise<Set<number>> {
  const seen = new Set<number>();
  let lastProgress = Date.now();
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (seen.size < expected && Date.now() - lastProgress < idleMs) {
      const out = await client.send(new ReceiveMessageCommand({
        QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, MessageSystemAttributeNames: ['SentTimestamp'],
      }));
      const msgs = out.Messages ?? [];
      if (msgs.length === 0) continue;
      lastProgress = Date.now();
      for (const m of msgs) seen.add(onMessage(m.Body!, Number(m.Attributes?.SentTimestamp ?? Date.now())));
      await client.send(new DeleteMessageBatchCommand({
        QueueUrl: queueUrl, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }));
    }
  }));
  return seen;
}

async function main(): Promise<void> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-local-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'Bench', { env: { account: '000000000000', region: 'us-east-1' } });
  const records = new sqs.Queue(stack, 'Records');
  const baseline = new sqs.Queue(stack, 'Baseline');
  const fn = new lambda.Function(stack, 'Echo', {
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (event) => ({ seq: event.seq });'),
    retryAttempts: 0,
    onSuccess: new SqsDestination(records),
  });
  new CfnOutput(stack, 'Fn', { value: fn.functionName });
  new CfnOutput(stack, 'RecordsUrl', { value: records.queueUrl });
  new CfnOutput(stack, 'BaselineQueue', { value: baseline.queueUrl });
  app.synth();

  // the local cloud runs as users run it: `cdk-async-local serve`, in its own process
  const server = spawn(process.execPath, [path.join(__dirname, '..', 'bin', 'cdk-async-local.js'), 'serve', '--assembly', outdir,
    '--port', '0', '--time-scale', '0.001', '--quiet-handlers'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    server.stdout.on('data', (d) => {
      text += d;
      const m = /ready (\S+)/.exec(text);
      if (m) resolve(m[1]);
    });
    server.once('exit', (code) => reject(new Error(`cdk-async-local serve exited with ${code}`)));
  });
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
  const cfn = new CloudFormationClient(config);
  const lambdaClient = new LambdaClient({ ...config, maxAttempts: 1 });
  const sqsClient = new SQSClient(config);
  try {
    const d = await cfn.send(new DescribeStacksCommand({ StackName: 'Bench' }));
    const out = Object.fromEntries(d.Stacks![0].Outputs!.map((o) => [o.OutputKey!, o.OutputValue!]));

    // warm up: one handler process, connections
    await lambdaClient.send(new InvokeCommand({ FunctionName: out.Fn, Payload: Buffer.from('{"seq":-1}') }));

    // baseline: N direct SQS sends through the same endpoint, same concurrency
    const b0 = Date.now();
    await pool(N, CONCURRENCY, async (i) => {
      await sqsClient.send(new SendMessageCommand({ QueueUrl: out.BaselineQueue, MessageBody: JSON.stringify({ seq: i, sentAt: Date.now() }) }));
    });
    const baselineMs = Date.now() - b0;

    // end to end: N Event invokes; each record's SentTimestamp minus the invoke time is its latency
    const sentAt = new Array<number>(N);
    const latencies: number[] = [];
    let lastRecordTs = 0;
    const t0 = Date.now();
    const receiving = drain(sqsClient, out.RecordsUrl, N, (body, sentTs) => {
      const seq = JSON.parse(body).responsePayload.seq as number;
      latencies.push(sentTs - sentAt[seq]);
      lastRecordTs = Math.max(lastRecordTs, sentTs);
      return seq;
    });
    await pool(N, CONCURRENCY, async (i) => {
      sentAt[i] = Date.now();
      const r = await lambdaClient.send(new InvokeCommand({ FunctionName: out.Fn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ seq: i })) }));
      if (r.StatusCode !== 202) throw new Error(`invoke ${i}: HTTP ${r.StatusCode}`);
    });
    const acceptedMs = Date.now() - t0;
    const seen = await receiving;
    const e2eMs = lastRecordTs - t0;
    const lost = N - [...seen].filter((s) => s >= 0 && s < N).length;
    latencies.sort((a, b) => a - b);

    const e2eRate = N / (e2eMs / 1000);
    const baselineRate = N / (baselineMs / 1000);
    const rows: [string, string][] = [
      ['Event invokes', String(N)],
      ['client concurrency', String(CONCURRENCY)],
      ['invokes accepted (202) /s', (N / (acceptedMs / 1000)).toFixed(0)],
      ['end-to-end invokes /s (first invoke → last record in SQS)', e2eRate.toFixed(0)],
      ['invoke→record latency p50 (ms)', String(percentile(latencies, 50))],
      ['invoke→record latency p99 (ms)', String(percentile(latencies, 99))],
      ['records lost', String(lost)],
      ['baseline: direct SQS sends /s (same endpoint, same run)', baselineRate.toFixed(0)],
      ['ratio end-to-end / baseline', (e2eRate / baselineRate).toFixed(2)],
      [`goal ≥ ${GOAL} invokes/s`, e2eRate >= GOAL ? 'met' : 'NOT met'],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    console.log(`\nlocal cloud bench (node ${process.version}, ${os.cpus().length} cores)`);
    for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
    console.log(JSON.stringify({
      n: N,
      concurrency: CONCURRENCY,
      e2eInvokesPerSec: Math.round(e2eRate),
      acceptedPerSec: Math.round(N / (acceptedMs / 1000)),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      lost,
      baselineSendsPerSec: Math.round(baselineRate),
      ratio: Number((e2eRate / baselineRate).toFixed(3)),
    }));
    if (lost > 0) process.exitCode = 1;
  } finally {
    cfn.destroy();
    lambdaClient.destroy();
    sqsClient.destroy();
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(process.exitCode ?? 0), (e) => {
  console.error(e);
  process.exit(1);
});
