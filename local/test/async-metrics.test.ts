import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AsyncFunction, AsyncInvocation, FailureDestination, SuccessDestination } from '../../src';
import { LocalCloud } from '../src';
import { Clients, startStack, stopStack, SUCCEED_OR_THROW, synth } from './helpers';

// The library's metric definitions (namespace, dimensions, statistic, unit, period), queried as
// they are against the local cloud's CloudWatch after a run with drops and delivery failures.
let cloud: LocalCloud;
let c: Clients;
let stack: Stack;
let worker: AsyncFunction;
let live: AsyncInvocation;
let ids: Record<string, string>;

beforeAll(async () => {
  const assembly = synth((app) => {
    stack = new Stack(app, 'AsyncMetrics', { env: { account: '000000000000', region: 'us-east-1' } });
    worker = new AsyncFunction(stack, 'Worker', {
      functionName: 'metrics-worker',
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(SUCCEED_OR_THROW),
      retryAttempts: 0,
      onFailure: FailureDestination.queue(),
    });
    live = new AsyncInvocation(stack, 'Live', {
      function: worker.function.addAlias('live'),
      retryAttempts: 0,
      // a record over SNS's 256 KB limit cannot be delivered: DestinationDeliveryFailures
      onSuccess: SuccessDestination.topic(new sns.Topic(stack, 'Records')),
      onFailure: FailureDestination.queue(),
    });
  });
  ({ cloud, c, ids } = await startStack(assembly, 'AsyncMetrics'));
  const invoke = (name: string, payload: unknown) => c.lambda.send(new InvokeCommand({ FunctionName: name, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(payload)) }));
  await invoke('metrics-worker', { Success: false, id: 'a' });
  await invoke('metrics-worker', { Success: false, id: 'b' });
  await invoke('metrics-worker:live', { Success: true, id: 'big', pad: 'x'.repeat(300 * 1024) });
  await invoke('metrics-worker:live', { Success: false, id: 'c' });
  await cloud.idle();
}, 60_000);

afterAll(() => stopStack(cloud, c));

/** A dimension value as CloudFormation resolves it: `Ref`s to physical ids, `Fn::Join` joined. */
function deployed(value: any): string {
  if (typeof value === 'string') return value;
  if (value.Ref) return ids[value.Ref];
  if (value['Fn::Join']) return value['Fn::Join'][1].map(deployed).join(value['Fn::Join'][0]);
  throw new Error(`unexpected dimension value ${JSON.stringify(value)}`);
}

/** Runs a library metric, as CloudFormation would render it in an alarm, through GetMetricData. */
async function sum(metric: cloudwatch.Metric): Promise<number> {
  const stat = metric.toMetricConfig().metricStat!;
  const now = Date.now();
  const out = await c.cw.send(new GetMetricDataCommand({
    StartTime: new Date(now - 3600_000),
    EndTime: new Date(now + 60_000),
    MetricDataQueries: [{
      Id: 'm',
      MetricStat: {
        Metric: {
          Namespace: stat.namespace,
          MetricName: stat.metricName,
          Dimensions: stack.resolve(stat.dimensions).map((d: any) => ({ Name: d.name, Value: deployed(d.value) })),
        },
        Period: 7200,
        Stat: stat.statistic,
        Unit: stat.unitFilter,
      },
    }],
  }));
  const values = out.MetricDataResults?.[0]?.Values ?? [];
  return stat.statistic === 'Maximum' ? Math.max(-1, ...values) : values.reduce((a, b) => a + b, 0);
}

test.each<[string, number, () => cloudwatch.Metric]>([
  // FunctionName alone aggregates every qualifier, as on AWS
  ['the function\'s events received', 4, () => worker.metricAsyncEventsReceived()],
  ['the function\'s events dropped', 3, () => worker.metricAsyncEventsDropped()],
  ['the function\'s delivery failures', 1, () => worker.metricDestinationDeliveryFailures()],
  // Resource selects the alias
  ['the alias\'s events received', 2, () => live.metricAsyncEventsReceived()],
  ['the alias\'s events dropped', 1, () => live.metricAsyncEventsDropped()],
  ['the alias\'s delivery failures', 1, () => live.metricDestinationDeliveryFailures()],
  ['the alias\'s dead-letter errors', 0, () => live.metricDeadLetterErrors()],
])('GIVEN a run with drops and delivery failures WHEN %s are queried as the library defines them THEN there are %d', async (_, expected, metric) => {
  expect(await sum(metric())).toBe(expected);
});

test('GIVEN events that waited WHEN the alias\'s AsyncEventAge (Maximum, Milliseconds) is queried THEN it has data', async () => {
  expect(await sum(live.metricAsyncEventAge())).toBeGreaterThanOrEqual(0);
  // a wrong unit sees nothing, as on CloudWatch
  expect(await sum(live.metricAsyncEventAge({ unit: cloudwatch.Unit.SECONDS }))).toBe(-1);
});
