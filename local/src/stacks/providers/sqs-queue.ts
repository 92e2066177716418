import { CreateQueueCommand, DeleteQueueCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { recordKey, REPLACE, ResourceProvider, truthy } from './resource-provider';
import { QUEUE_NAME_RULES, validQueueName } from '../../services/sqs/model';

/** The SQS attributes of an AWS::SQS::Queue's properties. */
function queueAttributes(p: Record<string, any>): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const k of ['DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds',
    'VisibilityTimeout', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'FifoQueue', 'ContentBasedDeduplication',
    'SqsManagedSseEnabled']) {
    if (p[k] !== undefined) attributes[k] = String(p[k]);
  }
  if (p.RedrivePolicy) attributes.RedrivePolicy = JSON.stringify(p.RedrivePolicy);
  return attributes;
}

/** What an attribute goes back to when an update removes it from the template. */
const QUEUE_ATTRIBUTE_DEFAULTS: Record<string, string> = {
  DelaySeconds: '0',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  KmsMasterKeyId: '',
  RedrivePolicy: '',
};

/**
 * `AWS::SQS::Queue`: a queue of the backend. `Ref` is the URL. Attributes change in place; a new
 * name or FIFO-ness replaces the queue.
 */
export const sqsQueue: ResourceProvider = {
  async create(ctx, p) {
    const fifo = truthy(p.FifoQueue);
    let name = p.QueueName === undefined ? ctx.generatedName(fifo ? 75 : 80) : String(p.QueueName);
    if (fifo && !name.endsWith('.fifo')) name += '.fifo';
    if (!validQueueName(name)) throw ctx.fail(`InvalidParameterValue: ${QUEUE_NAME_RULES}, got '${name}'`);
    const out = await ctx.services.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: queueAttributes(p) }));
    const arn = `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}`;
    recordKey(ctx, arn, p.KmsMasterKeyId);
    return { ref: out.QueueUrl!, attributes: { Arn: arn, QueueName: name, QueueUrl: out.QueueUrl! } };
  },
  async update(ctx, p, old) {
    const o = old.properties;
    if ((p.QueueName !== undefined && p.QueueName !== o.QueueName) || truthy(p.FifoQueue) !== truthy(o.FifoQueue)) return REPLACE;
    const attributes = queueAttributes(p);
    for (const k of Object.keys(queueAttributes(o))) {
      if (!(k in attributes) && k in QUEUE_ATTRIBUTE_DEFAULTS) attributes[k] = QUEUE_ATTRIBUTE_DEFAULTS[k];
    }
    await ctx.services.sqs.send(new SetQueueAttributesCommand({ QueueUrl: old.resolved.ref, Attributes: attributes }));
    recordKey(ctx, String(old.resolved.attributes.Arn), p.KmsMasterKeyId);
    return old.resolved;
  },
  async delete(ctx, r) {
    await ctx.services.sqs.send(new DeleteQueueCommand({ QueueUrl: r.resolved.ref }));
    ctx.services.lambda.destinationKeys.delete(String(r.resolved.attributes.Arn));
  },
};
