// Shared by the memory and soak benchmarks: the local cloud as `cdk-async-local serve` in its own
// process, a bounded-concurrency pool, queue draining, and process figures read through `ps`.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as path from 'node:path';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function pool(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) await task(next++);
  }));
}

/** Starts `cdk-async-local serve` on a free port; resolves with the process and its endpoint. */
export async function serve(assembly: string, extraArgs: string[] = []): Promise<{ server: ChildProcess; endpoint: string }> {
  // --expose-gc: /_local/health?gc=1 collects garbage before it reports memory
  const server = spawn(process.execPath, ['--expose-gc', path.join(__dirname, '..', 'bin', 'cdk-async-local.js'), 'serve', '--assembly', assembly,
    '--port', '0', '--time-scale', '0.001', '--quiet-handlers', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr!.resume(); // its log: failed deliveries of the failing kinds are expected
  const endpoint = await new Promise<string>((resolve, reject) => {
    let text = '';
    server.stdout!.on('data', (d) => {
      text += d;
      const m = /ready (\S+)/.exec(text);
      if (m) resolve(m[1]);
    });
    server.once('exit', (code) => reject(new Error(`cdk-async-local serve exited with ${code}`)));
  });
  return { server, endpoint };
}

/** Stops a `serve` process (SIGTERM, as Ctrl-C does) and waits for it to exit. */
export async function stopServe(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
}

/**
 * Receives and deletes messages from queues until `done()` says so or `idleMs` pass without any;
 * every body goes to `onBody`.
 */
export async function drain(client: SQSClient, queueUrls: string[], done: () => boolean, onBody: (queueUrl: string, body: string) => void,
  idleMs = 15_000): Promise<void> {
  let lastProgress = Date.now();
  await Promise.all(queueUrls.flatMap((queueUrl) => Array.from({ length: 3 }, async () => {
    while (!done() && Date.now() - lastProgress < idleMs) {
      const out = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      const msgs = out.Messages ?? [];
      if (msgs.length === 0) continue;
      lastProgress = Date.now();
      for (const m of msgs) onBody(queueUrl, m.Body!);
      await client.send(new DeleteMessageBatchCommand({
        QueueUrl: queueUrl, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
      }));
    }
  })));
}

/** Resident set size of a process in MB (0 if it is gone). */
export function rssMb(pid: number): number {
  try {
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
  } catch {
    return 0;
  }
}

/** Every descendant of a process, with its command line. */
export function descendants(pid: number): { pid: number; args: string }[] {
  const rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' }).trim().split('\n').map((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line)!;
    return { pid: Number(m[1]), ppid: Number(m[2]), args: m[3] };
  });
  const out: { pid: number; args: string }[] = [];
  const todo = [pid];
  while (todo.length) {
    const parent = todo.pop()!;
    for (const r of rows.filter((x) => x.ppid === parent)) {
      out.push({ pid: r.pid, args: r.args });
      todo.push(r.pid);
    }
  }
  return out;
}

/** Prints rows as an aligned table. */
export function table(rows: (string | number)[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) console.log(`  ${r.map((v, i) => String(v).padStart(widths[i])).join('  ')}`);
}

/** GET a local endpoint as JSON. */
export async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  return res.json();
}
