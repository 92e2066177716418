/** Message attributes as Publish takes them (`BinaryValue` base64, as the query protocol sends it). */
export type SnsMessageAttributes = Record<string, { readonly DataType: string; readonly StringValue?: string; readonly BinaryValue?: string }>;

/** One message accepted by a topic: what its subscribers are sent. */
export interface PublishedMessage {
  /** the id Publish returned */
  readonly messageId: string;
  readonly message: string;
  readonly subject?: string;
  /** `json`: `message` holds one message per protocol (`lambda`, else `default`) */
  readonly messageStructure?: string;
  readonly attributes: SnsMessageAttributes;
  /** invocations of the chain that published it (recursive loop detection) @default 0 */
  readonly hops?: number;
}

/**
 * Reads the `MessageAttributes.entry.N.*` parameters of an awsQuery request (Publish, or one entry of
 * PublishBatch under `prefix`).
 */
export function queryMessageAttributes(params: URLSearchParams, prefix = ''): SnsMessageAttributes {
  const out: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }> = {};
  for (let i = 1; ; i++) {
    const base = `${prefix}MessageAttributes.entry.${i}`;
    const name = params.get(`${base}.Name`);
    if (name === null) break;
    out[name] = {
      DataType: params.get(`${base}.Value.DataType`) ?? 'String',
      ...(params.has(`${base}.Value.StringValue`) ? { StringValue: params.get(`${base}.Value.StringValue`)! } : {}),
      ...(params.has(`${base}.Value.BinaryValue`) ? { BinaryValue: params.get(`${base}.Value.BinaryValue`)! } : {}),
    };
  }
  return out;
}
