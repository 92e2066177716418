import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AsyncFunction, FailureDestination, SuccessDestination } from '../src';
import { defaultPolicyStatements, eventInvokeConfig, newStack } from './helpers';

const code = lambda.Code.fromInline('exports.handler = async (event) => ({ ok: true, event });');

describe('AsyncFunction', () => {
  test('creates the function, its $LATEST config and a failure queue for you', () => {
    // GIVEN
    const stack = newStack();
    const results = new sqs.Queue(stack, 'Results');

    // WHEN
    const worker = new AsyncFunction(stack, 'Worker', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code,
      memorySize: 256,
      retryAttempts: 1,
      maxEventAge: Duration.minutes(30),
      onSuccess: SuccessDestination.queue(results),
      onFailure: FailureDestination.queue(),
    });

    // THEN
    expect(worker.function).toBeInstanceOf(lambda.Function);
    expect(worker.failureQueue).toBeDefined();
    expect(worker.successQueue).toBeUndefined();
    expect(worker.asyncInvocation.qualifier).toBe('$LATEST');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 256, Runtime: 'nodejs22.x' });
    expect(eventInvokeConfig(stack).Properties).toEqual({
      FunctionName: stack.resolve(worker.function.functionName),
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 1800,
      DestinationConfig: {
        OnSuccess: { Destination: stack.resolve(results.queueArn) },
        OnFailure: { Destination: stack.resolve(worker.failureQueue!.queueArn) },
      },
    });
    expect(defaultPolicyStatements(stack, worker.function)).toEqual([
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: stack.resolve(results.queueArn) },
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: stack.resolve(worker.failureQueue!.queueArn) },
    ]);
  });

  test('the function keeps its place in the tree: Worker/Resource, config at Worker/AsyncInvocation', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    const worker = new AsyncFunction(stack, 'Worker', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, onFailure: FailureDestination.queue() });

    // THEN
    expect(worker.function.node.path).toBe('Stack/Worker/Resource');
    expect(worker.asyncInvocation.node.path).toBe('Stack/Worker/AsyncInvocation');
    expect(worker.failureQueue!.node.path).toBe('Stack/Worker/AsyncInvocation/FailureQueue');
  });

  test('aws-cdk-lib\'s own async settings are not passed to the function (no second config)', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new AsyncFunction(stack, 'Worker', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, retryAttempts: 0, onFailure: FailureDestination.queue(),
    });

    // THEN
    Template.fromStack(stack).resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
  });

  test('validation errors name the AsyncFunction\'s path', () => {
    // GIVEN
    const stack = newStack();

    // WHEN / THEN
    expect(() => new AsyncFunction(stack, 'Worker', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, retryAttempts: 4 }))
      .toThrow(/^\[Stack\/Worker\/AsyncInvocation\] retryAttempts must be an integer from 0 to 2, got 4/);
  });

  test('warns when there is no onFailure destination', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new AsyncFunction(stack, 'Worker', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });

    // THEN
    Annotations.fromStack(stack).hasWarning('/Stack/Worker/AsyncInvocation', Match.stringLikeRegexp('no onFailure destination'));
  });

  test('snapshot', () => {
    // GIVEN
    const stack = newStack();

    // WHEN
    new AsyncFunction(stack, 'Worker', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromAsset(`${__dirname}/fixtures/handler`),
      retryAttempts: 1,
      maxEventAge: Duration.minutes(30),
      onSuccess: SuccessDestination.eventBus(),
      onFailure: FailureDestination.queue(),
    });

    // THEN
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  test.each([
    ['no props', undefined, /^\[Stack\/Worker\] props must be an object, got undefined$/],
    ['maxEventAge as a number', { maxEventAge: 3600 }, /^\[Stack\/Worker\/AsyncInvocation\] maxEventAge must be a Duration \(for example Duration.seconds\(3600\)\), got 3600$/],
  ])('JavaScript users get our message, not a TypeError: %s', (_name, props, message) => {
    // GIVEN
    const stack = newStack();
    const all = props === undefined ? undefined : { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, ...props };

    // WHEN / THEN
    expect(() => new AsyncFunction(stack, 'Worker', all as any)).toThrow(message);
  });
});
