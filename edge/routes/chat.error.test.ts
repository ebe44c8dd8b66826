/** What the chat API refuses, and how: a clear 4xx with the JSON error shape, never a 500, never half-written data. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistantFixture, type AssistantFixture } from '../../e2e/support/assistant-fixture.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApiKey } from '../domain/auth/api-keys.ts';
import { createUser } from '../domain/provisioning.ts';

let f: AssistantFixture;
beforeAll(async () => (f = await createAssistantFixture()), 120_000);
afterAll(() => f?.close());

const error = async (res: Response, status: number, code: string) => {
  expect(res.status, await res.clone().text()).toBe(status);
  const body = await res.json();
  expect(body.error).toMatchObject({ code, message: expect.any(String) });
  return body.error;
};
const conversations = async () => (await f.platform.db.kysely.selectFrom('chat_conversations').select('id').execute()).length;

describe('chat API errors', () => {
  it('answers bad questions with 400 naming the field, and stores nothing', async () => {
    const before = await conversations();
    const bad: Array<[unknown, RegExp]> = [
      [{}, /message/],
      [{ message: '   ' }, /message: ask something/],
      [{ message: 'x'.repeat(2001) }, /message/],
      [{ message: 'hola\u0000' }, /control character \(U\+0000\)/],
      [{ message: 'hola', fleet_id: 'other' }, /fleet_id|Unrecognized/i],
      [{ message: 'hola', lang: 'fr' }, /lang/],
      [{ message: 'hola', conversation_id: 7 }, /conversation_id/],
    ];
    for (const [body, message] of bad) expect((await error(await f.ask(f.tokens.ownerA, body), 400, 'validation_failed')).message, JSON.stringify(body)).toMatch(message);
    await error(await f.ask(f.tokens.ownerA, '{"message": '), 400, 'bad_request');
    expect(await conversations()).toBe(before);
  });

  it('asks for credentials, and refuses keys without the chat scope and platform admins', async () => {
    const res = await f.app.request('/api/v1/chat/message', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"hola"}' });
    await error(res, 401, 'unauthorized');
    const deps = { db: f.platform.db.kysely, clock: f.platform.clock, ids: f.platform.ids };
    const key = await createApiKey(deps, { fleetId: f.world.a.id, scopes: ['read:incidents'] });
    expect((await error(await f.ask(key.key, { message: 'hola' }), 403, 'forbidden')).message).toMatch(/chat scope/);
    await error(await f.get(key.key, '/api/v1/chat/conversations'), 403, 'forbidden');
    await createUser(deps, { fleetId: null, email: 'admin@assistant.test', password: 'assistant-admin-pass-1', role: 'admin' });
    const admin = await loginForTest(f.app, f.platform.clock, 'admin@assistant.test', 'assistant-admin-pass-1');
    expect((await error(await f.ask(admin, { message: 'hola' }), 403, 'forbidden')).message).toMatch(/one fleet/);
    expect((await f.get(admin, '/api/v1/chat/usage')).status).toBe(200);
  });

  it('treats another asker\'s conversation as not found, streaming or not', async () => {
    const mine = await (await f.ask(f.tokens.ownerA, { message: '¿Cuántos incidentes hubo hoy?' })).json();
    for (const token of [f.tokens.ownerB, f.tokens.viewerA]) {
      await error(await f.ask(token, { message: '¿y ayer?', conversation_id: mine.conversation_id }), 404, 'not_found');
      await error(await f.ask(token, { message: '¿y ayer?', conversation_id: mine.conversation_id }, { accept: 'text/event-stream' }), 404, 'not_found');
      await error(await f.get(token, `/api/v1/chat/conversations/${mine.conversation_id}`), 404, 'not_found');
      await error(await f.get(token, `/api/v1/chat/conversations/${mine.conversation_id}`, 'DELETE'), 404, 'not_found');
    }
    await error(await f.get(f.tokens.ownerA, '/api/v1/chat/conversations/nope'), 404, 'not_found');
    await error(await f.get(f.tokens.ownerA, '/api/v1/chat/conversations?cursor=garbage'), 400, 'validation_failed');
    await error(await f.get(f.tokens.ownerB, `/api/v1/chat/usage?fleet_id=${f.world.a.id}`), 404, 'not_found');
    expect((await (await f.get(f.tokens.ownerA, `/api/v1/chat/conversations/${mine.conversation_id}`)).json()).messages).toHaveLength(2);
  });
});
