// `npm run demo`: synthesize the demo app, run it in the local cloud, invoke one succeeding and
// one failing event asynchronously, print the records that land in the success and failure queues.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { App } from 'aws-cdk-lib';
import { LocalCloud } from '../src';
import { buildDemoApp } from './app';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const TIME_SCALE = 0.001;

async function waitForRecord(sqs: SQSClient, queueUrl: string): Promise<unknown> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 1 }));
    const msg = out.Messages?.[0];
    if (msg) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: msg.ReceiptHandle! }));
      return JSON.parse(msg.Body!);
    }
  }
  throw new Error(`no record arrived on ${queueUrl} within 30 s`);
}

async function main(): Promise<void> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'async-demo-'));
  const app = new App({ outdir });
  buildDemoApp(app);
  app.synth();
  console.log(`synthesized the demo app into ${outdir}`);

  const cloud = await LocalCloud.start({ assembly: outdir, port: 0, timeScale: TIME_SCALE, log: (l) => console.log(`  [local cloud] ${l}`) });
  console.log(`local cloud ready at ${cloud.endpoint} (AWS waits scaled by ${TIME_SCALE})\n`);
  const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };
  const cfn = new CloudFormationClient(config);
  const lambda = new LambdaClient(config);
  const sqs = new SQSClient(config);
  try {
    const stack = await cfn.send(new DescribeStacksCommand({ StackName: 'AsyncDemo' }));
    const out = Object.fromEntries(stack.Stacks![0].Outputs!.map((o) => [o.OutputKey!, o.OutputValue!]));

    const events = [
      { label: 'succeeding', payload: { orderId: 'order-42', items: [{ price: 12.5 }, { price: 7.5 }] }, queue: out.SuccessQueueUrl },
      { label: 'failing', payload: { items: [] }, queue: out.FailureQueueUrl },
    ];
    for (const e of events) {
      const res = await lambda.send(new InvokeCommand({
        FunctionName: out.FunctionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(e.payload)),
      }));
      console.log(`invoked ${out.FunctionName} with the ${e.label} event ${JSON.stringify(e.payload)}: HTTP ${res.StatusCode}`);
    }
    for (const e of events) {
      const record: any = await waitForRecord(sqs, e.queue);
      const which = e.queue === out.SuccessQueueUrl ? 'success' : 'failure';
      console.log(`\n── record in the ${which} queue (${record.requestContext.condition}, attempts: ${record.requestContext.approximateInvokeCount}) ──`);
      console.log(JSON.stringify(record, null, 2));
    }
    console.log('\nthe failing event was tried 3 times (60 s and 120 s apart on AWS; scaled here) before its record was sent.');
  } finally {
    cfn.destroy();
    lambda.destroy();
    sqs.destroy();
    await cloud.stop();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
  console.log('local cloud stopped');
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
