/**
 * Two steps of the fix pipeline. `storeFixes`: one multi-row insert (devices retry, so a fix already stored for
 * that vehicle and device time is counted as a duplicate, not stored again) and, in the same transaction, the
 * batch's "telemetry not yet applied" mark (domain/telemetry/pending-telemetry.ts), so no crash after the answer
 * can leave stored fixes that never reach trips and incidents. `updateLatestPosition`: the vehicle's
 * latest position in the cache — only when the newest fix is newer than what is cached, so late fixes from a
 * device's offline buffer never move the taxi backwards on the map.
 */
import type { Platform } from '../../platform.ts';
import type { DeviceIdentity } from '../devices/device-auth.ts';
import { markPending } from '../telemetry/pending-telemetry.ts';
import type { TelemetryFix } from '../telemetry/telemetry-types.ts';
import type { FixInput } from './fix-input.ts';

export const latestLocationKey = (vehicleId: string) => `vehicle:${vehicleId}:location`;
const LATEST_TTL_SECONDS = 86_400;

export interface LatestLocation {
  vehicle_id: string;
  latitude: number;
  longitude: number;
  speed_kmh: number | null;
  heading: number | null;
  device_time: string;
}

export interface StoredFixes {
  stored: number;
  duplicates: number;
  /** The fixes this call stored (not the duplicates), for the telemetry rules. */
  inserted: TelemetryFix[];
  /** The batch's pending-telemetry mark; null when nothing new was stored. */
  pending: string | null;
}

export async function storeFixes(platform: Platform, device: DeviceIdentity, fixes: FixInput[]): Promise<StoredFixes> {
  if (fixes.length === 0) return { stored: 0, duplicates: 0, inserted: [], pending: null };
  const now = new Date(platform.clock.now());
  // One statement, so one round trip and atomic without a transaction: the fixes, and the batch's mark when any was new.
  const rows = await platform.db.kysely
    .with('stored', (db) =>
      db
        .insertInto('gps_fixes')
        .values(
          fixes.map((f) => ({
            fleet_id: device.fleetId,
            vehicle_id: device.vehicleId,
            device_id: device.deviceId,
            device_time: new Date(f.timestamp),
            received_at: now,
            latitude: f.latitude,
            longitude: f.longitude,
            speed_kmh: f.speed ?? null,
            heading: f.heading ?? null,
            accuracy_m: f.accuracy ?? null,
            altitude_m: f.altitude ?? null,
          })),
        )
        .onConflict((oc) => oc.columns(['vehicle_id', 'device_time']).doNothing())
        .returning(['device_time', 'latitude', 'longitude', 'speed_kmh', 'accuracy_m']),
    )
    .with('mark', (db) => markPending(db, device, now))
    .selectFrom('stored')
    .selectAll('stored')
    .select((eb) => eb.selectFrom('mark').select('seq').as('pending'))
    .execute();
  return {
    stored: rows.length,
    duplicates: fixes.length - rows.length,
    inserted: rows.map((r) => ({ at: r.device_time.getTime(), lat: r.latitude, lon: r.longitude, speedKmh: r.speed_kmh, accuracyM: r.accuracy_m })),
    pending: rows.length > 0 && rows[0].pending !== null ? String(rows[0].pending) : null,
  };
}

/** Returns the new latest position to publish, or null when these fixes are not newer than the cached one. */
export async function updateLatestPosition(platform: Platform, device: DeviceIdentity, inserted: TelemetryFix[], fixes: FixInput[]): Promise<LatestLocation | null> {
  if (inserted.length === 0) return null;
  const newest = fixes.reduce((a, b) => (Date.parse(b.timestamp) > Date.parse(a.timestamp) ? b : a));
  const key = latestLocationKey(device.vehicleId);
  const cached = await platform.cache.get<LatestLocation>(key);
  if (cached && Date.parse(cached.device_time) >= Date.parse(newest.timestamp)) return null;
  const latest: LatestLocation = {
    vehicle_id: device.vehicleId,
    latitude: newest.latitude,
    longitude: newest.longitude,
    speed_kmh: newest.speed ?? null,
    heading: newest.heading ?? null,
    device_time: new Date(newest.timestamp).toISOString(),
  };
  await platform.cache.set(key, latest, { ttlSeconds: LATEST_TTL_SECONDS });
  return latest;
}
