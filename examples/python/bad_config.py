# retry_attempts=3 is out of range (0 to 2): synth must fail naming the construct and the value
from aws_cdk import App, Stack, aws_lambda as lambda_
from cdk_async_lambda import AsyncFunction

app = App()
stack = Stack(app, "BadConfig")
AsyncFunction(stack, "Worker",
    runtime=lambda_.Runtime.NODEJS_22_X,
    handler="index.handler",
    code=lambda_.Code.from_inline("exports.handler = async () => ({});"),
    retry_attempts=3,
)
app.synth()
