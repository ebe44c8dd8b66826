/**
 * The driver view: an owner whose fleet opted in creates a link for one driver; the link shows that driver's own
 * score and incidents, never another driver's; revoking, expiry and the fleet opting out each stop it (404 + reason).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { assignDriver } from '../domain/driver-assignments.ts';
import { createDriver, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

const PASSWORD = 'driver-share-pass-1';

describe('driver share links', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const call = (method: string, path: string, who: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const share = async (driverId: string, body?: unknown) => {
    const res = await call('POST', `/api/v1/drivers/${driverId}/share-link`, 'owner', body);
    expect(res.status).toBe(201);
    const link = (await res.json()) as { url: string; expires_at: string };
    return { ...link, path: new URL(link.url).pathname };
  };
  const optIn = async (on: boolean) => {
    const res = await call('PATCH', `/api/v1/fleets/${ids.fleet}`, 'owner', { drivers_see_own_score: on });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { drivers_see_own_score: boolean }).drivers_see_own_score).toBe(on);
  };
  const incident = (id: string, vehicleId: string, type: string, at: Date) => ({
    id,
    fleet_id: ids.fleet!,
    vehicle_id: vehicleId,
    driver_id: null,
    trip_id: null,
    frame_id: null,
    type,
    severity: 'HIGH' as const,
    confidence: 0.9,
    description: 'x',
    source: 'vision' as const,
    status: 'open' as const,
    latitude: 40.4,
    longitude: -3.7,
    occurred_at: at,
    last_seen_at: at,
    status_changed_by: null,
    status_changed_at: null,
    status_reason: null,
    status_reason_code: null,
    created_at: at,
  });

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    ids.fleet = (await createFleet(deps, { name: 'Share fleet', timezone: 'Europe/Madrid', locale: 'en' })).id;
    const other = (await createFleet(deps, { name: 'Other fleet' })).id;
    await createUser(deps, { fleetId: ids.fleet, email: 'owner@driver-share.test', password: PASSWORD, role: 'owner' });
    await createUser(deps, {
      fleetId: ids.fleet,
      email: 'viewer@driver-share.test',
      password: PASSWORD,
      role: 'viewer',
    });
    await createUser(deps, { fleetId: other, email: 'stranger@driver-share.test', password: PASSWORD, role: 'owner' });
    const taxiA = (await createVehicle(deps, { fleetId: ids.fleet, plate: '1111AAA' })).id;
    const taxiB = (await createVehicle(deps, { fleetId: ids.fleet, plate: '2222BBB' })).id;
    ids.ana = (await createDriver(deps, { fleetId: ids.fleet, name: 'Ana Sol', licenceExpiresOn: '2030-01-01' })).id;
    ids.luis = (await createDriver(deps, { fleetId: ids.fleet, name: 'Luis Gil', licenceExpiresOn: '2030-01-01' })).id;
    const since = { ...deps, clock: { now: () => Date.parse('2026-05-01T00:00:00Z') } };
    await assignDriver(since, { fleetId: ids.fleet, vehicleId: taxiA, driverId: ids.ana, assignedBy: null });
    await assignDriver(since, { fleetId: ids.fleet, vehicleId: taxiB, driverId: ids.luis, assignedBy: null });
    const now = platform.clock.now();
    await deps.db
      .insertInto('trips')
      .values([
        {
          id: 'trip-ana',
          fleet_id: ids.fleet,
          vehicle_id: taxiA,
          driver_id: null,
          started_at: new Date(now - 3600_000),
          ended_at: new Date(now - 1800_000),
          distance_m: 50_000,
          duration_s: 1800,
        },
        {
          id: 'trip-luis',
          fleet_id: ids.fleet,
          vehicle_id: taxiB,
          driver_id: null,
          started_at: new Date(now - 3600_000),
          ended_at: new Date(now - 1800_000),
          distance_m: 50_000,
          duration_s: 1800,
        },
      ])
      .execute();
    await deps.db
      .insertInto('incidents')
      .values([
        incident('inc-ana', taxiA, 'PHONE_USAGE', new Date(now - 2400_000)),
        incident('inc-luis', taxiB, 'SMOKING', new Date(now - 2400_000)),
      ])
      .execute();
    tokens.owner = await loginForTest(app, platform.clock, 'owner@driver-share.test', PASSWORD);
    tokens.viewer = await loginForTest(app, platform.clock, 'viewer@driver-share.test', PASSWORD);
    tokens.stranger = await loginForTest(app, platform.clock, 'stranger@driver-share.test', PASSWORD);
  });
  afterAll(() => platform.close());

  it('refuses links until the fleet opts in, and to viewers and other fleets', async () => {
    const off = await call('POST', `/api/v1/drivers/${ids.ana}/share-link`, 'owner');
    expect(off.status).toBe(409);
    expect(((await off.json()) as { error: { message: string } }).error.message).toContain('drivers_see_own_score');
    await optIn(true);
    expect((await call('POST', `/api/v1/drivers/${ids.ana}/share-link`, 'viewer')).status).toBe(403);
    expect((await call('POST', `/api/v1/drivers/${ids.ana}/share-link`, 'stranger')).status).toBe(404);
    expect((await call('DELETE', `/api/v1/drivers/${ids.ana}/share-link`, 'stranger')).status).toBe(404);
    const bad = await call('POST', `/api/v1/drivers/${ids.ana}/share-link`, 'owner', { expires_in_days: 365 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('expires_in_days');
  });

  it("shows driver A only A's own score and incidents, never B's", async () => {
    await optIn(true);
    const link = await share(ids.ana!, { expires_in_days: 7 });
    expect(link.expires_at).toBe(new Date(platform.clock.now() + 7 * 86_400_000).toISOString());
    const res = await app.request(link.path);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('Ana Sol');
    // PHONE_USAGE HIGH over 50 km: a penalty under Phone use, and no trace of Luis or his smoking.
    expect(html).toContain('Phone use');
    expect(html).not.toContain('Luis');
    expect(html).not.toContain('Smoking');
    expect(html).not.toMatch(/percentile|leaderboard/i);
    const luis = await app.request((await share(ids.luis!)).path);
    expect(await luis.text()).not.toContain('Ana Sol');
  });

  it('stops working when revoked, when expired and when the fleet opts out', async () => {
    await optIn(true);
    const reason = async (path: string) => {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      return ((await res.json()) as { error: { details: { reason: string } } }).error.details.reason;
    };
    const revoked = await share(ids.ana!);
    const revoke = await call('DELETE', `/api/v1/drivers/${ids.ana}/share-link`, 'owner');
    expect(revoke.status).toBe(200);
    expect(((await revoke.json()) as { revoked: number }).revoked).toBeGreaterThanOrEqual(1);
    expect(await reason(revoked.path)).toBe('revoked');
    expect(await reason('/share/drivers/not-a-token')).toBe('unknown');

    const expiring = await share(ids.luis!, { expires_in_days: 1 });
    expect((await app.request(expiring.path)).status).toBe(200);
    platform.clock.advance(86_400_000 + 1000);
    expect(await reason(expiring.path)).toBe('expired');
    tokens.owner = await loginForTest(app, platform.clock, 'owner@driver-share.test', PASSWORD);

    const live = await share(ids.luis!);
    expect((await app.request(live.path)).status).toBe(200);
    await optIn(false);
    expect(await reason(live.path)).toBe('disabled');
  });

  it('gives a browser a not-found page saying why, in the language it asks for', async () => {
    await optIn(true);
    const link = await share(ids.ana!);
    expect((await call('DELETE', `/api/v1/drivers/${ids.ana}/share-link`, 'owner')).status).toBe(200);
    const open = (path: string, language: string) =>
      app.request(path, { headers: { accept: 'text/html,application/xhtml+xml', 'accept-language': language } });
    const es = await open(link.path, 'es-ES,es;q=0.9,en;q=0.8');
    expect(es.status).toBe(404);
    expect(es.headers.get('content-type')).toMatch(/^text\/html/);
    expect(es.headers.get('cache-control')).toBe('no-store');
    const html = await es.text();
    expect(html).toContain('Enlace no encontrado');
    expect(html).toContain('data-reason="revoked"');
    expect(html).not.toContain('Ana Sol');
    const en = await open('/share/drivers/not-a-token', 'en-GB,es;q=0.5');
    expect(en.status).toBe(404);
    expect(await en.text()).toContain('This link is not valid');
  });
});
