import * as http from 'node:http';
import { jsonError, Request, send } from '../../server/http';
import { aggregate, MetricStore, Statistic } from './metrics';

const STATS = ['Sum', 'SampleCount', 'Average', 'Maximum', 'Minimum'];

/** CloudWatch (awsJson1_0, target GraniteServiceVersion20100801): GetMetricData over the local metric store. */
export class CloudWatchApi {
  constructor(private readonly metrics: MetricStore) {}

  public handle(req: Request, res: http.ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '').split('.').pop();
    let input: any;
    try {
      input = JSON.parse(req.body.toString('utf8') || '{}');
    } catch {
      return jsonError(res, 400, 'SerializationException', 'request body is not JSON');
    }
    if (target !== 'GetMetricData') {
      return jsonError(res, 400, 'UnknownOperationException', `the local cloud does not implement CloudWatch ${target}`);
    }
    const start = toMs(input.StartTime);
    const end = toMs(input.EndTime);
    const results = [];
    for (const q of input.MetricDataQueries ?? []) {
      if (!q.MetricStat) {
        return jsonError(res, 400, 'InvalidParameterValueException', 'the local cloud supports MetricStat queries only (no Expression)');
      }
      const { Metric: metric, Period: period, Stat: stat } = q.MetricStat;
      if (!STATS.includes(stat)) return jsonError(res, 400, 'InvalidParameterValueException', `unsupported statistic ${stat}`);
      const dims: Record<string, string> = {};
      for (const d of metric.Dimensions ?? []) dims[d.Name] = d.Value;
      const data = this.metrics.query(metric.Namespace, metric.MetricName, dims, start, end);
      const buckets = new Map<number, number[]>();
      const periodMs = Math.max(1, Number(period ?? 60)) * 1000;
      for (const d of data) {
        const b = start + Math.floor((d.timestamp - start) / periodMs) * periodMs;
        buckets.set(b, [...(buckets.get(b) ?? []), d.value]);
      }
      const times = [...buckets.keys()].sort((a, b) => b - a); // CloudWatch default: TimestampDescending
      results.push({
        Id: q.Id, Label: q.Label ?? metric.MetricName, StatusCode: 'Complete',
        Timestamps: times.map((t) => t / 1000), Values: times.map((t) => aggregate(buckets.get(t)!, stat as Statistic)),
      });
    }
    send(res, 200, JSON.stringify({ MetricDataResults: results, Messages: [] }), { 'Content-Type': 'application/x-amz-json-1.0' });
  }
}

function toMs(v: unknown): number {
  if (typeof v === 'number') return v * 1000;
  return Date.parse(String(v));
}
