/**
 * Two steps of the fix pipeline. `storeFixes`: one multi-row insert (devices retry, so a fix already stored for
 * that vehicle and device time is counted as a duplicate, not stored again; batches that arrive together share it)
 * and, in the same statement, the batch's "telemetry not yet applied" mark (domain/telemetry/pending-telemetry.ts), so no crash after the answer
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
  return (await storeFixesOfDevices(platform, [{ device, fixes }]))[0];
}

/**
 * storeFixes for several devices' batches in one statement (fix-pipeline.ts gathers the batches that arrive
 * together): one round trip and one commit for them all, each vehicle's mark made from its own new fixes.
 * One batch per vehicle, or two batches of a vehicle would share one mark.
 */
export async function storeFixesOfDevices(platform: Platform, batches: { device: DeviceIdentity; fixes: FixInput[] }[]): Promise<StoredFixes[]> {
  if (new Set(batches.map((b) => b.device.vehicleId)).size !== batches.length) throw new Error('one fix batch per vehicle in a statement');
  const rows = batches.flatMap(({ device, fixes }) => fixes.map((f) => fixRow(device, f)));
  if (rows.length === 0) return batches.map(() => ({ stored: 0, duplicates: 0, inserted: [], pending: null }));
  const now = new Date(platform.clock.now());
  // One statement, so one round trip and atomic without a transaction: the fixes, and each batch's mark when any was new.
  const stored = await platform.db.kysely
    .with('stored', (db) =>
      db
        .insertInto('gps_fixes')
        .values(rows.map((r) => ({ ...r, received_at: now })))
        .onConflict((oc) => oc.columns(['vehicle_id', 'device_time']).doNothing())
        .returning(['vehicle_id', 'fleet_id', 'device_time', 'latitude', 'longitude', 'speed_kmh', 'accuracy_m']),
    )
    .with('mark', (db) => markPending(db, now))
    .selectFrom('stored')
    .leftJoin('mark', 'mark.vehicle_id', 'stored.vehicle_id')
    .select(['stored.vehicle_id', 'stored.device_time', 'stored.latitude', 'stored.longitude', 'stored.speed_kmh', 'stored.accuracy_m', 'mark.seq as pending'])
    .execute();
  return batches.map(({ device, fixes }) => {
    const own = stored.filter((r) => r.vehicle_id === device.vehicleId);
    return {
      stored: own.length,
      duplicates: fixes.length - own.length,
      inserted: own.map((r) => ({ at: r.device_time.getTime(), lat: r.latitude, lon: r.longitude, speedKmh: r.speed_kmh, accuracyM: r.accuracy_m })),
      pending: own.length > 0 && own[0].pending !== null ? String(own[0].pending) : null,
    };
  });
}

function fixRow(device: DeviceIdentity, f: FixInput) {
  return {
    fleet_id: device.fleetId,
    vehicle_id: device.vehicleId,
    device_id: device.deviceId,
    device_time: new Date(f.timestamp),
    latitude: f.latitude,
    longitude: f.longitude,
    speed_kmh: f.speed ?? null,
    heading: f.heading ?? null,
    accuracy_m: f.accuracy ?? null,
    altitude_m: f.altitude ?? null,
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
