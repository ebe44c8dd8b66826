/**
 * Device authentication for ingest: the presented key's SHA-256 is looked up (cached briefly, because devices
 * call every few seconds) against the current key, or the previous key while its rotation grace period lasts.
 * Failures carry a reason the firmware can act on: `device_key_invalid`, `device_key_revoked`, `device_key_expired`
 * (re-provision) — none of them is worth retrying.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { Cache } from '../../ports/cache.ts';
import type { Clock } from '../../ports/clock.ts';
import { createGroupedCalls, perOwner } from '../grouped-calls.ts';
import { sha256Hex } from '../sha256.ts';
import { promoteNextKey } from './key-rotation.ts';

export interface DeviceIdentity {
  deviceId: string;
  vehicleId: string;
  fleetId: string;
  /** When the presented key is the device's current one: its expiry, for renewal (devices/key-rotation.ts). */
  currentKeyExpiresAt?: string;
}

interface CachedKey extends DeviceIdentity {
  status: 'active' | 'revoked';
  /** Until when this key is accepted: key expiry, or the end of the grace period for a rotated-out key. */
  validUntil: string;
  current?: boolean;
}

/**
 * How long a looked-up key is cached: between 30 and 60 s, a share fixed by the key's hash. After a restart every
 * taxi's key is looked up within seconds; with one TTL they would all expire together a minute later, and nearly
 * every request of the next few seconds would wait for a database read at once. Spread over 30 s, the expiries
 * stay a trickle the grouped look-ups absorb, and no key is trusted longer than before.
 */
export function deviceKeyCacheSeconds(hash: string): number {
  return 30 + (Number.parseInt(hash.slice(0, 4), 16) % 31);
}

export const deviceKeyCacheKey = (hash: string) => `device-key:${hash}`;

const refuse = (reason: string, message: string) => new AppError('unauthorized', message, { details: { reason } });

/** The keys' devices, in one statement (see `lookup`). */
async function lookupMany(db: Kysely<Database>, hashes: string[]): Promise<(CachedKey | null)[]> {
  const rows = await db
    .selectFrom('devices')
    .select(['id', 'vehicle_id', 'fleet_id', 'status', 'key_hash', 'key_expires_at', 'previous_key_hash', 'previous_key_valid_until'])
    .where((eb) => eb.or([eb('key_hash', 'in', hashes), eb('previous_key_hash', 'in', hashes)]))
    .execute();
  const byCurrent = new Map(rows.map((r) => [r.key_hash, r]));
  const byPrevious = new Map(rows.map((r) => [r.previous_key_hash, r]));
  return hashes.map((hash) => {
    const row = byCurrent.get(hash) ?? byPrevious.get(hash);
    if (!row) return null;
    const current = row.key_hash === hash;
    const validUntil = current ? row.key_expires_at : row.previous_key_valid_until;
    return { deviceId: row.id, vehicleId: row.vehicle_id, fleetId: row.fleet_id, status: row.status, validUntil: (validUntil ?? new Date(0)).toISOString(), current };
  });
}

// After a restart every taxi's first request misses the cache within a few seconds: the look-ups that arrive
// together share one statement (grouped-calls.ts) instead of thousands of single-row reads. One set per database.
const lookups = perOwner((db: Kysely<Database>) => createGroupedCalls((hashes: string[]) => lookupMany(db, hashes), { key: (h) => h, maxRunning: 2, maxGroup: 500 }));

function lookup(db: Kysely<Database>, hash: string): Promise<CachedKey | null> {
  return lookups(db)(hash);
}

export async function authenticateDevice(deps: { db: Kysely<Database>; cache: Cache; clock: Clock }, key: string): Promise<DeviceIdentity> {
  const hash = await sha256Hex(key);
  let entry = await deps.cache.get<CachedKey>(deviceKeyCacheKey(hash));
  if (!entry) {
    entry = await lookup(deps.db, hash);
    if (!entry) {
      // Not a current or rotated-out key: perhaps the device's next key, used for the first time.
      const promoted = await promoteNextKey(deps.db, hash);
      if (promoted) await forgetDeviceKeys(deps.cache, promoted.retiredHashes);
      entry = promoted ? await lookup(deps.db, hash) : null;
    }
    if (!entry) throw refuse('device_key_invalid', 'unknown device key');
    await deps.cache.set(deviceKeyCacheKey(hash), entry, { ttlSeconds: deviceKeyCacheSeconds(hash) });
  }
  if (entry.status === 'revoked') throw refuse('device_key_revoked', 'this device was revoked; provision it again');
  if (Date.parse(entry.validUntil) <= deps.clock.now()) throw refuse('device_key_expired', 'this device key has expired; rotate it');
  return { deviceId: entry.deviceId, vehicleId: entry.vehicleId, fleetId: entry.fleetId, ...(entry.current ? { currentKeyExpiresAt: entry.validUntil } : {}) };
}

/** Called when a device's keys change, so a revoked or rotated key stops working at once, not when the cache expires. */
export async function forgetDeviceKeys(cache: Cache, hashes: (string | null)[]): Promise<void> {
  await Promise.all(hashes.filter((h): h is string => !!h).map((h) => cache.delete(deviceKeyCacheKey(h))));
}
