/**
 * The caller's taxis and what the live map starts from: moving/stopped/offline, the latest cached position and who
 * drives each one now. Behind GET /api/v1/vehicles and the assistant's taxi tools.
 */
import type { Kysely } from 'kysely';
import { fromJson } from '../../db/jsonb.ts';
import type { Database, VehiclesTable } from '../../db/schema.ts';
import type { Cache } from '../../ports/cache.ts';
import type { Principal } from '../auth/access-tokens.ts';
import { currentDrivers, type CurrentDriver } from '../driver-assignments.ts';
import { latestLocationKey, type LatestLocation } from '../ingest/store-fixes.ts';
import { scopedTo } from '../tenancy.ts';

export interface VehicleFilter {
  status?: VehiclesTable['status'];
}

/** The caller's vehicles matching `filter`, with nothing selected yet. */
export function vehiclesWhere(db: Kysely<Database>, principal: Principal, filter: VehicleFilter = {}) {
  let query = scopedTo(db, principal, 'vehicles');
  if (filter.status) query = query.where('vehicles.status', '=', filter.status);
  return query;
}

export interface LiveState {
  status: 'unknown' | 'moving' | 'stopped' | 'offline';
  since: string | null;
  location: LatestLocation | null;
}

/** Each vehicle's live state and current driver, in the order given (three queries whatever the count). */
export async function withLive<T extends { id: string }>(db: Kysely<Database>, cache: Cache, rows: T[]): Promise<(T & { driver: CurrentDriver | null; live: LiveState })[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const states = await db.selectFrom('vehicle_telemetry').select(['vehicle_id', 'status', 'status_changed_at', 'state']).where('vehicle_id', 'in', ids).execute();
  const byId = new Map(states.map((s) => [s.vehicle_id, s]));
  const drivers = await currentDrivers(db, ids);
  return Promise.all(
    rows.map(async (row) => {
      const state = byId.get(row.id);
      // Else the last fix the telemetry engine processed: an embedded server's cache starts empty after a restart, and
      // a taxi parked since would show no position at all.
      const location = (await cache.get<LatestLocation>(latestLocationKey(row.id))) ?? lastProcessedFix(row.id, state?.state);
      return { ...row, driver: drivers.get(row.id) ?? null, live: { status: state?.status ?? 'unknown', since: state?.status_changed_at?.toISOString() ?? null, location } };
    }),
  );
}

function lastProcessedFix(vehicleId: string, state: unknown): LatestLocation | null {
  const last = fromJson<{ last?: { at: number; lat: number; lon: number; speed: number } | null } | null>(state)?.last;
  return last ? { vehicle_id: vehicleId, latitude: last.lat, longitude: last.lon, speed_kmh: last.speed, heading: null, device_time: new Date(last.at).toISOString() } : null;
}
