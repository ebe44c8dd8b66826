/**
 * Sends a question to the assistant and follows its answer as it streams: tool events say what is being looked up,
 * token and sentence events add words, and `done` brings the whole answer (which replaces the streamed words). An
 * expired session is refreshed once, as for every API call.
 */
import { csrfToken, goToLogin, refreshSession } from '../client/api.ts';
import { readSse } from '../client/sse-reader.ts';

export interface AnswerLink {
  label: string;
  href: string;
}

export interface FinalAnswer {
  conversation_id: string;
  message_id: string;
  lang: string;
  answer: string;
  data: Array<{ tool: string }>;
  links: AnswerLink[];
  engine: string;
}

export interface StreamHandlers {
  onTool(tool: string): void;
  onText(text: string): void;
}

export async function askStreaming(message: string, conversationId: string | null, handlers: StreamHandlers, fetcher: typeof fetch = fetch): Promise<FinalAnswer> {
  const send = () =>
    fetcher('/api/v1/chat/message', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'text/event-stream', 'content-type': 'application/json', 'x-csrf-token': csrfToken() },
      body: JSON.stringify(conversationId ? { message, conversation_id: conversationId } : { message }),
    });
  let res = await send();
  if (res.status === 401 && (await refreshSession())) res = await send();
  if (res.status === 401) {
    goToLogin();
    throw new Error('session expired');
  }
  if (!res.ok || !res.body) {
    const body = await res.json().catch(() => null);
    throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  }
  for await (const m of readSse(res.body)) {
    const data = JSON.parse(m.data);
    if (m.event === 'tool') handlers.onTool(data.tool);
    else if (m.event === 'token' || m.event === 'sentence') handlers.onText(data.text);
    else if (m.event === 'done') return data as FinalAnswer;
    else if (m.event === 'error') throw new Error(data?.error?.message ?? 'error');
  }
  throw new Error('the answer stopped before it was complete');
}
