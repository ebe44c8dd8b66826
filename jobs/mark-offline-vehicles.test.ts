import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../e2e/support/test-platform.ts';
import { createApp } from '../edge/app.ts';
import { createDevice, createFleet, createVehicle } from '../edge/domain/provisioning.ts';
import { drive } from '../edge/domain/telemetry/telemetry-test-drive.ts';
import type { LiveEvent } from '../edge/ports/bus.ts';
import { markOfflineVehicles } from './mark-offline-vehicles.ts';

describe('mark-offline-vehicles', () => {
  let platform: TestPlatform;
  let vehicleId: string;
  let fleetId: string;
  let send: (fixes: ReturnType<typeof drive>) => Promise<void>;
  const status = async () => (await platform.db.kysely.selectFrom('vehicle_telemetry').select('status').where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow()).status;
  const trip = () => platform.db.kysely.selectFrom('trips').select(['started_at', 'ended_at', 'duration_s']).where('vehicle_id', '=', vehicleId).executeTakeFirstOrThrow();
  const run = () => markOfflineVehicles(platform, null, { jobId: 'test', attempt: 1 });

  beforeEach(async () => {
    platform = await createTestPlatform();
    const app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    fleetId = (await createFleet(deps, { name: 'Offline' })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'OFF-1' })).id;
    const { key } = await createDevice(deps, { vehicleId });
    send = async (fixes) => {
      const body = JSON.stringify({ fixes: fixes.map((f) => ({ latitude: f.lat, longitude: f.lon, speed: f.speedKmh, timestamp: new Date(f.at).toISOString() })) });
      const res = await app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
      expect(res.status).toBe(202);
    };
  });
  afterEach(() => platform.close());

  it('marks a silent vehicle offline after the fleet’s offline time, once, and shows its open trip as ended', async () => {
    // Driving until 07:59:00, then the unit goes silent while still moving.
    await send(drive([{ kmh: 40, seconds: 10 }, { kmh: 40, seconds: 170 }], { startAt: Date.parse('2026-06-01T07:56:00Z') }));
    expect(await status()).toBe('moving');
    expect((await trip()).ended_at).toBeNull();
    const events: LiveEvent[] = [];
    await platform.bus.subscribe(fleetId, (e) => events.push(e));

    platform.clock.advance(9 * 60_000);
    await run();
    expect(await status()).toBe('moving');

    platform.clock.advance(2 * 60_000);
    await run();
    await run();
    expect(await status()).toBe('offline');
    expect(events.map((e) => [e.type, (e.data as { status: string }).status])).toEqual([['vehicle_status', 'offline']]);
    expect(await trip()).toMatchObject({ ended_at: new Date('2026-06-01T07:59:00Z'), duration_s: 178 }); // from 07:56:02, the first fix at moving speed
  });

  it('brings the vehicle back with its next report', async () => {
    await send(drive([{ kmh: 0, seconds: 30 }], { startAt: Date.parse('2026-06-01T07:59:00Z') }));
    platform.clock.advance(11 * 60_000);
    await run();
    expect(await status()).toBe('offline');
    await send(drive([{ kmh: 0, seconds: 5 }], { startAt: platform.clock.now() - 10_000 }));
    expect(await status()).toBe('stopped');
  });
});
