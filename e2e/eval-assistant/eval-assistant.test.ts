/**
 * `npm run eval:assistant`, as docs/use/assistant.md tells the reader to run it (a real child process on the
 * embedded database), and its model engine in-process against a loopback model. The question sets and truths are
 * the real ones; a regression in the parser, a tool or a query shows as lost accuracy here.
 */
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiChatModel } from '../../edge/adapters/chat-model/openai-chat-model.ts';
import { reply, startOpenAiCompatibleServer, type OpenAiCompatibleServer } from '../support/openai-compatible-server.ts';
import { runEvalCommand } from './eval-command.ts';
import { QUESTION_SETS, type AssistantEvalReport } from './run-eval.ts';

const sh = promisify(exec);
// The documented commands run with no model configured, whatever the developer's shell has set.
const env = { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '' };

describe('the question sets', () => {
  it('hold at least 150 questions in both languages, over every intent, with paraphrases of each', () => {
    const all = Object.values(QUESTION_SETS).flat();
    expect(all.length).toBeGreaterThanOrEqual(150);
    for (const set of Object.values(QUESTION_SETS)) expect(new Set(set.map((q) => q.lang))).toEqual(new Set(['es', 'en']));
    const intents = new Set(all.map((q) => q.intent));
    expect([...intents].sort()).toEqual(['device_problems', 'driver_ranking', 'expiring_licences', 'incidents', 'other_fleet', 'out_of_scope', 'product_help', 'taxi_driver', 'taxi_location', 'taxis_by_status', 'trips', 'unacknowledged_alerts', 'vision_spend']);
    expect(new Set(all.map((q) => q.text)).size).toBe(all.length);
  });
});

describe('npm run eval:assistant', () => {
  it('npm run eval:assistant -- --engine offline --json: every set scored, no leak, the offline engine accurate and quick', { timeout: 240_000 }, async () => {
    const { stdout } = await sh(`npm run eval:assistant -- --engine offline --json`, { env, maxBuffer: 64 * 1024 * 1024 });
    const report = JSON.parse(stdout.trim().split('\n').at(-1)!) as AssistantEvalReport;
    expect(report).toMatchObject({ engine: 'offline', model: null, modelCalls: 0, costUsd: 0 });
    expect(Object.keys(report.sets)).toEqual(Object.keys(QUESTION_SETS));
    expect(report.all.questions).toBe(Object.values(QUESTION_SETS).flat().length);
    expect(report.all.leaks).toBe(0);
    // A floor for regressions, not the figure itself (docs/use/assistant.md reports that, per set).
    expect(report.sets.dev.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(report.all.accuracy).toBeGreaterThanOrEqual(0.9);
    for (const r of report.results.filter((x) => x.intent === 'other_fleet' || x.intent === 'out_of_scope')) expect(r.tools.filter((t) => t !== 'taxi_location' && t !== 'taxi_driver'), r.question).toEqual([]);
    expect(Number.isFinite(report.all.latencyMs.p95)).toBe(true);
  });

  it('npm run eval:assistant -- --set heldout2: a readable report per intent, with the misses', { timeout: 240_000 }, async () => {
    const { stdout } = await sh(`npm run eval:assistant -- --set heldout2`, { env, maxBuffer: 16 * 1024 * 1024 });
    expect(stdout).toMatch(/^heldout2: \d+\/64 correct \(\d+\.\d%\); es \d+\.\d%, en \d+\.\d%; refusals \d+; leaks 0; latency p50 [\d.]+ ms, p95 [\d.]+ ms$/m);
    expect(stdout).toMatch(/^ {2}incidents\s+\d+\/22\s+\d+\.\d%$/m);
    expect(stdout).toMatch(/^model calls 0, cost \$0\.000000$/m);
  });
});

describe('eval:assistant with the model engine', () => {
  let server: OpenAiCompatibleServer;
  beforeAll(async () => (server = await startOpenAiCompatibleServer()));
  afterAll(() => server?.close());

  const run = async (argv: string[], withModel = true) => {
    let out = '';
    let err = '';
    const code = await runEvalCommand(argv, {
      chatModel: () => (withModel ? createOpenAiChatModel({ apiKey: 'sk-eval', baseURL: server.baseURL, model: 'gpt-4o-mini', timeoutMs: 5_000 }) : null),
      out: (t) => void (out += t),
      err: (t) => void (err += t),
    });
    return { code, out, err };
  };

  it('asks the model only what the offline parser is unsure of, and reports its calls and cost', { timeout: 120_000 }, async () => {
    // A model that declines everything: unsure questions then end as answers without data.
    server.respondWith(() => reply.text('I can only answer about your fleet.', { prompt_tokens: 1000, completion_tokens: 100 }));
    const { code, out } = await run(['--engine', 'model', '--set', 'dev', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as AssistantEvalReport;
    const byModel = report.results.filter((r) => r.engine === 'model');
    expect(report).toMatchObject({ engine: 'model', model: 'gpt-4o-mini' });
    expect(byModel.length).toBeGreaterThan(0);
    expect(report.modelCalls).toBe(byModel.length);
    expect(server.requests.length).toBe(byModel.length);
    expect(report.costUsd).toBeCloseTo(byModel.length * 0.00021, 9);
    expect(report.all.leaks).toBe(0);
  });

  it('refuses bad usage with exit code 2 and says what to do', async () => {
    expect(await run(['--engine', 'psychic'])).toMatchObject({ code: 2, err: expect.stringContaining('--engine must be offline or model') });
    expect(await run(['--engine', 'model'], false)).toMatchObject({ code: 2, err: expect.stringContaining('set OPENAI_API_KEY') });
    expect(await run(['--set', 'everything'])).toMatchObject({ code: 2, err: expect.stringContaining('--set must be') });
    expect(await run(['--bogus'])).toMatchObject({ code: 2 });
  });
});
