import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CloudFormationClient, CreateChangeSetCommand, DeleteStackCommand, DescribeChangeSetCommand, DescribeStackEventsCommand,
  DescribeStacksCommand, DetectStackDriftCommand, ExecuteChangeSetCommand, GetTemplateCommand, GetTemplateSummaryCommand,
  ListStackResourcesCommand, StackStatus,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  DeleteParameterCommand, GetParameterCommand, GetParametersCommand, LabelParameterVersionCommand, PutParameterCommand, SSMClient,
} from '@aws-sdk/client-ssm';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetFederationTokenCommand, STSClient } from '@aws-sdk/client-sts';
import AdmZip from 'adm-zip';
import { Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { clients, Clients, synth } from './helpers';
import { LocalCloud } from '../src';
import { MAX_DELETED_STACKS } from '../src/services/cloudformation/service';

const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

/** A zip whose one entry is named `name` as given (adm-zip sanitizes names it writes: patch the bytes). */
function zipWith(name: string): Buffer {
  const zip = new AdmZip();
  const placeholder = name.replace(/[./]/g, 'Q');
  zip.addFile(placeholder, Buffer.from('exports.handler = async () => "escaped";'));
  const bytes = zip.toBuffer();
  const patched = Buffer.from(bytes.toString('latin1').split(placeholder).join(name), 'latin1');
  expect(new AdmZip(patched).getEntries().map((e) => e.entryName)).toEqual([name]);
  return patched;
}

/** The path of a file called `name` anywhere under `dir`, if there is one. */
function findFile(dir: string, name: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isFile() && e.name === name) return p;
    if (e.isDirectory()) {
      const found = findFile(p, name);
      if (found) return found;
    }
  }
  return undefined;
}

const QUEUE = { Kept: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'kept-queue' } } };
/** A function the local cloud refuses, as Lambda would: its name breaks Lambda's pattern. */
const BAD_FUNCTION = {
  Bad: {
    Type: 'AWS::Lambda::Function',
    Properties: {
      FunctionName: 'not a valid name!',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/r',
      Code: { ZipFile: 'exports.handler = async () => 1;' },
    },
  },
};

describe('CloudFormation change sets, SSM and STS through the SDK', () => {
  let cloud: LocalCloud;
  let c: Clients;
  let cfn: CloudFormationClient;
  let ssm: SSMClient;
  let sts: STSClient;

  beforeAll(async () => {
    cloud = await LocalCloud.start({ port: 0, timeScale: 0.001, log: () => undefined, handlerOutput: 'ignore' });
    c = clients(cloud.endpoint);
    cfn = c.cfn;
    const config = { endpoint: cloud.endpoint, region: 'us-east-1', credentials };
    ssm = new SSMClient(config);
    sts = new STSClient(config);
  });

  afterAll(async () => {
    ssm?.destroy();
    sts?.destroy();
    c?.destroy();
    await cloud?.stop();
  });

  /** Creates and executes a change set; resolves with the stack once it is no longer in progress. */
  async function deploy(stackName: string, template: object, type: 'CREATE' | 'UPDATE', extra: object = {}) {
    const name = `cs-${Date.now()}`;
    await cfn.send(new CreateChangeSetCommand({
      StackName: stackName, ChangeSetName: name, ChangeSetType: type, TemplateBody: JSON.stringify(template), ...extra,
    }));
    await cfn.send(new ExecuteChangeSetCommand({ StackName: stackName, ChangeSetName: name }));
    await cloud.idle();
    return (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks![0];
  }

  test('a change set that cannot be executed rolls a new stack back: ROLLBACK_COMPLETE with the reason, nothing left', async () => {
    // WHEN a stack is created whose function the local cloud refuses
    const stack = await deploy('BadCreate', { Resources: { ...QUEUE, ...BAD_FUNCTION } }, 'CREATE');
    // THEN it is rolled back, the reason and the failed resource's event name the function
    expect(stack.StackStatus).toBe(StackStatus.ROLLBACK_COMPLETE);
    expect(stack.StackStatusReason).toMatch(/Bad \(AWS::Lambda::Function\) CREATE_FAILED: .*functionName/);
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: 'BadCreate' }))).StackEvents!;
    expect(events.find((e) => e.ResourceStatus === 'CREATE_FAILED')).toMatchObject({ LogicalResourceId: 'Bad', ResourceType: 'AWS::Lambda::Function' });
    expect(events[0]).toMatchObject({ LogicalResourceId: 'BadCreate', ResourceStatus: 'ROLLBACK_COMPLETE' });
    // and the queue created before the failure is gone again
    await expect(c.sqs.send(new GetQueueUrlCommand({ QueueName: 'kept-queue' }))).rejects.toThrow(/does not exist/);
    // WHEN the failed stack is updated THEN AWS's answer: it can only be deleted
    await expect(cfn.send(new CreateChangeSetCommand({ StackName: 'BadCreate', ChangeSetName: 'again', TemplateBody: JSON.stringify({ Resources: QUEUE }) })))
      .rejects.toThrow(/is in ROLLBACK_COMPLETE state and can not be updated/);
    await cfn.send(new DeleteStackCommand({ StackName: 'BadCreate' }));
    await cloud.idle();
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'BadCreate' }))).rejects.toThrow('Stack with id BadCreate does not exist');
  });

  test('an update that fails rolls back to UPDATE_ROLLBACK_COMPLETE: what was deployed keeps working', async () => {
    // GIVEN a deployed stack with a queue
    const created = await deploy('BadUpdate', { Resources: QUEUE }, 'CREATE');
    expect(created.StackStatus).toBe('CREATE_COMPLETE');
    // WHEN an update adds a function the local cloud refuses
    const stack = await deploy('BadUpdate', { Resources: { ...QUEUE, ...BAD_FUNCTION } }, 'UPDATE');
    // THEN the stack is rolled back, its template is the old one, and the queue still takes messages
    expect(stack.StackStatus).toBe(StackStatus.UPDATE_ROLLBACK_COMPLETE);
    expect(stack.StackStatusReason).toMatch(/Bad \(AWS::Lambda::Function\)/);
    const template = (await cfn.send(new GetTemplateCommand({ StackName: 'BadUpdate' }))).TemplateBody!;
    expect(JSON.parse(template)).toEqual({ Resources: QUEUE });
    const { QueueUrl } = await c.sqs.send(new GetQueueUrlCommand({ QueueName: 'kept-queue' }));
    await expect(c.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'still here' }))).resolves.toBeDefined();
    // and a further update is accepted
    const fixed = await deploy('BadUpdate', { Resources: { ...QUEUE, Other: { Type: 'AWS::SQS::Queue' } } }, 'UPDATE');
    expect(fixed.StackStatus).toBe('UPDATE_COMPLETE');
    await cfn.send(new DeleteStackCommand({ StackName: 'BadUpdate' }));
    await cloud.idle();
  });

  test('deleted stacks are found by id, the latest MAX_DELETED_STACKS of them', async () => {
    // GIVEN one more stack created (REVIEW_IN_PROGRESS) and deleted than are kept
    const ids: string[] = [];
    for (let i = 0; i <= MAX_DELETED_STACKS; i++) {
      const cs = await cfn.send(new CreateChangeSetCommand({ StackName: 'Churn', ChangeSetName: 'x', ChangeSetType: 'CREATE', TemplateBody: JSON.stringify({ Resources: QUEUE }) }));
      ids.push(cs.StackId!);
      await cfn.send(new DeleteStackCommand({ StackName: 'Churn' }));
    }
    // THEN the first is forgotten, the last is DELETE_COMPLETE by id and gone by name
    await expect(cfn.send(new DescribeStacksCommand({ StackName: ids[0] }))).rejects.toThrow(/does not exist/);
    expect((await cfn.send(new DescribeStacksCommand({ StackName: ids[ids.length - 1] }))).Stacks![0].StackStatus).toBe('DELETE_COMPLETE');
    await expect(cfn.send(new DescribeStacksCommand({ StackName: 'Churn' }))).rejects.toThrow('Stack with id Churn does not exist');
  });

  test('a change set without changes fails with the reason the CDK CLI looks for', async () => {
    await deploy('Same', { Resources: { Q: { Type: 'AWS::SQS::Queue' } } }, 'CREATE');
    await cfn.send(new CreateChangeSetCommand({ StackName: 'Same', ChangeSetName: 'none', ChangeSetType: 'UPDATE', TemplateBody: JSON.stringify({ Resources: { Q: { Type: 'AWS::SQS::Queue' } } }) }));
    const cs = await cfn.send(new DescribeChangeSetCommand({ StackName: 'Same', ChangeSetName: 'none' }));
    expect(cs).toMatchObject({ Status: 'FAILED', ExecutionStatus: 'UNAVAILABLE', StatusReason: expect.stringContaining("didn't contain changes") });
    await expect(cfn.send(new ExecuteChangeSetCommand({ StackName: 'Same', ChangeSetName: 'none' }))).rejects.toThrow(/cannot be executed/);
  });

  test('TemplateURL reads the local S3 in AWS URL forms; any other URL is refused, never fetched', async () => {
    // GIVEN a template in the local S3
    await c.s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
    await c.s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'a/t.json', Body: JSON.stringify({ Parameters: { P: { Type: 'String', Default: 'x' } }, Resources: QUEUE }) }));
    // WHEN it is summarized through a path-style and a virtual-hosted URL THEN both read it
    for (const url of ['https://s3.us-east-1.amazonaws.com/templates/a/t.json', 'https://templates.s3.amazonaws.com/a/t.json']) {
      const summary = await cfn.send(new GetTemplateSummaryCommand({ TemplateURL: url }));
      expect(summary.ResourceTypes).toEqual(['AWS::SQS::Queue']);
      expect(summary.Parameters).toEqual([expect.objectContaining({ ParameterKey: 'P', DefaultValue: 'x', ParameterType: 'String' })]);
    }
    await expect(cfn.send(new GetTemplateSummaryCommand({ TemplateURL: 'https://example.com/t.json' }))).rejects.toThrow(/TemplateURL must be an Amazon S3 URL/);
    await expect(cfn.send(new GetTemplateSummaryCommand({ TemplateURL: 'https://s3.amazonaws.com/templates/missing.json' }))).rejects.toThrow(/Unable to get object/);
  });

  test.each([
    ['malformed JSON', '{"Resources": ', /JSON not well-formed/],
    ['no resources', '{"Resources": {}}', /At least one Resources member must be defined/],
    ['a resource without a type', '{"Resources": {"A": {}}}', /Every Resources object must contain a Type member/],
    ['malformed YAML', 'Resources:\n  A: [', /YAML not well-formed/],
  ])('a template with %s is refused at CreateChangeSet with ValidationError', async (_what, body, message) => {
    await expect(cfn.send(new CreateChangeSetCommand({ StackName: 'Refused', ChangeSetName: 'x', ChangeSetType: 'CREATE', TemplateBody: body })))
      .rejects.toMatchObject({ name: 'ValidationError', message: expect.stringMatching(message) });
  });

  test.each([
    ['an entry that would land outside its directory', zipWith('../../escaped.js'), /entry \.\.\/\.\.\/escaped\.js is outside the archive/],
    ['a file that is not a zip', Buffer.from('not a zip'), /is not a zip file/],
  ])('function code from the local S3 with %s fails the stack with the reason, nothing unpacked', async (_what, body, reason) => {
    // GIVEN a code object in the local S3 such as `cdk deploy` publishes, but hostile or broken
    const key = `code-${Date.now()}.zip`;
    await c.s3.send(new CreateBucketCommand({ Bucket: 'code-assets' })).catch(() => undefined);
    await c.s3.send(new PutObjectCommand({ Bucket: 'code-assets', Key: key, Body: body }));
    // WHEN a stack's function uses it
    const name = `Zip${Date.now()}`;
    const stack = await deploy(name, {
      Resources: {
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::000000000000:role/r', Code: { S3Bucket: 'code-assets', S3Key: key } },
        },
      },
    }, 'CREATE');
    // THEN the stack rolls back naming the reason, and no file escaped the function's directory
    expect(stack.StackStatus).toBe(StackStatus.ROLLBACK_COMPLETE);
    expect(stack.StackStatusReason).toMatch(reason);
    // (the work directory is private: functions, unpacked code and change-set assets all live under it)
    const workDir = (cloud as unknown as { workDir: string }).workDir;
    expect(fs.existsSync(workDir)).toBe(true);
    expect(findFile(workDir, 'escaped.js')).toBeUndefined();
  });

  test('SSM parameter types resolve from the Parameter Store; a missing one is refused', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/app/queue-name', Value: 'from-ssm', Type: 'String' }));
    const template = {
      Parameters: { Name: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/app/queue-name' } },
      Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { Ref: 'Name' } } } },
    };
    const stack = await deploy('FromSsm', template, 'CREATE');
    expect(stack.Parameters).toEqual([{ ParameterKey: 'Name', ParameterValue: '/app/queue-name', ResolvedValue: 'from-ssm' }]);
    await expect(c.sqs.send(new GetQueueUrlCommand({ QueueName: 'from-ssm' }))).resolves.toBeDefined();
    // the stack id CreateChangeSet gave is the deployed stack's
    const listed = await cfn.send(new ListStackResourcesCommand({ StackName: stack.StackId }));
    expect(listed.StackResourceSummaries!.map((r) => r.LogicalResourceId)).toEqual(['Q']);
    await expect(cfn.send(new CreateChangeSetCommand({
      StackName: 'NoSsm',
      ChangeSetName: 'x',
      ChangeSetType: 'CREATE',
      TemplateBody: JSON.stringify(template),
      Parameters: [{ ParameterKey: 'Name', ParameterValue: '/app/missing' }],
    }))).rejects.toThrow('Unable to fetch parameters [/app/missing] from parameter store for this account.');
  });

  test('SSM Parameter Store: versions, overwrite, not found, invalid names', async () => {
    expect((await ssm.send(new PutParameterCommand({ Name: '/p/one', Value: 'a', Type: 'String' }))).Version).toBe(1);
    await expect(ssm.send(new PutParameterCommand({ Name: '/p/one', Value: 'b', Type: 'String' }))).rejects.toMatchObject({ name: 'ParameterAlreadyExists' });
    expect((await ssm.send(new PutParameterCommand({ Name: '/p/one', Value: 'b', Overwrite: true }))).Version).toBe(2);
    expect((await ssm.send(new GetParameterCommand({ Name: '/p/one' }))).Parameter).toMatchObject({ Value: 'b', Version: 2, Type: 'String' });
    const both = await ssm.send(new GetParametersCommand({ Names: ['/p/one', '/p/none'] }));
    expect(both.Parameters!.map((p) => p.Name)).toEqual(['/p/one']);
    expect(both.InvalidParameters).toEqual(['/p/none']);
    await ssm.send(new DeleteParameterCommand({ Name: '/p/one' }));
    await expect(ssm.send(new GetParameterCommand({ Name: '/p/one' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
    await expect(ssm.send(new PutParameterCommand({ Name: 'a b', Value: 'x' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ssm.send(new PutParameterCommand({ Name: 'no/leading/slash', Value: 'x' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  test('STS: the local account, and AssumeRole hands out session credentials for the role', async () => {
    expect(await sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/cdk-deploy', RoleSessionName: 'cli' }));
    expect(assumed.AssumedRoleUser!.Arn).toBe('arn:aws:sts::000000000000:assumed-role/cdk-deploy/cli');
    expect(assumed.Credentials).toMatchObject({ AccessKeyId: expect.stringMatching(/^ASIA/), SessionToken: expect.any(String) });
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: 'not-an-arn', RoleSessionName: 'cli' }))).rejects.toMatchObject({ name: 'ValidationError' });
  });

  test.each([
    ['CloudFormation', () => cfn.send(new DetectStackDriftCommand({ StackName: 'x' })), 'InvalidAction', 'CloudFormation DetectStackDrift'],
    ['SSM', () => ssm.send(new LabelParameterVersionCommand({ Name: '/x', Labels: ['l'] })), 'UnknownOperationException', 'SSM LabelParameterVersion'],
    ['STS', () => sts.send(new GetFederationTokenCommand({ Name: 'x' })), 'InvalidAction', 'STS GetFederationToken'],
  ])('an unsupported %s action is an AWS-shaped error naming it', async (_service, call, name, action) => {
    await expect(call()).rejects.toMatchObject({ name, message: `the local cloud does not implement ${action}` });
  });
});

describe('a stack deployed from the assembly, through the CloudFormation API', () => {
  test('its events are the engine\'s, and an UPDATE change set against its template applies', async () => {
    // GIVEN a served assembly with one queue
    const assembly = synth((app) => {
      const stack = new Stack(app, 'FromAssembly', { env: { account: '000000000000', region: 'us-east-1' } });
      new sqs.Queue(stack, 'First', { queueName: 'from-assembly-first' });
    });
    const cloud = await LocalCloud.start({ assembly, port: 0, timeScale: 0.001, log: () => undefined, handlerOutput: 'ignore' });
    const c = clients(cloud.endpoint);
    try {
      // THEN DescribeStackEvents answers the engine's events, newest first
      const events = (await c.cfn.send(new DescribeStackEventsCommand({ StackName: 'FromAssembly' }))).StackEvents!;
      expect(events[0]).toMatchObject({ LogicalResourceId: 'FromAssembly', ResourceStatus: 'CREATE_COMPLETE' });
      expect(events.some((e) => e.ResourceType === 'AWS::SQS::Queue' && e.ResourceStatus === 'CREATE_COMPLETE')).toBe(true);
      // WHEN its template, plus a queue, is deployed through a change set (its BootstrapVersion
      // parameter reads the Parameter Store, as on AWS: the bootstrap version must be there)
      cloud.ssm.put({ name: '/cdk-bootstrap/hnb659fds/version', value: '30' });
      const template = JSON.parse((await c.cfn.send(new GetTemplateCommand({ StackName: 'FromAssembly' }))).TemplateBody!);
      template.Resources.Second = { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'from-assembly-second' } };
      await c.cfn.send(new CreateChangeSetCommand({ StackName: 'FromAssembly', ChangeSetName: 'add', TemplateBody: JSON.stringify(template) }));
      const cs = await c.cfn.send(new DescribeChangeSetCommand({ StackName: 'FromAssembly', ChangeSetName: 'add' }));
      expect(cs.Changes!.map((x) => [x.ResourceChange!.Action, x.ResourceChange!.LogicalResourceId])).toEqual([['Add', 'Second']]);
      await c.cfn.send(new ExecuteChangeSetCommand({ StackName: 'FromAssembly', ChangeSetName: 'add' }));
      await cloud.idle();
      // THEN both queues exist and the stack is updated
      expect((await c.cfn.send(new DescribeStacksCommand({ StackName: 'FromAssembly' }))).Stacks![0].StackStatus).toBe('UPDATE_COMPLETE');
      await expect(c.sqs.send(new GetQueueUrlCommand({ QueueName: 'from-assembly-first' }))).resolves.toBeDefined();
      await expect(c.sqs.send(new GetQueueUrlCommand({ QueueName: 'from-assembly-second' }))).resolves.toBeDefined();
    } finally {
      c.destroy();
      await cloud.stop();
    }
  });
});
