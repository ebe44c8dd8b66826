/**
 * Who drives which taxi when (table vehicle_drivers): assigning a driver to a vehicle, ending it, the current
 * driver of each vehicle, a vehicle's history, and the driver in force at an instant for trips and incidents.
 * Callers check that the vehicle belongs to the caller's fleet; the driver must belong to the vehicle's fleet.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema.ts';
import { isUniqueViolation } from '../db/errors.ts';
import { AppError } from '../errors.ts';
import type { DomainDeps } from './deps.ts';
import { notFound } from './tenancy.ts';

/** The driver a vehicle shows: who, and since when (ISO-8601). */
export interface CurrentDriver {
  id: string;
  name: string;
  since: string;
}

export interface AssignmentResult {
  driver: CurrentDriver | null;
  /** False when the request repeated the state already in force (a retried PUT changes nothing). */
  changed: boolean;
  /** The other vehicle the driver was taken from (its stint ended), if any: it has no driver now. */
  releasedVehicleId: string | null;
}

/**
 * Makes `driverId` the vehicle's current driver, ending the vehicle's current assignment and the driver's current one
 * on another vehicle in the same transaction. `driverId` null only ends the vehicle's current assignment.
 */
export async function assignDriver(deps: DomainDeps, input: { fleetId: string; vehicleId: string; driverId: string | null; assignedBy: string | null }): Promise<AssignmentResult> {
  const now = new Date(deps.clock.now());
  try {
    // Inside a caller's transaction (the demo seed) it joins that one; otherwise it opens its own.
    const inTransaction = <T>(work: (trx: Kysely<Database>) => Promise<T>) => (deps.db.isTransaction ? work(deps.db) : deps.db.transaction().execute(work));
    return await inTransaction(async (trx) => {
      // Lock the vehicle, then the driver, always in that order: two assignments touching the same vehicle or the
      // same driver queue up instead of both ending the old stint and both inserting a new one. The partial unique
      // indexes stay the last line of defence (a violation becomes a 409 below).
      // A vehicle or driver deleted since the caller looked it up is a 404, not a foreign-key 500.
      const vehicle = await trx.selectFrom('vehicles').select('id').where('id', '=', input.vehicleId).where('fleet_id', '=', input.fleetId).forUpdate().executeTakeFirst();
      if (!vehicle) throw notFound('vehicle', input.vehicleId);
      if (input.driverId) {
        const driver = await trx.selectFrom('drivers').select('id').where('id', '=', input.driverId).where('fleet_id', '=', input.fleetId).forUpdate().executeTakeFirst();
        if (!driver) throw notFound('driver', input.driverId);
      }
      const current = await trx.selectFrom('vehicle_drivers').select(['driver_id', 'started_at']).where('vehicle_id', '=', input.vehicleId).where('ended_at', 'is', null).executeTakeFirst();
      if ((current?.driver_id ?? null) === input.driverId) {
        return { driver: current ? await currentDriverOf(trx, input.vehicleId) : null, changed: false, releasedVehicleId: null };
      }
      const elsewhere = input.driverId
        ? await trx.selectFrom('vehicle_drivers').select('vehicle_id').where('driver_id', '=', input.driverId).where('ended_at', 'is', null).where('vehicle_id', '!=', input.vehicleId).executeTakeFirst()
        : undefined;
      const releasedVehicleId = elsewhere?.vehicle_id ?? null;
      await trx
        .updateTable('vehicle_drivers')
        .set({ ended_at: now })
        .where('ended_at', 'is', null)
        .where((eb) => (input.driverId ? eb.or([eb('vehicle_id', '=', input.vehicleId), eb('driver_id', '=', input.driverId)]) : eb('vehicle_id', '=', input.vehicleId)))
        .execute();
      if (!input.driverId) return { driver: null, changed: true, releasedVehicleId };
      await trx
        .insertInto('vehicle_drivers')
        .values({ id: deps.ids.next(), fleet_id: input.fleetId, vehicle_id: input.vehicleId, driver_id: input.driverId, started_at: now, ended_at: null, assigned_by: input.assignedBy, created_at: now })
        .execute();
      return { driver: await currentDriverOf(trx, input.vehicleId), changed: true, releasedVehicleId };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('conflict', 'another assignment for this vehicle or driver landed at the same time; try again', { cause: error });
    throw error;
  }
}

async function currentDriverOf(db: Kysely<Database>, vehicleId: string): Promise<CurrentDriver | null> {
  return (await currentDrivers(db, [vehicleId])).get(vehicleId) ?? null;
}

/** The current driver of each of these vehicles (vehicles without one are absent from the map). */
export async function currentDrivers(db: Kysely<Database>, vehicleIds: string[]): Promise<Map<string, CurrentDriver>> {
  if (vehicleIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('vehicle_drivers')
    .innerJoin('drivers', 'drivers.id', 'vehicle_drivers.driver_id')
    .select(['vehicle_drivers.vehicle_id', 'vehicle_drivers.started_at', 'drivers.id', 'drivers.name'])
    .where('vehicle_drivers.vehicle_id', 'in', vehicleIds)
    .where('vehicle_drivers.ended_at', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.vehicle_id, { id: r.id, name: r.name, since: r.started_at.toISOString() }]));
}

/** A vehicle's assignments overlapping [from, to], newest first, paged by id (UUIDv7, so newest id = latest start). */
export async function assignmentHistory(db: Kysely<Database>, vehicleId: string, range: { from?: Date; to?: Date; before?: string; limit: number }) {
  let query = db
    .selectFrom('vehicle_drivers')
    .innerJoin('drivers', 'drivers.id', 'vehicle_drivers.driver_id')
    .select(['vehicle_drivers.id', 'vehicle_drivers.driver_id', 'drivers.name as driver_name', 'vehicle_drivers.started_at', 'vehicle_drivers.ended_at', 'vehicle_drivers.assigned_by'])
    .where('vehicle_drivers.vehicle_id', '=', vehicleId)
    .orderBy('vehicle_drivers.id', 'desc')
    .limit(range.limit + 1);
  if (range.before) query = query.where('vehicle_drivers.id', '<', range.before);
  if (range.to) query = query.where('vehicle_drivers.started_at', '<=', range.to);
  if (range.from) {
    const from = range.from;
    query = query.where((eb) => eb.or([eb('vehicle_drivers.ended_at', 'is', null), eb('vehicle_drivers.ended_at', '>', from)]));
  }
  return query.execute();
}

/**
 * SQL for "the driver of vehicle `vehicle` at instant `at`": the stint that started at or before it and had not
 * ended by then (the vehicle_drivers_vehicle_time_idx index answers it). A stored driver wins over it, so pass
 * `stored` to get coalesce(stored, in force). For trips and incidents the pipeline does not (yet) fill driver_id,
 * so their routes resolve it at read time with this; reassigning later never rewrites what a past trip shows.
 */
export function driverInForce(vehicle: string, at: string, stored?: string): RawBuilder<string | null> {
  const inForce = sql<string | null>`(select vd.driver_id from vehicle_drivers vd where vd.vehicle_id = ${sql.ref(vehicle)} and vd.started_at <= ${sql.ref(at)} and (vd.ended_at is null or vd.ended_at > ${sql.ref(at)}) order by vd.started_at desc limit 1)`;
  return stored ? sql<string | null>`coalesce(${sql.ref(stored)}, ${inForce})` : inForce;
}

/**
 * SQL for "this trip was driven by `driverId`" with the same meaning as driverInForce on trips: it stores that
 * driver, or stores none and started within one of the driver's stints on its vehicle. Stints of one vehicle never
 * overlap (assigning ends the previous one at the same instant), so "within a stint of theirs" is "theirs in force".
 * Written as an uncorrelated IN so the database walks the driver's few stints instead of every trip of the fleet.
 */
export function tripDrivenBy(driverId: string): RawBuilder<boolean> {
  return sql<boolean>`(trips.driver_id = ${driverId} or trips.id in (select t.id from vehicle_drivers vd join trips t on t.vehicle_id = vd.vehicle_id and t.started_at >= vd.started_at and (vd.ended_at is null or t.started_at < vd.ended_at) where vd.driver_id = ${driverId} and t.driver_id is null))`;
}

/** Adds driver_name to rows that carry a driver_id, in one query. */
export async function withDriverNames<T extends { driver_id: string | null }>(db: Kysely<Database>, rows: T[]): Promise<(T & { driver_name: string | null })[]> {
  const ids = [...new Set(rows.map((r) => r.driver_id).filter((id): id is string => id !== null))];
  const names = ids.length === 0 ? [] : await db.selectFrom('drivers').select(['id', 'name']).where('id', 'in', ids).execute();
  const byId = new Map(names.map((d) => [d.id, d.name]));
  return rows.map((row) => ({ ...row, driver_name: row.driver_id ? (byId.get(row.driver_id) ?? null) : null }));
}
