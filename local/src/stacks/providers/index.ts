import { acceptedOnly, unsupported } from './accepted-only';
import { customResource, isCustomResourceType } from './custom-resource';
import { ecrRepository } from './ecr-repository';
import { eventsEventBus } from './events-event-bus';
import { eventsRule } from './events-rule';
import { iamManagedPolicy } from './iam-managed-policy';
import { iamPolicy } from './iam-policy';
import { iamRole } from './iam-role';
import { kmsKey } from './kms-key';
import { lambdaAlias } from './lambda-alias';
import { lambdaEventInvokeConfig } from './lambda-event-invoke-config';
import { lambdaEventSourceMapping } from './lambda-event-source-mapping';
import { lambdaFunction } from './lambda-function';
import { lambdaPermission } from './lambda-permission';
import { lambdaVersion } from './lambda-version';
import { logsLogGroup } from './logs-log-group';
import { ResourceProvider } from './resource-provider';
import { s3Bucket } from './s3-bucket';
import { s3BucketPolicy } from './s3-bucket-policy';
import { snsSubscription } from './sns-subscription';
import { snsTopic } from './sns-topic';
import { snsTopicPolicy } from './sns-topic-policy';
import { sqsQueue } from './sqs-queue';
import { sqsQueuePolicy } from './sqs-queue-policy';
import { ssmParameter } from './ssm-parameter';
import { stepFunctionsStateMachine } from './stepfunctions-state-machine';

export { NON_SQS_EVENT_SOURCE_MAPPING } from './lambda-event-source-mapping';
export { isCustomResourceType } from './custom-resource';

/**
 * The resource providers, by CloudFormation type: its keys ARE the supported types. Custom
 * resources (`Custom::*`) share the `AWS::CloudFormation::CustomResource` provider.
 */
export const PROVIDERS: Readonly<Record<string, ResourceProvider>> = {
  'AWS::SQS::Queue': sqsQueue,
  'AWS::SQS::QueuePolicy': sqsQueuePolicy,
  'AWS::SNS::Topic': snsTopic,
  'AWS::SNS::TopicPolicy': snsTopicPolicy,
  'AWS::SNS::Subscription': snsSubscription,
  'AWS::S3::Bucket': s3Bucket,
  'AWS::S3::BucketPolicy': s3BucketPolicy,
  'AWS::IAM::Role': iamRole,
  'AWS::IAM::Policy': iamPolicy,
  'AWS::IAM::ManagedPolicy': iamManagedPolicy,
  'AWS::Events::EventBus': eventsEventBus,
  'AWS::Events::Rule': eventsRule,
  'AWS::StepFunctions::StateMachine': stepFunctionsStateMachine,
  'AWS::CloudFormation::CustomResource': customResource,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Lambda::Version': lambdaVersion,
  'AWS::Lambda::Alias': lambdaAlias,
  'AWS::Lambda::EventInvokeConfig': lambdaEventInvokeConfig,
  'AWS::Lambda::Permission': lambdaPermission,
  // an SQS source only: other sources are placeholders named NON_SQS_EVENT_SOURCE_MAPPING
  'AWS::Lambda::EventSourceMapping': lambdaEventSourceMapping,
  'AWS::Logs::LogGroup': logsLogGroup,
  'AWS::KMS::Key': kmsKey,
  'AWS::SSM::Parameter': ssmParameter,
  // no images: the repository of the CDK bootstrap stack
  'AWS::ECR::Repository': ecrRepository,
  'AWS::CDK::Metadata': acceptedOnly,
  'AWS::KMS::Alias': acceptedOnly,
};

/** Resource types that are deployed and emulated (the registry's keys). */
export const SUPPORTED_TYPES: readonly string[] = Object.keys(PROVIDERS);

/** Deployed and emulated: a registered type or a custom resource (`Custom::*`). */
export function isSupportedType(type: string): boolean {
  return Object.prototype.hasOwnProperty.call(PROVIDERS, type) || isCustomResourceType(type);
}

/** The provider of a type: its registered one, the custom resource one, or the placeholder. */
export function providerOf(type: string): ResourceProvider {
  if (Object.prototype.hasOwnProperty.call(PROVIDERS, type)) return PROVIDERS[type];
  return isCustomResourceType(type) ? customResource : unsupported;
}
