/**
 * The offline engine: no model, deterministic, instant. It parses the question against the asker's fleet, lets each
 * tool say how sure it is that the question is for it, runs the surest (the same query the REST API runs) and writes
 * the answer from that tool's templates. A question that only changes the period, taxi or driver of the previous
 * one ("¿y ayer?") reuses the previous tool. When nothing fits it says what it can answer instead of guessing.
 */
import type { AssistantTool, ToolContext, ToolLink } from '../tool.ts';
import type { Lang } from '../format.ts';
import { fleetNames } from '../tools/subjects.ts';
import { helpText, notInFleetText, otherFleetText } from './help-text.ts';
import { parseQuestion, type ParsedQuestion } from './parsed-question.ts';

export interface ToolCall {
  tool: string;
  input: unknown;
  output: unknown;
}

export interface EngineAnswer {
  lang: Lang;
  text: string;
  data: ToolCall[];
  links: ToolLink[];
  /** answer: from a tool; help: did not understand; refusal: about other fleets or against the rules. */
  kind: 'answer' | 'help' | 'refusal';
  /** Offline only: sure enough that a model would not do better. */
  sure: boolean;
}

/** Sure enough to answer without asking a model. */
export const SURE_SCORE = 0.8;

export async function runTool(ctx: ToolContext, tool: AssistantTool, rawInput: unknown, lang: Lang): Promise<{ call: ToolCall; text: string; links: ToolLink[] } | { error: string }> {
  const parsed = tool.input.safeParse(rawInput ?? {});
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') };
  const output = await tool.run(ctx, parsed.data);
  return { call: { tool: tool.name, input: parsed.data, output }, text: tool.answer(output, lang, ctx), links: tool.links(output, lang) };
}

function followUp(q: ParsedQuestion, previous: ToolCall | undefined, tools: AssistantTool[]): { tool: AssistantTool; input: Record<string, unknown> } | null {
  const tool = previous && tools.find((t) => t.name === previous.tool);
  if (!tool || !previous || typeof previous.input !== 'object' || previous.input === null) return null;
  const changes: Record<string, unknown> = {};
  if (q.period) changes.period = q.period;
  if (q.taxi?.kind === 'found') changes.taxi = q.taxi.item.plate;
  if (q.driver?.kind === 'found') changes.driver = q.driver.item.name;
  if (q.types.length) changes.types = q.types;
  if (Object.keys(changes).length === 0 || q.words.length > 6) return null;
  const input = { ...(previous.input as Record<string, unknown>), ...changes };
  // Only fields the tool takes: a follow-up never invents new ones.
  const shape = (tool.input as unknown as { shape?: Record<string, unknown> }).shape;
  return { tool, input: shape ? Object.fromEntries(Object.entries(input).filter(([k]) => k in shape)) : input };
}

export async function answerOffline(
  ctx: ToolContext,
  question: string,
  options: { tools: AssistantTool[]; fallbackLang: Lang; /** Answer in this language whatever the question's. */ lang?: Lang; previous?: ToolCall },
): Promise<EngineAnswer> {
  const q = parseQuestion(question, await fleetNames(ctx), { timeZone: ctx.fleet.timezone, now: ctx.now, fallbackLang: options.fallbackLang, fleetName: ctx.fleet.name });
  const lang = options.lang ?? q.lang;
  if (q.otherFleet) return { lang, text: otherFleetText(lang, ctx.fleet.name), data: [], links: [], kind: 'refusal', sure: true };

  let best: { tool: AssistantTool; score: number; input: unknown } | null = null;
  for (const tool of options.tools) {
    const r = tool.recognise?.(q);
    if (r && (!best || r.score > best.score)) best = { tool, score: r.score, input: r.input };
  }
  const chosen = best && best.score >= 0.5 ? best : null;
  const next = chosen ?? (() => {
    const f = followUp(q, options.previous, options.tools);
    return f ? { tool: f.tool, score: SURE_SCORE, input: f.input } : null;
  })();
  if (next && q.unknownName && next.tool.name !== 'product_help') {
    // A name the fleet does not know: a driver's question says so through the tool; anything else is not about this fleet.
    const shape = (next.tool.input as unknown as { shape?: Record<string, unknown> }).shape ?? {};
    const input = next.input as Record<string, unknown>;
    if ('driver' in shape && !input.driver && !input.taxi) next.input = { ...input, driver: q.unknownName };
    else if (!('driver' in shape) || !input.driver) return { lang, text: notInFleetText(lang, q.unknownName, ctx.fleet.name), data: [], links: [], kind: 'refusal', sure: true };
  }
  if (next) {
    const ran = await runTool(ctx, next.tool, next.input, lang);
    if (!('error' in ran)) return { lang, text: ran.text, data: [ran.call], links: ran.links, kind: 'answer', sure: next.score >= SURE_SCORE };
  }
  return { lang, text: helpText(lang), data: [], links: [], kind: 'help', sure: false };
}
