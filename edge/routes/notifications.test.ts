/**
 * The notification routes: push subscriptions and preferences belong to a signed-in person (API keys refused),
 * input is validated field by field, a person sees only their own browsers, a test push is really delivered to a
 * loopback push service, and a fleet's escalation list holds only its own people.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPushService, type PushService } from '../../e2e/support/push-service.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { createApiKey, SCOPES } from '../domain/auth/api-keys.ts';
import { DEFAULT_PREFERENCES } from '../domain/notifications/preferences.ts';
import { createFleet, createUser } from '../domain/provisioning.ts';

const password = 'notifications-password-1';

describe('notification routes', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let service: PushService;
  let fleetId: string;
  const tokens: Record<string, string> = {};
  const users: Record<string, string> = {};

  beforeAll(async () => {
    platform = await createTestPlatform({ PUSH_ALLOW_LOOPBACK_ENDPOINTS: 'true' });
    service = await startPushService({ nowS: () => Math.floor(platform.clock.now() / 1000) });
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Fleet N' })).id;
    const otherFleet = (await createFleet(deps, { name: 'Fleet O' })).id;
    for (const [email, role, fleet] of [
      ['owner@n.test', 'owner', fleetId],
      ['viewer@n.test', 'viewer', fleetId],
      ['owner@o.test', 'owner', otherFleet],
    ] as const) {
      users[email] = (await createUser(deps, { fleetId: fleet, email, password, role })).id;
      const res = await app.request('/api/v1/auth/login', {
        method: 'POST',
        body: JSON.stringify({ email, password }),
        headers: { 'content-type': 'application/json' },
      });
      tokens[email] = (await res.json()).access_token;
    }
    tokens.key = (await createApiKey(deps, { fleetId, scopes: SCOPES })).key;
  });
  afterAll(async () => {
    await service?.close();
    await platform?.close();
  });

  const call = (method: string, path: string, who: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('hands out the VAPID public key browsers subscribe with', async () => {
    const res = await call('GET', '/api/v1/notifications/push-key', 'owner@n.test');
    expect(res.status).toBe(200);
    const { public_key } = await res.json();
    expect(public_key).toMatch(/^B[A-Za-z0-9_-]{86}$/);
    expect(public_key).toBe(await platform.push!.publicKey());
  });

  it('subscribes a browser once: the same endpoint again is 200 with the same id, bound to whoever sent it', async () => {
    const browser = service.subscribe();
    const first = await call('POST', '/api/v1/notifications/push-subscriptions', 'owner@n.test', {
      ...browser,
      user_agent: 'Phone',
    });
    expect(first.status).toBe(201);
    const created = await first.json();
    expect(created).toMatchObject({ endpoint: browser.endpoint });
    const again = await call('POST', '/api/v1/notifications/push-subscriptions', 'viewer@n.test', browser);
    expect(again.status).toBe(200);
    expect((await again.json()).id).toBe(created.id);
    expect(
      (await (await call('GET', '/api/v1/notifications/push-subscriptions', 'owner@n.test')).json()).items,
    ).toEqual([]);
    const mine = (await (await call('GET', '/api/v1/notifications/push-subscriptions', 'viewer@n.test')).json()).items;
    expect(mine).toEqual([
      {
        id: created.id,
        endpoint: browser.endpoint,
        user_agent: null,
        created_at: created.created_at,
        last_used_at: null,
      },
    ]);
    // Another person cannot remove it; its owner can.
    expect(
      (await call('DELETE', `/api/v1/notifications/push-subscriptions/${created.id}`, 'owner@n.test')).status,
    ).toBe(404);
    expect(
      (await call('DELETE', `/api/v1/notifications/push-subscriptions/${created.id}`, 'viewer@n.test')).status,
    ).toBe(204);
    expect(
      (await call('DELETE', `/api/v1/notifications/push-subscriptions/${created.id}`, 'viewer@n.test')).status,
    ).toBe(404);
  });

  it.each([
    ['keys.p256dh', (b: any) => (b.keys.p256dh = b.keys.p256dh.slice(0, 40))],
    ['keys.p256dh', (b: any) => (b.keys.p256dh = 'A' + b.keys.p256dh.slice(1))],
    ['keys.auth', (b: any) => (b.keys.auth = 'not base64url!')],
    ['keys.auth', (b: any) => delete b.keys.auth],
    ['endpoint', (b: any) => (b.endpoint = 'not a url')],
  ])('refuses a subscription with a bad %s', async (field, mutate) => {
    const body: any = structuredClone(service.subscribe());
    mutate(body);
    const res = await call('POST', '/api/v1/notifications/push-subscriptions', 'owner@n.test', body);
    expect(res.status).toBe(400);
    const error = (await res.json()).error;
    expect(error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it('refuses loopback, private and plain-http endpoints unless PUSH_ALLOW_LOOPBACK_ENDPOINTS is set', async () => {
    const strict = await createTestPlatform();
    try {
      const strictApp = createApp(strict);
      const deps = { db: strict.db.kysely, clock: strict.clock, ids: strict.ids };
      const fleet = (await createFleet(deps, { name: 'Strict' })).id;
      await createUser(deps, { fleetId: fleet, email: 'o@strict.test', password, role: 'owner' });
      const token = (
        await (
          await strictApp.request('/api/v1/auth/login', {
            method: 'POST',
            body: JSON.stringify({ email: 'o@strict.test', password }),
            headers: { 'content-type': 'application/json' },
          })
        ).json()
      ).access_token;
      const keys = service.subscribe().keys;
      const post = (endpoint: string) =>
        strictApp.request('/api/v1/notifications/push-subscriptions', {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ endpoint, keys }),
        });
      for (const endpoint of [
        'https://127.0.0.1/push/x',
        'https://10.0.0.8/push/x',
        'https://[::1]/push/x',
        'https://localhost/push',
        'http://push.example.com/x',
      ]) {
        const res = await post(endpoint);
        expect(res.status, endpoint).toBe(400);
        expect((await res.json()).error.details[0].path).toBe('endpoint');
      }
      expect((await post('https://fcm.googleapis.com/fcm/send/abc')).status).toBe(201);
    } finally {
      await strict.close();
    }
  });

  it('refuses API keys for subscriptions, preferences and test pushes: they have no person', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/notifications/push-subscriptions'],
      ['POST', '/api/v1/notifications/push-subscriptions'],
      ['GET', '/api/v1/notifications/preferences'],
      ['PUT', '/api/v1/notifications/preferences'],
      ['POST', '/api/v1/notifications/test'],
    ]) {
      const res = await call(
        method,
        path,
        'key',
        method === 'GET' ? undefined : method === 'PUT' ? DEFAULT_PREFERENCES : service.subscribe(),
      );
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await res.json()).error.message).toMatch(/person/);
    }
  });

  it('answers the defaults until a person saves preferences, then exactly what they saved', async () => {
    expect(await (await call('GET', '/api/v1/notifications/preferences', 'owner@n.test')).json()).toEqual(
      DEFAULT_PREFERENCES,
    );
    const mine = structuredClone(DEFAULT_PREFERENCES);
    mine.channels.push.severities = ['CRITICAL', 'HIGH', 'MEDIUM'];
    mine.channels.push.types = ['HARSH_BRAKING', 'ACCIDENT'];
    mine.channels.email.digest = true;
    mine.quiet_hours = { enabled: true, start: '23:00', end: '06:30', allow_critical: false };
    expect((await call('PUT', '/api/v1/notifications/preferences', 'owner@n.test', mine)).status).toBe(200);
    expect(await (await call('GET', '/api/v1/notifications/preferences', 'owner@n.test')).json()).toEqual(mine);
    // Someone else's are still the defaults.
    expect(await (await call('GET', '/api/v1/notifications/preferences', 'viewer@n.test')).json()).toEqual(
      DEFAULT_PREFERENCES,
    );
    const bad = structuredClone(mine) as any;
    bad.channels.push.types = ['FLYING'];
    const res = await call('PUT', '/api/v1/notifications/preferences', 'owner@n.test', bad);
    expect(res.status).toBe(400);
    expect((await res.json()).error.details[0].path).toBe('channels.push.types.0');
    const partial = await call('PUT', '/api/v1/notifications/preferences', 'owner@n.test', { channels: mine.channels });
    expect(partial.status).toBe(400);
  });

  it('sends a test push that the push service decrypts, and drops a subscription the service says is gone', async () => {
    const live = service.subscribe();
    const dead = service.subscribe();
    for (const b of [live, dead])
      expect((await call('POST', '/api/v1/notifications/push-subscriptions', 'owner@o.test', b)).status).toBe(201);
    service.answerWith(dead.endpoint, 410);
    const res = await call('POST', '/api/v1/notifications/test', 'owner@o.test');
    expect(await res.json()).toEqual({ sent: 1, failed: 1 });
    const got = service.received.find((r) => r.endpoint === live.endpoint)!;
    expect(JSON.parse(got.payload)).toMatchObject({ title: 'TaxiWatch', tag: 'test' });
    const left = (await (await call('GET', '/api/v1/notifications/push-subscriptions', 'owner@o.test')).json()).items;
    expect(left.map((s: { endpoint: string }) => s.endpoint)).toEqual([live.endpoint]);
  });

  it('keeps a fleet’s escalation settings, refusing people of other fleets', async () => {
    const before = await (await call('GET', `/api/v1/fleets/${fleetId}`, 'owner@n.test')).json();
    expect(before.notifications).toEqual({ escalate_after_minutes: null, escalation_list: [] });
    const settings = { escalate_after_minutes: 5, escalation_list: [users['viewer@n.test'], users['owner@n.test']] };
    const ok = await call('PATCH', `/api/v1/fleets/${fleetId}`, 'owner@n.test', { notifications: settings });
    expect(ok.status).toBe(200);
    expect((await ok.json()).notifications).toEqual(settings);
    const stranger = await call('PATCH', `/api/v1/fleets/${fleetId}`, 'owner@n.test', {
      notifications: { escalate_after_minutes: 5, escalation_list: [users['owner@n.test'], users['owner@o.test']] },
    });
    expect(stranger.status).toBe(400);
    expect((await stranger.json()).error.details[0].path).toBe('notifications.escalation_list.1');
    for (const minutes of [0, 1441, 2.5]) {
      const res = await call('PATCH', `/api/v1/fleets/${fleetId}`, 'owner@n.test', {
        notifications: { escalate_after_minutes: minutes, escalation_list: [] },
      });
      expect(res.status, String(minutes)).toBe(400);
    }
    expect(
      (await call('PATCH', `/api/v1/fleets/${fleetId}`, 'viewer@n.test', { notifications: settings })).status,
    ).toBe(403);
    expect((await (await call('GET', `/api/v1/fleets/${fleetId}`, 'owner@n.test')).json()).notifications).toEqual(
      settings,
    );
  });

  it('shows every delivery to platform admins only', async () => {
    expect((await call('GET', '/api/v1/admin/notifications/deliveries', 'owner@n.test')).status).toBe(403);
    expect((await call('GET', '/api/v1/admin/notifications/deliveries?status=lost', 'owner@n.test')).status).toBe(403);
  });
});
