/**
 * Runs integ-tests-alpha apps (`integ/integ.*.ts`) against fresh local clouds: each app is
 * synthesized the way integ-runner does it (ts-node, `CDK_OUTDIR`, integ-runner's context), its
 * test stacks and assertion stack deployed, every `AssertionResults…` output read, and the
 * stacks destroyed (custom resources get their Delete events; a failed teardown is an error).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readCloudAssembly } from '../assembly/cloud-assembly';
import { Deployer } from '../assembly/deployer';
import { LocalCloud } from '../local-cloud';
import { WaiterAttempts, WaiterMismatch } from './waiter-attempts';

export interface IntegRunOptions {
  /** The repository root: synth runs there with `--project integ/tsconfig.json`. @default process.cwd() */
  readonly dir?: string;
  /** Integ app files (absolute, or relative to `dir`). @default every `integ.*.ts` in `<dir>/integ` */
  readonly files?: string[];
  /** @default 0.001 */
  readonly timeScale?: number;
  /** Synths at a time. @default 2 */
  readonly parallel?: number;
  /** Handler output and deploy log to stderr. @default false */
  readonly verbose?: boolean;
  /** Seconds a custom resource may take before its deployment fails. @default 60 */
  readonly customResourceTimeoutSeconds?: number;
  /** Progress lines. @default stdout */
  readonly write?: (line: string) => void;
}

export interface AssertionOutcome {
  readonly id: string;
  readonly passed: boolean;
  /** the assertion's mismatch message, as integ-tests-alpha renders it */
  readonly message?: string;
  /** a `waitForAssertions` waiter that timed out: the distinct mismatches of its attempts */
  readonly waiter?: { readonly attempts: number; readonly mismatches: WaiterMismatch[] };
}

export interface IntegAppOutcome {
  readonly file: string;
  readonly assertions: AssertionOutcome[];
  /** synth or deployment failure */
  readonly error?: string;
  /** resource types the local cloud does not emulate: deployed as placeholders that do nothing */
  readonly placeholders: string[];
  readonly seconds: number;
}

export interface IntegRunResult {
  readonly apps: IntegAppOutcome[];
  readonly passed: number;
  readonly failed: number;
  /** an app failed to synth, deploy or tear down */
  readonly errors: number;
}

/** The `integ.*.ts` files of `<dir>/integ`, sorted (integ-runner's default test regex). */
export function discoverIntegApps(dir: string): string[] {
  const integ = path.join(dir, 'integ');
  if (!fs.existsSync(integ)) return [];
  return fs.readdirSync(integ).filter((f) => /^integ\..*\.ts$/.test(f)).sort().map((f) => path.join(integ, f));
}

/** integ-runner's synth environment (runner-base: recommended feature flags as context). */
export function synthEnv(dir: string, outdir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CDK_OUTDIR: outdir };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const flags = require(require.resolve('@aws-cdk/integ-runner/lib/recommended-feature-flags.json', { paths: [dir] })) as Record<string, unknown>;
    const context: Record<string, unknown> = { ...flags };
    delete context['@aws-cdk/core:target-partitions'];
    env.CDK_CONTEXT_JSON = JSON.stringify(context);
  } catch {
    // integ-runner not installed: synthesize without its context
  }
  return env;
}

function synth(dir: string, file: string, outdir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('npx', ['ts-node', '--transpile-only', '--project', path.join(dir, 'integ', 'tsconfig.json'), file], {
      cwd: dir, env: synthEnv(dir, outdir), maxBuffer: 64 * 1024 * 1024,
    }, (err, _stdout, stderr) => {
      if (err) reject(new Error(`synth failed: ${(stderr || err.message).trim().split('\n').slice(0, 20).join('\n')}`));
      else resolve();
    });
  });
}

/** integ-tests-alpha's mismatch lines that only wrap the mismatches nested in them. */
const CONTAINER_MISMATCH = /^(Could not match arrayWith pattern \d+\. This is the closest match|Encoded JSON value does not match)$/;

/**
 * Turns integ-tests-alpha's mismatch rendering into `expected <path>: <value>, actual: <value>`
 * lines, one per mismatch; the raw message when it has none of its `!! ` markers.
 */
export function readableMismatch(message: string): string {
  const lines = message.split('\n').filter((l) => !/^\s*$/.test(l));
  const indentOf = (l: string) => /^\s*/.exec(l)![0].length;
  const keyOf = (l: string) => /^\s*"([^"]+)"\s*:/.exec(l)?.[1];
  /** a.b.c of the value on line `at`: its key, then the keys of the lines that open its parents */
  const pathAt = (at: number): string => {
    const keys: string[] = [];
    let ind = indentOf(lines[at]);
    const own = keyOf(lines[at]);
    if (own) keys.unshift(own);
    for (let j = at - 1; j >= 0 && ind > 0; j--) {
      if (/^\s*!!/.test(lines[j]) || indentOf(lines[j]) >= ind) continue;
      ind = indentOf(lines[j]);
      const k = keyOf(lines[j]);
      if (k) keys.unshift(k);
    }
    return keys.join('.');
  };
  const found: { where: string; line: string; container: boolean }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*!!\s*(.*)$/.exec(lines[i]);
    if (!m) continue;
    // integ-tests-alpha puts the marker above the line it is about
    const at = i + 1 < lines.length ? i + 1 : i - 1;
    const where = at >= 0 ? pathAt(at) : '';
    const exp = /^Expected (.*) but received (.*)$/s.exec(m[1]);
    found.push({
      where,
      line: exp ? `expected ${where ? `${where}: ` : ''}${exp[1]}, actual: ${exp[2]}` : `${where ? `${where}: ` : ''}${m[1]}`,
      container: CONTAINER_MISMATCH.test(m[1]),
    });
  }
  // "no array element matched" / "the encoded JSON does not match" say no more than the mismatches inside them
  const out = found.filter((f) => !f.container || !found.some((g) => g !== f && !g.container && g.where.startsWith(`${f.where}.`)));
  return out.length ? out.map((f) => f.line).join('\n') : message.trim();
}

/** The assertion failure in a deployment error (an assertion result as the FAILED reason, e.g. `failDeployment`). */
function assertionInError(message: string): { id?: string; message: string } | undefined {
  const i = message.indexOf('{"status":"fail"');
  if (i < 0) return undefined;
  // the JSON object runs to its matching brace
  let depth = 0; let inStr = false;
  for (let j = i; j < message.length; j++) {
    const c = message[j];
    if (inStr) { if (c === '\\') j++; else if (c === '"') inStr = false; continue; }
    if (c === '"') {
      inStr = true;
    } else if (c === '{') {
      depth++;
    } else if (c === '}' && --depth === 0) {
      try {
        const parsed = JSON.parse(message.slice(i, j + 1)) as { message?: string };
        const id = /failed to deploy: (\S+) \(/.exec(message)?.[1];
        return { id, message: parsed.message ?? '' };
      } catch { return undefined; }
    }
  }
  return undefined;
}

/**
 * A `waitForAssertions` waiter that timed out, in a deployment error: onTimeout's FAILED response
 * (`Operation timed out: …`) for the custom resource `id`, with the mismatches its attempts saw.
 */
function waiterInError(message: string, attempts: WaiterAttempts): AssertionOutcome | undefined {
  const m = /failed to deploy: (\S+) \(.*Message returned: Operation timed out: .*\(RequestId: ([^)\s]+)\)\s*$/s.exec(message);
  if (!m) return undefined;
  const mismatches = attempts.mismatches(m[2]);
  const text = mismatches.length ? mismatches.map((x) => x.message).join('\n')
    : 'the waiter timed out without a recorded attempt (--verbose shows the handler output)';
  return { id: m[1], passed: false, message: text, waiter: { attempts: attempts.attempts(m[2]), mismatches } };
}

/** The `AssertionResults…` output that reads the `assertion` attribute of `logicalId`, in any stack of the assembly. */
function assertionOutputOf(assemblyDir: string, logicalId: string): string {
  try {
    for (const stack of readCloudAssembly(assemblyDir).stacks) {
      const outputs = (stack.template as { Outputs?: Record<string, { Value?: unknown }> }).Outputs ?? {};
      for (const [key, o] of Object.entries(outputs)) {
        const att = (o.Value as { 'Fn::GetAtt'?: unknown[] } | undefined)?.['Fn::GetAtt'];
        if (key.startsWith('AssertionResults') && Array.isArray(att) && att[0] === logicalId) return key;
      }
    }
  } catch {
    // an unreadable assembly would not have deployed
  }
  return logicalId;
}

/**
 * The failure lines of one assertion: expected vs actual, per distinct mismatch of a waiter's
 * attempts as read (attempts whose raw answers differ only in message ids and receipt handles read
 * the same and are shown once).
 */
function failureLines(a: AssertionOutcome): string {
  const byText = new Map<string, number[]>();
  for (const x of a.waiter?.mismatches ?? []) {
    const text = readableMismatch(x.message);
    byText.set(text, [...byText.get(text) ?? [], ...x.attempts]);
  }
  if (byText.size === 0) return indent(readableMismatch(a.message ?? ''));
  if (byText.size === 1) return indent([...byText.keys()][0]);
  return [...byText].map(([text, attempts]) => `${indent(`${attemptsLabel(attempts.sort((x, y) => x - y))} of ${a.waiter!.attempts}:`)}\n${indent(text, 8)}`).join('\n');
}

/** `attempt 1`, `attempts 2–13`, `attempts 1, 3–13` (ascending numbers) */
function attemptsLabel(n: number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < n.length; i++) {
    let j = i;
    while (j + 1 < n.length && n[j + 1] === n[j] + 1) j++;
    ranges.push(j > i ? `${n[i]}–${n[j]}` : String(n[i]));
    i = j;
  }
  return `${n.length === 1 ? 'attempt' : 'attempts'} ${ranges.join(', ')}`;
}

function indent(text: string, by = 6): string {
  return text.split('\n').map((l) => `${' '.repeat(by)}${l}`).join('\n');
}

/** Synthesizes (`parallel` at a time) and deploys (one at a time) each app; prints pass/fail lines. */
export async function runIntegApps(options: IntegRunOptions = {}): Promise<IntegRunResult> {
  const dir = path.resolve(options.dir ?? process.cwd());
  const write = options.write ?? ((l: string) => process.stdout.write(`${l}\n`));
  const files = (options.files?.length ? options.files.map((f) => path.resolve(dir, f)) : discoverIntegApps(dir));
  const parallel = Math.max(1, Math.floor(options.parallel ?? 2));
  const timeScale = options.timeScale ?? 0.001;

  // synths: `parallel` lanes
  const outdirs = files.map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-async-local-integ-')));
  const synths: Promise<void>[] = [];
  const lanes: Promise<unknown>[] = Array.from({ length: parallel }, () => Promise.resolve());
  files.forEach((file, i) => {
    const p = lanes[i % parallel].then(() => synth(dir, file, outdirs[i]));
    lanes[i % parallel] = p.catch(() => undefined);
    synths.push(p);
  });
  synths.forEach((p) => p.catch(() => undefined)); // awaited below

  const apps: IntegAppOutcome[] = [];
  let passed = 0; let failed = 0; let errors = 0;
  try {
    for (let i = 0; i < files.length; i++) {
      const file = files[i];
      const name = path.relative(dir, file);
      const started = Date.now();
      const assertions: AssertionOutcome[] = [];
      let error: string | undefined;
      let placeholders: string[] = [];
      const attempts = new WaiterAttempts();
      try {
        await synths[i];
        placeholders = Deployer.unsupportedTypes(readCloudAssembly(outdirs[i]));
        const cloud = await LocalCloud.start({
          assembly: outdirs[i],
          port: 0,
          timeScale,
          handlerOutput: options.verbose ? 'inherit' : 'ignore',
          // a waiter that never answers fails the app in a minute, not CloudFormation's hour
          customResourceTimeoutSeconds: options.customResourceTimeoutSeconds ?? 60,
          log: options.verbose ? (l: string) => process.stderr.write(`${l}\n`) : () => undefined,
          onInvocation: (r) => attempts.record(r),
        });
        try {
          for (const s of cloud.stacks) {
            for (const o of s.outputs) {
              if (!o.key.startsWith('AssertionResults')) continue;
              let value: { status?: string; message?: string };
              try { value = JSON.parse(o.value); } catch { value = { status: 'fail', message: o.value }; }
              assertions.push(value.status === 'success'
                ? { id: o.key, passed: true }
                : { id: o.key, passed: false, message: value.message ?? JSON.stringify(value) });
            }
          }
          // as integ-runner does after the assertions: destroy, dependents first
          try {
            await cloud.destroy();
          } catch (e) {
            error = `teardown failed: ${(e as Error).message}`;
          }
        } finally {
          await cloud.stop();
        }
      } catch (e) {
        const msg = (e as Error).message ?? String(e);
        const inErr = assertionInError(msg);
        const waiter = inErr ? undefined : waiterInError(msg, attempts);
        if (inErr) assertions.push({ id: inErr.id ? assertionOutputOf(outdirs[i], inErr.id) : '(assertion)', passed: false, message: inErr.message });
        else if (waiter) assertions.push({ ...waiter, id: assertionOutputOf(outdirs[i], waiter.id) });
        else error = msg;
      }
      const seconds = (Date.now() - started) / 1000;
      const ok = assertions.filter((a) => a.passed).length;
      const bad = assertions.length - ok;
      passed += ok; failed += bad;
      if (error) errors++;
      const status = error ? 'ERROR' : bad ? 'FAIL' : 'PASS';
      // as integ-runner: an app without assertions passes when it deploys and is destroyed cleanly
      const counted = assertions.length || error ? `${ok}/${assertions.length} assertions` : 'no assertions: deployed and destroyed';
      const stand = placeholders.length ? `; placeholders, not emulated: ${placeholders.join(', ')}` : '';
      write(`${status} ${name} (${counted}, ${seconds.toFixed(1)}s${stand})`);
      for (const a of assertions) {
        if (a.passed) { if (options.verbose) write(`  pass ${a.id}`); continue; }
        write(`  FAIL ${a.id}`);
        write(failureLines(a));
        if (options.verbose && a.message) write(indent(a.message));
      }
      if (error) write(indent(error));
      apps.push({ file: name, assertions, error, placeholders, seconds });
    }
  } finally {
    await Promise.all(synths.map((p) => p.catch(() => undefined)));
    for (const d of outdirs) fs.rmSync(d, { recursive: true, force: true });
  }
  write(`${passed} passed, ${failed} failed${errors ? ` (${errors} app${errors > 1 ? 's' : ''} with errors: synth, deploy or teardown)` : ''}`);
  return { apps, passed, failed, errors };
}
