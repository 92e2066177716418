/**
 * `cdk-async-local integ` (src/integ/runner.ts): this repository's integ tests (`integ/integ.*.ts`,
 * integ-tests-alpha) synthesized as integ-runner does, deployed to a fresh local cloud, every
 * `AssertionResults…` output read. All of them run in the root `integ:local` task; here two of them,
 * plus two scenarios whose expectation is broken on purpose (a plain assertion, a waiter).
 */
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { brokenSuccessToQueue } from './integ-scenarios';
import { discoverIntegApps, readableMismatch } from '../src/integ/runner';

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'local', 'bin', 'cdk-async-local.js');

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('cdk-async-local integ', () => {
  // Not named integ.*: integ-runner (test regex ^integ\..*\.(?:js|ts)$ on the file name) and
  // check-assertions.ts never take it for a scenario. It sits in integ/ for its ./support and ../src imports.
  const broken = path.join(ROOT, 'integ', `broken-${process.pid}-${crypto.randomBytes(4).toString('hex')}.ts`);
  const brokenWaiter = path.join(ROOT, 'integ', `broken-waiter-${process.pid}-${crypto.randomBytes(4).toString('hex')}.ts`);
  const failingCall = path.join(ROOT, 'integ', `failing-call-${process.pid}-${crypto.randomBytes(4).toString('hex')}.ts`);
  const plain = path.join(ROOT, 'integ', `plain-${process.pid}-${crypto.randomBytes(4).toString('hex')}.ts`);
  afterAll(() => [broken, brokenWaiter, failingCall, plain].forEach((f) => fs.rmSync(f, { force: true })));

  test('finds the integ apps as integ-runner does', () => {
    const apps = discoverIntegApps(ROOT).map((f) => path.basename(f));
    expect(apps.length).toBeGreaterThan(0);
    expect(apps.every((f) => /^integ\..+\.ts$/.test(f))).toBe(true);
  });

  test('two scenarios: exit 0, a PASS line each, the count of passed assertions', async () => {
    const r = await cli(['integ', 'integ/integ.success-to-queue.ts', 'integ/integ.failure-retry-ladder.ts']);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/^PASS integ\/integ\.success-to-queue\.ts \(2\/2 assertions/m);
    expect(r.stdout).toMatch(/^PASS integ\/integ\.failure-retry-ladder\.ts \(2\/2 assertions/m);
    expect(r.stdout.trim().split('\n').pop()).toBe('4 passed, 0 failed');
  });

  test('the same app passes at time scale 1: waiters, long polls and visibility timeouts in real time', async () => {
    // the default (0.001) runs it in the integ:local task; it passes the same in real time, in seconds,
    // because its waits end when what they wait for arrives
    const r = await cli(['integ', 'integ/integ.redrive.ts', '--time-scale', '1']);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/^PASS integ\/integ\.redrive\.ts \(4\/4 assertions/m);
  });

  test('a broken expectation fails: exit 1, the assertion id, expected vs actual', async () => {
    // success-to-queue, plus one assertion that expects an Event invoke to answer 200 (it answers 202)
    fs.writeFileSync(broken, brokenSuccessToQueue());
    const r = await cli(['integ', path.relative(ROOT, broken), '--time-scale', '0.001']);
    expect(r).toMatchObject({ code: 1 });
    expect(r.stdout).toMatch(/^FAIL integ\/broken-.*\.ts \(2\/3 assertions/m);
    expect(r.stdout).toMatch(/^ {2}FAIL AssertionResultsLambdaInvoke[0-9a-f]+\n\s+expected StatusCode: 200, actual: 202$/m);
    expect(r.stdout.trim().split('\n').pop()).toBe('2 passed, 1 failed');
  });

  test('a broken waitForAssertions waiter fails fast, with what its attempts saw', async () => {
    // success-to-queue, whose waiter expects a second attempt (there is one): its long polls (20 s),
    // retries (10 s over 2 min) and the queue's visibility timeout (30 s) are time-scaled, so it times
    // out in well under the custom resource timeout (60 s)
    const source = fs.readFileSync(path.join(ROOT, 'integ', 'integ.success-to-queue.ts'), 'utf8');
    expect(source).toContain('approximateInvokeCount: 1,');
    fs.writeFileSync(brokenWaiter, source.replace('approximateInvokeCount: 1,', 'approximateInvokeCount: 2,'));
    const started = Date.now();
    const r = await cli(['integ', path.relative(ROOT, brokenWaiter), '--time-scale', '0.001']);
    const seconds = (Date.now() - started) / 1000;
    expect(r).toMatchObject({ code: 1 });
    expect(r.stdout).toMatch(/^FAIL integ\/broken-waiter-.*\.ts \(0\/1 assertions/m);
    expect(r.stdout).not.toMatch(/^ERROR/m);
    // every attempt receives the record: the waiter's receive takes it for the queue's 30 s visibility
    // timeout, which lasts 30 ms at this time scale, so it shows again for the next attempt (it stayed
    // hidden for 30 s of real time before, and later attempts found no message)
    expect(r.stdout).toMatch(/^ {2}FAIL AssertionResultsAwsApiCallSQSreceiveMessage[0-9a-f]+\n {6}expected Messages\.Body\.requestContext\.approximateInvokeCount: 2, actual: 1\n/m);
    expect(r.stdout).not.toMatch(/Missing key 'Messages'/);
    expect(r.stdout.trim().split('\n').pop()).toBe('0 passed, 1 failed');
    expect(seconds).toBeLessThan(30);
  });

  test('a waiter whose API call fails shows the SDK error of the call', async () => {
    // success-to-queue, whose waiter reads a queue that does not exist
    const source = fs.readFileSync(path.join(ROOT, 'integ', 'integ.success-to-queue.ts'), 'utf8');
    expect(source).toContain('receiveFromQueue(integ, successRecords)');
    fs.writeFileSync(failingCall, source.replace('receiveFromQueue(integ, successRecords)',
      "integ.assertions.awsApiCall('SQS', 'receiveMessage', { QueueUrl: `${successRecords.queueUrl}-missing`, WaitTimeSeconds: 20 })"));
    const r = await cli(['integ', path.relative(ROOT, failingCall), '--time-scale', '0.001']);
    expect(r).toMatchObject({ code: 1 });
    expect(r.stdout).toMatch(/^FAIL integ\/failing-call-.*\.ts \(0\/1 assertions/m);
    expect(r.stdout).toMatch(/^ {2}FAIL AssertionResultsAwsApiCallSQSreceiveMessage[0-9a-f]+\n {6}no result: the API call sqs\.ReceiveMessage failed: QueueDoesNotExist: The specified queue does not exist\.$/m);
  });

  test('an app without assertions passes when it deploys and is destroyed; placeholder types are named on its line', async () => {
    fs.writeFileSync(plain, [
      "import { App, CfnResource, Stack } from 'aws-cdk-lib';",
      "import * as sqs from 'aws-cdk-lib/aws-sqs';",
      'const app = new App();',
      "const stack = new Stack(app, 'PlainApp');",
      "new sqs.Queue(stack, 'Queue');",
      "new CfnResource(stack, 'Database', { type: 'AWS::Glue::Database', properties: { CatalogId: '000000000000', DatabaseInput: { Name: 'db' } } });",
      '',
    ].join('\n'));
    const r = await cli(['integ', path.relative(ROOT, plain)]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toMatch(/^PASS integ\/plain-.*\.ts \(no assertions: deployed and destroyed, [\d.]+s; placeholders, not emulated: AWS::Glue::Database\)$/m);
    expect(r.stdout.trim().split('\n').pop()).toBe('0 passed, 0 failed');
  });

  test('mismatch messages read as expected vs actual, with the path', () => {
    const message = '{\n  "Messages": [\n    {\n      "Body": {\n        "requestContext": {\n!!         Expected 3 but received 1\n'
      + '          "approximateInvokeCount": 1\n        }\n      }\n    }\n  ]\n}';
    expect(readableMismatch(message)).toBe('expected Messages.Body.requestContext.approximateInvokeCount: 3, actual: 1');
    expect(readableMismatch('something else')).toBe('something else');
    // the lines that only wrap a nested mismatch are left out
    const nested = '{\n  "Messages": [\n!!   Could not match arrayWith pattern 0. This is the closest match\n    {\n'
      + '!!     Encoded JSON value does not match\n      "Body": "{}" <*> {\n        "requestContext": {\n'
      + '!!         Expected 2 but received 1\n          "approximateInvokeCount": 1\n        }\n      }\n    }\n  ]\n}';
    expect(readableMismatch(nested)).toBe('expected Messages.Body.requestContext.approximateInvokeCount: 2, actual: 1');
    expect(readableMismatch("{\n!! Missing key 'Messages'\n  \"Messages\": undefined\n}")).toBe("Messages: Missing key 'Messages'");
  });

  test('usage errors exit 2', async () => {
    const r = await cli(['integ', '--nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option --nope/);
  });
});
