from aws_cdk import (
    App,
    Duration,
    Stack,
    aws_events as events,
    aws_kms as kms,
    aws_lambda as lambda_,
    aws_s3 as s3,
    aws_sns as sns,
    aws_sqs as sqs,
)
from cdk_async_lambda import (
    AsyncFunction,
    AsyncInvocation,
    FailureDestination,
    SuccessDestination,
)
from constructs import Construct


class AsyncLambdaExampleStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:
        super().__init__(scope, construct_id, **kwargs)
        code = lambda_.Code.from_inline("exports.handler = async (event) => ({ ok: true, echo: event });")

        # a function together with its async config and destinations
        worker = AsyncFunction(self, "Worker",
            runtime=lambda_.Runtime.NODEJS_22_X,
            handler="index.handler",
            code=code,
            retry_attempts=1,
            max_event_age=Duration.minutes(30),
            on_success=SuccessDestination.queue(sqs.Queue(self, "Results")),
            on_failure=FailureDestination.queue(),  # no argument: a queue is created for you
        )

        # a topic encrypted with a customer managed key: the grant covers the key too
        alerts = sns.Topic(self, "Alerts", master_key=kms.Key(self, "AlertsKey"))
        next_step = AsyncFunction(self, "NextStep",
            runtime=lambda_.Runtime.NODEJS_22_X,
            handler="index.handler",
            code=code,
            on_failure=FailureDestination.topic(alerts),
        )

        # or configure an existing function, version or alias
        AsyncInvocation(self, "LiveConfig",
            function=worker.function.add_alias("live"),
            retry_attempts=0,
            # only the handler's response goes on, through a rule on this bus
            on_success=SuccessDestination.function(next_step.function,
                response_only=True,
                event_bus=events.EventBus(self, "Handoff"),
            ),
            on_failure=FailureDestination.bucket(s3.Bucket(self, "Archive")),
        )


app = App()
AsyncLambdaExampleStack(app, "AsyncLambdaExample")
app.synth()
