/**
 * Driver assignments under concurrency, on PGlite and on real Postgres (where transactions truly overlap): however
 * assignments race, a vehicle has one current driver and a driver one current vehicle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachAvailable } from '../../e2e/support/required-in-ci.ts';
import { postgresAvailable } from '../../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { assignDriver, currentDrivers } from './driver-assignments.ts';
import { createDriver, createFleet, createVehicle } from './provisioning.ts';

const postgresUp = await postgresAvailable();
const databases = [
  { database: 'pglite' as const, available: true },
  { database: 'postgres' as const, available: postgresUp },
];

describeEachAvailable(databases)('driver assignments on $database', ({ database }) => {
  let platform: TestPlatform;
  let deps: { db: TestPlatform['db']['kysely']; clock: TestPlatform['clock']; ids: TestPlatform['ids'] };
  let fleetId: string;
  const vehicles: string[] = [];
  const drivers: string[] = [];

  const current = (column: 'vehicle_id' | 'driver_id', id: string) =>
    deps.db.selectFrom('vehicle_drivers').select(['vehicle_id', 'driver_id']).where(column, '=', id).where('ended_at', 'is', null).execute();

  beforeAll(async () => {
    platform = await createTestPlatform({}, { database });
    deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Race' })).id;
    for (let i = 0; i < 4; i++) vehicles.push((await createVehicle(deps, { fleetId, plate: `R-${i}` })).id);
    for (let i = 0; i < 6; i++) drivers.push((await createDriver(deps, { fleetId, name: `Driver ${i}`, licenceExpiresOn: '2030-01-01' })).id);
  });
  afterAll(() => platform?.close());

  it('keeps one current driver per vehicle when several assignments to it race', async () => {
    const results = await Promise.allSettled(drivers.map((driverId) => assignDriver(deps, { fleetId, vehicleId: vehicles[0], driverId, assignedBy: null })));
    // Locking serialises them: every request succeeds, the last to commit wins.
    expect(results.map((r) => r.status)).toEqual(drivers.map(() => 'fulfilled'));
    const rows = await current('vehicle_id', vehicles[0]);
    expect(rows).toHaveLength(1);
    expect((await currentDrivers(deps.db, [vehicles[0]])).get(vehicles[0])?.id).toBe(rows[0].driver_id);
    const all = await deps.db.selectFrom('vehicle_drivers').select('id').where('vehicle_id', '=', vehicles[0]).execute();
    expect(all).toHaveLength(drivers.length);
  });

  it('keeps one current vehicle per driver when the same driver is assigned to several vehicles at once', async () => {
    const driverId = drivers[5];
    const results = await Promise.allSettled(vehicles.slice(1).map((vehicleId) => assignDriver(deps, { fleetId, vehicleId, driverId, assignedBy: null })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(await current('driver_id', driverId)).toHaveLength(1);
  });

  it('refuses a second current row for a vehicle or a driver at the database, whatever the code does', async () => {
    const taken = (await createVehicle(deps, { fleetId, plate: 'U-1' })).id;
    const empty = (await createVehicle(deps, { fleetId, plate: 'U-2' })).id;
    const busy = (await createDriver(deps, { fleetId, name: 'Busy', licenceExpiresOn: '2030-01-01' })).id;
    const idle = (await createDriver(deps, { fleetId, name: 'Idle', licenceExpiresOn: '2030-01-01' })).id;
    await assignDriver(deps, { fleetId, vehicleId: taken, driverId: busy, assignedBy: null });
    const insert = (vehicleId: string, driverId: string) =>
      deps.db
        .insertInto('vehicle_drivers')
        .values({ id: deps.ids.next(), fleet_id: fleetId, vehicle_id: vehicleId, driver_id: driverId, started_at: new Date(platform.clock.now()), ended_at: null, assigned_by: null })
        .execute()
        .then(() => 'inserted', (error: unknown) => (isUniqueViolation(error) ? 'unique violation' : Promise.reject(error)));
    expect(await insert(taken, idle)).toBe('unique violation');
    expect(await insert(empty, busy)).toBe('unique violation');
    expect(await insert(empty, idle)).toBe('inserted');
  });

  it("refuses a driver of another fleet or a vehicle gone meanwhile with a 404, changing nothing", async () => {
    const otherFleet = (await createFleet(deps, { name: 'Elsewhere' })).id;
    const stranger = (await createDriver(deps, { fleetId: otherFleet, name: 'Stranger', licenceExpiresOn: '2030-01-01' })).id;
    const before = await current('vehicle_id', vehicles[0]);
    await expect(assignDriver(deps, { fleetId, vehicleId: vehicles[0], driverId: stranger, assignedBy: null })).rejects.toMatchObject({ code: 'not_found' });
    await expect(assignDriver(deps, { fleetId, vehicleId: 'deleted-vehicle', driverId: drivers[0], assignedBy: null })).rejects.toMatchObject({ code: 'not_found' });
    expect(await current('vehicle_id', vehicles[0])).toEqual(before);
  });
});
