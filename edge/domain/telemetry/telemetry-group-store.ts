/**
 * The telemetry store's reads and writes for many vehicles in one statement each (apply-telemetry.ts applies a
 * group of vehicles' batches in one transaction). At thousands of taxis the per-batch cost is round trips, not
 * rules: a group of fifty batches takes the same four statements as one batch (begin, lock and take the pending
 * marks, save trips and states, commit), more only for incidents and recomputations. A group of one is how a single
 * batch is applied, so every telemetry test runs these statements.
 */
import { prepared } from '../../db/prepared.ts';
import { relaxedCommit } from '../../db/relaxed-commit.ts';
import { telemetrySettings } from './settings.ts';
import { emptyTelemetryState, type TelemetryState, type TripRecord } from './telemetry-types.ts';
import type { LockedTelemetry, Tx, VehicleRef } from './telemetry-store.ts';
import type { TakenPending } from './pending-telemetry.ts';

interface LockedRow {
  vehicle_id: string;
  state: unknown;
  processed_until: Date | null;
  status: string;
  speed_limit_kmh: number;
  telemetry: unknown;
  locale: string;
  plate: string;
  taken_seqs: string[] | null;
  taken_from: Date | null;
}

/**
 * Locks the vehicles' state rows in vehicle id order (two groups that share vehicles take them in the same order,
 * so they queue instead of deadlocking), creating the rows of vehicles never seen before, and takes each vehicle's
 * own batch's pending mark with every older one (takePending, pending-telemetry.ts) — in one statement. A mark is
 * deleted only through its vehicle's locked row, so for each vehicle the lock comes first, as when they were two
 * statements; a mark a concurrent application (a sweep) took and committed meanwhile is found gone, as then.
 */
export async function lockAndTakePending(
  tx: Tx,
  vehicles: VehicleRef[],
  own: { vehicleId: string; batch: string }[],
  now: Date,
): Promise<{ locked: Map<string, LockedTelemetry>; taken: Map<string, TakenPending> }> {
  const ids = [...new Set(vehicles.map((v) => v.vehicleId))];
  let rows = await lockAndTakeRows(tx, ids, own);
  const found = new Set(rows.map((r) => r.vehicle_id));
  const missing = vehicles.filter((v) => !found.has(v.vehicleId));
  if (missing.length > 0) {
    // A vehicle's first batch: its row is made here, then locked like the others (their marks are taken then too).
    await tx
      .insertInto('vehicle_telemetry')
      .values(missing.map((v) => ({ vehicle_id: v.vehicleId, fleet_id: v.fleetId, state: JSON.stringify(emptyTelemetryState()), updated_at: now })))
      .onConflict((oc) => oc.column('vehicle_id').doNothing())
      .execute();
    const missingIds = new Set(missing.map((v) => v.vehicleId));
    rows = [...rows, ...(await lockAndTakeRows(tx, [...missingIds], own.filter((o) => missingIds.has(o.vehicleId))))];
  }
  const locked = new Map<string, LockedTelemetry>();
  const taken = new Map<string, TakenPending>(own.map((o) => [o.vehicleId, { seqs: [], from: null, ownFound: false }]));
  for (const row of rows) {
    locked.set(row.vehicle_id, {
      state: row.state as TelemetryState,
      processedUntil: row.processed_until?.getTime() ?? null,
      status: row.status,
      settings: telemetrySettings({ speed_limit_kmh: row.speed_limit_kmh, telemetry: row.telemetry, locale: row.locale }),
      plate: row.plate,
    });
    if (row.taken_seqs && taken.has(row.vehicle_id)) taken.set(row.vehicle_id, { seqs: row.taken_seqs, from: row.taken_from!.getTime(), ownFound: false });
  }
  for (const v of vehicles) if (!locked.has(v.vehicleId)) throw new Error(`vehicle ${v.vehicleId} has no telemetry row after creating it`);
  for (const o of own) taken.get(o.vehicleId)!.ownFound = taken.get(o.vehicleId)!.seqs.includes(o.batch);
  return { locked, taken };
}

async function lockAndTakeRows(tx: Tx, ids: string[], own: { vehicleId: string; batch: string }[]): Promise<LockedRow[]> {
  const { rows } = await prepared<LockedRow>`
    WITH locked AS (
      SELECT vt.vehicle_id, vt.state, vt.processed_until, vt.status, f.speed_limit_kmh, f.telemetry, f.locale, v.plate
      FROM vehicle_telemetry AS vt
      CROSS JOIN LATERAL (SELECT speed_limit_kmh, telemetry, locale FROM fleets WHERE id = vt.fleet_id LIMIT 1) AS f
      CROSS JOIN LATERAL (SELECT plate FROM vehicles WHERE id = vt.vehicle_id LIMIT 1) AS v
      WHERE vt.vehicle_id = ANY(${ids}::text[])
      ORDER BY vt.vehicle_id
      FOR UPDATE OF vt
    ), taken AS (
      DELETE FROM pending_telemetry AS p
      USING unnest(${own.map((o) => o.vehicleId)}::text[], ${own.map((o) => o.batch)}::bigint[]) AS o(vehicle_id, seq)
      WHERE p.vehicle_id = ANY(${own.map((o) => o.vehicleId)}::text[]) AND p.vehicle_id = o.vehicle_id AND p.seq <= o.seq
        AND p.vehicle_id IN (SELECT vehicle_id FROM locked)
      RETURNING p.vehicle_id, p.seq, p.from_at
    )
    SELECT l.*, t.taken_seqs, t.taken_from
    FROM locked AS l
    LEFT JOIN (SELECT vehicle_id, array_agg(seq::text ORDER BY seq) AS taken_seqs, min(from_at) AS taken_from FROM taken GROUP BY vehicle_id) AS t
      ON t.vehicle_id = l.vehicle_id
    ORDER BY l.vehicle_id`.execute(tx);
  return rows;
}

/** What a group's application writes at once: each vehicle's trips and engine state (`status` null keeps the stored one). */
export interface GroupOutcome {
  trips: { vehicle: VehicleRef; trips: TripRecord[] }[];
  states?: { vehicleId: string; state: TelemetryState; status: string | null }[];
  /** Vehicles whose vision incidents with no trip, at or after the time given, are to be found (relinkVisionIncidents' candidates). */
  orphansFrom?: Map<string, number>;
  /** The group's transaction may commit without waiting for the disk (db/relaxed-commit.ts): it has nothing to announce. */
  relaxedCommit?: boolean;
}

/**
 * Upserts the vehicles' trips by (vehicle, start), saves their engine states (and motion, when it changed) and finds
 * the vehicles with trip-less vision incidents, in one statement: at thousands of taxis a statement costs more than
 * the rows in it. Returns each vehicle's trip ids by start time, and the vehicles with such incidents.
 */
export async function saveGroupOutcome(tx: Tx, outcome: GroupOutcome, newId: () => string, now: Date): Promise<{ tripIds: Map<string, Map<number, string>>; withOrphans: Set<string> }> {
  const tripIds = new Map<string, Map<number, string>>(outcome.trips.map((g) => [g.vehicle.vehicleId, new Map()]));
  const trips = outcome.trips.flatMap(({ vehicle, trips }) => trips.map((trip) => ({ vehicle, trip })));
  const states = outcome.states ?? [];
  const orphans = [...(outcome.orphansFrom ?? new Map<string, number>())];
  if (trips.length === 0 && states.length === 0 && orphans.length === 0) return { tripIds, withOrphans: new Set() };
  const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
  // One array per column (unnest): the statement's text stays the same whatever the group's size.
  const { rows } = await prepared<{ kind: 'trip' | 'orphan' | 'relaxed'; id: string | null; vehicle_id: string; started_at: Date | null }>`
    WITH saved_trips AS (
      INSERT INTO trips (id, fleet_id, vehicle_id, started_at, ended_at, distance_m, duration_s, max_speed_kmh, avg_speed_kmh)
      SELECT * FROM unnest(${trips.map(() => newId())}::text[], ${trips.map((t) => t.vehicle.fleetId)}::text[], ${trips.map((t) => t.vehicle.vehicleId)}::text[],
        ${trips.map((t) => iso(t.trip.startedAt))}::timestamptz[], ${trips.map((t) => iso(t.trip.endedAt))}::timestamptz[], ${trips.map((t) => t.trip.distanceM)}::float8[],
        ${trips.map((t) => t.trip.durationS)}::int[], ${trips.map((t) => t.trip.maxSpeedKmh)}::real[], ${trips.map((t) => t.trip.avgSpeedKmh)}::real[])
      ON CONFLICT (vehicle_id, started_at) DO UPDATE SET ended_at = excluded.ended_at, distance_m = excluded.distance_m, duration_s = excluded.duration_s,
        max_speed_kmh = excluded.max_speed_kmh, avg_speed_kmh = excluded.avg_speed_kmh
      RETURNING id, vehicle_id, started_at
    ), saved_states AS (
      UPDATE vehicle_telemetry AS vt
      SET state = s.state::jsonb, processed_until = s.processed_until, last_report_at = ${now}, updated_at = ${now},
          status = coalesce(s.status, vt.status),
          status_changed_at = CASE WHEN s.status IS NULL THEN vt.status_changed_at ELSE ${now}::timestamptz END
      FROM unnest(${states.map((r) => r.vehicleId)}::text[], ${states.map((r) => JSON.stringify(r.state))}::text[],
        ${states.map((r) => iso(r.state.last?.at ?? null))}::timestamptz[], ${states.map((r) => r.status)}::text[]) AS s(vehicle_id, state, processed_until, status)
      WHERE vt.vehicle_id = ANY(${states.map((r) => r.vehicleId)}::text[]) AND vt.vehicle_id = s.vehicle_id
      RETURNING vt.vehicle_id
    ), orphans AS (
      SELECT o.vehicle_id
      FROM unnest(${orphans.map(([vehicleId]) => vehicleId)}::text[], ${orphans.map(([, from]) => iso(from))}::timestamptz[]) AS o(vehicle_id, from_at)
      WHERE EXISTS (SELECT 1 FROM incidents AS i WHERE i.vehicle_id = o.vehicle_id AND i.occurred_at >= o.from_at AND i.trip_id IS NULL AND i.source = 'vision')
    )
    SELECT 'trip' AS kind, id, vehicle_id, started_at FROM saved_trips
    UNION ALL
    SELECT 'orphan', NULL, vehicle_id, NULL FROM orphans
    UNION ALL
    SELECT 'relaxed', NULL, NULL, NULL WHERE CASE WHEN ${outcome.relaxedCommit === true}::boolean THEN ${relaxedCommit} ELSE false END`.execute(tx);
  const withOrphans = new Set<string>();
  for (const row of rows) {
    if (row.kind === 'relaxed') continue;
    if (row.kind === 'orphan') withOrphans.add(row.vehicle_id);
    else tripIds.get(row.vehicle_id)!.set(row.started_at!.getTime(), row.id!);
  }
  return { tripIds, withOrphans };
}

/** The trips alone (saveGroupOutcome): each vehicle's trip ids by start time. */
export async function saveVehiclesTrips(tx: Tx, groups: { vehicle: VehicleRef; trips: TripRecord[] }[], newId: () => string): Promise<Map<string, Map<number, string>>> {
  return (await saveGroupOutcome(tx, { trips: groups }, newId, new Date())).tripIds;
}
