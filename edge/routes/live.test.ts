/** The live SSE feed: tenant-scoped, resumable with Last-Event-ID, heartbeats, and ends on disconnect. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { collectSse } from '../../e2e/support/sse-client.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';

describe('GET /api/v1/live', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const tokens: Record<string, string> = {};
  const fleets: Record<string, string> = {};
  const open = (who: string, headers: Record<string, string> = {}) => app.request('/api/v1/live', { headers: { authorization: `Bearer ${tokens[who]}`, ...headers } });

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
    await platform.bus.publish(fleets.b, 'new_alert', { n: 'b' });
    await platform.bus.publish(fleets.a, 'new_alert', { n: 'a' });
    expect(await admin.waitFor((events) => events.length >= 2, 3000)).toBe(true);
    expect(await owner.waitFor((events) => events.length >= 1, 3000)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all([owner.close(), admin.close()]);
    expect(owner.events.map((e) => JSON.parse(e.data!).n)).toEqual(['a']);
    expect(owner.events[0].event).toBe('new_alert');
    expect(admin.events.map((e) => JSON.parse(e.data!).n)).toEqual(['b', 'a']);
  });

  it('replays what a reconnecting client missed, then continues live, without duplicates', async () => {
    const first = await platform.bus.publish(fleets.a, 'location_update', { seq: 1 });
    await platform.bus.publish(fleets.a, 'location_update', { seq: 2 });
    await platform.bus.publish(fleets.a, 'location_update', { seq: 3 });
    const feed = collectSse(await open('a', { 'last-event-id': first.id }));
    await feed.connected;
    await platform.bus.publish(fleets.a, 'location_update', { seq: 4 });
    expect(await feed.waitFor((events) => events.length >= 3, 3000)).toBe(true);
    await feed.close();
    expect(feed.events.map((e) => JSON.parse(e.data!).seq)).toEqual([2, 3, 4]);
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

  it('refuses unauthenticated clients', async () => {
    expect((await app.request('/api/v1/live')).status).toBe(401);
  });
});
