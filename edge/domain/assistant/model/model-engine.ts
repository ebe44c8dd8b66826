/**
 * The model engine: OpenAI-style tool calling over the same tools the offline engine uses. Each round the model may
 * call tools; their arguments are validated by each tool's strict schema (an unknown field such as a fleet id is
 * refused), the tool runs with the asker's read-only principal, and its output goes back as data. After at most
 * MAX_ROUNDS the model must answer in words. Links come from the tools that ran, never from the model.
 */
import { z } from 'zod';
import { ChatModelError, type ChatMessage, type ChatModel, type ToolSpec } from '../../../ports/chat-model.ts';
import type { Lang } from '../format.ts';
import type { EngineAnswer, ToolCall } from '../offline/offline-engine.ts';
import type { AssistantTool, ToolContext, ToolLink } from '../tool.ts';
import type { ModelUsage } from '../usage.ts';
import { systemPrompt } from './system-prompt.ts';

export const MAX_ROUNDS = 4;

export function toolSpecs(tools: AssistantTool[]): ToolSpec[] {
  return tools.map((t) => {
    const { $schema: _, ...parameters } = z.toJSONSchema(t.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    return { name: t.name, description: t.description, parameters };
  });
}

export interface ModelEngineOptions {
  tools: AssistantTool[];
  lang: Lang;
  /** Earlier turns of the conversation (text only), oldest first. */
  history: Array<{ role: 'user' | 'assistant'; content: string }>;
  onText?: (delta: string) => void;
  onTool?: (call: { tool: string; input: unknown }) => void;
  signal?: AbortSignal;
}

export async function answerWithModel(ctx: ToolContext, model: ChatModel, question: string, options: ModelEngineOptions): Promise<{ answer: EngineAnswer; usage: ModelUsage }> {
  const usage: ModelUsage = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 };
  const data: ToolCall[] = [];
  const links: ToolLink[] = [];
  const texts: string[] = [];
  const messages: ChatMessage[] = [{ role: 'system', content: systemPrompt(ctx.fleet, options.lang, ctx.now) }, ...options.history, { role: 'user', content: question }];
  const specs = toolSpecs(options.tools);

  for (let round = 1; round <= MAX_ROUNDS; round++) {
    // The last round offers no tools: the model has to answer with what it has.
    let turn;
    try {
      turn = await model.complete({ messages, tools: round < MAX_ROUNDS ? specs : [] }, { signal: options.signal, onText: options.onText });
    } catch (error) {
      // Earlier rounds were billed: the caller records them even though this answer is lost.
      if (error instanceof ChatModelError) throw Object.assign(error, { usage });
      throw error;
    }
    usage.calls++;
    if (turn.usage) {
      usage.inputTokens += turn.usage.inputTokens;
      usage.outputTokens += turn.usage.outputTokens;
      usage.costUsd += turn.usage.costUsd;
    }
    if (turn.toolCalls.length === 0) {
      const text = turn.text.trim() || texts.join(' ');
      return { answer: { lang: options.lang, text, data, links: dedupe(links), kind: data.length ? 'answer' : 'help', sure: true }, usage };
    }
    messages.push({ role: 'assistant', content: turn.text, toolCalls: turn.toolCalls });
    for (const call of turn.toolCalls) {
      const result = await runCall(ctx, options, call.name, call.arguments);
      if ('output' in result) {
        data.push(result.call);
        links.push(...result.links);
        texts.push(result.text);
        options.onTool?.({ tool: result.call.tool, input: result.call.input });
      }
      messages.push({ role: 'tool', toolCallId: call.id, content: JSON.stringify('output' in result ? { data: result.output } : { error: result.error }) });
    }
  }
  // Unreachable in practice (the last round has no tools); answer from the tools' own words if it happens.
  return { answer: { lang: options.lang, text: texts.join(' '), data, links: dedupe(links), kind: data.length ? 'answer' : 'help', sure: true }, usage };
}

type CallResult = { output: unknown; call: ToolCall; links: ToolLink[]; text: string } | { error: string };

async function runCall(ctx: ToolContext, options: ModelEngineOptions, name: string, rawArguments: string): Promise<CallResult> {
  const tool = options.tools.find((t) => t.name === name);
  if (!tool) return { error: `unknown tool ${name}; the tools are ${options.tools.map((t) => t.name).join(', ')}` };
  let args: unknown;
  try {
    args = rawArguments.trim() ? JSON.parse(rawArguments) : {};
  } catch {
    return { error: 'the arguments are not valid JSON' };
  }
  const parsed = tool.input.safeParse(args);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ') };
  const output = await tool.run(ctx, parsed.data);
  return { output, call: { tool: tool.name, input: parsed.data, output }, links: tool.links(output, options.lang), text: tool.answer(output, options.lang, ctx) };
}

function dedupe(links: ToolLink[]): ToolLink[] {
  const seen = new Set<string>();
  return links.filter((l) => !seen.has(l.href) && seen.add(l.href));
}
