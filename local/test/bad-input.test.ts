import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateQueueCommand } from '@aws-sdk/client-sqs';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../src';
import { Clients, clients, physicalIds, startQuietCloud, synth } from './helpers';

// Bad input from templates, manifests and API calls gets AWS's error (or a clean deploy error that
// names the stack and resource), and nothing derived from it touches the file system outside the
// local cloud's work directory.

const quiet = { port: 0, log: () => undefined, handlerOutput: 'ignore' as const };

/** The error LocalCloud.start rejects with. */
async function startError(assembly: string): Promise<Error> {
  try {
    const cloud = await LocalCloud.start({ assembly, ...quiet });
    await cloud.stop();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the deployment to fail');
}

describe('names from templates are checked before they touch the file system', () => {
  /** A stack with one raw AWS::Lambda::Function. */
  function functionApp(props: Partial<lambda.CfnFunctionProps>): string {
    return synth((app) => {
      const stack = new Stack(app, 'Names', { env: { account: '000000000000', region: 'us-east-1' } });
      const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      new lambda.CfnFunction(stack, 'Fn', {
        role: role.roleArn, runtime: 'nodejs20.x', handler: 'index.handler', code: { zipFile: 'exports.handler = async () => 1;' }, ...props,
      });
    });
  }

  test.each([
    ['a FunctionName that climbs out with inline code', { functionName: '../../ESCAPE' }, '../../ESCAPE/index.js',
      /Fn \(AWS::Lambda::Function\) CREATE_FAILED: ValidationException: 1 validation error detected: Value '\.\.\/\.\.\/local-cloud-escape-[\w-]+' at 'functionName' failed to satisfy constraint/],
    ['a Handler that climbs out (Node.js, inline code)', { handler: '../../../ESCAPE/app.handler' }, '../ESCAPE/app.js',
      /Fn \(AWS::Lambda::Function\) CREATE_FAILED: InvalidParameterValueException: The handler \.\.\/\.\.\/\.\.\/local-cloud-escape-[\w-]+\/app\.handler is outside the function's code directory/],
    ['a Handler that climbs out (a runtime that does not run here)', { runtime: 'python3.12', handler: '../../../ESCAPE/app.handler' }, '../ESCAPE/app.js',
      /InvalidParameterValueException: The handler .* is outside the function's code directory/],
    ['an absolute Handler path', { handler: '/ESCAPE/app.handler' }, undefined, /InvalidParameterValueException: The handler \/local-cloud-escape-[\w-]+\/app\.handler is outside/],
    ['a Handler with whitespace', { handler: 'index handler' }, undefined, /ValidationException: .*Value 'index handler' at 'handler' failed to satisfy constraint: Member must satisfy regular expression pattern: \[\^\\s\]\+/],
    ['a FunctionName of 65 characters', { functionName: 'f'.repeat(65) }, undefined, /at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64/],
  ])('%s fails the deploy with AWS\'s message and writes nothing outside', async (_name, props, escapePath, message) => {
    const marker = `local-cloud-escape-${randomUUID()}`;
    const fill = (v: unknown) => (typeof v === 'string' ? v.replace('ESCAPE', marker) : v);
    const e = await startError(functionApp(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fill(v)]))));
    expect(e.message).toMatch(/^stack Names failed to deploy: Fn \(AWS::Lambda::Function\) CREATE_FAILED: /);
    expect(e.message).toMatch(message);
    if (escapePath) {
      // relative to any work directory under the temp dir: <tmp>/<work>/functions/<name> or <tmp>/<work>/unrunnable/<name>
      for (const base of [os.tmpdir(), path.dirname(os.tmpdir()), '/']) expect(fs.existsSync(path.join(base, marker))).toBe(false);
    }
  });

  test('a FunctionName given as an ARN names the function', async () => {
    const cloud = await LocalCloud.start({ assembly: functionApp({ functionName: 'arn:aws:lambda:us-east-1:000000000000:function:by-arn' }), ...quiet });
    try {
      expect(cloud.physicalId('Names', 'Fn')).toBe('by-arn');
    } finally {
      await cloud.stop();
    }
  });

  test('a QueueName that SQS refuses fails the deploy', async () => {
    const assembly = synth((app) => {
      const stack = new Stack(app, 'Queues', { env: { account: '000000000000', region: 'us-east-1' } });
      new sqs.CfnQueue(stack, 'Q', { queueName: '../../q' });
    });
    expect((await startError(assembly)).message).toBe(
      "stack Queues failed to deploy: Q (AWS::SQS::Queue) CREATE_FAILED: InvalidParameterValue: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length, got '../../q'");
  });
});

describe('API calls with bad input', () => {
  let cloud: LocalCloud;
  let c: Clients;
  let iamClient: IAMClient;
  let roleName: string;

  beforeAll(async () => {
    cloud = await startQuietCloud(synth((app) => {
      const stack = new Stack(app, 'BadApi', { env: { account: '000000000000', region: 'us-east-1' } });
      new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    }));
    c = clients(cloud.endpoint);
    iamClient = new IAMClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    roleName = (await physicalIds(c, 'BadApi')).Role60CB5D2C ?? Object.values(await physicalIds(c, 'BadApi'))[0];
  }, 60_000);

  afterAll(async () => {
    iamClient?.destroy();
    c?.destroy();
    await cloud?.stop();
  });

  test.each(['../../q', '..', 'a/b', '', 'q'.repeat(81), 'bad.fifo.fifo'])('CreateQueue %p: InvalidParameterValue', async (name) => {
    await expect(c.sqs.send(new CreateQueueCommand({ QueueName: name }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
      message: 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
      $metadata: { httpStatusCode: 400 },
    });
  });

  test.each(['ok-q_1', 'q'.repeat(80)])('CreateQueue %p is fine', async (name) => {
    const out = await c.sqs.send(new CreateQueueCommand({ QueueName: name }));
    expect(out.QueueUrl).toBe(`${cloud.endpoint}/000000000000/${name}`);
  });

  test.each([
    ['null', 'Syntax errors in policy.'],
    ['123', 'Syntax errors in policy.'],
    ['[]', 'Syntax errors in policy.'],
    ['"text"', 'Syntax errors in policy.'],
    ['{}', 'Missing required field Statement'],
    ['{"Statement":[null]}', 'Syntax errors in policy.'],
    ['{"Statement":{"Action":"sqs:*","Resource":"*"}}', 'Missing required field Effect'],
  ])('PutRolePolicy with %s: MalformedPolicyDocument', async (doc, message) => {
    await expect(iamClient.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'p', PolicyDocument: doc }))).rejects.toMatchObject({
      name: 'MalformedPolicyDocumentException', message, $metadata: { httpStatusCode: 400 },
    });
  });

  test('PutRolePolicy with a valid document is accepted', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }] });
    await expect(iamClient.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'p', PolicyDocument: doc }))).resolves.toBeDefined();
  });
});

describe('malformed assemblies fail cleanly, naming the stack and resource, and deploy nothing', () => {
  /** A hand-written cloud assembly: manifest artifacts and template files. */
  function assembly(stackProps: Record<string, unknown>, template: unknown): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-cloud-bad-assembly-'));
    fs.writeFileSync(path.join(dir, 'Bad.template.json'), JSON.stringify(template));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
      version: '36.0.0',
      artifacts: { Bad: { type: 'aws:cloudformation:stack', environment: 'aws://000000000000/us-east-1', properties: stackProps } },
    }));
    return dir;
  }
  const queue = { Type: 'AWS::SQS::Queue', Properties: {} };

  test.each<[string, Record<string, unknown>, unknown, string]>([
    ['a manifest without templateFile', {}, { Resources: { Q: queue } }, 'stack Bad: the manifest gives no properties.templateFile for artifact Bad'],
    ['a templateFile outside the assembly', { templateFile: '../../etc/passwd' }, { Resources: { Q: queue } }, 'stack Bad: templateFile: ../../etc/passwd is outside the cloud assembly'],
    ['a resource without Type', { templateFile: 'Bad.template.json' }, { Resources: { Q: queue, NoType: { Properties: {} } } },
      'stack Bad: Template format error: [/Resources/NoType] Every Resources object must contain a Type member.'],
    ['Resources: null', { templateFile: 'Bad.template.json' }, { Resources: null }, 'stack Bad: Template format error: Resources must be an object of resources'],
    ['an array template', { templateFile: 'Bad.template.json' }, [{ Resources: { Q: queue } }], 'stack Bad: Template format error: the template must be a JSON object'],
    ['a resource that depends on itself', { templateFile: 'Bad.template.json' }, { Resources: { Q: { ...queue, DependsOn: 'Q' } } },
      'stack Bad: circular dependency between resources Q -> Q'],
    ['a resource that refers to itself', { templateFile: 'Bad.template.json' }, { Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::GetAtt': ['Q', 'Arn'] } } } } },
      'stack Bad: circular dependency between resources Q -> Q'],
    ['a stack name that is not one', { templateFile: 'Bad.template.json', stackName: '../x' }, { Resources: { Q: queue } },
      "stack Bad: 1 validation error detected: Value '../x' at 'stackName' failed to satisfy constraint"],
  ])('%s', async (_name, props, template, message) => {
    const logs: string[] = [];
    let error: Error | undefined;
    try {
      const cloud = await LocalCloud.start({ assembly: assembly(props, template), ...quiet, log: (l) => logs.push(l) });
      await cloud.stop();
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('AssemblyError');
    expect(error?.message.startsWith(message)).toBe(true);
    expect(logs.filter((l) => l.startsWith('deployed stack'))).toEqual([]);
  });
});
