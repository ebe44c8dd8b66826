/**
 * Runs a bench server (the app, or the bare SSE loop) in its own Node process, so the load generator and the
 * SSE viewers in the bench process do not share its core. The child prints `LISTENING {"port":…}` when ready.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BenchChild {
  url: string;
  pid: number;
  output(): string;
  stop(): Promise<void>;
}

export async function startBenchChild(entry: string, env: Record<string, string>, options: { nodeArgs?: string[]; readyTimeoutMs?: number } = {}): Promise<BenchChild> {
  const file = fileURLToPath(new URL(entry, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} did not start within ${options.readyTimeoutMs ?? 120_000} ms:\n${output}`)), options.readyTimeoutMs ?? 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /LISTENING (\{.*\})/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(JSON.parse(match[1]).port);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before listening:\n${output}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    stop: () => stopChild(child, exited),
  };
}

/** SIGTERM, then SIGKILL after 10 s if the child has not exited; nothing if it already has. */
export async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
