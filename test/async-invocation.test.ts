import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AsyncInvocation, AsyncInvocationProps, FailureDestination, SuccessDestination } from '../src';
import { eventInvokeConfig, newFunction, newStack } from './helpers';

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
    ];

    test.each(cases)('rejects %s', (_name, setup, message) => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);

      // WHEN / THEN
      expect(() => setup(stack, fn)).toThrow(message);
    });

    test('every rejection names the construct path', () => {
      // GIVEN
      const stack = newStack();

      // WHEN / THEN
      expect(() => new AsyncInvocation(stack, 'Async', { function: newFunction(stack), retryAttempts: 5 }))
        .toThrow(/^\[Stack\/Async\] /);
    });

    test('the table holds at least 30 rejected configurations', () => {
      expect(cases.length).toBeGreaterThanOrEqual(30);
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

    test.each([
      [undefined, Duration.seconds(60), true],
      [1, Duration.seconds(60), true],
      [0, Duration.seconds(60), false],
      [2, Duration.seconds(61), false],
    ])('retryAttempts %p with maxEventAge %s: warns that retries never happen = %p', (retryAttempts, maxEventAge, warns) => {
      // GIVEN
      const stack = newStack();

      // WHEN
      new AsyncInvocation(stack, 'Async', { function: newFunction(stack), retryAttempts, maxEventAge, onFailure: FailureDestination.queue() });

      // THEN
      const found = Annotations.fromStack(stack).findWarning('/Stack/Async', Match.stringLikeRegexp('retriesNeverHappen'));
      expect(found).toHaveLength(warns ? 1 : 0);
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
