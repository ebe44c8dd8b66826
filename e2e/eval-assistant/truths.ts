/**
 * The true answers, from the database by the evaluation's own SQL: local days through Postgres's AT TIME ZONE (not
 * the app's timezone code), the driver in force by its own join, the ranking by its own arithmetic. Nothing here
 * calls the assistant's tools or the app's query functions, so a wrong filter there shows up as a wrong answer.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../edge/db/schema.ts';
import { NOW, type Truth } from './question-spec.ts';

export type TruthValue = number | string | null | string[] | { latitude: number; longitude: number } | undefined;

/** The documented ranking rule: drivers under 50 km in the period are not ranked. */
const MIN_KM = 50;
const LOW_BATTERY_PCT = 20;

interface Fleet {
  id: string;
  timezone: string;
}

const local = (column: string, tz: string) => sql`(${sql.ref(column)} at time zone ${tz})::date`;

const rows = async <T>(db: Kysely<Database>, query: ReturnType<typeof sql>) => (await query.execute(db)).rows as T[];

function periodWhere(column: string, fleet: Fleet, t: { days?: readonly [string, string]; hours?: number }) {
  if (t.hours) return sql`${sql.ref(column)} >= ${new Date(Date.parse(NOW) - t.hours * 3_600_000)} and ${sql.ref(column)} <= ${new Date(NOW)}`;
  if (t.days) return sql`${local(column, fleet.timezone)} between ${t.days[0]}::date and ${t.days[1]}::date`;
  return sql`true`;
}

const driverAt = (vehicleColumn: string, atColumn: string) =>
  sql`(select d.name from vehicle_drivers vd join drivers d on d.id = vd.driver_id where vd.vehicle_id = ${sql.ref(vehicleColumn)} and vd.started_at <= ${sql.ref(atColumn)} and (vd.ended_at is null or vd.ended_at > ${sql.ref(atColumn)}))`;

export async function computeTruth(db: Kysely<Database>, fleet: Fleet, truth: Truth): Promise<TruthValue> {
  switch (truth.metric) {
    case 'incident_count': {
      const filters = [
        periodWhere('i.occurred_at', fleet, truth),
        truth.type ? sql`i.type in (${sql.join(truth.type)})` : sql`true`,
        truth.severity ? sql`i.severity in (${sql.join(truth.severity)})` : sql`true`,
        truth.status ? sql`i.status in (${sql.join(truth.status)})` : sql`true`,
        truth.plate ? sql`v.plate = ${truth.plate}` : sql`true`,
        truth.driver ? sql`${driverAt('i.vehicle_id', 'i.occurred_at')} = ${truth.driver}` : sql`true`,
      ];
      const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from incidents i join vehicles v on v.id = i.vehicle_id where i.fleet_id = ${fleet.id} and ${sql.join(filters, sql` and `)}`);
      return Number(r.n);
    }
    case 'trip_count':
    case 'trip_km': {
      const filters = [
        periodWhere('t.started_at', fleet, truth),
        truth.plate ? sql`v.plate = ${truth.plate}` : sql`true`,
        truth.driver ? sql`${driverAt('t.vehicle_id', 't.started_at')} = ${truth.driver}` : sql`true`,
      ];
      const [r] = await rows<{ n: number; m: number }>(db, sql`select count(*)::int as n, coalesce(sum(t.distance_m), 0)::float8 as m from trips t join vehicles v on v.id = t.vehicle_id where t.fleet_id = ${fleet.id} and ${sql.join(filters, sql` and `)}`);
      return truth.metric === 'trip_count' ? Number(r.n) : Math.round(Number(r.m) / 100) / 10;
    }
    case 'vehicle_count': {
      const s = truth.status;
      const where = !s ? sql`true` : ['active', 'maintenance', 'inactive'].includes(s) ? sql`v.status = ${s}` : sql`vt.status = ${s}`;
      const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from vehicles v left join vehicle_telemetry vt on vt.vehicle_id = v.id where v.fleet_id = ${fleet.id} and ${where}`);
      return Number(r.n);
    }
    case 'location': {
      const [r] = await rows<{ latitude: number; longitude: number }>(db, sql`select f.latitude, f.longitude from gps_fixes f join vehicles v on v.id = f.vehicle_id where v.fleet_id = ${fleet.id} and v.plate = ${truth.plate} order by f.device_time desc limit 1`);
      return r ? { latitude: Number(r.latitude), longitude: Number(r.longitude) } : null;
    }
    case 'current_driver': {
      const [r] = await rows<{ name: string }>(db, sql`select d.name from vehicle_drivers vd join drivers d on d.id = vd.driver_id join vehicles v on v.id = vd.vehicle_id where v.fleet_id = ${fleet.id} and v.plate = ${truth.plate} and vd.ended_at is null`);
      return r?.name ?? null;
    }
    case 'driver_taxi': {
      const [r] = await rows<{ plate: string }>(db, sql`select v.plate from vehicle_drivers vd join drivers d on d.id = vd.driver_id join vehicles v on v.id = vd.vehicle_id where d.fleet_id = ${fleet.id} and d.name = ${truth.driver} and vd.ended_at is null`);
      return r?.plate ?? null;
    }
    case 'ranking': {
      const ranked = await rows<{ name: string; rate: number }>(
        db,
        sql`with km as (
              select ${driverAt('t.vehicle_id', 't.started_at')} as name, sum(t.distance_m) / 1000.0 as km
              from trips t where t.fleet_id = ${fleet.id} and ${periodWhere('t.started_at', fleet, truth)} group by 1
            ), n as (
              select ${driverAt('i.vehicle_id', 'i.occurred_at')} as name, count(*) as n
              from incidents i where i.fleet_id = ${fleet.id} and ${periodWhere('i.occurred_at', fleet, truth)} group by 1
            )
            select km.name, coalesce(n.n, 0) / (km.km / 100.0) as rate, km.km from km left join n on n.name = km.name
            where km.name is not null and round(km.km::numeric, 1) >= ${MIN_KM}
            order by rate ${sql.raw(truth.order === 'worst' ? 'desc' : 'asc')}, km.km desc`,
      );
      return ranked[0]?.name ?? null;
    }
    case 'licences': {
      const r = await rows<{ name: string }>(db, sql`select name from drivers where fleet_id = ${fleet.id} and licence_expires_on < (${new Date(NOW)}::timestamptz at time zone ${fleet.timezone})::date + ${truth.within}::int order by name`);
      return r.map((x) => x.name);
    }
    case 'devices': {
      const where = truth.problem === 'low_battery' ? sql`d.battery_pct < ${LOW_BATTERY_PCT}` : sql`(d.last_seen_at is null or d.last_seen_at < ${new Date(Date.parse(NOW) - 10 * 60_000)})`;
      const r = await rows<{ plate: string }>(db, sql`select v.plate from devices d join vehicles v on v.id = d.vehicle_id where d.fleet_id = ${fleet.id} and d.status = 'active' and ${where} order by v.plate`);
      return r.map((x) => x.plate);
    }
    case 'unacknowledged_alerts': {
      const [r] = await rows<{ n: number }>(db, sql`select count(*)::int as n from alerts where fleet_id = ${fleet.id} and acknowledged_at is null and ${truth.severity ? sql`severity in (${sql.join(truth.severity)})` : sql`true`}`);
      return Number(r.n);
    }
    case 'vision_cost': {
      const [r] = await rows<{ c: number }>(db, sql`select coalesce(sum(cost_usd), 0)::float8 as c from vision_usage_daily where fleet_id = ${fleet.id} and day between ${truth.days[0]}::date and ${truth.days[1]}::date`);
      return Math.round(Number(r.c) * 1e6) / 1e6;
    }
    case 'faq':
      return truth.id;
    case 'refusal':
      return undefined;
    case 'not_found':
      return truth.plate;
  }
}
