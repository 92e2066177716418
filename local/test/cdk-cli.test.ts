import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeStackEventsCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CDK, CliRun, localCloudEnv, runNode } from './cdk-cli-env';
import { clients, Clients, receive } from './helpers';
import { LocalCloud } from '../src';

/** Where the app finds aws-cdk-lib. */
const NODE_MODULES = path.dirname(path.dirname(require.resolve('aws-cdk-lib/package.json')));

const APP = `
const cdk = require('aws-cdk-lib');
const lambda = require('aws-cdk-lib/aws-lambda');
const sqs = require('aws-cdk-lib/aws-sqs');
const destinations = require('aws-cdk-lib/aws-lambda-destinations');
const app = new cdk.App();
const stack = new cdk.Stack(app, 'CliE2e', { env: { account: '000000000000', region: 'us-east-1' } });
const queue = new sqs.Queue(stack, 'Succeeded');
const fn = new lambda.Function(stack, 'Handler', {
  runtime: lambda.Runtime.NODEJS_20_X,
  handler: 'index.handler',
  code: lambda.Code.fromAsset(__dirname + '/handler'),
  onSuccess: new destinations.SqsDestination(queue),
  retryAttempts: 0,
});
new cdk.CfnOutput(stack, 'FunctionName', { value: fn.functionName });
new cdk.CfnOutput(stack, 'QueueUrl', { value: queue.queueUrl });
`;

describe('the real CDK CLI against the local cloud', () => {
  let cloud: LocalCloud;
  let c: Clients;
  let dir: string;

  /** Runs `cdk <args>` in the app directory with only the local cloud reachable. */
  function cdk(...args: string[]): Promise<CliRun> {
    return runNode(CDK, [...args, '--no-notices', '--ci'], dir, localCloudEnv(cloud.endpoint, dir, { NODE_PATH: NODE_MODULES }));
  }

  function handler(version: number): void {
    fs.writeFileSync(path.join(dir, 'handler', 'index.js'), `exports.handler = async (e) => ({ version: ${version}, got: e });\n`);
  }

  function stackOutput(run: CliRun, key: string): string {
    const m = new RegExp(`CliE2e\\.${key} = (\\S+)`).exec(run.output);
    if (!m) throw new Error(`no output ${key} in:\n${run.output}`);
    return m[1];
  }

  async function invokeAndReceive(functionName: string, queueUrl: string, payload: object): Promise<any> {
    const invoked = await c.lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event', Payload: JSON.stringify(payload) }));
    expect(invoked.StatusCode).toBe(202);
    const [message] = await receive(c, queueUrl, 1);
    return JSON.parse(message.Body!);
  }

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cdk-cli-'));
    fs.mkdirSync(path.join(dir, 'handler'));
    fs.writeFileSync(path.join(dir, 'app.js'), APP);
    fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: `"${process.execPath}" app.js` }));
    handler(1);
    cloud = await LocalCloud.start({ port: 0, timeScale: 0.001, log: process.env.CDK_CLI_TEST_LOG ? console.error : () => undefined, handlerOutput: 'ignore' });
    c = clients(cloud.endpoint);
  });

  afterAll(async () => {
    c?.destroy();
    await cloud?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('bootstrap, deploy, invoke, deploy a change, destroy', async () => {
    // WHEN the environment is bootstrapped
    const bootstrap = await cdk('bootstrap', 'aws://000000000000/us-east-1');
    // THEN the toolkit stack is up with the version parameter the CLI checks on deploy
    expect(bootstrap.output).toContain('Environment aws://000000000000/us-east-1 bootstrapped');
    expect(bootstrap.code).toBe(0);
    const toolkit = (await c.cfn.send(new DescribeStacksCommand({ StackName: 'CDKToolkit' }))).Stacks![0];
    expect(toolkit.StackStatus).toBe('CREATE_COMPLETE');
    expect(toolkit.Outputs).toEqual(expect.arrayContaining([
      expect.objectContaining({ OutputKey: 'BucketName', OutputValue: 'cdk-hnb659fds-assets-000000000000-us-east-1' }),
    ]));
    const ssm = new SSMClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const version = (await ssm.send(new GetParameterCommand({ Name: '/cdk-bootstrap/hnb659fds/version' }))).Parameter!.Value;
    ssm.destroy();
    expect(Number(version)).toBeGreaterThanOrEqual(6);

    // WHEN the app is deployed: its code asset is published to the local S3 and runs from there
    const first = await cdk('deploy', '--require-approval', 'never');
    expect(first.code).toBe(0);
    expect(first.output).toMatch(/CREATE_COMPLETE\s+\|\s+AWS::Lambda::Function/);
    const functionName = stackOutput(first, 'FunctionName');
    const queueUrl = stackOutput(first, 'QueueUrl');
    // THEN an asynchronous invocation's record reaches the on-success queue
    const record = await invokeAndReceive(functionName, queueUrl, { n: 1 });
    expect(record.requestContext.condition).toBe('Success');
    expect(record.responsePayload).toEqual({ version: 1, got: { n: 1 } });

    // WHEN the handler changes and the app is deployed again
    handler(2);
    const second = await cdk('deploy', '--require-approval', 'never');
    // THEN it is an update of the function, and the new code runs
    expect(second.code).toBe(0);
    expect(second.output).toMatch(/UPDATE_COMPLETE\s+\|\s+AWS::Lambda::Function/);
    expect(stackOutput(second, 'FunctionName')).toBe(functionName);
    const updated = await invokeAndReceive(functionName, queueUrl, { n: 2 });
    expect(updated.responsePayload).toEqual({ version: 2, got: { n: 2 } });
    const events = (await c.cfn.send(new DescribeStackEventsCommand({ StackName: 'CliE2e' }))).StackEvents!;
    expect(events[0]).toMatchObject({ LogicalResourceId: 'CliE2e', ResourceStatus: 'UPDATE_COMPLETE' });
    expect(events.map((e) => e.ResourceStatus)).toEqual(expect.arrayContaining(['REVIEW_IN_PROGRESS', 'CREATE_IN_PROGRESS', 'CREATE_COMPLETE', 'UPDATE_IN_PROGRESS']));

    // WHEN the app is destroyed
    const destroy = await cdk('destroy', '--force');
    // THEN the stack and its function are gone
    expect(destroy.code).toBe(0);
    expect(destroy.output).toContain('CliE2e: destroyed');
    await expect(c.cfn.send(new DescribeStacksCommand({ StackName: 'CliE2e' }))).rejects.toThrow('Stack with id CliE2e does not exist');
    await expect(c.lambda.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'Event' }))).rejects.toThrow(/Function not found/);
  }, 180_000);
});
