import { GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { DeleteRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { DeleteFunctionEventInvokeConfigCommand, GetFunctionEventInvokeConfigCommand, InvokeCommand, PutFunctionEventInvokeConfigCommand, UpdateFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DeploymentError, LocalCloud } from '../src';
import { Clients, clients, expectEmpty, lambdaMetric, physicalIds, receive, startQuietCloud, SUCCEED_OR_THROW, synth } from './helpers';

const STACK = 'Grants';
let cloud: LocalCloud;
let c: Clients;
let iamClient: IAMClient;
let ids: Record<string, string>;

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
    const ok = new sqs.Queue(stack, 'SuccessQueue');
    const failed = new sqs.Queue(stack, 'FailureQueue');
    const dlq = new sqs.Queue(stack, 'Dlq');
    // a queue encrypted with a customer managed key: delivery also needs kms:GenerateDataKey and kms:Decrypt
    const key = new kms.Key(stack, 'Cmk');
    const encrypted = new sqs.Queue(stack, 'Encrypted', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
    new lambda.Function(stack, 'KmsGranted', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      onSuccess: new SqsDestination(encrypted),
    });
    // the same queue imported by ARN: the key is unknown to the grant, so only sqs:SendMessage is granted
    new lambda.Function(stack, 'KmsUngranted', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      onSuccess: new SqsDestination(sqs.Queue.fromQueueArn(stack, 'Imported', encrypted.queueArn)),
    });
    for (const name of ['Granted', 'Revoked']) {
      new lambda.Function(stack, name, {
        runtime: lambda.Runtime.NODEJS_20_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline(SUCCEED_OR_THROW),
        retryAttempts: 2,
        onSuccess: new SqsDestination(ok),
        onFailure: new SqsDestination(failed),
        deadLetterQueue: dlq,
      });
    }
  });
  cloud = await startQuietCloud(assembly);
  c = clients(cloud.endpoint);
  iamClient = new IAMClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  ids = await physicalIds(c, STACK);
}, 60_000);

afterAll(async () => {
  c?.destroy();
  iamClient?.destroy();
  await cloud?.stop();
});

function id(prefix: string): string {
  const k = Object.keys(ids).find((x) => x.startsWith(prefix) && !/ServiceRole|EventInvokeConfig|Policy/.test(x.slice(prefix.length)));
  if (!k) throw new Error(`no resource ${prefix}*`);
  return ids[k];
}

async function invoke(fn: string, payload: unknown) {
  await c.lambda.send(new InvokeCommand({ FunctionName: id(fn), InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
}

test('with its grants, the function delivers; metrics count received events and event age', async () => {
  await invoke('Granted', { Success: true, id: 1 });
  await invoke('Granted', { Success: false, id: 2 });
  await receive(c, id('SuccessQueue'), 1);
  await receive(c, id('FailureQueue'), 1);
  await receive(c, id('Dlq'), 1);
  await cloud.idle();
  const fn = id('Granted');
  expect(await lambdaMetric(c, 'AsyncEventsReceived', fn)).toBe(2);
  expect(await lambdaMetric(c, 'AsyncEventsDropped', fn)).toBe(1);
  expect(await lambdaMetric(c, 'DestinationDeliveryFailures', fn)).toBe(0);
  // the same through GetMetricStatistics
  const stats = await c.cw.send(new GetMetricStatisticsCommand({
    Namespace: 'AWS/Lambda',
    MetricName: 'AsyncEventAge',
    Dimensions: [{ Name: 'FunctionName', Value: fn }],
    StartTime: new Date(Date.now() - 3600_000),
    EndTime: new Date(Date.now() + 60_000),
    Period: 7200,
    Statistics: ['SampleCount', 'Maximum', 'Minimum'],
  }));
  expect(stats.Datapoints).toHaveLength(1);
  expect(stats.Datapoints![0]).toMatchObject({ SampleCount: 4, Unit: 'Milliseconds' });
  expect(stats.Datapoints![0].Maximum).toBeGreaterThanOrEqual(180_000);
  expect(stats.Datapoints![0].Minimum).toBeLessThan(1000);
  expect(await lambdaMetric(c, 'DeadLetterErrors', fn)).toBe(0);
  // 1 attempt for the success, 3 for the failure
  expect(await lambdaMetric(c, 'AsyncEventAge', fn, 'SampleCount')).toBe(4);
  // the third attempt runs after 60 s + 120 s of (scaled) AWS waits
  const maxAge = await lambdaMetric(c, 'AsyncEventAge', fn, 'Maximum');
  expect(maxAge).toBeGreaterThanOrEqual(180_000);
  expect(maxAge).toBeLessThan(185_000);
});

test('a removed grant: nothing is delivered, DestinationDeliveryFailures and DeadLetterErrors count it', async () => {
  const fn = id('Revoked');
  const roleName = ids[Object.keys(ids).find((k) => k.startsWith('RevokedServiceRole') && !k.includes('Policy'))!];
  const policies = await iamClient.send(new ListRolePoliciesCommand({ RoleName: roleName }));
  expect(policies.PolicyNames!.length).toBe(1);
  await iamClient.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policies.PolicyNames![0] }));

  await invoke('Revoked', { Success: true, id: 3 });
  await invoke('Revoked', { Success: false, id: 4 });
  await cloud.idle();
  await expectEmpty(c, id('SuccessQueue'));
  await expectEmpty(c, id('FailureQueue'));
  await expectEmpty(c, id('Dlq'));
  expect(await lambdaMetric(c, 'AsyncEventsReceived', fn)).toBe(2);
  expect(await lambdaMetric(c, 'DestinationDeliveryFailures', fn)).toBe(2);
  expect(await lambdaMetric(c, 'DeadLetterErrors', fn)).toBe(1);
  expect(await lambdaMetric(c, 'AsyncEventsDropped', fn)).toBe(1);
  const undelivered = cloud.deliveries.filter((d) => d.functionName === fn);
  expect(undelivered.map((d) => [d.kind, d.delivered])).toEqual(expect.arrayContaining([['OnSuccess', false], ['OnFailure', false], ['DeadLetter', false]]));
  expect(undelivered.find((d) => d.kind === 'OnFailure')!.reason)
    .toBe(`The function's execution role does not have permissions to call SendMessage on arn:aws:sqs:us-east-1:000000000000:${id('FailureQueue').split('/').pop()}`);
});

test('a destination encrypted with a customer managed key needs the KMS grant too', async () => {
  await invoke('KmsGranted', { Success: true, id: 'kms-ok' });
  await invoke('KmsUngranted', { Success: true, id: 'kms-denied' });
  const [msg] = await receive(c, id('Encrypted'), 1);
  expect(JSON.parse(msg.Body!).requestPayload).toEqual({ Success: true, id: 'kms-ok' });
  await cloud.idle();
  await expectEmpty(c, id('Encrypted'));
  expect(await lambdaMetric(c, 'DestinationDeliveryFailures', id('KmsGranted'))).toBe(0);
  expect(await lambdaMetric(c, 'DestinationDeliveryFailures', id('KmsUngranted'))).toBe(1);
  const failure = cloud.deliveries.find((d) => d.functionName === id('KmsUngranted'))!;
  expect(failure.delivered).toBe(false);
  expect(failure.reason).toMatch(/^The function's execution role does not have permissions to call GenerateDataKey on arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/);
});

describe('deploy-time permission check of EventInvokeConfig', () => {
  function assemblyWith(grant: boolean, grantFirst = true): string {
    return synth((app) => {
      const stack = new Stack(app, 'Checked', { env: { account: '000000000000', region: 'us-east-1' } });
      const queue = new sqs.Queue(stack, 'Target', { queueName: 'checked-target' });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const fn = new lambda.Function(stack, 'Fn', {
        runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(SUCCEED_OR_THROW), role,
      });
      const config = new lambda.CfnEventInvokeConfig(stack, 'Config', {
        functionName: fn.functionName,
        qualifier: '$LATEST',
        destinationConfig: { onFailure: { destination: queue.queueArn } },
      });
      if (grant) {
        const policy = new iam.Policy(stack, 'Grant', { statements: [new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] })] });
        policy.attachToRole(role);
        if (grantFirst) config.node.addDependency(policy);
      }
    });
  }

  test('a role without sqs:SendMessage fails the deployment with AWS\'s message', async () => {
    await expect(LocalCloud.start({ assembly: assemblyWith(false), port: 0, log: () => undefined, handlerOutput: 'ignore' })).rejects.toThrow(new DeploymentError('Checked', 'Config', 'AWS::Lambda::EventInvokeConfig',
      "InvalidParameterValueException: The function's execution role does not have permissions to call SendMessage on arn:aws:sqs:us-east-1:000000000000:checked-target"));
  });

  test('the grant deployed before the config passes', async () => {
    const ok = await LocalCloud.start({ assembly: assemblyWith(true), port: 0, log: () => undefined, handlerOutput: 'ignore' });
    expect(ok.stacks.map((s) => s.name)).toEqual(['Checked']);
    await ok.stop();
  });
});

describe('Put/Update/DeleteFunctionEventInvokeConfig', () => {
  test('Put checks the role like the deploy does: a revoked grant is InvalidParameterValueException', async () => {
    // runs after the test that removed the Revoked function's grants
    const queueArn = `arn:aws:sqs:us-east-1:000000000000:${id('FailureQueue').split('/').pop()}`;
    await expect(c.lambda.send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: id('Revoked'), MaximumRetryAttempts: 0, DestinationConfig: { OnFailure: { Destination: queueArn } },
    }))).rejects.toMatchObject({
      name: 'InvalidParameterValueException',
      message: `The function's execution role does not have permissions to call SendMessage on ${queueArn}`,
      $metadata: { httpStatusCode: 400 },
    });
  });

  test('Update merges, Get reads it back, Delete removes it', async () => {
    const fn = id('Granted');
    const updated = await c.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: fn, MaximumRetryAttempts: 0 }));
    expect(updated.MaximumRetryAttempts).toBe(0);
    expect(updated.DestinationConfig?.OnFailure?.Destination).toMatch(/^arn:aws:sqs:us-east-1:000000000000:Grants-FailureQueue/);
    // the new retry count applies to the next event: one attempt only
    await invoke('Granted', { Success: false, id: 'after-update' });
    const [msg] = await receive(c, id('FailureQueue'), 1);
    expect(JSON.parse(msg.Body!).requestContext.approximateInvokeCount).toBe(1);
    await receive(c, id('Dlq'), 1);

    await expect(c.lambda.send(new UpdateFunctionEventInvokeConfigCommand({ FunctionName: fn, MaximumRetryAttempts: 5 })))
      .rejects.toMatchObject({ name: 'ValidationException' });
    await c.lambda.send(new DeleteFunctionEventInvokeConfigCommand({ FunctionName: fn }));
    await expect(c.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: fn })))
      .rejects.toMatchObject({ name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } });
  });
});
