/**
 * What an assistant tool is: one question the assistant can answer from the asker's fleet, with its input schema
 * (what the model may pass; strict, so nothing like a fleet id gets through), the function that answers it through
 * the same queries the REST API uses, its answer in words and its links into the app, and — for the offline engine —
 * how to recognise a question that asks for it. Adding a tool is one file in tools/ plus one line in tools/index.ts.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../db/schema.ts';
import type { Cache } from '../../ports/cache.ts';
import type { Principal } from '../auth/access-tokens.ts';
import type { Lang } from './format.ts';
import type { ParsedQuestion } from './offline/parsed-question.ts';

/** The fleet a question is about: always the asker's own. */
export interface FleetProfile {
  id: string;
  name: string;
  timezone: string;
  locale: Lang;
  /** Minutes without a report after which a unit counts as offline (the fleet's telemetry setting). */
  offlineMinutes: number;
}

export interface ToolContext {
  db: Kysely<Database>;
  cache: Cache;
  /** Epoch ms from the platform clock. */
  now: number;
  fleet: FleetProfile;
  /** A read-only principal of the asker's fleet: every query goes through tenancy with it. */
  principal: Principal;
}

export interface ToolLink {
  label: string;
  href: string;
}

export interface Recognition<I> {
  /** How sure the parser is, 0–1: ≥ 0.8 is sure enough to answer without a model. */
  score: number;
  input: I;
}

export interface AssistantTool<I = any, O = any> {
  name: string;
  /** What the tool answers and its defaults, for the model (English). */
  description: string;
  input: z.ZodType<I>;
  run(ctx: ToolContext, input: I): Promise<O>;
  /** The answer in words, from the output alone. */
  answer(output: O, lang: Lang, ctx: ToolContext): string;
  links(output: O, lang: Lang): ToolLink[];
  /** Offline: how sure this tool is that the question is for it, and with which input; null when it is not. */
  recognise?(question: ParsedQuestion): Recognition<I> | null;
}

/** Keeps a tool's input and output types tied together where it is declared. */
export const defineTool = <I, O>(tool: AssistantTool<I, O>): AssistantTool<I, O> => tool;

/** `/incidents?type=…`: a link whose query leaves out what is empty. */
export function href(path: string, query: Record<string, string | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}
