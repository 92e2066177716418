/**
 * Step Functions state machines and CloudFormation custom resources deployed by the local cloud:
 * inline providers answering through the ResponseURL, and integ-tests-alpha assertion stacks
 * (SdkCall custom resources, the waiter state machine) run by integ-tests-alpha's own handler bundle.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  DescribeExecutionCommand, DescribeStateMachineCommand, GetExecutionHistoryCommand, ListExecutionsCommand,
  ListStateMachinesCommand, SFNClient, StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { App, CfnOutput, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { LocalCloud } from '../src';
import { clients, synth } from './helpers';

jest.setTimeout(120_000);

/** A provider answering as the `cfn-response` module does: an https PUT to the ResponseURL. */
const PROVIDER = `
const https = require('https');
const url = require('url');
function put(responseUrl, body) {
  const u = url.parse(responseUrl);
  return new Promise((resolve, reject) => {
    const req = https.request({ hostname: u.hostname, port: 443, path: u.path, method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', resolve); });
    req.on('error', reject);
    req.write(body);
    req.end();
  });
}
// any other https host is not redirected: TLS to 127.0.0.1:1 is refused as usual
function otherHost() {
  return new Promise((resolve) => {
    const req = require('https').get({ hostname: '127.0.0.1', port: 1, path: '/' }, () => resolve('answered'));
    req.on('error', (e) => resolve(e.code));
  });
}
exports.handler = async (event, context) => {
  const p = event.ResourceProperties;
  const base = { StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId };
  const body = p.Fail === 'true'
    ? { ...base, Status: 'FAILED', Reason: 'provider says no to ' + p.Name, PhysicalResourceId: 'none' }
    : { ...base, Status: 'SUCCESS', PhysicalResourceId: 'greeting-' + p.Name,
      Data: { Greeting: 'hello ' + p.Name, Count: p.Count, RequestType: event.RequestType, ResourceType: event.ResourceType,
        OtherHost: await otherHost(), HasResponseUrl: String(event.ResponseURL.startsWith('https://')) } };
  await put(event.ResponseURL, JSON.stringify(body));
};`;

function providerStack(app: App, name: string, fail: boolean): Stack {
  const stack = new Stack(app, name);
  const fn = new lambda.Function(stack, 'Provider', {
    runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(PROVIDER),
  });
  const greeting = new CustomResource(stack, 'Greeting', {
    serviceToken: fn.functionArn, resourceType: 'Custom::Greeting', properties: { Name: 'world', Count: 3, Fail: fail },
  });
  new CfnOutput(stack, 'Ref', { value: greeting.ref });
  for (const a of ['Greeting', 'Count', 'RequestType', 'ResourceType', 'OtherHost', 'HasResponseUrl']) {
    new CfnOutput(stack, `Attr${a}`, { value: greeting.getAttString(a) });
  }
  return stack;
}

async function outputs(endpoint: string, stackName: string): Promise<Record<string, string>> {
  const c = clients(endpoint);
  try {
    const out = await c.cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    return Object.fromEntries((out.Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey!, o.OutputValue!]));
  } finally {
    c.destroy();
  }
}

function sfnClient(endpoint: string): SFNClient {
  return new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
}

describe('Step Functions state machines', () => {
  let cloud: LocalCloud;
  afterEach(async () => cloud?.stop());

  test('deployed from DefinitionString; executions invoke the Lambda function, Retry waits are time-scaled', async () => {
    const assembly = synth((app) => {
      const stack = new Stack(app, 'SfnStack');
      const fn = new lambda.Function(stack, 'Fn', {
        runtime: lambda.Runtime.NODEJS_20_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async (e) => { if (e.fail) throw new Error("nope"); return { doubled: e.n * 2 }; };'),
      });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
      const machine = new sfn.CfnStateMachine(stack, 'Machine', {
        roleArn: role.roleArn,
        definitionString: stack.toJsonString({
          StartAt: 'Call',
          States: {
            Call: {
              Type: 'Task',
              Resource: fn.functionArn,
              End: true,
              Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 60, MaxAttempts: 2, BackoffRate: 2 }],
              Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
            },
            Caught: { Type: 'Pass', Result: 'caught', End: true },
          },
        }),
      });
      new CfnOutput(stack, 'Arn', { value: machine.ref });
      new CfnOutput(stack, 'Name', { value: machine.attrName });
      // Definition (an object) with DefinitionSubstitutions, and a given name
      const named = new sfn.CfnStateMachine(stack, 'Named', {
        roleArn: role.roleArn,
        stateMachineName: 'NamedMachine',
        definition: { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: '${FnArn}', End: true } } },
        definitionSubstitutions: { FnArn: fn.functionArn },
      });
      new CfnOutput(stack, 'NamedArn', { value: named.attrArn });
    });
    cloud = await LocalCloud.start({ assembly, port: 0, timeScale: 0.001, handlerOutput: 'ignore', log: () => undefined });
    const out = await outputs(cloud.endpoint, 'SfnStack');
    expect(out.Arn).toBe(`arn:aws:states:us-east-1:000000000000:stateMachine:${out.Name}`);

    const client = sfnClient(cloud.endpoint);
    try {
      const ok = await client.send(new StartExecutionCommand({ stateMachineArn: out.Arn, input: JSON.stringify({ n: 21 }) }));
      const started = Date.now();
      const bad = await client.send(new StartExecutionCommand({ stateMachineArn: out.Arn, input: JSON.stringify({ fail: true }) }));
      await cloud.idle();
      // 60 s + 120 s of retry waits at time scale 0.001
      expect(Date.now() - started).toBeLessThan(10_000);
      const d1 = await client.send(new DescribeExecutionCommand({ executionArn: ok.executionArn }));
      expect(d1).toMatchObject({ status: 'SUCCEEDED', output: JSON.stringify({ doubled: 42 }) });
      const d2 = await client.send(new DescribeExecutionCommand({ executionArn: bad.executionArn }));
      expect(d2).toMatchObject({ status: 'SUCCEEDED', output: JSON.stringify('caught') });
      const viaNamed = await client.send(new StartExecutionCommand({ stateMachineArn: out.NamedArn, input: JSON.stringify({ n: 2 }) }));
      await cloud.idle();
      expect(out.NamedArn).toBe('arn:aws:states:us-east-1:000000000000:stateMachine:NamedMachine');
      expect(await client.send(new DescribeExecutionCommand({ executionArn: viaNamed.executionArn })))
        .toMatchObject({ status: 'SUCCEEDED', output: JSON.stringify({ doubled: 4 }) });
      const history = await client.send(new GetExecutionHistoryCommand({ executionArn: bad.executionArn }));
      expect(history.events!.filter((e) => e.type === 'LambdaFunctionFailed')).toHaveLength(3);

      await expect(client.send(new DescribeStateMachineCommand({ stateMachineArn: `${out.Arn}x` })))
        .rejects.toMatchObject({ name: 'StateMachineDoesNotExist', $metadata: { httpStatusCode: 400 } });
    } finally {
      client.destroy();
    }
  });
});

describe('custom resources', () => {
  let cloud: LocalCloud | undefined;
  afterEach(async () => {
    await cloud?.stop();
    cloud = undefined;
  });

  test('a provider answering SUCCESS: PhysicalResourceId is the Ref, Data the attributes', async () => {
    const assembly = synth((app) => providerStack(app, 'CrStack', false));
    cloud = await LocalCloud.start({ assembly, port: 0, timeScale: 0.001, handlerOutput: 'ignore', log: () => undefined });
    expect(await outputs(cloud.endpoint, 'CrStack')).toEqual({
      Ref: 'greeting-world',
      AttrGreeting: 'hello world',
      AttrCount: '3',
      AttrRequestType: 'Create',
      AttrResourceType: 'Custom::Greeting',
      AttrOtherHost: 'ECONNREFUSED',
      AttrHasResponseUrl: 'true',
    });
  });

  test('a provider answering FAILED fails the deployment with its Reason', async () => {
    const assembly = synth((app) => providerStack(app, 'CrFailStack', true));
    await expect(LocalCloud.start({ assembly, port: 0, timeScale: 0.001, handlerOutput: 'ignore', log: () => undefined }))
      .rejects.toThrow(/Greeting.*\(Custom::Greeting\) CREATE_FAILED: Received response status \[FAILED\] from custom resource\. Message returned: provider says no to world/);
  });

  test('the CDK provider framework (onEvent + isComplete through its waiter state machine)', async () => {
    const assembly = synth((app) => {
      const stack = new Stack(app, 'ProviderStack');
      const onEvent = new lambda.Function(stack, 'OnEvent', {
        runtime: lambda.Runtime.NODEJS_20_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async (e) => ({ PhysicalResourceId: "p-" + e.ResourceProperties.Name, Data: { Hello: "hi " + e.ResourceProperties.Name } });'),
      });
      // complete at the third poll (one warm process: maxWorkersPerFunction 1)
      const isComplete = new lambda.Function(stack, 'IsComplete', {
        runtime: lambda.Runtime.NODEJS_20_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('let n = 0; exports.handler = async () => (++n >= 3 ? { IsComplete: true, Data: { Polls: String(n) } } : { IsComplete: false });'),
      });
      const provider = new cr.Provider(stack, 'Provider', { onEventHandler: onEvent, isCompleteHandler: isComplete, queryInterval: Duration.seconds(30) });
      const res = new CustomResource(stack, 'Res', { serviceToken: provider.serviceToken, properties: { Name: 'bob' } });
      new CfnOutput(stack, 'Ref', { value: res.ref });
      new CfnOutput(stack, 'Hello', { value: res.getAttString('Hello') });
      new CfnOutput(stack, 'Polls', { value: res.getAttString('Polls') });
    });
    cloud = await LocalCloud.start({ assembly, port: 0, timeScale: 0.001, handlerOutput: 'ignore', log: () => undefined, maxWorkersPerFunction: 1 });
    expect(await outputs(cloud.endpoint, 'ProviderStack')).toEqual({ Ref: 'p-bob', Hello: 'hi bob', Polls: '3' });
  });

  test('a provider that throws on every attempt fails the deployment with its error, without waiting out the bound', async () => {
    const assembly = synth((app) => {
      const stack = new Stack(app, 'CrThrows');
      const fn = new lambda.Function(stack, 'Provider', {
        runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => { throw new TypeError("bad provider"); };'),
      });
      new CustomResource(stack, 'Throws', { serviceToken: fn.functionArn });
    });
    const started = Date.now();
    await expect(LocalCloud.start({ assembly, port: 0, timeScale: 0.001, handlerOutput: 'ignore', log: () => undefined }))
      .rejects.toThrow(/Throws.*CREATE_FAILED: CloudFormation did not receive a response from your Custom Resource: the provider function \S+ failed \(RetriesExhausted after 3 attempts: TypeError: bad provider\)/);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  test('a provider that never answers fails the deployment after the configured bound', async () => {
    const assembly = synth((app) => {
      const stack = new Stack(app, 'CrSilent');
      const fn = new lambda.Function(stack, 'Provider', {
        runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
      });
      new CustomResource(stack, 'Silent', { serviceToken: fn.functionArn });
    });
    await expect(LocalCloud.start({
      assembly, port: 0, timeScale: 0.001, handlerOutput: 'ignore', log: () => undefined, customResourceTimeoutSeconds: 1,
    })).rejects.toThrow(/Silent.*CREATE_FAILED: CloudFormation did not receive a response from your Custom Resource/);
  });
});

describe('integ-tests-alpha assertion stacks', () => {
  let cloud: LocalCloud | undefined;
  afterEach(async () => {
    await cloud?.stop();
    cloud = undefined;
  });

  test('awsApiCall assertions and waitForAssertions report success, and failure with the actual value', async () => {
    let stateMachineName = '';
    const assembly = synth((app) => {
      const stack = new Stack(app, 'IntegQueueStack');
      const queue = new sqs.Queue(stack, 'Queue');
      const integ = new IntegTest(app, 'QueueTest', { testCases: [stack] });
      const send = integ.assertions.awsApiCall('SQS', 'sendMessage', { QueueUrl: queue.queueUrl, MessageBody: 'hello' });
      send.expect(ExpectedResult.objectLike({ MD5OfMessageBody: '5d41402abc4b2a76b9719d911017c592' }));
      const wrong = integ.assertions.awsApiCall('SQS', 'getQueueAttributes', { QueueUrl: queue.queueUrl, AttributeNames: ['VisibilityTimeout'] });
      wrong.expect(ExpectedResult.objectLike({ Attributes: { VisibilityTimeout: '999' } }));
      const receive = integ.assertions.awsApiCall('SQS', 'receiveMessage', { QueueUrl: queue.queueUrl, WaitTimeSeconds: 1 });
      receive.expect(ExpectedResult.objectLike({ Messages: [{ Body: 'hello' }] }))
        .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(10) });
      receive.node.addDependency(send);
      // a handler requiring @aws-sdk/client-sfn, on a state machine of the test stack
      stateMachineName = 'IntegPassMachine';
      const machine = new sfn.StateMachine(stack, 'Machine', {
        stateMachineName, definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Pass')),
      });
      integ.assertions.awsApiCall('StepFunctions', 'describeStateMachine', { stateMachineArn: machine.stateMachineArn })
        .expect(ExpectedResult.objectLike({ name: machine.stateMachineName, status: 'ACTIVE' }));
    });
    cloud = await LocalCloud.start({ assembly, port: 0, timeScale: 0.001, handlerOutput: 'ignore', log: () => undefined });
    const assert = cloud.stacks.find((s) => s.name.includes('DeployAssert'))!;
    const results = Object.fromEntries(assert.outputs.filter((o) => o.key.startsWith('AssertionResults')).map((o) => [o.key, JSON.parse(o.value)]));
    const by = (api: string) => Object.entries(results).find(([k]) => k.includes(api))![1];
    expect(by('sendMessage')).toEqual({ status: 'success' });
    expect(by('receiveMessage')).toEqual({ status: 'success' });
    expect(by('describeStateMachine')).toEqual({ status: 'success' });
    expect(by('getQueueAttributes').status).toBe('fail');
    expect(by('getQueueAttributes').message).toContain('999');
    expect(by('getQueueAttributes').message).toContain('30');
    // the waiter ran as a state machine execution: its isComplete function answered CloudFormation
    const client = sfnClient(cloud.endpoint);
    try {
      const machines = (await client.send(new ListStateMachinesCommand({}))).stateMachines!;
      expect(machines).toHaveLength(2); // the test stack's and the waiter
      const statuses: string[] = [];
      for (const m of machines) {
        const execs = await client.send(new ListExecutionsCommand({ stateMachineArn: m.stateMachineArn }));
        statuses.push(...execs.executions!.map((e) => `${m.name === stateMachineName ? 'test' : 'waiter'}:${e.status}`));
      }
      expect(statuses).toEqual(['waiter:SUCCEEDED']);
    } finally {
      client.destroy();
    }
  });
});
