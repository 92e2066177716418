import * as fs from 'node:fs';

/**
 * Process ids of every descendant of `pid` (children, their children, …), read from `/proc`: a
 * handler's process that left its process group (`setsid`, `detached: true`) is still found while
 * its parents live. Empty where there is no `/proc` (macOS), or on any error.
 */
export function descendants(pid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const e of entries) {
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(e));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const todo = [pid];
  while (todo.length > 0) {
    for (const child of children.get(todo.pop()!) ?? []) {
      if (out.includes(child)) continue;
      out.push(child);
      todo.push(child);
    }
  }
  return out;
}

/** Sends SIGKILL to a process group, and to each listed process; processes already gone are skipped. */
export function killAll(groupId: number | undefined, pids: number[]): void {
  const kill = (target: number) => {
    try {
      process.kill(target, 'SIGKILL');
    } catch { /* already gone */ }
  };
  if (groupId) kill(-groupId);
  pids.forEach(kill);
}
