import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AsyncInvocation, FailureDestination, SuccessDestination } from '../../src';
import { defaultPolicyStatements, eventInvokeConfig, newFunction, newStack } from '../helpers';

describe('topic destination', () => {
  test.each([
    ['onSuccess', (t: sns.ITopic) => ({ onSuccess: SuccessDestination.topic(t) }), 'OnSuccess'],
    ['onFailure', (t: sns.ITopic) => ({ onFailure: FailureDestination.topic(t) }), 'OnFailure'],
  ])('%s: the topic ARN is the destination and exactly sns:Publish on it is granted', (_name, destinations, key) => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const topic = new sns.Topic(stack, 'Topic');

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, ...destinations(topic) });

    // THEN
    expect(eventInvokeConfig(stack).Properties.DestinationConfig).toEqual({ [key]: { Destination: stack.resolve(topic.topicArn) } });
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 'sns:Publish', Effect: 'Allow', Resource: stack.resolve(topic.topicArn) },
    ]);
  });

  test('a customer managed key gets kms:GenerateDataKey and kms:Decrypt, only through SNS', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const key = new kms.Key(stack, 'Key');
    const topic = new sns.Topic(stack, 'Topic', { masterKey: key });

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.topic(topic) });

    // THEN
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 'sns:Publish', Effect: 'Allow', Resource: stack.resolve(topic.topicArn) },
      {
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Condition: { StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } },
        Effect: 'Allow',
        Resource: stack.resolve(key.keyArn),
      },
    ]);
  });

  test('an imported topic with its key (by ARN) gets the same grants', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const topic = sns.Topic.fromTopicAttributes(stack, 'Imported', {
      topicArn: 'arn:aws:sns:eu-west-1:111111111111:records',
      keyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.topic(topic) });

    // THEN
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 'sns:Publish', Effect: 'Allow', Resource: 'arn:aws:sns:eu-west-1:111111111111:records' },
      {
        Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
        Condition: { StringEquals: { 'kms:ViaService': 'sns.eu-west-1.amazonaws.com' } },
        Effect: 'Allow',
        Resource: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    ]);
  });

  test.each([
    ['onSuccess', (t: sns.ITopic) => ({ onSuccess: SuccessDestination.topic(t) })],
    ['onFailure', (t: sns.ITopic) => ({ onFailure: FailureDestination.topic(t) })],
  ])('%s: a warning on the topic names the 256 KB limit against 1 MB payloads', (_name, destinations) => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: newFunction(stack), ...destinations(new sns.Topic(stack, 'Topic')) });

    // THEN
    const warnings = Annotations.fromStack(stack).findWarning('/Stack/Topic', Match.stringLikeRegexp('first: Stack/Async.*256 KB.*1 MB'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].entry.data).toContain('[ack: cdk-async-lambda:snsPayloadLimit]');
  });

  test('a topic shared by many configs is warned about once', () => {
    // GIVEN
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Topic');

    // WHEN
    for (const id of ['A', 'B', 'C']) {
      new AsyncInvocation(stack, id, {
        function: newFunction(stack, `Fn${id}`),
        onSuccess: SuccessDestination.topic(topic),
        onFailure: FailureDestination.topic(topic),
      });
    }

    // THEN
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('256 KB'))).toHaveLength(1);
  });
});
