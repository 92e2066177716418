import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { GetTopicAttributesCommand } from '@aws-sdk/client-sns';
import { invalidParameter, notFound } from './errors';
import { FilterPolicyError } from './filter-policy';
import { SnsMessageAttributes } from './model';
import { SnsLambdaSubscriptions } from './service';
import { ApiError, el, invocationsOf, queryResponse, send, sendQueryError, sendWhole, WholeResponse } from '../../protocol';
import { FauxqsBackend, fauxqsArn } from '../backend/fauxqs';

const XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/**
 * The SNS API in front of fauxqs: `Subscribe` / `Unsubscribe` of `lambda` subscriptions are answered
 * here; `Publish` and `PublishBatch` go to fauxqs and, once accepted, to the lambda subscribers with
 * the MessageIds fauxqs returned; `DeleteTopic` also drops the topic's lambda subscriptions.
 * Everything else is proxied unchanged.
 */
export class SnsApi {
  constructor(private readonly backend: FauxqsBackend, private readonly subscriptions: SnsLambdaSubscriptions) {}

  public async handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
    if (!String(req.headers['content-type'] ?? '').includes('x-www-form-urlencoded')) return this.backend.proxy(req, body, res);
    const params = new URLSearchParams(body.toString('utf8'));
    switch (params.get('Action')) {
      case 'Subscribe':
        if (params.get('Protocol') !== 'lambda') break;
        return this.subscribe(params, res);
      case 'Unsubscribe':
        if (!this.subscriptions.unsubscribe(params.get('SubscriptionArn') ?? '')) break;
        return send(res, 200, `<?xml version="1.0" encoding="UTF-8"?>\n<UnsubscribeResponse xmlns="${XMLNS}"><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></UnsubscribeResponse>`,
          { 'Content-Type': 'text/xml' });
      case 'Publish': return this.publish(req, body, res, params);
      case 'PublishBatch': return this.publishBatch(req, body, res, params);
      case 'DeleteTopic': {
        const out = await this.relay(req, body, res);
        if (out.status === 200) this.subscriptions.topicDeleted(params.get('TopicArn') ?? '');
        return;
      }
    }
    return this.backend.proxy(req, body, res);
  }

  private async subscribe(params: URLSearchParams, res: http.ServerResponse): Promise<void> {
    const topicArn = params.get('TopicArn') ?? '';
    if (topicArn.split(':').length < 6) return sendQueryError(res, invalidParameter('Invalid parameter: TopicArn'), XMLNS);
    try {
      await this.backend.sns.send(new GetTopicAttributesCommand({ TopicArn: fauxqsArn(topicArn) }));
    } catch {
      return sendQueryError(res, notFound('Topic does not exist'), XMLNS);
    }
    const attributes: Record<string, string> = {};
    for (let i = 1; params.has(`Attributes.entry.${i}.key`); i++) {
      attributes[params.get(`Attributes.entry.${i}.key`)!] = params.get(`Attributes.entry.${i}.value`) ?? '';
    }
    try {
      const arn = this.subscriptions.subscribe(topicArn, params.get('Endpoint') ?? '', attributes);
      return queryResponse(res, 'Subscribe', XMLNS, el('SubscriptionArn', arn));
    } catch (e) {
      if (e instanceof ApiError) return sendQueryError(res, e, XMLNS);
      if (e instanceof FilterPolicyError) return sendQueryError(res, invalidParameter(e.message), XMLNS);
      throw e;
    }
  }

  private async publish(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, params: URLSearchParams): Promise<void> {
    const out = await this.relay(req, body, res);
    const messageId = /<MessageId>([^<]+)<\/MessageId>/.exec(out.body.toString('utf8'))?.[1];
    const topicArn = params.get('TopicArn') ?? params.get('TargetArn');
    if (out.status !== 200 || !messageId || !topicArn) return;
    this.subscriptions.published(topicArn, {
      messageId,
      message: params.get('Message') ?? '',
      subject: params.get('Subject') ?? undefined,
      messageStructure: params.get('MessageStructure') ?? undefined,
      attributes: queryMessageAttributes(params),
      hops: invocationsOf(req),
    });
  }

  private async publishBatch(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, params: URLSearchParams): Promise<void> {
    const out = await this.relay(req, body, res);
    const topicArn = params.get('TopicArn');
    if (out.status !== 200 || !topicArn) return;
    const successful = /<Successful>([\s\S]*?)<\/Successful>/.exec(out.body.toString('utf8'))?.[1] ?? '';
    const ids = new Map<string, string>();
    for (const m of successful.matchAll(/<member>[\s\S]*?<Id>([^<]+)<\/Id>[\s\S]*?<MessageId>([^<]+)<\/MessageId>[\s\S]*?<\/member>/g)) ids.set(m[1], m[2]);
    for (let i = 1; params.has(`PublishBatchRequestEntries.member.${i}.Id`); i++) {
      const prefix = `PublishBatchRequestEntries.member.${i}.`;
      const messageId = ids.get(params.get(`${prefix}Id`)!);
      if (!messageId) continue; // a failed entry
      this.subscriptions.published(topicArn, {
        messageId,
        message: params.get(`${prefix}Message`) ?? '',
        subject: params.get(`${prefix}Subject`) ?? undefined,
        messageStructure: params.get(`${prefix}MessageStructure`) ?? undefined,
        attributes: queryMessageAttributes(params, prefix),
        hops: invocationsOf(req),
      });
    }
  }

  /** Sends the request to fauxqs and its response back to the client; returns the response. */
  private async relay(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<WholeResponse> {
    const out = await this.backend.forward(req, body);
    sendWhole(res, out);
    return out;
  }
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
