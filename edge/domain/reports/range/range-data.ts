/**
 * What an on-demand report covers, for any local days and optionally one taxi or one driver: trips, the stops between
 * them (where the taxi stood, from its last fix), speeding and idling episodes, the other incidents, and a summary
 * per driver. Each list stops at MAX_ROWS (and says so): a report is for reading, an export of everything is the API.
 */
import { sql } from 'kysely';
import { driverRates, type DriverRate } from '../daily/drivers-section.ts';
import type { ReportContext } from '../report-context.ts';

export const MAX_ROWS = 5000;

export interface TripRow {
  plate: string;
  driver: string | null;
  start: Date;
  end: Date | null;
  km: number;
  seconds: number;
  maxSpeedKmh: number;
  incidents: number;
}

export interface StopRow {
  plate: string;
  driver: string | null;
  start: Date;
  end: Date;
  latitude: number | null;
  longitude: number | null;
}

export interface IncidentRow {
  plate: string;
  driver: string | null;
  type: string;
  severity: string;
  start: Date;
  end: Date;
  latitude: number | null;
  longitude: number | null;
  description: string;
}

export interface RangeData {
  trips: TripRow[];
  stops: StopRow[];
  speeding: IncidentRow[];
  idling: IncidentRow[];
  incidents: IncidentRow[];
  drivers: DriverRate[];
  /** Lists that reached MAX_ROWS. */
  truncated: string[];
}

async function trips(ctx: ReportContext): Promise<TripRow[]> {
  let query = ctx.db
    .selectFrom('trips as t')
    .innerJoin('vehicles as v', 'v.id', 't.vehicle_id')
    .leftJoin('drivers as d', 'd.id', 't.driver_id')
    .select(['v.plate', 'd.name as driver', 't.started_at', 't.ended_at', 't.distance_m', 't.duration_s', 't.max_speed_kmh', 't.incident_count'])
    .where('t.fleet_id', '=', ctx.fleet.id)
    .where('t.started_at', '>=', ctx.start)
    .where('t.started_at', '<', ctx.end);
  if (ctx.vehicleId) query = query.where('t.vehicle_id', '=', ctx.vehicleId);
  if (ctx.driverId) query = query.where('t.driver_id', '=', ctx.driverId);
  const rows = await query.orderBy('t.started_at').orderBy('v.plate').limit(MAX_ROWS + 1).execute();
  return rows.map((r) => ({ plate: r.plate, driver: r.driver, start: r.started_at, end: r.ended_at, km: r.distance_m / 1000, seconds: r.duration_s, maxSpeedKmh: r.max_speed_kmh, incidents: r.incident_count }));
}

/** A stop runs from one trip's end to the same taxi's next start; its place is the last fix at or before it began. */
async function stops(ctx: ReportContext): Promise<StopRow[]> {
  const vehicle = ctx.vehicleId ? sql`AND t.vehicle_id = ${ctx.vehicleId}` : sql``;
  const driver = ctx.driverId ? sql`AND s.driver_id = ${ctx.driverId}` : sql``;
  const { rows } = await sql<{ plate: string; driver: string | null; stop_from: Date; stop_to: Date; latitude: number | null; longitude: number | null }>`
    SELECT v.plate, d.name AS driver, s.stop_from, s.stop_to, f.latitude, f.longitude
    FROM (
      SELECT t.vehicle_id, t.driver_id, t.ended_at AS stop_from, lead(t.started_at) OVER (PARTITION BY t.vehicle_id ORDER BY t.started_at) AS stop_to
      FROM trips t
      WHERE t.fleet_id = ${ctx.fleet.id} AND t.started_at >= ${ctx.start} AND t.started_at < ${ctx.end} ${vehicle}
    ) s
    JOIN vehicles v ON v.id = s.vehicle_id
    LEFT JOIN drivers d ON d.id = s.driver_id
    LEFT JOIN LATERAL (
      SELECT g.latitude, g.longitude FROM gps_fixes g WHERE g.vehicle_id = s.vehicle_id AND g.device_time <= s.stop_from ORDER BY g.device_time DESC LIMIT 1
    ) f ON true
    WHERE s.stop_from IS NOT NULL AND s.stop_to IS NOT NULL AND s.stop_to > s.stop_from ${driver}
    ORDER BY s.stop_from, v.plate
    LIMIT ${MAX_ROWS + 1}
  `.execute(ctx.db);
  return rows.map((r) => ({ plate: r.plate, driver: r.driver, start: new Date(r.stop_from), end: new Date(r.stop_to), latitude: r.latitude, longitude: r.longitude }));
}

async function incidents(ctx: ReportContext): Promise<IncidentRow[]> {
  let query = ctx.db
    .selectFrom('incidents as i')
    .innerJoin('vehicles as v', 'v.id', 'i.vehicle_id')
    .leftJoin('drivers as d', 'd.id', 'i.driver_id')
    .select(['v.plate', 'd.name as driver', 'i.type', 'i.severity', 'i.occurred_at', 'i.last_seen_at', 'i.latitude', 'i.longitude', 'i.description'])
    .where('i.fleet_id', '=', ctx.fleet.id)
    .where('i.status', '!=', 'false_positive')
    .where('i.occurred_at', '>=', ctx.start)
    .where('i.occurred_at', '<', ctx.end);
  if (ctx.vehicleId) query = query.where('i.vehicle_id', '=', ctx.vehicleId);
  if (ctx.driverId) query = query.where('i.driver_id', '=', ctx.driverId);
  const rows = await query.orderBy('i.occurred_at').orderBy('v.plate').limit(3 * MAX_ROWS).execute();
  return rows.map((r) => ({ plate: r.plate, driver: r.driver, type: r.type, severity: r.severity, start: r.occurred_at, end: r.last_seen_at, latitude: r.latitude, longitude: r.longitude, description: r.description }));
}

export async function loadRangeData(ctx: ReportContext): Promise<RangeData> {
  const [tripRows, stopRows, incidentRows, drivers] = await Promise.all([trips(ctx), stops(ctx), incidents(ctx), driverRates(ctx)]);
  const lists = {
    trips: tripRows,
    stops: stopRows,
    speeding: incidentRows.filter((i) => i.type === 'SPEEDING'),
    idling: incidentRows.filter((i) => i.type === 'IDLING'),
    incidents: incidentRows.filter((i) => i.type !== 'SPEEDING' && i.type !== 'IDLING'),
  };
  const truncated = Object.entries(lists).filter(([, list]) => list.length > MAX_ROWS).map(([name]) => name);
  return {
    trips: lists.trips.slice(0, MAX_ROWS),
    stops: lists.stops.slice(0, MAX_ROWS),
    speeding: lists.speeding.slice(0, MAX_ROWS),
    idling: lists.idling.slice(0, MAX_ROWS),
    incidents: lists.incidents.slice(0, MAX_ROWS),
    drivers: [...drivers].sort((a, b) => a.name.localeCompare(b.name)),
    truncated,
  };
}
