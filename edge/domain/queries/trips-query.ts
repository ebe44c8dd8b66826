/** Which trips a caller sees under a filter: the query behind GET /api/v1/trips and the assistant's trip tools. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Principal } from '../auth/access-tokens.ts';
import { driverInForce, tripDrivenBy } from '../driver-assignments.ts';
import { scopedTo } from '../tenancy.ts';

export const TRIP_COLUMNS = ['id', 'fleet_id', 'vehicle_id', 'started_at', 'ended_at', 'distance_m', 'duration_s', 'max_speed_kmh', 'avg_speed_kmh', 'incident_count'] as const;

// The pipeline does not fill trips.driver_id (yet): a trip without one shows the driver assigned to its vehicle when it
// started, resolved at read time so a later reassignment never changes what a past trip shows.
export const tripDriver = driverInForce('trips.vehicle_id', 'trips.started_at', 'trips.driver_id');

export interface TripFilter {
  /** started_at at or after. */
  from?: Date;
  /** started_at at or before (the REST API's inclusive `to`). */
  to?: Date;
  /** started_at strictly before (a period's exclusive end). */
  before?: Date;
  vehicleId?: string;
  driverId?: string;
}

/** The caller's trips matching `filter`, with nothing selected yet. */
export function tripsWhere(db: Kysely<Database>, principal: Principal, filter: TripFilter) {
  let query = scopedTo(db, principal, 'trips');
  if (filter.vehicleId) query = query.where('trips.vehicle_id', '=', filter.vehicleId);
  if (filter.driverId) query = query.where(tripDrivenBy(filter.driverId));
  if (filter.from) query = query.where('trips.started_at', '>=', filter.from);
  if (filter.to) query = query.where('trips.started_at', '<=', filter.to);
  if (filter.before) query = query.where('trips.started_at', '<', filter.before);
  return query;
}
