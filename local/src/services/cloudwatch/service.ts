import { Datum, Statistic } from './model';

/** How many one-second statistic sets each metric keeps (the oldest go first): memory stays bounded. */
export const SECONDS_KEPT_PER_METRIC = 10_000;

interface Series {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
  readonly unit: string;
  /** by second (ms), in time order */
  readonly seconds: Map<number, { sum: number; sampleCount: number; minimum: number; maximum: number }>;
}

function seriesKey(namespace: string, name: string, dimensions: Record<string, string>): string {
  return JSON.stringify([namespace, name, Object.entries(dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
}

/**
 * In-memory CloudWatch metric store (what Lambda publishes for asynchronous invocations), at
 * one-second resolution: its size grows with the seconds that saw data, not with the data points.
 */
export class MetricStore {
  private readonly series = new Map<string, Series>();

  public put(namespace: string, name: string, dimensions: Record<string, string>, value: number, unit = 'Count'): void {
    const key = seriesKey(namespace, name, dimensions);
    let s = this.series.get(key);
    if (!s) {
      s = { namespace, name, dimensions: { ...dimensions }, unit, seconds: new Map() };
      this.series.set(key, s);
    }
    const second = Math.floor(Date.now() / 1000) * 1000;
    const set = s.seconds.get(second);
    if (set) {
      set.sum += value;
      set.sampleCount++;
      set.minimum = Math.min(set.minimum, value);
      set.maximum = Math.max(set.maximum, value);
      return;
    }
    s.seconds.set(second, { sum: value, sampleCount: 1, minimum: value, maximum: value });
    if (s.seconds.size > SECONDS_KEPT_PER_METRIC) s.seconds.delete(s.seconds.keys().next().value!);
  }

  /**
   * The statistic sets of the metric with exactly these dimensions (as CloudWatch matches them),
   * of the seconds that overlap [start, end).
   */
  public query(namespace: string, name: string, dimensions: Record<string, string>, start = 0, end = Infinity): Datum[] {
    const s = this.series.get(seriesKey(namespace, name, dimensions));
    if (!s) return [];
    const out: Datum[] = [];
    for (const [timestamp, set] of s.seconds) {
      if (timestamp + 1000 > start && timestamp < end) out.push({ namespace, name, dimensions: s.dimensions, timestamp, unit: s.unit, ...set });
    }
    return out;
  }

  /** Convenience: one statistic over all time of a Lambda function metric. */
  public lambda(name: string, functionName: string, stat: Statistic = 'Sum'): number {
    return aggregate(this.query('AWS/Lambda', name, { FunctionName: functionName }), stat);
  }
}

/** One statistic over statistic sets. */
export function aggregate(sets: readonly Pick<Datum, 'sum' | 'sampleCount' | 'minimum' | 'maximum'>[], stat: Statistic): number {
  let sum = 0;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const s of sets) {
    sum += s.sum;
    count += s.sampleCount;
    min = Math.min(min, s.minimum);
    max = Math.max(max, s.maximum);
  }
  switch (stat) {
    case 'SampleCount': return count;
    case 'Average': return count ? sum / count : 0;
    case 'Maximum': return count ? max : 0;
    case 'Minimum': return count ? min : 0;
    default: return sum;
  }
}
