/**
 * The assistant page's conversation: the owner's past conversations (open one, delete one, start anew), the
 * messages of the current one, suggested questions to start with, and a question box whose answer streams in.
 * Every answer's links are tappable: into the app's lists and incidents, or out to a map.
 */
import { useSignal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { api } from '../client/api.ts';
import type { MessageKey } from '../i18n/messages-en.ts';
import { askStreaming, type AnswerLink } from './assistant-stream.ts';
import { useI18n } from './use-i18n.ts';

export interface ConversationSummary {
  id: string;
  title: string;
  updated_at: string;
}

export interface ChatMessageView {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  links: AnswerLink[];
  engine: string | null;
  /** While an answer streams: what is being looked up; an error when it failed. */
  status?: string;
  error?: boolean;
}

export interface AssistantChatProps {
  conversations: ConversationSummary[];
  current: { id: string; messages: ChatMessageView[] } | null;
  suggestions: string[];
}

function Links({ links }: { links: AnswerLink[] }) {
  if (!links.length) return null;
  return (
    <ul class="chat-links">
      {links.map((l) => (
        <li>
          {/^https?:\/\//.test(l.href) ? (
            <a href={l.href} target="_blank" rel="noopener noreferrer">
              {l.label} ↗
            </a>
          ) : (
            <a href={l.href}>{l.label}</a>
          )}
        </li>
      ))}
    </ul>
  );
}

export default function AssistantChat({ conversations: initialConversations, current, suggestions }: AssistantChatProps) {
  const { t, dateTime } = useI18n();
  const conversations = useSignal(initialConversations);
  const conversationId = useSignal<string | null>(current?.id ?? null);
  const messages = useSignal<ChatMessageView[]>(current?.messages ?? []);
  const busy = useSignal(false);
  const draft = useSignal('');
  const listOpen = useSignal(false);
  const end = useRef<HTMLLIElement>(null);

  useEffect(() => end.current?.scrollIntoView?.({ block: 'end' }), [messages.value.length]);

  const toolWords = (tool: string) => {
    const key = `assistant.tools.${tool}` as MessageKey;
    const words = t(key);
    return words === key ? tool.replace(/_/g, ' ') : words;
  };

  const updateLast = (change: (m: ChatMessageView) => ChatMessageView) => {
    const list = messages.value;
    messages.value = [...list.slice(0, -1), change(list[list.length - 1])];
  };

  const ask = async (question: string) => {
    const text = question.trim();
    if (!text || busy.value) return;
    busy.value = true;
    draft.value = '';
    messages.value = [...messages.value, { id: `q-${Date.now()}`, role: 'user', content: text, links: [], engine: null }, { id: `a-${Date.now()}`, role: 'assistant', content: '', links: [], engine: null, status: t('assistant.thinking') }];
    try {
      const answer = await askStreaming(text, conversationId.value, {
        onTool: (tool) => updateLast((m) => ({ ...m, status: t('assistant.tool', { tool: toolWords(tool) }) })),
        onText: (words) => updateLast((m) => ({ ...m, content: m.content + words, status: undefined })),
      });
      updateLast((m) => ({ ...m, id: answer.message_id, content: answer.answer, links: answer.links, engine: answer.engine, status: undefined }));
      const isNew = conversationId.value !== answer.conversation_id;
      conversationId.value = answer.conversation_id;
      const now = new Date().toISOString();
      const rest = conversations.value.filter((c) => c.id !== answer.conversation_id);
      const title = isNew ? text : (conversations.value.find((c) => c.id === answer.conversation_id)?.title ?? text);
      conversations.value = [{ id: answer.conversation_id, title, updated_at: now }, ...rest];
      history.replaceState(null, '', `/assistant?c=${encodeURIComponent(answer.conversation_id)}`);
    } catch (error) {
      updateLast((m) => ({ ...m, content: t('assistant.failed', { message: error instanceof Error ? error.message : String(error) }), status: undefined, error: true }));
    } finally {
      busy.value = false;
    }
  };

  const startNew = () => {
    conversationId.value = null;
    messages.value = [];
    listOpen.value = false;
    history.replaceState(null, '', '/assistant');
  };

  const remove = async (id: string) => {
    if (!confirm(t('assistant.deleteConfirm'))) return;
    await api(`/api/v1/chat/conversations/${encodeURIComponent(id)}`, { method: 'DELETE' });
    conversations.value = conversations.value.filter((c) => c.id !== id);
    if (conversationId.value === id) startNew();
  };

  return (
    <div class="chat">
      <aside class={`chat-side card${listOpen.value ? ' open' : ''}`}>
        <div class="chat-side-head">
          <button type="button" class="secondary chat-toggle" aria-expanded={listOpen.value} aria-controls="chat-conversations" onClick={() => (listOpen.value = !listOpen.value)}>
            {t('assistant.conversations')} ({conversations.value.length})
          </button>
          <h2 class="chat-side-title">{t('assistant.conversations')}</h2>
          <button type="button" class="secondary" onClick={startNew}>
            {t('assistant.new')}
          </button>
        </div>
        <ul id="chat-conversations" class="plain chat-conversations">
          {conversations.value.length === 0 && <li class="hint">{t('assistant.noConversations')}</li>}
          {conversations.value.map((c) => (
            <li class={c.id === conversationId.value ? 'current' : undefined}>
              <a href={`/assistant?c=${encodeURIComponent(c.id)}`} aria-current={c.id === conversationId.value ? 'true' : undefined}>
                <span class="chat-title">{c.title}</span>
                <small>{dateTime(c.updated_at)}</small>
              </a>
              <button type="button" class="link-like" onClick={() => remove(c.id)} aria-label={`${t('assistant.delete')}: ${c.title}`}>
                {t('assistant.delete')}
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <section class="chat-main card" aria-label={t('assistant.title')}>
        <div class="chat-log" role="log" aria-live="polite" aria-busy={busy.value}>
        <ol class="plain chat-list">
          {messages.value.map((m) => (
            <li class={`chat-msg chat-${m.role}${m.error ? ' chat-error' : ''}`}>
              <span class="visually-hidden">{m.role === 'user' ? t('assistant.you') : t('assistant.bot')}: </span>
              {m.content && <p>{m.content}</p>}
              {m.status && (
                <p class="chat-status" role="status">
                  {m.status}
                </p>
              )}
              <Links links={m.links} />
              {m.engine === 'model' && <small class="hint">{t('assistant.byModel')}</small>}
            </li>
          ))}
          <li ref={end} aria-hidden="true" />
        </ol>
        </div>
        {messages.value.length === 0 && (
          <div class="chat-suggestions">
            <h2>{t('assistant.suggested')}</h2>
            <ul class="plain">
              {suggestions.map((s) => (
                <li>
                  <button type="button" class="chip" onClick={() => ask(s)} disabled={busy.value}>
                    {s}
                  </button>
                </li>
              ))}
            </ul>
          </div>
        )}
        <form
          class="chat-form"
          onSubmit={(e) => {
            e.preventDefault();
            void ask(draft.value);
          }}
        >
          <label for="chat-question" class="visually-hidden">
            {t('assistant.question')}
          </label>
          <textarea
            id="chat-question"
            rows={2}
            maxLength={2000}
            placeholder={t('assistant.placeholder')}
            value={draft.value}
            onInput={(e) => (draft.value = (e.currentTarget as HTMLTextAreaElement).value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                void ask(draft.value);
              }
            }}
          />
          <button type="submit" disabled={busy.value}>
            {t('assistant.send')}
          </button>
        </form>
      </section>
    </div>
  );
}
