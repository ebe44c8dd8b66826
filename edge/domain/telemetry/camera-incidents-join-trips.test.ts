/**
 * A camera incident analysed before the fixes that opened its trip arrived (units upload a frame at once and send
 * fixes in batches) joins that trip when the trip is saved: the trips list counts what the replay shows.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { createApp } from '../../app.ts';
import { recordIncident } from '../incidents/record-incident.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../provisioning.ts';
import { drive } from './telemetry-test-drive.ts';

const START = Date.parse('2026-06-01T07:00:00Z');
const DRIVE = drive([{ kmh: 30, seconds: 20 }, { kmh: 30, seconds: 100 }], { startAt: START });

describe('camera incidents and the trips they happened in', () => {
  let platform: TestPlatform;
  beforeEach(async () => {
    platform = await createTestPlatform();
  });
  afterEach(() => platform.close());

  it('links an incident recorded before its trip existed, and the trips list counts it', async () => {
    const app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Join' })).id;
    await createUser(deps, { fleetId, email: 'owner@join.test', password: 'join-owner-pass-1', role: 'owner' });
    const vehicleId = (await createVehicle(deps, { fleetId, plate: 'JN-1' })).id;
    const { key } = await createDevice(deps, { vehicleId });
    // The frame from 07:01:00 was analysed while the unit still held the fixes of that minute.
    const db = platform.db.kysely;
    await db.transaction().execute((tx) =>
      recordIncident(tx, { fleetId, vehicleId, type: 'PHONE_USAGE', severity: 'HIGH', confidence: 0.9, description: 'phone', source: 'vision', occurredAt: new Date(START + 60_000), tripId: null }, { mergeWindowMs: 0, now: new Date(platform.clock.now()), newId: () => platform.ids.next() }),
    );
    for (let i = 0; i < DRIVE.length; i += 10) {
      const fixes = DRIVE.slice(i, i + 10).map((f) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh, timestamp: new Date(f.at).toISOString() }));
      expect((await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes }) })).status).toBe(202);
    }
    const trip = await db.selectFrom('trips').select(['id', 'incident_count']).where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow();
    expect(trip.incident_count).toBe(1);
    expect((await db.selectFrom('incidents').select('trip_id').where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow()).trip_id).toBe(trip.id);

    const login = await app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@join.test', password: 'join-owner-pass-1' }) });
    const { access_token } = (await login.json()) as { access_token: string };
    const list = await (await app.request('/api/v1/trips', { headers: { authorization: `Bearer ${access_token}` } })).json();
    expect(list.data.map((t: { incident_count: number }) => t.incident_count)).toEqual([1]);
  });
});
