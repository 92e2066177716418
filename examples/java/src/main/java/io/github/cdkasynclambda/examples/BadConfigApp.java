package io.github.cdkasynclambda.examples;

import io.github.cdkasynclambda.AsyncFunction;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Runtime;

/** retryAttempts(3) is out of range (0 to 2): synth must fail naming the construct and the value. */
public class BadConfigApp {
    public static void main(final String[] args) {
        App app = new App();
        Stack stack = new Stack(app, "BadConfig");
        AsyncFunction.Builder.create(stack, "Worker")
                .runtime(Runtime.NODEJS_22_X)
                .handler("index.handler")
                .code(Code.fromInline("exports.handler = async () => ({});"))
                .retryAttempts(3)
                .build();
        app.synth();
    }
}
