/**
 * ChatModel port: one turn of a chat model that can call tools (the assistant's model engine). The model sees the
 * conversation and the tools' JSON schemas, and answers with text, tool calls, or both.
 *
 * Contract (adapters/chat-model/chat-model.contract.test.ts):
 * - `complete` resolves with the turn's text (possibly empty), its tool calls (arguments as the raw JSON string the
 *   model wrote: the caller validates them), the model that answered, and usage when the server reports it
 *   (`costUsd` is an estimate; 0 for models without a known price).
 * - Text is passed to `onText` in order as it arrives (streaming); the concatenation equals `text`.
 * - It rejects with `ChatModelError` when the server gives no usable turn (HTTP error, timeout, broken stream); the
 *   caller decides what to answer instead. It never retries a turn on its own.
 * - Calls are independent.
 */
export type ChatMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCallRequest[] }
  | { role: 'tool'; toolCallId: string; content: string };

export interface ToolCallRequest {
  id: string;
  name: string;
  /** The arguments exactly as the model wrote them (JSON text, not yet validated). */
  arguments: string;
}

export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of the arguments. */
  parameters: Record<string, unknown>;
}

export interface ChatTurn {
  text: string;
  toolCalls: ToolCallRequest[];
  model: string;
  usage: { inputTokens: number; outputTokens: number; costUsd: number } | null;
}

export interface ChatModel {
  /** Adapter name (e.g. "openai"). */
  readonly name: string;
  /** The model asked for. */
  readonly model: string;
  complete(request: { messages: ChatMessage[]; tools: ToolSpec[] }, options?: { signal?: AbortSignal; onText?: (delta: string) => void }): Promise<ChatTurn>;
}

export class ChatModelError extends Error {
  override name = 'ChatModelError';
}
