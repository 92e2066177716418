import { DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteTopicCommand, SNSClient, UnsubscribeCommand } from '@aws-sdk/client-sns';
import { DeleteQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ResolvedResource } from './intrinsics';
import { deleteLogGroup } from './log-group-provider';
import { IamStore } from '../iam/iam-store';
import { EventBridgeService } from '../services/events/event-bridge';
import { EventSourceMappings } from '../services/lambda/event-source-mapping';
import { LambdaService } from '../services/lambda/lambda-service';
import { LogsService } from '../services/logs/service';
import { BucketSubresources } from '../services/s3/bucket-subresources';
import { StepFunctionsService } from '../services/stepfunctions';

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

/** What deleting resources needs. */
export interface DeletionContext {
  readonly region: string;
  readonly accountId: string;
  readonly iam: IamStore;
  readonly lambda: LambdaService;
  readonly events?: EventBridgeService;
  readonly stepFunctions?: StepFunctionsService;
  readonly eventSourceMappings?: EventSourceMappings;
  readonly bucketSubresources?: BucketSubresources;
  readonly logs?: LogsService;
  readonly sqs: SQSClient;
  readonly sns: SNSClient;
  readonly s3: S3Client;
  /** the custom resource protocol's Delete request (resolves when the provider answered SUCCESS) */
  readonly deleteCustomResource: (r: ResourceState) => Promise<void>;
}

/** CloudFormation keeps the physical resource when the policy says so. */
export function retained(policy: string | undefined): boolean {
  return policy === 'Retain' || policy === 'RetainExceptOnCreate';
}

/** True for `AWS::CloudFormation::CustomResource` and `Custom::*`. */
export function isCustomResourceType(type: string): boolean {
  return type === 'AWS::CloudFormation::CustomResource' || type.startsWith('Custom::');
}

/**
 * Deletes one deployed resource, as CloudFormation's delete handler for its type does. Throws the
 * service's error (a non-empty bucket, a provider that answered FAILED) for the caller to report
 * as DELETE_FAILED. Types the local cloud only accepts have nothing to delete.
 */
export async function deleteResource(ctx: DeletionContext, r: ResourceState): Promise<void> {
  const p = r.properties;
  const { region, accountId: account } = ctx;
  switch (r.type) {
    case 'AWS::SQS::Queue':
      await ctx.sqs.send(new DeleteQueueCommand({ QueueUrl: r.resolved.ref }));
      ctx.lambda.destinationKeys.delete(String(r.resolved.attributes.Arn));
      return;
    case 'AWS::SQS::QueuePolicy':
      for (const url of p.Queues ?? []) ctx.iam.deleteResourcePolicy(`arn:aws:sqs:${region}:${account}:${String(url).split('/').pop()}`);
      return;
    case 'AWS::SNS::Topic':
      await ctx.sns.send(new DeleteTopicCommand({ TopicArn: r.resolved.ref }));
      ctx.iam.deleteResourcePolicy(r.resolved.ref);
      ctx.lambda.destinationKeys.delete(r.resolved.ref);
      return;
    case 'AWS::SNS::TopicPolicy':
      for (const arn of p.Topics ?? []) ctx.iam.deleteResourcePolicy(String(arn));
      return;
    case 'AWS::SNS::Subscription':
      await ctx.sns.send(new UnsubscribeCommand({ SubscriptionArn: r.resolved.ref })).catch((e) => {
        if (e?.name !== 'NotFound' && e?.name !== 'NotFoundException') throw e;
      });
      return;
    case 'AWS::S3::Bucket':
      // fauxqs, like S3, refuses a bucket that still holds objects (BucketNotEmpty)
      await ctx.s3.send(new DeleteBucketCommand({ Bucket: r.resolved.ref }));
      ctx.bucketSubresources?.deleteBucket(r.resolved.ref);
      ctx.lambda.destinationKeys.delete(`arn:aws:s3:::${r.resolved.ref}`);
      return;
    case 'AWS::S3::BucketPolicy':
      ctx.iam.deleteResourcePolicy(`arn:aws:s3:::${p.Bucket}`);
      return;
    case 'AWS::IAM::Role':
      ctx.iam.deleteRole(r.resolved.ref);
      return;
    case 'AWS::IAM::Policy':
      for (const roleName of p.Roles ?? []) ctx.iam.role(String(roleName))?.inlinePolicies.delete(p.PolicyName);
      ctx.iam.changed();
      return;
    case 'AWS::IAM::ManagedPolicy':
      ctx.iam.deleteManagedPolicy(r.resolved.ref);
      return;
    case 'AWS::KMS::Key':
      ctx.iam.deleteResourcePolicy(String(r.resolved.attributes.Arn));
      return;
    case 'AWS::Events::EventBus':
      ctx.events?.deleteBus(r.resolved.ref);
      return;
    case 'AWS::Events::Rule': {
      const [bus, name] = r.resolved.ref.includes('|') ? r.resolved.ref.split('|') : ['default', r.resolved.ref];
      ctx.events?.deleteRule(name, bus);
      return;
    }
    case 'AWS::StepFunctions::StateMachine':
      ctx.stepFunctions?.deleteStateMachine(r.resolved.ref);
      return;
    case 'AWS::Lambda::Function':
      await ctx.lambda.remove(r.resolved.ref);
      return;
    case 'AWS::Lambda::Version':
      ctx.lambda.lookup(String(p.FunctionName)).fn?.versions.delete(String(r.resolved.attributes.Version));
      return;
    case 'AWS::Lambda::Alias':
      ctx.lambda.lookup(String(p.FunctionName)).fn?.aliases.delete(String(p.Name));
      return;
    case 'AWS::Lambda::Permission':
      ctx.lambda.permissions.remove(r.resolved.ref);
      return;
    case 'AWS::Lambda::EventSourceMapping':
      // its poller ends after the batch it is processing
      await ctx.eventSourceMappings?.delete(r.resolved.ref);
      return;
    case 'AWS::Logs::LogGroup':
      if (ctx.logs) deleteLogGroup(ctx.logs, r.resolved.ref);
      return;
    case 'AWS::Lambda::EventInvokeConfig':
      ctx.lambda.lookup(String(p.FunctionName)).fn?.eventInvokeConfigs.delete(String(p.Qualifier ?? '$LATEST'));
      return;
    default:
      if (isCustomResourceType(r.type)) await ctx.deleteCustomResource(r);
  }
}
