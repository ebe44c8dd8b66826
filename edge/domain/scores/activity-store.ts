/**
 * What each driver (or taxi) did per local day, read from the trip rollup (trip_days) and incidents in a few grouped
 * queries.
 *
 * Attribution follows the assignment history (driver-assignments.ts): a trip belongs to its stored driver, or else to
 * the driver whose stint on that taxi was in force when the trip started; an incident likewise at the instant it
 * occurred. A driver who changed taxis mid-day therefore gets each taxi's part of the day. Every query reads only the
 * fleet's rows in the range through the (fleet_id, time) indexes (migrations 2101, 2131), so the work grows with the
 * period, not with the fleet's history.
 * Driving (metres, seconds) comes from trip_days, one row per taxi, driver and local day, attributed as above when
 * written (migration 2131: triggers on trips and on the stints keep it; trip writes only mark their days stale, and
 * each read here recounts its fleet's stale days first: migration 2132), so a period costs a row per taxi-day, not
 * one per trip.
 * Days are the fleet's local days (a trip at 23:30 in Madrid on 1 June counts for 1 June, though it is 21:30 UTC).
 * False positives are never read: only open (unreviewed), acknowledged and resolved incidents count.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { localDayAndMinute } from '../fleet-time.ts';
import { refreshTripDays } from './refresh-trip-days.ts';
import { addTotals, emptyTotals, MIN_SPEEDING_MINUTES, type ActivityTotals, type Severity } from './score-formula.ts';

export type Subject = 'driver' | 'vehicle';

export interface TripDay {
  subject: string;
  day: string;
  m: number;
  s: number;
}
export interface IncidentDay {
  subject: string;
  day: string;
  type: string;
  severity: Severity;
  n: number;
  speeding_min: number;
}

export interface ActivityQuery {
  fleetId: string;
  timeZone: string;
  start: Date;
  end: Date;
  by: Subject;
  /** Only this driver's (or taxi's) activity. */
  subjectId?: string;
  /** Skip the trips (streaks only need incidents). */
  incidentsOnly?: boolean;
}

/** Trips (or incidents, `alias` i) with the driver each belongs to, as a derived table: (driver_id, row columns…). */
function attributed(table: 'trips' | 'incidents', at: 'started_at' | 'occurred_at', columns: string, q: ActivityQuery) {
  const only = q.subjectId !== undefined;
  const extra = table === 'incidents' ? sql`and x.status <> 'false_positive'` : sql``;
  return sql`(
    select x.driver_id as subject, ${sql.raw(columns)} from ${sql.table(table)} x
      where x.fleet_id = ${q.fleetId} and x.driver_id is not null and x.${sql.raw(at)} >= ${q.start} and x.${sql.raw(at)} < ${q.end} ${extra}
      ${only ? sql`and x.driver_id = ${q.subjectId}` : sql``}
    union all
    select vd.driver_id as subject, ${sql.raw(columns)} from vehicle_drivers vd
      join ${sql.table(table)} x on x.vehicle_id = vd.vehicle_id and x.${sql.raw(at)} >= vd.started_at and (vd.ended_at is null or x.${sql.raw(at)} < vd.ended_at)
      where vd.fleet_id = ${q.fleetId} and vd.started_at < ${q.end} and (vd.ended_at is null or vd.ended_at > ${q.start})
        and x.fleet_id = ${q.fleetId} and x.driver_id is null and x.${sql.raw(at)} >= ${q.start} and x.${sql.raw(at)} < ${q.end} ${extra}
        ${only ? sql`and vd.driver_id = ${q.subjectId}` : sql``}
  )`;
}

/** Taxis need no attribution: every trip and incident of the taxi is its own. */
function ofVehicles(table: 'trips' | 'incidents', at: 'started_at' | 'occurred_at', columns: string, q: ActivityQuery) {
  const extra = table === 'incidents' ? sql`and x.status <> 'false_positive'` : sql``;
  return sql`(
    select x.vehicle_id as subject, ${sql.raw(columns)} from ${sql.table(table)} x
      where x.fleet_id = ${q.fleetId} and x.${sql.raw(at)} >= ${q.start} and x.${sql.raw(at)} < ${q.end} ${extra}
      ${q.subjectId !== undefined ? sql`and x.vehicle_id = ${q.subjectId}` : sql``}
  )`;
}

/** Local day (YYYY-MM-DD) of an instant, and the last local day of a range ending (exclusive) at an instant. */
const dayOf = (timeZone: string, at: Date) => localDayAndMinute(timeZone, at.getTime()).day;
const lastDayBefore = (timeZone: string, end: Date) => localDayAndMinute(timeZone, end.getTime() - 1).day;

export interface TripDaysQuery {
  fleetId: string;
  timeZone: string;
  /** The range: whole local days, [start, end) as instants. */
  start: Date;
  end: Date;
  /** Only this driver's days … */
  driverId?: string;
  /** … or only this taxi's. */
  vehicleId?: string;
}

/**
 * Driving per (driver, taxi, local day) over whole days, as a derived table (driver, vehicle, day, m, s) read from
 * the rollup alone; a null driver is a day of the taxi's that no driver is attributed.
 */
export function tripDayRows(q: TripDaysQuery) {
  const first = dayOf(q.timeZone, q.start);
  const last = lastDayBefore(q.timeZone, q.end);
  return sql`(select r.driver_id as driver, r.vehicle_id as vehicle, r.day, r.distance_m as m, r.duration_s as s
    from trip_days r where r.fleet_id = ${q.fleetId} and r.day >= ${first}::date and r.day <= ${last}::date
      ${q.driverId !== undefined ? sql`and r.driver_id = ${q.driverId}` : sql``}
      ${q.vehicleId !== undefined ? sql`and r.vehicle_id = ${q.vehicleId}` : sql``})`;
}

export async function loadActivity(
  db: Kysely<Database>,
  q: ActivityQuery,
): Promise<{ trips: TripDay[]; incidents: IncidentDay[] }> {
  await refreshTripDays(db, q.fleetId);
  const source = q.by === 'driver' ? attributed : ofVehicles;
  const incidents = source('incidents', 'occurred_at', 'x.occurred_at as at, x.type, x.severity, x.last_seen_at', q);
  const day = sql`to_char(a.at at time zone ${q.timeZone}, 'YYYY-MM-DD')`;
  const trips = tripDayRows({
    fleetId: q.fleetId,
    timeZone: q.timeZone,
    start: q.start,
    end: q.end,
    ...(q.subjectId === undefined ? {} : q.by === 'driver' ? { driverId: q.subjectId } : { vehicleId: q.subjectId }),
  });
  const subject = q.by === 'driver' ? sql`a.driver` : sql`a.vehicle`;
  const [t, i] = await Promise.all([
    q.incidentsOnly
      ? { rows: [] as TripDay[] }
      : sql<TripDay>`select ${subject} as subject, to_char(a.day, 'YYYY-MM-DD') as day, sum(a.m)::float8 as m, sum(a.s)::float8 as s
          from ${trips} a where ${subject} is not null group by 1, 2`.execute(db),
    sql<IncidentDay>`select a.subject, ${day} as day, a.type, a.severity, count(*)::int as n,
        coalesce(sum(case when a.type = 'SPEEDING' then greatest(${MIN_SPEEDING_MINUTES}, extract(epoch from a.last_seen_at - a.at) / 60) end), 0)::float8 as speeding_min
      from ${incidents} a group by 1, 2, 3, 4`.execute(db),
  ]);
  return { trips: t.rows, incidents: i.rows };
}

/** Sums the daily rows into totals per subject and per key (the period a day falls in, from `keyOf`). */
export function totalsBy(
  activity: { trips: TripDay[]; incidents: IncidentDay[] },
  keyOf: (day: string) => string | null,
): Map<string, Map<string, ActivityTotals>> {
  const out = new Map<string, Map<string, ActivityTotals>>();
  const slot = (subject: string, day: string) => {
    const key = keyOf(day);
    if (key === null) return null;
    let bySubject = out.get(subject);
    if (!bySubject) out.set(subject, (bySubject = new Map()));
    let totals = bySubject.get(key);
    if (!totals) bySubject.set(key, (totals = emptyTotals()));
    return totals;
  };
  for (const r of activity.trips) {
    const t = slot(r.subject, r.day);
    if (t) addTotals(t, { km: Number(r.m) / 1000, seconds: Number(r.s), incidents: [], speedingMinutes: 0 });
  }
  for (const r of activity.incidents) {
    const t = slot(r.subject, r.day);
    if (t)
      addTotals(t, {
        km: 0,
        seconds: 0,
        incidents: [{ type: r.type, severity: r.severity, count: Number(r.n) }],
        speedingMinutes: Number(r.speeding_min),
      });
  }
  return out;
}

export interface FleetRows {
  trips: Array<{ driver: string | null; vehicle: string; bucket: number; m: number; s: number }>;
  incidents: Array<{
    driver: string | null;
    vehicle: string;
    bucket: number;
    type: string;
    severity: Severity;
    n: number;
    speeding_min: number;
  }>;
}

/**
 * The whole fleet over [start, end) (whole local days) in two buckets (0 before `split`, 1 from it), per driver and
 * taxi at once: the trip rollup's rows of the range, and one pass over the incidents, each joined to the stint in
 * force (stints of a taxi never overlap, so at most one matches). What the leaderboard needs, without a row per day.
 */
export async function loadFleetBuckets(
  db: Kysely<Database>,
  q: { fleetId: string; timeZone: string; start: Date; split: Date; end: Date },
): Promise<FleetRows> {
  await refreshTripDays(db, q.fleetId);
  const stint = (at: string) =>
    sql`left join vehicle_drivers vd on vd.fleet_id = ${q.fleetId} and vd.vehicle_id = x.vehicle_id and x.${sql.raw(at)} >= vd.started_at and (vd.ended_at is null or x.${sql.raw(at)} < vd.ended_at)`;
  const splitDay = dayOf(q.timeZone, q.split);
  const trips = tripDayRows({ fleetId: q.fleetId, timeZone: q.timeZone, start: q.start, end: q.end });
  const [t, i] = await Promise.all([
    sql<
      FleetRows['trips'][number]
    >`select a.driver, a.vehicle, (a.day >= ${splitDay}::date)::int as bucket, sum(a.m)::float8 as m, sum(a.s)::float8 as s
      from ${trips} a group by 1, 2, 3`.execute(db),
    sql<
      FleetRows['incidents'][number]
    >`select coalesce(x.driver_id, vd.driver_id) as driver, x.vehicle_id as vehicle, (x.occurred_at >= ${q.split})::int as bucket, x.type, x.severity, count(*)::int as n,
        coalesce(sum(case when x.type = 'SPEEDING' then greatest(${MIN_SPEEDING_MINUTES}, extract(epoch from x.last_seen_at - x.occurred_at) / 60) end), 0)::float8 as speeding_min
      from incidents x ${stint('occurred_at')}
      where x.fleet_id = ${q.fleetId} and x.occurred_at >= ${q.start} and x.occurred_at < ${q.end} and x.status <> 'false_positive' group by 1, 2, 3, 4, 5`.execute(
      db,
    ),
  ]);
  return { trips: t.rows, incidents: i.rows };
}

/**
 * Each driver's latest counted, scored incident in [start, end): one row per driver of the fleet who has one.
 * Only the latest is wanted, so each driver (incidents that store their driver) and each stint overlapping the range
 * (those that do not, on the stint's taxi while it was in force) is one backward index scan that stops at its first
 * counted incident (indexes incidents_driver_time_idx and incidents_vehicle_time_idx), not a pass over every
 * incident of the range.
 */
export async function lastIncidentByDriver(
  db: Kysely<Database>,
  q: { fleetId: string; start: Date; end: Date; unscored: readonly string[] },
): Promise<Map<string, Date>> {
  const counted = sql`x.fleet_id = ${q.fleetId} and x.status <> 'false_positive' and x.type not in (${sql.join(q.unscored.map((u) => sql`${u}`))})`;
  const rows = await sql<{ driver: string; last: Date | null }>`select l.driver, max(l.last) as last from (
      select d.id as driver, (select max(x.occurred_at) from incidents x
          where x.driver_id = d.id and x.occurred_at >= ${q.start} and x.occurred_at < ${q.end} and ${counted}) as last
        from drivers d where d.fleet_id = ${q.fleetId}
      union all
      select vd.driver_id as driver, (select max(x.occurred_at) from incidents x
          where x.vehicle_id = vd.vehicle_id and x.occurred_at >= vd.started_at and x.occurred_at < coalesce(vd.ended_at, 'infinity'::timestamptz)
            and x.occurred_at >= ${q.start} and x.occurred_at < ${q.end} and x.driver_id is null and ${counted}) as last
        from vehicle_drivers vd where vd.fleet_id = ${q.fleetId} and vd.started_at < ${q.end} and (vd.ended_at is null or vd.ended_at > ${q.start})
    ) l group by 1`.execute(db);
  // (A null filter in SQL would be pushed into the scan and run every subquery twice.)
  return new Map(rows.rows.filter((r) => r.last !== null).map((r) => [r.driver, new Date(r.last!)]));
}
