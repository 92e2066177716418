import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { PublishBatchCommand, PublishCommand, SubscribeCommand, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { CfnOutput, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SnsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../src';
import { Clients, clients, expectEmpty, receive, RECORD_KEYS, synth } from './helpers';

const STACK = 'SnsLambda';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const RECORD_TOP_KEYS = ['EventSource', 'EventVersion', 'EventSubscriptionArn', 'Sns'];
const SNS_KEYS = ['Type', 'MessageId', 'TopicArn', 'Subject', 'Message', 'Timestamp', 'SignatureVersion', 'Signature',
  'SigningCertUrl', 'UnsubscribeUrl', 'MessageAttributes'];

/** Writes the event it receives, with the ARN it was invoked by, to QUEUE_URL. */
const WRITER = `
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event, context) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify({ arn: context.invokedFunctionArn, event }) }));
};`;

let cloud: LocalCloud;
let c: Clients;
let out: Record<string, string>;
let template: Template;
let stackRef: Stack;
const logLines: string[] = [];

beforeAll(async () => {
  const assembly = synth((app) => {
    const stack = new Stack(app, STACK, { env: { account: '000000000000', region: 'us-east-1' } });
    stackRef = stack;
    const writer = (id: string) => {
      const queue = new sqs.Queue(stack, `${id}Queue`);
      const fn = new lambda.Function(stack, id, {
        runtime: lambda.Runtime.NODEJS_20_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline(WRITER),
        environment: { QUEUE_URL: queue.queueUrl },
      });
      queue.grantSendMessages(fn);
      new CfnOutput(stack, `${id}Fn`, { value: fn.functionName });
      new CfnOutput(stack, `${id}QueueUrl`, { value: queue.queueUrl });
      return fn;
    };
    const topicOut = (id: string, topic: sns.Topic) => new CfnOutput(stack, `${id}Arn`, { value: topic.topicArn });

    // the function subscribed twice: unqualified and through an alias
    const main = new sns.Topic(stack, 'Main');
    topicOut('Main', main);
    const subscriber = writer('Subscriber');
    main.addSubscription(new subs.LambdaSubscription(subscriber));
    const aliased = writer('Aliased');
    const live = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: aliased.currentVersion });
    main.addSubscription(new subs.LambdaSubscription(live));

    const filtered = new sns.Topic(stack, 'Filtered');
    topicOut('Filtered', filtered);
    filtered.addSubscription(new subs.LambdaSubscription(writer('Red'), {
      filterPolicy: {
        color: sns.SubscriptionFilter.stringFilter({ allowlist: ['red'] }),
        size: sns.SubscriptionFilter.numericFilter({ greaterThan: 10 }),
      },
    }));
    filtered.addSubscription(new subs.LambdaSubscription(writer('Body'), {
      filterPolicyWithMessageBody: { kind: sns.FilterOrPolicy.filter(sns.SubscriptionFilter.stringFilter({ allowlist: ['order'] })) },
    }));

    // a subscription without the AWS::Lambda::Permission that LambdaSubscription adds
    const unpermitted = new sns.Topic(stack, 'Unpermitted');
    topicOut('Unpermitted', unpermitted);
    const denied = writer('Denied');
    new sns.Subscription(stack, 'DeniedSubscription', { topic: unpermitted, protocol: sns.SubscriptionProtocol.LAMBDA, endpoint: denied.functionArn });

    // subscribed at run time through the SDK; the permission is deployed
    const sdkTopic = new sns.Topic(stack, 'SdkTopic');
    topicOut('SdkTopic', sdkTopic);
    writer('SdkSubscriber').addPermission('FromSdkTopic', { principal: new iam.ServicePrincipal('sns.amazonaws.com'), sourceArn: sdkTopic.topicArn });

    // Lambda destination → topic → Lambda subscriber
    const chain = new sns.Topic(stack, 'Chain');
    chain.addSubscription(new subs.LambdaSubscription(writer('ChainEnd')));
    const producer = new lambda.Function(stack, 'Producer', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (event) => ({ echoed: event.id });'),
      onSuccess: new SnsDestination(chain),
    });
    new CfnOutput(stack, 'ProducerFn', { value: producer.functionName });

    // dead-letter topic → Lambda subscriber
    const dlt = new sns.Topic(stack, 'DeadLetters');
    dlt.addSubscription(new subs.LambdaSubscription(writer('DeadLetterReader')));
    const failing = new lambda.Function(stack, 'Failing', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => { throw new Error(\'boom\'); };'),
      retryAttempts: 0,
      deadLetterTopic: dlt,
    });
    new CfnOutput(stack, 'FailingFn', { value: failing.functionName });

    // EventBridge rule → SNS target → Lambda subscriber
    const notices = new sns.Topic(stack, 'Notices');
    notices.addSubscription(new subs.LambdaSubscription(writer('NoticeReader')));
    new events.Rule(stack, 'ToNotices', { eventPattern: { source: ['notices'] }, targets: [new targets.SnsTopic(notices)] });
  });
  template = Template.fromStack(stackRef);
  cloud = await LocalCloud.start({ assembly, port: 0, timeScale: 0.001, log: (l) => logLines.push(l), handlerOutput: 'ignore' });
  c = clients(cloud.endpoint);
  const d = await c.cfn.send(new DescribeStacksCommand({ StackName: STACK }));
  out = Object.fromEntries(d.Stacks![0].Outputs!.map((o) => [o.OutputKey!, o.OutputValue!]));
}, 90_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
});

/** The `{ arn, event }` bodies a writer function sent to its queue. */
async function written(writerId: string, count: number): Promise<{ arn: string; event: any }[]> {
  const msgs = await receive(c, out[`${writerId}QueueUrl`], count);
  return msgs.map((m) => JSON.parse(m.Body!));
}

test('LambdaSubscription synthesizes a permission for sns.amazonaws.com scoped to the topic', () => {
  // GIVEN the synthesized template THEN the permission names the topic as SourceArn
  template.hasResourceProperties('AWS::Lambda::Permission', {
    Action: 'lambda:InvokeFunction', Principal: 'sns.amazonaws.com', SourceArn: { Ref: Match.stringLikeRegexp('^Main') },
  });
});

describe('Publish to a topic with lambda subscriptions', () => {
  let messageId: string;
  let record: any;

  test('the function is invoked asynchronously with one Records[].Sns record', async () => {
    // GIVEN a topic with a LambdaSubscription
    // WHEN a message with a subject and attributes is published through the SDK
    const res = await c.sns.send(new PublishCommand({
      TopicArn: out.MainArn,
      Message: 'hello',
      Subject: 'greeting',
      MessageAttributes: {
        name: { DataType: 'String', StringValue: 'v' },
        count: { DataType: 'Number', StringValue: '3' },
        blob: { DataType: 'Binary', BinaryValue: Buffer.from('bin') },
      },
    }));
    messageId = res.MessageId!;
    // THEN the subscriber received exactly one record in Lambda's SNS event shape
    const [{ arn, event }] = await written('Subscriber', 1);
    // an unqualified subscription invokes the unqualified ARN
    expect(arn).toBe(`arn:aws:lambda:us-east-1:000000000000:function:${out.SubscriberFn}`);
    expect(Object.keys(event)).toEqual(['Records']);
    expect(event.Records).toHaveLength(1);
    record = event.Records[0];
    expect(Object.keys(record)).toEqual(RECORD_TOP_KEYS);
    expect(Object.keys(record.Sns)).toEqual(SNS_KEYS);
    expect(record.EventSource).toBe('aws:sns');
    expect(record.EventVersion).toBe('1.0');
    expect(record.EventSubscriptionArn).toMatch(new RegExp(`^${out.MainArn}:${UUID}$`));
    expect(record.Sns).toEqual({
      Type: 'Notification',
      MessageId: messageId,
      TopicArn: out.MainArn,
      Subject: 'greeting',
      Message: 'hello',
      Timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      SignatureVersion: '1',
      Signature: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      SigningCertUrl: expect.stringMatching(/^https:\/\/sns\.us-east-1\.amazonaws\.com\/SimpleNotificationService-[0-9a-f]+\.pem$/),
      UnsubscribeUrl: `https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${record.EventSubscriptionArn}`,
      MessageAttributes: {
        name: { Type: 'String', Value: 'v' },
        count: { Type: 'Number', Value: '3' },
        blob: { Type: 'Binary', Value: Buffer.from('bin').toString('base64') },
      },
    });
  });

  test('an alias subscriber is invoked through its alias, with its own subscription ARN', async () => {
    // GIVEN the same message (published above) WHEN the alias subscriber receives it
    const [{ arn, event }] = await written('Aliased', 1);
    // THEN the invoked ARN is qualified and the MessageId is the published one
    expect(arn).toBe(`arn:aws:lambda:us-east-1:000000000000:function:${out.AliasedFn}:live`);
    expect(event.Records[0].Sns.MessageId).toBe(messageId);
    expect(event.Records[0].EventSubscriptionArn).not.toBe(record.EventSubscriptionArn);
  });

  test('PublishBatch: each entry is one invocation, Subject null and MessageAttributes {} when absent', async () => {
    // WHEN two entries are published in a batch
    const res = await c.sns.send(new PublishBatchCommand({
      TopicArn: out.MainArn,
      PublishBatchRequestEntries: [
        { Id: 'a', Message: 'first' },
        { Id: 'b', Message: 'second', Subject: 's2', MessageAttributes: { k: { DataType: 'String.Array', StringValue: '["x","y"]' } } },
      ],
    }));
    expect(res.Failed ?? []).toEqual([]);
    const ids = Object.fromEntries(res.Successful!.map((s) => [s.Id!, s.MessageId!]));
    // THEN the subscriber gets one record per entry, each with its MessageId
    const got = (await written('Subscriber', 2)).map((w) => w.event.Records[0].Sns);
    const byMessage = Object.fromEntries(got.map((s) => [s.Message, s]));
    expect(byMessage.first).toMatchObject({ MessageId: ids.a, Subject: null, MessageAttributes: {} });
    expect(byMessage.first.Subject).toBeNull();
    expect(byMessage.second).toMatchObject({ MessageId: ids.b, Subject: 's2', MessageAttributes: { k: { Type: 'String.Array', Value: '["x","y"]' } } });
    await written('Aliased', 2);
  });

  test('MessageStructure json: the subscriber gets the lambda key\'s message', async () => {
    // WHEN a message with one text per protocol is published
    await c.sns.send(new PublishCommand({ TopicArn: out.MainArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'for others', lambda: 'for lambda' }) }));
    // THEN both lambda subscribers receive the lambda text
    for (const id of ['Subscriber', 'Aliased']) {
      const [{ event }] = await written(id, 1);
      expect(event.Records[0].Sns.Message).toBe('for lambda');
    }
  });
});

describe('filter policies', () => {
  test('a message whose attributes do not match is not delivered; a matching one is', async () => {
    // GIVEN a subscription filtering on color = red and size > 10
    // WHEN a blue one, a too small red one and a big red one are published
    await c.sns.send(new PublishCommand({
      TopicArn: out.FilteredArn,
      Message: 'blue',
      MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' }, size: { DataType: 'Number', StringValue: '20' } },
    }));
    await c.sns.send(new PublishCommand({
      TopicArn: out.FilteredArn,
      Message: 'small',
      MessageAttributes: { color: { DataType: 'String', StringValue: 'red' }, size: { DataType: 'Number', StringValue: '5' } },
    }));
    await c.sns.send(new PublishCommand({
      TopicArn: out.FilteredArn,
      Message: 'red',
      MessageAttributes: { color: { DataType: 'String', StringValue: 'red' }, size: { DataType: 'Number', StringValue: '11' } },
    }));
    // THEN only the big red one arrives
    const [{ event }] = await written('Red', 1);
    expect(event.Records[0].Sns.Message).toBe('red');
    await cloud.idle();
    await expectEmpty(c, out.RedQueueUrl);
  });

  test('FilterPolicyScope MessageBody matches the JSON body', async () => {
    // GIVEN a body-scoped policy kind = order (the attribute-scoped subscriber gets nothing: no attributes)
    // WHEN an order and a refund are published
    await c.sns.send(new PublishCommand({ TopicArn: out.FilteredArn, Message: JSON.stringify({ kind: 'refund' }) }));
    await c.sns.send(new PublishCommand({ TopicArn: out.FilteredArn, Message: JSON.stringify({ kind: 'order', id: 7 }) }));
    // THEN only the order reaches the body-scoped subscriber
    const [{ event }] = await written('Body', 1);
    expect(JSON.parse(event.Records[0].Sns.Message)).toEqual({ kind: 'order', id: 7 });
    await cloud.idle();
    await expectEmpty(c, out.BodyQueueUrl);
    await expectEmpty(c, out.RedQueueUrl);
  });
});

test('a function whose resource policy does not allow SNS is not invoked, and the failed delivery is logged', async () => {
  // GIVEN a lambda subscription without an AWS::Lambda::Permission
  // WHEN a message is published
  const res = await c.sns.send(new PublishCommand({ TopicArn: out.UnpermittedArn, Message: 'nope' }));
  await cloud.idle();
  // THEN the function received nothing and a log line names the topic, subscription and function
  await expectEmpty(c, out.DeniedQueueUrl);
  const line = logLines.find((l) => l.includes(res.MessageId!));
  expect(line).toBeDefined();
  expect(line).toContain(`topic ${out.UnpermittedArn}`);
  expect(line).toMatch(new RegExp(`subscription ${out.UnpermittedArn}:${UUID}`));
  expect(line).toContain(`function arn:aws:lambda:us-east-1:000000000000:function:${out.DeniedFn}`);
  expect(line).toContain('AccessDenied');
});

test('a subscription made with the SDK Subscribe call is delivered to until Unsubscribe', async () => {
  // GIVEN a lambda subscription created through the SNS API
  const sub = await c.sns.send(new SubscribeCommand({
    TopicArn: out.SdkTopicArn,
    Protocol: 'lambda',
    ReturnSubscriptionArn: true,
    Endpoint: `arn:aws:lambda:us-east-1:000000000000:function:${out.SdkSubscriberFn}`,
  }));
  expect(sub.SubscriptionArn).toMatch(new RegExp(`^${out.SdkTopicArn}:${UUID}$`));
  // WHEN a message is published
  const res = await c.sns.send(new PublishCommand({ TopicArn: out.SdkTopicArn, Message: 'via sdk' }));
  // THEN the function receives it under that subscription ARN
  const [{ event }] = await written('SdkSubscriber', 1);
  expect(event.Records[0].EventSubscriptionArn).toBe(sub.SubscriptionArn);
  expect(event.Records[0].Sns).toMatchObject({ MessageId: res.MessageId, Message: 'via sdk', Subject: null, MessageAttributes: {} });
  // WHEN it unsubscribes and another message is published THEN nothing arrives
  await c.sns.send(new UnsubscribeCommand({ SubscriptionArn: sub.SubscriptionArn }));
  await c.sns.send(new PublishCommand({ TopicArn: out.SdkTopicArn, Message: 'after' }));
  await cloud.idle();
  await expectEmpty(c, out.SdkSubscriberQueueUrl);
});

test('Subscribe rejects a filter policy the local cloud cannot evaluate, and an unknown topic', async () => {
  const endpoint = `arn:aws:lambda:us-east-1:000000000000:function:${out.SdkSubscriberFn}`;
  // WHEN the policy uses an operator SNS does not have THEN InvalidParameter
  await expect(c.sns.send(new SubscribeCommand({
    TopicArn: out.SdkTopicArn, Protocol: 'lambda', Endpoint: endpoint, Attributes: { FilterPolicy: JSON.stringify({ a: [{ wildcard: 'x*' }] }) },
  }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  // WHEN the topic does not exist THEN NotFound
  await expect(c.sns.send(new SubscribeCommand({
    TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing', Protocol: 'lambda', Endpoint: endpoint,
  }))).rejects.toMatchObject({ name: 'NotFoundException' });
});

test('Subscribe rejects a lambda endpoint that is not a function ARN with InvalidParameter', async () => {
  // WHEN the endpoint is a bare name THEN InvalidParameter, naming the endpoint
  await expect(c.sns.send(new SubscribeCommand({ TopicArn: out.SdkTopicArn, Protocol: 'lambda', Endpoint: 'not-an-arn' })))
    .rejects.toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Lambda endpoint ARN not-an-arn' });
});

test('Lambda destination → SNS topic → Lambda subscriber: the Message is the invocation record', async () => {
  // GIVEN a function whose success destination is a topic with a lambda subscriber
  // WHEN it is invoked asynchronously
  await c.lambda.send(new InvokeCommand({ FunctionName: out.ProducerFn, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ id: 'chained' })) }));
  // THEN the subscriber's record carries the success record as Message
  const [{ event }] = await written('ChainEnd', 1);
  const notification = event.Records[0].Sns;
  expect(notification.Subject).toBeNull();
  const invocationRecord = JSON.parse(notification.Message);
  expect(Object.keys(invocationRecord)).toEqual(RECORD_KEYS);
  expect(invocationRecord.requestContext.condition).toBe('Success');
  expect(invocationRecord.requestPayload).toEqual({ id: 'chained' });
  expect(invocationRecord.responsePayload).toEqual({ echoed: 'chained' });
});

test('dead-letter topic → Lambda subscriber: the original event, with the RequestID, ErrorCode, ErrorMessage attributes', async () => {
  // GIVEN a function with a dead-letter topic that has a lambda subscriber
  // WHEN its only attempt fails
  await c.lambda.send(new InvokeCommand({ FunctionName: out.FailingFn, InvocationType: 'Event', Payload: Buffer.from('{"id":"dead"}') }));
  // THEN the subscriber gets the original payload and the dead-letter attributes
  const [{ event }] = await written('DeadLetterReader', 1);
  const record = event.Records[0].Sns;
  expect(JSON.parse(record.Message)).toEqual({ id: 'dead' });
  expect(record.MessageAttributes).toEqual({
    RequestID: { Type: 'String', Value: expect.stringMatching(new RegExp(`^${UUID}$`)) },
    ErrorCode: { Type: 'Number', Value: '200' },
    ErrorMessage: { Type: 'String', Value: 'boom' },
  });
});

test('EventBridge rule with an SNS target → Lambda subscriber: the Message is the event', async () => {
  // GIVEN a rule whose target is a topic with a lambda subscriber
  const eb = new EventBridgeClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    // WHEN a matching event is put
    const res = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'notices', DetailType: 'Notice', Detail: '{"n":1}' }] }));
    // THEN the subscriber receives the event as the SNS Message
    const [{ event }] = await written('NoticeReader', 1);
    const delivered = JSON.parse(event.Records[0].Sns.Message);
    expect(delivered).toMatchObject({ 'id': res.Entries![0].EventId, 'source': 'notices', 'detail-type': 'Notice', 'detail': { n: 1 } });
  } finally {
    eb.destroy();
  }
});

test('a template subscription whose filter policy cannot be evaluated fails the deployment', async () => {
  // GIVEN an AWS::SNS::Subscription with a nested policy in the MessageAttributes scope
  const assembly = synth((app) => {
    const stack = new Stack(app, 'BadPolicy', { env: { account: '000000000000', region: 'us-east-1' } });
    const topic = new sns.Topic(stack, 'T');
    const fn = new lambda.Function(stack, 'Fn', { runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline(WRITER) });
    new sns.CfnSubscription(stack, 'Sub', { topicArn: topic.topicArn, protocol: 'lambda', endpoint: fn.functionArn, filterPolicy: { a: { b: ['x'] } } });
  });
  // WHEN it is deployed THEN the subscription fails to create, with the reason
  await expect(LocalCloud.start({ assembly, port: 0, log: () => undefined, handlerOutput: 'ignore' }))
    .rejects.toThrow(/Sub \(AWS::SNS::Subscription\) CREATE_FAILED: InvalidParameter: .*does not support nested filter policy/);
});
