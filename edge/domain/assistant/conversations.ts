/**
 * Conversations with the assistant, kept per asker: a signed-in user's are theirs alone, an API key's belong to that
 * key. Another asker's conversation is simply not found. Old ones are purged after CHAT_RETENTION_DAYS.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { Principal } from '../auth/access-tokens.ts';
import type { DomainDeps } from '../deps.ts';
import { decodeCursor, page } from '../pagination.ts';
import { notFound } from '../tenancy.ts';
import type { Lang } from './format.ts';
import type { ToolCall } from './offline/offline-engine.ts';
import type { ToolLink } from './tool.ts';

export interface ConversationOwner {
  fleetId: string;
  userId: string | null;
  apiKeyId: string | null;
}

/** Who owns the conversations a principal starts; platform admins have no fleet and cannot ask. */
export function ownerOf(principal: Principal): ConversationOwner {
  if (!principal.fleetId) throw new AppError('forbidden', 'the assistant answers about one fleet: sign in as an owner or viewer of that fleet');
  if (principal.apiKey) return { fleetId: principal.fleetId, userId: null, apiKeyId: principal.apiKey.id };
  if (!principal.userId) throw new AppError('forbidden', 'the assistant needs a signed-in user or an API key');
  return { fleetId: principal.fleetId, userId: principal.userId, apiKeyId: null };
}

const owned = (db: Kysely<Database>, owner: ConversationOwner) => {
  const q = db.selectFrom('chat_conversations').where('fleet_id', '=', owner.fleetId);
  return owner.userId ? q.where('user_id', '=', owner.userId) : q.where('api_key_id', '=', owner.apiKeyId!);
};

const TITLE_LENGTH = 80;

/** Throws 404 unless the conversation is the owner's. */
export async function assertConversation(db: Kysely<Database>, owner: ConversationOwner, id: string): Promise<void> {
  const row = await owned(db, owner).select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('conversation', id);
}

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  lang: Lang;
  data: ToolCall[];
  links: ToolLink[];
  engine: string | null;
  created_at: string;
}

/**
 * The question and its answer, written together with the conversation's new time (one transaction); without a
 * conversation id, the conversation is created first, titled by the question.
 */
export async function saveExchange(
  deps: DomainDeps,
  owner: ConversationOwner,
  conversationId: string | undefined,
  question: { text: string; lang: Lang },
  answer: { text: string; lang: Lang; data: ToolCall[]; links: ToolLink[]; engine: string },
): Promise<{ conversationId: string; messageId: string }> {
  const asked = new Date(deps.clock.now());
  return deps.db.transaction().execute(async (trx) => {
    let id = conversationId;
    if (!id) {
      const text = question.text.replace(/\s+/g, ' ').trim();
      const title = text.length > TITLE_LENGTH ? `${text.slice(0, TITLE_LENGTH - 1)}…` : text;
      id = deps.ids.next();
      await trx.insertInto('chat_conversations').values({ id, fleet_id: owner.fleetId, user_id: owner.userId, api_key_id: owner.apiKeyId, title, lang: question.lang, created_at: asked, updated_at: asked }).execute();
    }
    const base = { conversation_id: id, fleet_id: owner.fleetId };
    await trx.insertInto('chat_messages').values({ ...base, id: deps.ids.next(), role: 'user', content: question.text, lang: question.lang, data: '[]', links: '[]', engine: null, created_at: asked }).execute();
    const answered = new Date(Math.max(deps.clock.now(), asked.getTime() + 1));
    const messageId = deps.ids.next();
    await trx
      .insertInto('chat_messages')
      .values({ ...base, id: messageId, role: 'assistant', content: answer.text, lang: answer.lang, data: JSON.stringify(answer.data), links: JSON.stringify(answer.links), engine: answer.engine, created_at: answered })
      .execute();
    await trx.updateTable('chat_conversations').set({ updated_at: answered }).where('id', '=', id).execute();
    return { conversationId: id, messageId };
  });
}

/** The last `limit` messages of a conversation, oldest first (the model's context, the offline follow-ups). */
export async function recentMessages(db: Kysely<Database>, conversationId: string, limit: number): Promise<StoredMessage[]> {
  const rows = await db.selectFrom('chat_messages').select(['id', 'role', 'content', 'lang', 'data', 'links', 'engine', 'created_at']).where('conversation_id', '=', conversationId).orderBy('id', 'desc').limit(limit).execute();
  return rows.reverse().map(present);
}

const present = (r: { id: string; role: 'user' | 'assistant'; content: string; lang: Lang; data: unknown; links: unknown; engine: string | null; created_at: Date }): StoredMessage => ({
  id: r.id,
  role: r.role,
  content: r.content,
  lang: r.lang,
  data: (r.data as ToolCall[]) ?? [],
  links: (r.links as ToolLink[]) ?? [],
  engine: r.engine,
  created_at: r.created_at.toISOString(),
});

/** The owner's conversations, most recently used first, paged by cursor. */
export async function listConversations(db: Kysely<Database>, owner: ConversationOwner, q: { limit: number; cursor?: string }) {
  let query = owned(db, owner).select(['id', 'title', 'lang', 'created_at', 'updated_at']).orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(q.limit + 1);
  const after = decodeCursor(q.cursor);
  if (after) {
    const [at, id] = [after.slice(0, after.indexOf('|')), after.slice(after.indexOf('|') + 1)];
    query = query.where((eb) => eb.or([eb('updated_at', '<', new Date(at)), eb.and([eb('updated_at', '=', new Date(at)), eb('id', '<', id)])]));
  }
  const rows = (await query.execute()).map((r) => ({ ...r, created_at: r.created_at.toISOString(), updated_at: r.updated_at.toISOString() }));
  return page(rows, q.limit, (r) => `${r.updated_at}|${r.id}`);
}

/** One of the owner's conversations with every message, or 404. */
export async function getConversation(db: Kysely<Database>, owner: ConversationOwner, id: string) {
  const row = await owned(db, owner).select(['id', 'title', 'lang', 'created_at', 'updated_at']).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('conversation', id);
  const messages = await db.selectFrom('chat_messages').select(['id', 'role', 'content', 'lang', 'data', 'links', 'engine', 'created_at']).where('conversation_id', '=', id).orderBy('id').execute();
  return { ...row, created_at: row.created_at.toISOString(), updated_at: row.updated_at.toISOString(), messages: messages.map(present) };
}

export async function deleteConversation(db: Kysely<Database>, owner: ConversationOwner, id: string): Promise<void> {
  const row = await owned(db, owner).select('id').where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('conversation', id);
  await db.deleteFrom('chat_conversations').where('id', '=', row.id).execute();
}

/** Conversations not used since `before` go, messages with them; returns how many. */
export async function purgeConversations(db: Kysely<Database>, before: Date): Promise<number> {
  const result = await db.deleteFrom('chat_conversations').where('updated_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
