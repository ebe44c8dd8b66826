/**
 * last_seen_at: written once per device per window, and the writes of many devices whose windows open together
 * share statements without losing any device. On PGlite and Postgres.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { markDevicesSeen, touchLastSeen } from './last-seen.ts';

const postgresUp = await postgresAvailable();

describe.each([
  ['pglite', true],
  ['postgres', postgresUp],
] as const)('last seen on %s', (database, available) => {
  let platform: TestPlatform;
  let deviceIds: string[];

  beforeEach(async () => {
    if (!available) return;
    platform = await createTestPlatform({}, { database });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Seen' })).id;
    deviceIds = [];
    for (let i = 0; i < 8; i++) {
      const vehicleId = (await createVehicle(deps, { fleetId, plate: `LS-${i}` })).id;
      deviceIds.push((await createDevice(deps, { vehicleId })).id);
    }
  });
  afterEach(async () => {
    if (available) await platform.close();
  });

  const lastSeen = async () => {
    const rows = await platform.db.kysely.selectFrom('devices').select(['id', 'last_seen_at']).execute();
    return new Map(rows.map((r) => [r.id, r.last_seen_at === null ? null : new Date(r.last_seen_at).getTime()]));
  };

  it.skipIf(!available)('marks every device touched at once, and only those', async () => {
    const touched = deviceIds.slice(0, 6);
    await Promise.all(touched.map((id) => touchLastSeen(platform, id)));
    const seen = await lastSeen();
    for (const id of touched) expect(seen.get(id)).toBe(platform.clock.now());
    for (const id of deviceIds.slice(6)) expect(seen.get(id)).toBeNull();
  });

  it.skipIf(!available)('writes a device once per window: a second touch inside it changes nothing', async () => {
    const [id] = deviceIds;
    await touchLastSeen(platform, id);
    const first = (await lastSeen()).get(id);
    await platform.db.kysely.updateTable('devices').set({ last_seen_at: new Date(0) }).where('id', '=', id).execute();
    await touchLastSeen(platform, id);
    expect(first).toBe(platform.clock.now());
    // The window's first touch wrote; the second did not overwrite the marker set in between.
    expect((await lastSeen()).get(id)).toBe(0);
  });

  it.skipIf(!available)('markDevicesSeen writes the devices it is given in one go, and nothing for none', async () => {
    await markDevicesSeen(platform, []);
    await markDevicesSeen(platform, deviceIds.slice(2, 5));
    const seen = await lastSeen();
    expect(deviceIds.map((id) => seen.get(id) !== null)).toEqual([false, false, true, true, true, false, false, false]);
  });
});
