/**
 * This repository's integ tests (`integ/integ.*.ts`, integ-tests-alpha) run against the local cloud:
 * each app is synthesized fresh (asset folders included, as integ-runner does), its test stack and
 * assertion stack deployed, and every `AssertionResults…` output (the assertion custom resources,
 * `waitForAssertions` waiters included) must report success.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { LocalCloud } from '../src';
import { clients } from './helpers';

jest.setTimeout(300_000);

const ROOT = path.resolve(__dirname, '../..');
const INTEG = path.join(ROOT, 'integ');
const run = promisify(execFile);
const apps = fs.existsSync(INTEG) ? fs.readdirSync(INTEG).filter((f) => /^integ\..+\.ts$/.test(f)).sort() : [];

/** Synthesizes the integ apps, two at a time; resolves to their assembly directories. */
function synthAll(): Map<string, Promise<string>> {
  const out = new Map<string, Promise<string>>();
  const chain: Promise<unknown>[] = [Promise.resolve(), Promise.resolve()];
  apps.forEach((file, i) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-integ-'));
    const p = chain[i % 2].then(() => run('npx', ['ts-node', '--transpile-only', '--project', 'integ/tsconfig.json', path.join('integ', file)], {
      cwd: ROOT, env: { ...process.env, CDK_OUTDIR: outdir }, maxBuffer: 64 * 1024 * 1024,
    })).then(() => outdir);
    chain[i % 2] = p.catch(() => undefined); // (also marks a failed synth as handled until its test awaits it)
    out.set(file, p);
  });
  return out;
}

describe('integ/ scenarios on the local cloud', () => {
  let assemblies: Map<string, Promise<string>>;
  beforeAll(() => {
    assemblies = synthAll();
  });
  afterAll(async () => {
    for (const p of assemblies.values()) {
      const dir = await p.catch(() => undefined);
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('there are integ apps', () => {
    expect(apps.length).toBeGreaterThan(0);
  });

  test.each(apps)('%s: every assertion succeeds', async (file) => {
    const assembly = await assemblies.get(file)!;
    const cloud = await LocalCloud.start({ assembly, port: 0, timeScale: 0.001, handlerOutput: 'ignore', log: () => undefined });
    const c = clients(cloud.endpoint);
    try {
      const results: Record<string, unknown> = {};
      for (const s of cloud.stacks) {
        const out = await c.cfn.send(new DescribeStacksCommand({ StackName: s.name }));
        for (const o of out.Stacks?.[0]?.Outputs ?? []) {
          if (o.OutputKey!.startsWith('AssertionResults')) results[o.OutputKey!] = JSON.parse(o.OutputValue!);
        }
      }
      expect(Object.keys(results).length).toBeGreaterThan(0);
      for (const [key, value] of Object.entries(results)) expect([key, value]).toEqual([key, { status: 'success' }]);
    } finally {
      c.destroy();
      await cloud.stop();
    }
  });
});
