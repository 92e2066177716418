import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { IConstruct } from 'constructs';
import { validationError } from './errors';
import { FunctionTarget } from './function-target';

/** What each asynchronous-invocation metric is, by default. */
export interface AsyncMetricDefaults {
  readonly statistic: string;
  readonly unit: cloudwatch.Unit;
}

export const COUNT_SUM: AsyncMetricDefaults = { statistic: cloudwatch.Stats.SUM, unit: cloudwatch.Unit.COUNT };
export const AGE_MAXIMUM: AsyncMetricDefaults = { statistic: cloudwatch.Stats.MAXIMUM, unit: cloudwatch.Unit.MILLISECONDS };

/**
 * A metric of the `AWS/Lambda` namespace for the configured qualifier: `FunctionName`, plus
 * `Resource` (`<name>:<qualifier>`) for a version or an alias. `$LATEST` has no `Resource`
 * dimension of its own: Lambda publishes invocations of the unqualified function under
 * `FunctionName` alone.
 */
export function asyncMetric(
  scope: IConstruct,
  target: FunctionTarget,
  metricName: string,
  defaults: AsyncMetricDefaults,
  options: cloudwatch.MetricOptions = {},
): cloudwatch.Metric {
  validatePeriod(scope, `metric${metricName}`, options.period);
  const functionName = target.function.functionName;
  const dimensionsMap: Record<string, string> = target.qualifier === '$LATEST'
    ? { FunctionName: functionName }
    : { FunctionName: functionName, Resource: `${functionName}:${target.qualifier}` };
  const metric = new cloudwatch.Metric({
    namespace: 'AWS/Lambda',
    metricName,
    dimensionsMap,
    statistic: defaults.statistic,
    unit: defaults.unit,
    ...options,
  });
  // aws-cdk-lib only warns about a statistic it cannot parse; CloudWatch rejects it at deploy
  if (options.statistic !== undefined && !Token.isUnresolved(options.statistic) && metric.warningsV2?.['CloudWatch:Alarm:UnrecognizedStatistic']) {
    throw validationError(scope, `metric${metricName}: statistic must be SampleCount, Average, Sum, Minimum, Maximum or a percentile-style statistic (p99, tm90, TM(10%:90%), …), got ${JSON.stringify(options.statistic)}`);
  }
  return metric;
}

/** CloudWatch accepts periods of 1, 5, 10 or 30 seconds, or a multiple of 60 seconds. */
export function validatePeriod(scope: IConstruct, name: string, period: Duration | undefined): void {
  if (period === undefined || period.isUnresolved()) {
    return;
  }
  const millis = period.toMilliseconds();
  const seconds = millis / 1000;
  if (millis % 1000 !== 0 || !([1, 5, 10, 30].includes(seconds) || (seconds > 0 && seconds % 60 === 0))) {
    throw validationError(scope, `${name}: period must be 1, 5, 10 or 30 seconds or a multiple of 60 seconds, got ${period.toHumanString()}`);
  }
}
