import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AsyncInvocation, FailureDestination, SuccessDestination } from '../../src';
import { defaultPolicyStatements, eventInvokeConfig, newFunction, newStack } from '../helpers';

describe('function destination', () => {
  test.each([
    ['onSuccess', (f: lambda.IFunction) => ({ onSuccess: SuccessDestination.function(f) }), 'OnSuccess'],
    ['onFailure', (f: lambda.IFunction) => ({ onFailure: FailureDestination.function(f) }), 'OnFailure'],
  ])('%s: the function ARN is the destination and exactly lambda:InvokeFunction on it is granted', (_name, destinations, key) => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const next = newFunction(stack, 'Next');

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, ...destinations(next) });

    // THEN
    expect(eventInvokeConfig(stack).Properties.DestinationConfig).toEqual({ [key]: { Destination: stack.resolve(next.functionArn) } });
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: stack.resolve(next.functionArn) },
    ]);
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 0);
  });

  test('an alias of another function is invoked by its qualified ARN', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const alias = newFunction(stack, 'Next').addAlias('prod');

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onSuccess: SuccessDestination.function(alias) });

    // THEN
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: stack.resolve(alias.functionArn) },
    ]);
  });

  test('an imported function (by ARN) is granted by its ARN', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const arn = 'arn:aws:lambda:us-east-1:111111111111:function:next-step';

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onSuccess: SuccessDestination.function(lambda.Function.fromFunctionArn(stack, 'Next', arn)) });

    // THEN
    expect(eventInvokeConfig(stack).Properties.DestinationConfig.OnSuccess.Destination).toEqual(arn);
    expect(defaultPolicyStatements(stack, fn)).toEqual([{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: arn }]);
  });

  describe('responseOnly', () => {
    const cases: Array<[string, (fn: lambda.Function) => lambda.IFunction, (fn: lambda.IFunction, stack: any) => unknown]> = [
      ['the function ($LATEST)', fn => fn, (fn, stack) => ({ 'Fn::Join': ['', [stack.resolve(fn.functionArn), ':$LATEST']] })],
      ['an alias', fn => fn.addAlias('live'), (alias, stack) => stack.resolve(alias.functionArn)],
      ['a version', fn => fn.currentVersion, (version, stack) => stack.resolve(version.functionArn)],
    ];

    test.each(cases)('through %s: a rule on the default bus matches that exact qualified ARN and forwards the response payload',
      (_name, qualify, expectedArn) => {
        // GIVEN
        const stack = newStack();
        const fn = newFunction(stack);
        const next = newFunction(stack, 'Next');
        const source = qualify(fn);

        // WHEN
        new AsyncInvocation(stack, 'Async', { function: source, onSuccess: SuccessDestination.function(next, { responseOnly: true }) });

        // THEN
        const template = Template.fromStack(stack);
        template.hasResourceProperties('AWS::Events::Rule', {
          EventBusName: 'default',
          EventPattern: {
            'source': ['lambda'],
            'detail-type': ['Lambda Function Invocation Result - Success'],
            'resources': [expectedArn(source, stack)],
          },
          Targets: [{ Arn: stack.resolve(next.functionArn), Id: 'Target0', InputPath: '$.detail.responsePayload' }],
        });
        template.hasResourceProperties('AWS::Lambda::Permission', {
          Action: 'lambda:InvokeFunction',
          FunctionName: stack.resolve(next.functionArn),
          Principal: 'events.amazonaws.com',
        });
        const destination = eventInvokeConfig(stack).Properties.DestinationConfig.OnSuccess.Destination;
        expect(JSON.stringify(destination)).toContain(':event-bus/default');
        expect(defaultPolicyStatements(stack, fn)).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: destination }]);
      });

    test('on failure, the rule matches failure records', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);

      // WHEN
      new AsyncInvocation(stack, 'Async', {
        function: fn,
        onFailure: FailureDestination.function(newFunction(stack, 'Next'), { responseOnly: true }),
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike({ 'detail-type': ['Lambda Function Invocation Result - Failure'] }),
      });
    });

    test('on a custom bus: the record goes to that bus and the rule lives on it', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);
      const bus = new events.EventBus(stack, 'Bus');

      // WHEN
      new AsyncInvocation(stack, 'Async', {
        function: fn,
        onSuccess: SuccessDestination.function(newFunction(stack, 'Next'), { responseOnly: true, eventBus: bus }),
      });

      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', { EventBusName: stack.resolve(bus.eventBusName) });
      expect(eventInvokeConfig(stack).Properties.DestinationConfig.OnSuccess.Destination).toEqual(stack.resolve(bus.eventBusArn));
      expect(defaultPolicyStatements(stack, fn)).toEqual([
        { Action: 'events:PutEvents', Effect: 'Allow', Resource: stack.resolve(bus.eventBusArn) },
      ]);
    });

    test('success and failure both responseOnly get one rule each', () => {
      // GIVEN
      const stack = newStack();
      const fn = newFunction(stack);
      const next = newFunction(stack, 'Next');

      // WHEN
      new AsyncInvocation(stack, 'Async', {
        function: fn,
        onSuccess: SuccessDestination.function(next, { responseOnly: true }),
        onFailure: FailureDestination.function(next, { responseOnly: true }),
      });

      // THEN
      Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 2);
    });
  });
});
