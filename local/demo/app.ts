import { App, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AsyncFunction, FailureDestination, SuccessDestination } from '../../src';

/**
 * The demo app: one function whose asynchronous invocations are configured with this
 * repository's construct library: 2 retries, 1 hour maximum event age, records of successes and
 * failures in queues the library creates.
 */
export function buildDemoApp(app: App): Stack {
  const stack = new Stack(app, 'AsyncDemo', { env: { account: '000000000000', region: 'us-east-1' } });
  const orders = new AsyncFunction(stack, 'ProcessOrder', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline(`
exports.handler = async (event) => {
  if (!event.orderId) throw new Error('order without orderId: ' + JSON.stringify(event));
  return { processed: event.orderId, total: event.items.reduce((sum, i) => sum + i.price, 0) };
};`),
    retryAttempts: 2,
    maxEventAge: Duration.hours(1),
    onSuccess: SuccessDestination.queue(),
    onFailure: FailureDestination.queue(),
  });
  new CfnOutput(stack, 'FunctionName', { value: orders.function.functionName });
  new CfnOutput(stack, 'SuccessQueueUrl', { value: orders.successQueue!.queueUrl });
  new CfnOutput(stack, 'FailureQueueUrl', { value: orders.failureQueue!.queueUrl });
  return stack;
}

if (require.main === module) {
  const app = new App();
  buildDemoApp(app);
  app.synth();
}
