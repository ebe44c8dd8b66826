/** The live SSE feed: tenant-scoped, resumable with Last-Event-ID, heartbeats, and ends on disconnect. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';

/** Reads SSE frames from a response until `count` events arrived (or fails after a timeout). */
async function readEvents(res: Response, count: number, timeoutMs = 3000) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const events: { id?: string; event?: string; data?: string }[] = [];
  const deadline = Date.now() + timeoutMs;
  while (events.length < count && Date.now() < deadline) {
    const chunk = await Promise.race([reader.read(), new Promise<{ done: true; value: undefined }>((r) => setTimeout(() => r({ done: true, value: undefined }), deadline - Date.now()))]);
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
    const frames = text.split('\n\n');
    text = frames.pop()!;
    for (const frame of frames) {
      const fields = Object.fromEntries(frame.split('\n').filter((l) => l && !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
      if (Object.keys(fields).length) events.push(fields);
    }
  }
  await reader.cancel();
  return events;
}

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
    const owner = await open('a');
    const admin = await open('admin');
    expect(owner.headers.get('content-type')).toContain('text/event-stream');
    setTimeout(async () => {
      await platform.bus.publish(fleets.b, 'new_alert', { n: 'b' });
      await platform.bus.publish(fleets.a, 'new_alert', { n: 'a' });
    }, 50);
    const [ownerEvents, adminEvents] = await Promise.all([readEvents(owner, 1), readEvents(admin, 2)]);
    expect(ownerEvents.map((e) => JSON.parse(e.data!).n)).toEqual(['a']);
    expect(ownerEvents[0].event).toBe('new_alert');
    expect(adminEvents.map((e) => JSON.parse(e.data!).n)).toEqual(['b', 'a']);
  });

  it('replays what a reconnecting client missed, then continues live, without duplicates', async () => {
    const first = await platform.bus.publish(fleets.a, 'location_update', { seq: 1 });
    await platform.bus.publish(fleets.a, 'location_update', { seq: 2 });
    await platform.bus.publish(fleets.a, 'location_update', { seq: 3 });
    const res = await open('a', { 'last-event-id': first.id });
    setTimeout(() => void platform.bus.publish(fleets.a, 'location_update', { seq: 4 }), 50);
    const events = await readEvents(res, 3);
    expect(events.map((e) => JSON.parse(e.data!).seq)).toEqual([2, 3, 4]);
  });

  it('refuses unauthenticated clients', async () => {
    expect((await app.request('/api/v1/live')).status).toBe(401);
  });
});
