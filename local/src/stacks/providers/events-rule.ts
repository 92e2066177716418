import { ResourceProvider } from './resource-provider';
import { RuleTarget } from '../../services/events/model';
import { InvalidEventPatternError } from '../../services/events/pattern';

/**
 * `AWS::Events::Rule`: a rule of the local EventBridge with its targets. `Ref` is the name on the
 * default bus, `<bus>|<name>` on another.
 */
export const eventsRule: ResourceProvider = {
  create(ctx, p) {
    const { events } = ctx.services;
    if (!events) throw ctx.fail('EventBridge is not available in this local cloud');
    const name: string = p.Name ?? ctx.generatedName(64);
    if (p.ScheduleExpression) ctx.log(`warning: rule ${name}: ScheduleExpression ${p.ScheduleExpression} never fires in the local cloud`);
    try {
      const rule = events.putRule({
        name,
        busName: p.EventBusName,
        eventPattern: p.EventPattern,
        scheduleExpression: p.ScheduleExpression,
        state: p.State,
        description: p.Description,
        targets: (p.Targets ?? []) as RuleTarget[],
      });
      return { ref: rule.busName === 'default' ? name : `${rule.busName}|${name}`, attributes: { Arn: rule.arn } };
    } catch (e) {
      if (e instanceof InvalidEventPatternError) throw ctx.fail(`${e.name}: ${e.message}`);
      throw e;
    }
  },
  delete(ctx, r) {
    const [bus, name] = r.resolved.ref.includes('|') ? r.resolved.ref.split('|') : ['default', r.resolved.ref];
    ctx.services.events?.deleteRule(name, bus);
  },
};
