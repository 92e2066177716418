import * as http from 'node:http';
import { invalidParameterValue, serializationError, unknownOperation } from './errors';
import { Datum, Statistic } from './model';
import { aggregate, MetricStore } from './service';
import { Request, send, sendJsonError, serializationProblem } from '../../protocol';

const STATS = ['Sum', 'SampleCount', 'Average', 'Maximum', 'Minimum'];

/** CloudWatch (awsJson1_0, target GraniteServiceVersion20100801): GetMetricData and GetMetricStatistics over the local metric store. */
export class CloudWatchApi {
  constructor(private readonly metrics: MetricStore) {}

  public handle(req: Request, res: http.ServerResponse): void {
    const target = String(req.headers['x-amz-target'] ?? '').split('.').pop();
    let input: any;
    try {
      input = JSON.parse(req.body.toString('utf8') || '{}');
    } catch {
      return sendJsonError(res, serializationError('request body is not JSON'));
    }
    const problem = serializationProblem(input, { MetricDataQueries: 'array', Statistics: 'array', Dimensions: 'array', Namespace: 'string', MetricName: 'string' })
      ?? listProblem(input.MetricDataQueries, 'MetricDataQueries', (q) => !!q && typeof q === 'object' && !Array.isArray(q)
        && (q.MetricStat === undefined || (!!q.MetricStat && typeof q.MetricStat === 'object' && !!q.MetricStat.Metric && typeof q.MetricStat.Metric === 'object'
          && (q.MetricStat.Metric.Dimensions === undefined || Array.isArray(q.MetricStat.Metric.Dimensions)))))
      ?? listProblem(input.Statistics, 'Statistics', (x) => typeof x === 'string')
      ?? listProblem(input.Dimensions, 'Dimensions', (x) => !!x && typeof x === 'object');
    if (problem) return sendJsonError(res, serializationError(problem));
    if (target === 'GetMetricStatistics') return this.getMetricStatistics(input, res);
    if (target !== 'GetMetricData') {
      return sendJsonError(res, unknownOperation(target));
    }
    const start = toMs(input.StartTime);
    const end = toMs(input.EndTime);
    const results = [];
    for (const q of input.MetricDataQueries ?? []) {
      if (!q.MetricStat) {
        return sendJsonError(res, invalidParameterValue('the local cloud supports MetricStat queries only (no Expression)'));
      }
      const { Metric: metric, Period: period, Stat: stat, Unit: unit } = q.MetricStat;
      if (!STATS.includes(stat)) return sendJsonError(res, invalidParameterValue(`unsupported statistic ${stat}`));
      const dims: Record<string, string> = {};
      for (const d of metric.Dimensions ?? []) dims[d.Name] = d.Value;
      // as on CloudWatch, a query with a Unit sees only the data points published in that unit
      const data = this.metrics.query(metric.Namespace, metric.MetricName, dims, start, end).filter((d) => unit === undefined || d.unit === unit);
      const grouped = buckets(data, start, period);
      const times = [...grouped.keys()].sort((a, b) => b - a); // CloudWatch default: TimestampDescending
      results.push({
        Id: q.Id,
        Label: q.Label ?? metric.MetricName,
        StatusCode: 'Complete',
        Timestamps: times.map((t) => t / 1000),
        Values: times.map((t) => aggregate(grouped.get(t)!, stat as Statistic)),
      });
    }
    send(res, 200, JSON.stringify({ MetricDataResults: results, Messages: [] }), { 'Content-Type': 'application/x-amz-json-1.0' });
  }

  /** GetMetricStatistics: one metric, the requested statistics per period. */
  private getMetricStatistics(input: any, res: http.ServerResponse): void {
    const stats: string[] = input.Statistics ?? [];
    const bad = stats.find((x) => !STATS.includes(x));
    if (bad || stats.length === 0) {
      return sendJsonError(res, invalidParameterValue(`Statistics must be some of ${STATS.join(', ')}${bad ? `, got ${bad}` : ''}`));
    }
    const dims: Record<string, string> = {};
    for (const d of input.Dimensions ?? []) dims[d.Name] = d.Value;
    const start = toMs(input.StartTime);
    const data = this.metrics.query(input.Namespace, input.MetricName, dims, start, toMs(input.EndTime));
    const grouped = buckets(data, start, input.Period);
    const unit = data[0]?.unit ?? 'None';
    const datapoints = [...grouped.keys()].sort((a, b) => a - b).map((t) => ({
      Timestamp: t / 1000, Unit: unit, ...Object.fromEntries(stats.map((x) => [x, aggregate(grouped.get(t)!, x as Statistic)])),
    }));
    send(res, 200, JSON.stringify({ Label: input.MetricName, Datapoints: datapoints }), { 'Content-Type': 'application/x-amz-json-1.0' });
  }
}

function buckets(data: Datum[], start: number, periodSeconds: unknown): Map<number, Datum[]> {
  const periodMs = Math.max(1, Number(periodSeconds ?? 60)) * 1000;
  const out = new Map<number, Datum[]>();
  for (const d of data) {
    const b = start + Math.max(0, Math.floor((d.timestamp - start) / periodMs)) * periodMs;
    const list = out.get(b);
    if (list) list.push(d);
    else out.set(b, [d]);
  }
  return out;
}

/** A problem with a list member's items, or undefined. */
function listProblem(list: unknown, name: string, valid: (item: any) => boolean): string | undefined {
  return Array.isArray(list) && !list.every(valid) ? `${name}: an item has the wrong structure` : undefined;
}

function toMs(v: unknown): number {
  if (typeof v === 'number') return v * 1000;
  return Date.parse(String(v));
}
