import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CDK, INTEG_RUNNER, localCloudEnv, runNode } from './cdk-cli-env';
import { LocalCloud } from '../src';
import { brokenSuccessToQueue } from './integ-scenarios';

/** The repository root: its integ/ scenarios, src/ and node_modules/. */
const ROOT = path.join(__dirname, '..', '..');
const SCENARIOS = ['integ.success-to-queue.ts', 'integ.failure-no-retries.ts'];

/**
 * The real integ-runner (snapshot check, deploy, assertions, destroy) against the local cloud, on
 * copies of two of this repository's integ scenarios (so their snapshots are not rewritten) and a
 * copy of one whose expectation is broken on purpose.
 */
describe('integ-runner against the local cloud', () => {
  let cloud: LocalCloud;
  let work: string;

  beforeAll(async () => {
    // GIVEN a copy of the repository's layout: integ/ copied, src/ and node_modules/ linked
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'local-integ-runner-'));
    fs.mkdirSync(path.join(work, 'integ'));
    for (const f of [...SCENARIOS, 'support.ts', 'tsconfig.json']) fs.copyFileSync(path.join(ROOT, 'integ', f), path.join(work, 'integ', f));
    for (const f of SCENARIOS) fs.cpSync(path.join(ROOT, 'integ', `${f}.snapshot`), path.join(work, 'integ', `${f}.snapshot`), { recursive: true });
    for (const f of ['tsconfig.json', 'package.json']) fs.copyFileSync(path.join(ROOT, f), path.join(work, f));
    for (const d of ['src', 'node_modules']) fs.symlinkSync(path.join(ROOT, d), path.join(work, d), 'dir');
    // and a scenario whose invoke assertion expects 200 from an Event invoke (it answers 202)
    fs.writeFileSync(path.join(work, 'integ', 'integ.broken.ts'), brokenSuccessToQueue());
    cloud = await LocalCloud.start({ port: 0, timeScale: 0.001, log: () => undefined, handlerOutput: 'ignore' });
  });

  afterAll(async () => {
    await cloud?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('two scenarios pass (deployed, asserted, destroyed); a broken expectation fails', async () => {
    const env = localCloudEnv(cloud.endpoint, work, { CDK_INTEG_REGION: 'us-east-1' });
    const bootstrap = await runNode(CDK, ['bootstrap', 'aws://000000000000/us-east-1', '--no-notices', '--ci'], work, env);
    expect(bootstrap.code).toBe(0);
    // WHEN integ-runner runs the three apps against the local cloud
    const run = await runNode(INTEG_RUNNER, [
      '--directory', 'integ', '--language', 'typescript', '--app', 'ts-node --transpile-only --project integ/tsconfig.json {filePath}',
      '--parallel-regions', 'us-east-1', '--force', ...SCENARIOS.map((f) => `integ/${f}`), 'integ/integ.broken.ts',
    ], work, env);
    // THEN the two scenarios pass and the broken one fails on its assertion
    expect(run.output).toMatch(/SUCCESS\s+integ\.success-to-queue-SuccessToQueue\/DefaultTest/);
    expect(run.output).toMatch(/SUCCESS\s+integ\.failure-no-retries-FailureNoRetries\/DefaultTest/);
    expect(run.output).toMatch(/ASSERT\s+integ\.broken-SuccessToQueue\/DefaultTest/);
    expect(run.output).toContain('!! Expected 200 but received 202');
    expect(run.code).toBe(1);
    // and every stack they deployed was destroyed (the toolkit stack stays)
    expect(cloud.stacks.map((s) => s.name)).toEqual(['CDKToolkit']);
  }, 300_000);
});
