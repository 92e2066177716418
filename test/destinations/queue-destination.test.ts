import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AsyncInvocation, FailureDestination, SuccessDestination } from '../../src';
import { defaultPolicyStatements, eventInvokeConfig, newFunction, newStack } from '../helpers';

describe('queue destination', () => {
  test.each([
    ['onSuccess', (q: sqs.IQueue) => ({ onSuccess: SuccessDestination.queue(q) }), 'OnSuccess'],
    ['onFailure', (q: sqs.IQueue) => ({ onFailure: FailureDestination.queue(q) }), 'OnFailure'],
  ])('%s: the queue ARN is the destination and exactly sqs:SendMessage on it is granted', (_name, destinations, key) => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const queue = new sqs.Queue(stack, 'Queue');

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, ...destinations(queue) });

    // THEN
    expect(eventInvokeConfig(stack).Properties.DestinationConfig).toEqual({
      [key]: { Destination: stack.resolve(queue.queueArn) },
    });
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: stack.resolve(queue.queueArn) },
    ]);
  });

  test('the config is created after the policy that grants delivery', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.queue(new sqs.Queue(stack, 'Queue')) });

    // THEN
    const policyId = stack.getLogicalId(fn.role!.node.findChild('DefaultPolicy').node.defaultChild as any);
    expect(eventInvokeConfig(stack).DependsOn).toEqual([policyId]);
  });

  test('a customer managed key gets kms:GenerateDataKey and kms:Decrypt, only through SQS', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const key = new kms.Key(stack, 'Key');
    const queue = new sqs.Queue(stack, 'Queue', { encryptionMasterKey: key });

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.queue(queue) });

    // THEN
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: stack.resolve(queue.queueArn) },
      {
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
        Effect: 'Allow',
        Resource: stack.resolve(key.keyArn),
      },
    ]);
  });

  test('a key given as a created kms.Alias is granted on the key behind it (a grant on an alias ARN authorizes nothing)', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const key = new kms.Key(stack, 'Key');
    const alias = new kms.Alias(stack, 'Alias', { aliasName: 'alias/records', targetKey: key });
    const queue = new sqs.Queue(stack, 'Queue', { encryptionMasterKey: alias });

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.queue(queue) });

    // THEN
    expect(defaultPolicyStatements(stack, fn)).toContainEqual(expect.objectContaining({
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: stack.resolve(key.keyArn),
    }));
  });

  test('an imported queue with its key (by ARN) gets the same grants', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const queue = sqs.Queue.fromQueueAttributes(stack, 'Imported', {
      queueArn: 'arn:aws:sqs:eu-west-1:111111111111:records',
      keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.queue(queue) });

    // THEN
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: 'arn:aws:sqs:eu-west-1:111111111111:records' },
      {
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Condition: { StringEquals: { 'kms:ViaService': 'sqs.eu-west-1.amazonaws.com' } },
        Effect: 'Allow',
        Resource: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    ]);
  });

  test('the AWS managed key (alias/aws/sqs) needs no KMS grant', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const queue = new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.KMS_MANAGED });

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.queue(queue) });

    // THEN
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: stack.resolve(queue.queueArn) },
    ]);
  });

  describe('created for you', () => {
    test.each([
      ['onSuccess', { onSuccess: SuccessDestination.queue() }, 'successQueue', 'OnSuccess'],
      ['onFailure', { onFailure: FailureDestination.queue() }, 'failureQueue', 'OnFailure'],
    ] as const)('%s: an SSE-KMS, SSL-only queue with 14 days retention, exposed on the construct', (_name, destinations, property, key) => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);

      // WHEN
      const invocation = new AsyncInvocation(stack, 'Async', { function: fn, ...destinations });

      // THEN
      const queue = invocation[property]!;
      expect(queue).toBeDefined();
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::SQS::Queue', 1);
      template.hasResourceProperties('AWS::SQS::Queue', {
        KmsMasterKeyId: 'alias/aws/sqs',
        MessageRetentionPeriod: 1209600,
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: [Match.objectLike({
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            Effect: 'Deny',
          })],
        },
      });
      expect(eventInvokeConfig(stack).Properties.DestinationConfig[key]).toEqual({ Destination: stack.resolve(queue.queueArn) });
      expect(defaultPolicyStatements(stack, fn)).toEqual([
        { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: stack.resolve(queue.queueArn) },
      ]);
    });

    test('queueProps are merged over the defaults, and a key given there is granted', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);
      const key = new kms.Key(stack, 'Key');

      // WHEN
      const invocation = new AsyncInvocation(stack, 'Async', {
        function: fn,
        onFailure: FailureDestination.queue(undefined, {
          queueProps: { retentionPeriod: Duration.days(4), encryptionMasterKey: key, queueName: 'failed-orders' },
        }),
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', {
        QueueName: 'failed-orders',
        KmsMasterKeyId: stack.resolve(key.keyArn),
        MessageRetentionPeriod: 345600,
      });
      expect(defaultPolicyStatements(stack, fn)).toEqual([
        { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: stack.resolve(invocation.failureQueue!.queueArn) },
        expect.objectContaining({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: stack.resolve(key.keyArn) }),
      ]);
    });

    test('a user-supplied queue is not exposed as created', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);

      // WHEN
      const invocation = new AsyncInvocation(stack, 'Async', {
        function: fn,
        onSuccess: SuccessDestination.queue(new sqs.Queue(stack, 'Mine')),
        onFailure: FailureDestination.queue(new sqs.Queue(stack, 'MineToo')),
      });

      // THEN
      expect(invocation.successQueue).toBeUndefined();
      expect(invocation.failureQueue).toBeUndefined();
    });
  });

  test('no warning about the payload limit (that is for SNS only)', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: newFunction(stack), onFailure: FailureDestination.queue() });

    // THEN
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('256 KB'))).toEqual([]);
  });
});
