import * as http from 'node:http';
import * as net from 'node:net';
import { GetFunctionCommand } from '@aws-sdk/client-lambda';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LocalCloud } from '../../src';
import { Clients, clients, startMinimalCloud } from '../helpers';

// The front server must answer every request (or refuse it) and stay up: a malformed request line
// once ended the whole process. It answers only its own loopback endpoint, and refuses browser
// requests from other origins (DNS rebinding, CSRF).

let cloud: LocalCloud;
let c: Clients;

beforeAll(async () => {
  cloud = await startMinimalCloud('FrontServer');
  c = clients(cloud.endpoint);
}, 60_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
});

/** Sends raw bytes and resolves with whatever comes back before the server closes the connection (or 2 s pass). */
function raw(text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(cloud.port, '127.0.0.1');
    let got = '';
    const timer = setTimeout(() => { socket.destroy(); resolve(got); }, 2000);
    socket.on('data', (d) => { got += d; });
    socket.on('close', () => { clearTimeout(timer); resolve(got); });
    socket.on('error', (e) => { clearTimeout(timer); if (got) resolve(got); else reject(e); });
    socket.end(text);
  });
}

/** One HTTP request through node:http; resolves with status and body. */
function request(method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: cloud.port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function health(): Promise<number> {
  return (await request('GET', '/_local/health', { host: `127.0.0.1:${cloud.port}` })).status;
}

describe('malformed requests', () => {
  test.each([
    ['an absolute-form target that is not a URL', 'GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n\r\n'],
    ['an absolute-form target with a bad port', 'POST http://127.0.0.1:99999999/ HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nContent-Length: 0\r\n\r\n'],
    ['a request line that is not HTTP', 'HELLO\r\n\r\n'],
    ['a header without a colon', 'GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n'],
    ['a body shorter than its Content-Length', 'POST /2015-03-31/functions/x/invocations HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\nContent-Length: 100\r\n\r\n{}'],
    ['a malformed percent-encoding in a Lambda path', 'GET /2015-03-31/functions/%E0%A4%A/configuration HTTP/1.1\r\nHost: 127.0.0.1:PORT\r\n\r\n'],
  ])('%s: answered or refused, and the server stays up', async (_name, text) => {
    const answer = await raw(text.replace(/PORT/g, String(cloud.port)));
    if (answer) expect(answer).toMatch(/^HTTP\/1\.1 [45]\d\d /);
    expect(await health()).toBe(200);
  });

  test('GET http://[ gets 400 (the request that used to end the process)', async () => {
    const answer = await raw(`GET http://[ HTTP/1.1\r\nHost: 127.0.0.1:${cloud.port}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  });
});

describe('Host and Origin', () => {
  test.each([
    ['another host name (DNS rebinding)', { host: `attacker.example:${'PORT'}` }],
    ['the right host on another port', { host: '127.0.0.1:1' }],
    ['a cross-origin POST from a web page', { 'host': '127.0.0.1:PORT', 'origin': 'http://attacker.example', 'content-type': 'text/plain' }],
    ['a page on another localhost port', { host: 'localhost:PORT', origin: 'http://localhost:3000' }],
    ['Sec-Fetch-Site cross-site without Origin', { 'host': '127.0.0.1:PORT', 'sec-fetch-site': 'cross-site' }],
  ])('refuses %s with 403 and runs nothing', async (_name, headers) => {
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('PORT', String(cloud.port))]));
    const out = await request('POST', '/2015-03-31/functions/anything/invocations', { ...h, 'x-amz-invocation-type': 'Event' }, '{}');
    expect(out.status).toBe(403);
    expect(JSON.parse(out.body).__type).toBe('AccessDeniedException');
  });

  test('refuses a virtual-hosted S3 name (bucket.localhost) and says to use the 127.0.0.1 endpoint', async () => {
    const out = await request('GET', '/key', { host: `bucket.localhost:${cloud.port}` });
    expect(out.status).toBe(403);
    expect(JSON.parse(out.body).message).toContain(`a virtual-hosted S3 request: use the endpoint http://127.0.0.1:${cloud.port}`);
  });

  test.each([
    ['127.0.0.1:<port>', '127.0.0.1'],
    ['localhost:<port>', 'localhost'],
  ])('answers Host %s, and a same-origin Origin', async (_name, hostName) => {
    const host = `${hostName}:${cloud.port}`;
    expect((await request('GET', '/_local/health', { host })).status).toBe(200);
    expect((await request('GET', '/_local/health', { host, 'origin': `http://${host}`, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  test('SDK v3 clients configured through AWS_ENDPOINT_URL still work', async () => {
    const saved = process.env.AWS_ENDPOINT_URL;
    process.env.AWS_ENDPOINT_URL = cloud.endpoint;
    const sqs = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    try {
      const out = await sqs.send(new ListQueuesCommand({}));
      expect(out.QueueUrls?.length).toBe(1);
    } finally {
      sqs.destroy();
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
      else process.env.AWS_ENDPOINT_URL = saved;
    }
    await expect(c.lambda.send(new GetFunctionCommand({ FunctionName: 'none' }))).rejects.toThrow(/Function not found/);
  });
});
