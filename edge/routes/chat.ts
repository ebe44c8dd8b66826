/**
 * /api/v1/chat: the fleet assistant. POST /message answers a question about the asker's fleet, as JSON or, with
 * `Accept: text/event-stream`, streamed (tool, token or sentence events, then one `done` event carrying the same
 * JSON); conversations are listed, read and deleted by whoever owns them; /usage reports what it cost per UTC day.
 * Owners and viewers (session or token), and API keys with the `chat` scope; platform admins only read usage.
 */
import type { Context, Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import type { AppEnv } from '../app-env.ts';
import { askAssistant, type AssistantDeps } from '../domain/assistant/ask-assistant.ts';
import { assertConversation, deleteConversation, getConversation, listConversations, ownerOf } from '../domain/assistant/conversations.ts';
import { CHAT_SCOPE } from '../domain/auth/api-keys.ts';
import type { Principal } from '../domain/auth/access-tokens.ts';
import { pageQuery } from '../domain/pagination.ts';
import { AppError, errorBody } from '../errors.ts';
import { toAppError } from '../middleware/error-handler.ts';
import { protectResource } from '../middleware/authenticate.ts';
import type { RouteDoc } from '../openapi/route-docs.ts';
import type { Platform } from '../platform.ts';
import { answerUsage, usageQuery } from './daily-usage-route.ts';
import { readJson, readQuery } from './route-helpers.ts';

const messageBody = z
  .object({
    message: z.string().trim().min(1, 'ask something').max(2000).refine((m) => !m.includes('\u0000'), { message: 'must not contain NUL characters' }).describe('The question, in Spanish or English'),
    conversation_id: z.string().min(1).max(100).optional().describe('Continue this conversation (yours); absent: a new one'),
    lang: z.enum(['es', 'en']).optional().describe('Answer in this language; absent: the language of the question'),
  })
  .strict();

/** API keys need the chat scope; users of a fleet may ask whatever their role. */
function authorizeChat(principal: Principal): void {
  if (principal.apiKey && !principal.apiKey.scopes.includes(CHAT_SCOPE)) throw new AppError('forbidden', `this API key lacks the ${CHAT_SCOPE} scope`);
}

export function registerChat(app: Hono<AppEnv>, platform: Platform) {
  const db = platform.db.kysely;
  protectResource(app, platform, '/api/v1/chat');
  const deps = (): AssistantDeps => ({
    db,
    clock: platform.clock,
    ids: platform.ids,
    cache: platform.cache,
    log: platform.log,
    chatModel: platform.chatModel,
    settings: { engine: platform.config.ASSISTANT_ENGINE, budget: { dailyUsd: platform.config.ASSISTANT_DAILY_BUDGET_USD, dailyCalls: platform.config.ASSISTANT_DAILY_MODEL_CALLS } },
  });

  app.post('/api/v1/chat/message', async (c) => {
    const principal = c.var.principal;
    authorizeChat(principal);
    const owner = ownerOf(principal);
    const body = await readJson(c, messageBody);
    // Checked before a stream starts, so a wrong id is a plain 404 rather than an error event.
    if (body.conversation_id) await assertConversation(db, owner, body.conversation_id);
    const request = { message: body.message, conversationId: body.conversation_id, lang: body.lang };
    if (!(c.req.header('accept') ?? '').includes('text/event-stream')) return c.json(await askAssistant(deps(), principal, request));
    c.header('X-Accel-Buffering', 'no');
    c.header('Cache-Control', 'no-cache');
    return streamSSE(c, async (stream) => {
      try {
        const answer = await askAssistant(deps(), principal, request, (e) => void stream.writeSSE({ event: e.event, data: JSON.stringify(e.data) }));
        await stream.writeSSE({ event: 'done', data: JSON.stringify(answer) });
      } catch (error) {
        const e = toAppError(error);
        if (e.status >= 500) c.var.log.error('assistant failed', { error });
        await stream.writeSSE({ event: 'error', data: JSON.stringify(errorBody(e.code, e.status >= 500 ? 'the assistant failed; try again' : e.message, e.status >= 500 ? null : e.details, c.get('requestId'))) });
      }
    });
  });

  const ownerOfCaller = (c: Context<AppEnv>) => {
    authorizeChat(c.var.principal);
    return ownerOf(c.var.principal);
  };
  // A conversation is looked up before the scope is checked: someone else's is a 404 whatever the caller's scopes.
  const conversationOfCaller = async (c: Context<AppEnv>) => {
    const owner = ownerOf(c.var.principal);
    const conversation = await getConversation(db, owner, c.req.param('id')!);
    authorizeChat(c.var.principal);
    return { owner, conversation };
  };

  app.get('/api/v1/chat/conversations', async (c) => {
    const owner = ownerOfCaller(c);
    return c.json(await listConversations(db, owner, readQuery(c, pageQuery)));
  });

  app.get('/api/v1/chat/usage', async (c) => {
    authorizeChat(c.var.principal);
    return answerUsage(c, platform, 'assistant_usage_daily');
  });

  app.get('/api/v1/chat/conversations/:id', async (c) => c.json((await conversationOfCaller(c)).conversation));

  app.delete('/api/v1/chat/conversations/:id', async (c) => {
    const { owner, conversation } = await conversationOfCaller(c);
    await deleteConversation(db, owner, conversation.id);
    return c.body(null, 204);
  });
}

export const chatDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/api/v1/chat/message',
    summary:
      'Ask the fleet assistant. JSON answer { conversation_id, message_id, lang, answer, data: [{ tool, input, output }], links: [{ label, href }], engine }; with Accept: text/event-stream: tool, token and sentence events, then `done` with the same JSON (or `error`)',
    tag: 'Assistant',
    auth: 'bearer',
    body: messageBody,
    responses: { 200: 'The answer (or its stream)', 400: 'Invalid question', 403: 'API key without the chat scope, or a platform admin', 404: 'Conversation not found' },
  },
  { method: 'get', path: '/api/v1/chat/conversations', summary: "Your conversations, most recently used first (API keys: the key's own)", tag: 'Assistant', auth: 'bearer', query: pageQuery, responses: { 200: 'A page of conversations' } },
  { method: 'get', path: '/api/v1/chat/conversations/:id', summary: 'One of your conversations with its messages (answers carry their data and links)', tag: 'Assistant', auth: 'bearer', responses: { 200: 'The conversation', 404: 'Not found' } },
  { method: 'delete', path: '/api/v1/chat/conversations/:id', summary: 'Delete one of your conversations', tag: 'Assistant', auth: 'bearer', responses: { 204: 'Deleted', 404: 'Not found' } },
  {
    method: 'get',
    path: '/api/v1/chat/usage',
    summary: 'Assistant usage per UTC day: questions, model calls, tokens, estimated cost (USD), with totals',
    tag: 'Assistant',
    auth: 'bearer',
    query: usageQuery,
    responses: { 200: '{ fleet_id, from, to, days: [{ day, fleet_id, questions, model_calls, input_tokens, output_tokens, cost_usd }], totals }', 400: 'Invalid dates' },
  },
];
