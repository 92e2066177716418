import { LambdaFunction } from './model';
import { MetricStore } from '../cloudwatch/service';

/** The AWS/Lambda metrics of invocations, as Lambda publishes them to CloudWatch. */
export class LambdaMetrics {
  constructor(private readonly store: MetricStore) {}

  /** Puts a Lambda metric by FunctionName, and by FunctionName + Resource for a version or alias. */
  public put(fn: LambdaFunction, qualifier: string, name: string, value: number, unit = 'Count'): void {
    this.store.put('AWS/Lambda', name, { FunctionName: fn.name }, value, unit);
    if (qualifier !== '$LATEST') this.store.put('AWS/Lambda', name, { FunctionName: fn.name, Resource: `${fn.name}:${qualifier}` }, value, unit);
  }
}
