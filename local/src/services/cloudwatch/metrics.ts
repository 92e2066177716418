/** One metric datum. */
export interface Datum {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly timestamp: number;
  readonly value: number;
  readonly unit: string;
}

export type Statistic = 'Sum' | 'SampleCount' | 'Average' | 'Maximum' | 'Minimum';

/** In-memory CloudWatch metric store (what Lambda publishes for asynchronous invocations). */
export class MetricStore {
  private readonly data: Datum[] = [];

  public put(namespace: string, name: string, dimensions: Record<string, string>, value: number, unit = 'Count'): void {
    this.data.push({ namespace, name, dimensions, timestamp: Date.now(), value, unit });
  }

  /** Data points matching exactly the given dimensions (as CloudWatch matches them). */
  public query(namespace: string, name: string, dimensions: Record<string, string>, start = 0, end = Infinity): Datum[] {
    const want = Object.entries(dimensions).sort();
    return this.data.filter((d) => d.namespace === namespace && d.name === name && d.timestamp >= start && d.timestamp < end
      && JSON.stringify(Object.entries(d.dimensions).sort()) === JSON.stringify(want));
  }

  /** Convenience: one statistic over all time of a Lambda function metric. */
  public lambda(name: string, functionName: string, stat: Statistic = 'Sum'): number {
    return aggregate(this.query('AWS/Lambda', name, { FunctionName: functionName }).map((d) => d.value), stat);
  }
}

export function aggregate(values: number[], stat: Statistic): number {
  switch (stat) {
    case 'SampleCount': return values.length;
    case 'Average': return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
    case 'Maximum': return values.length ? Math.max(...values) : 0;
    case 'Minimum': return values.length ? Math.min(...values) : 0;
    default: return values.reduce((a, b) => a + b, 0);
  }
}
