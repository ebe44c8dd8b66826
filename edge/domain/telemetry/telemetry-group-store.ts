/**
 * The telemetry store's reads and writes for many vehicles in one statement each (apply-telemetry.ts applies a
 * group of vehicles' batches in one transaction). At thousands of taxis the per-batch cost is round trips, not
 * rules: a group of fifty batches takes the same seven statements as one batch. A group of one is how a single
 * batch is applied, so every telemetry test runs these statements.
 */
import { sql } from 'kysely';
import { telemetrySettings } from './settings.ts';
import { emptyTelemetryState, type TelemetryState, type TripRecord } from './telemetry-types.ts';
import type { LockedTelemetry, Tx, VehicleRef } from './telemetry-store.ts';
import type { TakenPending } from './pending-telemetry.ts';

/**
 * Locks the vehicles' state rows in vehicle id order (two groups that share vehicles take them in the same order,
 * so they queue instead of deadlocking), creating the rows of vehicles never seen before.
 */
export async function lockVehiclesTelemetry(tx: Tx, vehicles: VehicleRef[], now: Date): Promise<Map<string, LockedTelemetry>> {
  const select = (ids: string[]) =>
    tx
      .selectFrom('vehicle_telemetry as vt')
      .innerJoin('fleets as f', 'f.id', 'vt.fleet_id')
      .innerJoin('vehicles as v', 'v.id', 'vt.vehicle_id')
      .select(['vt.vehicle_id', 'vt.state', 'vt.processed_until', 'vt.status', 'f.speed_limit_kmh', 'f.telemetry', 'f.locale', 'v.plate'])
      .where('vt.vehicle_id', 'in', ids)
      .orderBy('vt.vehicle_id')
      .forUpdate('vt')
      .execute();
  const ids = [...new Set(vehicles.map((v) => v.vehicleId))];
  let rows = await select(ids);
  const missing = vehicles.filter((v) => !rows.some((r) => r.vehicle_id === v.vehicleId));
  if (missing.length > 0) {
    // A vehicle's first batch: its row is made here, then locked like the others.
    await tx
      .insertInto('vehicle_telemetry')
      .values(missing.map((v) => ({ vehicle_id: v.vehicleId, fleet_id: v.fleetId, state: JSON.stringify(emptyTelemetryState()), updated_at: now })))
      .onConflict((oc) => oc.column('vehicle_id').doNothing())
      .execute();
    rows = await select(ids);
  }
  const locked = new Map<string, LockedTelemetry>();
  for (const row of rows)
    locked.set(row.vehicle_id, {
      state: row.state as TelemetryState,
      processedUntil: row.processed_until?.getTime() ?? null,
      status: row.status,
      settings: telemetrySettings({ speed_limit_kmh: row.speed_limit_kmh, telemetry: row.telemetry, locale: row.locale }),
      plate: row.plate,
    });
  for (const v of vehicles) if (!locked.has(v.vehicleId)) throw new Error(`vehicle ${v.vehicleId} has no telemetry row after creating it`);
  return locked;
}

/** takePending (pending-telemetry.ts) for many vehicles' own batches: each vehicle's batch and every older mark of it. */
export async function takePendingBatches(tx: Tx, batches: { vehicleId: string; batch: string }[]): Promise<Map<string, TakenPending>> {
  const taken = new Map<string, TakenPending>(batches.map((b) => [b.vehicleId, { seqs: [], from: null, ownFound: false }]));
  if (batches.length === 0) return taken;
  const rows = await tx
    .deleteFrom('pending_telemetry')
    .where((eb) => eb.or(batches.map((b) => eb.and([eb('vehicle_id', '=', b.vehicleId), eb('seq', '<=', b.batch)]))))
    .returning(['vehicle_id', 'seq', 'from_at'])
    .execute();
  for (const row of rows) {
    const entry = taken.get(row.vehicle_id)!;
    entry.seqs.push(String(row.seq));
    entry.from = Math.min(entry.from ?? Infinity, row.from_at.getTime());
  }
  for (const b of batches) taken.get(b.vehicleId)!.ownFound = taken.get(b.vehicleId)!.seqs.includes(b.batch);
  return taken;
}

/** Upserts the vehicles' trips by (vehicle, start) in one statement; returns each vehicle's trip ids by start time. */
export async function saveVehiclesTrips(tx: Tx, groups: { vehicle: VehicleRef; trips: TripRecord[] }[], newId: () => string): Promise<Map<string, Map<number, string>>> {
  const ids = new Map<string, Map<number, string>>(groups.map((g) => [g.vehicle.vehicleId, new Map()]));
  const values = groups.flatMap(({ vehicle, trips }) =>
    trips.map((trip) => ({
      id: newId(),
      fleet_id: vehicle.fleetId,
      vehicle_id: vehicle.vehicleId,
      started_at: new Date(trip.startedAt),
      ended_at: trip.endedAt === null ? null : new Date(trip.endedAt),
      distance_m: trip.distanceM,
      duration_s: trip.durationS,
      max_speed_kmh: trip.maxSpeedKmh,
      avg_speed_kmh: trip.avgSpeedKmh,
    })),
  );
  if (values.length === 0) return ids;
  const rows = await tx
    .insertInto('trips')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['vehicle_id', 'started_at']).doUpdateSet((eb) => ({
        ended_at: eb.ref('excluded.ended_at'),
        distance_m: eb.ref('excluded.distance_m'),
        duration_s: eb.ref('excluded.duration_s'),
        max_speed_kmh: eb.ref('excluded.max_speed_kmh'),
        avg_speed_kmh: eb.ref('excluded.avg_speed_kmh'),
      })),
    )
    .returning(['id', 'vehicle_id', 'started_at'])
    .execute();
  for (const row of rows) ids.get(row.vehicle_id)!.set(row.started_at.getTime(), row.id);
  return ids;
}

/** Saves the vehicles' engine states (and motion, when it changed) in one UPDATE; `status` null keeps the stored one. */
export async function saveVehiclesTelemetry(tx: Tx, rows: { vehicleId: string; state: TelemetryState; status: string | null }[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(
    rows.map((r) => sql`(${r.vehicleId}, ${JSON.stringify(r.state)}, ${r.state.last ? new Date(r.state.last.at) : null}::timestamptz, ${r.status}::text)`),
  );
  await sql`
    UPDATE vehicle_telemetry AS vt
    SET state = v.state::jsonb, processed_until = v.processed_until, last_report_at = ${now}, updated_at = ${now},
        status = coalesce(v.status, vt.status),
        status_changed_at = CASE WHEN v.status IS NULL THEN vt.status_changed_at ELSE ${now}::timestamptz END
    FROM (VALUES ${values}) AS v(vehicle_id, state, processed_until, status)
    WHERE vt.vehicle_id = v.vehicle_id`.execute(tx);
}

/** The vehicles that have vision incidents with no trip at or after their `from` (relinkVisionIncidents' candidates). */
export async function vehiclesWithOrphanVisionIncidents(tx: Tx, froms: Map<string, number>): Promise<Set<string>> {
  if (froms.size === 0) return new Set();
  const rows = await tx
    .selectFrom('incidents')
    .select(['vehicle_id', 'occurred_at'])
    .where('vehicle_id', 'in', [...froms.keys()])
    .where('source', '=', 'vision')
    .where('trip_id', 'is', null)
    .where('occurred_at', '>=', new Date(Math.min(...froms.values())))
    .execute();
  return new Set(rows.filter((r) => r.vehicle_id !== null && r.occurred_at.getTime() >= froms.get(r.vehicle_id)!).map((r) => r.vehicle_id!));
}
