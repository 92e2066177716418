import { TargetInput } from './input';
import { CompiledPattern } from './pattern';

export interface RuleTarget extends TargetInput {
  readonly Id: string;
  readonly Arn: string;
}

export interface EventRule {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  /** the pattern as given (JSON text), undefined for a schedule-only rule */
  readonly eventPattern?: string;
  readonly scheduleExpression?: string;
  readonly pattern?: CompiledPattern;
  readonly state: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  readonly description?: string;
  readonly targets: RuleTarget[];
}

export interface EventBus {
  readonly name: string;
  readonly arn: string;
  readonly rules: Map<string, EventRule>;
}

/** One target delivery (observable through EventBridgeService.deliveries / `/_local/deliveries`). */
export interface EventDeliveryReport {
  readonly eventId: string;
  readonly rule: string;
  readonly target: string;
  readonly delivered: boolean;
  readonly reason?: string;
}

/** A PutEvents entry (API shape). */
export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Resources?: string[];
  readonly Time?: number | string | Date;
}

export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };
