import { WorkerPool } from './worker-pool';

/** AWS::Lambda::EventInvokeConfig, as deployed. */
export interface EventInvokeConfig {
  readonly qualifier: string;
  readonly maximumRetryAttempts?: number;
  readonly maximumEventAgeInSeconds?: number;
  readonly onSuccess?: string;
  readonly onFailure?: string;
  readonly lastModified: Date;
}

/** A deployed AWS::Lambda::Function. */
export interface LambdaFunction {
  readonly name: string;
  /** unqualified ARN */
  readonly arn: string;
  readonly roleArn: string;
  readonly runtime: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  readonly deadLetterTargetArn?: string;
  readonly reservedConcurrency?: number;
  /** `Terminate` (AWS's default): an event chain that loops is stopped after 16 invocations; `Allow`: never */
  readonly recursiveLoop?: 'Allow' | 'Terminate';
  readonly pool: WorkerPool;
  /** where its output goes (`LoggingConfig.LogGroup`) @default `/aws/lambda/<name>` */
  readonly logGroup?: string;
  /** `LoggingConfig.LogFormat` @default 'Text' */
  readonly logFormat?: 'Text' | 'JSON';
  readonly eventInvokeConfigs: Map<string, EventInvokeConfig>;
  /** published versions ("1", "2", …): all run the deployed code */
  readonly versions: Set<string>;
  /** alias name → version it points to */
  readonly aliases: Map<string, string>;
}

/** The version a qualifier runs ('$LATEST', a version, or the alias's version); undefined if none. */
export function executedVersion(fn: LambdaFunction, qualifier: string): string | undefined {
  if (qualifier === '$LATEST') return '$LATEST';
  if (fn.versions.has(qualifier)) return qualifier;
  return fn.aliases.get(qualifier);
}

/** Invocations of one chain of events after which Lambda stops a recursive loop (the 17th is dropped). */
export const MAX_RECURSIVE_INVOCATIONS = 16;

/** AWS's defaults for asynchronous invocation. */
export const DEFAULT_MAX_RETRY_ATTEMPTS = 2;
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 21600;

/** Whether an invocation after `hops` others of its chain is one Lambda stops as a recursive loop. */
export function stopsAsRecursiveLoop(fn: LambdaFunction, hops: number): boolean {
  return hops >= MAX_RECURSIVE_INVOCATIONS && fn.recursiveLoop !== 'Allow';
}

/** Why a delivery did or did not happen (observable through LocalCloud.deliveries). */
export interface DeliveryReport {
  readonly functionName: string;
  readonly requestId: string;
  readonly kind: 'OnSuccess' | 'OnFailure' | 'DeadLetter';
  readonly destination: string;
  readonly delivered: boolean;
  readonly reason?: string;
}

/** One invocation attempt of a function (sync, async, by a Step Functions task), once it ended. */
export interface InvocationReport {
  readonly functionName: string;
  /** `$LATEST`, a version or an alias */
  readonly qualifier: string;
  readonly requestId: string;
  /** the event, as JSON text */
  readonly payload: string;
  readonly ok: boolean;
  /** the invocation's log lines (console output as AWS formats it) */
  readonly log: string;
}
