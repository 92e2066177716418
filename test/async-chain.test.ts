import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { defaultPolicyStatements, newFunction, newStack } from './helpers';
import { AsyncChain, AsyncChainProps, FailureDestination, SuccessDestination } from '../src';

function configOf(stack: Stack, chain: AsyncChain, step: number): { Properties: any; DependsOn?: string[] } {
  return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(chain.steps[step].node.defaultChild as lambda.CfnEventInvokeConfig)];
}

const DEFAULT_BUS_ARN = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/default']],
};

describe('AsyncChain', () => {
  test('GIVEN three functions WHEN chained THEN each step\'s response payload goes to the next, the last record to onSuccess, every failure to one queue', () => {
    // GIVEN
    const stack = newStack();
    const [a, b, c] = ['A', 'B', 'C'].map((id) => newFunction(stack, id));
    const results = new sqs.Queue(stack, 'Results');

    // WHEN
    const chain = new AsyncChain(stack, 'Chain', {
      steps: [{ function: a, retryAttempts: 0 }, { function: b, maxEventAge: Duration.minutes(10) }, { function: c }],
      onSuccess: SuccessDestination.queue(results),
    });

    // THEN
    const failureArn = stack.resolve(chain.failureQueue!.queueArn);
    expect(configOf(stack, chain, 0).Properties).toEqual({
      FunctionName: stack.resolve(a.functionName),
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 0,
      DestinationConfig: { OnSuccess: { Destination: DEFAULT_BUS_ARN }, OnFailure: { Destination: failureArn } },
    });
    expect(configOf(stack, chain, 1).Properties).toEqual({
      FunctionName: stack.resolve(b.functionName),
      Qualifier: '$LATEST',
      MaximumEventAgeInSeconds: 600,
      DestinationConfig: { OnSuccess: { Destination: DEFAULT_BUS_ARN }, OnFailure: { Destination: failureArn } },
    });
    expect(configOf(stack, chain, 2).Properties).toEqual({
      FunctionName: stack.resolve(c.functionName),
      Qualifier: '$LATEST',
      DestinationConfig: { OnSuccess: { Destination: stack.resolve(results.queueArn) }, OnFailure: { Destination: failureArn } },
    });

    // one rule per link, matching the exact qualified ARN of the step, forwarding the response payload
    const rules = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule')).map((r: any) => r.Properties);
    expect(rules.map((r) => [r.EventPattern.resources, r.Targets.map((t: any) => [t.Arn, t.InputPath])])).toEqual([
      [[{ 'Fn::Join': ['', [stack.resolve(a.functionArn), ':$LATEST']] }], [[stack.resolve(b.functionArn), '$.detail.responsePayload']]],
      [[{ 'Fn::Join': ['', [stack.resolve(b.functionArn), ':$LATEST']] }], [[stack.resolve(c.functionArn), '$.detail.responsePayload']]],
    ]);
    for (const rule of rules) {
      expect(rule.EventPattern).toMatchObject({ 'source': ['lambda'], 'detail-type': ['Lambda Function Invocation Result - Success'] });
    }
  });

  test('GIVEN a chain WHEN synthesized THEN each step may put events on the bus or send to its queues, nothing more, before its config exists', () => {
    const stack = newStack();
    const [a, b] = ['A', 'B'].map((id) => newFunction(stack, id));
    const chain = new AsyncChain(stack, 'Chain', { steps: [{ function: a }, { function: b }] });

    const failureArn = stack.resolve(chain.failureQueue!.queueArn);
    expect(defaultPolicyStatements(stack, a)).toEqual([
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: DEFAULT_BUS_ARN },
      { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: failureArn },
    ]);
    expect(defaultPolicyStatements(stack, b)).toEqual([{ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: failureArn }]);
    for (const [step, fn] of [[0, a], [1, b]] as const) {
      const policyId = stack.getLogicalId(fn.role!.node.findChild('DefaultPolicy').node.defaultChild as lambda.CfnFunction);
      expect(configOf(stack, chain, step).DependsOn).toContain(policyId);
    }
    // EventBridge may invoke the next step, from that rule only
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com', FunctionName: stack.resolve(b.functionArn),
    });
  });

  test('GIVEN aliases and a custom bus WHEN chained THEN the rules are on that bus and match the aliases\' ARNs', () => {
    const stack = newStack();
    const a = newFunction(stack, 'A').addAlias('live');
    const b = newFunction(stack, 'B').addAlias('live');
    const bus = new events.EventBus(stack, 'Steps');
    const failures = new sqs.Queue(stack, 'Failures');

    const chain = new AsyncChain(stack, 'Chain', { steps: [{ function: a }, { function: b }], eventBus: bus, onFailure: FailureDestination.queue(failures) });

    expect(chain.failureQueue).toBeUndefined();
    expect(configOf(stack, chain, 0).Properties).toMatchObject({
      Qualifier: 'live',
      DestinationConfig: { OnSuccess: { Destination: stack.resolve(bus.eventBusArn) }, OnFailure: { Destination: stack.resolve(failures.queueArn) } },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventBusName: stack.resolve(bus.eventBusName),
      EventPattern: { resources: [stack.resolve(a.functionArn)] },
      Targets: [{ Arn: stack.resolve(b.functionArn), InputPath: '$.detail.responsePayload' }],
    });
  });

  test.each<[string, (stack: Stack) => AsyncChainProps, string]>([
    ['one step', (s) => ({ steps: [{ function: newFunction(s, 'A') }] }), 'a chain needs at least 2 steps, got 1'],
    ['no steps', () => ({ steps: [] }), 'a chain needs at least 2 steps, got 0'],
    ['steps that are not a list (JavaScript)', (s) => ({ steps: newFunction(s, 'A') as unknown as [] }), 'steps must be a list of steps, got Function Stack/A'],
    ['a function repeated', (s) => {
      const a = newFunction(s, 'A');
      return { steps: [{ function: a }, { function: newFunction(s, 'B') }, { function: a }] };
    }, 'steps[2] runs the same function as steps[0], so the chain would loop: each function may appear once, got Stack/A again'],
    ['a function and its alias', (s) => {
      const a = newFunction(s, 'A');
      return { steps: [{ function: a }, { function: a.addAlias('live') }] };
    }, 'steps[1] runs the same function as steps[0], so the chain would loop: each function may appear once, got Stack/A/Aliaslive again'],
    ['a function and its import by name', (s) => {
      const a = new lambda.Function(s, 'A', { functionName: 'orders', runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
      return { steps: [{ function: a }, { function: newFunction(s, 'B') }, { function: lambda.Function.fromFunctionName(s, 'Orders', 'orders') }] };
    }, 'steps[2] runs the same function as steps[0]'],
    ['a step without a function (JavaScript)', (s) => ({ steps: [{ function: newFunction(s, 'A') }, {} as never] }),
      'steps[1].function must be a lambda.IFunction (a function, version or alias), got undefined'],
    ['a queue created per step', (s) => ({ steps: [{ function: newFunction(s, 'A') }, { function: newFunction(s, 'B') }], onFailure: FailureDestination.queue() }),
      'onFailure must be one sink for the whole chain, but FailureDestination.queue() without a queue creates one per step (2)'],
  ])('GIVEN %s WHEN chained THEN an error names the path and the value', (_, props, message) => {
    const stack = newStack();
    expect(() => new AsyncChain(stack, 'Chain', props(stack))).toThrow(`[Stack/Chain] ${message}`);
  });
});
