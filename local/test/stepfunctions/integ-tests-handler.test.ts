/**
 * End to end with integ-tests-alpha's own Lambda handler bundle: its `handler` starts the waiter through the AWS SDK
 * (StartExecution over HTTP against this service), the interpreter runs its real `isComplete` / `onTimeout`
 * functions, and they answer CloudFormation (captured by stubbing https.request).
 */
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { lambdaArn, SM_ARN, waiterDefinition } from './support';
import { LambdaInvokeResult, lambdaFailure, StepFunctionsApi, StepFunctionsService } from '../../src/services/stepfunctions';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const https: typeof import('node:https') = require('https');
// a plain CommonJS bundle without types: required as the Lambda runtime loads it
// eslint-disable-next-line @typescript-eslint/no-require-imports
const bundle = require('@aws-cdk/integ-tests-alpha/lib/assertions/providers/lambda-handler.bundle/index.js');

// the module object itself (what the bundle's `require("https")` gets), not an import namespace
// eslint-disable-next-line @typescript-eslint/no-require-imports

const IS_COMPLETE = lambdaArn('IsComplete');
const ON_TIMEOUT = lambdaArn('OnTimeout');
const context = { getRemainingTimeInMillis: () => 60_000, logStreamName: 'local/stream' };

/** What the Lambda runtime does around a Node.js handler. */
async function runHandler(fn: (event: unknown, ctx: unknown) => Promise<unknown>, payload: unknown): Promise<LambdaInvokeResult> {
  try {
    const r = await fn(payload, context);
    return { payload: r === undefined ? null : JSON.parse(JSON.stringify(r)) };
  } catch (e: any) {
    return lambdaFailure({ errorType: e.name, errorMessage: e.message, trace: String(e.stack).split('\n') });
  }
}

describe('integ-tests-alpha lambda handler bundle against the local service', () => {
  let server: http.Server;
  let endpoint: string;
  let svc: StepFunctionsService;
  let probeFailures = 0;
  let probeHits = 0;
  const cfnResponses: any[] = [];
  const invoked: string[] = [];
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', (): void => {
        if (req.url === '/probe') {
          probeHits++;
          if (probeHits <= probeFailures) {
            req.socket.destroy();
            return;
          }
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ ready: true }));
          return;
        }
        const target = String(req.headers['x-amz-target'] ?? '');
        if (!target.startsWith('AWSStepFunctions.')) {
          res.statusCode = 404;
          res.end();
          return;
        }
        void new StepFunctionsApi(svc).operation(target.slice('AWSStepFunctions.'.length), Buffer.concat(chunks)).then((r) => {
          res.statusCode = r.status;
          res.setHeader('content-type', 'application/x-amz-json-1.0');
          res.end(JSON.stringify(r.body));
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
  });

  afterAll(async () => {
    process.env = savedEnv;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  beforeEach(() => {
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    jest.spyOn(console, 'info').mockImplementation(() => undefined);
    // CloudFormation's pre-signed response URL: capture the PUT body
    jest.spyOn(https, 'request').mockImplementation(((_opts: unknown, onResponse: (res: unknown) => void) => {
      const req = new EventEmitter() as any;
      let body = '';
      req.write = (d: string) => { body += d; };
      req.end = () => {
        cfnResponses.push(JSON.parse(body));
        onResponse({ statusCode: 200 });
      };
      return req;
    }) as any);
    cfnResponses.length = 0;
    invoked.length = 0;
    probeHits = 0;
    svc = new StepFunctionsService({
      timeScale: 0.001,
      invokeLambda: (arn, payload) => {
        invoked.push(arn);
        if (arn === IS_COMPLETE) return runHandler(bundle.isComplete, payload);
        if (arn === ON_TIMEOUT) return runHandler(bundle.onTimeout, payload);
        return Promise.resolve({ error: 'Lambda.ResourceNotFoundException', cause: arn });
      },
    });
    svc.createStateMachine(SM_ARN, 'Waiter', waiterDefinition(IS_COMPLETE, ON_TIMEOUT, 5, 3), 'arn:aws:iam::123456789012:role/R');
  });

  afterEach(() => {
    svc.dispose();
    jest.restoreAllMocks();
  });

  function createEvent() {
    return {
      RequestType: 'Create',
      ServiceToken: lambdaArn('Provider'),
      ResponseURL: 'https://cloudformation-custom-resource-response-useast1.s3.amazonaws.com/resp?sig=1',
      StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/DeployAssert/1',
      RequestId: `req-${Math.random().toString(16).slice(2)}`,
      LogicalResourceId: 'HttpApiCall',
      ResourceType: 'Custom::DeployAssert@HttpCallprobe',
      ResourceProperties: { ServiceToken: lambdaArn('Provider'), stateMachineArn: SM_ARN, parameters: { url: `${endpoint}/probe` } },
    };
  }

  async function runWaiter(failures: number) {
    probeFailures = failures;
    const event = createEvent();
    // WHEN the provider handler gets the Create event: it calls StartExecution through the SDK and returns
    await bundle.handler(event, context);
    const list = (await new StepFunctionsApi(svc).operation('ListExecutions', { stateMachineArn: SM_ARN })).body as any;
    expect(list.executions).toHaveLength(1);
    expect(list.executions[0].name).toBe(event.RequestId);
    await svc.idle();
    const d = (await new StepFunctionsApi(svc).operation('DescribeExecution', { executionArn: list.executions[0].executionArn })).body as any;
    return { event, d };
  }

  test('probe ready after 2 failures: isComplete retried, CloudFormation gets SUCCESS', async () => {
    const { event, d } = await runWaiter(2);
    expect(invoked).toEqual([IS_COMPLETE, IS_COMPLETE, IS_COMPLETE]);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.input)).toEqual(event);
    expect(cfnResponses).toHaveLength(1);
    expect(cfnResponses[0]).toMatchObject({ Status: 'SUCCESS', RequestId: event.RequestId, LogicalResourceId: 'HttpApiCall' });
  });

  test('probe never ready: after MaxAttempts retries onTimeout parses the Cause and CloudFormation gets FAILED', async () => {
    const { event, d } = await runWaiter(Infinity);
    expect(invoked).toEqual([IS_COMPLETE, IS_COMPLETE, IS_COMPLETE, IS_COMPLETE, ON_TIMEOUT]);
    expect(d.status).toBe('SUCCEEDED');
    expect(d.output).toBe('null');
    expect(cfnResponses).toHaveLength(1);
    expect(cfnResponses[0]).toMatchObject({ Status: 'FAILED', RequestId: event.RequestId });
    expect(cfnResponses[0].Reason).toBe(`Operation timed out: ${JSON.stringify(event)}`);
  });
});
