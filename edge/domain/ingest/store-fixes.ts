/**
 * Stores accepted fixes for one device: one multi-row insert (devices retry, so a fix already stored for that
 * vehicle and device time is counted as a duplicate, not stored again), then the vehicle's latest position in the
 * cache and a `location_update` — only when the newest fix is newer than what is cached, so late fixes from a
 * device's offline buffer never move the taxi backwards on the map.
 */
import type { Platform } from '../../platform.ts';
import type { DeviceIdentity } from '../devices/device-auth.ts';
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

export async function storeFixes(platform: Platform, device: DeviceIdentity, fixes: FixInput[]): Promise<{ stored: number; duplicates: number }> {
  if (fixes.length === 0) return { stored: 0, duplicates: 0 };
  const now = new Date(platform.clock.now());
  const inserted = await platform.db.kysely
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
    .returning('id')
    .execute();

  const newest = fixes.reduce((a, b) => (Date.parse(b.timestamp) > Date.parse(a.timestamp) ? b : a));
  const key = latestLocationKey(device.vehicleId);
  const cached = await platform.cache.get<LatestLocation>(key);
  if (inserted.length > 0 && (!cached || Date.parse(cached.device_time) < Date.parse(newest.timestamp))) {
    const latest: LatestLocation = {
      vehicle_id: device.vehicleId,
      latitude: newest.latitude,
      longitude: newest.longitude,
      speed_kmh: newest.speed ?? null,
      heading: newest.heading ?? null,
      device_time: new Date(newest.timestamp).toISOString(),
    };
    await platform.cache.set(key, latest, { ttlSeconds: LATEST_TTL_SECONDS });
    await platform.bus.publish(device.fleetId, 'location_update', latest);
  }
  return { stored: inserted.length, duplicates: fixes.length - inserted.length };
}
