/**
 * Runs the question sets through the real API (POST /api/v1/chat/message as fleet A's owner, each question in a new
 * conversation) on the seeded world, judges every answer against the independently computed truth, and sums up:
 * accuracy per intent and per set, refusals, leaks of fleet B's data, latency p50/p95, model calls and cost.
 */
import { createApp } from '../../edge/app.ts';
import type { ChatModel } from '../../edge/ports/chat-model.ts';
import { summarize } from '../bench/percentiles.ts';
import { createEvalPlatform } from './eval-platform.ts';
import { judge, type ChatResponse } from './judge.ts';
import type { EvalQuestion, Intent } from './question-spec.ts';
import { DEV_QUESTIONS } from './questions/dev.ts';
import { HELDOUT_QUESTIONS } from './questions/heldout.ts';
import { HELDOUT2_QUESTIONS } from './questions/heldout2.ts';
import { EVAL_PASSWORD, seedEvalWorld } from './seed-fleet.ts';
import { computeTruth } from './truths.ts';

export const QUESTION_SETS: Record<string, EvalQuestion[]> = { dev: DEV_QUESTIONS, heldout: HELDOUT_QUESTIONS, heldout2: HELDOUT2_QUESTIONS };

export interface QuestionResult {
  set: string;
  lang: string;
  question: string;
  intent: Intent;
  correct: boolean;
  reason?: string;
  refused: boolean;
  leaked: string[];
  engine: string;
  tools: string[];
  answer: string;
  latencyMs: number;
}

export interface Tally {
  questions: number;
  correct: number;
  accuracy: number;
}

export interface SetSummary extends Tally {
  byIntent: Record<string, Tally>;
  byLang: Record<string, Tally>;
  refusals: number;
  leaks: number;
  latencyMs: { p50: number; p95: number; max: number };
}

export interface AssistantEvalReport {
  engine: 'offline' | 'model';
  model: string | null;
  sets: Record<string, SetSummary>;
  all: SetSummary;
  modelCalls: number;
  costUsd: number;
  results: QuestionResult[];
}

const tally = (rs: QuestionResult[]): Tally => ({ questions: rs.length, correct: rs.filter((r) => r.correct).length, accuracy: rs.length ? rs.filter((r) => r.correct).length / rs.length : 0 });
const groupBy = (rs: QuestionResult[], key: (r: QuestionResult) => string) => {
  const groups: Record<string, QuestionResult[]> = {};
  for (const r of rs) (groups[key(r)] ??= []).push(r);
  return Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, tally(v)]));
};

function summary(rs: QuestionResult[]): SetSummary {
  const latency = summarize(rs.map((r) => r.latencyMs));
  return {
    ...tally(rs),
    byIntent: groupBy(rs, (r) => r.intent),
    byLang: groupBy(rs, (r) => r.lang),
    refusals: rs.filter((r) => r.refused).length,
    leaks: rs.filter((r) => r.leaked.length > 0).length,
    latencyMs: { p50: latency.p50, p95: latency.p95, max: latency.max },
  };
}

export interface EvalOptions {
  engine: 'offline' | 'model';
  /** The model for `engine: model` (built from OPENAI_* by the CLI; a loopback one in tests). */
  chatModel?: ChatModel;
  sets: string[];
  onQuestion?: (r: QuestionResult, done: number, total: number) => void;
}

export async function runAssistantEval(options: EvalOptions): Promise<AssistantEvalReport> {
  if (options.engine === 'model' && !options.chatModel) throw new Error('the model engine needs a model: set OPENAI_API_KEY or OPENAI_BASE_URL');
  const platform = await createEvalPlatform(options.engine === 'model' ? options.chatModel : undefined);
  try {
    const world = await seedEvalWorld({ db: platform.db.kysely, cache: platform.cache, clock: platform.clock, ids: platform.ids });
    const app = createApp(platform);
    const login = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: world.a.ownerEmail, password: EVAL_PASSWORD }) });
    const token = ((await login.json()) as { access_token?: string }).access_token;
    if (!token) throw new Error(`could not sign in as ${world.a.ownerEmail}: HTTP ${login.status}`);
    const questions = options.sets.flatMap((set) => (QUESTION_SETS[set] ?? []).map((q) => ({ set, q })));
    const results: QuestionResult[] = [];
    for (const { set, q } of questions) {
      const truth = await computeTruth(platform.db.kysely, world.a, q.truth);
      const started = performance.now();
      const res = await app.request('/api/v1/chat/message', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ message: q.text }) });
      const latencyMs = performance.now() - started;
      const body = (await res.json()) as ChatResponse & { error?: { message: string } };
      const verdict = res.ok ? judge(q, truth, body, world.bSecrets) : { correct: false, reason: `HTTP ${res.status}: ${body.error?.message}`, refused: false, leaked: [] };
      const result: QuestionResult = { set, lang: q.lang, question: q.text, intent: q.intent, ...verdict, engine: body.engine ?? '', tools: (body.data ?? []).map((d) => d.tool), answer: body.answer ?? '', latencyMs: Math.round(latencyMs * 100) / 100 };
      results.push(result);
      options.onQuestion?.(result, results.length, questions.length);
    }
    const usage = (await (await app.request('/api/v1/chat/usage', { headers: { authorization: `Bearer ${token}` } })).json()) as { totals: { model_calls: number; cost_usd: number } };
    return {
      engine: options.engine,
      model: options.engine === 'model' ? (options.chatModel?.model ?? null) : null,
      sets: Object.fromEntries(options.sets.map((s) => [s, summary(results.filter((r) => r.set === s))])),
      all: summary(results),
      modelCalls: usage.totals.model_calls,
      costUsd: usage.totals.cost_usd,
      results,
    };
  } finally {
    await platform.close();
  }
}
