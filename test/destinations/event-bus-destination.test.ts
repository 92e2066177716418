import * as events from 'aws-cdk-lib/aws-events';
import { AsyncInvocation, FailureDestination, SuccessDestination } from '../../src';
import { defaultPolicyStatements, eventInvokeConfig, newFunction, newStack } from '../helpers';

const DEFAULT_BUS_ARN = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':event-bus/default']],
};

describe('event bus destination', () => {
  test.each([
    ['onSuccess', (b?: events.IEventBus) => ({ onSuccess: SuccessDestination.eventBus(b) }), 'OnSuccess'],
    ['onFailure', (b?: events.IEventBus) => ({ onFailure: FailureDestination.eventBus(b) }), 'OnFailure'],
  ])('%s: a custom bus is the destination and exactly events:PutEvents on it is granted', (_name, destinations, key) => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const bus = new events.EventBus(stack, 'Bus');

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, ...destinations(bus) });

    // THEN
    expect(eventInvokeConfig(stack).Properties.DestinationConfig).toEqual({ [key]: { Destination: stack.resolve(bus.eventBusArn) } });
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: stack.resolve(bus.eventBusArn) },
    ]);
  });

  test.each([
    ['onSuccess', { onSuccess: SuccessDestination.eventBus() }, 'OnSuccess'],
    ['onFailure', { onFailure: FailureDestination.eventBus() }, 'OnFailure'],
  ])('%s: without a bus, the default bus of the account and region', (_name, destinations, key) => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, ...destinations });

    // THEN
    expect(eventInvokeConfig(stack).Properties.DestinationConfig).toEqual({ [key]: { Destination: DEFAULT_BUS_ARN } });
    expect(defaultPolicyStatements(stack, fn)).toEqual([
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: DEFAULT_BUS_ARN },
    ]);
  });

  test('an imported bus (by ARN) is granted by its ARN', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);
    const busArn = 'arn:aws:events:eu-west-1:111111111111:event-bus/orders';

    // WHEN
    new AsyncInvocation(stack, 'Async', {
      function: fn,
      onFailure: FailureDestination.eventBus(events.EventBus.fromEventBusArn(stack, 'Bus', busArn)),
    });

    // THEN
    expect(defaultPolicyStatements(stack, fn)).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: busArn }]);
  });

  test('success and failure may both use the default bus', () => {
    // GIVEN
    const stack = newStack();
    const fn = newFunction(stack);

    // WHEN
    new AsyncInvocation(stack, 'Async', { function: fn, onSuccess: SuccessDestination.eventBus(), onFailure: FailureDestination.eventBus() });

    // THEN
    expect(eventInvokeConfig(stack).Properties.DestinationConfig).toEqual({
      OnSuccess: { Destination: DEFAULT_BUS_ARN },
      OnFailure: { Destination: DEFAULT_BUS_ARN },
    });
  });
});
