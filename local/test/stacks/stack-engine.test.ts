import { AssemblyError, Template } from '../../src/assembly/cloud-assembly';
import { IamStore } from '../../src/iam/iam-store';
import { StackEvent } from '../../src/services/cloudformation/model';
import { LambdaService } from '../../src/services/lambda/service';
import { DeploymentError } from '../../src/stacks/deployment-error';
import { StackEngine } from '../../src/stacks/stack-engine';

/**
 * The stack engine driven as the CloudFormation API will drive it: a template, parameters and an
 * asset source, no cloud assembly. The templates use only types whose providers need no backend
 * (IAM, KMS, placeholders), so no server runs; the SDK clients' endpoint is never contacted.
 */
const engines: StackEngine[] = [];
afterEach(() => engines.splice(0).forEach((e) => e.dispose()));

function engine(iam = new IamStore('000000000000')): { engine: StackEngine; iam: IamStore; log: string[] } {
  const log: string[] = [];
  const e = new StackEngine({
    accountId: '000000000000',
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    // the IAM and KMS providers never touch the Lambda service
    services: { iam, lambda: {} as LambdaService },
    functions: { workDir: '/nonexistent', maxWorkersPerFunction: 1, handlerOutput: 'ignore' },
    log: (line) => log.push(line),
  });
  engines.push(e);
  return { engine: e, iam, log };
}

const assets = { path: () => undefined, projectDir: __dirname };

const role = (name: string, extra: Record<string, unknown> = {}) => ({
  Type: 'AWS::IAM::Role',
  Properties: { RoleName: name, AssumeRolePolicyDocument: {}, ...extra },
});

/** The events in the order they happened, as `logicalId STATUS`. */
const story = (events: StackEvent[] | undefined) => [...(events ?? [])].reverse().map((e) => `${e.logicalId} ${e.status}`);

describe('StackEngine', () => {
  test('a create records each resource and the stack passing through IN_PROGRESS to COMPLETE', async () => {
    // GIVEN a template with a role, a key and a type the local cloud does not emulate
    const { engine: e, iam } = engine();
    const template: Template = {
      Resources: {
        Role: role('worker'),
        Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [] } }, DependsOn: 'Role' },
        Db: { Type: 'AWS::Glue::Database', Properties: {}, DependsOn: 'Key' },
      },
      Outputs: { RoleArn: { Value: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
    };
    // WHEN it is deployed
    const stack = await e.deployStack({ stackName: 'app', template, assets });
    // THEN the resources exist, the stack is listed, and its events tell the story, newest first
    expect(iam.role('worker')).toBeDefined();
    expect(stack).toMatchObject({ name: 'app', status: 'CREATE_COMPLETE', outputs: [{ key: 'RoleArn', value: 'arn:aws:iam::000000000000:role/worker' }] });
    expect(stack.resources.map((r) => [r.logicalId, r.emulated])).toEqual([['Role', true], ['Key', true], ['Db', false]]);
    expect(e.stacks).toEqual([stack]);
    const events = e.stackEvents('app')!;
    expect(story(events)).toEqual([
      'app CREATE_IN_PROGRESS',
      'Role CREATE_IN_PROGRESS', 'Role CREATE_COMPLETE',
      'Key CREATE_IN_PROGRESS', 'Key CREATE_COMPLETE',
      'Db CREATE_IN_PROGRESS', 'Db CREATE_COMPLETE',
      'app CREATE_COMPLETE',
    ]);
    expect(events[0]).toMatchObject({ stackId: stack.id, stackName: 'app', logicalId: 'app', physicalId: stack.id, type: 'AWS::CloudFormation::Stack' });
    expect(events.find((x) => x.logicalId === 'Role' && x.status === 'CREATE_COMPLETE')).toMatchObject({ physicalId: 'worker', type: 'AWS::IAM::Role' });
    expect(new Set(events.map((x) => x.eventId)).size).toBe(events.length);
  });

  test('a failed create rolls back: CREATE_FAILED with the reason, what was created deleted, the stack not listed', async () => {
    // GIVEN a policy naming a role that does not exist, after a role that does
    const { engine: e, iam } = engine();
    const template: Template = {
      Resources: {
        Role: role('kept-briefly'),
        Pol: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: {}, Roles: ['missing'] }, DependsOn: 'Role' },
      },
    };
    // WHEN it is deployed
    const deploying = e.deployStack({ stackName: 'bad', template, assets });
    // THEN it fails with AWS's message, the role is gone again, and the events say why
    await expect(deploying).rejects.toThrow(DeploymentError);
    await expect(deploying).rejects.toThrow('Pol (AWS::IAM::Policy) CREATE_FAILED: The role with name missing cannot be found.');
    expect(iam.role('kept-briefly')).toBeUndefined();
    expect(e.stacks).toEqual([]);
    const events = e.stackEvents('bad')!;
    expect(story(events)).toEqual([
      'bad CREATE_IN_PROGRESS',
      'Role CREATE_IN_PROGRESS', 'Role CREATE_COMPLETE',
      'Pol CREATE_IN_PROGRESS', 'Pol CREATE_FAILED',
      'bad ROLLBACK_IN_PROGRESS',
      'Role DELETE_IN_PROGRESS', 'Role DELETE_COMPLETE',
      'bad ROLLBACK_COMPLETE',
    ]);
    expect(events.find((x) => x.status === 'CREATE_FAILED')!.reason).toMatch(/The role with name missing cannot be found/);
    expect(events.find((x) => x.status === 'ROLLBACK_IN_PROGRESS')!.reason).toMatch(/Pol \(AWS::IAM::Policy\) CREATE_FAILED/);
  });

  test('an update changes in place, replaces, cleans up, and a second identical deploy records nothing', async () => {
    // GIVEN a deployed stack of two roles
    const { engine: e, iam } = engine();
    await e.deployStack({ stackName: 'app', template: { Resources: { A: role('a'), B: role('b') } }, assets });
    const created = e.stackEvents('app')!.length;
    // WHEN A gains a managed policy (in place) and B is renamed (a replacement)
    const update: Template = { Resources: { A: role('a', { ManagedPolicyArns: ['arn:aws:iam::aws:policy/X'] }), B: role('b2') } };
    const stack = await e.deployStack({ stackName: 'app', template: update, assets });
    // THEN
    expect(stack.status).toBe('UPDATE_COMPLETE');
    expect([...iam.role('a')!.managedPolicyArns]).toEqual(['arn:aws:iam::aws:policy/X']);
    expect(iam.role('b')).toBeUndefined();
    expect(iam.role('b2')).toBeDefined();
    expect(story(e.stackEvents('app')!.slice(0, e.stackEvents('app')!.length - created))).toEqual([
      'app UPDATE_IN_PROGRESS',
      'A UPDATE_IN_PROGRESS', 'A UPDATE_COMPLETE',
      'B UPDATE_IN_PROGRESS', 'B CREATE_IN_PROGRESS', 'B CREATE_COMPLETE', 'B UPDATE_COMPLETE',
      'app UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
      'B DELETE_IN_PROGRESS', 'B DELETE_COMPLETE',
      'app UPDATE_COMPLETE',
    ]);
    // WHEN the same template is deployed again THEN no events ("No updates are to be performed")
    const before = e.stackEvents('app')!.length;
    await e.deployStack({ stackName: 'app', template: update, assets });
    expect(e.stackEvents('app')!.length).toBe(before);
  });

  test('a failed update rolls back: the in-place change undone, the new resource deleted, UPDATE_ROLLBACK_COMPLETE shown', async () => {
    // GIVEN a deployed role
    const { engine: e, iam } = engine();
    await e.deployStack({ stackName: 'app', template: { Resources: { A: role('a') } }, assets });
    const created = e.stackEvents('app')!.length;
    // WHEN an update changes it, adds a role, then a policy for a role that does not exist
    const update: Template = {
      Resources: {
        A: role('a', { ManagedPolicyArns: ['arn:aws:iam::aws:policy/X'] }),
        B: { ...role('b'), DependsOn: 'A' },
        Pol: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'p', PolicyDocument: {}, Roles: ['missing'] }, DependsOn: 'B' },
      },
    };
    await expect(e.deployStack({ stackName: 'app', template: update, assets })).rejects.toThrow('stack app failed to update: Pol (AWS::IAM::Policy) UPDATE_FAILED');
    // THEN A is as before, B is gone, and the stack shows the rollback with its cause
    expect([...iam.role('a')!.managedPolicyArns]).toEqual([]);
    expect(iam.role('b')).toBeUndefined();
    expect(e.stacks[0]).toMatchObject({ status: 'UPDATE_ROLLBACK_COMPLETE', statusReason: expect.stringContaining('The role with name missing cannot be found') });
    expect(story(e.stackEvents('app')!.slice(0, e.stackEvents('app')!.length - created))).toEqual([
      'app UPDATE_IN_PROGRESS',
      'A UPDATE_IN_PROGRESS', 'A UPDATE_COMPLETE',
      'B CREATE_IN_PROGRESS', 'B CREATE_COMPLETE',
      'Pol CREATE_IN_PROGRESS', 'Pol CREATE_FAILED',
      'app UPDATE_ROLLBACK_IN_PROGRESS',
      'B DELETE_IN_PROGRESS', 'B DELETE_COMPLETE',
      'A UPDATE_IN_PROGRESS', 'A UPDATE_COMPLETE',
      'app UPDATE_ROLLBACK_COMPLETE',
    ]);
  });

  test('a delete records DELETE events, skips retained resources, and the events stay findable by stack id', async () => {
    // GIVEN a stack with a retained role
    const { engine: e, iam } = engine();
    const template: Template = { Resources: { Keep: { ...role('keep'), DeletionPolicy: 'Retain' }, Go: role('go') } };
    const { id } = await e.deployStack({ stackName: 'app', template, assets });
    // WHEN it is deleted
    await e.deleteStack('app');
    // THEN
    expect(iam.role('keep')).toBeDefined();
    expect(iam.role('go')).toBeUndefined();
    expect(e.stacks).toEqual([]);
    expect(story(e.stackEvents(id)).slice(-6)).toEqual([
      'app CREATE_COMPLETE',
      'app DELETE_IN_PROGRESS',
      'Go DELETE_IN_PROGRESS', 'Go DELETE_COMPLETE',
      'Keep DELETE_SKIPPED',
      'app DELETE_COMPLETE',
    ]);
    expect(e.stackEvents('nothing')).toBeUndefined();
  });

  test.each([
    ['the caller\'s value', { Env: 'prod' }, 'role-prod'],
    ['the default', undefined, 'role-dev'],
  ])('a parameter takes %s', async (_what, parameters, roleName) => {
    const { engine: e, iam } = engine();
    const template: Template = {
      Parameters: { Env: { Type: 'String', Default: 'dev' } },
      Resources: { R: role('x', { RoleName: { 'Fn::Join': ['-', ['role', { Ref: 'Env' }]] } }) },
    };
    await e.deployStack({ stackName: 'app', template, parameters, assets });
    expect(iam.role(roleName)).toBeDefined();
  });

  test('a parameter with neither value nor default fails the deployment, naming it', async () => {
    const { engine: e } = engine();
    const template: Template = { Parameters: { Needed: { Type: 'String' } }, Resources: { R: role('r') } };
    await expect(e.deployStack({ stackName: 'app', template, assets })).rejects.toThrow(AssemblyError);
    await expect(e.deployStack({ stackName: 'app', template, assets })).rejects.toThrow('parameter Needed has no default');
    await expect(e.deployStack({ stackName: 'app', template, parameters: { Needed: 'v' }, assets })).resolves.toMatchObject({ status: 'CREATE_COMPLETE' });
  });
});
