/**
 * POST /api/v1/chat/message and the conversations API, as owners, viewers and API keys use them: answers resting on
 * tool calls whose figures match the database (checked by the evaluation's own SQL), the same answer streamed, a
 * follow-up that keeps the previous question's tool, history per asker, deletion, and usage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistantFixture, sseEvents, type AssistantFixture } from '../../e2e/support/assistant-fixture.ts';
import { computeTruth } from '../../e2e/eval-assistant/truths.ts';
import { P } from '../../e2e/eval-assistant/question-spec.ts';
import { createApiKey } from '../domain/auth/api-keys.ts';

let f: AssistantFixture;
beforeAll(async () => (f = await createAssistantFixture()), 120_000);
afterAll(() => f?.close());

const json = async (res: Response, status = 200) => {
  expect(res.status, await res.clone().text()).toBe(status);
  return res.json();
};

describe('POST /api/v1/chat/message', () => {
  it('answers with the tool calls it rests on, whose figures are the database\'s', async () => {
    const answer = await json(await f.ask(f.tokens.ownerA, { message: '¿Cuántos frenazos hubo ayer?' }));
    const truth = await computeTruth(f.platform.db.kysely, f.world.a, { metric: 'incident_count', days: P.yesterday, type: ['HARSH_BRAKING'] });
    expect(answer).toMatchObject({ conversation_id: expect.any(String), message_id: expect.any(String), lang: 'es', engine: 'offline' });
    expect(answer.data).toEqual([{ tool: 'incidents', input: { period: 'yesterday', types: ['HARSH_BRAKING'] }, output: expect.objectContaining({ count: truth }) }]);
    expect(answer.answer).toContain(`${truth} incidente`);
    expect(answer.links[0]).toEqual({ label: expect.stringMatching(/^Ver /), href: '/incidents?type=HARSH_BRAKING&from=2026-11-19&to=2026-11-19' });
    for (const link of answer.links.slice(1)) expect(link.href).toMatch(/^\/incidents\/[0-9a-f-]+$/);
  });

  it('streams the same answer: tool and sentence events, then done with the JSON', async () => {
    const res = await f.ask(f.tokens.ownerA, { message: 'Which licences expire in the next 30 days?' }, { accept: 'text/event-stream' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await sseEvents(res);
    expect(events[0]).toEqual({ event: 'tool', data: { tool: 'expiring_licences', input: { within_days: 30 } } });
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    expect(events.filter((e) => e.event === 'sentence').map((e) => e.data.text).join('')).toBe(done.data.answer);
    expect(done.data).toMatchObject({ lang: 'en', engine: 'offline', data: [{ tool: 'expiring_licences' }], links: [{ href: '/drivers' }] });
    const names = [...done.data.data[0].output.expired, ...done.data.data[0].output.expiring].map((l: { name: string }) => l.name).sort();
    expect(names).toEqual(await computeTruth(f.platform.db.kysely, f.world.a, { metric: 'licences', within: 30 }));
  });

  it('keeps the conversation: a follow-up that only names a new period reuses the previous tool', async () => {
    const first = await json(await f.ask(f.tokens.ownerA, { message: 'How many trips did 4821 KTX make last week?' }));
    const second = await json(await f.ask(f.tokens.ownerA, { message: 'and yesterday?', conversation_id: first.conversation_id }));
    expect(second.conversation_id).toBe(first.conversation_id);
    expect(second.data[0]).toMatchObject({ tool: 'trips', input: { period: 'yesterday', taxi: '4821 KTX' } });
    expect(second.data[0].output.count).toBe(await computeTruth(f.platform.db.kysely, f.world.a, { metric: 'trip_count', days: P.yesterday, plate: '4821 KTX' }));
    const conversation = await json(await f.get(f.tokens.ownerA, `/api/v1/chat/conversations/${first.conversation_id}`));
    expect(conversation).toMatchObject({ id: first.conversation_id, title: 'How many trips did 4821 KTX make last week?' });
    expect(conversation.messages.map((m: { role: string; content: string }) => [m.role, m.content.slice(0, 14)])).toEqual([
      ['user', 'How many trips'],
      ['assistant', first.answer.slice(0, 14)],
      ['user', 'and yesterday?'],
      ['assistant', second.answer.slice(0, 14)],
    ]);
    expect(conversation.messages[3]).toMatchObject({ id: second.message_id, data: second.data, links: second.links, engine: 'offline' });
  });

  it('answers in the language asked for, and viewers may ask too', async () => {
    const answer = await json(await f.ask(f.tokens.viewerA, { message: '¿Cuántos taxis tengo activos?', lang: 'en' }));
    expect(answer.lang).toBe('en');
    expect(answer.answer).toMatch(/^You have 9 taxis active/);
  });
});

describe('conversations', () => {
  it('lists each asker\'s own, newest first, and deletes them', async () => {
    const a = await json(await f.ask(f.tokens.viewerA, { message: 'pending alerts' }));
    const list = await json(await f.get(f.tokens.viewerA, '/api/v1/chat/conversations'));
    expect(list.data[0]).toMatchObject({ id: a.conversation_id, title: 'pending alerts', lang: 'en' });
    const owners = await json(await f.get(f.tokens.ownerA, '/api/v1/chat/conversations'));
    expect(owners.data.map((c: { id: string }) => c.id)).not.toContain(a.conversation_id);
    expect((await f.get(f.tokens.viewerA, `/api/v1/chat/conversations/${a.conversation_id}`, 'DELETE')).status).toBe(204);
    expect((await f.get(f.tokens.viewerA, `/api/v1/chat/conversations/${a.conversation_id}`)).status).toBe(404);
    expect(await f.platform.db.kysely.selectFrom('chat_messages').select('id').where('conversation_id', '=', a.conversation_id).execute()).toEqual([]);
  });

  it('pages with a cursor', async () => {
    for (const q of ['hoy', 'ayer', 'esta semana']) await f.ask(f.tokens.ownerB, { message: `incidents ${q}` });
    const first = await json(await f.get(f.tokens.ownerB, '/api/v1/chat/conversations?limit=2'));
    const second = await json(await f.get(f.tokens.ownerB, `/api/v1/chat/conversations?limit=2&cursor=${first.next_cursor}`));
    expect([...first.data, ...second.data].map((c: { title: string }) => c.title)).toEqual(['incidents esta semana', 'incidents ayer', 'incidents hoy']);
    expect(second.next_cursor).toBeNull();
  });

  it('belongs to the API key that asked, which needs the chat scope', async () => {
    const deps = { db: f.platform.db.kysely, clock: f.platform.clock, ids: f.platform.ids };
    const key = await createApiKey(deps, { fleetId: f.world.a.id, scopes: ['chat'] });
    const answer = await json(await f.ask(key.key, { message: 'Which devices are offline?' }));
    expect(answer.data[0].tool).toBe('device_problems');
    const list = await json(await f.get(key.key, '/api/v1/chat/conversations'));
    expect(list.data.map((c: { id: string }) => c.id)).toEqual([answer.conversation_id]);
    expect((await f.get(f.tokens.ownerA, `/api/v1/chat/conversations/${answer.conversation_id}`)).status).toBe(404);
  });
});

describe('GET /api/v1/chat/usage', () => {
  it('counts questions per fleet and UTC day, model calls and cost', async () => {
    const usage = await json(await f.get(f.tokens.ownerA, '/api/v1/chat/usage?from=2026-11-20&to=2026-11-20'));
    expect(usage).toMatchObject({ fleet_id: f.world.a.id, from: '2026-11-20', to: '2026-11-20', totals: { model_calls: 0, cost_usd: 0 } });
    expect(usage.totals.questions).toBeGreaterThanOrEqual(6);
    expect(usage.days).toEqual([expect.objectContaining({ day: '2026-11-20', fleet_id: f.world.a.id, questions: usage.totals.questions })]);
  });
});
