/** The caller's alerts under a filter, with their incident's type: behind GET /api/v1/alerts and the assistant. */
import { sql, type Kysely } from 'kysely';
import { driverInForce } from '../driver-assignments.ts';
import type { Database, Severity } from '../../db/schema.ts';
import type { Principal } from '../auth/access-tokens.ts';
import { scopedTo } from '../tenancy.ts';

export const ALERT_COLUMNS = [
  'id',
  'fleet_id',
  'incident_id',
  'vehicle_id',
  'severity',
  'message',
  'created_at',
  'read_at',
  'acknowledged_at',
  'acknowledged_by',
] as const;

export interface AlertFilter {
  unread?: boolean;
  acknowledged?: boolean;
  severity?: Severity | readonly Severity[];
  vehicleId?: string;
  /** The incident the alert was raised for (an incident has one alert; notices have none). */
  incidentId?: string;
  /** The driver assigned to the alert's taxi when it was raised. */
  driverId?: string;
  /** created_at at or after / at or before. */
  from?: Date;
  to?: Date;
}

export function alertsWhere(db: Kysely<Database>, principal: Principal, filter: AlertFilter = {}) {
  let query = scopedTo(db, principal, 'alerts');
  if (filter.unread !== undefined) query = query.where('alerts.read_at', filter.unread ? 'is' : 'is not', null);
  if (filter.acknowledged !== undefined)
    query = query.where('alerts.acknowledged_at', filter.acknowledged ? 'is not' : 'is', null);
  if (filter.severity !== undefined)
    query = query.where(
      'alerts.severity',
      'in',
      Array.isArray(filter.severity) ? filter.severity : [filter.severity as Severity],
    );
  if (filter.vehicleId) query = query.where('alerts.vehicle_id', '=', filter.vehicleId);
  if (filter.incidentId) query = query.where('alerts.incident_id', '=', filter.incidentId);
  if (filter.driverId)
    query = query.where(sql<boolean>`${driverInForce('alerts.vehicle_id', 'alerts.created_at')} = ${filter.driverId}`);
  if (filter.from) query = query.where('alerts.created_at', '>=', filter.from);
  if (filter.to) query = query.where('alerts.created_at', '<=', filter.to);
  return query;
}

/**
 * An alert with its incident's type and description: `message` is written once in the fleet's language, so a client
 * showing another language labels the type itself (an alert's incident is always of the alert's fleet).
 */
export const withIncident = (query: ReturnType<typeof alertsWhere>) =>
  query
    .select(ALERT_COLUMNS.map((c) => `alerts.${c}` as const))
    .select((eb) => [
      eb
        .selectFrom('incidents')
        .select('incidents.type')
        .whereRef('incidents.id', '=', 'alerts.incident_id')
        .as('incident_type'),
      eb
        .selectFrom('incidents')
        .select('incidents.description')
        .whereRef('incidents.id', '=', 'alerts.incident_id')
        .as('incident_description'),
    ]);
