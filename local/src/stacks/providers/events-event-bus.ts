import { REPLACE, ResourceProvider } from './resource-provider';

/** `AWS::Events::EventBus`: a bus of the local EventBridge. `Ref` is the name. */
export const eventsEventBus: ResourceProvider = {
  create(ctx, p) {
    const name = String(p.Name);
    ctx.services.events?.createBus(name);
    const arn = `arn:aws:events:${ctx.region}:${ctx.accountId}:event-bus/${name}`;
    return { ref: name, attributes: { Arn: arn, Name: name } };
  },
  // Description, policy: nothing modelled
  update: (_ctx, p, old) => p.Name === old.properties.Name ? old.resolved : REPLACE,
  delete(ctx, r) {
    ctx.services.events?.deleteBus(r.resolved.ref);
  },
};
