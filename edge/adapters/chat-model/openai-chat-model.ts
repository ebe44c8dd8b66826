/**
 * ChatModel adapter for OpenAI and any OpenAI-compatible server (Ollama, vLLM through `baseURL`): one streamed chat
 * completion per turn with the tools as functions, the text passed on as it arrives and tool calls assembled from
 * their deltas. Web APIs only, so it runs on Node, Deno and workerd. No retries here: a failed turn is the caller's
 * to answer differently (the assistant falls back to its offline engine).
 */
import OpenAI, { APIError } from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { ChatModelError, type ChatMessage, type ChatModel, type ChatTurn, type ToolCallRequest } from '../../ports/chat-model.ts';
import { costUsd } from '../analyser/model-prices.ts';

export interface OpenAiChatModelConfig {
  /** Optional for local servers that do not check it (Ollama, vLLM); required for api.openai.com. */
  apiKey?: string;
  baseURL?: string;
  model: string;
  /** Per turn. */
  timeoutMs: number;
}

function toOpenAi(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content || null,
        ...(message.toolCalls?.length ? { tool_calls: message.toolCalls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.name, arguments: c.arguments } })) } : {}),
      };
    default:
      return { role: message.role, content: message.content };
  }
}

export function createOpenAiChatModel(config: OpenAiChatModelConfig): ChatModel {
  if (!config.apiKey && !config.baseURL) throw new Error('openai chat model: set OPENAI_API_KEY, or OPENAI_BASE_URL for a local OpenAI-compatible server');
  const client = new OpenAI({ apiKey: config.apiKey || 'unused-by-local-server', baseURL: config.baseURL, maxRetries: 0, timeout: config.timeoutMs });

  return {
    name: 'openai',
    model: config.model,
    async complete(request, options = {}): Promise<ChatTurn> {
      const timeout = AbortSignal.timeout(config.timeoutMs);
      const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
      let text = '';
      let model = config.model;
      let usage: ChatTurn['usage'] = null;
      const calls = new Map<number, ToolCallRequest>();
      try {
        const stream = await client.chat.completions.create(
          {
            model: config.model,
            messages: request.messages.map(toOpenAi),
            ...(request.tools.length ? { tools: request.tools.map((t) => ({ type: 'function' as const, function: { name: t.name, description: t.description, parameters: t.parameters } })) } : {}),
            stream: true,
            stream_options: { include_usage: true },
          },
          { signal, maxRetries: 0 },
        );
        for await (const chunk of stream) {
          if (chunk.model) model = chunk.model;
          if (chunk.usage) usage = { inputTokens: chunk.usage.prompt_tokens, outputTokens: chunk.usage.completion_tokens, costUsd: 0 };
          const delta = chunk.choices?.[0]?.delta;
          if (!delta) continue;
          if (delta.content) {
            text += delta.content;
            options.onText?.(delta.content);
          }
          for (const part of delta.tool_calls ?? []) {
            const call = calls.get(part.index) ?? { id: '', name: '', arguments: '' };
            if (part.id) call.id = part.id;
            if (part.function?.name) call.name += part.function.name;
            if (part.function?.arguments) call.arguments += part.function.arguments;
            calls.set(part.index, call);
          }
        }
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason ?? error;
        if (timeout.aborted) throw new ChatModelError(`openai chat model: no answer within ${config.timeoutMs} ms`, { cause: error });
        if (error instanceof APIError) throw new ChatModelError(`openai chat model: ${error.status ? `HTTP ${error.status}: ` : ''}${error.message}`, { cause: error });
        throw new ChatModelError(`openai chat model: ${(error as Error).message}`, { cause: error });
      }
      if (usage) usage.costUsd = costUsd(model, usage.inputTokens, usage.outputTokens);
      const toolCalls = [...calls.entries()].sort(([a], [b]) => a - b).map(([index, c]) => ({ ...c, id: c.id || `call_${index}` }));
      if (!text && toolCalls.length === 0) throw new ChatModelError('openai chat model: the answer has neither text nor tool calls');
      return { text, toolCalls, model, usage };
    },
  };
}
