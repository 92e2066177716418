import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AsyncChain, AsyncInvocation, FailureDestination, FailureRedrive, SuccessDestination } from '../src';
import { newFunction } from './helpers';
import { dependencyGraph, expectNoDependencyCycle, findCycle, stackGraph } from './template-graph';

/** Builds one wiring in a fresh app; the first stack is 'Stack'. */
type Wiring = (app: App, stack: Stack) => void;

const wire = (scope: Stack, id: string, fn: lambda.IFunction, props: Omit<ConstructorParameters<typeof AsyncInvocation>[2], 'function'>) =>
  new AsyncInvocation(scope, id, { function: fn, ...props });

/** Every accepted wiring of function destinations, including the loops that only warn. */
const accepted: Array<[string, Wiring]> = [
  ['a chain A → B → C', (_app, s) => {
    const [a, b, c] = ['A', 'B', 'C'].map(id => newFunction(s, id));
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(b), onFailure: FailureDestination.queue() });
    wire(s, 'AsyncB', b, { onSuccess: SuccessDestination.function(c), onFailure: FailureDestination.queue() });
  }],
  ['A → B on success, B → A on failure (warned loop)', (_app, s) => {
    const [a, b] = ['A', 'B'].map(id => newFunction(s, id));
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(b) });
    wire(s, 'AsyncB', b, { onFailure: FailureDestination.function(a) });
  }],
  ['A ⇄ B on failure', (_app, s) => {
    const [a, b] = ['A', 'B'].map(id => newFunction(s, id));
    wire(s, 'AsyncA', a, { onFailure: FailureDestination.function(b) });
    wire(s, 'AsyncB', b, { onFailure: FailureDestination.function(a) });
  }],
  ['A → B → C → A with one failure edge', (_app, s) => {
    const [a, b, c] = ['A', 'B', 'C'].map(id => newFunction(s, id));
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(b) });
    wire(s, 'AsyncB', b, { onSuccess: SuccessDestination.function(c) });
    wire(s, 'AsyncC', c, { onFailure: FailureDestination.function(a) });
  }],
  ['A → B both outcomes, B → A on failure', (_app, s) => {
    const [a, b] = ['A', 'B'].map(id => newFunction(s, id));
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(b), onFailure: FailureDestination.function(b) });
    wire(s, 'AsyncB', b, { onFailure: FailureDestination.function(a) });
  }],
  ['through aliases: A:live → B:live on success, B:live → A:live on failure', (_app, s) => {
    const [a, b] = ['A', 'B'].map(id => newFunction(s, id).addAlias('live'));
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(b) });
    wire(s, 'AsyncB', b, { onFailure: FailureDestination.function(a) });
  }],
  ['through versions', (_app, s) => {
    const [a, b] = ['A', 'B'].map(id => newFunction(s, id));
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(b.currentVersion) });
    wire(s, 'AsyncB', b, { onFailure: FailureDestination.function(a) });
  }],
  ['responseOnly on one side', (_app, s) => {
    const [a, b] = ['A', 'B'].map(id => newFunction(s, id));
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(b, { responseOnly: true }) });
    wire(s, 'AsyncB', b, { onFailure: FailureDestination.function(a) });
  }],
  ['responseOnly on both sides', (_app, s) => {
    const [a, b] = ['A', 'B'].map(id => newFunction(s, id));
    wire(s, 'AsyncA', a, { onFailure: FailureDestination.function(b, { responseOnly: true }) });
    wire(s, 'AsyncB', b, { onFailure: FailureDestination.function(a, { responseOnly: true }) });
  }],
  ['named functions reached through imports by name', (_app, s) => {
    const a = new lambda.Function(s, 'A', { ...fnProps, functionName: 'a' });
    const b = new lambda.Function(s, 'B', { ...fnProps, functionName: 'b' });
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(lambda.Function.fromFunctionName(s, 'ImportB', 'b')) });
    wire(s, 'AsyncB', b, { onFailure: FailureDestination.function(lambda.Function.fromFunctionName(s, 'ImportA', 'a')) });
  }],
  ['a loop plus S3 and queue destinations', (_app, s) => {
    const [a, b] = ['A', 'B'].map(id => newFunction(s, id));
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(b), onFailure: FailureDestination.bucket(new s3.Bucket(s, 'Archive')) });
    wire(s, 'AsyncB', b, { onSuccess: SuccessDestination.queue(), onFailure: FailureDestination.function(a) });
  }],
  ['A → B with aws-cdk-lib configuring B to a queue', (_app, s) => {
    const [a, b] = ['A', 'B'].map(id => newFunction(s, id));
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(b) });
    b.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(new sqs.Queue(s, 'Q')) });
  }],
  ['aws-cdk-lib\'s LambdaDestination B → A first, then A → B with this library (warned loop)', (_app, s) => {
    const [a, b] = ['A', 'B'].map(id => newFunction(s, id));
    b.configureAsyncInvoke({ onFailure: new destinations.LambdaDestination(a) });
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(b) });
  }],
  ['across stacks: A (Stack) → B (Other), B → C (Other)', (app, s) => {
    const other = new Stack(app, 'Other');
    const a = newFunction(s, 'A');
    const [b, c] = ['B', 'C'].map(id => newFunction(other, id));
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(b) });
    wire(other, 'AsyncB', b, { onFailure: FailureDestination.function(c) });
  }],
  ['across stacks, config in the destination\'s stack', (app, s) => {
    const other = new Stack(app, 'Other');
    const a = newFunction(s, 'A');
    const b = newFunction(other, 'B');
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(b, { responseOnly: true }), onFailure: FailureDestination.queue() });
  }],
  ['across stacks with imports by name closing a loop', (app, s) => {
    const other = new Stack(app, 'Other');
    const a = new lambda.Function(s, 'A', { ...fnProps, functionName: 'a' });
    const b = new lambda.Function(other, 'B', { ...fnProps, functionName: 'b' });
    wire(s, 'AsyncA', a, { onSuccess: SuccessDestination.function(lambda.Function.fromFunctionName(s, 'ImportB', 'b')) });
    wire(other, 'AsyncB', b, { onFailure: FailureDestination.function(lambda.Function.fromFunctionName(other, 'ImportA', 'a')) });
  }],
  ['an AsyncChain of three steps, one through an alias, with alarms on each step', (_app, s) => {
    const [a, b, c] = ['A', 'B', 'C'].map(id => newFunction(s, id));
    const chain = new AsyncChain(s, 'Chain', {
      steps: [{ function: a }, { function: b.addAlias('live') }, { function: c }],
      onSuccess: SuccessDestination.queue(),
    });
    chain.steps.forEach(step => step.addAlarms({ failureQueue: chain.failureQueue }));
  }],
  ['a FailureRedrive of a function whose failure destination is another function with its own redrive', (_app, s) => {
    const [a, b] = ['A', 'B'].map(id => newFunction(s, id));
    const bucket = new s3.Bucket(s, 'Archive');
    const asyncA = wire(s, 'AsyncA', a, { onFailure: FailureDestination.queue() });
    wire(s, 'AsyncB', b, { onSuccess: SuccessDestination.function(a), onFailure: FailureDestination.bucket(bucket) });
    new FailureRedrive(s, 'RedriveA', { function: a, queue: asyncA.failureQueue! });
    new FailureRedrive(s, 'RedriveB', { function: b, bucket });
  }],
];

const fnProps = {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async (event) => event;'),
};

describe('dependency cycles', () => {
  test.each(accepted)('%s synthesizes without a dependency cycle, in each stack and between stacks', (_name, build) => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack');

    // WHEN
    build(app, stack);

    // THEN
    expect(() => expectNoDependencyCycle(app)).not.toThrow();
  });

  test('the loop that used to break the template: B\'s grant on A goes to a policy of its own, and B\'s config waits for it', () => {
    // GIVEN
    const app = new App();
    const stack = new Stack(app, 'Stack');
    const [a, b] = ['A', 'B'].map(id => newFunction(stack, id));

    // WHEN
    wire(stack, 'AsyncA', a, { onSuccess: SuccessDestination.function(b) });
    const asyncB = wire(stack, 'AsyncB', b, { onFailure: FailureDestination.function(a) });

    // THEN
    const template = app.synth().getStackByName('Stack').template;
    const policyId = stack.getLogicalId(asyncB.node.findChild('FailureFunctionPolicy').node.defaultChild as any);
    expect(template.Resources[policyId].Properties).toMatchObject({
      PolicyDocument: { Statement: [{ Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: stack.resolve(a.functionArn) }] },
      Roles: [stack.resolve(b.role!.roleName)],
    });
    const configId = stack.getLogicalId(asyncB.node.defaultChild as any);
    expect(template.Resources[configId].DependsOn).toContain(policyId);
  });

  describe('the helper finds cycles', () => {
    test('a known-cyclic template, through Ref, GetAtt, Sub and DependsOn', () => {
      // GIVEN
      const template = {
        Parameters: { P: { Type: 'String' } },
        Resources: {
          A: { Type: 'X', Properties: { Name: { Ref: 'B' }, Other: { Ref: 'P' }, Region: { Ref: 'AWS::Region' } } },
          B: { Type: 'X', Properties: { Arn: { 'Fn::GetAtt': ['C', 'Arn'] } } },
          C: { Type: 'X', Properties: { Text: { 'Fn::Sub': '${D.Arn} and ${!Literal} in ${AWS::Region}' } } },
          D: { Type: 'X', Properties: { Text: { 'Fn::Sub': ['${X}', { X: { Ref: 'E' } }] } } },
          E: { Type: 'X', DependsOn: ['A'] },
        },
      };

      // WHEN
      const cycle = findCycle(dependencyGraph(template));

      // THEN
      expect(cycle).toEqual(['A', 'B', 'C', 'D', 'E', 'A']);
    });

    test('an acyclic template has none; parameters, pseudo parameters and ${!Literal} are not edges', () => {
      // GIVEN
      const template = {
        Resources: {
          A: { Type: 'X', Properties: { Text: { 'Fn::Sub': '${!A} ${AWS::AccountId} ${B}' } } },
          B: { Type: 'X', Properties: { Name: { 'Fn::GetAtt': 'C.Arn' } } },
          C: { Type: 'X' },
        },
      };

      // WHEN / THEN
      expect(findCycle(dependencyGraph(template))).toBeUndefined();
    });

    test('the mutual grants aws-cdk-lib makes for A ⇄ B are a cycle', () => {
      // GIVEN
      const app = new App();
      const stack = new Stack(app, 'Stack');
      const [a, b] = ['A', 'B'].map(id => newFunction(stack, id));

      // WHEN
      a.grantInvoke(b);
      b.grantInvoke(a);

      // THEN
      expect(() => expectNoDependencyCycle(app)).toThrow(/dependency cycle in Stack: /);
    });

    test('stacks that import each other\'s exports are a cycle', () => {
      // GIVEN
      const app = new App();
      const one = new Stack(app, 'One');
      const two = new Stack(app, 'Two');
      const q1 = new sqs.Queue(one, 'Q');
      const q2 = new sqs.Queue(two, 'Q');

      // WHEN
      new sqs.CfnQueuePolicy(two, 'P', { queues: [q2.queueUrl], policyDocument: { Statement: [{ Resource: q1.queueArn }] } });
      // a raw import the other way, as a cross-stack reference cycle would give
      new sqs.CfnQueuePolicy(one, 'P', { queues: [q1.queueUrl], policyDocument: { Statement: [{ Resource: { 'Fn::ImportValue': 'TwoExport' } }] } });
      new CfnOutput(two, 'Out', { value: q2.queueArn, exportName: 'TwoExport' });

      // THEN
      expect(findCycle(stackGraph(app))).toEqual(expect.arrayContaining(['One', 'Two']));
    });
  });
});
