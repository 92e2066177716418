import * as fs from 'node:fs';

/** A process, with its start time (in clock ticks since boot) so that a reused pid is never taken for it. */
export interface ProcessId {
  readonly pid: number;
  readonly start: string;
}

/** The start time of a running process (field 22 of /proc/<pid>/stat), undefined if it is gone or a zombie. */
function startTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // comm may hold spaces: read after the last ')'
    return fields[0] === 'Z' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

/**
 * Whether a process runs: `kill(pid, 0)` reaches it and, where there is /proc, it is not a zombie
 * (killed, waiting for its parent to reap it). Without /proc (macOS) the signal check decides.
 */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return !fs.existsSync('/proc') || startTime(pid) !== undefined;
}

/** Direct children of a process, from /proc/<pid>/task/<tid>/children of each of its threads. */
function children(pid: number): number[] {
  const out: number[] = [];
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      for (const c of fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ')) if (c) out.push(Number(c));
    } catch { /* thread gone, or a kernel without the children file */ }
  }
  return out;
}

/**
 * Every descendant of `pid` running now (children, their children, …), read from /proc: a process
 * a handler started that left its process group (`setsid`, `detached: true`) is still found while
 * its parents live. Empty where there is no /proc (macOS).
 */
export function descendants(pid: number): ProcessId[] {
  const out: ProcessId[] = [];
  const seen = new Set<number>();
  const todo = [pid];
  while (todo.length > 0) {
    for (const child of children(todo.pop()!)) {
      if (seen.has(child)) continue;
      seen.add(child);
      const start = startTime(child);
      if (start === undefined) continue;
      out.push({ pid: child, start });
      todo.push(child);
    }
  }
  return out;
}

/**
 * Sends SIGKILL to a process group and to each listed process that still is the process listed
 * (same start time: a pid the system gave to another process since is left alone).
 */
export function killAll(groupId: number | undefined, processes: Iterable<ProcessId>): void {
  const kill = (target: number) => {
    try {
      process.kill(target, 'SIGKILL');
    } catch { /* already gone */ }
  };
  if (groupId) kill(-groupId);
  for (const p of processes) if (startTime(p.pid) === p.start) kill(p.pid);
}
