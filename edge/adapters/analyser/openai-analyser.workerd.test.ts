/**
 * The OpenAI adapter inside workerd (through Miniflare), bundled as the Worker bundles it: the same retry, timeout and
 * validation path as on Node, against the loopback server on the host. Proves it needs nothing Node-only.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../../../e2e/support/openai-compatible-server.ts';
import { sharedDataDir } from '../../../firmware/simulator/shared-data.ts';

// The worker analyses the JPEG in the request body and answers with the output (or the error's name and message).
const WORKER = `
import { createOpenAiAnalyser } from './openai-analyser.ts';
export default {
  async fetch(request) {
    const url = new URL(request.url);
    const analyser = createOpenAiAnalyser({ apiKey: 'sk-workerd', baseURL: url.searchParams.get('base'), model: 'gpt-4o-mini', timeoutMs: 300, maxRetries: 2 });
    const jpeg = new Uint8Array(await request.arrayBuffer());
    try {
      const output = await analyser.analyse({ jpeg, width: null, height: null, language: 'es', context: url.searchParams.get('context') ?? undefined });
      return Response.json({ ok: true, output });
    } catch (error) {
      return Response.json({ ok: false, name: error.name, message: error.message });
    }
  },
};`;

const JPEG = readFileSync(`${sharedDataDir()}/images/photos/pillow_hopper.jpg`);
let mf: Miniflare;
let server: OpenAiCompatibleServer;

beforeAll(async () => {
  const bundle = await build({
    stdin: { contents: WORKER, resolveDir: fileURLToPath(new URL('.', import.meta.url)), sourcefile: 'worker.js', loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['worker', 'browser'],
    write: false,
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]!.text;
  expect(script).not.toMatch(/from\s*["']node:/);
  mf = new Miniflare({ modules: true, script, compatibilityDate: '2026-04-01', compatibilityFlags: ['enable_request_signal'] });
  server = await startOpenAiCompatibleServer();
}, 60_000);

afterAll(async () => {
  await mf?.dispose();
  await server?.close();
});

async function analyseInWorker(body: Uint8Array, context?: string) {
  const query = new URLSearchParams({ base: server.baseURL, ...(context ? { context } : {}) });
  const res = await mf.dispatchFetch(`http://worker/?${query}`, { method: 'POST', body });
  return (await res.json()) as any;
}

describe('openai analyser on workerd', () => {
  it('retries a 429 and a schema violation, then returns the validated verdict with usage', async () => {
    server.enqueue(
      reply.status(429, { retryAfterMs: 10 }),
      reply.schemaViolation(),
      reply.verdict({ incident_detected: true, type: 'DROWSINESS', severity: 'HIGH', confidence: 0.7, description: 'Ojos cerrados.' }),
    );
    const before = server.requests.length;
    const result = await analyseInWorker(JPEG, 'Frenado brusco');
    expect(result.ok).toBe(true);
    expect(result.output).toMatchObject({ analyser: 'openai', model: 'gpt-4o-mini', verdict: { type: 'DROWSINESS', description: 'Ojos cerrados.' }, usage: { inputTokens: 240, outputTokens: 80 } });
    expect(server.requests.length - before).toBe(3);
    const last = server.requests.at(-1)!;
    expect(last.imageUrl).toBe(`data:image/jpeg;base64,${JPEG.toString('base64')}`);
    expect(last.systemPrompt).toMatch(/Spanish/);
    expect(last.userText).toContain('Frenado brusco');
  }, 30_000);

  it('times out each attempt and rejects naming the cause', async () => {
    server.enqueue(reply.delay(3_000), reply.delay(3_000), reply.delay(3_000));
    const result = await analyseInWorker(JPEG);
    expect(result).toMatchObject({ ok: false, name: 'OpenAiAnalyserError' });
    expect(result.message).toMatch(/after 3 attempts; last: timed out after 300 ms/);
  }, 30_000);

  it('rejects bytes that are not a JPEG with AnalyserInputError', async () => {
    const before = server.requests.length;
    expect(await analyseInWorker(new TextEncoder().encode('not a jpeg'))).toMatchObject({ ok: false, name: 'AnalyserInputError' });
    expect(server.requests.length).toBe(before);
  });
});
