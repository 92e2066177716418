import { randomUUID } from 'node:crypto';
import { EventsApiError } from './errors';
import { targetInput } from './input';
import { EventBus, EventDeliveryReport, EventRule, PutEventsEntry, PutEventsResultEntry, RuleTarget } from './model';
import { compilePattern } from './pattern';
import { RecentList } from '../../util/recent-list';
import { FauxqsBackend, fauxqsQueueUrl } from '../backend/fauxqs';
import { DestinationDelivery, TopicPublisher } from '../lambda/destinations';
import { executedVersion } from '../lambda/model';
import { LambdaService } from '../lambda/service';

export interface EventBridgeOptions {
  readonly accountId: string;
  readonly region: string;
  readonly backend: FauxqsBackend;
  readonly lambda: LambdaService;
  readonly log: (line: string) => void;
  /** how SNS targets are published to (every subscriber gets them, lambda ones too) */
  readonly publishToTopic: TopicPublisher;
  /** how many target delivery reports are kept (the oldest go first) @default 1000 */
  readonly deliveriesKept?: number;
}

/** ISO time without milliseconds, as EventBridge writes `time`. */
function eventTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * EventBridge: buses (the account's default bus always exists), rules matched with the event-pattern
 * engine, and delivery to SQS, SNS and Lambda (asynchronous invoke) targets.
 */
export class EventBridgeService {
  public readonly buses = new Map<string, EventBus>();
  private readonly deliveryLog: RecentList<EventDeliveryReport>;

  constructor(private readonly o: EventBridgeOptions) {
    this.deliveryLog = new RecentList(o.deliveriesKept ?? 1000);
    this.createBus('default');
  }

  /** The latest target deliveries (delivered or not), oldest first; at most `deliveriesKept`. */
  public get deliveries(): readonly EventDeliveryReport[] {
    return this.deliveryLog.items;
  }

  /** How many target deliveries were reported in all (kept or not). */
  public get deliveriesTotal(): number {
    return this.deliveryLog.total;
  }

  public busArn(name: string): string {
    return `arn:aws:events:${this.o.region}:${this.o.accountId}:event-bus/${name}`;
  }

  public createBus(name: string): EventBus {
    if (this.buses.has(name)) throw new EventsApiError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    const bus: EventBus = { name, arn: this.busArn(name), rules: new Map() };
    this.buses.set(name, bus);
    return bus;
  }

  /** A bus by name or ARN (undefined name: the default bus). */
  public bus(nameOrArn: string | undefined): EventBus | undefined {
    const name = !nameOrArn ? 'default' : nameOrArn.startsWith('arn:') ? nameOrArn.split(':event-bus/')[1] : nameOrArn;
    return name === undefined ? undefined : this.buses.get(name);
  }

  public requireBus(nameOrArn: string | undefined): EventBus {
    const bus = this.bus(nameOrArn);
    if (!bus) throw new EventsApiError('ResourceNotFoundException', `Event bus ${nameOrArn} does not exist.`);
    return bus;
  }

  /** Creates a rule (PutRule / AWS::Events::Rule). The pattern is validated as AWS does. */
  public putRule(input: {
    name: string; busName?: string; eventPattern?: unknown; scheduleExpression?: string; state?: string; description?: string; targets?: RuleTarget[];
  }): EventRule {
    const bus = this.requireBus(input.busName);
    const text = input.eventPattern === undefined ? undefined
      : typeof input.eventPattern === 'string' ? input.eventPattern : JSON.stringify(input.eventPattern);
    if (text === undefined && !input.scheduleExpression) {
      throw new EventsApiError('ValidationException', 'Parameter(s) EventPattern or ScheduleExpression must be specified.');
    }
    const pattern = text === undefined ? undefined : compilePattern(text);
    const state = (input.state ?? 'ENABLED') as EventRule['state'];
    const arn = bus.name === 'default'
      ? `arn:aws:events:${this.o.region}:${this.o.accountId}:rule/${input.name}`
      : `arn:aws:events:${this.o.region}:${this.o.accountId}:rule/${bus.name}/${input.name}`;
    const rule: EventRule = {
      name: input.name,
      arn,
      busName: bus.name,
      eventPattern: text,
      scheduleExpression: input.scheduleExpression,
      pattern,
      state,
      description: input.description,
      targets: [...(input.targets ?? [])],
    };
    bus.rules.set(rule.name, rule);
    return rule;
  }

  /** DeleteRule (with its targets). */
  public deleteRule(name: string, busName?: string): void {
    this.bus(busName)?.rules.delete(name);
  }

  /** DeleteEventBus: the default bus cannot be deleted; a bus with rules cannot either. */
  public deleteBus(name: string): void {
    const bus = this.buses.get(name);
    if (!bus) return;
    if (name === 'default') throw new EventsApiError('ValidationException', 'Cannot delete event bus default.');
    if (bus.rules.size > 0) {
      throw new EventsApiError('ValidationException', `Cannot delete event bus ${name}: it still has rules (${[...bus.rules.keys()].join(', ')}).`);
    }
    this.buses.delete(name);
  }

  public rule(name: string, busName?: string): EventRule {
    const bus = this.requireBus(busName);
    const rule = bus.rules.get(name);
    if (!rule) throw new EventsApiError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus.name}.`);
    return rule;
  }

  /** PutEvents: validates each entry, then matches it against the bus's enabled rules and delivers. */
  public async putEvents(entries: PutEventsEntry[]): Promise<PutEventsResultEntry[]> {
    return Promise.all(entries.map(async (e) => {
      const error = (ErrorCode: string, ErrorMessage: string) => ({ ErrorCode, ErrorMessage });
      if (!e.Source) return error('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.');
      if (!e.DetailType) return error('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.');
      if (!e.Detail) return error('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.');
      let detail: unknown;
      try {
        detail = JSON.parse(e.Detail);
      } catch {
        return error('MalformedDetail', 'Detail is malformed.');
      }
      if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) return error('MalformedDetail', 'Detail is malformed.');
      const bus = this.bus(e.EventBusName);
      if (!bus) return error('ResourceNotFoundException', `Event bus ${e.EventBusName} does not exist.`);
      const time = e.Time === undefined ? new Date() : new Date(typeof e.Time === 'number' ? e.Time * 1000 : e.Time);
      const event = this.envelope(e.DetailType, e.Source, time, e.Resources ?? [], detail);
      await this.dispatch(bus, event);
      return { EventId: event.id as string };
    }));
  }

  /** A Lambda destination record put on a bus (the destination type registered for `events` ARNs). */
  public async deliverLambdaRecord(d: DestinationDelivery): Promise<void> {
    const bus = this.bus(d.destination);
    if (!bus) throw new Error(`event bus ${d.destination} does not exist`);
    const detailType = `Lambda Function Invocation Result - ${d.kind === 'OnSuccess' ? 'Success' : 'Failure'}`;
    const event = this.envelope(detailType, 'lambda', new Date(), [bus.arn, d.functionArn], JSON.parse(d.record));
    await this.dispatch(bus, event);
  }

  private envelope(detailType: string, source: string, time: Date, resources: string[], detail: unknown): Record<string, unknown> {
    return {
      'version': '0',
      'id': randomUUID(),
      'detail-type': detailType,
      'source': source,
      'account': this.o.accountId,
      'time': eventTime(time),
      'region': this.o.region,
      'resources': resources,
      'detail': detail,
    };
  }

  private async dispatch(bus: EventBus, event: Record<string, unknown>): Promise<void> {
    const ingestionTime = new Date().toISOString();
    const work: Promise<void>[] = [];
    for (const rule of bus.rules.values()) {
      if (rule.state === 'DISABLED' || !rule.pattern || !rule.pattern.matches(event)) continue;
      for (const target of rule.targets) work.push(this.deliver(rule, target, event, ingestionTime));
    }
    await Promise.all(work);
  }

  private async deliver(rule: EventRule, target: RuleTarget, event: Record<string, unknown>, ingestionTime: string): Promise<void> {
    const report = { eventId: event.id as string, rule: rule.arn, target: target.Arn };
    try {
      const input = targetInput(target, event, { ruleName: rule.name, ruleArn: rule.arn, ingestionTime });
      if (input === undefined) throw new Error(`the target's InputPath ${target.InputPath} selects nothing in the event`);
      await this.send(target.Arn, input);
      this.deliveryLog.push({ ...report, delivered: true });
    } catch (e) {
      const reason = (e as Error).message;
      this.o.log(`EventBridge delivery of event ${report.eventId} by rule ${rule.name} to ${target.Arn} failed: ${reason}`);
      this.deliveryLog.push({ ...report, delivered: false, reason });
    }
  }

  private async send(arn: string, body: string): Promise<void> {
    const [, , service, region, , ...rest] = arn.split(':');
    const resource = rest.join(':');
    switch (service) {
      case 'sqs':
        return this.o.backend.sqsSendMessage(fauxqsQueueUrl(region, resource), body);
      case 'sns':
        await this.o.publishToTopic(arn, body);
        return;
      case 'lambda': {
        const { fn, qualifier } = this.o.lambda.lookup(resource.replace(/^function:/, ''));
        if (!fn || !executedVersion(fn, qualifier ?? '$LATEST')) throw new Error(`target function ${arn} does not exist`);
        this.o.lambda.invokeAsync(fn, qualifier, body);
        return;
      }
      default:
        throw new Error(`${service} targets are not supported by the local cloud`);
    }
  }
}
