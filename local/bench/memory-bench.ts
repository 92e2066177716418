// Memory under load: ROUNDS × N Event invokes (10 % failing) into SQS success and failure
// destinations, the local cloud running as `cdk-async-local serve`; after each round (every record
// received), the resident memory of the local cloud and of its fauxqs backend. Flat after the
// warm-up round means nothing grows with the number of invocations: the ratios to round 1 show it.
//   npx ts-node --transpile-only --project tsconfig.dev.json bench/memory-bench.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { SQSClient } from '@aws-sdk/client-sqs';
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { descendants, drain, getJson, pool, rssMb, serve, stopServe, table } from './support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const N = Number(process.env.BENCH_N ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);

async function main(): Promise<void> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-memory-'));
  const app = new App({ outdir });
  const stack = new Stack(app, 'MemoryBench', { env: { account: '000000000000', region: 'us-east-1' } });
  const ok = new sqs.Queue(stack, 'Ok');
  const failed = new sqs.Queue(stack, 'Failed');
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_20_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (e) => { if (e.fail) throw new Error(\'planned\'); return { seq: e.seq }; };'),
    retryAttempts: 0,
    onSuccess: new SqsDestination(ok),
    onFailure: new SqsDestination(failed),
  });
  new CfnOutput(stack, 'FnName', { value: fn.functionName });
  new CfnOutput(stack, 'OkUrl', { value: ok.queueUrl });
  new CfnOutput(stack, 'FailedUrl', { value: failed.queueUrl });
  app.synth();

  const { server, endpoint } = await serve(outdir);
  const config = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
  const cfn = new CloudFormationClient(config);
  const lambdaClient = new LambdaClient({ ...config, maxAttempts: 1 });
  const sqsClient = new SQSClient(config);
  const rows: (string | number)[][] = [['round', 'invokes', 'records', 'lost', 'dup', 'local cloud RSS MB', 'heap after GC MB', 'fauxqs RSS MB', 'RSS / round 1', 'heap / round 1', 's']];
  let lostTotal = 0;
  try {
    const d = await cfn.send(new DescribeStacksCommand({ StackName: 'MemoryBench' }));
    const out = Object.fromEntries(d.Stacks![0].Outputs!.map((o) => [o.OutputKey!, o.OutputValue!]));
    const fauxqs = descendants(server.pid!).find((p) => p.args.includes('fauxqs-host'))!;
    let firstRss = 0;
    let firstHeap = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const t0 = Date.now();
      const seen = new Map<number, number>();
      const receiving = drain(sqsClient, [out.OkUrl, out.FailedUrl], () => seen.size >= N, (_q, body) => {
        const seq = JSON.parse(body).requestPayload.seq as number;
        seen.set(seq, (seen.get(seq) ?? 0) + 1);
      });
      await pool(N, CONCURRENCY, async (i) => {
        const r = await lambdaClient.send(new InvokeCommand({
          FunctionName: out.FnName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ seq: i, fail: i % 10 === 0 })),
        }));
        if (r.StatusCode !== 202) throw new Error(`invoke ${i}: HTTP ${r.StatusCode}`);
      });
      await receiving;
      await new Promise((r) => setTimeout(r, 2000)); // let the last sockets and timers go
      const health = await getJson(`${endpoint}/_local/health?gc=1`); // a full collection first: what is still referenced
      const lost = N - seen.size;
      const dup = [...seen.values()].filter((n) => n > 1).length;
      lostTotal += lost + dup;
      const rss = rssMb(server.pid!);
      if (round === 1) firstRss = rss;
      if (round === 1) firstHeap = health.memory.heapUsed;
      rows.push([round, N, seen.size, lost, dup, rss.toFixed(0), (health.memory.heapUsed / 1024 / 1024).toFixed(0),
        rssMb(fauxqs.pid).toFixed(0), (rss / firstRss).toFixed(2), (health.memory.heapUsed / firstHeap).toFixed(2),
        ((Date.now() - t0) / 1000).toFixed(1)]);
    }
    const deliveries = await getJson(`${endpoint}/_local/deliveries?limit=0`);
    console.log(`\nlocal cloud memory bench (node ${process.version}, ${os.cpus().length} cores): ${ROUNDS} rounds of ${N} Event invokes, ${CONCURRENCY} in flight`);
    table(rows);
    console.log(`  /_local/deliveries: ${deliveries.total} reported, ${deliveries.total - deliveries.dropped} kept`);
    if (lostTotal > 0) process.exitCode = 1;
  } finally {
    cfn.destroy();
    lambdaClient.destroy();
    sqsClient.destroy();
    await stopServe(server);
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(process.exitCode ?? 0), (e) => {
  console.error(e);
  process.exit(1);
});
