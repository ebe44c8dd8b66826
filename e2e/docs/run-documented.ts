/**
 * Runs a command from the documentation the way a reader does: the exact text, through a shell, from the repository
 * root. Only the environment differs (a free PORT, a throwaway DATA_DIR, curl pointed at the test server), and
 * placeholders the text itself marks as such (`…`, `<vehicle id>`, `FLEET_ID`) are filled in.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProcess, type RunningServer } from '../support/spawn-server.ts';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs to completion (or until the timeout kills its process group). */
export function runDocumented(command: string, env: Record<string, string | undefined> = {}, options: { timeoutMs?: number; cwd?: string } = {}): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { env: { ...process.env, ...env }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
      reject(new Error(`"${command}" did not finish within ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts a documented server command on `port` (PORT and HOST set in its environment); stop() ends its process group. */
export function startDocumented(command: string, env: Record<string, string | undefined>, port: number, options: { cwd?: string } = {}): RunningServer {
  return startProcess('bash', ['-c', command], env, port, options);
}

const PLACEHOLDER = /…|<[^<>\n]+>|\[[^\]\n]+\]|\b[A-Z][A-Z0-9]*_ID\b/;

/**
 * Fills the placeholders of a documented command. Each key must be a placeholder written in the command (an
 * ellipsis, an <angle-bracketed name>, an [optional part] of a synopsis, or an ALL_CAPS_ID), so nothing else of the
 * text can be changed this way.
 * Values for `…` are used in order, one per ellipsis.
 */
export function fillPlaceholders(command: string, values: Record<string, string | string[]>): string {
  let filled = command;
  for (const [placeholder, value] of Object.entries(values)) {
    if (!PLACEHOLDER.test(placeholder) || PLACEHOLDER.exec(placeholder)![0] !== placeholder) throw new Error(`"${placeholder}" is not a placeholder`);
    if (!filled.includes(placeholder)) throw new Error(`"${placeholder}" does not occur in: ${command}`);
    if (Array.isArray(value)) for (const v of value) filled = filled.replace(placeholder, v);
    else filled = filled.split(placeholder).join(value);
  }
  return filled;
}

/**
 * A curl configuration (CURL_HOME) that sends the documentation's `localhost:3000` to the test server's port,
 * so curl commands run exactly as written without touching whatever listens on 3000.
 */
export async function curlToTestServer(port: number): Promise<{ CURL_HOME: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'taxiwatch-curl-'));
  const lines = ['localhost', '127.0.0.1'].map((host) => `connect-to = "${host}:3000:127.0.0.1:${port}"`);
  await writeFile(join(dir, '.curlrc'), `${lines.join('\n')}\n`);
  return { CURL_HOME: dir };
}
