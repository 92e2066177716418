import { DestinationHandler, DestinationKind } from './destination';

/**
 * An EventBridge event bus: the record becomes the detail of an event. The bus is another emulated
 * service, which registers its handler (`LambdaService.registerDestination('events', …)`); until
 * then the destination is not supported.
 */
export function eventBridgeDestination(account: { region: string; accountId: string },
  handler: () => DestinationHandler | undefined): DestinationKind {
  return {
    service: 'events',
    requiredPermissions: (destination) => [{ action: 'events:PutEvents', resource: destination, policyResource: destination }],
    send: (out) => registeredSend(account, 'events', handler(), out),
  };
}

/** Sends through a handler another service registered for the ARN's service. */
export async function registeredSend(account: { region: string; accountId: string }, service: string,
  deliver: DestinationHandler | undefined, out: Parameters<DestinationKind['send']>[0]): Promise<void> {
  if (!deliver || out.kind === 'DeadLetter') throw new Error(`destination ${out.destination}: ${service} destinations are not supported by the local cloud`);
  await deliver({
    destination: out.destination,
    record: out.body,
    kind: out.kind,
    functionArn: `${out.fn.arn}:${out.qualifier}`,
    region: account.region,
    accountId: account.accountId,
  });
}
