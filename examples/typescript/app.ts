import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AsyncFunction, AsyncInvocation, FailureDestination, SuccessDestination } from 'cdk-async-lambda';

export class AsyncLambdaExampleStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const code = lambda.Code.fromInline('exports.handler = async (event) => ({ ok: true, echo: event });');

    // a function together with its async config and destinations
    const worker = new AsyncFunction(this, 'Worker', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code,
      retryAttempts: 1,
      maxEventAge: Duration.minutes(30),
      onSuccess: SuccessDestination.queue(new sqs.Queue(this, 'Results')),
      onFailure: FailureDestination.queue(), // no argument: a queue is created for you
    });

    // a topic encrypted with a customer managed key: the grant covers the key too
    const alerts = new sns.Topic(this, 'Alerts', { masterKey: new kms.Key(this, 'AlertsKey') });
    const nextStep = new AsyncFunction(this, 'NextStep', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code,
      onFailure: FailureDestination.topic(alerts),
    });

    // or configure an existing function, version or alias
    new AsyncInvocation(this, 'LiveConfig', {
      function: worker.function.addAlias('live'),
      retryAttempts: 0,
      // only the handler's response goes on, through a rule on this bus
      onSuccess: SuccessDestination.function(nextStep.function, {
        responseOnly: true,
        eventBus: new events.EventBus(this, 'Handoff'),
      }),
      onFailure: FailureDestination.bucket(new s3.Bucket(this, 'Archive')),
    });
  }
}

const app = new App();
new AsyncLambdaExampleStack(app, 'AsyncLambdaExample');
app.synth();
