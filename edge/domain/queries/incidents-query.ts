/**
 * Which incidents a caller sees under a filter: the one query behind GET /api/v1/incidents and the assistant's
 * incident tools, so "how many incidents yesterday?" counts exactly what the list shows. Scoped by tenancy.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, FalsePositiveReasonCode, IncidentStatus, Severity } from '../../db/schema.ts';
import type { Principal } from '../auth/access-tokens.ts';
import { driverInForce } from '../driver-assignments.ts';
import { scopedTo } from '../tenancy.ts';

export const INCIDENT_COLUMNS = [
  'id', 'fleet_id', 'vehicle_id', 'trip_id', 'frame_id', 'type', 'severity', 'confidence', 'description', 'source', 'status',
  'latitude', 'longitude', 'occurred_at', 'last_seen_at', 'occurrences', 'status_changed_by', 'status_changed_at', 'status_reason', 'status_reason_code', 'created_at',
] as const;

// Incidents are written without a driver: the one assigned to the vehicle when it occurred is resolved at read time.
export const incidentDriver = driverInForce('incidents.vehicle_id', 'incidents.occurred_at', 'incidents.driver_id');

export interface IncidentFilter {
  /** occurred_at at or after. */
  from?: Date;
  /** occurred_at at or before (the REST API's inclusive `to`). */
  to?: Date;
  /** occurred_at strictly before (a period's exclusive end). */
  before?: Date;
  status?: IncidentStatus | readonly IncidentStatus[];
  type?: string | readonly string[];
  severity?: Severity | readonly Severity[];
  source?: 'vision' | 'telemetry';
  reasonCode?: FalsePositiveReasonCode;
  vehicleId?: string;
  /** The driver in force when the incident occurred (or the one stored on it). */
  driverId?: string;
}

const list = <T>(value: T | readonly T[]): readonly T[] => (Array.isArray(value) ? (value as readonly T[]) : [value as T]);

/** The caller's incidents matching `filter`, with nothing selected yet (callers select columns, counts or groups). */
export function incidentsWhere(db: Kysely<Database>, principal: Principal, filter: IncidentFilter) {
  let query = scopedTo(db, principal, 'incidents');
  if (filter.status !== undefined) query = query.where('incidents.status', 'in', list(filter.status));
  if (filter.type !== undefined) query = query.where('incidents.type', 'in', list(filter.type));
  if (filter.severity !== undefined) query = query.where('incidents.severity', 'in', list(filter.severity));
  if (filter.source) query = query.where('incidents.source', '=', filter.source);
  if (filter.reasonCode) query = query.where('incidents.status_reason_code', '=', filter.reasonCode);
  if (filter.vehicleId) query = query.where('incidents.vehicle_id', '=', filter.vehicleId);
  if (filter.driverId) query = query.where(sql<boolean>`${incidentDriver} = ${filter.driverId}`);
  if (filter.from) query = query.where('incidents.occurred_at', '>=', filter.from);
  if (filter.to) query = query.where('incidents.occurred_at', '<=', filter.to);
  if (filter.before) query = query.where('incidents.occurred_at', '<', filter.before);
  return query;
}
