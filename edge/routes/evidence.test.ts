/** Fixes, frames, incidents and alerts through the API: ranges, download links, reviews with who and when. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

describe('telemetry and incident routes', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let owner: string;
  let fleetId: string;
  let vehicleId: string;
  let ownerId: string;
  const call = (method: string, path: string, body?: unknown) =>
    app.request(path, { method, headers: { authorization: `Bearer ${owner}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const t = (minute: number) => new Date(Date.UTC(2026, 5, 1, 8, minute));

  beforeAll(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Evidence' })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'EV1' })).id;
    ownerId = (await createUser(deps, { fleetId, email: 'owner@ev.test', password: 'evidence-pass-1', role: 'owner' })).id;
    owner = await loginForTest(app, platform.clock, 'owner@ev.test', 'evidence-pass-1');
    const db = platform.db.kysely;
    for (let m = 0; m < 5; m++) {
      await db.insertInto('gps_fixes').values({ fleet_id: fleetId, vehicle_id: vehicleId, device_id: null, device_time: t(m), received_at: t(m), latitude: 40.4 + m / 1000, longitude: -3.7, speed_kmh: 30 + m, heading: 90, accuracy_m: 5, altitude_m: null }).execute();
    }
    await platform.blobs.put('frames/ev1/1.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), { contentType: 'image/jpeg' });
    await db.insertInto('frames').values({ id: 'frame-1', fleet_id: fleetId, vehicle_id: vehicleId, device_id: null, blob_key: 'frames/ev1/1.jpg', captured_at: t(1), received_at: t(1), size_bytes: 4, width: 640, height: 480 }).execute();
    // One frame opens at most one vision incident: the second has none.
    for (const [id, severity, type, frameId] of [['inc-1', 'HIGH', 'PHONE_USAGE', 'frame-1'], ['inc-2', 'LOW', 'YAWNING', null]] as const) {
      await db.insertInto('incidents').values({ id, fleet_id: fleetId, vehicle_id: vehicleId, driver_id: null, trip_id: null, frame_id: frameId, type, severity, confidence: 0.8, source: 'vision', latitude: 40.4, longitude: -3.7, occurred_at: t(2), last_seen_at: t(2), status_changed_by: null, status_changed_at: null, status_reason: null, created_at: t(2) }).execute();
    }
    await db.insertInto('alerts').values({ id: 'alert-1', fleet_id: fleetId, incident_id: 'inc-1', vehicle_id: vehicleId, severity: 'HIGH', message: 'Phone use', created_at: t(2), read_at: null, acknowledged_at: null, acknowledged_by: null }).execute();
  });
  afterAll(() => platform.close());

  it('pages through a vehicle’s fixes in a time range', async () => {
    const first = await (await call('GET', `/api/v1/vehicles/${vehicleId}/fixes?from=${t(1).toISOString()}&to=${t(4).toISOString()}&limit=2`)).json();
    expect(first.data.map((f: { speed_kmh: number }) => f.speed_kmh)).toEqual([31, 32]);
    const rest = await (await call('GET', `/api/v1/vehicles/${vehicleId}/fixes?from=${t(1).toISOString()}&to=${t(4).toISOString()}&limit=2&cursor=${first.next_cursor}`)).json();
    expect(rest.data.map((f: { speed_kmh: number }) => f.speed_kmh)).toEqual([33, 34]);
    expect((await call('GET', `/api/v1/vehicles/${vehicleId}/fixes?from=${t(4).toISOString()}&to=${t(1).toISOString()}`)).status).toBe(400);
    expect((await call('GET', `/api/v1/vehicles/${vehicleId}/fixes?from=yesterday`)).status).toBe(400);
  });

  it('gives frames a short-lived download URL that serves the bytes', async () => {
    const frame = await (await call('GET', '/api/v1/frames/frame-1')).json();
    expect(frame.blob_key).toBeUndefined();
    const url = new URL(frame.download_url);
    const download = await app.request(url.pathname + url.search);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]));
  });

  it('filters incidents and records who reviewed them and when, announcing the change live', async () => {
    const high = await (await call('GET', '/api/v1/incidents?severity=HIGH&status=open')).json();
    expect(high.data.map((i: { id: string }) => i.id)).toEqual(['inc-1']);
    expect((await call('PATCH', '/api/v1/incidents/inc-2', { status: 'false_positive' })).status).toBe(400);
    const seen: string[] = [];
    await platform.bus.subscribe(fleetId, (e) => seen.push(e.type));
    await platform.db.kysely
      .insertInto('webhooks')
      .values({ id: 'hook-1', fleet_id: fleetId, url: 'https://integrator.example/hook', event_types: '["incident_updated"]', secret: 'whsec_1', created_at: new Date() })
      .execute();
    const reviewed = await (await call('PATCH', '/api/v1/incidents/inc-2', { status: 'false_positive', reason: 'driver was drinking water' })).json();
    expect(reviewed).toMatchObject({ status: 'false_positive', status_reason: 'driver was drinking water', status_changed_by: ownerId, status_changed_at: new Date(platform.clock.now()).toISOString() });
    expect(seen).toEqual(['incident_updated']);
    const deliveries = await platform.db.kysely.selectFrom('webhook_deliveries').select(['event_type', 'webhook_id']).execute();
    expect(deliveries).toEqual([{ event_type: 'incident_updated', webhook_id: 'hook-1' }]);
    expect((await call('PATCH', '/api/v1/incidents/inc-2', { status: 'acknowledged' })).status).toBe(409);
  });

  it('marks alerts read and acknowledged', async () => {
    expect((await (await call('GET', '/api/v1/alerts?unread=true')).json()).data).toHaveLength(1);
    const acknowledged = await (await call('POST', '/api/v1/alerts/alert-1/acknowledge')).json();
    expect(acknowledged).toMatchObject({ acknowledged_by: ownerId, read_at: expect.any(String), acknowledged_at: expect.any(String) });
    expect((await (await call('GET', '/api/v1/alerts?unread=true')).json()).data).toHaveLength(0);
  });
});
