import { InvokeCommand } from '@aws-sdk/client-lambda';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../src';
import { Clients, clients, expectEmpty, lambdaMetric, physicalIds, receive, startQuietCloud, SUCCEED_OR_THROW, synth } from './helpers';

// An EventInvokeConfig on an alias applies to invocations through that alias only; records name
// the alias in functionArn and the version in executedVersion.
let cloud: LocalCloud;
let c: Clients;
let ids: Record<string, string>;

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, 'Versions', { env: { account: '000000000000', region: 'us-east-1' } });
    const failures = new sqs.Queue(stack, 'AliasFailures');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(SUCCEED_OR_THROW),
    });
    new lambda.Alias(stack, 'Live', {
      aliasName: 'live', version: fn.currentVersion, retryAttempts: 1, onFailure: new SqsDestination(failures),
    });
    const who = new lambda.Function(stack, 'Who', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (event, context) => context.invokedFunctionArn;'),
    });
    new lambda.Alias(stack, 'Blue', { aliasName: 'blue', version: who.currentVersion });
  });
  cloud = await startQuietCloud(assembly);
  c = clients(cloud.endpoint);
  ids = await physicalIds(c, 'Versions');
}, 60_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
});

const fnName = () => ids[Object.keys(ids).find((k) => /^Fn[0-9A-F]{8}$/.test(k))!];
const queue = () => ids[Object.keys(ids).find((k) => k.startsWith('AliasFailures'))!];

test('through the alias: the alias config applies, functionArn names the alias, executedVersion the version', async () => {
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: fnName(), Qualifier: 'live', InvocationType: 'Event', Payload: Buffer.from('{"Success":false}') }));
  expect(out.StatusCode).toBe(202);
  const [msg] = await receive(c, queue(), 1);
  const record = JSON.parse(msg.Body!);
  expect(record.requestContext).toMatchObject({
    functionArn: `arn:aws:lambda:us-east-1:000000000000:function:${fnName()}:live`, condition: 'RetriesExhausted', approximateInvokeCount: 2,
  });
  expect(record.responseContext).toEqual({ statusCode: 200, executedVersion: '1', functionError: 'Unhandled' });
  expect(await lambdaMetric(c, 'AsyncEventsDropped', fnName())).toBe(1);
});

test('unqualified ($LATEST) invocations do not use the alias config', async () => {
  await c.lambda.send(new InvokeCommand({ FunctionName: fnName(), InvocationType: 'Event', Payload: Buffer.from('{"Success":false}') }));
  await cloud.idle();
  await expectEmpty(c, queue());
});

test('sync invoke reports the executed version; an unknown qualifier is 404', async () => {
  const ok = await c.lambda.send(new InvokeCommand({ FunctionName: `${fnName()}:live`, Payload: Buffer.from('{"Success":true,"id":"v"}') }));
  expect(ok.ExecutedVersion).toBe('1');
  await expect(c.lambda.send(new InvokeCommand({ FunctionName: fnName(), Qualifier: 'nope', Payload: Buffer.from('{}') })))
    .rejects.toThrow(`Function not found: arn:aws:lambda:us-east-1:000000000000:function:${fnName()}:nope`);
});

test.each([
  ['unqualified', undefined, ''],
  ['$LATEST named', '$LATEST', ':$LATEST'],
  ['a version', '1', ':1'],
  ['an alias', 'blue', ':blue'],
])('context.invokedFunctionArn is the ARN the caller used: %s', async (_name, Qualifier, suffix) => {
  // GIVEN
  const who = ids[Object.keys(ids).find((k) => /^Who[0-9A-F]{8}$/.test(k))!];
  // WHEN
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: who, Qualifier, Payload: Buffer.from('{}') }));
  // THEN
  expect(JSON.parse(Buffer.from(out.Payload!).toString())).toBe(`arn:aws:lambda:us-east-1:000000000000:function:${who}${suffix}`);
});
