import * as http from 'node:http';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { LocalCloud } from '../src';
import { Clients, expectEmpty, receive, resourceId, startStack, stopStack, synth } from './helpers';

// Thousands of generated malformed requests (fixed seed) for every protocol the front server
// speaks, while real asynchronous invocations run: the server answers every one of them, stays up,
// and each real invocation's record arrives exactly once.

const SEED = 20261130;
const REQUESTS = 3000;
const CONCURRENCY = 16;
/** one real Event invoke per this many fuzz requests */
const REAL_EVERY = 30;

/** Park-Miller minimal standard generator: seeded, so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed % 2147483647 || 1;
  return () => {
    a = (a * 48271) % 2147483647;
    return (a - 1) / 2147483646;
  };
}

let cloud: LocalCloud;
let c: Clients;
let ids: Record<string, string>;

beforeAll(async () => {
  ({ cloud, c, ids } = await startStack(synth((app) => {
    const stack = new Stack(app, 'Fuzz', { env: { account: '000000000000', region: 'us-east-1' } });
    const records = new sqs.Queue(stack, 'Records');
    new lambda.Function(stack, 'Real', {
      runtime: lambda.Runtime.NODEJS_20_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async (e) => ({ seq: e.seq });'),
      retryAttempts: 0,
      onSuccess: new SqsDestination(records),
    });
    // what the fuzz requests name: never the real function or its records queue
    new lambda.Function(stack, 'Target', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async (e) => { if (e && e.x) throw new Error("x"); return e; };'),
    });
    new sqs.Queue(stack, 'FuzzQueue');
    new sns.Topic(stack, 'FuzzTopic');
    new s3.Bucket(stack, 'FuzzBucket');
  }), 'Fuzz'));
}, 60_000);

afterAll(() => stopStack(cloud, c));

const id = (prefix: string) => resourceId(ids, prefix);

interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** The generator: random requests shaped after each protocol, with random holes in them. */
function generator(random: () => number) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const chance = (p: number) => random() < p;
  const garbage = (max = 40): string => {
    const alphabet = 'abcXYZ019-_.~/%?&=#[]{}"\'\\:;, \t\n\r\u0000\u00e9\u4e2d😀\uD800<>*+$!@';
    return Array.from({ length: int(max) }, () => alphabet[int(alphabet.length)]).join('');
  };
  const headerSafe = (s: string) => s.replace(/[^\x21-\x7e]/g, 'x');
  const scalar = (): unknown => pick([null, true, 0, -1, 1.5, 1e308, '', garbage(), 'x'.repeat(int(5000)), [], {}]);
  const value = (depth = 0): unknown => {
    if (depth > 3 || chance(0.5)) return scalar();
    if (chance(0.5)) return Array.from({ length: int(4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['Entries', 'QueueUrl', 'Name', garbage(8)]), value(depth + 1)]));
  };
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  const body = (fields: Record<string, () => unknown>): string => {
    switch (int(8)) {
      case 0: return '';
      case 1: return garbage(200);
      case 2: return deep(1 + int(20000));
      case 3: return JSON.stringify(value());
      case 4: return '{"unterminated": ';
      default: {
        const members = Object.entries(fields).filter(() => chance(0.8));
        return JSON.stringify(Object.fromEntries(members.map(([k, f]) => [k, chance(0.8) ? f() : scalar()])));
      }
    }
  };
  const form = (params: Record<string, () => string>): string => {
    const p = new URLSearchParams();
    for (const [k, f] of Object.entries(params)) if (chance(0.85)) p.set(k, chance(0.85) ? f() : garbage());
    for (let i = int(3); i > 0; i--) p.set(garbage(10), garbage());
    return chance(0.1) ? garbage(100) : p.toString();
  };
  const scope = (service: string) => `AWS4-HMAC-SHA256 Credential=x/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
  const methods = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS'];
  const fnName = () => pick([id('Target'), `${id('Target')}:$LATEST`, `${id('Target')}:9`, 'nope', garbage(), '%E0%A4%A', '..', 'a'.repeat(200)]);
  const queueUrl = () => pick([id('FuzzQueue'), `${cloud.endpoint}/000000000000/none`, garbage(), `${cloud.endpoint}/../../x`]);
  const topicArn = () => pick([id('FuzzTopic'), 'arn:aws:sns:us-east-1:000000000000:none', garbage(), 'arn']);
  const bucket = () => pick([id('FuzzBucket'), 'no-such-bucket', garbage(10), '..']);
  const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '?');
  const encode = (s: string) => (chance(0.7) ? encodeURIComponent(wellFormed(s)) : s.replace(/[^\x21-\x7e]/g, '_'));

  const protocols: Record<string, () => Omit<FuzzRequest, 'body'> & { body: string }> = {
    lambda: () => ({
      method: pick(['POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH']),
      path: pick([
        `/2015-03-31/functions/${encode(fnName())}/invocations`,
        `/2019-09-25/functions/${encode(fnName())}/event-invoke-config`,
        `/2015-03-31/functions/${encode(fnName())}`,
        `/2015-03-31/functions/${encode(fnName())}/invocations?Qualifier=${encode(garbage(8))}`,
      ]),
      headers: {
        'authorization': scope('lambda'),
        'x-amz-invocation-type': headerSafe(pick(['Event', 'RequestResponse', 'DryRun', garbage(10)])),
        ...(chance(0.3) ? { 'x-amz-log-type': 'Tail' } : {}),
      },
      body: body({ x: () => chance(0.5), MaximumRetryAttempts: () => pick([-1, 0, 2, 3, 1.5, 'x']), DestinationConfig: () => value() }),
    }),
    sqsJson: () => ({
      method: 'POST',
      path: '/',
      headers: {
        'x-amz-target': `AmazonSQS.${pick(['SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'CreateQueue', 'GetQueueAttributes', 'SetQueueAttributes', 'ListQueues', 'ChangeMessageVisibility', garbage(8)])}`,
        'content-type': 'application/x-amz-json-1.0',
      },
      body: body({
        QueueUrl: queueUrl,
        QueueName: () => pick(['fuzz-q', '../../q', '..', 'a/b', garbage(90)]),
        MessageBody: () => pick([garbage(), '😀', '\u0000']),
        WaitTimeSeconds: () => pick([0, 1, 20, 21, -1, 'x', 0.5]),
        MaxNumberOfMessages: () => pick([1, 10, 11, 0]),
        Entries: () => value(),
        Attributes: () => value(),
        VisibilityTimeout: () => pick([0, -1, 43201]),
      }),
    }),
    sqsQuery: () => ({
      method: pick(['POST', 'GET']),
      path: pick(['/', `/?Action=CreateQueue&QueueName=${encode(garbage(10))}`, '/000000000000/none']),
      headers: { 'authorization': scope('sqs'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({ Action: () => pick(['CreateQueue', 'SendMessage', 'ReceiveMessage', 'ListQueues']), QueueName: () => pick(['..', 'ok-q', garbage()]), QueueUrl: queueUrl }),
    }),
    snsQuery: () => ({
      method: 'POST',
      path: '/',
      headers: { 'authorization': scope('sns'), 'content-type': pick(['application/x-www-form-urlencoded', 'text/plain', 'application/json']) },
      body: form({
        'Action': () => pick(['Publish', 'PublishBatch', 'Subscribe', 'Unsubscribe', 'CreateTopic', 'ListTopics', 'DeleteTopic', 'GetTopicAttributes']),
        'TopicArn': topicArn,
        'Message': () => garbage(),
        'Protocol': () => pick(['lambda', 'sqs', 'http', garbage(5)]),
        'Endpoint': () => pick([id('Target'), garbage()]),
        'MessageStructure': () => pick(['json', garbage(4)]),
        'Attributes.entry.1.key': () => 'FilterPolicy',
        'Attributes.entry.1.value': () => pick(['{"a":["b"]}', '{"a":[{"wildcard":"*"}]}', garbage()]),
        'PublishBatchRequestEntries.member.1.Id': () => garbage(5),
        'PublishBatchRequestEntries.member.1.Message': () => garbage(),
        'MessageAttributes.entry.1.Name': () => garbage(5),
        'MessageAttributes.entry.1.Value.DataType': () => pick(['String', 'Number', 'Binary', garbage(4)]),
      }),
    }),
    s3: () => ({
      method: pick(methods),
      path: pick([`/${encode(bucket())}`, `/${encode(bucket())}/${encode(garbage(20))}`, `/${encode(bucket())}?tagging`, `/${encode(bucket())}?policy`,
        `/${encode(bucket())}?versions`, `/${encode(bucket())}?list-type=2&prefix=${encode(garbage(5))}`, `/${encode(garbage(10))}?${encode(garbage(10))}`]),
      headers: { 'authorization': scope('s3'), 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...(chance(0.3) ? { 'content-md5': headerSafe(garbage(10)) } : {}) },
      body: chance(0.5) ? garbage(300) : pick(['<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>', '{"Statement":null}', '<<<']),
    }),
    events: () => ({
      method: 'POST',
      path: '/',
      headers: {
        'x-amz-target': `AWSEvents.${pick(['PutEvents', 'TestEventPattern', 'ListRules', 'DescribeRule', 'ListTargetsByRule', 'DescribeEventBus', 'ListEventBuses', garbage(6)])}`,
        'content-type': 'application/x-amz-json-1.1',
      },
      body: body({
        Entries: () => value(),
        EventPattern: () => pick(['{"a":[{"numeric":[">"]}]}', '{"a":[{"wildcard":"**"}]}', JSON.stringify(value()), garbage()]),
        Event: () => JSON.stringify(value()),
        Name: () => garbage(),
        EventBusName: () => pick(['default', garbage()]),
      }),
    }),
    cloudformation: () => ({
      method: 'POST',
      path: '/',
      headers: { 'authorization': scope('cloudformation'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({
        Action: () => pick(['DescribeStacks', 'ListStackResources', 'DescribeStackResources', 'DescribeStackResource', 'ListExports', 'DeleteStack', garbage(6)]),
        // never the real stack: DeleteStack would tear it down
        StackName: () => pick(['NoSuchStack', garbage(), 'arn:aws:cloudformation:us-east-1:000000000000:stack/x/y']),
        LogicalResourceId: () => garbage(10),
      }),
    }),
    iam: () => ({
      method: 'POST',
      path: '/',
      headers: { 'authorization': scope('iam'), 'content-type': 'application/x-www-form-urlencoded' },
      body: form({
        Action: () => pick(['GetRole', 'ListRolePolicies', 'GetRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy', garbage(6)]),
        RoleName: () => pick(['no-such-role', garbage()]),
        PolicyName: () => garbage(10),
        PolicyDocument: () => pick(['null', '123', '{}', JSON.stringify(value()), '{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}']),
      }),
    }),
    cloudwatch: () => ({
      method: 'POST',
      path: '/',
      headers: { 'x-amz-target': `GraniteServiceVersion20100801.${pick(['GetMetricData', 'GetMetricStatistics', 'PutMetricData', garbage(5)])}`, 'content-type': 'application/x-amz-json-1.0' },
      body: body({
        MetricDataQueries: () => value(),
        StartTime: () => pick([0, 'x', -1e20, 1e20]),
        EndTime: () => pick([1e10, 'y']),
        Period: () => pick([0, -60, 1e-9, 60]),
        Statistics: () => value(),
        Namespace: () => 'AWS/Lambda',
        MetricName: () => 'AsyncEventsReceived',
      }),
    }),
    states: () => ({
      method: 'POST',
      path: '/',
      headers: {
        'x-amz-target': `AWSStepFunctions.${pick(['StartExecution', 'DescribeExecution', 'StopExecution', 'ListExecutions', 'GetExecutionHistory', 'ListStateMachines', garbage(5)])}`,
        'content-type': 'application/x-amz-json-1.0',
      },
      body: body({ stateMachineArn: () => garbage(), executionArn: () => garbage(), input: () => pick(['{}', garbage(), deep(5000)]), maxResults: () => pick([-1, 0, 1e9]) }),
    }),
    local: () => ({
      method: pick(methods),
      path: pick(['/_local/health', '/_local/metrics', `/_local/metrics?FunctionName=${encode(garbage(10))}`, `/_local/deliveries?limit=${encode(garbage(4))}`,
        `/_local/cfn-response/${encode(garbage(36))}`, `/_local/${encode(garbage(10))}`]),
      headers: {},
      body: chance(0.5) ? JSON.stringify(value()) : garbage(100),
    }),
  };

  return (): FuzzRequest => {
    const protocol = pick(Object.keys(protocols));
    const r = protocols[protocol]();
    const headers: Record<string, string> = { host: `127.0.0.1:${cloud.port}`, ...r.headers };
    for (let i = int(3); i > 0; i--) headers[`x-fuzz-${int(1000)}`] = headerSafe(garbage(30));
    if (chance(0.1)) headers['content-type'] = headerSafe(garbage(20));
    if (chance(0.05)) headers.host = headerSafe(pick(['evil.example', 'localhost', `127.0.0.1:${cloud.port + 1}`]));
    if (chance(0.03)) headers.origin = 'http://evil.example';
    // request targets that are not paths (absolute-form, authority-form): `GET http://[` once ended the process
    const path = chance(0.03) ? pick(['http://[', 'http://[::1', `http://127.0.0.1:${cloud.port}${r.path}`, '//x', '*']) : r.path;
    return { method: r.method, path, headers, body: Buffer.from(r.body) };
  };
}

/** Sends one request; resolves with its status, or the connection error; `onServerError` gets the body of a 5xx answer. */
function send(agent: http.Agent, r: FuzzRequest, onServerError: (body: string) => void): Promise<number | string> {
  return new Promise((resolve) => {
    let req: http.ClientRequest;
    try {
      req = http.request({ host: '127.0.0.1', port: cloud.port, method: r.method, path: r.path, headers: r.headers, agent, timeout: 10_000 }, (res) => {
        let text = '';
        res.on('data', (d) => { if (res.statusCode! >= 500) text += d; });
        res.on('end', () => {
          if (res.statusCode! >= 500) onServerError(text);
          resolve(res.statusCode!);
        });
        res.on('error', (e) => resolve(`response error ${e.message}`));
      });
    } catch (e) {
      return resolve(`client refused: ${(e as Error).message}`); // node:http would not send it
    }
    req.on('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.on('error', (e) => resolve(`connection error ${e.message}`));
    req.end(r.method === 'GET' || r.method === 'HEAD' ? undefined : r.body);
  });
}

test(`${REQUESTS} malformed requests across every protocol: each answered, the server up, no record of a concurrent real invocation lost or doubled`, async () => {
  const next = generator(prng(SEED));
  const requests = Array.from({ length: REQUESTS }, next);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const statuses = new Map<string, number>();
  const failures: string[] = [];
  const internalErrors: string[] = [];
  const realIds: string[] = [];
  const realInvokes: Promise<void>[] = [];
  let i = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (i < requests.length) {
      const n = i++;
      if (n % REAL_EVERY === 0) {
        realInvokes.push(c.lambda.send(new InvokeCommand({ FunctionName: id('Real'), InvocationType: 'Event', Payload: Buffer.from(JSON.stringify({ seq: n })) }))
          .then((out) => { realIds.push(out.$metadata.requestId!); }));
      }
      const r = requests[n];
      const status = await send(agent, r, (body) => {
        // the backend (fauxqs) answers some malformed SQS bodies with its own 500; the local cloud's own handlers must not fail
        if (body.includes('ServiceException')) internalErrors.push(`#${n} ${r.method} ${r.path}: ${body.slice(0, 200)}`);
      });
      if (typeof status === 'string' && !status.startsWith('client refused')) failures.push(`#${n} ${r.method} ${r.path}: ${status}`);
      const key = typeof status === 'number' ? `${Math.floor(status / 100)}xx` : status.split(':')[0];
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    }
  }));
  agent.destroy();
  await Promise.all(realInvokes);

  // every request got an HTTP answer, none an internal error of the local cloud
  expect(failures).toEqual([]);
  expect(internalErrors).toEqual([]);
  expect((statuses.get('4xx') ?? 0) + (statuses.get('2xx') ?? 0)).toBeGreaterThan(REQUESTS * 0.5);
  // the server is up and works
  const health = await fetch(`${cloud.endpoint}/_local/health`);
  expect(health.status).toBe(200);
  const sync = await c.lambda.send(new InvokeCommand({ FunctionName: id('Target'), Payload: Buffer.from('{"ok":1}') }));
  expect(JSON.parse(Buffer.from(sync.Payload!).toString())).toEqual({ ok: 1 });
  // each real invocation's record arrived once
  await cloud.idle();
  const records = await receive(c, id('Records'), realIds.length, 20_000);
  expect(records.map((m) => JSON.parse(m.Body!).requestContext.requestId).sort()).toEqual([...realIds].sort());
  await expectEmpty(c, id('Records'));
}, 120_000);
