/**
 * The assistant's model from the environment (any runtime; Web APIs only): the OpenAI-compatible server of
 * OPENAI_API_KEY / OPENAI_BASE_URL with OPENAI_CHAT_MODEL, unless ASSISTANT_ENGINE=offline or none is configured.
 */
import { createOpenAiChatModel } from '../adapters/chat-model/openai-chat-model.ts';
import type { Config } from '../config.ts';
import type { ChatModel } from '../ports/chat-model.ts';

export function chatModelFromConfig(config: Config): ChatModel | undefined {
  if (config.ASSISTANT_ENGINE === 'offline' || !(config.OPENAI_API_KEY || config.OPENAI_BASE_URL)) return undefined;
  return createOpenAiChatModel({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL, model: config.OPENAI_CHAT_MODEL, timeoutMs: config.OPENAI_TIMEOUT_MS });
}
