/**
 * CloudWatch Logs: handler output lands in the function's log group (or its LoggingConfig.LogGroup),
 * one stream per handler process, readable with GetLogEvents and FilterLogEvents through the SDK.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DeleteLogGroupCommand, DescribeLogGroupsCommand, DescribeLogStreamsCommand,
  FilterLogEventsCommand, GetLogEventsCommand, PutLogEventsCommand, PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { clients, Clients, startQuietCloud, synth } from './helpers';
import { LocalCloud } from '../src';

jest.setTimeout(120_000);

const CODE = `exports.handler = async (event) => {
  console.log('order', event.order, 'received');
  if (event.order === 'kiwi') console.warn('WARN slow order', event.order);
  if (event.order === 'plum') console.error('ERROR order failed\\nsecond line');
  console.info('done with order ' + event.order);
  return { group: process.env.AWS_LAMBDA_LOG_GROUP_NAME, stream: process.env.AWS_LAMBDA_LOG_STREAM_NAME };
};`;

let cloud: LocalCloud;
let c: Clients;
let cwl: CloudWatchLogsClient;

beforeAll(async () => {
  cloud = await startQuietCloud(synth((app) => {
    const stack = new Stack(app, 'LogsStack', { env: { account: '000000000000', region: 'us-east-1' } });
    const code = lambda.Code.fromInline(CODE);
    new lambda.Function(stack, 'Orders', { functionName: 'orders', runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code });
    const custom = new logs.LogGroup(stack, 'Custom', { logGroupName: '/custom/payments', retention: logs.RetentionDays.ONE_WEEK });
    new lambda.Function(stack, 'Payments', { functionName: 'payments', runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code, logGroup: custom });
    new lambda.Function(stack, 'Json', {
      functionName: 'json-logs', runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code, loggingFormat: lambda.LoggingFormat.JSON,
    });
  }));
  c = clients(cloud.endpoint);
  cwl = new CloudWatchLogsClient({ endpoint: cloud.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  for (const order of ['apple', 'kiwi', 'plum']) await invoke('orders', { order });
  await invoke('payments', { order: 'lime' });
  await invoke('json-logs', { order: 'plum' });
});

afterAll(async () => {
  c?.destroy();
  cwl?.destroy();
  await cloud?.stop();
});

async function invoke(name: string, event: unknown): Promise<any> {
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(event)) }));
  return JSON.parse(Buffer.from(out.Payload!).toString());
}

async function filter(logGroupName: string, filterPattern?: string): Promise<string[]> {
  const out = await cwl.send(new FilterLogEventsCommand({ logGroupName, filterPattern }));
  return (out.events ?? []).map((e) => e.message!);
}

describe('handler output as CloudWatch Logs', () => {
  test('a stream per handler process named as on AWS; the handler sees its group and stream', async () => {
    // WHEN
    const streams = await cwl.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/orders' }));
    const seen = await invoke('orders', { order: 'melon' });
    // THEN
    const names = streams.logStreams!.map((s) => s.logStreamName!);
    expect(names.length).toBeGreaterThanOrEqual(1);
    for (const n of names) expect(n).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(seen.group).toBe('/aws/lambda/orders');
    expect(seen.stream).toMatch(/^\d{4}\/\d\d\/\d\d\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(streams.logStreams![0]).toMatchObject({ arn: expect.stringMatching(/^arn:aws:logs:us-east-1:000000000000:log-group:\/aws\/lambda\/orders:log-stream:/) });
  });

  test('GetLogEvents: START, the console lines, END and REPORT, with timestamps; limit and tokens page through', async () => {
    // GIVEN a fresh function process's stream
    const { stream } = await invoke('payments', { order: 'fig' });
    // WHEN
    const all = await cwl.send(new GetLogEventsCommand({ logGroupName: '/custom/payments', logStreamName: stream, startFromHead: true }));
    const first = await cwl.send(new GetLogEventsCommand({ logGroupName: '/custom/payments', logStreamName: stream, startFromHead: true, limit: 2 }));
    const next = await cwl.send(new GetLogEventsCommand({ logGroupName: '/custom/payments', logStreamName: stream, nextToken: first.nextForwardToken, limit: 2 }));
    const last = await cwl.send(new GetLogEventsCommand({ logGroupName: '/custom/payments', logStreamName: stream, limit: 1 }));
    // THEN
    const messages = all.events!.map((e) => e.message!);
    const five = messages.slice(messages.findIndex((m) => /^START RequestId: .* Version: \$LATEST\n$/.test(m) && messages.some((x) => x.includes('order fig'))));
    expect(five.filter((m) => /order fig received|done with order fig/.test(m))).toHaveLength(2);
    expect(messages.find((m) => m.includes('order fig received'))).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z\t[0-9a-f-]{36}\tINFO\torder fig received\n$/);
    expect(messages.filter((m) => m.startsWith('START RequestId: '))).not.toHaveLength(0);
    expect(messages[messages.length - 2]).toMatch(/^END RequestId: /);
    expect(messages[messages.length - 1]).toMatch(/^REPORT RequestId: .*\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\t\n$/);
    for (const e of all.events!) expect(Math.abs(e.timestamp! - Date.now())).toBeLessThan(60_000);
    expect(first.events!.map((e) => e.message)).toEqual(messages.slice(0, 2));
    expect(next.events!.map((e) => e.message)).toEqual(messages.slice(2, 4));
    expect(last.events!.map((e) => e.message)).toEqual(messages.slice(-1));
    // at the end, the forward token comes back unchanged
    const end = await cwl.send(new GetLogEventsCommand({ logGroupName: '/custom/payments', logStreamName: stream, nextToken: all.nextForwardToken }));
    expect(end.events).toEqual([]);
    expect(end.nextForwardToken).toBe(all.nextForwardToken);
  });

  test('a LoggingConfig.LogGroup is honoured: the output is there, not in /aws/lambda/<name>', async () => {
    // WHEN
    const groups = await cwl.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/' }));
    // THEN
    const names = groups.logGroups!.map((g) => g.logGroupName);
    expect(names).toEqual(expect.arrayContaining(['/aws/lambda/orders', '/custom/payments', '/aws/lambda/json-logs']));
    expect(names).not.toContain('/aws/lambda/payments');
    expect(groups.logGroups!.find((g) => g.logGroupName === '/custom/payments')).toMatchObject({
      retentionInDays: 7, arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/custom/payments:*',
    });
    expect(await filter('/custom/payments', '"order lime received"')).toHaveLength(1);
  });

  test.each<[string, string[]]>([
    ['', ['order apple received', 'order kiwi received', 'order plum received', 'WARN slow order kiwi', 'ERROR order failed']],
    ['received -melon', ['order apple received', 'order kiwi received', 'order plum received']],
    ['order kiwi', ['order kiwi received', 'WARN slow order kiwi', 'done with order kiwi']],
    ['"order kiwi received"', ['order kiwi received']],
    ['?WARN ?ERROR', ['WARN slow order kiwi', 'ERROR order failed\nsecond line']],
    ['order -received -done', ['WARN slow order kiwi', 'ERROR order failed']],
    ['"second line"', ['ERROR order failed\nsecond line']],
    ['warn', []],
  ])('FilterLogEvents with pattern %p', async (pattern, expected) => {
    // WHEN
    const messages = (await filter('/aws/lambda/orders', pattern)).filter((m) => !/^(START|END|REPORT) RequestId/.test(m) || pattern === '');
    // THEN every expected text is in one message, and (unless the pattern is empty) nothing else matched
    for (const text of expected) expect(messages.some((m) => m.includes(text))).toBe(true);
    if (pattern !== '') expect(messages).toHaveLength(expected.length);
  });

  test('FilterLogEvents: JSON patterns over JSON log format, numeric comparisons, && and ||', async () => {
    // GIVEN the json-logs function's output, and events put through the API
    await cwl.send(new CreateLogGroupCommand({ logGroupName: '/app/requests' }));
    await cwl.send(new CreateLogStreamCommand({ logGroupName: '/app/requests', logStreamName: 'web-1' }));
    const now = Date.now();
    await cwl.send(new PutLogEventsCommand({
      logGroupName: '/app/requests',
      logStreamName: 'web-1',
      logEvents: [
        { timestamp: now, message: JSON.stringify({ path: '/a', latency: 50, user: { id: 'u1' } }) },
        { timestamp: now + 1, message: JSON.stringify({ path: '/b', latency: 150, user: { id: 'u2' } }) },
        { timestamp: now + 2, message: 'not json latency 500' },
      ],
    }));
    // WHEN / THEN
    const json = await filter('/aws/lambda/json-logs', '{ $.level = "ERROR" }');
    expect(json.map((m) => JSON.parse(m))).toEqual([expect.objectContaining({ level: 'ERROR', message: 'ERROR order failed\nsecond line' })]);
    expect(await filter('/aws/lambda/json-logs', '{ $.record.metrics.memorySizeMB >= 128 && $.type = "platform.report" }')).toHaveLength(1);
    expect(await filter('/aws/lambda/json-logs', '{ $.message = "*order plum*" }')).toHaveLength(2);
    const paths = async (p: string) => (await filter('/app/requests', p)).map((m) => JSON.parse(m).path);
    expect(await paths('{ $.latency > 100 }')).toEqual(['/b']);
    expect(await paths('{ $.latency <= 50 }')).toEqual(['/a']);
    expect(await paths('{ $.user.id = "u1" || $.latency = 150 }')).toEqual(['/a', '/b']);
    expect(await paths('{ $.user.id != "u1" }')).toEqual(['/b']);
    expect(await paths('{ $.missing NOT EXISTS }')).toEqual(['/a', '/b']);
  });

  test('FilterLogEvents: time range, stream names, limit and nextToken pages without repeats', async () => {
    // GIVEN
    const { logStreams } = await cwl.send(new DescribeLogStreamsCommand({ logGroupName: '/aws/lambda/orders', orderBy: 'LastEventTime', descending: true }));
    const stream = logStreams![0].logStreamName!;
    const all = await cwl.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/orders' }));
    // WHEN
    const pages: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await cwl.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/orders', limit: 3, nextToken }));
      expect(page.events!.length).toBeLessThanOrEqual(3);
      pages.push(...page.events!.map((e) => e.eventId!));
      nextToken = page.nextToken;
    } while (nextToken);
    const future = await cwl.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/orders', startTime: Date.now() + 60_000 }));
    const one = await cwl.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/orders', logStreamNames: [stream] }));
    // THEN
    expect(pages).toEqual(all.events!.map((e) => e.eventId));
    expect(new Set(pages).size).toBe(pages.length);
    expect(future.events).toEqual([]);
    expect(one.events!.every((e) => e.logStreamName === stream)).toBe(true);
    expect(one.events!.length).toBeGreaterThan(0);
  });

  test.each([
    ['[ip, user, status]', /space-delimited/],
    ['%ERROR [0-9]+%', /regular expressions/],
    ['"unbalanced', /unbalanced quotes/],
    ['{ ($.a = 1) }', /parentheses/],
    ['{ $.a > "x" }', /compares numbers only/],
    ['{ a = 1 }', /not a \$\.selector comparison/],
    ['-DEBUG', /exclusion needs a term/],
    ['error:{x}', /quote it/],
  ])('a filter pattern outside the supported subset (%p) is an InvalidParameterException naming it', async (pattern, why) => {
    // WHEN
    const call = cwl.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/orders', filterPattern: pattern }));
    // THEN
    await expect(call).rejects.toMatchObject({ name: 'InvalidParameterException', message: expect.stringContaining(`'${pattern}'`) });
    await expect(call).rejects.toThrow(why);
  });
});

describe('the Logs API', () => {
  test.each([
    ['a name with a space', 'bad name'],
    ['a name with a colon', 'a:b'],
    ['an empty name', ''],
    ['a name of 513 characters', 'a'.repeat(513)],
  ])('rejects %s before use', async (_what, name) => {
    await expect(cwl.send(new CreateLogGroupCommand({ logGroupName: name }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(cwl.send(new FilterLogEventsCommand({ logGroupName: name }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  test('create, retention, already exists, delete, not found', async () => {
    await cwl.send(new CreateLogGroupCommand({ logGroupName: '/tmp/group' }));
    await expect(cwl.send(new CreateLogGroupCommand({ logGroupName: '/tmp/group' }))).rejects.toMatchObject({ name: 'ResourceAlreadyExistsException' });
    await cwl.send(new PutRetentionPolicyCommand({ logGroupName: '/tmp/group', retentionInDays: 14 }));
    await expect(cwl.send(new PutRetentionPolicyCommand({ logGroupName: '/tmp/group', retentionInDays: 2 }))).rejects.toThrow(/retentionInDays/);
    const described = await cwl.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/tmp/' }));
    expect(described.logGroups).toEqual([expect.objectContaining({ logGroupName: '/tmp/group', retentionInDays: 14 })]);
    await cwl.send(new DeleteLogGroupCommand({ logGroupName: '/tmp/group' }));
    await expect(cwl.send(new DeleteLogGroupCommand({ logGroupName: '/tmp/group' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(cwl.send(new GetLogEventsCommand({ logGroupName: '/aws/lambda/orders', logStreamName: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  test('DescribeLogGroups pages with limit and nextToken', async () => {
    for (const n of ['a', 'b', 'c']) await cwl.send(new CreateLogGroupCommand({ logGroupName: `/page/${n}` }));
    const first = await cwl.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/page/', limit: 2 }));
    const second = await cwl.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/page/', limit: 2, nextToken: first.nextToken }));
    expect(first.logGroups!.map((g) => g.logGroupName)).toEqual(['/page/a', '/page/b']);
    expect(second.logGroups!.map((g) => g.logGroupName)).toEqual(['/page/c']);
    expect(second.nextToken).toBeUndefined();
  });

  test('an unknown action is an UnknownOperationException naming it', async () => {
    const res = await fetch(cloud.endpoint, {
      method: 'POST',
      headers: { 'X-Amz-Target': 'Logs_20140328.StartQuery', 'Content-Type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ __type: 'UnknownOperationException', message: expect.stringContaining('StartQuery') });
  });

  test('the log group of a deleted stack is gone', async () => {
    // GIVEN a second cloud whose stack holds a log group
    const other = await startQuietCloud(synth((app) => {
      const stack = new Stack(app, 'Gone');
      new logs.LogGroup(stack, 'Group', { logGroupName: '/gone/group', removalPolicy: RemovalPolicy.DESTROY });
      new logs.LogGroup(stack, 'Kept', { logGroupName: '/gone/kept' }); // aws-cdk-lib's default: RETAIN
    }));
    try {
      expect(other.logs.groups.has('/gone/group')).toBe(true);
      // WHEN
      await other.destroy();
      // THEN
      expect(other.logs.groups.has('/gone/group')).toBe(false);
      expect(other.logs.groups.has('/gone/kept')).toBe(true);
    } finally {
      await other.stop();
    }
  });
});

describe('an integ-tests-alpha filterLogEvents assertion', () => {
  test('passes through cdk-async-local integ', async () => {
    const root = path.resolve(__dirname, '../..');
    const file = path.relative(root, path.join(__dirname, 'fixtures', 'logs-filter-app.ts'));
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [path.join(root, 'local', 'bin', 'cdk-async-local.js'), 'integ', file], { cwd: root, maxBuffer: 64 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }));
    });
    expect(r.stdout).toMatch(/^PASS local\/test\/fixtures\/logs-filter-app\.ts \(1\/1 assertions/m);
    expect(r).toMatchObject({ code: 0 });
  });
});
