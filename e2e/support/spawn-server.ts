/** Starts a real TaxiWatch process (Node, Deno or workerd) for end-to-end tests and stops it afterwards. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  url: string;
  /** The spawned process (the leader of its process group). */
  pid: number;
  output(): string;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function startProcess(command: string, args: string[], env: Record<string, string | undefined>, port: number, options: { cwd?: string } = {}): RunningServer {
  const child: ChildProcess = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    output: () => output,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // The whole process group: wrangler and deno start children of their own.
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {}
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls until the URL answers with one of the statuses (any answer at all when none given). */
export async function waitForHttp(url: string, server: RunningServer, timeoutMs: number, statuses?: number[]): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`server exited with ${exitCode} before answering:\n${server.output()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      // The attempt's time-out covers the body too: read it here, so a body cut off by it means another attempt,
      // not a caller handed a response that fails as it reads it.
      const body = await res.arrayBuffer();
      if (!statuses || statuses.includes(res.status)) return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms:\n${server.output()}`);
}
