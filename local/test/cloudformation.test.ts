import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DescribeStackResourcesCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { Aws, CfnCondition, CfnOutput, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AssemblyError, LocalCloud } from '../src';
import { Clients, clients, physicalIds, synth } from './helpers';

let cloud: LocalCloud;
let c: Clients;
const logs: string[] = [];
const assetDir = path.join(__dirname, 'fixtures', 'echo-env');

beforeAll(async () => {
  const assembly = synth((app) => {
    const env = { account: '000000000000', region: 'us-east-1' };
    const producer = new Stack(app, 'Producer', { env });
    const queue = new sqs.Queue(producer, 'Shared', { queueName: 'shared-queue' });
    new CfnOutput(producer, 'SharedArn', { value: queue.queueArn, exportName: 'SharedQueueArn' });
    new CfnOutput(producer, 'SharedUrl', { value: queue.queueUrl });
    new CfnResource(producer, 'Table', { type: 'AWS::DynamoDB::Table', properties: { TableName: 'not-emulated' } });
    new lambda.Function(producer, 'Python', {
      functionName: 'python-fn', runtime: lambda.Runtime.PYTHON_3_12, handler: 'index.handler', code: lambda.Code.fromInline('def handler(e, c): return 1'),
    });

    const consumer = new Stack(app, 'Consumer', { env });
    consumer.addDependency(producer);
    const stage = new CfnParameter(consumer, 'Stage', { default: 'test' });
    const isUsEast1 = new CfnCondition(consumer, 'IsUsEast1', { expression: Fn.conditionEquals(Aws.REGION, 'us-east-1') });
    const never = new CfnCondition(consumer, 'Never', { expression: Fn.conditionEquals(stage.valueAsString, 'prod') });
    const fn = new lambda.Function(consumer, 'Echo', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'main.handler',
      code: lambda.Code.fromAsset(assetDir), // an asset directory from the assembly's asset manifest
      environment: {
        IMPORTED: Fn.importValue('SharedQueueArn'),
        SUBBED: Fn.sub('${AWS::AccountId}/${AWS::Region}/${Stage}/${AWS::StackName}', { Stage: stage.valueAsString }),
        SELECTED: Fn.select(1, Fn.split(':', Fn.importValue('SharedQueueArn'))),
        CONDITIONAL: Fn.conditionIf(isUsEast1.logicalId, 'in-us-east-1', 'elsewhere').toString(),
        JOINED: Fn.join('|', ['a', Aws.PARTITION, Aws.URL_SUFFIX]),
      },
    });
    const skipped = new sqs.Queue(consumer, 'OnlyInProd');
    (skipped.node.defaultChild as sqs.CfnQueue).cfnOptions.condition = never;
    new CfnOutput(consumer, 'FunctionName', { value: fn.functionName });
  });
  cloud = await LocalCloud.start({ assembly, port: 0, timeScale: 0.001, log: (l) => logs.push(l), handlerOutput: 'ignore' });
  c = clients(cloud.endpoint);
}, 60_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
});

test('every stack is deployed, in dependency order, with its outputs', async () => {
  const out = await c.cfn.send(new DescribeStacksCommand({}));
  expect(out.Stacks!.map((s) => s.StackName)).toEqual(['Producer', 'Consumer']);
  const producer = out.Stacks![0];
  expect(producer.StackStatus).toBe('CREATE_COMPLETE');
  expect(producer.StackId).toMatch(/^arn:aws:cloudformation:us-east-1:000000000000:stack\/Producer\//);
  const outputs = Object.fromEntries(producer.Outputs!.map((o) => [o.OutputKey, o]));
  expect(outputs.SharedArn.OutputValue).toBe('arn:aws:sqs:us-east-1:000000000000:shared-queue');
  expect(outputs.SharedArn.ExportName).toBe('SharedQueueArn');
  // the queue URL output is usable by the SQS client
  const attrs = await c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: outputs.SharedUrl.OutputValue, AttributeNames: ['QueueArn'] }));
  expect(attrs.Attributes!.QueueArn).toBe('arn:aws:sqs:us-east-1:000000000000:shared-queue');
});

test('intrinsics: ImportValue across stacks, Sub, Select/Split, If/Conditions, Join, pseudo parameters, parameter defaults', async () => {
  const stack = await c.cfn.send(new DescribeStacksCommand({ StackName: 'Consumer' }));
  const name = stack.Stacks![0].Outputs!.find((o) => o.OutputKey === 'FunctionName')!.OutputValue!;
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') }));
  expect(out.FunctionError).toBeUndefined();
  expect(JSON.parse(Buffer.from(out.Payload!).toString())).toEqual({
    IMPORTED: 'arn:aws:sqs:us-east-1:000000000000:shared-queue',
    SUBBED: '000000000000/us-east-1/test/Consumer',
    SELECTED: 'aws',
    CONDITIONAL: 'in-us-east-1',
    JOINED: 'a|aws|amazonaws.com',
    HAS_ENDPOINT: cloud.endpoint,
    REGION: 'us-east-1',
  });
});

test('a resource whose condition is false is not created', async () => {
  const ids = await physicalIds(c, 'Consumer');
  expect(Object.keys(ids).some((k) => k.startsWith('OnlyInProd'))).toBe(false);
  expect(Object.keys(ids).some((k) => k.startsWith('Echo'))).toBe(true);
});

test('ListStackResources / DescribeStackResources give physical ids by logical id', async () => {
  const ids = await physicalIds(c, 'Producer');
  const sharedKey = Object.keys(ids).find((k) => k.startsWith('Shared'))!;
  expect(ids[sharedKey]).toMatch(/\/000000000000\/shared-queue$/);
  const d = await c.cfn.send(new DescribeStackResourcesCommand({ StackName: 'Producer', LogicalResourceId: sharedKey }));
  expect(d.StackResources).toHaveLength(1);
  expect(d.StackResources![0]).toMatchObject({
    StackName: 'Producer', LogicalResourceId: sharedKey, PhysicalResourceId: ids[sharedKey], ResourceType: 'AWS::SQS::Queue', ResourceStatus: 'CREATE_COMPLETE',
  });
});

test('unknown stack: ValidationError', async () => {
  await expect(c.cfn.send(new DescribeStacksCommand({ StackName: 'Nope' }))).rejects.toThrow('Stack with id Nope does not exist');
});

test('an unsupported resource type is listed in one warning at start, not a crash', () => {
  const warnings = logs.filter((l) => l.startsWith('warning: resource types not emulated'));
  expect(warnings).toEqual(['warning: resource types not emulated (deployed as placeholders): AWS::DynamoDB::Table']);
});

test('a function whose code cannot run here is deployed; one warning; invoking it fails at init with the reason', async () => {
  const warnings = logs.filter((l) => l.startsWith('warning: functions deployed whose code cannot run here'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/^warning: functions deployed whose code cannot run here \(invoking them fails at init\): Producer\/Python[0-9A-F]{8} \(runtime python3\.12: only Node\.js runtimes run here\)$/);
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: 'python-fn', Payload: Buffer.from('{}') }));
  expect(out.FunctionError).toBe('Unhandled');
  const err = JSON.parse(Buffer.from(out.Payload!).toString());
  expect(err.errorType).toBe('Runtime.ImportModuleError');
  expect(err.errorMessage).toBe('Error: the local cloud cannot run function python-fn: runtime python3.12: only Node.js runtimes run here');
});

describe('a broken assembly gives one clear message', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'broken-'));

  test('no manifest.json', async () => {
    const dir = tmp();
    await expect(LocalCloud.start({ assembly: dir, port: 0 })).rejects.toThrow(new AssemblyError(`${dir} is not a cloud assembly: manifest.json not found (run \`npx cdk synth\` first)`));
  });

  test('a template that is not JSON', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      version: '36.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'S.template.json' } } },
    }));
    fs.writeFileSync(path.join(dir, 'S.template.json'), '{ not json');
    await expect(LocalCloud.start({ assembly: dir, port: 0 })).rejects.toThrow(/^template of stack S .*S\.template\.json is not valid JSON/);
  });

  test('a Ref to nothing', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      version: '36.0.0', artifacts: { S: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'S.template.json' } } },
    }));
    fs.writeFileSync(path.join(dir, 'S.template.json'), JSON.stringify({
      Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { Ref: 'Missing' } } } },
    }));
    await expect(LocalCloud.start({ assembly: dir, port: 0, log: () => undefined }))
      .rejects.toThrow('stack S: Resources.Q.Properties.QueueName: Ref to Missing, which is not a parameter or a deployed resource');
  });
});
