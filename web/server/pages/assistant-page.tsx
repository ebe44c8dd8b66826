/**
 * /assistant: the fleet assistant. The owner's conversations (and, with ?c=<id>, that one's messages) are read
 * through the chat API as the signed-in user; the island asks and streams answers. Platform admins have no fleet to
 * ask about and get a note instead.
 */
import { SUGGESTED_QUESTIONS } from '../../../edge/domain/assistant/offline/help-text.ts';
import AssistantChat, { type AssistantChatProps, type ChatMessageView } from '../../islands/assistant-chat.tsx';
import { Island } from '../island.tsx';
import { ApiReadError } from '../page-context.ts';
import type { PageHandler } from '../register-web.ts';

export const assistantPage: PageHandler = async (c, ctx) => {
  const { t, lang } = ctx.i18n;
  const title = t('assistant.title');
  if (!ctx.principal?.fleetId) return { title, body: <section class="card"><h1>{title}</h1><p>{t('assistant.adminOnly')}</p></section> };
  const list = await ctx.api<{ data: AssistantChatProps['conversations'] }>('/api/v1/chat/conversations?limit=50');
  let current: AssistantChatProps['current'] = null;
  const id = c.req.query('c');
  if (id) {
    try {
      const conversation = await ctx.api<{ id: string; messages: Array<ChatMessageView & Record<string, unknown>> }>(`/api/v1/chat/conversations/${encodeURIComponent(id)}`);
      current = { id: conversation.id, messages: conversation.messages.map((m) => ({ id: m.id, role: m.role, content: m.content, links: m.links, engine: m.engine })) };
    } catch (error) {
      // A deleted or someone else's conversation: start a new one rather than fail the page.
      if (!(error instanceof ApiReadError) || error.status !== 404) throw error;
    }
  }
  const props: AssistantChatProps = { conversations: list.data.map((c) => ({ id: c.id, title: c.title, updated_at: c.updated_at })), current, suggestions: SUGGESTED_QUESTIONS[lang] };
  return {
    title,
    body: (
      <>
        <h1>{title}</h1>
        <p class="chat-intro">{t('assistant.intro')}</p>
        <noscript>
          <p class="notice">{t('assistant.noScript')}</p>
        </noscript>
        <Island name="assistant-chat" component={AssistantChat} props={props} />
      </>
    ),
  };
};
