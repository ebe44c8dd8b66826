/** The simulator against the real app (in-process, no port), over real recorded drives, with faults. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../../edge/app.ts';
import { createDevice, createFleet, createVehicle } from '../../edge/domain/provisioning.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCityRoutes } from './city-routes.ts';
import { NO_FAULTS } from './faults.ts';
import { sharedDataDir } from './shared-data.ts';
import { runSimulation, type SimulationOptions } from './simulator.ts';
import { loadFrames, loadTracks } from './track-loader.ts';
import type { SimClock } from './virtual-taxi.ts';

/** Simulated time: sleeping moves it on at once, so ten minutes of driving take a second of test. */
const virtualClock = (start: number): SimClock => {
  let now = start;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
};

describe('simulator', () => {
  let platform: TestPlatform;
  let keys: string[];
  let vehicles: string[];
  let base: Omit<SimulationOptions, 'clock' | 'clockFor'>;
  const dataDir = sharedDataDir();

  beforeAll(async () => {
    platform = await createTestPlatform({ RATE_LIMIT_PER_MINUTE: '1000000' });
    const app = createApp(platform);
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Sim' })).id;
    vehicles = [];
    keys = [];
    for (const plate of ['SIM-1', 'SIM-2']) {
      const vehicleId = (await createVehicle(deps, { fleetId, plate })).id;
      vehicles.push(vehicleId);
      keys.push((await createDevice(deps, { vehicleId })).key);
    }
    const tracks = loadTracks(dataDir).filter((t) => t.name.startsWith('sharedstreets_dallas'));
    base = { baseUrl: 'http://sim.test', keys, tracks, frames: loadFrames(dataDir).slice(0, 2), durationSeconds: 600, speedup: 3, frameEverySeconds: 120, seed: 7, fetch: (input, init) => Promise.resolve(app.request(String(input), init)) };
  });
  afterAll(() => platform.close());

  const rows = async (vehicleId: string) =>
    (await platform.db.kysely.selectFrom('gps_fixes').select('device_time').where('vehicle_id', '=', vehicleId).execute()).map((r) => r.device_time.getTime()).sort((a, b) => a - b);

  it('drives two taxis through coverage losses, retries and lost acknowledgements, and every fix is stored exactly once', async () => {
    // An hour before the server's clock: backdated by the speed-up, every fix is within the accepted window.
    // A flaky network in front of the server: some requests never arrive, some meet an overloaded proxy.
    let n = 0;
    const flaky: typeof fetch = async (input, init) => {
      n++;
      if (n % 9 === 0) throw new TypeError('fetch failed');
      if (n % 13 === 0) return new Response('{"error":{"code":"unavailable"}}', { status: 503, headers: { 'retry-after': '2' } });
      return base.fetch!(input, init);
    };
    const stats = await runSimulation({ ...base, fetch: flaky, clockFor: () => virtualClock(platform.clock.now() - 3_600_000), faults: { offlineRate: 0.15, offlineSeconds: [60, 300], duplicateRate: 0.2 }, recordGenerated: true });
    expect(stats.retries).toBeGreaterThan(0);
    expect(stats.fixesGenerated).toBeGreaterThan(2 * 400); // 30 min of driving each, recorded every 1–4 s
    expect(stats.stored).toBe(stats.fixesGenerated);
    expect(stats.duplicates).toBeGreaterThan(0);
    expect(stats.dropped).toBe(0);
    expect(stats.unsent).toBe(0);
    expect(stats.offlinePeriods).toBeGreaterThan(0);
    expect(stats.framesStored).toBeGreaterThan(0);
    for (const [i, key] of keys.entries()) expect(await rows(vehicles[i])).toEqual([...stats.generated!.get(key)!].sort((a, b) => a - b));
    const trips = await platform.db.kysely.selectFrom('trips').select(['vehicle_id', 'distance_m']).execute();
    expect(trips.length).toBeGreaterThan(0);
    expect(trips.every((t) => t.distance_m > 0)).toBe(true);
  });

  it('sends a coverage loss\'s backlog oldest first in batches of at most 500, all stored; a server without frame upload is asked once', async () => {
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await platform.db.kysely.selectFrom('vehicles').select('fleet_id').where('id', '=', vehicles[0]).executeTakeFirstOrThrow()).fleet_id;
    const vehicleId = (await createVehicle(deps, { fleetId, plate: 'SIM-3' })).id;
    const key = (await createDevice(deps, { vehicleId })).key;
    const batches: number[][] = [];
    let frameRequests = 0;
    const recording: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/api/v1/video/frames/upload')) {
        frameRequests++;
        return new Response('{"error":{"code":"not_found"}}', { status: 404 });
      }
      batches.push(JSON.parse(String(init!.body)).fixes.map((f: { timestamp: string }) => Date.parse(f.timestamp)));
      return base.fetch!(input, init);
    };
    const stats = await runSimulation({ ...base, keys: [key], fetch: recording, frameEverySeconds: 10, clockFor: () => virtualClock(platform.clock.now() - 3_600_000), faults: { offlineRate: 0.5, offlineSeconds: [300, 900], duplicateRate: 0 }, recordGenerated: true });
    expect(stats.offlinePeriods).toBeGreaterThan(0);
    expect(batches.some((b) => b.length > 10)).toBe(true); // a backlog went out in one large batch
    expect(batches.every((b) => b.length <= 500)).toBe(true);
    const sent = batches.flat();
    expect(sent).toEqual([...sent].sort((a, b) => a - b)); // oldest first, never out of order
    expect(stats.stored).toBe(stats.fixesGenerated);
    expect(await rows(vehicleId)).toEqual([...stats.generated!.get(key)!].sort((a, b) => a - b));
    expect(frameRequests).toBe(1);
    expect(stats.framesStored).toBe(0);
  });

  it('runs a taxi with a cabin and a road camera: each uploads its own pictures, every unit reports its state, and a rest ends the trip', async () => {
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await platform.db.kysely.selectFrom('vehicles').select('fleet_id').where('id', '=', vehicles[0]).executeTakeFirstOrThrow()).fleet_id;
    const vehicleId = (await createVehicle(deps, { fleetId, plate: 'SIM-4' })).id;
    const [gps, cabin] = [await createDevice(deps, { vehicleId, name: 'road' }), await createDevice(deps, { vehicleId, name: 'cabin' })];
    const [road, people] = [loadFrames(dataDir).slice(0, 1), [readFileSync(join(dataDir, 'images/photos/pillow_hopper.jpg'))].map((b) => new Uint8Array(b))];
    const fare = loadCityRoutes(dataDir)[3];
    const stats = await runSimulation({
      ...base,
      taxis: [{ key: gps.key, cameras: [{ key: gps.key, frames: road }, { key: cabin.key, frames: people }], track: fare, startAt: 0 }],
      durationSeconds: 2 * 60 * 60, speedup: 1, frameEverySeconds: 300, heartbeatEverySeconds: 120, restSeconds: 11 * 60, faults: NO_FAULTS,
      clockFor: () => virtualClock(platform.clock.now() - 2 * 3_600_000),
    });
    const db = platform.db.kysely;
    const frames = await db.selectFrom('frames').select(['device_id', 'size_bytes']).where('vehicle_id', '=', vehicleId).execute();
    expect(new Set(frames.map((f) => f.device_id))).toEqual(new Set([gps.id, cabin.id]));
    expect(frames.filter((f) => f.device_id === cabin.id).every((f) => f.size_bytes === people[0].length)).toBe(true);
    const units = await db.selectFrom('devices').select(['firmware_version', 'battery_pct', 'rssi']).where('vehicle_id', '=', vehicleId).execute();
    expect(units.every((u) => u.firmware_version === 'taxiwatch-sim 1.0' && u.battery_pct! >= 95 && u.rssi! < -40)).toBe(true);
    expect(stats.heartbeats).toBeGreaterThan(10);
    // Two hours: the fare there, a rest, the fare back, a rest…: every rest of 11 minutes with the unit off ends a trip.
    const trips = await db.selectFrom('trips').select(['started_at', 'ended_at']).where('vehicle_id', '=', vehicleId).orderBy('started_at').execute();
    expect(trips.filter((t) => t.ended_at !== null).length).toBeGreaterThanOrEqual(3);
    expect(await db.selectFrom('incidents').select('type').where('vehicle_id', '=', vehicleId).where('type', '=', 'IDLING').execute()).toEqual([]);
    // Before each rest the unit sent what it held, so the taxi is seen arriving (at rest), not 20 s short of it.
    const fixes = await db.selectFrom('gps_fixes').select(['device_time', 'speed_kmh']).where('vehicle_id', '=', vehicleId).orderBy('device_time').execute();
    const beforeRests = fixes.filter((f, i) => i + 1 < fixes.length && fixes[i + 1].device_time.getTime() - f.device_time.getTime() >= 10 * 60_000);
    expect(beforeRests.length).toBeGreaterThanOrEqual(2);
    expect(beforeRests.map((f) => f.speed_kmh)).toEqual(beforeRests.map(() => 0));
  });

  it('stores nothing new when the same drive is replayed', async () => {
    const before = await Promise.all(vehicles.map(rows));
    const stats = await runSimulation({ ...base, clockFor: () => virtualClock(platform.clock.now() - 3_600_000), faults: NO_FAULTS });
    expect(stats.stored).toBe(0);
    expect(stats.duplicates).toBe(stats.fixesGenerated);
    expect(await Promise.all(vehicles.map(rows))).toEqual(before);
  });
});
