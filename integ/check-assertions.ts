// Checks the part of each snapshot that integ-runner's snapshot check leaves out: the assertion
// stack. integ-runner compares only the test stacks (integ.json `testCases[].stacks`) with the
// committed snapshot, so a change to an invoke payload, an expected record fact or a waiter
// timeout would pass it silently. This synthesizes every scenario the way integ-runner does
// (same context and environment) and fails when an assertion stack differs from its snapshot.
//
//   ts-node --transpile-only --project integ/tsconfig.json integ/check-assertions.ts [integ.<name>.ts…]
//
// Ignored, as integ-runner ignores them: the `salt` of each assertion (Date.now() at synth, so
// assertions re-run on every deploy) and asset hashes (the assertion provider's bundle).
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const INTEG_DIR = __dirname;
const ROOT = path.dirname(INTEG_DIR);
const run = promisify(execFile);

/** The context and environment integ-runner synthesizes with (runner-base.js: getContext, DEFAULT_SYNTH_OPTIONS). */
function synthEnv(outdir: string): NodeJS.ProcessEnv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const flags = require('@aws-cdk/integ-runner/lib/recommended-feature-flags.json') as Record<string, unknown>;
  const context: Record<string, unknown> = { ...flags };
  delete context['@aws-cdk/core:target-partitions'];
  return {
    ...process.env,
    CDK_OUTDIR: outdir,
    CDK_CONTEXT_JSON: JSON.stringify(context),
    CDK_INTEG_ACCOUNT: '12345678',
    CDK_INTEG_REGION: 'test-region',
  };
}

/** A template without what changes on every synth or with every asset rebuild. */
function canonical(template: unknown): unknown {
  if (Array.isArray(template)) {
    return template.map(canonical);
  }
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template)
      .filter(([key]) => key !== 'salt')
      .map(([key, value]) => [key, canonical(value)]));
  }
  return typeof template === 'string' ? template.replace(/[0-9a-f]{64}/g, '<asset-hash>') : template;
}

/** Paths (a.b.c) at which two JSON values differ. */
function differences(expected: unknown, actual: unknown, at = ''): string[] {
  if (JSON.stringify(expected) === JSON.stringify(actual)) {
    return [];
  }
  if (typeof expected === 'string' && typeof actual === 'string' && expected.startsWith('{') && actual.startsWith('{')) {
    try {
      // an encoded expected result: point at the fact that changed, not at the whole string
      return differences(JSON.parse(expected), JSON.parse(actual), `${at}(json)`);
    } catch {
      // not JSON after all: report the strings
    }
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object' && Array.isArray(expected) === Array.isArray(actual)) {
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    return [...keys].flatMap(key => differences((expected as any)[key], (actual as any)[key], at ? `${at}.${key}` : key));
  }
  return [`${at}:\n      snapshot: ${JSON.stringify(expected)}\n      actual:   ${JSON.stringify(actual)}`];
}

async function check(file: string): Promise<string[]> {
  const snapshot = path.join(INTEG_DIR, `${file}.snapshot`);
  if (!fs.existsSync(snapshot)) {
    return [`${file}: no snapshot; create it with integ-runner (see "Integration tests" in README.md)`];
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-assertions-'));
  try {
    await run('npx', ['ts-node', '--transpile-only', '--project', 'integ/tsconfig.json', path.join('integ', file)], {
      cwd: ROOT, env: synthEnv(outdir), maxBuffer: 64 * 1024 * 1024,
    });
    const problems: string[] = [];
    const expectedCases = JSON.parse(fs.readFileSync(path.join(snapshot, 'integ.json'), 'utf8')).testCases;
    const actualCases = JSON.parse(fs.readFileSync(path.join(outdir, 'integ.json'), 'utf8')).testCases;
    for (const name of new Set([...Object.keys(expectedCases), ...Object.keys(actualCases)])) {
      const stack: string | undefined = (actualCases[name] ?? expectedCases[name]).assertionStackName;
      const expectedStack: string | undefined = expectedCases[name]?.assertionStackName;
      if (!stack || stack !== expectedStack) {
        problems.push(`${file}: test case ${name}: assertion stack ${expectedStack} in the snapshot, ${actualCases[name]?.assertionStackName} now`);
        continue;
      }
      const read = (dir: string) => canonical(JSON.parse(fs.readFileSync(path.join(dir, `${stack}.template.json`), 'utf8')));
      problems.push(...differences(read(snapshot), read(outdir)).map(d => `${file}: ${stack}: ${d}`));
    }
    return problems;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const requested = process.argv.slice(2).map(f => path.basename(f));
  const files = requested.length ? requested : fs.readdirSync(INTEG_DIR).filter(f => /^integ\..+\.ts$/.test(f) && !f.endsWith('.d.ts')).sort();
  const results = await Promise.all(files.map(async f => ({ file: f, problems: await check(f) })));
  for (const { file, problems } of results) {
    console.log(`  ${problems.length ? 'CHANGED  ' : 'UNCHANGED'}  ${file} (assertion stack)`);
    problems.forEach(p => console.log(`    ${p}`));
  }
  const failed = results.filter(r => r.problems.length);
  if (failed.length) {
    console.error(`\n${failed.length} of ${results.length} assertion stacks differ from their snapshot. ` +
      'If the change is intended, refresh the snapshots ("Integration tests" in README.md) and review the diff.');
    process.exit(1);
  }
  console.log(`\n${results.length} assertion stacks match their snapshots.`);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
