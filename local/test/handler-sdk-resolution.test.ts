import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LocalCloud } from '../src';
import { Clients, clients, startQuietCloud } from './helpers';
import { handlerNodePath } from '../src/stacks/providers/lambda-function';

// Lambda's Node.js runtimes offer every AWS SDK v3 client; the local cloud offers handlers the
// clients installed in the user's project (the node_modules above the cloud assembly), then its own.
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'handler-sdk-project-'));
let cloud: LocalCloud;
let c: Clients;

beforeAll(async () => {
  // a client only this project installed
  const pkg = path.join(project, 'node_modules', '@aws-sdk', 'client-forecastquery');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: '@aws-sdk/client-forecastquery', version: '3.0.0', main: 'index.js' }));
  fs.writeFileSync(path.join(pkg, 'index.js'), "exports.ForecastqueryClient = class { constructor() { this.from = 'the project'; } };");

  const app = new App({ outdir: path.join(project, 'cdk.out') });
  const stack = new Stack(app, 'HandlerSdkResolution', { env: { account: '000000000000', region: 'us-east-1' } });
  const fn = (id: string, code: string) => new lambda.Function(stack, id, {
    functionName: id.toLowerCase(), runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline(code),
  });
  fn('ProjectClient', "const { ForecastqueryClient } = require('@aws-sdk/client-forecastquery'); exports.handler = async () => new ForecastqueryClient().from;");
  fn('BundledClient', "const { SQSClient } = require('@aws-sdk/client-sqs'); exports.handler = async () => typeof SQSClient;");
  fn('MissingAtInit', "const { Foo } = require('@aws-sdk/client-notinstalledanywhere'); exports.handler = async () => 'never';");
  fn('MissingAtInvoke', "exports.handler = async () => { require('@aws-sdk/client-alsonotinstalled/dist-cjs/index.js'); };");
  app.synth();
  cloud = await startQuietCloud(path.join(project, 'cdk.out'));
  c = clients(cloud.endpoint);
}, 60_000);

afterAll(async () => {
  c?.destroy();
  await cloud?.stop();
  fs.rmSync(project, { recursive: true, force: true });
});

async function invoke(name: string): Promise<{ error?: string; payload: any }> {
  const out = await c.lambda.send(new InvokeCommand({ FunctionName: name }));
  return { error: out.FunctionError, payload: JSON.parse(Buffer.from(out.Payload!).toString()) };
}

test('GIVEN a client installed in the project WHEN a handler requires it THEN it loads from the project', async () => {
  expect(await invoke('projectclient')).toEqual({ error: undefined, payload: 'the project' });
});

test('GIVEN a client the local cloud itself depends on WHEN a handler requires it THEN it loads', async () => {
  expect(await invoke('bundledclient')).toEqual({ error: undefined, payload: 'function' });
});

test.each([
  ['at init', 'missingatinit', 'Runtime.ImportModuleError', '@aws-sdk/client-notinstalledanywhere'],
  ['inside the handler', 'missingatinvoke', 'Error', '@aws-sdk/client-alsonotinstalled'],
])('GIVEN a client installed nowhere WHEN required %s THEN the error names the package to install', async (_, name, errorType, pkg) => {
  const { error, payload } = await invoke(name);
  expect(error).toBe('Unhandled');
  expect(payload.errorType).toBe(errorType);
  expect(payload.errorMessage).toContain(`Cannot find module '${pkg}`);
  expect(payload.errorMessage).toContain(`npm install --save-dev ${pkg}`);
});

test('GIVEN nested project folders WHEN the NODE_PATH is built THEN the nearest node_modules comes first and the local cloud\'s own last', () => {
  const inner = path.join(project, 'packages', 'app');
  fs.mkdirSync(path.join(inner, 'node_modules'), { recursive: true });
  const dirs = handlerNodePath(path.join(inner, 'cdk.out'), os.tmpdir()).split(path.delimiter);
  expect(dirs.slice(0, 2)).toEqual([path.join(inner, 'node_modules'), path.join(project, 'node_modules')]);
  // last: a node_modules folder that holds the local cloud's own SDK clients
  expect(path.basename(dirs[dirs.length - 1])).toBe('node_modules');
  expect(fs.existsSync(path.join(dirs[dirs.length - 1], '@aws-sdk', 'client-sqs', 'package.json'))).toBe(true);
});
