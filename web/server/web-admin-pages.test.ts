/**
 * Trip replay, devices and the admin console through app.request(): who may open which page (owners 200 on their
 * trips and 403 on /admin, admins 200), and that each page carries the data its islands need.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createMemoryAssets } from '../../edge/adapters/assets/memory-assets.ts';
import { createApp } from '../../edge/app.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { drive } from '../../edge/domain/telemetry/telemetry-test-drive.ts';

const MANIFEST = { files: { 'main.js': '/assets/main-TEST1234.js', 'app.css': '/assets/app-TEST1234.css' } };
const PASSWORD = 'web-admin-pass-123';

/** The JSON props the server rendered for an island. */
function islandProps(html: string, name: string): any {
  const match = html.match(new RegExp(`data-island="${name}" data-props="([^"]*)"`));
  if (!match) throw new Error(`no ${name} island in the page`);
  return JSON.parse(match[1].replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

const backends = [{ database: 'pglite' as const, up: true }, { database: 'postgres' as const, up: await postgresAvailable() }];

describe.each(backends)('trip replay, devices and admin pages on $database', ({ database, up }) => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let owner: string;
  let viewer: string;
  let admin: string;
  let tripId: string;
  let otherTripId: string;
  let fixCount: number;

  const get = (path: string, cookie: string) => app.request(path, { headers: { cookie, 'accept-language': 'en' } });
  const cookieFor = async (email: string) => `tw_access=${await loginForTest(app, platform.clock, email, PASSWORD)}`;

  beforeAll(async () => {
    if (!up) return;
    platform = await createTestPlatform({}, { database });
    app = createApp(platform, { webAssets: createMemoryAssets({ 'manifest.json': JSON.stringify(MANIFEST) }) });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleet = await createFleet(deps, { name: 'Taxis Sol', timezone: 'Europe/Madrid', locale: 'es' });
    const other = await createFleet(deps, { name: 'Other Fleet' });
    await createUser(deps, { fleetId: fleet.id, email: 'owner@replay.test', password: PASSWORD, role: 'owner' });
    await createUser(deps, { fleetId: fleet.id, email: 'viewer@replay.test', password: PASSWORD, role: 'viewer' });
    await createUser(deps, { fleetId: other.id, email: 'other@replay.test', password: PASSWORD, role: 'owner' });
    await createUser(deps, { fleetId: null, email: 'admin@replay.test', password: PASSWORD, role: 'admin' });
    const mine = await createVehicle(deps, { fleetId: fleet.id, plate: '1234ABC' });
    const theirs = await createVehicle(deps, { fleetId: other.id, plate: '9999ZZZ' });
    const send = async (vehicleId: string, startAt: number) => {
      const key = (await createDevice(deps, { vehicleId, name: `Cam ${vehicleId.slice(-4)}` })).key;
      // A hard start (0 → 60 km/h in 3 s: a telemetry incident), then a minute at 60 km/h and a stop.
      const fixes = drive([{ kmh: 60, seconds: 3 }, { kmh: 60, seconds: 60 }, { kmh: 0, seconds: 20 }], { startAt, lat: 40.4 });
      const res = await app.request('/api/v1/tracking/location', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-device-key': key },
        body: JSON.stringify({ fixes: fixes.map((f) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh, heading: 0, timestamp: new Date(f.at).toISOString() })) }),
      });
      expect(res.status).toBe(202);
      return fixes.length;
    };
    fixCount = await send(mine.id, Date.parse('2026-06-01T07:30:00Z'));
    await send(theirs.id, Date.parse('2026-06-01T07:30:00Z'));
    const trip = (id: string) => platform.db.kysely.selectFrom('trips').select('id').where('vehicle_id', '=', id).executeTakeFirstOrThrow();
    tripId = (await trip(mine.id)).id;
    otherTripId = (await trip(theirs.id)).id;
    [owner, viewer, admin] = await Promise.all([cookieFor('owner@replay.test'), cookieFor('viewer@replay.test'), cookieFor('admin@replay.test')]);
  }, 60_000);
  afterAll(() => platform?.close());

  it.skipIf(!up)('links every trip of the list to its replay', async () => {
    const html = await (await get('/trips', owner)).text();
    expect(html).toContain(`href="/trips/${tripId}"`);
    expect(html).not.toContain(otherTripId);
  });

  it.skipIf(!up)('replays an owner’s trip: every fix in order, and the trip’s incident marked', async () => {
    const res = await get(`/trips/${tripId}`, owner);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Trip replay · 1234ABC');
    const props = islandProps(html, 'trip-replay');
    const trip = await platform.db.kysely.selectFrom('trips').select(['started_at', 'ended_at']).where('id', '=', tripId).executeTakeFirstOrThrow();
    const stored = await platform.db.kysely
      .selectFrom('gps_fixes')
      .select('device_time')
      .where('device_time', '>=', trip.started_at)
      .$if(trip.ended_at !== null, (q) => q.where('device_time', '<=', trip.ended_at!))
      .innerJoin('vehicles', 'vehicles.id', 'gps_fixes.vehicle_id')
      .where('vehicles.plate', '=', '1234ABC')
      .execute();
    expect(stored.length).toBeGreaterThan(10);
    expect(stored.length).toBeLessThanOrEqual(fixCount);
    expect(props.points).toHaveLength(stored.length);
    expect(props.points[0][0]).toBe((stored.map((f) => f.device_time.getTime()).sort((a, b) => a - b)[0] - trip.started_at.getTime()) / 1000);
    expect(props.points.every((p: number[], i: number) => i === 0 || p[0] > props.points[i - 1][0])).toBe(true);
    expect(props.incidents.length).toBeGreaterThan(0);
    expect(props.incidents[0]).toMatchObject({ type: expect.stringMatching(/HARSH/), severity: expect.any(String) });
    // The replay's controls are there before any script runs: the slider and the chart's place.
    expect(html).toContain('id="replay-slider"');
    expect(html).toContain(`max="${stored.length - 1}"`);
    expect(html).toContain('data-testid="speed-chart"');
  });

  it.skipIf(!up)('answers another fleet’s trip and a made-up id with 404', async () => {
    expect((await get(`/trips/${otherTripId}`, owner)).status).toBe(404);
    expect((await get('/trips/nope', owner)).status).toBe(404);
  });

  it.skipIf(!up)('lets owners provision and manage device keys, and viewers only read', async () => {
    const html = await (await get('/devices', owner)).text();
    const provision = islandProps(html, 'device-provision');
    expect(provision.vehicles).toEqual([{ id: expect.any(String), plate: '1234ABC' }]);
    expect(provision.serverUrl).toBe('http://localhost');
    expect(html).toContain('data-island="device-actions"');
    // Each device shows which way its camera looks, and owners can change it.
    expect(islandProps(html, 'camera-role-select')).toMatchObject({ role: 'cabin' });
    expect(html).not.toContain('9999ZZZ');
    const readOnly = await (await get('/devices', viewer)).text();
    expect(readOnly).toContain('1234ABC');
    expect(readOnly).toContain('data-camera-role="cabin"');
    expect(readOnly).toContain('Cabin (faces the driver)');
    expect(readOnly).not.toContain('data-island="camera-role-select"');
    expect(readOnly).not.toContain('data-island="device-provision"');
    expect(readOnly).not.toContain('data-island="device-actions"');
  });

  it.skipIf(!up)('keeps owners out of the admin console with a 403 page', async () => {
    for (const path of ['/admin', '/admin/live', '/admin/fleets', '/admin/devices']) {
      const res = await get(path, owner);
      expect(res.status, path).toBe(403);
      const html = await res.text();
      expect(html, path).toContain('Only platform admins can open the admin console.');
      expect(html, path).not.toContain('href="/admin/live"');
    }
  });

  it.skipIf(!up)('shows admins the system health with components, queue, viewers, latency and event-loop load', async () => {
    const res = await get('/admin', admin);
    expect(res.status).toBe(200);
    const html = await res.text();
    const props = islandProps(html, 'admin-health');
    expect(Object.keys(props.system.components).sort()).toEqual(['blobs', 'bus', 'cache', 'db', 'queue']);
    expect(props.system.ingest.fixes).toBeGreaterThan(0);
    expect(props.deadLetters).toEqual([]);
    expect(html).toContain('data-component="db"');
    expect(html).toContain('p95');
    // Node measures its event loop: the card shows this process's share.
    expect(props.system.event_loop).toMatchObject({ window_seconds: 10 });
    expect(html).toContain('data-testid="event-loop"');
    expect(html).toContain('href="/admin/live"');
  });

  it.skipIf(!up)('shows admins every fleet with its users, and the devices across fleets', async () => {
    const fleets = await (await get('/admin/fleets', admin)).text();
    expect(fleets).toContain('Taxis Sol');
    expect(fleets).toContain('Other Fleet');
    expect(fleets).toContain('owner@replay.test');
    expect(fleets).not.toContain('admin@replay.test');
    expect(islandProps(fleets, 'admin-fleet-forms').fleets.map((f: { name: string }) => f.name).sort()).toEqual(['Other Fleet', 'Taxis Sol']);
    const devices = await (await get('/admin/devices', admin)).text();
    expect(devices).toContain('1234ABC');
    expect(devices).toContain('9999ZZZ');
    expect(devices).toContain('Other Fleet');
    const live = await get('/admin/live', admin);
    expect(live.status).toBe(200);
    const liveProps = islandProps(await live.text(), 'admin-live-feed');
    expect(liveProps.fleets).toHaveLength(2);
    expect(Object.values(liveProps.plates).sort()).toEqual(['1234ABC', '9999ZZZ']);
  });
});
