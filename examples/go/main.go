package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsevents"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-async-lambda/cdk-async-lambda-go/cdkasynclambda"
)

func NewAsyncLambdaExampleStack(scope constructs.Construct, id string, props *awscdk.StackProps) awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), props)
	code := awslambda.Code_FromInline(jsii.String("exports.handler = async (event) => ({ ok: true, echo: event });"))

	// a function together with its async config and destinations
	worker := cdkasynclambda.NewAsyncFunction(stack, jsii.String("Worker"), &cdkasynclambda.AsyncFunctionProps{
		Runtime:       awslambda.Runtime_NODEJS_22_X(),
		Handler:       jsii.String("index.handler"),
		Code:          code,
		RetryAttempts: jsii.Number(1),
		MaxEventAge:   awscdk.Duration_Minutes(jsii.Number(30)),
		OnSuccess:     cdkasynclambda.SuccessDestination_Queue(awssqs.NewQueue(stack, jsii.String("Results"), nil), nil),
		OnFailure:     cdkasynclambda.FailureDestination_Queue(nil, nil), // no queue: one is created for you
	})

	// a topic encrypted with a customer managed key: the grant covers the key too
	alerts := awssns.NewTopic(stack, jsii.String("Alerts"), &awssns.TopicProps{
		MasterKey: awskms.NewKey(stack, jsii.String("AlertsKey"), nil),
	})
	nextStep := cdkasynclambda.NewAsyncFunction(stack, jsii.String("NextStep"), &cdkasynclambda.AsyncFunctionProps{
		Runtime:   awslambda.Runtime_NODEJS_22_X(),
		Handler:   jsii.String("index.handler"),
		Code:      code,
		OnFailure: cdkasynclambda.FailureDestination_Topic(alerts),
	})

	// or configure an existing function, version or alias
	cdkasynclambda.NewAsyncInvocation(stack, jsii.String("LiveConfig"), &cdkasynclambda.AsyncInvocationProps{
		Function:      worker.Function().AddAlias(jsii.String("live"), nil),
		RetryAttempts: jsii.Number(0),
		// only the handler's response goes on, through a rule on this bus
		OnSuccess: cdkasynclambda.SuccessDestination_Function(nextStep.Function(), &cdkasynclambda.FunctionDestinationOptions{
			ResponseOnly: jsii.Bool(true),
			EventBus:     awsevents.NewEventBus(stack, jsii.String("Handoff"), nil),
		}),
		OnFailure: cdkasynclambda.FailureDestination_Bucket(awss3.NewBucket(stack, jsii.String("Archive"), nil)),
	})
	return stack
}

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	NewAsyncLambdaExampleStack(app, "AsyncLambdaExample", nil)
	app.Synth(nil)
}
