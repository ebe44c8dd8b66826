/**
 * Tenancy across the whole app: every route that names a resource by id answers 404 to another fleet's user —
 * not 403, not data — and fleet viewers cannot write. Routes are enumerated from the app itself, so a new route
 * without an entry here fails this test until its resource is added.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachAvailable } from '../../e2e/support/required-in-ci.ts';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../app.ts';
import { createApiKey, SCOPES } from '../domain/auth/api-keys.ts';
import { createDevice, createDriver, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';
import { saveExchange } from '../domain/assistant/conversations.ts';

const password = 'tenancy-password-123';

const postgresUp = await postgresAvailable();

// On every database the app runs on here; Postgres is skipped, visibly, when it does not answer (and fails in CI).
const databases = [
  { database: 'pglite' as const, available: true },
  { database: 'postgres' as const, available: postgresUp },
];

describeEachAvailable(databases)('tenancy on $database', ({ database }) => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    platform = await createTestPlatform({}, { database });
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetA = await createFleet(deps, { name: 'Fleet A' });
    const fleetB = await createFleet(deps, { name: 'Fleet B' });
    const vehicle = await createVehicle(deps, { fleetId: fleetA.id, plate: 'A-1' });
    ids.vehicles = vehicle.id;
    ids.drivers = (await createDriver(deps, { fleetId: fleetA.id, name: 'Driver A', licenceExpiresOn: '2027-01-01' })).id;
    ids.devices = (await createDevice(deps, { vehicleId: vehicle.id })).id;
    ids['api-keys'] = (await createApiKey(deps, { fleetId: fleetA.id, scopes: ['read:vehicles'] })).id;
    tokens['api-key@b'] = (await createApiKey(deps, { fleetId: fleetB.id, scopes: SCOPES })).key;
    ids.fleets = fleetA.id;
    const now = new Date(platform.clock.now());
    const db = platform.db.kysely;
    ids.trips = 'trip-of-fleet-a';
    await db.insertInto('trips').values({ id: ids.trips, fleet_id: fleetA.id, vehicle_id: vehicle.id, driver_id: null, started_at: now }).execute();
    ids.frames = 'frame-of-fleet-a';
    await db.insertInto('frames').values({ id: ids.frames, fleet_id: fleetA.id, vehicle_id: vehicle.id, device_id: ids.devices, blob_key: 'frames/a/1.jpg', captured_at: now, received_at: now, size_bytes: 10, width: 640, height: 480 }).execute();
    ids.incidents = 'incident-of-fleet-a';
    await db.insertInto('incidents').values({ id: ids.incidents, fleet_id: fleetA.id, vehicle_id: vehicle.id, driver_id: null, trip_id: null, frame_id: ids.frames, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.9, source: 'vision', latitude: null, longitude: null, occurred_at: now, last_seen_at: now, status_changed_by: null, status_changed_at: null, status_reason: null, created_at: now }).execute();
    ids.alerts = 'alert-of-fleet-a';
    await db.insertInto('alerts').values({ id: ids.alerts, fleet_id: fleetA.id, incident_id: ids.incidents, vehicle_id: vehicle.id, severity: 'HIGH', message: 'Phone use', created_at: now, read_at: null, acknowledged_at: null, acknowledged_by: null }).execute();
    ids.webhooks = 'webhook-of-fleet-a';
    await platform.db.kysely
      .insertInto('webhooks')
      .values({ id: ids.webhooks, fleet_id: fleetA.id, url: 'https://a.example/hook', event_types: '["new_alert"]', secret: 'whsec_a', created_at: new Date() })
      .execute();
    ids.reports = 'report-of-fleet-a';
    await db.insertInto('reports').values({ id: ids.reports, fleet_id: fleetA.id, kind: 'daily', format: 'pdf', status: 'ready', from_day: '2026-05-31', to_day: '2026-05-31', vehicle_id: null, driver_id: null, language: 'es', requested_by: null, blob_key: 'reports/a/daily.pdf', size_bytes: 1, pages: 1, error: null, created_at: now, updated_at: now, ready_at: now }).execute();
    ids['evidence-packs'] = 'pack-of-fleet-a';
    await platform.blobs.put('evidence-packs/a/pack.zip', new Uint8Array([0x50, 0x4b]));
    await db.insertInto('evidence_packs').values({ id: ids['evidence-packs'], fleet_id: fleetA.id, incident_id: ids.incidents, blob_key: 'evidence-packs/a/pack.zip', size_bytes: 2, sha256: 'x', frames: 0, created_by: null, created_at: now }).execute();
    ids.users = (await createUser(deps, { fleetId: fleetA.id, email: 'viewer@a.test', password, role: 'viewer' })).id;
    // An assistant conversation is its asker's own: fleet A's viewer started this one.
    const answer = { text: 'a', lang: 'en' as const, data: [], links: [], engine: 'offline' };
    ids.chat = (await saveExchange(deps, { fleetId: fleetA.id, userId: ids.users, apiKeyId: null }, undefined, { text: 'q', lang: 'en' }, answer)).conversationId;
    // A browser fleet A's viewer subscribed to Web Push: only its owner may remove it.
    ids.notifications = 'push-subscription-of-viewer-a';
    await db.insertInto('push_subscriptions').values({ id: ids.notifications, user_id: ids.users, endpoint: 'https://push.example/a', p256dh: 'x', auth: 'y', user_agent: null, created_at: now }).execute();
    await createUser(deps, { fleetId: fleetB.id, email: 'owner@b.test', password, role: 'owner' });
    await createUser(deps, { fleetId: fleetB.id, email: 'viewer@b.test', password, role: 'viewer' });
    for (const email of ['viewer@a.test', 'owner@b.test', 'viewer@b.test']) {
      const res = await app.request('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email, password }), headers: { 'content-type': 'application/json' } });
      tokens[email] = (await res.json()).access_token;
    }
  });
  afterAll(() => platform?.close());

  const routesWithId = () => {
    const seen = new Set<string>();
    return app.routes
      // Platform operations are not tenant resources (admin-only, tested in admin-queue.test.ts). Web pages read
      // through these same API routes as the signed-in user (web/server/page-context.ts), so the API is what is checked.
      .filter((r) => ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].includes(r.method) && r.path.startsWith('/api/v1/') && r.path.includes(':id') && !r.path.startsWith('/api/v1/admin/'))
      .filter((r) => {
        const key = `${r.method} ${r.path}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
  };

  const request = (method: string, path: string, token: string) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify({}),
    });

  const concrete = (path: string) => {
    const resource = path.split('/')[3];
    const id = ids[resource];
    if (!id) throw new Error(`tenancy test has no resource of fleet A for ${path}: add one`);
    return path.replace(':id', id).replace(':deliveryId', 'no-such-delivery');
  };

  it('covers every route that names a resource', () => {
    expect(routesWithId().length).toBeGreaterThanOrEqual(25);
    for (const route of routesWithId()) expect(() => concrete(route.path)).not.toThrow();
  });

  it.each(['owner@b.test', 'viewer@b.test', 'api-key@b'])("answers 404 to %s for every resource of fleet A", async (email) => {
    for (const route of routesWithId()) {
      const res = await request(route.method, concrete(route.path), tokens[email]);
      expect(res.status, `${route.method} ${route.path}`).toBe(404);
      const body = await res.json();
      expect(body.error.code).toBe('not_found');
      expect(JSON.stringify(body)).not.toContain('Fleet A');
    }
  });

  it("refuses to attach fleet B's device to fleet A's vehicle", async () => {
    const res = await app.request('/api/v1/devices', {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens['owner@b.test']}`, 'content-type': 'application/json' },
      body: JSON.stringify({ vehicle_id: ids.vehicles }),
    });
    expect(res.status).toBe(404);
  });

  it("hides fleet A's rows from fleet B's lists", async () => {
    for (const resource of ['vehicles', 'drivers', 'devices', 'api-keys', 'webhooks', 'trips', 'frames', 'incidents', 'alerts', 'reports']) {
      const res = await request('GET', `/api/v1/${resource}`, tokens['owner@b.test']);
      expect(res.status).toBe(200);
      const rows: { fleet_id: string }[] = (await res.json()).data;
      expect(rows.filter((row) => row.fleet_id === ids.fleets), resource).toEqual([]);
    }
    const fleets = await (await request('GET', '/api/v1/fleets', tokens['owner@b.test'])).json();
    expect(fleets.data.map((f: { name: string }) => f.name)).toEqual(['Fleet B']);
    const users = await (await request('GET', '/api/v1/users', tokens['owner@b.test'])).json();
    expect(users.data.map((u: { email: string }) => u.email).sort()).toEqual(['owner@b.test', 'viewer@b.test']);
  });

  it('lets viewers read their fleet but never write', async () => {
    const viewer = tokens['viewer@a.test'];
    for (const route of routesWithId()) {
      const res = await request(route.method, concrete(route.path), viewer);
      // Marking an alert read is bookkeeping, not a change to the fleet: viewers may.
      const reads = route.method === 'GET' || route.path.endsWith('/read');
      // A report's file route answers with a redirect to a signed link; deleting one's own assistant conversation or
      // push subscription is personal bookkeeping, like reading an alert.
      const own = route.method === 'DELETE' && (route.path.startsWith('/api/v1/chat/') || route.path.startsWith('/api/v1/notifications/push-subscriptions/'));
      expect(res.status, `${route.method} ${route.path}`).toBe(own ? 204 : reads ? (route.path === '/api/v1/reports/:id/file' ? 302 : 200) : 403);
    }
    for (const resource of ['vehicles', 'drivers', 'devices']) {
      expect((await request('POST', `/api/v1/${resource}`, viewer)).status).toBe(403);
    }
  });
});
