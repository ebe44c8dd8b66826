/**
 * Device authentication when many keys miss the cache at once (after a restart every taxi's first request does):
 * the look-ups share statements, and each request still gets its own device, the right key's validity, or its own
 * refusal. On PGlite and Postgres.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../../e2e/support/test-databases.ts';
import { createTestPlatform, type TestPlatform } from '../../../e2e/support/test-platform.ts';
import { AppError } from '../../errors.ts';
import { createDevice, createFleet, createVehicle } from '../provisioning.ts';
import { sha256Hex } from '../sha256.ts';
import { authenticateDevice, deviceKeyCacheSeconds } from './device-auth.ts';

const postgresUp = await postgresAvailable();

describe.each([
  ['pglite', true],
  ['postgres', postgresUp],
] as const)('authenticateDevice on %s', (database, available) => {
  let platform: TestPlatform;
  let devices: { id: string; vehicle_id: string; fleet_id: string; key: string }[];

  beforeEach(async () => {
    if (!available) return;
    platform = await createTestPlatform({}, { database });
    const deps = { db: platform.db.kysely, clock: platform.clock, ids: platform.ids };
    const fleetId = (await createFleet(deps, { name: 'Keys' })).id;
    devices = [];
    for (let i = 0; i < 6; i++) {
      const vehicleId = (await createVehicle(deps, { fleetId, plate: `KY-${i}` })).id;
      devices.push(await createDevice(deps, { vehicleId }));
    }
  });
  afterEach(async () => {
    if (available) await platform.close();
  });

  const deps = () => ({ db: platform.db.kysely, cache: platform.cache, clock: platform.clock });
  const reason = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: unknown) => (error instanceof AppError ? (error.details as { reason: string }).reason : String(error)),
    );

  it.skipIf(!available)('gives each of many keys asked at once its own device', async () => {
    const identities = await Promise.all(devices.map((d) => authenticateDevice(deps(), d.key)));
    expect(identities.map((i) => [i.deviceId, i.vehicleId, i.fleetId])).toEqual(devices.map((d) => [d.id, d.vehicle_id, d.fleet_id]));
    expect(identities.every((i) => typeof i.currentKeyExpiresAt === 'string')).toBe(true);
  });

  it.skipIf(!available)('tells a rotated-out key in its grace period, an expired one, a revoked device and an unknown key apart when asked together', async () => {
    const now = platform.clock.now();
    const [current, rotated, lapsed, revoked] = devices;
    // rotated: its old key still works until tomorrow; lapsed: its old key's grace ended an hour ago.
    await platform.db.kysely.updateTable('devices').set({ previous_key_hash: await sha256Hex('old-rotated'), previous_key_valid_until: new Date(now + 86_400_000) }).where('id', '=', rotated.id).execute();
    await platform.db.kysely.updateTable('devices').set({ previous_key_hash: await sha256Hex('old-lapsed'), previous_key_valid_until: new Date(now - 3_600_000) }).where('id', '=', lapsed.id).execute();
    await platform.db.kysely.updateTable('devices').set({ status: 'revoked' }).where('id', '=', revoked.id).execute();

    const asked = [current.key, 'old-rotated', 'old-lapsed', revoked.key, 'twd_never_issued', rotated.key];
    const outcomes = await Promise.all(asked.map((key) => reason(authenticateDevice(deps(), key))));
    expect(outcomes).toEqual(['accepted', 'accepted', 'device_key_expired', 'device_key_revoked', 'device_key_invalid', 'accepted']);

    const viaOldKey = await authenticateDevice(deps(), 'old-rotated');
    expect(viaOldKey.deviceId).toBe(rotated.id);
    // A rotated-out key is not the current one: it is never offered a renewal.
    expect(viaOldKey.currentKeyExpiresAt).toBeUndefined();
  });
});

describe('deviceKeyCacheSeconds', () => {
  it('keeps every key between 30 and 60 s, and spreads many keys over that range instead of one instant', async () => {
    const ttls = await Promise.all(Array.from({ length: 400 }, async (_, i) => deviceKeyCacheSeconds(await sha256Hex(`twd_key_${i}`))));
    expect(Math.min(...ttls)).toBeGreaterThanOrEqual(30);
    expect(Math.max(...ttls)).toBeLessThanOrEqual(60);
    // 31 possible values, 400 keys: every value taken, none by more than a tenth of the keys.
    const counts = new Map<number, number>();
    for (const t of ttls) counts.set(t, (counts.get(t) ?? 0) + 1);
    expect(counts.size).toBe(31);
    expect(Math.max(...counts.values())).toBeLessThan(40);
  });

  it('gives one key the same time every time, so its expiry does not move from request to request', async () => {
    const hash = await sha256Hex('twd_same_key');
    expect(deviceKeyCacheSeconds(hash)).toBe(deviceKeyCacheSeconds(hash));
  });
});
