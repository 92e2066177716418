/**
 * The data points of one metric (namespace, name, dimensions) within one second, kept as
 * CloudWatch keeps a statistic set: sum, count, minimum and maximum.
 */
export interface Datum {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, string>;
  /** start of the second, in ms */
  readonly timestamp: number;
  readonly unit: string;
  readonly sum: number;
  readonly sampleCount: number;
  readonly minimum: number;
  readonly maximum: number;
}

export type Statistic = 'Sum' | 'SampleCount' | 'Average' | 'Maximum' | 'Minimum';
