import { ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { descendants, killAll, ProcessId } from './process-tree';
import { runtimeDir } from '../../paths';
import { lambdaStreamName } from '../logs/model';

/** A Node error payload as AWS's runtime reports it. */
export interface ErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace?: string[];
}

/** The outcome of running the handler once. */
export type InvocationOutcome = (
  | { readonly ok: true; readonly payload: string }
  | { readonly ok: false; readonly error: ErrorPayload }
) & {
  /** the invocation's log lines (console output as AWS formats it), when the runtime reported them */
  readonly log?: string;
  /** wall time of the invocation, in ms */
  readonly durationMs?: number;
  /** when the invocation started (ms since the epoch) */
  readonly startedAt?: number;
  /** the log stream of the handler process that ran it (`YYYY/MM/DD/[$LATEST]<32 hex>`) */
  readonly logStream?: string;
};

export interface WorkerSpec {
  readonly functionName: string;
  /** directory with the handler code */
  readonly codeDir: string;
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /**
   * The function's environment (its variables and the runtime's): sent to each handler process
   * over IPC, never in its launch environment, so other processes cannot read it from
   * `/proc/<pid>/environ`.
   */
  readonly env: Record<string, string>;
  /** the function's own writable directory: HOME and TMPDIR of its handler processes */
  readonly sandboxDir: string;
  /** NODE_PATH of the handler processes (where the AWS SDK is), read by Node at start */
  readonly nodePath?: string;
  /** how many handler processes may run at once for this function */
  readonly maxWorkers: number;
  /** handler stdout/stderr: 'inherit' writes them to the local cloud's stderr, each line prefixed `[<function>] ` */
  readonly output: 'inherit' | 'ignore';
  /** the function's log group (`AWS_LAMBDA_LOG_GROUP_NAME`) @default `/aws/lambda/<functionName>` */
  readonly logGroup?: string;
}

interface Job {
  readonly requestId: string;
  /** invocations of this event's chain before this one (recursive loop detection) */
  readonly hops: number;
  readonly event: string;
  readonly invokedFunctionArn: string;
  readonly resolve: (o: InvocationOutcome) => void;
}

let nextId = 1;

/** One warm handler process. */
class Worker {
  public busy = false;
  public dead = false;
  private current?: { id: number; job: Job; timer: NodeJS.Timeout; startedAt: number; fatal?: ErrorPayload };
  /** processes the handler started (seen after its invocations): ended with this worker */
  private readonly started = new Map<number, ProcessId>();

  constructor(private readonly child: ChildProcess, private readonly spec: WorkerSpec, private readonly onFree: (w: Worker) => void,
    /** this execution environment's log stream */
    public readonly logStream: string) {
    child.on('message', (m: any) => this.onMessage(m));
    child.on('exit', () => this.onExit());
    child.on('error', () => undefined);
  }

  public get pid(): number | undefined {
    return this.child.pid;
  }

  public run(job: Job): void {
    this.busy = true;
    const id = nextId++;
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const timer = setTimeout(() => this.timeout(), timeoutMs);
    this.current = { id, job, timer, startedAt: Date.now() };
    try {
      this.child.send({
        type: 'invoke',
        id,
        requestId: job.requestId,
        event: job.event,
        deadlineMs: Date.now() + timeoutMs,
        invokedFunctionArn: job.invokedFunctionArn,
        hops: job.hops,
      });
    } catch {
      this.onExit();
    }
  }

  /**
   * Ends the handler process and every process it started: its process group (the process was
   * started as a group leader) and any descendant that left the group.
   */
  public kill(): void {
    this.dead = true;
    this.killTree();
  }

  private killTree(): void {
    const pid = this.child.pid;
    if (!pid) return;
    if (this.child.exitCode === null && this.child.signalCode === null) this.remember();
    killAll(pid, this.started.values());
    this.started.clear();
  }

  /** Notes the processes the handler started so far, so they can be ended even once orphaned. */
  private remember(): void {
    if (!this.child.pid) return;
    for (const p of descendants(this.child.pid)) this.started.set(p.pid, p);
  }

  public exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  private finish(outcome: InvocationOutcome): void {
    const cur = this.current;
    if (!cur) return;
    clearTimeout(cur.timer);
    if (!this.dead) this.remember();
    this.current = undefined;
    this.busy = false;
    cur.job.resolve({ ...outcome, durationMs: Date.now() - cur.startedAt, startedAt: cur.startedAt, logStream: this.logStream });
    if (!this.dead) this.onFree(this);
  }

  private onMessage(m: any): void {
    if (!m || !this.current) return;
    if (m.type === 'fatal') {
      this.current.fatal = m.error;
      return;
    }
    if (m.type !== 'result' || m.id !== this.current.id) return;
    if (m.initFailed) {
      // AWS discards an execution environment whose init failed; the next attempt starts fresh
      this.kill();
    }
    this.finish(m.ok ? { ok: true, payload: m.payload, log: m.log } : { ok: false, error: m.error, log: m.log });
  }

  private timeout(): void {
    const cur = this.current;
    if (!cur) return;
    this.kill();
    const seconds = this.spec.timeoutSeconds.toFixed(2);
    this.finish({
      ok: false,
      error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${cur.job.requestId} Error: Task timed out after ${seconds} seconds` },
    });
  }

  private onExit(): void {
    this.dead = true;
    // as AWS resets an execution environment whose runtime exited: what it started goes too
    this.killTree();
    const cur = this.current;
    if (!cur) return;
    this.finish({
      ok: false,
      error: cur.fatal ?? {
        errorType: 'Runtime.ExitError',
        errorMessage: `RequestId: ${cur.job.requestId} Error: Runtime exited without providing a reason`,
      },
    });
  }
}

/**
 * The execution environments of one function: warm handler processes reused across invocations,
 * at most `maxWorkers` at a time, replaced when one dies (crash, exit, timeout kill).
 */
export class WorkerPool {
  private readonly workers = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private readonly queue: Job[] = [];
  private stopped = false;

  constructor(private readonly spec: WorkerSpec) {}

  public invoke(requestId: string, event: string, invokedFunctionArn: string, hops = 0): Promise<InvocationOutcome> {
    if (this.stopped) return Promise.resolve({ ok: false, error: { errorType: 'ServiceException', errorMessage: 'the local cloud is stopping' } });
    return new Promise((resolve) => {
      this.queue.push({ requestId, event, invokedFunctionArn, hops, resolve });
      this.dispatch();
    });
  }

  /** pids of the live handler processes (for tests proving none outlives stop()) */
  public pids(): number[] {
    return [...this.workers].filter((w) => !w.dead).map((w) => w.pid!).filter(Boolean);
  }

  public async stop(): Promise<void> {
    this.stopped = true;
    const all = [...this.workers];
    for (const job of this.queue.splice(0)) {
      job.resolve({ ok: false, error: { errorType: 'ServiceException', errorMessage: 'the local cloud is stopping' } });
    }
    all.forEach((w) => w.kill());
    await Promise.all(all.map((w) => w.exited()));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.stopped) {
      let worker = this.idle.pop();
      while (worker && worker.dead) worker = this.idle.pop();
      if (!worker) {
        for (const w of this.workers) if (w.dead) this.workers.delete(w);
        if (this.workers.size >= this.spec.maxWorkers) return;
        worker = this.spawn();
      }
      worker.run(this.queue.shift()!);
    }
  }

  private spawn(): Worker {
    const sandbox = this.spec.sandboxDir;
    const tmp = path.join(sandbox, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    const logStream = lambdaStreamName(new Date(), '$LATEST', randomBytes(16).toString('hex'));
    const child = fork(path.join(runtimeDir(), 'bootstrap.js'), [], {
      cwd: this.spec.codeDir,
      // the launch environment: only what is not secret (the rest comes over IPC, below)
      env: {
        PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        HOME: sandbox,
        TMPDIR: tmp,
        LANG: 'en_US.UTF-8',
        TZ: ':UTC',
        ...(this.spec.nodePath ? { NODE_PATH: this.spec.nodePath } : {}),
      },
      execArgv: [],
      // its own process group, so stop() and a timeout end whatever the handler started too
      detached: true,
      stdio: ['ignore', this.spec.output === 'ignore' ? 'ignore' : 'pipe', this.spec.output === 'ignore' ? 'ignore' : 'pipe', 'ipc'],
      serialization: 'json',
    });
    try {
      child.send({
        type: 'env',
        env: {
          ...this.spec.env,
          HOME: sandbox,
          TMPDIR: tmp,
          LAMBDA_TASK_ROOT: this.spec.codeDir,
          _HANDLER: this.spec.handler,
          AWS_LAMBDA_FUNCTION_NAME: this.spec.functionName,
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.spec.memorySize),
          AWS_LAMBDA_FUNCTION_TIMEOUT: String(this.spec.timeoutSeconds),
          AWS_LAMBDA_LOG_GROUP_NAME: this.spec.logGroup ?? `/aws/lambda/${this.spec.functionName}`,
          AWS_LAMBDA_LOG_STREAM_NAME: logStream,
        },
      });
    } catch { /* it died at once: the exit handler reports it */ }
    for (const stream of [child.stdout, child.stderr]) {
      if (stream) readline.createInterface({ input: stream }).on('line', (line) => process.stderr.write(`[${this.spec.functionName}] ${line}\n`));
    }
    const worker = new Worker(child, this.spec, (w) => {
      this.idle.push(w);
      this.dispatch();
    }, logStream);
    child.on('exit', () => {
      this.workers.delete(worker);
      const i = this.idle.indexOf(worker);
      if (i >= 0) this.idle.splice(i, 1);
      this.dispatch();
    });
    this.workers.add(worker);
    return worker;
  }
}
