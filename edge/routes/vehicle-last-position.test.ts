/** A taxi's position on the vehicles list survives an empty cache (an embedded server restarted while it was parked). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { createApp } from '../app.ts';
import { latestLocationKey } from '../domain/ingest/store-fixes.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../domain/provisioning.ts';

describe('vehicles list positions', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await createTestPlatform();
  });
  afterAll(() => platform.close());

  it('falls back to the last fix the rules processed when the cached position is gone', async () => {
    const app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Parked' })).id;
    const vehicleId = (await createVehicle(deps, { fleetId, plate: 'PK-1' })).id;
    const { key } = await createDevice(deps, { vehicleId });
    await createUser(deps, { fleetId, email: 'owner@parked.test', password: 'parked-pass-123', role: 'owner' });
    const fixes = [0, 1, 2].map((s) => ({ latitude: 32.95 + s * 0.0001, longitude: -96.73, speed: 40, timestamp: new Date(Date.parse('2026-06-01T07:50:00Z') + s * 1000).toISOString() }));
    expect((await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes }) })).status).toBe(202);
    const token = await loginForTest(app, platform.clock, 'owner@parked.test', 'parked-pass-123');
    const list = async () => (await (await app.request('/api/v1/vehicles', { headers: { authorization: `Bearer ${token}` } })).json()).data[0].live.location;
    expect(await list()).toMatchObject({ latitude: 32.9502, speed_kmh: 40, heading: 0, device_time: '2026-06-01T07:50:02.000Z' });
    await platform.cache.delete(latestLocationKey(vehicleId));
    expect(await list()).toEqual({ vehicle_id: vehicleId, latitude: 32.9502, longitude: -96.73, speed_kmh: 40, heading: null, device_time: '2026-06-01T07:50:02.000Z' });
  });
});
