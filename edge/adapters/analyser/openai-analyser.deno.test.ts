/**
 * The OpenAI adapter under Deno (the binary from the `deno` npm package), against the loopback server on the host:
 * the same retry and validation path as on Node, with Deno's own fetch, timers and AbortSignal.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requiredInCi } from '../../../e2e/support/required-in-ci.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../../e2e/support/openai-compatible-server.ts';
import { sharedDataDir } from '../../../firmware/simulator/shared-data.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DENO = `${ROOT}node_modules/.bin/deno`;
const ADAPTER = new URL('./openai-analyser.ts', import.meta.url).href;

// Prints the output, or the error's name and message, as one JSON line.
const SCRIPT = `
import { createOpenAiAnalyser } from '${ADAPTER}';
const analyser = createOpenAiAnalyser({ apiKey: 'sk-deno', baseURL: Deno.env.get('BASE'), model: 'gpt-4o-mini', timeoutMs: 300, maxRetries: 2 });
const jpeg = Deno.env.get('NOT_JPEG') ? new TextEncoder().encode('not a jpeg') : await Deno.readFile(Deno.env.get('JPEG'));
try {
  console.log(JSON.stringify({ ok: true, output: await analyser.analyse({ jpeg, width: null, height: null, language: 'en' }) }));
} catch (error) {
  console.log(JSON.stringify({ ok: false, name: error.name, message: error.message }));
}`;

function inDeno(env: Record<string, string> = {}): Promise<any> {
  return new Promise((resolve, reject) => {
    execFile(DENO, ['eval', SCRIPT], { cwd: ROOT, env: { ...process.env, BASE: server.baseURL, JPEG: `${sharedDataDir()}/images/photos/pillow_hopper.jpg`, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`deno failed: ${stderr || error.message}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

let server: OpenAiCompatibleServer;
beforeAll(async () => {
  server = await startOpenAiCompatibleServer();
});
afterAll(() => server?.close());

describe.skipIf(!requiredInCi(existsSync(DENO), `Deno at ${DENO}`, 'npm ci installs it'))('openai analyser on Deno', () => {
  it('retries a 429 and a timed-out attempt, then returns the validated verdict', async () => {
    server.enqueue(
      reply.status(429, { retryAfterMs: 10 }),
      reply.delay(3_000),
      reply.verdict({ incident_detected: true, type: 'YAWNING', severity: 'LOW', confidence: 0.6, description: 'Driver yawns.' }),
    );
    const result = await inDeno();
    expect(result).toMatchObject({ ok: true, output: { analyser: 'openai', verdict: { type: 'YAWNING' }, usage: { inputTokens: 120, outputTokens: 40 } } });
    expect(server.requests).toHaveLength(3);
  }, 60_000);

  it('rejects bytes that are not a JPEG with AnalyserInputError, without a request', async () => {
    const before = server.requests.length;
    expect(await inDeno({ NOT_JPEG: '1' })).toMatchObject({ ok: false, name: 'AnalyserInputError' });
    expect(server.requests.length).toBe(before);
  }, 60_000);
});
