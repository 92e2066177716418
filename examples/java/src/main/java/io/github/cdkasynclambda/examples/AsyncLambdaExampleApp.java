package io.github.cdkasynclambda.examples;

import io.github.cdkasynclambda.AsyncFunction;
import io.github.cdkasynclambda.AsyncInvocation;
import io.github.cdkasynclambda.FailureDestination;
import io.github.cdkasynclambda.FunctionDestinationOptions;
import io.github.cdkasynclambda.SuccessDestination;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

public class AsyncLambdaExampleApp {
    public static class AsyncLambdaExampleStack extends Stack {
        public AsyncLambdaExampleStack(final Construct scope, final String id, final StackProps props) {
            super(scope, id, props);
            Code code = Code.fromInline("exports.handler = async (event) => ({ ok: true, echo: event });");

            // a function together with its async config and destinations
            AsyncFunction worker = AsyncFunction.Builder.create(this, "Worker")
                    .runtime(Runtime.NODEJS_22_X)
                    .handler("index.handler")
                    .code(code)
                    .retryAttempts(1)
                    .maxEventAge(Duration.minutes(30))
                    .onSuccess(SuccessDestination.queue(new Queue(this, "Results")))
                    .onFailure(FailureDestination.queue()) // no argument: a queue is created for you
                    .build();

            // a topic encrypted with a customer managed key: the grant covers the key too
            Topic alerts = Topic.Builder.create(this, "Alerts")
                    .masterKey(new Key(this, "AlertsKey"))
                    .build();
            AsyncFunction nextStep = AsyncFunction.Builder.create(this, "NextStep")
                    .runtime(Runtime.NODEJS_22_X)
                    .handler("index.handler")
                    .code(code)
                    .onFailure(FailureDestination.topic(alerts))
                    .build();

            // or configure an existing function, version or alias
            AsyncInvocation.Builder.create(this, "LiveConfig")
                    .function(worker.getFunction().addAlias("live"))
                    .retryAttempts(0)
                    // only the handler's response goes on, through a rule on this bus
                    .onSuccess(SuccessDestination.function(nextStep.getFunction(), FunctionDestinationOptions.builder()
                            .responseOnly(true)
                            .eventBus(new EventBus(this, "Handoff"))
                            .build()))
                    .onFailure(FailureDestination.bucket(new Bucket(this, "Archive")))
                    .build();
        }
    }

    public static void main(final String[] args) {
        App app = new App();
        new AsyncLambdaExampleStack(app, "AsyncLambdaExample", null);
        app.synth();
    }
}
