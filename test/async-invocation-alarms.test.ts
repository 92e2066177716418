import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { newFunction, newStack } from './helpers';
import { AsyncFunction, AsyncInvocation, AsyncInvocationAlarmsOptions, FailureDestination, IAsyncInvocationMetrics } from '../src';

type MetricMethod = 'metricAsyncEventsReceived' | 'metricAsyncEventAge' | 'metricAsyncEventsDropped'
| 'metricDestinationDeliveryFailures' | 'metricDeadLetterErrors' | 'metricRecursiveInvocationsDropped';

const METRICS: Array<[MetricMethod, string, string, string]> = [
  ['metricAsyncEventsReceived', 'AsyncEventsReceived', 'Sum', 'Count'],
  ['metricAsyncEventAge', 'AsyncEventAge', 'Maximum', 'Milliseconds'],
  ['metricAsyncEventsDropped', 'AsyncEventsDropped', 'Sum', 'Count'],
  ['metricDestinationDeliveryFailures', 'DestinationDeliveryFailures', 'Sum', 'Count'],
  ['metricDeadLetterErrors', 'DeadLetterErrors', 'Sum', 'Count'],
  ['metricRecursiveInvocationsDropped', 'RecursiveInvocationsDropped', 'Sum', 'Count'],
];

/** An AsyncInvocation of `fn`, a version of it or an alias of it, and the Resource dimension that selects it. */
const QUALIFIERS: Array<[string, (fn: lambda.Function) => lambda.IFunction, string | undefined]> = [
  ['the function ($LATEST)', (fn) => fn, undefined],
  ['fn.latestVersion', (fn) => fn.latestVersion, undefined],
  ['a version', (fn) => new lambda.Version(fn, 'V1', { lambda: fn }), 'version'],
  ['an alias', (fn) => fn.addAlias('live'), 'live'],
];

describe('metrics', () => {
  describe.each(QUALIFIERS)('GIVEN a config of %s', (_, qualify, qualifier) => {
    test.each(METRICS)('WHEN %s() THEN AWS/Lambda %s, %s in %s over 5 minutes, for the qualifier', (method, name, statistic, unit) => {
      const stack = newStack();
      const fn = newFunction(stack);
      const target = qualify(fn);
      const invocation = new AsyncInvocation(stack, 'Async', { function: target, onFailure: FailureDestination.queue() });

      const metric = invocation[method]();

      const functionName = stack.resolve(fn.functionName);
      const resource = qualifier === undefined ? undefined
        : qualifier === 'version' ? { 'Fn::Join': ['', [functionName, ':', stack.resolve((target as lambda.Version).version)]] }
          : { 'Fn::Join': ['', [functionName, ':live']] };
      expect(metric.namespace).toBe('AWS/Lambda');
      expect(metric.metricName).toBe(name);
      expect(metric.statistic).toBe(statistic);
      expect(metric.unit).toBe(unit);
      expect(metric.period.toSeconds()).toBe(300);
      const dimensions = resource ? { FunctionName: functionName, Resource: resource } : { FunctionName: functionName };
      expect(stack.resolve(metric.dimensions)).toEqual(dimensions);
    });
  });

  test.each(METRICS)('GIVEN an AsyncFunction WHEN %s() THEN it is its $LATEST config\'s metric', (method) => {
    const stack = newStack();
    const worker = newAsyncFunction(stack);
    expect(stack.resolve(worker[method]())).toEqual(stack.resolve(worker.asyncInvocation[method]()));
  });

  test('GIVEN MetricOptions WHEN a metric is made THEN statistic, period and label override the defaults', () => {
    const stack = newStack();
    const worker = newAsyncFunction(stack);

    const metric = worker.metricAsyncEventAge({ statistic: 'p99', period: Duration.minutes(1), label: 'age p99' });

    expect([metric.statistic, metric.period.toSeconds(), metric.label, metric.unit]).toEqual(['p99', 60, 'age p99', 'Milliseconds']);
  });

  test.each<[string, cloudwatch.MetricOptions, string]>([
    ['a 45-second period', { period: Duration.seconds(45) }, 'metricAsyncEventsDropped: period must be 1, 5, 10 or 30 seconds or a multiple of 60 seconds, got 45 seconds'],
    ['a 90-second period', { period: Duration.seconds(90) }, 'metricAsyncEventsDropped: period must be 1, 5, 10 or 30 seconds or a multiple of 60 seconds, got 1 minute 30 seconds'],
    ['a sub-second period', { period: Duration.millis(500) }, 'metricAsyncEventsDropped: period must be 1, 5, 10 or 30 seconds or a multiple of 60 seconds, got 500 millis'],
    ['an unknown statistic', { statistic: 'Median' }, 'metricAsyncEventsDropped: statistic must be SampleCount, Average, Sum, Minimum, Maximum or a percentile-style statistic (p99, tm90, TM(10%:90%), …), got "Median"'],
  ])('GIVEN %s WHEN a metric is made THEN an error names the path and the value', (_, options, message) => {
    const stack = newStack();
    const worker = newAsyncFunction(stack);
    expect(() => worker.metricAsyncEventsDropped(options)).toThrow(`[Stack/Worker/AsyncInvocation] ${message}`);
  });
});

describe('AsyncInvocationAlarms', () => {
  test('GIVEN an AsyncFunction with a created failure queue WHEN addAlarms() THEN seven alarms with their defaults, each with the action', () => {
    // GIVEN
    const stack = newStack();
    const worker = newAsyncFunction(stack, Duration.minutes(30));
    const topic = new sns.Topic(stack, 'Pager');

    // WHEN
    const alarms = worker.addAlarms({ alarmAction: new actions.SnsAction(topic) });

    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 7);
    expect(alarms.alarms).toHaveLength(7);
    const functionDimension = [{ Name: 'FunctionName', Value: stack.resolve(worker.function.functionName) }];
    const queueDimension = [{ Name: 'QueueName', Value: stack.resolve(worker.failureQueue!.queueName) }];
    const expected: Array<[cloudwatch.Alarm | undefined, string, string, unknown, string, number]> = [
      [alarms.eventsDropped, 'AWS/Lambda', 'AsyncEventsDropped', functionDimension, 'Sum', 1],
      [alarms.deliveryFailures, 'AWS/Lambda', 'DestinationDeliveryFailures', functionDimension, 'Sum', 1],
      [alarms.deadLetterErrors, 'AWS/Lambda', 'DeadLetterErrors', functionDimension, 'Sum', 1],
      [alarms.recursiveInvocationsDropped, 'AWS/Lambda', 'RecursiveInvocationsDropped', functionDimension, 'Sum', 1],
      // half the 30-minute maxEventAge, in milliseconds
      [alarms.eventAge, 'AWS/Lambda', 'AsyncEventAge', functionDimension, 'Maximum', 900_000],
      [alarms.failureQueueDepth, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', queueDimension, 'Maximum', 1],
      // 7 days, in seconds
      [alarms.failureQueueOldestMessageAge, 'AWS/SQS', 'ApproximateAgeOfOldestMessage', queueDimension, 'Maximum', 604_800],
    ];
    for (const [alarm, namespace, metricName, dimensions, statistic, threshold] of expected) {
      const resource = template.toJSON().Resources[stack.getLogicalId(alarm!.node.defaultChild as cloudwatch.CfnAlarm)];
      expect(resource.Properties).toMatchObject({
        Namespace: namespace,
        MetricName: metricName,
        Dimensions: dimensions,
        Statistic: statistic,
        Threshold: threshold,
        Period: 300,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [stack.resolve(topic.topicArn)],
        AlarmDescription: expect.stringMatching(/^Stack\/Worker\/AsyncInvocation: /),
      });
    }
  });

  test('GIVEN an alias config WHEN addAlarms() THEN the Lambda alarms select the alias with Resource', () => {
    const stack = newStack();
    const fn = newFunction(stack);
    const invocation = new AsyncInvocation(stack, 'Live', { function: fn.addAlias('live'), onFailure: FailureDestination.queue() });

    invocation.addAlarms();

    const dropped = Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: 'AsyncEventsDropped' } });
    expect(Object.values(dropped).map((a: any) => a.Properties.Dimensions)).toEqual([[
      { Name: 'FunctionName', Value: stack.resolve(fn.functionName) },
      { Name: 'Resource', Value: { 'Fn::Join': ['', [stack.resolve(fn.functionName), ':live']] } },
    ]]);
  });

  test('GIVEN every threshold WHEN addAlarms() THEN each alarm uses its own', () => {
    const stack = newStack();
    const worker = newAsyncFunction(stack);

    const alarms = worker.addAlarms({
      period: Duration.minutes(1),
      eventsDroppedThreshold: 5,
      deliveryFailuresThreshold: 2,
      deadLetterErrorsThreshold: 3,
      recursiveInvocationsDroppedThreshold: 4,
      eventAgeThreshold: Duration.minutes(10),
      failureQueueDepthThreshold: 50,
      failureQueueOldestMessageAgeThreshold: Duration.hours(1),
    });

    const resources = Template.fromStack(stack).toJSON().Resources;
    const props = (alarm: cloudwatch.Alarm | undefined) => resources[stack.getLogicalId(alarm!.node.defaultChild as cloudwatch.CfnAlarm)].Properties;
    expect([alarms.eventsDropped, alarms.deliveryFailures, alarms.deadLetterErrors, alarms.recursiveInvocationsDropped,
      alarms.eventAge, alarms.failureQueueDepth, alarms.failureQueueOldestMessageAge].map((a) => [props(a).Threshold, props(a).Period]))
      .toEqual([[5, 60], [2, 60], [3, 60], [4, 60], [600_000, 60], [50, 60], [3600, 60]]);
  });

  test('GIVEN the default maxEventAge WHEN addAlarms() THEN the event age alarm fires at 3 hours', () => {
    const stack = newStack();
    const alarms = new AsyncInvocation(stack, 'Async', { function: newFunction(stack), onFailure: FailureDestination.queue() }).addAlarms();
    expect(stack.resolve((alarms.eventAge.node.defaultChild as cloudwatch.CfnAlarm).threshold)).toBe(3 * 3600 * 1000);
  });

  test('GIVEN a failure queue brought by the user WHEN addAlarms({ failureQueue }) THEN the queue alarms watch it', () => {
    const stack = newStack();
    const records = new sqs.Queue(stack, 'Records');
    const invocation = new AsyncInvocation(stack, 'Async', { function: newFunction(stack), onFailure: FailureDestination.queue(records) });

    const alarms = invocation.addAlarms({ failureQueue: records });

    expect(stack.resolve((alarms.failureQueueDepth!.node.defaultChild as cloudwatch.CfnAlarm).dimensions))
      .toEqual([{ name: 'QueueName', value: stack.resolve(records.queueName) }]);
  });

  test('GIVEN no failure queue WHEN addAlarms() THEN the five Lambda alarms only', () => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Records');
    const alarms = new AsyncInvocation(stack, 'Async', { function: newFunction(stack), onFailure: FailureDestination.topic(topic) }).addAlarms();

    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 5);
    expect(alarms.failureQueueDepth).toBeUndefined();
    expect(alarms.failureQueueOldestMessageAge).toBeUndefined();
  });

  test.each<[string, AsyncInvocationAlarmsOptions, string]>([
    ['a queue threshold without a failure queue', { failureQueueDepthThreshold: 10 }, 'failureQueueDepthThreshold needs a failure queue, but Stack/Async created none: pass failureQueue, got no failure queue'],
    ['a queue age without a failure queue', { failureQueueOldestMessageAgeThreshold: Duration.days(1) }, 'failureQueueOldestMessageAgeThreshold needs a failure queue'],
    ['a threshold of 0', { eventsDroppedThreshold: 0 }, 'eventsDroppedThreshold must be a whole number of 1 or more, got 0'],
    ['a fractional threshold', { deliveryFailuresThreshold: 1.5 }, 'deliveryFailuresThreshold must be a whole number of 1 or more, got 1.5'],
    ['a threshold given as text (JavaScript)', { deadLetterErrorsThreshold: '2' as unknown as number }, 'deadLetterErrorsThreshold must be a whole number of 1 or more, got "2"'],
    ['an event age at maxEventAge', { eventAgeThreshold: Duration.hours(1) }, 'eventAgeThreshold must be below maxEventAge (1 hour): Lambda drops events at that age, got 1 hour'],
    ['an event age below a second', { eventAgeThreshold: Duration.millis(10) }, 'eventAgeThreshold must be at least 1 second, got 10 millis'],
    ['an event age in seconds (JavaScript)', { eventAgeThreshold: 600 as unknown as Duration }, 'eventAgeThreshold must be a Duration (e.g. Duration.minutes(30)), got 600'],
    ['a 45-second period', { period: Duration.seconds(45) }, 'period: period must be 1, 5, 10 or 30 seconds or a multiple of 60 seconds, got 45 seconds'],
  ])('GIVEN %s WHEN addAlarms() THEN an error names the path and the value', (_, options, message) => {
    const stack = newStack();
    const topic = new sns.Topic(stack, 'Records');
    const invocation = new AsyncInvocation(stack, 'Async', {
      function: newFunction(stack), maxEventAge: Duration.hours(1), onFailure: FailureDestination.topic(topic),
    });
    expect(() => invocation.addAlarms(options)).toThrow(`[Stack/Async/Alarms] ${message}`);
  });

  test('GIVEN an AsyncFunction WHEN used where metrics are expected THEN it serves the interface', () => {
    const stack = newStack();
    const source: IAsyncInvocationMetrics = newAsyncFunction(stack, Duration.minutes(20));
    expect(source.maxEventAge.toMinutes()).toBe(20);
    expect(source.failureQueue).toBeDefined();
  });
});

function newAsyncFunction(stack: Stack, maxEventAge?: Duration): AsyncFunction {
  return new AsyncFunction(stack, 'Worker', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => null;'),
    maxEventAge,
    onFailure: FailureDestination.queue(),
  });
}
