/**
 * A device whose key is about to expire, simulated over a flaky network: answers hand it the next key, it switches,
 * and not one fix is refused on the way; the old key stops at the first use of the new one; a manual rotation or
 * a revocation cancels a pending hand-over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../e2e/support/test-platform.ts';
import { createApp } from '../../edge/app.ts';
import { hashDeviceKey } from '../../edge/domain/device-keys.ts';
import { createDevice, createFleet, createUser, createVehicle } from '../../edge/domain/provisioning.ts';
import { loginForTest } from '../../e2e/support/test-sessions.ts';
import { sharedDataDir } from './shared-data.ts';
import { runSimulation } from './simulator.ts';
import { loadTracks } from './track-loader.ts';
import type { SimClock } from './virtual-taxi.ts';

const DAY = 86_400_000;
const virtualClock = (start: number): SimClock => {
  let now = start;
  return { now: () => now, sleep: async (ms) => void (now += ms) };
};

describe('device key rotation through the protocol', () => {
  let platform: TestPlatform;
  let app: ReturnType<typeof createApp>;
  let deps: { db: TestPlatform['db']['kysely']; clock: TestPlatform['clock']; ids: TestPlatform['ids'] };
  let vehicleId: string;
  const post = (key: string, fixes: unknown[]) => app.request('/api/v1/tracking/location', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ fixes }) });
  const fix = (seconds: number) => ({ latitude: 40.4, longitude: -3.7, timestamp: new Date(platform.clock.now() - 600_000 + seconds * 1000).toISOString() });
  const expiringDevice = async (days: number) => {
    const device = await createDevice(deps, { vehicleId });
    await deps.db.updateTable('devices').set({ key_expires_at: new Date(platform.clock.now() + days * DAY) }).where('id', '=', device.id).execute();
    return device;
  };

  beforeAll(async () => {
    platform = await createTestPlatform({ RATE_LIMIT_PER_MINUTE: '1000000' });
    app = createApp(platform);
    deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Rotation' })).id;
    vehicleId = (await createVehicle(deps, { fleetId, plate: 'ROT-1' })).id;
    await createUser(deps, { fleetId, email: 'owner@rotation.test', password: 'rotation-pass-1', role: 'owner' });
  });
  afterAll(() => platform.close());

  it('sends no next key while the key has more than 14 days left', async () => {
    const device = await expiringDevice(20);
    const res = await post(device.key, [fix(1)]);
    expect(res.status).toBe(202);
    expect(res.headers.get('x-device-next-key')).toBeNull();
  });

  it('hands a simulated taxi its next key over a flaky network; it switches with zero refused fixes', async () => {
    const device = await expiringDevice(10);
    const tracks = loadTracks(sharedDataDir()).filter((t) => t.name.startsWith('sharedstreets_dallas'));
    let n = 0;
    const flaky: typeof fetch = async (input, init) => {
      n++;
      if (n % 7 === 0) throw new TypeError('fetch failed');
      if (n % 11 === 0) return new Response('{"error":{"code":"unavailable"}}', { status: 503, headers: { 'retry-after': '1' } });
      return app.request(String(input), init);
    };
    const persisted: string[] = [];
    const stats = await runSimulation({ baseUrl: 'http://sim.test', keys: [device.key], tracks, frames: [], frameEverySeconds: null, durationSeconds: 300, speedup: 2, seed: 3, fetch: flaky, clockFor: () => virtualClock(platform.clock.now() - 3_600_000), faults: { offlineRate: 0.1, offlineSeconds: [30, 120], duplicateRate: 0.2 }, recordGenerated: true, onKeyRotated: (_taxi, _old, next) => void persisted.push(next) });
    expect(stats.keyRotations).toBe(1);
    expect(stats.dropped).toBe(0);
    expect(stats.errors['401']).toBeUndefined();
    expect(stats.stored).toBe(stats.fixesGenerated);
    expect(stats.unsent).toBe(0);
    const row = await deps.db.selectFrom('devices').selectAll().where('id', '=', device.id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(await hashDeviceKey(persisted[0]));
    expect(row.key_expires_at.getTime()).toBe(platform.clock.now() + 90 * DAY);
    expect([row.next_key_hash, row.previous_key_hash]).toEqual([null, null]);
    // The old key stopped at the first use of the new one; the new one, now current and far from expiry, is handed nothing.
    const old = await post(device.key, [fix(2)]);
    expect(old.status).toBe(401);
    expect((await old.json()).error.details.reason).toBe('device_key_invalid');
    const fresh = await post(persisted[0], [fix(3)]);
    expect(fresh.status).toBe(202);
    expect(fresh.headers.get('x-device-next-key')).toBeNull();
  });

  it('repeats the same next key until it is used, and a manual rotation cancels it', async () => {
    const device = await expiringDevice(3);
    const first = await post(device.key, [fix(10)]);
    const second = await post(device.key, [fix(11)]);
    const next = first.headers.get('x-device-next-key')!;
    expect(next).toMatch(/^twd_[A-Za-z0-9_-]{43}$/);
    expect(second.headers.get('x-device-next-key')).toBe(next);
    expect(first.headers.get('x-device-next-key-expires-at')).toBe(new Date(platform.clock.now() + 90 * DAY).toISOString());
    // Refused requests carry no key.
    const refused = await post(device.key, [{ latitude: 'x' }]);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('x-device-next-key')).toBeNull();

    const token = await loginForTest(app, platform.clock, 'owner@rotation.test', 'rotation-pass-1');
    const rotated = await app.request(`/api/v1/devices/${device.id}/rotate`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(rotated.status).toBe(200);
    expect((await post(next, [fix(12)])).status).toBe(401);
    expect((await post((await rotated.json()).key, [fix(13)])).status).toBe(202);
  });
});
