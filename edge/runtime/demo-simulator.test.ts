/**
 * The demo drives the taxis' own cameras (no extra devices): five taxis spread over one part of Dallas, every fix
 * with a speed, pictures from both cameras, and a restart carries each taxi on from where it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { NO_FAULTS } from '../../firmware/simulator/faults.ts';
import { sharedDataDir } from '../../firmware/simulator/shared-data.ts';
import { runSimulation } from '../../firmware/simulator/simulator.ts';
import type { SimClock } from '../../firmware/simulator/virtual-taxi.ts';
import { createApp } from '../app.ts';
import { seedDemoData, type DemoData } from '../domain/demo-data.ts';
import { distanceM } from '../domain/telemetry/geo.ts';
import { planDemoFleet } from './demo-simulator.ts';

const virtualClock = (start: number): SimClock => {
  let now = start;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
};

describe('demo simulator', () => {
  let platform: TestPlatform;
  let demo: DemoData;
  const dataDir = sharedDataDir();

  beforeAll(async () => {
    platform = await createTestPlatform({ RATE_LIMIT_PER_MINUTE: '1000000' });
    demo = (await seedDemoData({ db: platform.db.kysely, clock: platform.clock, ids: platform.ids }))!;
  });
  afterAll(() => platform.close());

  it('plans every taxi with its own road and cabin camera, and removes the extra devices older versions made', async () => {
    const db = platform.db.kysely;
    await db.insertInto('devices').values({ id: platform.ids.next(), fleet_id: demo.fleet.id, vehicle_id: demo.vehicles[0].id, name: 'Demo simulator', key_prefix: 'twd_old', key_hash: 'x', key_expires_at: new Date('2027-01-01'), status: 'active', created_at: new Date() }).execute();
    const taxis = (await planDemoFleet(platform, dataDir))!;
    expect(taxis).toHaveLength(5);
    expect(taxis.map((t) => t.cameras!.map((c) => c.key))).toEqual(demo.vehicles.map((v) => demo.devices.filter((d) => d.vehicle_id === v.id).map((d) => d.key)));
    expect(taxis.every((t) => t.key === t.cameras![0].key)).toBe(true); // the road camera is the GPS unit
    expect(await db.selectFrom('devices').select('name').where('fleet_id', '=', demo.fleet.id).execute()).toHaveLength(10);
  });

  it('gives a demo camera whose key nears its end a fresh 90 days at start, so the server never rotates it away', async () => {
    const db = platform.db.kysely;
    const camera = demo.devices[0];
    const now = platform.clock.now();
    await db.updateTable('devices').set({ key_expires_at: new Date(now + 10 * 86_400_000) }).where('id', '=', camera.id).execute();
    const taxis = (await planDemoFleet(platform, dataDir))!;
    expect(taxis[0].cameras![0].key).toBe(camera.key);
    const row = await db.selectFrom('devices').select('key_expires_at').where('id', '=', camera.id).executeTakeFirstOrThrow();
    expect(row.key_expires_at.getTime()).toBe(now + 90 * 86_400_000);
    // A key the server would now hand over is not: its answers carry no next key.
    const res = await createApp(platform).request('/api/v1/devices/heartbeat', { method: 'POST', headers: { authorization: `Bearer ${camera.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ battery_pct: 90 }) });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-device-next-key')).toBeNull();
  });

  it('drives the fleet: fixes with speeds from every taxi within one part of the city, pictures from both cameras, no extra device', async () => {
    const app = createApp(platform);
    const taxis = (await planDemoFleet(platform, dataDir))!;
    const stats = await runSimulation({
      baseUrl: 'http://demo.test', taxis, durationSeconds: 20 * 60, frameEverySeconds: 300, heartbeatEverySeconds: 120, restSeconds: 11 * 60, faults: NO_FAULTS,
      fetch: (input, init) => Promise.resolve(app.request(String(input), init)),
      clockFor: () => virtualClock(platform.clock.now() - 30 * 60_000),
    });
    expect(stats.dropped).toBe(0);
    expect(stats.implausible).toBe(0);
    const db = platform.db.kysely;
    const latest = [];
    for (const vehicle of demo.vehicles) {
      const fixes = await db.selectFrom('gps_fixes').select(['latitude', 'longitude', 'speed_kmh', 'device_time']).where('vehicle_id', '=', vehicle.id).orderBy('device_time').execute();
      expect(fixes.length, vehicle.plate).toBeGreaterThan(100);
      expect(fixes.slice(1).filter((f) => f.speed_kmh === null), vehicle.plate).toEqual([]);
      latest.push(fixes.at(-1)!);
    }
    // The routes keep the fleet within one part of the city: at most 18 km north to south (the airport run).
    const [lats, lons] = [latest.map((f) => f.latitude), latest.map((f) => f.longitude)];
    const northSouth = distanceM({ lat: Math.min(...lats), lon: lons[0] }, { lat: Math.max(...lats), lon: lons[0] });
    const eastWest = distanceM({ lat: lats[0], lon: Math.min(...lons) }, { lat: lats[0], lon: Math.max(...lons) });
    expect(Math.max(northSouth, eastWest)).toBeLessThan(18_500);
    const cameras = await db.selectFrom('frames').select('device_id').distinct().execute();
    expect(cameras).toHaveLength(10);
    const units = await db.selectFrom('devices').select(['firmware_version', 'battery_pct', 'rssi']).where('fleet_id', '=', demo.fleet.id).execute();
    expect(units).toHaveLength(10);
    expect(units.every((u) => u.firmware_version && u.battery_pct !== null && u.rssi !== null)).toBe(true);

    // A restart carries each taxi on from where it stood.
    const again = (await planDemoFleet(platform, dataDir))!;
    for (const [i, taxi] of again.entries()) {
      const steps = taxi.track.points.length - 1;
      const resumed = taxi.track.points[Math.round(taxi.startAt * 2 * steps) <= steps ? Math.round(taxi.startAt * 2 * steps) : 2 * steps - Math.round(taxi.startAt * 2 * steps)];
      expect(distanceM(resumed, { lat: latest[i].latitude, lon: latest[i].longitude }), demo.vehicles[i].plate).toBeLessThan(50);
    }
  });
});
