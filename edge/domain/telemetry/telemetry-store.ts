/**
 * Reads and writes what the telemetry engine needs and finds, inside the caller's transaction: stored fixes for a
 * recomputation, and the trips and incidents it produced — upserted by natural key, so processing the same fixes
 * again changes nothing. The vehicles' state rows and trips are locked and written for a whole group at once
 * (telemetry-group-store.ts).
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { DeviceIdentity } from '../devices/device-auth.ts';

/** Telemetry is per vehicle: which device sent the fixes does not matter. */
export type VehicleRef = Pick<DeviceIdentity, 'vehicleId' | 'fleetId'>;
import type { TelemetrySettings } from './settings.ts';
import type { DetectedIncident, TelemetryFix, TelemetryState } from './telemetry-types.ts';
import type { Announcement } from '../incidents/announce-incident.ts';
import { recordTelemetryOccurrence, withdrawTelemetryOccurrences } from '../incidents/telemetry-occurrences.ts';

export type Tx = Transaction<Database>;

export interface LockedTelemetry {
  state: TelemetryState;
  processedUntil: number | null;
  status: string;
  settings: TelemetrySettings;
  plate: string;
}

const toFix = (r: { device_time: Date; latitude: number; longitude: number; speed_kmh: number | null; accuracy_m: number | null }): TelemetryFix => ({
  at: r.device_time.getTime(),
  lat: r.latitude,
  lon: r.longitude,
  speedKmh: r.speed_kmh,
  accuracyM: r.accuracy_m,
});

const FIX_COLUMNS = ['device_time', 'latitude', 'longitude', 'speed_kmh', 'accuracy_m'] as const;

/** The last `count` stored fixes before `before`, oldest first: the context a recomputation starts from. */
export async function fixesBefore(tx: Tx, vehicleId: string, before: number, count: number): Promise<TelemetryFix[]> {
  const rows = await tx.selectFrom('gps_fixes').select(FIX_COLUMNS).where('vehicle_id', '=', vehicleId).where('device_time', '<', new Date(before)).orderBy('device_time', 'desc').limit(count).execute();
  return rows.reverse().map(toFix);
}

/** Stored fixes from `from` on, in device-time order, a page at a time (a backlog can be hours of fixes). */
export async function* fixesFrom(tx: Tx, vehicleId: string, from: number, pageSize = 5000): AsyncGenerator<TelemetryFix[]> {
  let after: Date | null = null;
  for (;;) {
    let query = tx.selectFrom('gps_fixes').select(FIX_COLUMNS).where('vehicle_id', '=', vehicleId).orderBy('device_time').limit(pageSize);
    query = after ? query.where('device_time', '>', after) : query.where('device_time', '>=', new Date(from));
    const rows = await query.execute();
    if (rows.length === 0) return;
    yield rows.map(toFix);
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.device_time;
  }
}

/**
 * Where a recomputation for fixes from `at` must start: the start of the stored trip that `at` falls in (or that
 * it could extend, within the stop time), else `at` itself. Before that point the engine's state is "no trip".
 */
export async function recomputeStart(tx: Tx, vehicleId: string, at: number, settings: TelemetrySettings): Promise<number> {
  const reach = new Date(at - settings.tripEndStopMinutes * 60_000);
  const row = await tx
    .selectFrom('trips')
    .select((eb) => eb.fn.min('started_at').as('start'))
    .where('vehicle_id', '=', vehicleId)
    .where('started_at', '<=', new Date(at))
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', reach)]))
    .executeTakeFirst();
  const start = row?.start ? new Date(row.start as Date | string).getTime() : at;
  return Math.min(start, at);
}

export async function deleteTrips(tx: Tx, vehicleId: string, where: { startedAt: number[] } | { from: number; keep: number[] }): Promise<void> {
  let query = tx.deleteFrom('trips').where('vehicle_id', '=', vehicleId);
  if ('startedAt' in where) {
    if (where.startedAt.length === 0) return;
    query = query.where('started_at', 'in', where.startedAt.map((t) => new Date(t)));
  } else {
    query = query.where('started_at', '>=', new Date(where.from));
    if (where.keep.length > 0) query = query.where('started_at', 'not in', where.keep.map((t) => new Date(t)));
  }
  await query.execute();
}

export interface NewIncident {
  incidentId: string;
  /** Null when the detection was merged into an open incident of the same type (no second alert). */
  alertId: string | null;
  incident: DetectedIncident;
  tripId: string | null;
  /** `new_alert`, or `incident_updated` for a merge, to send once the transaction has committed. */
  announcement: Announcement;
}

/**
 * Records detections not recorded before (natural key: vehicle, type, time) under the merge rule (domain/incidents/):
 * each opens an incident with its alert, or joins the open one of its type; returns what was recorded.
 */
export async function saveIncidents(tx: Tx, device: VehicleRef, incidents: DetectedIncident[], tripIds: Map<number, string>, newId: () => string, now: Date, mergeWindowMs: number): Promise<NewIncident[]> {
  const recorded: NewIncident[] = [];
  for (const incident of incidents) {
    const tripId = incident.tripStartedAt === null ? null : (tripIds.get(incident.tripStartedAt) ?? null);
    const detection = { fleetId: device.fleetId, vehicleId: device.vehicleId, type: incident.type, severity: incident.severity, confidence: null, description: incident.description, occurredAt: new Date(incident.occurredAt), tripId, latitude: incident.lat, longitude: incident.lon };
    const occurrence = await recordTelemetryOccurrence(tx, detection, { mergeWindowMs, now, newId });
    if (occurrence) recorded.push({ ...occurrence, incident, tripId });
  }
  return recorded;
}

/** After a recomputation from `from`: detections the fixes no longer support are withdrawn (domain/incidents/). */
export function withdrawIncidents(tx: Tx, vehicleId: string, from: number, stillDetected: DetectedIncident[]): Promise<string[]> {
  return withdrawTelemetryOccurrences(tx, vehicleId, from, stillDetected);
}

/**
 * Vision incidents from `from` on that have no trip point at the trip they happened in, as the analyse-frame job
 * would have placed them had the trip existed. Two ways to lose it: a recomputation rewrote the trips (a backlog
 * holding the trip's beginning moves its start, which makes a new row, and deleting the old one nulled the link);
 * or the frame was analysed before the fixes that opened its trip arrived (units send frames at once, fixes in
 * batches). Telemetry incidents are linked by the engine's own detections (saveIncidents). Returns the trips that
 * gained incidents, whose counts the caller refreshes.
 */
export async function relinkVisionIncidents(tx: Tx, vehicleId: string, from: number): Promise<string[]> {
  const since = new Date(from);
  const orphans = await tx.selectFrom('incidents').select(['id', 'occurred_at']).where('vehicle_id', '=', vehicleId).where('source', '=', 'vision').where('trip_id', 'is', null).where('occurred_at', '>=', since).execute();
  if (orphans.length === 0) return [];
  const linked = new Set<string>();
  const trips = await tx
    .selectFrom('trips')
    .select(['id', 'started_at', 'ended_at'])
    .where('vehicle_id', '=', vehicleId)
    .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', since)]))
    .execute();
  for (const incident of orphans) {
    const at = incident.occurred_at.getTime();
    const trip = trips.find((t) => t.started_at.getTime() <= at && (t.ended_at === null || t.ended_at.getTime() >= at));
    if (!trip) continue;
    await tx.updateTable('incidents').set({ trip_id: trip.id }).where('id', '=', incident.id).execute();
    linked.add(trip.id);
  }
  return [...linked];
}

/** Every incident of the trips, whatever found it (telemetry or vision). */
export async function refreshIncidentCounts(tx: Tx, tripIds: string[]): Promise<void> {
  if (tripIds.length === 0) return;
  await sql`UPDATE trips SET incident_count = (SELECT count(*) FROM incidents WHERE incidents.trip_id = trips.id) WHERE id IN (${sql.join(tripIds)})`.execute(tx);
}
