/**
 * The fix pipeline's grouped statements on PGlite and Postgres: several vehicles' batches stored in one statement
 * get each their own counts, stored fixes and pending mark (a retried fix counted as a duplicate of its own
 * vehicle only); the previous fixes of several vehicles are read in one statement, each its own.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { describeEachAvailable } from '../../../e2e/support/required-in-ci.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import type { DeviceIdentity } from '../devices/device-auth.ts';
import { previousFixes } from './screen-fixes.ts';
import { storeFixesOfDevices } from './store-fixes.ts';

const T0 = Date.parse('2026-06-01T07:00:00Z');
const fix = (seconds: number, lat: number) => ({ latitude: lat, longitude: -3.7, speed: 30, timestamp: new Date(T0 + seconds * 1000).toISOString() });

describeEachAvailable([
  { name: 'pglite' as const, available: true },
  { name: 'postgres' as const, available: await postgresAvailable() },
])('grouped ingest statements on $name', ({ name }) => {
  let platform: TestPlatform;
  let taxis: DeviceIdentity[];
  beforeEach(async () => {
    platform = await createTestPlatform({}, { database: name });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Grouped' })).id;
    taxis = [];
    for (const plate of ['G-1', 'G-2', 'G-3']) {
      const vehicleId = (await createVehicle(deps, { fleetId, plate })).id;
      taxis.push({ deviceId: (await createDevice(deps, { vehicleId })).id, vehicleId, fleetId } as DeviceIdentity);
    }
  });
  afterEach(() => platform.close());

  it('stores several batches in one statement, each with its own counts and pending mark', async () => {
    const [a, b, c] = taxis;
    await storeFixesOfDevices(platform, [{ device: a, fixes: [fix(0, 40.1)] }]);
    const results = await storeFixesOfDevices(platform, [
      { device: a, fixes: [fix(0, 40.1), fix(1, 40.1001)] }, // the first is a's retry
      { device: b, fixes: [fix(0, 40.2), fix(1, 40.2001), fix(2, 40.2002)] }, // the same times as a's: not duplicates
      { device: c, fixes: [] },
    ]);
    expect(results.map((r) => [r.stored, r.duplicates])).toEqual([[1, 1], [3, 0], [0, 0]]);
    expect(results[0].inserted.map((f) => f.at)).toEqual([T0 + 1000]);
    expect(results[1].inserted.map((f) => f.lat)).toEqual([40.2, 40.2001, 40.2002]);
    expect(results[2].pending).toBeNull();
    const marks = await platform.db.kysely.selectFrom('pending_telemetry').select(['seq', 'vehicle_id', 'from_at']).orderBy('seq').execute();
    expect(marks.slice(1).map((m) => [String(m.seq), m.vehicle_id, m.from_at.getTime()]).sort()).toEqual(
      [
        [results[0].pending, a.vehicleId, T0 + 1000],
        [results[1].pending, b.vehicleId, T0],
      ].sort(),
    );
    await expect(storeFixesOfDevices(platform, [{ device: a, fixes: [fix(5, 40.1)] }, { device: a, fixes: [fix(6, 40.1)] }])).rejects.toThrow(/one fix batch per vehicle/);
  });

  it('stores every column as sent: times with any offset, optional values absent or present, full precision', async () => {
    const [a, b] = taxis;
    await storeFixesOfDevices(platform, [
      { device: a, fixes: [{ latitude: 40.123456789012, longitude: -3.987654321098, timestamp: '2026-06-01T09:00:00.250+02:00' }] },
      { device: b, fixes: [{ latitude: -33.5, longitude: 151.25, speed: 42.5, heading: 270, accuracy: 3.5, altitude: 612.25, timestamp: '2026-06-01T07:00:01Z' }] },
    ]);
    const rows = await platform.db.kysely
      .selectFrom('gps_fixes')
      .select(['vehicle_id', 'device_id', 'fleet_id', 'device_time', 'latitude', 'longitude', 'speed_kmh', 'heading', 'accuracy_m', 'altitude_m'])
      .orderBy('device_time')
      .execute();
    expect(rows).toEqual([
      { vehicle_id: a.vehicleId, device_id: a.deviceId, fleet_id: a.fleetId, device_time: new Date('2026-06-01T07:00:00.250Z'), latitude: 40.123456789012, longitude: -3.987654321098, speed_kmh: null, heading: null, accuracy_m: null, altitude_m: null },
      { vehicle_id: b.vehicleId, device_id: b.deviceId, fleet_id: b.fleetId, device_time: new Date('2026-06-01T07:00:01Z'), latitude: -33.5, longitude: 151.25, speed_kmh: 42.5, heading: 270, accuracy_m: 3.5, altitude_m: 612.25 },
    ]);
  });

  it('stores nothing of a batch whose gap holds a stored fix, and the rest of the statement as usual', async () => {
    const [a, b] = taxis;
    await storeFixesOfDevices(platform, [{ device: a, fixes: [fix(0, 40.1), fix(5, 40.1005)] }, { device: b, fixes: [fix(0, 40.2)] }]);
    const gap = (after: number, before: number) => ({ after: T0 + after * 1000, before: T0 + before * 1000 });
    const results = await storeFixesOfDevices(platform, [
      { device: a, fixes: [fix(10, 40.101)], gap: gap(0, 10) }, // assumed 0 was last, but 5 lies in between
      { device: b, fixes: [fix(10, 40.201)], gap: gap(0, 10) },
    ]);
    expect(results[0]).toEqual({ stored: 0, duplicates: 0, inserted: [], pending: null, previousMoved: true });
    expect([results[1].stored, results[1].previousMoved]).toEqual([1, undefined]);
    const times = await platform.db.kysely.selectFrom('gps_fixes').select('device_time').where('vehicle_id', '=', a.vehicleId).orderBy('device_time').execute();
    expect(times.map((t) => t.device_time.getTime())).toEqual([T0, T0 + 5000]);
    // The ends of the gap are not in it: the assumed previous fix itself, and a retry at the batch's start.
    const [again] = await storeFixesOfDevices(platform, [{ device: a, fixes: [fix(5, 40.1005), fix(10, 40.101)], gap: gap(5, 5) }]);
    expect([again.stored, again.duplicates, again.previousMoved]).toEqual([1, 1, undefined]);
  });

  it("reads each vehicle's previous fix in one statement", async () => {
    const [a, b, c] = taxis;
    await storeFixesOfDevices(platform, [
      { device: a, fixes: [fix(0, 40.1), fix(10, 40.11)] },
      { device: b, fixes: [fix(0, 40.2)] },
    ]);
    const found = await previousFixes(platform, [
      { vehicleId: a.vehicleId, before: T0 + 10_000 }, // strictly before: the fix at 0
      { vehicleId: b.vehicleId, before: T0 + 5_000 },
      { vehicleId: c.vehicleId, before: T0 + 5_000 }, // none stored
      { vehicleId: b.vehicleId, before: T0 + 3_600_000 }, // too long ago to judge by
    ]);
    expect(found).toEqual([{ at: T0, lat: 40.1, lon: -3.7 }, { at: T0, lat: 40.2, lon: -3.7 }, null, null]);
  });
});
