/**
 * Memory and CPU of a process and its descendants, read from Linux's /proc (the server a command starts may be a
 * child of it: tsx's CLI runs the app in a second Node process, and esbuild's service runs beside it).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessSample {
  pid: number;
  command: string;
  rssBytes: number;
  /** CPU time used so far (user + system), in seconds. */
  cpuSeconds: number;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux Node supports

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process ended while we looked
  }
}

function children(pid: number): number[] {
  const tasks = read(`/proc/${pid}/task/${pid}/children`);
  return tasks ? tasks.trim().split(/\s+/).filter(Boolean).map(Number) : [];
}

function sample(pid: number): ProcessSample | null {
  const status = read(`/proc/${pid}/status`);
  const stat = read(`/proc/${pid}/stat`);
  const cmdline = read(`/proc/${pid}/cmdline`);
  if (!status || !stat || cmdline === null) return null;
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // Fields after the command name (which may contain spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { pid, command: cmdline.split('\0').join(' ').trim(), rssBytes: rssKb * 1024, cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND };
}

/** The process and every descendant alive now. */
export function sampleTree(root: number): ProcessSample[] {
  const out: ProcessSample[] = [];
  const visit = (pid: number) => {
    const s = sample(pid);
    if (!s) return;
    out.push(s);
    for (const child of children(pid)) visit(child);
  };
  visit(root);
  return out;
}

/** CPU seconds used so far by every process whose command line contains `needle` (e.g. one database's backends). */
export function cpuSecondsOfCommands(needle: string): number {
  let total = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cmdline = read(`/proc/${name}/cmdline`);
    if (!cmdline || !cmdline.includes(needle)) continue;
    total += sample(Number(name))?.cpuSeconds ?? 0;
  }
  return total;
}
