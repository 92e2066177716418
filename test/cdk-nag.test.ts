import { App, Aspects, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, NagSuppressions, ServerlessChecks } from 'cdk-nag';
import { AsyncFunction, AsyncInvocation, FailureDestination, FailureRedrive, SuccessDestination } from '../src';

/** A stack that uses every feature of the library, built as a careful user would. */
function everyFeature(): Stack {
  const app = new App();
  const stack = new Stack(app, 'EveryFeature');
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const functionDefaults = {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async (event) => event;'),
    memorySize: 512,
    timeout: Duration.seconds(10),
    tracing: lambda.Tracing.ACTIVE,
  };

  const next = new lambda.Function(stack, 'Next', functionDefaults);
  const bus = new events.EventBus(stack, 'Bus');
  const topic = new sns.Topic(stack, 'Topic', { masterKey: key, enforceSSL: true });
  const archive = new s3.Bucket(stack, 'Archive', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    removalPolicy: RemovalPolicy.DESTROY,
    autoDeleteObjects: false,
  });

  const worker = new AsyncFunction(stack, 'Worker', {
    ...functionDefaults,
    retryAttempts: 1,
    maxEventAge: Duration.minutes(30),
    onSuccess: SuccessDestination.topic(topic),
    onFailure: FailureDestination.queue(),
  });
  const other = new lambda.Function(stack, 'Other', functionDefaults);
  new AsyncInvocation(stack, 'OtherAsync', {
    function: other.addAlias('live'),
    onSuccess: SuccessDestination.function(next, { responseOnly: true, eventBus: bus }),
    onFailure: FailureDestination.bucket(archive),
  });
  new AsyncInvocation(stack, 'NextAsync', {
    function: next,
    retryAttempts: 0,
    onSuccess: SuccessDestination.eventBus(bus),
    onFailure: FailureDestination.function(other),
  });

  worker.addAlarms({ alarmAction: new actions.SnsAction(topic) });
  new FailureRedrive(stack, 'WorkerRedrive', { function: worker.function, queue: worker.failureQueue! });
  new FailureRedrive(stack, 'OtherRedrive', { function: other, bucket: archive });

  Aspects.of(app).add(new AwsSolutionsChecks());
  Aspects.of(app).add(new ServerlessChecks());

  // Findings on what the *user* built, not on what this library creates:
  NagSuppressions.addStackSuppressions(stack, [
    { id: 'AwsSolutions-IAM4', reason: 'AWSLambdaBasicExecutionRole is the managed policy lambda.Function attaches for CloudWatch Logs; not part of this library.' },
    { id: 'AwsSolutions-S1', reason: 'The archive bucket of this test stack receives Lambda failure records only; access logging is the user\'s choice.' },
    { id: 'Serverless-LambdaDLQ', reason: 'These functions are invoked asynchronously with an onFailure destination, which supersedes a function-level DLQ.' },
    {
      id: 'AwsSolutions-IAM5',
      reason: 'tracing: ACTIVE makes lambda.Function grant xray:PutTraceSegments/PutTelemetryRecords, which only support Resource *.',
      appliesTo: ['Resource::*'],
    },
    { id: 'AwsSolutions-L1', reason: 'NODEJS_22_X is pinned on purpose in this test stack.' },
    { id: 'Serverless-LambdaLatestVersion', reason: 'NODEJS_22_X is pinned on purpose in this test stack.' },
  ]);
  return stack;
}

describe('cdk-nag on a stack using every feature', () => {
  const stack = everyFeature();
  const annotations = Annotations.fromStack(stack);

  test.each(['AwsSolutions', 'Serverless'])('%s: no unsuppressed errors', pack => {
    const errors = annotations.findError('*', Match.stringLikeRegexp(`${pack}-.*`));
    expect(errors.map(e => `${e.id}: ${e.entry.data}`)).toEqual([]);
  });

  test.each(['AwsSolutions', 'Serverless'])('%s: no unsuppressed warnings', pack => {
    const warnings = annotations.findWarning('*', Match.stringLikeRegexp(`${pack}-.*`));
    expect(warnings.map(e => `${e.id}: ${e.entry.data}`)).toEqual([]);
  });

  test('every suppression carries a reason', () => {
    const template = Template.fromStack(stack).toJSON();
    const suppressions = [template.Metadata, ...Object.values(template.Resources).map((r: any) => r.Metadata)]
      .flatMap((m: any) => m?.cdk_nag?.rules_to_suppress ?? []);
    expect(suppressions.length).toBeGreaterThan(0);
    for (const s of suppressions) {
      expect(s.reason.length).toBeGreaterThan(20);
    }
  });
});
