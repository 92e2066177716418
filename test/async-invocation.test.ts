import { App, Annotations as CoreAnnotations, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as lambdaDestinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AsyncInvocation, AsyncInvocationProps, FailureDestination, SuccessDestination } from '../src';
import { eventInvokeConfig, newFunction, newStack } from './helpers';

const AnnotationsOf = (stack: Stack) => Annotations.fromStack(stack);

describe('AsyncInvocation', () => {
  describe('configuration', () => {
    test('retries, event age and destinations become the EventInvokeConfig of $LATEST', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);

      // WHEN
      const invocation = new AsyncInvocation(stack, 'Async', {
        function: fn,
        retryAttempts: 1,
        maxEventAge: Duration.minutes(30),
        onFailure: FailureDestination.queue(),
      });

      // THEN
      expect(invocation.qualifier).toBe('$LATEST');
      expect(invocation.function).toBe(fn);
      expect(eventInvokeConfig(stack).Properties).toEqual({
        FunctionName: stack.resolve(fn.functionName),
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 1,
        MaximumEventAgeInSeconds: 1800,
        DestinationConfig: { OnFailure: { Destination: stack.resolve(invocation.failureQueue!.queueArn) } },
      });
    });

    test('unset retries and event age are left to Lambda\'s defaults (2 and 6 hours)', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new AsyncInvocation(stack, 'Async', { function: newFunction(stack), onFailure: FailureDestination.queue() });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        MaximumRetryAttempts: Match.absent(),
        MaximumEventAgeInSeconds: Match.absent(),
      });
    });

    test.each([0, 1, 2])('accepts retryAttempts %p', retryAttempts => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new AsyncInvocation(stack, 'Async', { function: newFunction(stack), retryAttempts, onFailure: FailureDestination.queue() });

      // THEN
      expect(eventInvokeConfig(stack).Properties.MaximumRetryAttempts).toBe(retryAttempts);
    });

    test.each([
      [Duration.seconds(60), 60],
      [Duration.minutes(1), 60],
      [Duration.millis(61_000), 61],
      [Duration.hours(6), 21600],
    ])('accepts maxEventAge %s', (maxEventAge, seconds) => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new AsyncInvocation(stack, 'Async', { function: newFunction(stack), maxEventAge, retryAttempts: 0, onFailure: FailureDestination.queue() });

      // THEN
      expect(eventInvokeConfig(stack).Properties.MaximumEventAgeInSeconds).toBe(seconds);
    });
  });

  describe('qualifiers', () => {
    test('an alias configures the alias, after the alias exists', () => {
      // GIVEN
      const stack = newStack();
      const alias = newFunction(stack).addAlias('live');

      // WHEN
      const invocation = new AsyncInvocation(stack, 'Async', { function: alias, onFailure: FailureDestination.queue() });

      // THEN
      expect(invocation.qualifier).toBe('live');
      const config = eventInvokeConfig(stack);
      expect(config.Properties.FunctionName).toEqual(stack.resolve(alias.version.lambda.functionName));
      expect(config.Properties.Qualifier).toBe('live');
      expect(config.DependsOn).toContain(stack.getLogicalId(alias.node.defaultChild as lambda.CfnAlias));
    });

    test('a version configures that version number', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);
      const version = fn.currentVersion;

      // WHEN
      new AsyncInvocation(stack, 'Async', { function: version, onFailure: FailureDestination.queue() });

      // THEN
      const config = eventInvokeConfig(stack);
      expect(config.Properties.FunctionName).toEqual(stack.resolve(fn.functionName));
      expect(config.Properties.Qualifier).toEqual(stack.resolve(version.version));
    });

    test('latestVersion configures $LATEST', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);

      // WHEN
      new AsyncInvocation(stack, 'Async', { function: fn.latestVersion, onFailure: FailureDestination.queue() });

      // THEN
      expect(eventInvokeConfig(stack).Properties).toMatchObject({ FunctionName: stack.resolve(fn.functionName), Qualifier: '$LATEST' });
    });

    test('an imported alias configures that alias of the imported function', () => {
      // GIVEN
      const stack = newStack();
      const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:orders');
      const version = lambda.Version.fromVersionAttributes(stack, 'V', { lambda: fn, version: '7' });
      const alias = lambda.Alias.fromAliasAttributes(stack, 'Alias', { aliasName: 'prod', aliasVersion: version });

      // WHEN
      new AsyncInvocation(stack, 'Async', { function: alias, onFailure: FailureDestination.queue() });

      // THEN
      expect(eventInvokeConfig(stack).Properties).toMatchObject({ FunctionName: 'orders', Qualifier: 'prod' });
    });

    test.each([
      ['an alias', 'live'],
      ['a version', '3'],
    ])('a function imported by an ARN qualified with %s configures that qualifier, and responseOnly matches that ARN', (_name, qualifier) => {
      // GIVEN
      const stack = newStack();
      const arn = `arn:aws:lambda:us-east-1:111111111111:function:orders:${qualifier}`;
      const fn = lambda.Function.fromFunctionArn(stack, 'Fn', arn);

      // WHEN
      const invocation = new AsyncInvocation(stack, 'Async', {
        function: fn,
        onSuccess: SuccessDestination.function(newFunction(stack, 'Next'), { responseOnly: true }),
        onFailure: FailureDestination.queue(),
      });

      // THEN
      expect(invocation.qualifier).toBe(qualifier);
      expect(eventInvokeConfig(stack).Properties).toMatchObject({ FunctionName: 'orders', Qualifier: qualifier });
      Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ resources: [arn] }) });
    });

    test('the same function may have one config per qualifier', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);

      // WHEN
      new AsyncInvocation(stack, 'Latest', { function: fn, onFailure: FailureDestination.queue() });
      new AsyncInvocation(stack, 'Live', { function: fn.addAlias('live'), onFailure: FailureDestination.queue() });

      // THEN
      Template.fromStack(stack).resourceCountIs('AWS::Lambda::EventInvokeConfig', 2);
    });
  });

  describe('validation', () => {
    type Setup = (stack: Stack, fn: lambda.Function) => void;
    const config = (props: Omit<AsyncInvocationProps, 'function'>): Setup =>
      (stack, fn) => { new AsyncInvocation(stack, 'Async', { function: fn, ...props }); };
    const fifoQueue = (stack: Stack) => new sqs.Queue(stack, 'Fifo', { fifo: true });
    const importedFifoQueue = (stack: Stack) => sqs.Queue.fromQueueArn(stack, 'Fifo', 'arn:aws:sqs:us-east-1:111111111111:orders.fifo');
    const fifoTopic = (stack: Stack) => new sns.Topic(stack, 'Fifo', { fifo: true });
    const importedFifoTopic = (stack: Stack) => sns.Topic.fromTopicArn(stack, 'Fifo', 'arn:aws:sns:us-east-1:111111111111:orders.fifo');
    const envStack = (s: Stack, id = 'Env') => new Stack(s.node.root as App, id, { env: { account: '111111111111', region: 'us-east-1' } });
    const named = (scope: Stack, id: string, functionName: string) => new lambda.Function(scope, id, {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => null;'), functionName,
    });
    const cases: Array<[string, Setup, RegExp]> = [
      ['retryAttempts -1', config({ retryAttempts: -1 }), /retryAttempts must be an integer from 0 to 2, got -1/],
      ['retryAttempts 3', config({ retryAttempts: 3 }), /retryAttempts must be an integer from 0 to 2, got 3/],
      ['retryAttempts 1.5', config({ retryAttempts: 1.5 }), /retryAttempts must be an integer from 0 to 2, got 1.5/],
      ['retryAttempts 0.1', config({ retryAttempts: 0.1 }), /got 0.1/],
      ['retryAttempts NaN', config({ retryAttempts: NaN }), /retryAttempts .* got NaN/],
      ['retryAttempts Infinity', config({ retryAttempts: Infinity }), /retryAttempts .* got Infinity/],
      ['retryAttempts 100', config({ retryAttempts: 100 }), /got 100/],
      ['maxEventAge 59 s', config({ maxEventAge: Duration.seconds(59) }), /maxEventAge must be from 60 seconds to 6 hours, got 59 seconds/],
      ['maxEventAge 0 s', config({ maxEventAge: Duration.seconds(0) }), /maxEventAge must be from 60 seconds to 6 hours, got 0 seconds/],
      ['maxEventAge 6 h 1 s', config({ maxEventAge: Duration.seconds(21601) }), /maxEventAge must be from 60 seconds to 6 hours, got 6 hours 1 second/],
      ['maxEventAge 7 h', config({ maxEventAge: Duration.hours(7) }), /got 7 hours/],
      ['maxEventAge 1 day', config({ maxEventAge: Duration.days(1) }), /got 1 day/],
      ['maxEventAge 90.5 s', config({ maxEventAge: Duration.millis(90_500) }), /maxEventAge must be a whole number of seconds, got 90500 milliseconds/],
      ['maxEventAge 59.9 s', config({ maxEventAge: Duration.millis(59_900) }), /whole number of seconds/],
      ['FIFO queue on success', (s, fn) => config({ onSuccess: SuccessDestination.queue(fifoQueue(s)) })(s, fn), /onSuccess: Lambda cannot send records to a FIFO queue, got Stack\/Fifo/],
      ['FIFO queue on failure', (s, fn) => config({ onFailure: FailureDestination.queue(fifoQueue(s)) })(s, fn), /onFailure: .*FIFO queue/],
      ['imported FIFO queue on success', (s, fn) => config({ onSuccess: SuccessDestination.queue(importedFifoQueue(s)) })(s, fn), /FIFO queue, got arn:aws:sqs:us-east-1:111111111111:orders.fifo/],
      ['imported FIFO queue on failure', (s, fn) => config({ onFailure: FailureDestination.queue(importedFifoQueue(s)) })(s, fn), /onFailure: .*orders\.fifo/],
      ['created FIFO queue', config({ onFailure: FailureDestination.queue(undefined, { queueProps: { fifo: true } }) }), /FIFO queue, got Stack\/Async\/FailureQueue/],
      ['FIFO topic on success', (s, fn) => config({ onSuccess: SuccessDestination.topic(fifoTopic(s)) })(s, fn), /onSuccess: Lambda cannot publish records to a FIFO topic, got Stack\/Fifo/],
      ['FIFO topic on failure', (s, fn) => config({ onFailure: FailureDestination.topic(fifoTopic(s)) })(s, fn), /onFailure: .*FIFO topic/],
      ['imported FIFO topic on success', (s, fn) => config({ onSuccess: SuccessDestination.topic(importedFifoTopic(s)) })(s, fn), /FIFO topic, got arn:aws:sns:us-east-1:111111111111:orders.fifo/],
      ['imported FIFO topic on failure', (s, fn) => config({ onFailure: FailureDestination.topic(importedFifoTopic(s)) })(s, fn), /onFailure: .*orders\.fifo/],
      ['itself on success', (s, fn) => config({ onSuccess: SuccessDestination.function(fn) })(s, fn), /onSuccess: a function cannot be its own destination, got Stack\/Fn/],
      ['itself on failure', (s, fn) => config({ onFailure: FailureDestination.function(fn) })(s, fn), /onFailure: a function cannot be its own destination/],
      ['itself, responseOnly', (s, fn) => config({ onSuccess: SuccessDestination.function(fn, { responseOnly: true }) })(s, fn), /own destination/],
      ['its own alias', (s, fn) => config({ onFailure: FailureDestination.function(fn.addAlias('live')) })(s, fn), /own destination, got Stack\/Fn\/Aliaslive/],
      ['its own version', (s, fn) => config({ onSuccess: SuccessDestination.function(fn.currentVersion) })(s, fn), /own destination, got Stack\/Fn\/CurrentVersion/],
      ['an alias configured to itself', (s, fn) => {
        const alias = fn.addAlias('live');
        new AsyncInvocation(s, 'Async', { function: alias, onSuccess: SuccessDestination.function(alias) });
      }, /own destination/],
      ['itself imported by the same literal ARN', s => {
        const a = lambda.Function.fromFunctionArn(s, 'A', 'arn:aws:lambda:us-east-1:111111111111:function:orders');
        const b = lambda.Function.fromFunctionArn(s, 'B', 'arn:aws:lambda:us-east-1:111111111111:function:orders');
        new AsyncInvocation(s, 'Async', { function: a, onFailure: FailureDestination.function(b) });
      }, /own destination, got Stack\/B/],
      ['a second config on the same function', (s, fn) => {
        new AsyncInvocation(s, 'First', { function: fn });
        new AsyncInvocation(s, 'Second', { function: fn });
      }, /\[Stack\/Second\] qualifier \$LATEST of Stack\/Fn already has an asynchronous invocation config: Stack\/First/],
      ['a second config on the same alias', (s, fn) => {
        const alias = fn.addAlias('live');
        new AsyncInvocation(s, 'First', { function: alias });
        new AsyncInvocation(s, 'Second', { function: alias });
      }, /qualifier live of Stack\/Fn already has .* Stack\/First/],
      ['a second config on $LATEST through latestVersion', (s, fn) => {
        new AsyncInvocation(s, 'First', { function: fn });
        new AsyncInvocation(s, 'Second', { function: fn.latestVersion });
      }, /qualifier \$LATEST .* already has/],
      ['a second config in another stack of the same app', (s, fn) => {
        new AsyncInvocation(s, 'First', { function: fn });
        new AsyncInvocation(new Stack(s.node.root as App, 'Other'), 'Second', { function: fn });
      }, /\[Other\/Second\] qualifier \$LATEST of Stack\/Fn already has/],
      ['eventBus without responseOnly', (s, fn) => config({
        onSuccess: SuccessDestination.function(newFunction(s, 'Next'), { eventBus: new events.EventBus(s, 'Bus') }),
      })(s, fn), /onSuccess: eventBus is only used with responseOnly: true, got eventBus Stack\/Bus without it/],
      ['queueProps with an existing queue', (s, fn) => config({
        onFailure: FailureDestination.queue(new sqs.Queue(s, 'Queue'), { queueProps: { retentionPeriod: Duration.days(1) } }),
      })(s, fn), /onFailure: queueProps only apply to a queue created for you, but queue Stack\/Queue was given/],
      // class 1: loops of function destinations, judged across the app
      ['A ⇄ B on success', (s, fn) => {
        const b = newFunction(s, 'B');
        new AsyncInvocation(s, 'AsyncA', { function: fn, onSuccess: SuccessDestination.function(b) });
        new AsyncInvocation(s, 'AsyncB', { function: b, onSuccess: SuccessDestination.function(fn) });
      }, /\[Stack\/AsyncA\] onSuccess destinations form a loop: .* got Stack\/Fn → \(onSuccess\) Stack\/B → \(onSuccess\) Stack\/Fn/],
      ['A → B → C → A on success', (s, fn) => {
        const [b, c] = [newFunction(s, 'B'), newFunction(s, 'C')];
        new AsyncInvocation(s, 'AsyncA', { function: fn, onSuccess: SuccessDestination.function(b) });
        new AsyncInvocation(s, 'AsyncB', { function: b, onSuccess: SuccessDestination.function(c) });
        new AsyncInvocation(s, 'AsyncC', { function: c, onSuccess: SuccessDestination.function(fn) });
      }, /loop: .*got Stack\/Fn → \(onSuccess\) Stack\/B → \(onSuccess\) Stack\/C → \(onSuccess\) Stack\/Fn/],
      ['a success loop through an alias and a version', (s, fn) => {
        const b = newFunction(s, 'B');
        new AsyncInvocation(s, 'AsyncA', { function: fn.addAlias('live'), onSuccess: SuccessDestination.function(b.currentVersion) });
        new AsyncInvocation(s, 'AsyncB', { function: b, onSuccess: SuccessDestination.function(fn) });
      }, /onSuccess destinations form a loop: .*got Stack\/Fn → \(onSuccess\) Stack\/B → \(onSuccess\) Stack\/Fn/],
      ['a success loop through responseOnly', (s, fn) => {
        const b = newFunction(s, 'B');
        new AsyncInvocation(s, 'AsyncA', { function: fn, onSuccess: SuccessDestination.function(b, { responseOnly: true }) });
        new AsyncInvocation(s, 'AsyncB', { function: b, onSuccess: SuccessDestination.function(fn) });
      }, /onSuccess destinations form a loop/],
      ['a success loop closed by aws-cdk-lib\'s configureAsyncInvoke', (s, fn) => {
        const b = newFunction(s, 'B');
        new AsyncInvocation(s, 'AsyncA', { function: fn, onSuccess: SuccessDestination.function(b) });
        b.configureAsyncInvoke({ onSuccess: new lambdaDestinations.LambdaDestination(fn) });
      }, /\[Stack\/AsyncA\] onSuccess destinations form a loop: .*got Stack\/Fn → \(onSuccess\) Stack\/B → \(onSuccess\) Stack\/Fn/],
      ['a loop with aws-cdk-lib\'s LambdaDestination: both default policies name the other function', (s, fn) => {
        const b = newFunction(s, 'B');
        new AsyncInvocation(s, 'AsyncA', { function: fn, onSuccess: SuccessDestination.function(b) });
        b.configureAsyncInvoke({ onFailure: new lambdaDestinations.LambdaDestination(fn) });
      }, /default policies would name each other's functions, a CloudFormation dependency cycle.*got Stack\/Fn → \(onSuccess\) Stack\/B → \(onFailure\) Stack\/Fn/],
      ['a success loop between functions imported by name', s => {
        const [a, b] = [named(s, 'A', 'a'), named(s, 'B', 'b')];
        new AsyncInvocation(s, 'AsyncA', { function: a, onSuccess: SuccessDestination.function(lambda.Function.fromFunctionName(s, 'ImportB', 'b')) });
        new AsyncInvocation(s, 'AsyncB', { function: b, onSuccess: SuccessDestination.function(lambda.Function.fromFunctionName(s, 'ImportA', 'a')) });
      }, /loop: .*got a → \(onSuccess\) b → \(onSuccess\) a/],
      ['a success loop across stacks', (s, fn) => {
        const other = new Stack(s.node.root as App, 'Other');
        const b = newFunction(other, 'B');
        new AsyncInvocation(s, 'AsyncA', { function: fn, onSuccess: SuccessDestination.function(b) });
        new AsyncInvocation(other, 'AsyncB', { function: b, onSuccess: SuccessDestination.function(fn) });
      }, /\[Other\/AsyncB\] .*makes stack Other depend on stack Stack, which already depends on it .*got Other ⇄ Stack/],
      ['a chain that makes two stacks depend on each other (A in Stack → B in Other → C in Stack)', (s, fn) => {
        const other = new Stack(s.node.root as App, 'Other');
        const b = newFunction(other, 'B');
        new AsyncInvocation(s, 'AsyncA', { function: fn, onSuccess: SuccessDestination.function(b), onFailure: FailureDestination.queue() });
        new AsyncInvocation(other, 'AsyncB', { function: b, onSuccess: SuccessDestination.function(newFunction(s, 'C')) });
      }, /\[Other\/AsyncB\] Other\/AsyncB \(lambda:InvokeFunction in the default policy of Other\/B\/ServiceRole\) makes stack Other depend on stack Stack, which already depends on it \(Stack\/AsyncA .*got Other ⇄ Stack/],
      // class 2: itself, reached through imports
      ['itself imported by name', s => {
        const fn = named(s, 'Orders', 'orders');
        new AsyncInvocation(s, 'Async', { function: fn, onFailure: FailureDestination.function(lambda.Function.fromFunctionName(s, 'X', 'orders')) });
      }, /onFailure: a function cannot be its own destination, got Stack\/X \(function orders\)/],
      ['itself imported by its ARN token', (s, fn) => {
        new AsyncInvocation(s, 'Async', { function: fn, onSuccess: SuccessDestination.function(lambda.Function.fromFunctionArn(s, 'X', fn.functionArn)) });
      }, /onSuccess: a function cannot be its own destination, got Stack\/X \(function Stack\/Fn\)/],
      ['itself imported by literal ARN, created with that name', s => {
        const env = envStack(s);
        const fn = named(env, 'Orders', 'orders');
        new AsyncInvocation(env, 'Async', { function: fn, onSuccess: SuccessDestination.function(lambda.Function.fromFunctionArn(env, 'X', 'arn:aws:lambda:us-east-1:111111111111:function:orders')) });
      }, /\[Env\/Async\] onSuccess: a function cannot be its own destination, got Env\/X \(function orders\)/],
      ['itself imported by fromFunctionAttributes, in a stack with an environment', s => {
        const env = envStack(s);
        const fn = named(env, 'Orders', 'orders');
        const imported = lambda.Function.fromFunctionAttributes(env, 'X', { functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:orders', sameEnvironment: true });
        new AsyncInvocation(env, 'Async', { function: fn, onFailure: FailureDestination.function(imported, { responseOnly: true }) });
      }, /own destination, got Env\/X \(function orders\)/],
      ['an alias of itself imported by attributes', s => {
        const fn = named(s, 'Orders', 'orders');
        const version = lambda.Version.fromVersionAttributes(s, 'V', { lambda: lambda.Function.fromFunctionName(s, 'X', 'orders'), version: '3' });
        const alias = lambda.Alias.fromAliasAttributes(s, 'Alias', { aliasName: 'live', aliasVersion: version });
        new AsyncInvocation(s, 'Async', { function: fn, onFailure: FailureDestination.function(alias, { responseOnly: true }) });
      }, /own destination, got Stack\/Alias \(function orders\)/],
      ['itself through a qualified-ARN import', s => {
        const live = lambda.Function.fromFunctionArn(s, 'Live', 'arn:aws:lambda:us-east-1:111111111111:function:orders:live');
        const target = lambda.Function.fromFunctionArn(s, 'Bare', 'arn:aws:lambda:us-east-1:111111111111:function:orders');
        new AsyncInvocation(s, 'Async', { function: live, onFailure: FailureDestination.function(target) });
      }, /own destination, got Stack\/Bare \(function orders\)/],
      // class 3: a second config of the same function and qualifier, made another way
      ['aws-cdk-lib\'s EventInvokeConfig under another id', (s, fn) => {
        new AsyncInvocation(s, 'Async', { function: fn });
        new lambda.EventInvokeConfig(s, 'Native', { function: fn, retryAttempts: 0 });
      }, /\[Stack\/Async\] qualifier \$LATEST of Stack\/Fn is also configured by Stack\/Native .*both resolve to function Stack\/Fn, qualifier \$LATEST/],
      ['a raw CfnEventInvokeConfig', (s, fn) => {
        new lambda.CfnEventInvokeConfig(s, 'Raw', { functionName: fn.functionName, qualifier: '$LATEST', maximumRetryAttempts: 0 });
        new AsyncInvocation(s, 'Async', { function: fn });
      }, /qualifier \$LATEST of Stack\/Fn is also configured by Stack\/Raw /],
      ['a raw CfnEventInvokeConfig naming the function by literal name', s => {
        const fn = named(s, 'Orders', 'orders');
        new lambda.CfnEventInvokeConfig(s, 'Raw', { functionName: 'orders', qualifier: '$LATEST' });
        new AsyncInvocation(s, 'Async', { function: fn });
      }, /is also configured by Stack\/Raw .*function orders, qualifier \$LATEST/],
      ['a raw CfnEventInvokeConfig naming the function by partial ARN', s => {
        const env = envStack(s);
        new lambda.CfnEventInvokeConfig(env, 'Raw', { functionName: '111111111111:function:orders', qualifier: '$LATEST' });
        new AsyncInvocation(env, 'Async', { function: named(env, 'Orders', 'orders') });
      }, /\[Env\/Async\] qualifier \$LATEST of Env\/Orders is also configured by Env\/Raw .*function orders/],
      ['a raw CfnEventInvokeConfig naming the function by full ARN, in another stack', s => {
        const env = envStack(s);
        new lambda.CfnEventInvokeConfig(envStack(s, 'Env2'), 'Raw', { functionName: 'arn:aws:lambda:us-east-1:111111111111:function:orders', qualifier: '$LATEST' });
        new AsyncInvocation(env, 'Async', { function: named(env, 'Orders', 'orders') });
      }, /\[Env\/Async\] qualifier \$LATEST of Env\/Orders is also configured by Env2\/Raw/],
      ['a raw CfnEventInvokeConfig naming the function by ARN token', (s, fn) => {
        new lambda.CfnEventInvokeConfig(s, 'Raw', { functionName: fn.functionArn, qualifier: '$LATEST' });
        new AsyncInvocation(s, 'Async', { function: fn });
      }, /is also configured by Stack\/Raw/],
      ['fn.latestVersion.configureAsyncInvoke()', (s, fn) => {
        new AsyncInvocation(s, 'Async', { function: fn });
        fn.latestVersion.configureAsyncInvoke({ retryAttempts: 0 });
      }, /qualifier \$LATEST of Stack\/Fn is also configured by Stack\/Fn\/\$LATEST\/EventInvokeConfig/],
      ['the alias configured by alias.configureAsyncInvoke()', (s, fn) => {
        const alias = fn.addAlias('live');
        new AsyncInvocation(s, 'Async', { function: alias });
        alias.configureAsyncInvoke({ retryAttempts: 0 });
      }, /qualifier live of Stack\/Fn is also configured by Stack\/Fn\/Aliaslive\/EventInvokeConfig .*qualifier live/],
      ['two SingletonFunctions with the same uuid', s => {
        const props = { uuid: '3b7a2c5e-0000-4000-8000-000000000000', runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => null;') };
        new AsyncInvocation(s, 'First', { function: new lambda.SingletonFunction(s, 'One', props) });
        new AsyncInvocation(s, 'Second', { function: new lambda.SingletonFunction(s, 'Two', props) });
      }, /\[Stack\/Second\] qualifier \$LATEST of Stack\/Two already has an asynchronous invocation config: Stack\/First/],
      ['a created function and an import of it by name', s => {
        new AsyncInvocation(s, 'First', { function: named(s, 'Orders', 'orders') });
        new AsyncInvocation(s, 'Second', { function: lambda.Function.fromFunctionName(s, 'X', 'orders') });
      }, /\[Stack\/Second\] qualifier \$LATEST of Stack\/X already has an asynchronous invocation config: Stack\/First/],
      ['a created function and aws-cdk-lib\'s config on an import of it', s => {
        new AsyncInvocation(s, 'Async', { function: named(s, 'Orders', 'orders') });
        lambda.Function.fromFunctionName(s, 'X', 'orders').configureAsyncInvoke({ retryAttempts: 0 });
      }, /\[Stack\/Async\] qualifier \$LATEST of Stack\/Orders is also configured by Stack\/X\/EventInvokeConfig .*function orders/],
      ['an alias imported by qualified ARN and the same alias imported by attributes', s => {
        new AsyncInvocation(s, 'First', { function: lambda.Function.fromFunctionArn(s, 'Live', 'arn:aws:lambda:us-east-1:111111111111:function:orders:live') });
        const version = lambda.Version.fromVersionAttributes(s, 'V', { lambda: lambda.Function.fromFunctionArn(s, 'Fn2', 'arn:aws:lambda:us-east-1:111111111111:function:orders'), version: '3' });
        new AsyncInvocation(s, 'Second', { function: lambda.Alias.fromAliasAttributes(s, 'Alias', { aliasName: 'live', aliasVersion: version }) });
      }, /\[Stack\/Second\] qualifier live of Stack\/Fn2 already has an asynchronous invocation config: Stack\/First/],
      // class 4: qualified and unqualified ARNs
      ['Version.fromVersionArn with an unqualified ARN', s => {
        const version = lambda.Version.fromVersionArn(s, 'V', 'arn:aws:lambda:us-east-1:111111111111:function:orders');
        new AsyncInvocation(s, 'Async', { function: version });
      }, /\[Stack\/Async\] function: the version number could not be read from the ARN .*got arn:aws:lambda:us-east-1:111111111111:function:orders/],
      ['Version.fromVersionArn with an unqualified ARN as a destination', (s, fn) => {
        const version = lambda.Version.fromVersionArn(s, 'V', 'arn:aws:lambda:us-east-1:111111111111:function:next');
        new AsyncInvocation(s, 'Async', { function: fn, onSuccess: SuccessDestination.function(version) });
      }, /onSuccess: the version number could not be read .*got arn:aws:lambda:us-east-1:111111111111:function:next/],
      // class 6: destinations AWS refuses
      ['a FIFO queue imported by an ARN built with formatArn', (s, fn) => config({
        onFailure: FailureDestination.queue(sqs.Queue.fromQueueArn(s, 'Q', s.formatArn({ service: 'sqs', resource: 'orders.fifo' }))),
      })(s, fn), /onFailure: Lambda cannot send records to a FIFO queue, got arn:\$\{AWS::Partition\}:sqs:\$\{AWS::Region\}:\$\{AWS::AccountId\}:orders\.fifo/],
      ['a FIFO queue imported by attributes with a formatArn ARN', (s, fn) => config({
        onSuccess: SuccessDestination.queue(sqs.Queue.fromQueueAttributes(s, 'Q', { queueArn: s.formatArn({ service: 'sqs', resource: 'jobs.fifo' }) })),
      })(s, fn), /FIFO queue, got .*:jobs\.fifo/],
      ['a FIFO topic imported by an ARN built with formatArn', (s, fn) => config({
        onSuccess: SuccessDestination.topic(sns.Topic.fromTopicArn(s, 'T', s.formatArn({ service: 'sns', resource: 'orders.fifo' }))),
      })(s, fn), /onSuccess: Lambda cannot publish records to a FIFO topic, got arn:\$\{AWS::Partition\}:sns:.*:orders\.fifo/],
      ['a queue key given as an alias ARN', (s, fn) => config({
        onFailure: FailureDestination.queue(sqs.Queue.fromQueueAttributes(s, 'Q', {
          queueArn: 'arn:aws:sqs:us-east-1:111111111111:records', keyArn: 'arn:aws:kms:us-east-1:111111111111:alias/records',
        })),
      })(s, fn), /onFailure: the sqs destination's KMS key is given as an alias, and a grant on an alias ARN authorizes nothing .*got arn:aws:kms:us-east-1:111111111111:alias\/records/],
      ['a topic key imported with kms.Alias.fromAliasName', (s, fn) => config({
        onSuccess: SuccessDestination.topic(new sns.Topic(s, 'T', { masterKey: kms.Alias.fromAliasName(s, 'Alias', 'alias/records') })),
      })(s, fn), /onSuccess: the sns destination's KMS key is given as an alias.*got arn:\$\{AWS::Partition\}:kms:\$\{AWS::Region\}:\$\{AWS::AccountId\}:alias\/records/],
      ['a bucket key given as an alias ARN', (s, fn) => config({
        onFailure: FailureDestination.bucket(s3.Bucket.fromBucketAttributes(s, 'B', {
          bucketName: 'records', account: '111111111111', encryptionKey: kms.Key.fromKeyArn(s, 'K', 'arn:aws:kms:us-east-1:111111111111:alias/records'),
        })),
      })(s, fn), /onFailure: the s3 destination's KMS key is given as an alias.*got arn:aws:kms:us-east-1:111111111111:alias\/records/],
      // class 7: what JavaScript and jsii users can pass
      ['maxEventAge as a number', config({ maxEventAge: 3600 as any }), /\[Stack\/Async\] maxEventAge must be a Duration \(for example Duration.seconds\(3600\)\), got 3600/],
      ['retryAttempts as a string', config({ retryAttempts: '1' as any }), /\[Stack\/Async\] retryAttempts must be an integer from 0 to 2, got "1"/],
      ['aws-cdk-lib\'s SqsDestination as onFailure', (s, fn) => config({ onFailure: new lambdaDestinations.SqsDestination(new sqs.Queue(s, 'Q')) as any })(s, fn),
        /\[Stack\/Async\] onFailure must be made with FailureDestination .*lambda.IDestination classes .* not accepted.*got a SqsDestination/],
      ['onSuccess: {}', config({ onSuccess: {} as any }), /\[Stack\/Async\] onSuccess must be made with SuccessDestination .*got \{\}/],
      ['an S3 destination on success', (s, fn) => config({ onSuccess: FailureDestination.bucket(new s3.Bucket(s, 'B')) as any })(s, fn),
        /onSuccess must be made with SuccessDestination.*failure records only.*got a BucketDestination/],
      ['function: undefined', s => { new AsyncInvocation(s, 'Async', { function: undefined as any }); },
        /\[Stack\/Async\] function must be a lambda.IFunction \(a function, version or alias\), got undefined/],
      ['function: a function name string', s => { new AsyncInvocation(s, 'Async', { function: 'orders' as any }); }, /function must be a lambda.IFunction.*got "orders"/],
      ['no props', s => { new (AsyncInvocation as any)(s, 'Async'); }, /\[Stack\/Async\] props must be an object, got undefined/],
      ['FailureDestination.bucket(undefined)', () => FailureDestination.bucket(undefined as any), /^\[FailureDestination.bucket\] bucket must be an s3.IBucket, got undefined$/],
      ['SuccessDestination.function(undefined)', () => SuccessDestination.function(undefined as any), /\[SuccessDestination.function\] fn must be a lambda.IFunction .*got undefined/],
      ['FailureDestination.topic(an ARN string)', () => FailureDestination.topic('arn:aws:sns:us-east-1:111111111111:t' as any), /\[FailureDestination.topic\] topic must be an sns.ITopic, got "arn:aws:sns:us-east-1:111111111111:t"/],
      ['SuccessDestination.queue(a queue URL)', () => SuccessDestination.queue('https://sqs/q' as any), /\[SuccessDestination.queue\] queue must be an sqs.IQueue \(or omitted\), got "https:\/\/sqs\/q"/],
      ['FailureDestination.eventBus(a bus name)', () => FailureDestination.eventBus('default' as any), /\[FailureDestination.eventBus\] eventBus must be an events.IEventBus \(or omitted\), got "default"/],
      ['responseOnly: "yes"', s => SuccessDestination.function(newFunction(s, 'Next'), { responseOnly: 'yes' as any }),
        /\[SuccessDestination.function\] responseOnly must be true or false, got "yes"/],
      ['queueProps: true', () => FailureDestination.queue(undefined, { queueProps: true as any }), /\[FailureDestination.queue\] queueProps must be an object \(sqs.QueueProps\), got true/],
    ];

    test.each(cases)('rejects %s', (_name, setup, message) => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);

      // WHEN / THEN: at construction, or at synth when every construct of the app exists
      expect(() => {
        setup(stack, fn);
        (stack.node.root as App).synth();
      }).toThrow(message);
    });

    test('every rejection names the construct path', () => {
      // GIVEN
      const stack = newStack();

      // WHEN / THEN
      expect(() => new AsyncInvocation(stack, 'Async', { function: newFunction(stack), retryAttempts: 5 }))
        .toThrow(/^\[Stack\/Async\] /);
    });

    test('the table holds at least 80 rejected configurations', () => {
      expect(cases.length).toBeGreaterThanOrEqual(80);
    });

    test('a config made with aws-cdk-lib\'s configureAsyncInvoke on the same qualifier fails at synth', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);
      new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.queue() });

      // WHEN
      fn.configureAsyncInvoke({ retryAttempts: 0 });

      // THEN
      expect(() => Template.fromStack(stack)).toThrow(/qualifier \$LATEST of Stack\/Fn is also configured by Stack\/Fn\/EventInvokeConfig/);
    });

    test('tokens pass through unvalidated', () => {
      // GIVEN
      const stack = newStack();
      const retries = new CfnParameter(stack, 'Retries', { type: 'Number' });
      const age = new CfnParameter(stack, 'MaxAge', { type: 'Number' });

      // WHEN
      new AsyncInvocation(stack, 'Async', {
        function: newFunction(stack),
        retryAttempts: retries.valueAsNumber,
        maxEventAge: Duration.seconds(age.valueAsNumber),
        onFailure: FailureDestination.queue(),
      });

      // THEN
      expect(eventInvokeConfig(stack).Properties).toMatchObject({
        MaximumRetryAttempts: { Ref: 'Retries' },
        MaximumEventAgeInSeconds: { Ref: 'MaxAge' },
      });
    });

    test('a token duration in another unit is rejected, because it cannot be converted to seconds', () => {
      // GIVEN
      const stack = newStack();
      const age = new CfnParameter(stack, 'MaxAge', { type: 'Number' });

      // WHEN / THEN
      expect(() => new AsyncInvocation(stack, 'Async', { function: newFunction(stack), maxEventAge: Duration.minutes(age.valueAsNumber) }))
        .toThrow(/\[Stack\/Async\] maxEventAge from a token must be given with Duration.seconds\(\)/);
    });

    test('FIFO-named queues imported from a token are not guessed at', () => {
      // GIVEN
      const stack = newStack();
      const arn = new CfnParameter(stack, 'QueueArn');

      // WHEN
      new AsyncInvocation(stack, 'Async', {
        function: newFunction(stack),
        onFailure: FailureDestination.queue(sqs.Queue.fromQueueArn(stack, 'Queue', arn.valueAsString)),
      });

      // THEN
      expect(eventInvokeConfig(stack).Properties.DestinationConfig.OnFailure.Destination).toEqual({ Ref: 'QueueArn' });
    });
  });

  describe('warnings', () => {
    test('no onFailure destination', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new AsyncInvocation(stack, 'Async', { function: newFunction(stack) });

      // THEN
      Annotations.fromStack(stack).hasWarning('/Stack/Async',
        Match.stringLikeRegexp('no onFailure destination.*dropped without a trace.*\\[ack: cdk-async-lambda:noFailureDestination\\]'));
    });

    test('none when onFailure is set', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new AsyncInvocation(stack, 'Async', { function: newFunction(stack), onFailure: FailureDestination.bucket(new s3.Bucket(stack, 'B')) });

      // THEN
      expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
    });

    // The attempt loop of AWS-SEMANTICS.md: a second attempt needs maxEventAge >= 61 s, a third >= 181 s.
    test.each([
      [undefined, 60, 1],
      [2, 60, 1],
      [1, 60, 1],
      [0, 60, undefined],
      [1, 61, undefined],
      [2, 61, 2],
      [2, 90, 2],
      [undefined, 180, 2],
      [2, 180, 2],
      [2, 181, undefined],
      [1, 180, undefined],
      [2, 21600, undefined],
    ])('retryAttempts %p with maxEventAge %p s: effective attempts in the warning = %p', (retryAttempts, seconds, attempts) => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new AsyncInvocation(stack, 'Async', {
        function: newFunction(stack), retryAttempts, maxEventAge: Duration.seconds(seconds), onFailure: FailureDestination.queue(),
      });

      // THEN
      const found = Annotations.fromStack(stack).findWarning('/Stack/Async', Match.stringLikeRegexp('retriesNeverHappen'));
      if (attempts === undefined) {
        expect(found).toHaveLength(0);
      } else {
        expect(found).toHaveLength(1);
        expect(found[0].entry.data).toMatch(new RegExp(`retryAttempts is ${retryAttempts ?? 2} but with maxEventAge ${seconds} seconds at most ${attempts} attempts? can happen.*got ${attempts} effective attempt`));
      }
    });

    test('a loop through onFailure is a warning naming the loop, on the first config of it, and can be acknowledged', () => {
      // GIVEN
      const build = (acknowledge: boolean) => {
        const stack = newStack();
        const [a, b] = [newFunction(stack, 'A'), newFunction(stack, 'B')];
        const first = new AsyncInvocation(stack, 'AsyncA', { function: a, onSuccess: SuccessDestination.function(b), onFailure: FailureDestination.queue() });
        new AsyncInvocation(stack, 'AsyncB', { function: b, onFailure: FailureDestination.function(a) });
        if (acknowledge) {
          CoreAnnotations.of(first).acknowledgeWarning('cdk-async-lambda:destinationLoop');
        }
        return stack;
      };

      // WHEN
      const warned = AnnotationsOf(build(false));
      const acknowledged = AnnotationsOf(build(true));

      // THEN
      warned.hasWarning('/Stack/AsyncA/Resource', Match.stringLikeRegexp(
        'destinations form a loop through onFailure.*got Stack/A → \\(onSuccess\\) Stack/B → \\(onFailure\\) Stack/A \\[ack: cdk-async-lambda:destinationLoop\\]'));
      expect(acknowledged.findWarning('*', Match.stringLikeRegexp('destinationLoop'))).toHaveLength(0);
    });

    test.each([
      ['imported with mutable: false', (s: Stack) => iam.Role.fromRoleArn(s, 'Role', 'arn:aws:iam::111111111111:role/worker', { mutable: false })],
      ['of another account', (s: Stack) => iam.Role.fromRoleArn(s, 'Role', 'arn:aws:iam::222222222222:role/worker')],
      ['withoutPolicyUpdates()', (s: Stack) => new iam.Role(s, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).withoutPolicyUpdates()],
    ])('a role %s: the grant Lambda needs is named in a warning, nothing is silently dropped', (_name, role) => {
      // GIVEN
      const app = new App();
      const stack = new Stack(app, 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });
      const fn = lambda.Function.fromFunctionAttributes(stack, 'Fn', { functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:orders', role: role(stack) });

      // WHEN
      new AsyncInvocation(stack, 'Async', {
        function: fn,
        onFailure: FailureDestination.queue(sqs.Queue.fromQueueArn(stack, 'Q', 'arn:aws:sqs:us-east-1:111111111111:failed')),
      });

      // THEN
      Annotations.fromStack(stack).hasWarning('/Stack/Async', Match.stringLikeRegexp(
        'Stack/Fn has an execution role this app cannot change .*imported as immutable.* sqs:SendMessage on "arn:aws:sqs:us-east-1:111111111111:failed" was not granted.*\\[ack: cdk-async-lambda:grantNotAdded:sqs:SendMessage\\]'));
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    });

    test('a grant the role does not take (Grant.success false) is named in a warning', () => {
      // GIVEN
      const stack = newStack();
      const role = iam.Role.fromRoleArn(stack, 'Role', 'arn:aws:iam::111111111111:role/worker');
      role.addToPrincipalPolicy = () => ({ statementAdded: false });
      const fn = lambda.Function.fromFunctionAttributes(stack, 'Fn', { functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:orders', role });

      // WHEN
      new AsyncInvocation(stack, 'Async', { function: fn, onFailure: FailureDestination.eventBus() });

      // THEN
      Annotations.fromStack(stack).hasWarning('/Stack/Async', Match.stringLikeRegexp(
        'Stack/Fn has an execution role \\(Stack/Role\\) that did not take the statement, so events:PutEvents on .* was not granted.*grantNotAdded:events:PutEvents'));
    });

    test.each([
      ['a queue', (s: Stack) => FailureDestination.queue(sqs.Queue.fromQueueArn(s, 'D', 'arn:aws:sqs:us-east-1:222222222222:records')), 'the queue policy'],
      ['a topic', (s: Stack) => FailureDestination.topic(sns.Topic.fromTopicArn(s, 'D', 'arn:aws:sns:us-east-1:222222222222:records')), 'the topic policy'],
      ['a bus', (s: Stack) => FailureDestination.eventBus(events.EventBus.fromEventBusArn(s, 'D', 'arn:aws:events:us-east-1:222222222222:event-bus/records')), 'the event bus policy'],
      ['a function', (s: Stack) => FailureDestination.function(lambda.Function.fromFunctionArn(s, 'D', 'arn:aws:lambda:us-east-1:222222222222:function:records')), 'the function\'s resource-based policy'],
      ['a bucket', (s: Stack) => FailureDestination.bucket(s3.Bucket.fromBucketAttributes(s, 'D', { bucketName: 'records', account: '222222222222' })), 'the bucket policy'],
    ])('%s in another account: a warning says its resource policy must allow the role', (_name, destination, policy) => {
      // GIVEN
      const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });

      // WHEN
      new AsyncInvocation(stack, 'Async', { function: newFunction(stack), onFailure: destination(stack) });

      // THEN
      const found = Annotations.fromStack(stack).findWarning('/Stack/Async', Match.stringLikeRegexp('crossAccountDestination'));
      expect(found).toHaveLength(1);
      expect(found[0].entry.data).toContain(`onFailure: the destination is in account 222222222222 while Stack/Fn runs in account 111111111111: the execution role's grant alone is not enough, ${policy}`);
    });

    test('a destination in another region is a warning naming both regions', () => {
      // GIVEN
      const stack = new Stack(new App(), 'Stack', { env: { account: '111111111111', region: 'us-east-1' } });

      // WHEN
      new AsyncInvocation(stack, 'Async', {
        function: newFunction(stack),
        onFailure: FailureDestination.queue(sqs.Queue.fromQueueArn(stack, 'Q', 'arn:aws:sqs:eu-west-1:111111111111:records')),
      });

      // THEN
      Annotations.fromStack(stack).hasWarning('/Stack/Async', Match.stringLikeRegexp(
        'onFailure: the destination is in region eu-west-1 while Stack/Fn runs in us-east-1.*got arn:aws:sqs:eu-west-1:111111111111:records.*crossRegionDestination'));
    });

    test('same account and region, or unknown (env-agnostic) ones: no environment warning', () => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new AsyncInvocation(stack, 'Async', {
        function: newFunction(stack),
        onSuccess: SuccessDestination.queue(sqs.Queue.fromQueueArn(stack, 'Q', 'arn:aws:sqs:eu-west-1:222222222222:records')),
        onFailure: FailureDestination.queue(),
      });

      // THEN
      expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('cross(Account|Region)Destination'))).toHaveLength(0);
    });

    test.each([
      ['Bucket.fromBucketName', (s: Stack) => s3.Bucket.fromBucketName(s, 'B', 'records'), true],
      ['Bucket.fromBucketArn', (s: Stack) => s3.Bucket.fromBucketArn(s, 'B', 'arn:aws:s3:::records'), true],
      ['fromBucketAttributes with account', (s: Stack) => s3.Bucket.fromBucketAttributes(s, 'B', { bucketName: 'records', account: '111111111111' }), false],
      ['a created bucket', (s: Stack) => new s3.Bucket(s, 'B'), false],
    ])('a bucket from %s: warns that s3:ResourceAccount is pinned to the stack\'s account = %p', (_name, bucket, warns) => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new AsyncInvocation(stack, 'Async', { function: newFunction(stack), onFailure: FailureDestination.bucket(bucket(stack)) });

      // THEN
      const found = Annotations.fromStack(stack).findWarning('/Stack/Async', Match.stringLikeRegexp('bucketAccountAssumed'));
      expect(found).toHaveLength(warns ? 1 : 0);
      if (warns) {
        expect(found[0].entry.data).toMatch(/onFailure: bucket Stack\/B was imported without account, so s3:ResourceAccount pins deliveries to the account the stack is deployed to/);
      }
    });

    test('a function imported without its role: the missing grant is named, nothing is silently dropped', () => {
      // GIVEN
      const stack = newStack();
      const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:us-east-1:111111111111:function:orders');

      // WHEN
      new AsyncInvocation(stack, 'Async', {
        function: fn,
        onFailure: FailureDestination.queue(sqs.Queue.fromQueueArn(stack, 'Q', 'arn:aws:sqs:us-east-1:111111111111:failed')),
      });

      // THEN
      Annotations.fromStack(stack).hasWarning('/Stack/Async',
        Match.stringLikeRegexp('Stack/Fn has no execution role .* sqs:SendMessage on "arn:aws:sqs:us-east-1:111111111111:failed" was not granted'));
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 0);
    });
  });

  test('synthesizes deterministically: the same app gives byte-identical templates', () => {
    // GIVEN
    const build = () => {
      const app = new App();
      const stack = new Stack(app, 'Stack');
      const fn = newFunction(stack);
      new AsyncInvocation(stack, 'Async', {
        function: fn.addAlias('live'),
        retryAttempts: 1,
        onSuccess: SuccessDestination.function(newFunction(stack, 'Next'), { responseOnly: true }),
        onFailure: FailureDestination.bucket(new s3.Bucket(stack, 'Bucket')),
      });
      return app.synth().getStackByName('Stack').template;
    };

    // WHEN
    const first = JSON.stringify(build());
    const second = JSON.stringify(build());

    // THEN
    expect(second).toBe(first);
  });

  test('snapshot', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);

    // WHEN
    new AsyncInvocation(stack, 'Async', {
      function: fn.addAlias('live'),
      retryAttempts: 0,
      maxEventAge: Duration.hours(1),
      onSuccess: SuccessDestination.function(newFunction(stack, 'Next'), { responseOnly: true }),
      onFailure: FailureDestination.bucket(new s3.Bucket(stack, 'Archive')),
    });

    // THEN
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });
});
