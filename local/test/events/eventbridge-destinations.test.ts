import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeRuleCommand, EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AsyncFunction, FailureDestination, SuccessDestination } from '../../../src';
import { LocalCloud } from '../../src';
import { Clients, clients, expectEmpty, lambdaMetric, receive, RECORD_KEYS, startQuietCloud, SUCCEED_OR_THROW, synth } from '../helpers';

// EventBridge buses and rules deployed from a stack of this library: Lambda destinations to a bus,
// PutEvents, input transformers, and the events:PutEvents permission check.
let cloud: LocalCloud;
let c: Clients;
let eb: EventBridgeClient;
let iam: IAMClient;
let out: Record<string, string>;

const ENVELOPE_KEYS = ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'];

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, 'EventsFlow', { env: { account: '000000000000', region: 'us-east-1' } });
    const bus = new events.EventBus(stack, 'Bus', { eventBusName: 'records' });
    const recordsQueue = new sqs.Queue(stack, 'Records');
    const fn = new AsyncFunction(stack, 'Worker', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      retryAttempts: 0,
      onSuccess: SuccessDestination.eventBus(bus),
      onFailure: FailureDestination.eventBus(bus),
    });
    const failures = new sqs.Queue(stack, 'Failures');
    new events.Rule(stack, 'FailureRecords', {
      eventBus: bus,
      eventPattern: { detailType: ['Lambda Function Invocation Result - Failure'], detail: { requestContext: { condition: ['RetriesExhausted'] } } },
      targets: [new targets.SqsQueue(failures)],
    });
    new CfnOutput(stack, 'FailuresUrl', { value: failures.queueUrl });
    new events.Rule(stack, 'SuccessRecords', {
      eventBus: bus,
      eventPattern: { detailType: ['Lambda Function Invocation Result - Success'], detail: { requestContext: { condition: ['Success'] } } },
      targets: [new targets.SqsQueue(recordsQueue)],
    });

    const orders = new sqs.Queue(stack, 'Orders');
    const raw = new sqs.Queue(stack, 'Raw');
    new events.Rule(stack, 'OrderPlaced', {
      ruleName: 'order-placed',
      eventBus: bus,
      eventPattern: { source: ['shop'], detail: { total: [{ numeric: ['>', 10] }] } },
      targets: [
        new targets.SqsQueue(orders, {
          message: events.RuleTargetInput.fromObject({
            order: events.EventField.fromPath('$.detail.id'),
            text: `order ${events.EventField.fromPath('$.detail.id')} of ${events.EventField.fromPath('$.detail.total')} placed`,
            items: events.EventField.fromPath('$.detail.items'),
          }),
        }),
        new targets.SqsQueue(raw),
      ],
    });
    new events.Rule(stack, 'Disabled', {
      eventBus: bus, enabled: false, eventPattern: { source: ['shop'] }, targets: [new targets.SqsQueue(raw)],
    });

    const topic = new sns.Topic(stack, 'Notices');
    const fromTopic = new sqs.Queue(stack, 'FromTopic');
    topic.addSubscription(new subscriptions.SqsSubscription(fromTopic, { rawMessageDelivery: true }));
    new events.Rule(stack, 'OnDefaultBus', { eventPattern: { source: ['notices'] }, targets: [new targets.SnsTopic(topic)] });
    new CfnOutput(stack, 'FromTopicUrl', { value: fromTopic.queueUrl });

    const deniedBus = new events.EventBus(stack, 'DeniedBus', { eventBusName: 'denied' });
    const deniedQueue = new sqs.Queue(stack, 'DeniedRecords');
    const denied = new AsyncFunction(stack, 'Denied', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      retryAttempts: 0,
      onSuccess: SuccessDestination.eventBus(deniedBus),
    });
    new events.Rule(stack, 'DeniedRule', { eventBus: deniedBus, eventPattern: { source: ['lambda'] }, targets: [new targets.SqsQueue(deniedQueue)] });

    new CfnOutput(stack, 'Fn', { value: fn.function.functionName });
    new CfnOutput(stack, 'FnArn', { value: fn.function.functionArn });
    new CfnOutput(stack, 'BusArn', { value: bus.eventBusArn });
    new CfnOutput(stack, 'RecordsQueue', { value: recordsQueue.queueUrl });
    new CfnOutput(stack, 'OrdersQueue', { value: orders.queueUrl });
    new CfnOutput(stack, 'RawQueue', { value: raw.queueUrl });
    new CfnOutput(stack, 'DeniedFn', { value: denied.function.functionName });
    new CfnOutput(stack, 'DeniedRole', { value: denied.function.role!.roleName });
    new CfnOutput(stack, 'DeniedQueue', { value: deniedQueue.queueUrl });
  });
  cloud = await startQuietCloud(assembly);
  c = clients(cloud.endpoint);
  const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 };
  eb = new EventBridgeClient(config);
  iam = new IAMClient(config);
  const d = await c.cfn.send(new DescribeStacksCommand({ StackName: 'EventsFlow' }));
  out = Object.fromEntries(d.Stacks![0].Outputs!.map((o) => [o.OutputKey!, o.OutputValue!]));
}, 60_000);

afterAll(async () => {
  c?.destroy();
  eb?.destroy();
  iam?.destroy();
  await cloud?.stop();
});

test('SuccessDestination.eventBus: a rule on the bus delivers the exact event envelope, the record as detail', async () => {
  await c.lambda.send(new InvokeCommand({ FunctionName: out.Fn, InvocationType: 'Event', Payload: Buffer.from('{"Success":true,"id":"eb"}') }));
  const [msg] = await receive(c, out.RecordsQueue, 1);
  const event = JSON.parse(msg.Body!);
  expect(Object.keys(event)).toEqual(ENVELOPE_KEYS);
  expect(event).toMatchObject({
    'version': '0',
    'detail-type': 'Lambda Function Invocation Result - Success',
    'source': 'lambda',
    'account': '000000000000',
    'region': 'us-east-1',
    'resources': [out.BusArn, `${out.FnArn}:$LATEST`],
  });
  expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
  expect(event.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  expect(Object.keys(event.detail)).toEqual(RECORD_KEYS);
  expect(event.detail.requestContext).toMatchObject({ functionArn: `${out.FnArn}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 });
  expect(event.detail.requestPayload).toEqual({ Success: true, id: 'eb' });
  expect(event.detail.responsePayload).toEqual({ ok: true, got: 'eb' });
  expect(await lambdaMetric(c, 'DestinationDeliveryFailures', out.Fn)).toBe(0);
});

test('FailureDestination.eventBus: the failure record is an event with detail-type "… - Failure"', async () => {
  await c.lambda.send(new InvokeCommand({ FunctionName: out.Fn, InvocationType: 'Event', Payload: Buffer.from('{"Success":false,"id":"ebf"}') }));
  const [msg] = await receive(c, out.FailuresUrl, 1);
  const event = JSON.parse(msg.Body!);
  expect(event).toMatchObject({ 'detail-type': 'Lambda Function Invocation Result - Failure', 'source': 'lambda', 'resources': [out.BusArn, `${out.FnArn}:$LATEST`] });
  expect(event.detail.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 1 });
  expect(event.detail.responsePayload.errorMessage).toBe('boom');
  await expectEmpty(c, out.RecordsQueue);
});

test('PutEvents: matching enabled rules deliver, with the InputTransformer filled; disabled rules do not', async () => {
  const res = await eb.send(new PutEventsCommand({
    Entries: [
      { Source: 'shop', DetailType: 'Order Placed', Detail: JSON.stringify({ id: 'o-1', total: 42, items: ['a', 'b'] }), EventBusName: 'records', Resources: ['arn:x'] },
      { Source: 'shop', DetailType: 'Order Placed', Detail: JSON.stringify({ id: 'o-2', total: 5 }), EventBusName: out.BusArn },
      { Source: 'shop', DetailType: 'Order Placed', Detail: 'not json', EventBusName: 'records' },
    ],
  }));
  expect(res.FailedEntryCount).toBe(1);
  expect(res.Entries![0].EventId).toMatch(/^[0-9a-f-]{36}$/);
  expect(res.Entries![1].EventId).toBeDefined();
  expect(res.Entries![2]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
  const [order] = await receive(c, out.OrdersQueue, 1);
  expect(JSON.parse(order.Body!)).toEqual({ order: 'o-1', text: 'order o-1 of 42 placed', items: ['a', 'b'] });
  const [raw] = await receive(c, out.RawQueue, 1);
  const event = JSON.parse(raw.Body!);
  expect(Object.keys(event)).toEqual(ENVELOPE_KEYS);
  expect(event).toMatchObject({ 'id': res.Entries![0].EventId, 'source': 'shop', 'detail-type': 'Order Placed', 'resources': ['arn:x'], 'detail': { id: 'o-1', total: 42 } });
  await expectEmpty(c, out.OrdersQueue);
  await expectEmpty(c, out.RawQueue);
});

test('PutEvents without EventBusName goes to the default bus; an SNS target publishes the event as Message', async () => {
  const res = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'notices', DetailType: 'Notice', Detail: '{"n":1}', Time: new Date('2026-02-03T04:05:06.789Z') }] }));
  expect(res.FailedEntryCount).toBe(0);
  const [msg] = await receive(c, out.FromTopicUrl, 1);
  const event = JSON.parse(msg.Body!);
  expect(Object.keys(event)).toEqual(ENVELOPE_KEYS);
  expect(event).toMatchObject({ 'source': 'notices', 'detail-type': 'Notice', 'time': '2026-02-03T04:05:06Z', 'resources': [], 'detail': { n: 1 } });
  const missing = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'notices', DetailType: 'Notice', Detail: '{}', EventBusName: 'nope' }] }));
  expect(missing.FailedEntryCount).toBe(1);
  expect(missing.Entries![0].ErrorCode).toBe('ResourceNotFoundException');
});

test('ListRules / DescribeRule / ListTargetsByRule', async () => {
  const rules = await eb.send(new ListRulesCommand({ EventBusName: 'records' }));
  expect(rules.Rules!.map((r) => r.Name)).toContain('order-placed');
  const rule = await eb.send(new DescribeRuleCommand({ Name: 'order-placed', EventBusName: 'records' }));
  expect(rule).toMatchObject({ Name: 'order-placed', Arn: 'arn:aws:events:us-east-1:000000000000:rule/records/order-placed', State: 'ENABLED', EventBusName: 'records' });
  expect(JSON.parse(rule.EventPattern!)).toEqual({ source: ['shop'], detail: { total: [{ numeric: ['>', 10] }] } });
  const t = await eb.send(new ListTargetsByRuleCommand({ Rule: 'order-placed', EventBusName: 'records' }));
  expect(t.Targets).toHaveLength(2);
  expect(t.Targets![0].InputTransformer?.InputPathsMap).toBeDefined();
  const missing = await eb.send(new DescribeRuleCommand({ Name: 'nope', EventBusName: 'records' })).catch((e) => e);
  expect(missing.name).toBe('ResourceNotFoundException');
});

test('a denied events:PutEvents: the record is not delivered and counts in DestinationDeliveryFailures', async () => {
  await iam.send(new PutRolePolicyCommand({
    RoleName: out.DeniedRole,
    PolicyName: 'deny-events',
    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'events:PutEvents', Resource: '*' }] }),
  }));
  await c.lambda.send(new InvokeCommand({ FunctionName: out.DeniedFn, InvocationType: 'Event', Payload: Buffer.from('{"Success":true,"id":"denied"}') }));
  await cloud.idle();
  await expectEmpty(c, out.DeniedQueue);
  expect(await lambdaMetric(c, 'DestinationDeliveryFailures', out.DeniedFn)).toBe(1);
  const report = cloud.deliveries.find((d) => d.functionName === out.DeniedFn);
  expect(report).toMatchObject({ delivered: false, kind: 'OnSuccess' });
  expect(report!.reason).toMatch(/does not have permissions to call PutEvents on arn:aws:events:us-east-1:000000000000:event-bus\/denied/);
});
