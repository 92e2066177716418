import { REPLACE, ResourceProvider } from './resource-provider';
import { TemplateResource } from '../../assembly/cloud-assembly';

/** The name an event source mapping of a non-SQS source is listed under (deployed as a placeholder). */
export const NON_SQS_EVENT_SOURCE_MAPPING = 'AWS::Lambda::EventSourceMapping (non-SQS source)';

/** An SQS queue ARN (the event sources the local cloud polls). */
const SQS_ARN_TEXT = /^arn:aws[a-z-]*:sqs:/;

/**
 * Whether a mapping's template `EventSourceArn` is an SQS queue: a `Fn::GetAtt` of an
 * `AWS::SQS::Queue` of the template, or a value naming the `sqs` service (an imported queue's ARN).
 */
function sqsEventSource(arn: unknown, resources: Record<string, TemplateResource>): boolean {
  const getAtt = (arn as any)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return resources[getAtt[0]]?.Type === 'AWS::SQS::Queue';
  if (typeof getAtt === 'string') return resources[getAtt.split('.')[0]]?.Type === 'AWS::SQS::Queue';
  return JSON.stringify(arn ?? '').includes(':sqs:');
}

/**
 * `AWS::Lambda::EventSourceMapping`: an SQS source is polled; any other source is a placeholder,
 * listed as `NON_SQS_EVENT_SOURCE_MAPPING`. Lambda updates a mapping in place; a new event source
 * replaces it.
 */
export const lambdaEventSourceMapping: ResourceProvider = {
  async create(ctx, p) {
    const mappings = ctx.services.eventSourceMappings;
    if (!mappings || !SQS_ARN_TEXT.test(String(p.EventSourceArn))) {
      ctx.log(`warning: event source mapping ${ctx.stackName}/${ctx.logicalId} from ${p.EventSourceArn} is not polled: only SQS sources are emulated`);
      return { ref: `local-unsupported-${ctx.logicalId}`, attributes: { EventSourceMappingArn: `local-unsupported-${ctx.logicalId}.EventSourceMappingArn` } };
    }
    const m = await mappings.create(p);
    const arn = `arn:aws:lambda:${ctx.region}:${ctx.accountId}:event-source-mapping:${m.UUID}`;
    return { ref: m.UUID, attributes: { Id: m.UUID, EventSourceMappingArn: arn } };
  },
  async update(ctx, p, old) {
    const mappings = ctx.services.eventSourceMappings;
    if ((p.EventSourceArn !== undefined && p.EventSourceArn !== old.properties.EventSourceArn) || !mappings
      || old.resolved.ref.startsWith('local-unsupported-') || !SQS_ARN_TEXT.test(String(p.EventSourceArn))) return REPLACE;
    await mappings.update(old.resolved.ref, p);
    return old.resolved;
  },
  async delete(ctx, r) {
    // its poller ends after the batch it is processing
    await ctx.services.eventSourceMappings?.delete(r.resolved.ref);
  },
  placeholder: (resource, resources) => sqsEventSource(resource.Properties?.EventSourceArn, resources) ? undefined : NON_SQS_EVENT_SOURCE_MAPPING,
};

