/**
 * Two steps of the fix pipeline. `storeFixes`: one multi-row insert (devices retry, so a fix already stored for
 * that vehicle and device time is counted as a duplicate, not stored again; batches that arrive together share it)
 * and, in the same statement, the batch's "telemetry not yet applied" mark (domain/telemetry/pending-telemetry.ts), so no crash after the answer
 * can leave stored fixes that never reach trips and incidents. `updateLatestPosition`: the vehicle's
 * latest position in the cache — only when the newest fix is newer than what is cached, so late fixes from a
 * device's offline buffer never move the taxi backwards on the map.
 */
import { prepared } from '../../db/prepared.ts';
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
  /** Nothing was stored: a fix lies in the batch's `gap`, so it was screened against the wrong previous fix. */
  previousMoved?: true;
}

export interface FixBatch {
  device: DeviceIdentity;
  fixes: FixInput[];
  /** Store only if no fix of the vehicle lies strictly between these device times (epoch ms): last-stored-fix.ts. */
  gap?: { after: number; before: number };
}

export async function storeFixes(platform: Platform, device: DeviceIdentity, fixes: FixInput[]): Promise<StoredFixes> {
  return (await storeFixesOfDevices(platform, [{ device, fixes }]))[0];
}

/**
 * storeFixes for several devices' batches in one statement (fix-pipeline.ts gathers the batches that arrive
 * together): one round trip and one commit for them all, each vehicle's mark made from its own new fixes.
 * One batch per vehicle, or two batches of a vehicle would share one mark.
 */
export async function storeFixesOfDevices(platform: Platform, batches: FixBatch[]): Promise<StoredFixes[]> {
  if (new Set(batches.map((b) => b.device.vehicleId)).size !== batches.length) throw new Error('one fix batch per vehicle in a statement');
  const columns = fixColumns(batches);
  if (columns.vehicle_id.length === 0) return batches.map(() => ({ stored: 0, duplicates: 0, inserted: [], pending: null }));
  const assumed = batches.filter((b) => b.gap);
  const gaps = {
    vehicle_id: assumed.map((b) => b.device.vehicleId),
    after: assumed.map((b) => new Date(b.gap!.after).toISOString()),
    before: assumed.map((b) => new Date(b.gap!.before).toISOString()),
  };
  const now = new Date(platform.clock.now());
  // One statement, so one round trip and atomic without a transaction: the fixes, and each batch's mark when any was new.
  // The fixes go in as one array per column (unnest), not a row of parameters per fix: the statement's text and
  // parameters stay the same size whatever the group's, so neither Kysely nor Postgres parses a parameter per value.
  // `urgent`: the devices' answers wait on this statement (ports/db.ts). Prepared (db/prepared.ts): its text is the
  // same for every group.
  // A batch screened against an assumed previous fix (last-stored-fix.ts) is stored only if no fix of its vehicle
  // lies in its gap; otherwise the statement stores none of it and names its vehicle in `moved`.
  const { rows } = await prepared<{ vehicle_id: string; device_time: Date | null; latitude: number; longitude: number; speed_kmh: number | null; accuracy_m: number | null; pending: string | null; moved: boolean }>`
    WITH moved AS (
      SELECT g.vehicle_id FROM unnest(${gaps.vehicle_id}::text[], ${gaps.after}::timestamptz[], ${gaps.before}::timestamptz[]) AS g(vehicle_id, after, before)
      -- A probe per gap (LIMIT: never a semi join, which may hash the whole table when its statistics are stale).
      CROSS JOIN LATERAL (SELECT 1 FROM gps_fixes x WHERE x.vehicle_id = g.vehicle_id AND x.device_time > g.after AND x.device_time < g.before LIMIT 1) AS hit
    ), stored AS (
      INSERT INTO gps_fixes (fleet_id, vehicle_id, device_id, device_time, received_at, latitude, longitude, speed_kmh, heading, accuracy_m, altitude_m)
      SELECT f.fleet_id, f.vehicle_id, f.device_id, f.device_time, ${now}::timestamptz, f.latitude, f.longitude, f.speed_kmh, f.heading, f.accuracy_m, f.altitude_m
      FROM unnest(${columns.fleet_id}::text[], ${columns.vehicle_id}::text[], ${columns.device_id}::text[], ${columns.device_time}::timestamptz[],
        ${columns.latitude}::float8[], ${columns.longitude}::float8[], ${columns.speed_kmh}::real[], ${columns.heading}::real[], ${columns.accuracy_m}::real[], ${columns.altitude_m}::real[])
        AS f(fleet_id, vehicle_id, device_id, device_time, latitude, longitude, speed_kmh, heading, accuracy_m, altitude_m)
      WHERE NOT EXISTS (SELECT 1 FROM moved WHERE moved.vehicle_id = f.vehicle_id)
      ON CONFLICT (vehicle_id, device_time) DO NOTHING
      RETURNING vehicle_id, fleet_id, device_time, latitude, longitude, speed_kmh, accuracy_m
    ), mark AS (${markPending(now)})
    SELECT stored.vehicle_id, stored.device_time, stored.latitude, stored.longitude, stored.speed_kmh, stored.accuracy_m, mark.seq AS pending, false AS moved
    FROM stored LEFT JOIN mark ON mark.vehicle_id = stored.vehicle_id
    UNION ALL
    SELECT moved.vehicle_id, NULL, NULL, NULL, NULL, NULL, NULL, true FROM moved`.execute(platform.db.urgent);
  const movedVehicles = new Set(rows.filter((r) => r.moved).map((r) => r.vehicle_id));
  const stored = rows.filter((r) => !r.moved);
  const byVehicle = new Map<string, typeof stored>();
  for (const row of stored) {
    const own = byVehicle.get(row.vehicle_id);
    if (own) own.push(row);
    else byVehicle.set(row.vehicle_id, [row]);
  }
  return batches.map(({ device, fixes }) => {
    if (movedVehicles.has(device.vehicleId)) return { stored: 0, duplicates: 0, inserted: [], pending: null, previousMoved: true };
    const own = byVehicle.get(device.vehicleId) ?? [];
    return {
      stored: own.length,
      duplicates: fixes.length - own.length,
      inserted: own.map((r) => ({ at: r.device_time!.getTime(), lat: r.latitude, lon: r.longitude, speedKmh: r.speed_kmh, accuracyM: r.accuracy_m })),
      pending: own.length > 0 && own[0].pending !== null ? String(own[0].pending) : null,
    };
  });
}

/** The batches' fixes as one array per column, in order; times as ISO strings (Postgres reads them as they are). */
function fixColumns(batches: FixBatch[]) {
  const c = {
    fleet_id: [] as string[],
    vehicle_id: [] as string[],
    device_id: [] as string[],
    device_time: [] as string[],
    latitude: [] as number[],
    longitude: [] as number[],
    speed_kmh: [] as (number | null)[],
    heading: [] as (number | null)[],
    accuracy_m: [] as (number | null)[],
    altitude_m: [] as (number | null)[],
  };
  for (const { device, fixes } of batches) {
    for (const f of fixes) {
      c.fleet_id.push(device.fleetId);
      c.vehicle_id.push(device.vehicleId);
      c.device_id.push(device.deviceId);
      c.device_time.push(new Date(f.timestamp).toISOString());
      c.latitude.push(f.latitude);
      c.longitude.push(f.longitude);
      c.speed_kmh.push(f.speed ?? null);
      c.heading.push(f.heading ?? null);
      c.accuracy_m.push(f.accuracy ?? null);
      c.altitude_m.push(f.altitude ?? null);
    }
  }
  return c;
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
