/**
 * Without the fleet and device checks on the rows ingest writes (migration 2003), deletes still clean up as before:
 * a deleted device leaves its fixes with no device, a deleted taxi or fleet takes its fixes, frames and marks with it,
 * and a fix still cannot name a taxi that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';
import { createDevice, createFleet, createVehicle } from '../edge/domain/provisioning.ts';
import { storeFixes } from '../edge/domain/ingest/store-fixes.ts';

const backends = [{ database: 'pglite' as const }, ...((await postgresAvailable()) ? [{ database: 'postgres' as const }] : [])];

describe.each(backends)('ingest rows without fleet and device checks on $database', ({ database }) => {
  let platform: TestPlatform;
  const db = () => platform.db.kysely;
  const deps = () => ({ db: db(), clock: platform.clock, ids: platform.ids });
  const fix = (second: number) => ({ latitude: 40.4, longitude: -3.7, timestamp: `2026-06-01T07:59:${String(second).padStart(2, '0')}Z` });
  const fixesOf = (vehicleId: string) => db().selectFrom('gps_fixes').select(['device_id', 'fleet_id']).where('vehicle_id', '=', vehicleId).execute();

  async function taxiWithFixes(fleetId: string) {
    const vehicle = await createVehicle(deps(), { fleetId, plate: `T-${platform.ids.next().slice(-6)}` });
    const device = await createDevice(deps(), { vehicleId: vehicle.id, name: 'unit' });
    await storeFixes(platform, { deviceId: device.id, vehicleId: vehicle.id, fleetId }, [fix(1), fix(2)]);
    return { vehicleId: vehicle.id, deviceId: device.id };
  }

  beforeAll(async () => {
    platform = await createTestPlatform({}, { database });
  });
  afterAll(() => platform?.close());

  it('a deleted device leaves its fixes stored, with no device', async () => {
    const fleet = await createFleet(deps(), { name: 'Keys' });
    const taxi = await taxiWithFixes(fleet.id);
    await db().deleteFrom('devices').where('id', '=', taxi.deviceId).execute();
    expect(await fixesOf(taxi.vehicleId)).toEqual([
      { device_id: null, fleet_id: fleet.id },
      { device_id: null, fleet_id: fleet.id },
    ]);
  });

  it('a deleted taxi, or a deleted fleet, takes its fixes and pending marks with it', async () => {
    const fleet = await createFleet(deps(), { name: 'Gone' });
    const first = await taxiWithFixes(fleet.id);
    const second = await taxiWithFixes(fleet.id);
    expect(await db().selectFrom('pending_telemetry').select('seq').where('vehicle_id', '=', first.vehicleId).execute()).toHaveLength(1);
    await db().deleteFrom('vehicles').where('id', '=', first.vehicleId).execute();
    expect(await fixesOf(first.vehicleId)).toEqual([]);
    expect(await db().selectFrom('pending_telemetry').select('seq').where('vehicle_id', '=', first.vehicleId).execute()).toEqual([]);
    await db().deleteFrom('fleets').where('id', '=', fleet.id).execute();
    expect(await fixesOf(second.vehicleId)).toEqual([]);
    expect(await db().selectFrom('gps_fixes').select('id').where('fleet_id', '=', fleet.id).execute()).toEqual([]);
  });

  it('still refuses a fix for a taxi that does not exist', async () => {
    const fleet = await createFleet(deps(), { name: 'Ghost' });
    await expect(storeFixes(platform, { deviceId: 'no-such-device', vehicleId: 'no-such-taxi', fleetId: fleet.id }, [fix(3)])).rejects.toThrow(/foreign key/);
  });
});
