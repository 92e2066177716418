// RetryAttempts 3 is out of range (0 to 2): synth must fail naming the construct and the value.
package main

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdk-async-lambda/cdk-async-lambda-go/cdkasynclambda"
)

func main() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("BadConfig"), nil)
	cdkasynclambda.NewAsyncFunction(stack, jsii.String("Worker"), &cdkasynclambda.AsyncFunctionProps{
		Runtime:       awslambda.Runtime_NODEJS_22_X(),
		Handler:       jsii.String("index.handler"),
		Code:          awslambda.Code_FromInline(jsii.String("exports.handler = async () => ({});")),
		RetryAttempts: jsii.Number(3),
	})
	app.Synth(nil)
}
