/** The live SSE feed: tenant-scoped, resumable with Last-Event-ID, heartbeats, and ends on disconnect. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { collectSse } from '../../e2e/support/sse-client.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';
import { publishRaw } from '../../e2e/support/publish-raw.ts';

describe('GET /api/v1/live', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const tokens: Record<string, string> = {};
  const fleets: Record<string, string> = {};
  const open = (who: string, headers: Record<string, string> = {}, query = '') =>
    app.request(`/api/v1/live${query}`, { headers: { authorization: `Bearer ${tokens[who]}`, ...headers } });

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform, { live: { heartbeatMs: 50, maxDurationMs: 5000 } });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    for (const name of ['a', 'b']) {
      fleets[name] = (await createFleet(deps, { name: `Live ${name}` })).id;
      await createUser(deps, { fleetId: fleets[name], email: `owner@${name}.live`, password: 'live-password-1', role: 'owner' });
      tokens[name] = await loginForTest(app, platform.clock, `owner@${name}.live`, 'live-password-1');
    }
    await createUser(deps, { fleetId: null, email: 'admin@live.test', password: 'live-password-1', role: 'admin' });
    tokens.admin = await loginForTest(app, platform.clock, 'admin@live.test', 'live-password-1');
  });
  afterAll(() => platform.close());

  it('streams only the caller’s fleet to owners and every fleet to admins', async () => {
    const ownerRes = await open('a');
    expect(ownerRes.headers.get('content-type')).toContain('text/event-stream');
    const owner = collectSse(ownerRes);
    const admin = collectSse(await open('admin'));
    await Promise.all([owner.connected, admin.connected]);
    await publishRaw(platform.bus, fleets.b, 'new_alert', { n: 'b' });
    await publishRaw(platform.bus, fleets.a, 'new_alert', { n: 'a' });
    expect(await admin.waitFor((events) => events.length >= 2, 3000)).toBe(true);
    expect(await owner.waitFor((events) => events.length >= 1, 3000)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all([owner.close(), admin.close()]);
    expect(owner.events.map((e) => JSON.parse(e.data!).n)).toEqual(['a']);
    expect(owner.events[0].event).toBe('new_alert');
    expect(admin.events.map((e) => JSON.parse(e.data!).n)).toEqual(['b', 'a']);
  });

  it('replays what a reconnecting client missed, then continues live, without duplicates', async () => {
    const first = await publishRaw(platform.bus, fleets.a, 'location_update', { seq: 1 });
    await publishRaw(platform.bus, fleets.a, 'location_update', { seq: 2 });
    await publishRaw(platform.bus, fleets.a, 'location_update', { seq: 3 });
    const feed = collectSse(await open('a', { 'last-event-id': first.id }));
    await feed.connected;
    await publishRaw(platform.bus, fleets.a, 'location_update', { seq: 4 });
    expect(await feed.waitFor((events) => events.length >= 3, 3000)).toBe(true);
    await feed.close();
    expect(feed.events.map((e) => JSON.parse(e.data!).seq)).toEqual([2, 3, 4]);
  });

  it('tells a new client the stream head at once, so a stream that drops before its first event resumes without loss', async () => {
    const before = await publishRaw(platform.bus, fleets.a, 'location_update', { seq: 'old' });
    const first = collectSse(await open('a'));
    await first.connected;
    expect(first.lastEventId()).toBe(before.id);
    await first.close();
    // Published while the client is reconnecting.
    await publishRaw(platform.bus, fleets.a, 'location_update', { seq: 'gap' });
    const again = collectSse(await open('a', { 'last-event-id': first.lastEventId()! }));
    await again.connected;
    await publishRaw(platform.bus, fleets.a, 'location_update', { seq: 'live' });
    expect(await again.waitFor((events) => events.length >= 2, 3000)).toBe(true);
    await again.close();
    expect(first.events).toEqual([]);
    expect(again.events.map((e) => JSON.parse(e.data!).seq)).toEqual(['gap', 'live']);
  });

  it('names the head as a stream_head event for clients that ask (head_event=1), and not to resuming ones', async () => {
    const head = await publishRaw(platform.bus, fleets.a, 'location_update', { seq: 'head' });
    const asked = collectSse(await open('a', {}, '?head_event=1'));
    await asked.connected;
    expect(asked.events).toEqual([{ id: head.id, event: 'stream_head', data: '{}' }]);
    await asked.close();
    const resumed = collectSse(await open('a', {}, `?head_event=1&last_event_id=${head.id}`));
    await resumed.connected;
    expect(resumed.events).toEqual([]);
    await resumed.close();
    expect((await open('a', {}, '?head_event=maybe')).status).toBe(400);
  });

  it('sends heartbeat comments while idle', async () => {
    const reader = (await open('a')).body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const deadline = Date.now() + 3000;
    while (!text.includes(': heartbeat') && Date.now() < deadline) text += decoder.decode((await reader.read()).value, { stream: true });
    await reader.cancel();
    expect(text).toContain(': heartbeat');
  });

  it('filters by event type and vehicle', async () => {
    const both = collectSse(await open('a', {}, '?types=new_alert,device_status&vehicle_id=veh-1'));
    const typed = collectSse(await open('a', {}, '?types=location_update'));
    const vehicle = collectSse(await open('a', {}, '?vehicle_id=veh-2'));
    await Promise.all([both.connected, typed.connected, vehicle.connected]);
    await publishRaw(platform.bus, fleets.a, 'new_alert', { vehicle_id: 'veh-1', n: 1 });
    await publishRaw(platform.bus, fleets.a, 'location_update', { vehicle_id: 'veh-1', n: 2 });
    await publishRaw(platform.bus, fleets.a, 'new_alert', { vehicle_id: 'veh-2', n: 3 });
    await publishRaw(platform.bus, fleets.a, 'device_status', { vehicle_id: 'veh-1', n: 4 });
    await publishRaw(platform.bus, fleets.a, 'location_update', { vehicle_id: 'veh-2', n: 5 });
    expect(await vehicle.waitFor((events) => events.length >= 2, 3000)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all([both.close(), typed.close(), vehicle.close()]);
    expect(both.events.map((e) => JSON.parse(e.data!).n)).toEqual([1, 4]);
    expect(typed.events.map((e) => JSON.parse(e.data!).n)).toEqual([2, 5]);
    expect(vehicle.events.map((e) => JSON.parse(e.data!).n)).toEqual([3, 5]);
  });

  it('applies filters to replayed events too', async () => {
    const first = await publishRaw(platform.bus, fleets.b, 'new_alert', { vehicle_id: 'veh-9', n: 1 });
    await publishRaw(platform.bus, fleets.b, 'location_update', { vehicle_id: 'veh-9', n: 2 });
    await publishRaw(platform.bus, fleets.b, 'new_alert', { vehicle_id: 'veh-9', n: 3 });
    const feed = collectSse(await open('b', { 'last-event-id': first.id }, '?types=new_alert'));
    await feed.connected;
    await publishRaw(platform.bus, fleets.b, 'new_alert', { vehicle_id: 'veh-9', n: 4 });
    expect(await feed.waitFor((events) => events.length >= 2, 3000)).toBe(true);
    await feed.close();
    expect(feed.events.map((e) => JSON.parse(e.data!).n)).toEqual([3, 4]);
  });

  it('rejects malformed filters', async () => {
    for (const query of ['?types=', '?types=new%20alert', '?types=a,,B', '?types=new_alert,no_such_event', `?vehicle_id=${'x'.repeat(65)}`]) {
      const res = await open('a', {}, query);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.code).toBe('validation_failed');
    }
  });

  it('serialises an event once and sends it to every client as the same bytes, one write per tick', async () => {
    const feeds = await Promise.all([open('a'), open('a'), open('admin')]);
    const readers = feeds.map((res) => res.body!.getReader());
    // Skip to ": connected" on each stream.
    const decoder = new TextDecoder();
    for (const reader of readers) {
      let text = '';
      while (!text.includes(': connected')) text += decoder.decode((await reader.read()).value, { stream: true });
    }
    // Two events published in the same task arrive as one chunk per client.
    void publishRaw(platform.bus, fleets.a, 'new_alert', { vehicle_id: 'veh-1', n: 'x' });
    void publishRaw(platform.bus, fleets.a, 'new_alert', { vehicle_id: 'veh-1', n: 'y' });
    const chunks = await Promise.all(readers.map(async (reader) => (await reader.read()).value!));
    await Promise.all(readers.map((reader) => reader.cancel()));
    const texts = chunks.map((chunk) => decoder.decode(chunk));
    for (const text of texts) {
      expect(text).toMatch(/^id: \d+-\d+\nevent: new_alert\ndata: \{"vehicle_id":"veh-1","n":"x","fleet_id":"[^"]+","at":"[^"]+"\}\n\nid: \d+-\d+\nevent: new_alert\ndata: .*"n":"y".*\n\n$/);
    }
    expect(new Set(texts).size).toBe(1);
  });

  it('ends the stream when the caller logs out, or when its API key is revoked', async () => {
    const login = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@a.live', password: 'live-password-1' }) });
    const session = (await login.json()) as { access_token: string; refresh_token: string };
    const feed = collectSse(await app.request('/api/v1/live', { headers: { authorization: `Bearer ${session.access_token}` } }));
    await feed.connected;
    const logout = await app.request('/api/v1/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refresh_token: session.refresh_token }) });
    expect(logout.status).toBe(204);
    expect(await Promise.race([feed.ended.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still open'), 3000))])).toBe('ended');
    expect(feed.events.at(-1)?.event).toBe('session_ended');

    const created = await app.request('/api/v1/api-keys', { method: 'POST', headers: { authorization: `Bearer ${tokens.a}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'dashboard', scopes: ['read:alerts'] }) });
    const apiKey = (await created.json()) as { id: string; key: string };
    const keyFeed = collectSse(await app.request('/api/v1/live', { headers: { authorization: `Bearer ${apiKey.key}` } }));
    await keyFeed.connected;
    expect((await app.request(`/api/v1/api-keys/${apiKey.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.a}` } })).status).toBe(204);
    expect(await Promise.race([keyFeed.ended.then(() => 'ended'), new Promise((r) => setTimeout(() => r('still open'), 3000))])).toBe('ended');
    expect(keyFeed.events.at(-1)?.event).toBe('session_ended');
  });

  it('refuses unauthenticated clients', async () => {
    expect((await app.request('/api/v1/live')).status).toBe(401);
  });
});
