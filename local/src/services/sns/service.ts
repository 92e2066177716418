import { randomBytes, randomUUID } from 'node:crypto';
import { PublishCommand } from '@aws-sdk/client-sns';
import { invalidParameter } from './errors';
import { compileFilterPolicy } from './filter-policy';
import { LambdaSubscription, PublishedMessage, SnsMessageAttributes } from './model';
import { FauxqsBackend, fauxqsArn } from '../backend/fauxqs';
import { executedVersion } from '../lambda/model';
import { LambdaService } from '../lambda/service';

export interface SnsLambdaSubscriptionsOptions {
  readonly region: string;
  readonly accountId: string;
  readonly backend: FauxqsBackend;
  readonly lambda: LambdaService;
  readonly log: (line: string) => void;
}

/** Topics are told apart by region and name (fauxqs keeps them all in account 000000000000). */
function topicKey(topicArn: string): string {
  const parts = topicArn.split(':');
  return `${parts[3]}:${parts.slice(5).join(':')}`;
}

/**
 * SNS subscriptions with protocol `lambda`, which fauxqs does not deliver: every publish to a topic
 * (through the SDK or by the local cloud itself) is handed here after it succeeded, and each matching
 * subscriber gets an asynchronous invoke with one `Records[].Sns` record — if the function's resource
 * policy lets SNS invoke it.
 */
export class SnsLambdaSubscriptions {
  private readonly byArn = new Map<string, LambdaSubscription>();
  /** the `SimpleNotificationService-<hex>.pem` of this cloud */
  private readonly certId = randomBytes(16).toString('hex');

  constructor(private readonly o: SnsLambdaSubscriptionsOptions) {}

  /**
   * Adds a subscription and returns its ARN (`<topicArn>:<uuid>`). `attributes` may hold
   * `FilterPolicy` (JSON text) and `FilterPolicyScope`.
   * @throws FilterPolicyError for a policy SNS rejects or the local cloud cannot evaluate
   */
  public subscribe(topicArn: string, endpoint: string, attributes: Record<string, string> = {}): string {
    if (!/^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/.test(endpoint)) {
      throw invalidParameter(`Invalid parameter: Lambda endpoint ARN ${endpoint}`);
    }
    const filterPolicy = attributes.FilterPolicy ? compileFilterPolicy(attributes.FilterPolicy, attributes.FilterPolicyScope) : undefined;
    const existing = [...this.byArn.values()].find((s) => topicKey(s.topicArn) === topicKey(topicArn) && s.endpoint === endpoint);
    if (existing) return existing.arn; // Subscribe is idempotent for the same endpoint
    const arn = `${topicArn}:${randomUUID()}`;
    this.byArn.set(arn, { arn, topicArn, endpoint, filterPolicy });
    return arn;
  }

  /** Removes a subscription; false when the ARN is not a lambda subscription. */
  public unsubscribe(subscriptionArn: string): boolean {
    return this.byArn.delete(subscriptionArn);
  }

  /** Drops the subscriptions of a deleted topic. */
  public topicDeleted(topicArn: string): void {
    for (const s of [...this.byArn.values()]) if (topicKey(s.topicArn) === topicKey(topicArn)) this.byArn.delete(s.arn);
  }

  /** The lambda subscriptions of a topic. */
  public subscriptions(topicArn: string): LambdaSubscription[] {
    return [...this.byArn.values()].filter((s) => topicKey(s.topicArn) === topicKey(topicArn));
  }

  /**
   * Publishes through fauxqs (its own subscribers, e.g. SQS) and then delivers to the lambda
   * subscribers: what the local cloud's own publishers (destinations, rule targets) call.
   * Returns the MessageId.
   */
  public async publish(topicArn: string, message: string, attributes: SnsMessageAttributes = {}, hops = 0): Promise<string> {
    const out = await this.o.backend.sns.send(new PublishCommand({
      TopicArn: fauxqsArn(topicArn),
      Message: message,
      MessageAttributes: Object.keys(attributes).length === 0 ? undefined : Object.fromEntries(Object.entries(attributes).map(([k, a]) => [k, {
        DataType: a.DataType, StringValue: a.StringValue, BinaryValue: a.BinaryValue === undefined ? undefined : Buffer.from(a.BinaryValue, 'base64'),
      }])),
    }));
    this.published(topicArn, { messageId: out.MessageId!, message, attributes, hops });
    return out.MessageId!;
  }

  /** Delivers a message a topic accepted to its lambda subscribers (filter policy, then permission). */
  public published(topicArn: string, m: PublishedMessage): void {
    const subs = this.subscriptions(topicArn);
    if (subs.length === 0) return;
    const timestamp = new Date().toISOString();
    let message = m.message;
    if (m.messageStructure === 'json') {
      try {
        const perProtocol = JSON.parse(m.message);
        message = String(perProtocol.lambda ?? perProtocol.default);
      } catch { /* Publish validated it */ }
    }
    for (const sub of subs) this.deliver(sub, m, message, timestamp);
  }

  private deliver(sub: LambdaSubscription, m: PublishedMessage, message: string, timestamp: string): void {
    if (sub.filterPolicy && !sub.filterPolicy.matches(message, m.attributes)) return;
    const failed = (reason: string) => this.o.log(
      `SNS delivery of message ${m.messageId} from topic ${sub.topicArn} by subscription ${sub.arn} to function ${sub.endpoint} failed: ${reason}`);
    const { fn, qualifier } = this.o.lambda.lookup(sub.endpoint);
    if (!fn || !executedVersion(fn, qualifier ?? '$LATEST')) return failed(`Function not found: ${sub.endpoint}`);
    const topicAccount = sub.topicArn.split(':')[4];
    if (!this.o.lambda.permissions.allowsInvoke(fn.name, qualifier, { principal: 'sns.amazonaws.com', sourceArn: sub.topicArn, sourceAccount: topicAccount })) {
      return failed(`AccessDeniedException: the resource-based policy of ${sub.endpoint} does not allow sns.amazonaws.com to call lambda:InvokeFunction for ${sub.topicArn}`);
    }
    this.o.lambda.invokeAsync(fn, qualifier, JSON.stringify(this.event(sub, m, message, timestamp)), undefined, m.hops ?? 0);
  }

  /** The event Lambda receives: one record, with Lambda's casing (`SigningCertUrl`, `UnsubscribeUrl`). */
  private event(sub: LambdaSubscription, m: PublishedMessage, message: string, timestamp: string): unknown {
    const host = `https://sns.${this.o.region}.amazonaws.com`;
    const attributes: Record<string, { Type: string; Value: string }> = {};
    for (const [name, a] of Object.entries(m.attributes)) {
      attributes[name] = { Type: a.DataType, Value: (a.DataType.startsWith('Binary') ? a.BinaryValue : a.StringValue) ?? '' };
    }
    return {
      Records: [{
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: sub.arn,
        Sns: {
          Type: 'Notification',
          MessageId: m.messageId,
          TopicArn: sub.topicArn,
          Subject: m.subject ?? null,
          Message: message,
          Timestamp: timestamp,
          SignatureVersion: '1',
          Signature: randomBytes(256).toString('base64'), // a placeholder: not verifiable
          SigningCertUrl: `${host}/SimpleNotificationService-${this.certId}.pem`,
          UnsubscribeUrl: `${host}/?Action=Unsubscribe&SubscriptionArn=${sub.arn}`,
          MessageAttributes: attributes,
        },
      }],
    };
  }
}
