import { randomBytes } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { TemplateResource } from '../../assembly/cloud-assembly';
import { ResolvedResource } from '../../assembly/intrinsics';
import { IamStore } from '../../iam/iam-store';
import { EventBridgeService } from '../../services/events/service';
import { EventSourceMappings } from '../../services/lambda/event-source-mapping';
import { LambdaService } from '../../services/lambda/service';
import { LogsService } from '../../services/logs/service';
import { BucketSubresources } from '../../services/s3/api';
import { SnsLambdaSubscriptions } from '../../services/sns/service';
import { SsmService } from '../../services/ssm/service';
import { StepFunctionsService } from '../../services/stepfunctions';
import { CustomResourceRequestOptions } from '../custom-resource-requests';
import { StackOperation } from '../deployment-error';

/** One resource as deployed: what it was created from and what it resolved to. */
export interface ResourceState {
  readonly logicalId: string;
  readonly type: string;
  /** resolved properties */
  readonly properties: Record<string, any>;
  readonly resolved: ResolvedResource;
  readonly deletionPolicy?: string;
  readonly updateReplacePolicy?: string;
  readonly timestamp: Date;
}

/** Where the file assets a template names (function code) are on this machine. */
export interface StackAssets {
  /** the directory whose `node_modules` ancestors handler processes resolve packages from */
  readonly projectDir: string;
  /**
   * The local path (a directory, or a file) of the asset stored at `key` (in `bucket`, when the
   * template names one); undefined when the caller does not know it.
   */
  path(key: string, bucket?: string): string | undefined;
}

/** The services and clients providers create resources in. */
export interface ProviderServices {
  readonly iam: IamStore;
  readonly lambda: LambdaService;
  /** deploy-time SDK clients of the local cloud's own endpoint */
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  /** `lambda` protocol SNS subscriptions; without it they are not delivered (a warning) */
  readonly snsLambda?: SnsLambdaSubscriptions;
  readonly events?: EventBridgeService;
  readonly stepFunctions?: StepFunctionsService;
  readonly bucketSubresources?: BucketSubresources;
  readonly eventSourceMappings?: EventSourceMappings;
  readonly logs?: LogsService;
  /** the Parameter Store (`AWS::SSM::Parameter`) */
  readonly ssm?: SsmService;
  /** the custom resource protocol; without it custom resources are placeholders */
  readonly customResources?: CustomResourceRequestOptions;
}

/** How functions are run (the local cloud's settings). */
export interface FunctionSettings {
  /** scratch directory for inline function code and sandboxes */
  readonly workDir: string;
  /** handler processes per function */
  readonly maxWorkersPerFunction: number;
  readonly handlerOutput: 'inherit' | 'ignore';
  /** notes a function deployed whose code cannot run here (invoking it fails at init) */
  unrunnable(functionName: string, logicalId: string, problem: string): void;
}

/** What a provider is given for one resource operation: no more than it needs. */
export interface ProviderContext {
  readonly accountId: string;
  readonly region: string;
  /** the front endpoint (queue URLs name it; handlers call it) */
  readonly endpoint: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly logicalId: string;
  readonly type: string;
  readonly operation: StackOperation;
  readonly services: ProviderServices;
  readonly functions: FunctionSettings;
  readonly assets: StackAssets;
  readonly log: (line: string) => void;
  /** the CREATE/UPDATE/DELETE_FAILED error of this resource, with AWS's message as `reason` */
  fail(reason: string): Error;
  /** a CloudFormation-style generated physical name, `<stack>-<logicalId>-<random>`, cut to `max` */
  generatedName(max: number, lower?: boolean): string;
}

/** `update`'s answer when the change needs a new physical resource. */
export const REPLACE = 'replace';

/** What `update` answers: the resource changed in place, or `REPLACE`. */
export type UpdateResult = ResolvedResource | typeof REPLACE;

/**
 * CloudFormation's handler of one resource type. Errors thrown are reported as the resource's
 * CREATE/UPDATE/DELETE_FAILED (use `ctx.fail(reason)` for AWS's wording; any other error is
 * reported as `Name: message`).
 */
export interface ResourceProvider {
  /** false for types the local cloud accepts without emulating them @default true */
  readonly emulated?: boolean;
  /** creates the resource: its `Ref` and `Fn::GetAtt` attributes */
  create(ctx: ProviderContext, properties: Record<string, any>): ResolvedResource | Promise<ResolvedResource>;
  /**
   * Changes a resource whose properties changed, in place (keeping or changing the physical id),
   * or answers `REPLACE` for a new physical resource (created with `create`; the engine deletes
   * the old one in the cleanup phase).
   * @default every change replaces the resource
   */
  update?(ctx: ProviderContext, properties: Record<string, any>, old: ResourceState): UpdateResult | Promise<UpdateResult>;
  /** deletes the resource; throws for DELETE_FAILED (a non-empty bucket) @default nothing to delete */
  delete?(ctx: ProviderContext, state: ResourceState): void | Promise<void>;
  /**
   * The name the resource is listed under when this template resource is deployed as a
   * placeholder (not emulated), or undefined when it is emulated.
   */
  placeholder?(resource: TemplateResource, resources: Record<string, TemplateResource>): string | undefined;
}

/** `<logicalId>-<random>`-style suffix: 12 upper-case letters and digits. */
export function suffix(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(12)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** A resource that is not emulated: every attribute reads as `local-unsupported-<id>.<name>`. */
export function placeholderResource(logicalId: string, ref = `local-unsupported-${logicalId}`): ResolvedResource {
  return { ref, attributes: new Proxy({}, { get: (_t, k) => `local-unsupported-${logicalId}.${String(k)}`, has: () => true }) };
}

/** A template's boolean (`true` or `"true"`). */
export function truthy(v: unknown): boolean {
  return v === true || v === 'true';
}

/** `Name: message` of a service error. */
export function describe(e: unknown): string {
  const err = e as Error;
  return err?.name && err.message !== undefined ? `${err.name}: ${err.message}` : String(e);
}

/** CloudFormation keeps the physical resource when the policy says so. */
export function retained(policy: string | undefined): boolean {
  return policy === 'Retain' || policy === 'RetainExceptOnCreate';
}

/** Remembers a destination's customer managed key (AWS managed keys, `alias/aws/*`, need no grant). */
export function recordKey(ctx: ProviderContext, destinationArn: string, keyId: unknown): void {
  if (typeof keyId !== 'string' || !keyId || keyId.startsWith('alias/aws/')) return;
  const keyArn = keyId.startsWith('arn:') ? keyId : `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${keyId}`;
  ctx.services.lambda.destinationKeys.set(destinationArn, keyArn);
}

/**
 * An attachment (a policy, a config) updated as CloudFormation does: the old one taken off, the
 * new one put on, same physical id.
 */
export async function reattach(provider: ResourceProvider, ctx: ProviderContext, p: Record<string, any>,
  old: ResourceState): Promise<ResolvedResource> {
  await provider.delete?.(ctx, old);
  const created = await provider.create(ctx, p);
  return { ...created, ref: old.resolved.ref };
}
