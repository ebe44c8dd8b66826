/** Frames that arrive together are inserted in one statement, and each upload learns whether its frame was new. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { insertFrames } from './store-frame.ts';

let platform: TestPlatform;
beforeEach(async () => {
  platform = await createTestPlatform();
});
afterEach(() => platform.close());

it('inserts several frames in one statement and reports a device-and-time repeat as not new', async () => {
  const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
  const fleetId = (await createFleet(deps, { name: 'Frames' })).id;
  const vehicleId = (await createVehicle(deps, { fleetId, plate: 'FR-1' })).id;
  const [a, b] = [(await createDevice(deps, { vehicleId })).id, (await createDevice(deps, { vehicleId })).id];
  const at = new Date('2026-06-01T08:00:00Z');
  const row = (id: string, deviceId: string, capturedAt: Date) => ({ id, fleet_id: fleetId, vehicle_id: vehicleId, device_id: deviceId, blob_key: `k/${id}`, captured_at: capturedAt, received_at: at, size_bytes: 10, width: 1, height: 1, analysis_status: 'pending' as const });
  expect(await insertFrames(platform, [row('f1', a, at)])).toEqual([true]);
  // f2 repeats f1's device and time (a retry); f3 is another camera at the same time; f4 is a's next frame.
  expect(await insertFrames(platform, [row('f2', a, at), row('f3', b, at), row('f4', a, new Date(at.getTime() + 1000))])).toEqual([false, true, true]);
  const ids = await platform.db.kysely.selectFrom('frames').select('id').orderBy('id').execute();
  expect(ids.map((r) => r.id)).toEqual(['f1', 'f3', 'f4']);
});
