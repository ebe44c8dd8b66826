/**
 * The screening step through the app: a unit that reports positions only gets speeds (stored, on the live map, in
 * the trip's figures), and a GPS jump inside its drive is dropped, raises nothing, and is not stored on a resend.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { createApp } from '../../app.ts';
import type { LiveEvent } from '../../ports/bus.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { drive } from '../telemetry/telemetry-test-drive.ts';
import type { DeviceIdentity } from '../devices/device-auth.ts';
import { storeFixesOfDevices } from './store-fixes.ts';

const START = Date.parse('2026-06-01T07:00:00Z');
// 40 km/h for two minutes, then a stop: positions only, as many phones and the recorded drives send them.
const DRIVE = drive([{ kmh: 40, seconds: 10 }, { kmh: 40, seconds: 120 }, { kmh: 0, seconds: 10 }], { startAt: START, reportSpeed: false });
const asJson = (f: (typeof DRIVE)[number]) => ({ latitude: f.lat, longitude: f.lon, timestamp: new Date(f.at).toISOString() });

describe('fix pipeline: screening before storing', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let vehicleId: string;
  let fleetId: string;
  let key: string;
  const send = async (fixes: object[]) => {
    const res = await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes }) });
    expect(res.status).toBe(202);
    return res.json();
  };

  beforeEach(async () => {
    platform = await createTestPlatform();
    app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Screening', speedLimitKmh: 50 })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'SC-1' })).id;
    key = (await createDevice(deps, { vehicleId })).key;
  });
  afterEach(() => platform.close());

  it('stores speeds and headings derived from positions, and the live map and the trip get them', async () => {
    const events: LiveEvent[] = [];
    await platform.bus.subscribe(fleetId, (e) => events.push(e));
    for (let i = 0; i < 60; i += 10) await send(DRIVE.slice(i, i + 10).map(asJson));
    const stored = await platform.db.kysely.selectFrom('gps_fixes').select(['speed_kmh', 'heading']).where('vehicle_id', '=', vehicleId).orderBy('device_time').execute();
    expect(stored[0].speed_kmh).toBeNull(); // the very first fix has nothing to be measured from
    expect(stored.slice(20).every((f) => Math.abs(f.speed_kmh! - 40) < 1 && f.heading === 0)).toBe(true);
    const position = events.filter((e) => e.type === 'location_update').at(-1)!.data as { speed_kmh: number; heading: number };
    expect(position.speed_kmh).toBeCloseTo(40, 0);
    expect(position.heading).toBe(0);
  });

  it('drops a GPS jump: the reply counts it, it is not stored, raises no speeding, and a resend gives the same answer', async () => {
    const fixes = DRIVE.map(asJson);
    const jump = { ...fixes[70], latitude: fixes[70].latitude + 0.05 }; // 5.5 km away for one second
    const batch = [...fixes.slice(0, 70), jump, ...fixes.slice(71)];
    expect(await send(batch)).toEqual({ stored: DRIVE.length - 1, duplicates: 0, implausible: 1 });
    expect(await send(batch)).toEqual({ stored: 0, duplicates: DRIVE.length - 1, implausible: 1 });
    const db = platform.db.kysely;
    const stored = await db.selectFrom('gps_fixes').select(['latitude', 'speed_kmh']).where('vehicle_id', '=', vehicleId).execute();
    expect(stored.some((f) => f.latitude === jump.latitude)).toBe(false);
    expect(Math.max(...stored.map((f) => f.speed_kmh ?? 0))).toBeLessThan(45);
    const trip = await db.selectFrom('trips').select('max_speed_kmh').where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow();
    expect(trip.max_speed_kmh).toBeLessThan(45);
    expect(await db.selectFrom('incidents').select('type').where('vehicle_id', '=', vehicleId).execute()).toEqual([]);
  });

  it('judges a batch against a fix another instance stored meanwhile, not the one this process stored last', async () => {
    await send(DRIVE.slice(0, 10).map(asJson));
    // Another instance (this process never sees it) stores the next second 1 km off the road: as a previous fix,
    // every fix of the next batch would be a jump from it; the fix this process stored last says they are not.
    const device = { deviceId: (await platform.db.kysely.selectFrom('devices').select('id').where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow()).id, vehicleId, fleetId } as DeviceIdentity;
    const elsewhere = { ...asJson(DRIVE[10]), latitude: DRIVE[10].lat + 0.01 };
    expect((await storeFixesOfDevices(platform, [{ device, fixes: [elsewhere] }]))[0].stored).toBe(1);
    expect(await send(DRIVE.slice(11, 21).map(asJson))).toEqual({ stored: 0, duplicates: 0, implausible: 10 });
    const count = await platform.db.kysely.selectFrom('gps_fixes').select((eb) => eb.fn.countAll<number>().as('n')).where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(11);
  });
});
